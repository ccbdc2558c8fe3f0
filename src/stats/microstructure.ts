/**
 * The microstructure facts of /work/shared/FACTS.md ("Microstructure") from
 * the sampled top of book (timeseries.csv `bid`, `ask`, `bid_depth`,
 * `ask_depth`): the quoted spread in ticks, the share of samples with a
 * one-sided or empty book, and the depth within ±1 % of the mid, also as a
 * share of a day's traded volume. All over the samples after the burn-in.
 *
 * @module
 */

import { stat, type Stat } from './interval-facts.js';
import type { Session } from './mid-grid.js';

/** summary.json → `facts.microstructure`. */
export interface MicrostructureFacts {
  /** Samples after the burn-in. */
  samples: number;
  /** Quoted spread ask − bid, ticks, over the two-sided samples. */
  spreadTicks: { median: Stat; p95: Stat };
  /** Share of the samples with at least one empty side. */
  oneSidedShare: Stat;
  /** Median lots resting within ±1 % of the mid, per side (0 on a one-sided sample's empty side). */
  depth: { bidMedian: Stat; askMedian: Stat; bidShareOfDailyVolume: Stat; askShareOfDailyVolume: Stat };
  /** Lots traded per session (the run's day), the denominator of the shares. */
  dailyVolume: number;
}

/** Inputs of {@link microstructureFacts}: one instrument's sampled columns. */
export interface MicrostructureInput {
  times: ArrayLike<number>;
  bids: ArrayLike<number>;
  asks: ArrayLike<number>;
  bidDepth: ArrayLike<number>;
  askDepth: ArrayLike<number>;
  /** Lots traded in each sampling interval. */
  volume: ArrayLike<number>;
}

/** True when both sides are quoted (a side's price is NaN, 0 or missing when empty). */
export function isTwoSided(bid: number, ask: number): boolean {
  return bid > 0 && ask > 0;
}

/**
 * The facts of one instrument's samples at times ≥ `burnInUs` inside the
 * sessions (samples between them, in an opening auction's call where the
 * public book is empty by design, are not the continuous book); the daily
 * volume is the whole run's volume (burn-in and auctions included: it was
 * traded that day) divided by the number of sessions.
 */
export function microstructureFacts(input: MicrostructureInput, burnInUs: number, sessions: readonly Session[]): MicrostructureFacts {
  const spreads: number[] = [];
  const bidDepth: number[] = [];
  const askDepth: number[] = [];
  let samples = 0;
  let oneSided = 0;
  let volume = 0;
  let s = 0;
  for (let i = 0; i < input.times.length; i++) {
    volume += input.volume[i] > 0 ? input.volume[i] : 0;
    const t = input.times[i];
    while (s < sessions.length && (sessions[s] as Session).end < t) s++;
    if (t < burnInUs || s === sessions.length || t < (sessions[s] as Session).start) continue;
    samples++;
    const bid = input.bids[i];
    const ask = input.asks[i];
    if (isTwoSided(bid, ask)) spreads.push(ask - bid);
    else oneSided++;
    bidDepth.push(input.bidDepth[i]);
    askDepth.push(input.askDepth[i]);
  }
  const dailyVolume = sessions.length > 0 ? volume / sessions.length : 0;
  const bidMedian = quantile(bidDepth, 0.5);
  const askMedian = quantile(askDepth, 0.5);
  return {
    samples,
    spreadTicks: { median: stat(quantile(spreads, 0.5)), p95: stat(quantile(spreads, 0.95)) },
    oneSidedShare: samples > 0 ? oneSided / samples : null,
    depth: {
      bidMedian: stat(bidMedian),
      askMedian: stat(askMedian),
      bidShareOfDailyVolume: dailyVolume > 0 ? stat(bidMedian / dailyVolume) : null,
      askShareOfDailyVolume: dailyVolume > 0 ? stat(askMedian / dailyVolume) : null,
    },
    dailyVolume,
  };
}

/**
 * The p-quantile by linear interpolation between order statistics (Hyndman &
 * Fan 1996 type 7, R's and NumPy's default); NaN for no values. Sorts `xs` in place.
 */
export function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  xs.sort((a, b) => a - b);
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
}
