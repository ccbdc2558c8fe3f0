import type { Micros } from '../engine/time.js';
import { NO_PRICE, midOf, type MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';
import type { ProbeTable } from '../stats/impact.js';

/** Options of an {@link ImpactProbe}. */
export interface ImpactProbeOptions extends TradingAgentOptions {
  /** Order sizes, lots. Required, non-empty. */
  sizes: readonly number[];
  /**
   * Each probe draws size Q with probability ∝ Q^−a (a ≥ 0; 0: uniform).
   * Small probes' impact is small beside the mid's own 1-s noise, so an
   * equal-precision design sends them more often; a = 1/2 keeps the volume
   * the probes trade spread evenly over the sizes' decades. Default 0.
   */
  sizeWeightExponent?: number;
  /** Mean time between probes, µs (Poisson). Default 60 000 000 (1 min). */
  meanInterArrivalUs?: Micros;
  /** How long after the order the mid is read again, µs. Default 1 000 000 (FACTS.md: 1 s). */
  horizonUs?: Micros;
  /** No probe before this time, µs. Default 0. */
  startUs?: Micros;
  /** No probe after this time, µs. Default +∞. */
  endUs?: Micros;
}

/** The probe's record, one row per market order sent: stats/impact.ts's `ProbeTable`, growable. */
export type ProbeRecord = { readonly [K in keyof ProbeTable]: number[] };

/** Where a probe stands: idle, or waiting for one of its three snapshots or for the read 1 s later. */
const IDLE = 0;
const BEFORE = 1;
const JUST_AFTER = 2;
const WAITING = 3;
const AFTER = 4;

/** Wake-up tags. */
const ARRIVAL = 0;
const READ_AFTER = 1;

/**
 * A measuring agent for the impact curve of FACTS.md ("Microstructure"):
 * at Poisson times it reads the book (`QueryMarket`), sends one market order
 * of a size drawn from `sizes` — buys and sells alternating, so its
 * inventory stays near flat — queries the book again at once (the exchange
 * answers after executing the order: messages from one sender arrive in
 * order; under a latency model with jitter the two may swap, and the
 * emptied flag then describes the book before the order) to see whether the
 * hit side was emptied, and reads the mid
 * `horizonUs` later. It trades nothing else. Random timing makes it an
 * exogenous order, the design of Tóth et al. (2011)'s impact experiments.
 *
 * A probe is skipped when the book has no two-sided mid before it (no
 * impact to measure), or on a spot venue when it holds too few lots to sell
 * (it then buys). Arrivals while a probe is under way are skipped too.
 *
 * Messages sent: `QueryMarket` (depth 0), `PlaceOrder` (market).
 */
export class ImpactProbe extends TradingAgent {
  readonly sizes: readonly number[];
  /** Cumulative draw probabilities of `sizes`, the last one 1. */
  private readonly sizeCdf: readonly number[];
  readonly meanInterArrivalUs: Micros;
  readonly horizonUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly record: ProbeRecord = { timeUs: [], side: [], qty: [], midBefore: [], midJustAfter: [], midAfter: [], emptied: [] };
  private state = IDLE;
  private nextSide: Side = 'buy';

  constructor(name: string, options: ImpactProbeOptions) {
    super(name, options, 0);
    if (options.sizes.length === 0) throw new RangeError('sizes: at least one size');
    options.sizes.forEach((q, i) => requireInt(`sizes[${i}]`, q, 1));
    this.sizes = [...options.sizes];
    this.sizeCdf = cumulativeWeights(this.sizes, requireAtLeast('sizeWeightExponent', options.sizeWeightExponent ?? 0, 0));
    this.meanInterArrivalUs = requireAtLeast('meanInterArrivalUs', options.meanInterArrivalUs ?? 60_000_000, 1);
    this.horizonUs = requireInt('horizonUs', options.horizonUs ?? 1_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? 0, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
  }

  override onStart(now: Micros): void {
    this.scheduleArrival(Math.max(now, this.startUs));
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag === READ_AFTER) {
      this.state = AFTER;
      this.queryMarket();
      return;
    }
    if (this.state === IDLE) {
      this.state = BEFORE;
      this.queryMarket();
    }
    this.scheduleArrival(now);
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const r = this.record;
    const last = r.timeUs.length - 1;
    if (this.state === BEFORE) {
      this.send1(now, s);
    } else if (this.state === JUST_AFTER) {
      const hitEmpty = r.side[last] === 1 ? s.askPrice === NO_PRICE : s.bidPrice === NO_PRICE;
      r.emptied[last] = hitEmpty ? 1 : 0;
      r.midJustAfter[last] = midOf(s);
      this.state = WAITING;
    } else if (this.state === AFTER) {
      r.midAfter[last] = midOf(s);
      this.state = IDLE;
    }
  }

  /** Draws the size, sends the order and the query behind it, and records the row. */
  private send1(now: Micros, s: MarketSnapshot): void {
    const mid = midOf(s);
    if (mid !== mid) {
      this.state = IDLE;
      return;
    }
    const qty = this.drawSize();
    let side = this.nextSide;
    if (side === 'sell' && this.sellable() < qty) side = 'buy';
    this.nextSide = side === 'buy' ? 'sell' : 'buy';
    this.placeMarket(side, qty, Math.round(mid));
    // The book the order leaves behind: the query travels behind the order.
    this.queryMarketBehindOrders();
    const r = this.record;
    r.timeUs.push(now);
    r.side.push(side === 'buy' ? 1 : -1);
    r.qty.push(qty);
    r.midBefore.push(mid);
    r.midJustAfter.push(Number.NaN);
    r.midAfter.push(Number.NaN);
    r.emptied.push(0);
    this.state = JUST_AFTER;
    this.wakeAt(now + this.horizonUs, READ_AFTER);
  }

  private drawSize(): number {
    const cdf = this.sizeCdf;
    if (cdf.length === 1) return this.sizes[0] as number;
    const u = this.rng.uniform();
    let k = 0;
    while (k < cdf.length - 1 && u >= (cdf[k] as number)) k++;
    return this.sizes[k] as number;
  }

  private scheduleArrival(from: Micros): void {
    const t = from + this.exponentialDelay(this.meanInterArrivalUs);
    if (t <= this.endUs) this.wakeAt(t, ARRIVAL);
  }
}

/** Cumulative probabilities ∝ size^−a. */
function cumulativeWeights(sizes: readonly number[], a: number): number[] {
  const w = sizes.map((q) => q ** -a);
  const total = w.reduce((x, y) => x + y, 0);
  let acc = 0;
  const cdf = w.map((x) => (acc += x / total));
  cdf[cdf.length - 1] = 1;
  return cdf;
}
