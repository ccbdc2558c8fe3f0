/**
 * The stylized facts of a run, as /work/shared/FACTS.md defines them
 * (summary.json → `facts`): per interval (1 min, 5 min, 30 min within
 * sessions; 1 day close-to-close when there are ≥ 60 sessions) the facts of
 * interval-facts.ts, the variance ratio VR(15) on 1-min returns, and the ratio
 * of mid to fundamental volatility at 5 min, all after a burn-in.
 *
 * Times are µs, as in the run's tables. The input series is already sampled
 * (timeseries.csv, every `samplingUs`), so an interval finer than that, or not
 * a whole multiple of it, cannot be measured: it is reported missing with the
 * reason rather than silently resampled to another interval.
 *
 * @module
 */

import { intervalFacts, MIN_RETURNS, stat, type IntervalFacts, type Stat } from './interval-facts.js';
import { centralMoment } from './moments.js';
import type { ImpactPoint } from './impact.js';
import { isTwoSided, microstructureFacts, type MicrostructureFacts } from './microstructure.js';
import { closeToCloseReturns, concatSessions, sessionReturns, wholeRun, type Session, type SessionReturns } from './mid-grid.js';
import { varianceRatio, varianceRatioWindows } from './variance-ratio.js';

const MINUTE_US = 60_000_000;

/** FACTS.md: the first 30 minutes of the first session are dropped by default. */
export const DEFAULT_BURN_IN_US = 30 * MINUTE_US;

/** FACTS.md: VR(q) with 1-min base returns and q = 15 unless stated. */
export const DEFAULT_VR_Q = 15;

/** FACTS.md: the 1-day scale is measured only with at least this many sessions. */
export const MIN_SESSIONS_FOR_DAILY = 60;

/** The intraday intervals of FACTS.md, by label. */
export const INTRADAY_INTERVALS_US: Readonly<Record<string, number>> = { '1m': MINUTE_US, '5m': 5 * MINUTE_US, '30m': 30 * MINUTE_US };

/** One interval's facts, or why it is missing. */
export interface IntervalEntry extends IntervalFacts {
  /** The interval, µs (0 for the close-to-close daily scale). */
  intervalUs: number;
  /** Why the statistics are null, or null when they were computed. */
  missing: string | null;
  /** Grid samples after the burn-in. */
  samples: number;
  /** Of those, samples without a two-sided mid (the previous mid carried). */
  oneSided: number;
}

/** summary.json → `facts`. */
export interface RunFacts {
  /** Dropped from the start of the first session, µs. */
  burnInUs: number;
  /** The timeseries' sampling interval, µs. */
  samplingUs: number;
  sessions: number;
  /** Keyed '1m', '5m', '30m', '1d'. */
  intervals: Record<string, IntervalEntry>;
  /** VR(q) on 1-min returns within sessions. */
  varianceRatio: { q: number; value: Stat; windows: number; missing: string | null };
  /** sd(mid returns) / sd(fundamental returns) at 5 min. */
  volRatio5m: Stat;
  /** Spread, one-sided share and depth (microstructure.ts); null without top-of-book columns. */
  microstructure: MicrostructureFacts | null;
  /** The impact curve (impact.ts) when an impact probe ran on this instrument, else null. */
  impact: ImpactPoint[] | null;
}

/** Inputs of {@link runFacts}: one instrument's sampled series. */
export interface FactsInput {
  times: ArrayLike<number>;
  mids: ArrayLike<number>;
  fundamentals: ArrayLike<number>;
  samplingUs: number;
  /**
   * The sampled top of book and volume; when given, a sample with an empty
   * side has no mid for the return facts (FACTS.md: it carries the previous
   * mid and counts as one-sided), and the microstructure facts are computed.
   */
  book?: { bids: ArrayLike<number>; asks: ArrayLike<number>; bidDepth: ArrayLike<number>; askDepth: ArrayLike<number>; volume: ArrayLike<number> };
}

/** Options of {@link runFacts}. */
export interface FactsOptions {
  /** Default one session over the observations. */
  sessions?: readonly Session[];
  burnInUs?: number;
  varianceRatioQ?: number;
}

/** The facts of one instrument's sampled mid (see module docs). */
export function runFacts(raw: FactsInput, options: FactsOptions = {}): RunFacts {
  const input = raw.book === undefined ? raw : { ...raw, mids: twoSidedMids(raw.mids, raw.book.bids, raw.book.asks) };
  const sessions = options.sessions ?? wholeRun(input.times);
  const burnIn = options.burnInUs ?? DEFAULT_BURN_IN_US;
  const q = options.varianceRatioQ ?? DEFAULT_VR_Q;
  const grid = { sessions, burnIn };
  const intervals: Record<string, IntervalEntry> = {};
  const returnsAt: Record<string, SessionReturns> = {};
  for (const [label, us] of Object.entries(INTRADAY_INTERVALS_US)) {
    const why = unmeasurable(us, input.samplingUs);
    if (why !== null) {
      intervals[label] = missingEntry(us, why);
      continue;
    }
    const r = sessionReturns(input.times, input.mids, us, grid);
    returnsAt[label] = r;
    intervals[label] = entry(us, concatSessions(r), r.samples, r.oneSided);
  }
  intervals['1d'] = dailyEntry(input, sessions);
  return {
    burnInUs: burnIn,
    samplingUs: input.samplingUs,
    sessions: sessions.length,
    intervals,
    varianceRatio: vrEntry(returnsAt['1m'], intervals['1m'] as IntervalEntry, q),
    volRatio5m: volRatio(input, returnsAt['5m'], grid),
    microstructure: raw.book === undefined ? null : microstructureFacts({ times: raw.times, ...raw.book }, (sessions[0]?.start ?? 0) + burnIn, sessions),
    impact: null,
  };
}

/** The mid where both sides are quoted, NaN elsewhere (a mark that fell back to the last trade is not a mid). */
function twoSidedMids(mids: ArrayLike<number>, bids: ArrayLike<number>, asks: ArrayLike<number>): number[] {
  const out = new Array<number>(mids.length);
  for (let i = 0; i < mids.length; i++) out[i] = isTwoSided(bids[i], asks[i]) ? mids[i] : Number.NaN;
  return out;
}

/** Why an interval cannot be measured on a series sampled every `samplingUs`, or null. */
export function unmeasurable(intervalUs: number, samplingUs: number): string | null {
  if (intervalUs < samplingUs) return `finer than the sampling interval (${seconds(samplingUs)})`;
  if (intervalUs % samplingUs !== 0) return `not a multiple of the sampling interval (${seconds(samplingUs)})`;
  return null;
}

function seconds(us: number): string {
  return `${us / 1_000_000} s`;
}

function missingEntry(intervalUs: number, why: string): IntervalEntry {
  return { intervalUs, missing: why, samples: 0, oneSided: 0, ...intervalFacts([]) };
}

function entry(intervalUs: number, returns: number[], samples: number, oneSided: number): IntervalEntry {
  const missing = returns.length < MIN_RETURNS ? `fewer than ${MIN_RETURNS} returns (${returns.length})` : null;
  return { intervalUs, missing, samples, oneSided, ...intervalFacts(returns) };
}

/** FACTS.md: the 1-day scale is close-to-close (overnight included), with ≥ 60 sessions. */
function dailyEntry(input: FactsInput, sessions: readonly Session[]): IntervalEntry {
  if (sessions.length < MIN_SESSIONS_FOR_DAILY) return missingEntry(0, `fewer than ${MIN_SESSIONS_FOR_DAILY} sessions (${sessions.length})`);
  const r = closeToCloseReturns(input.times, input.mids, sessions);
  return entry(0, r, r.length + 1, 0);
}

function vrEntry(base: SessionReturns | undefined, oneMinute: IntervalEntry, q: number): RunFacts['varianceRatio'] {
  if (base === undefined || oneMinute.missing !== null) return { q, value: null, windows: 0, missing: `1-min returns: ${oneMinute.missing ?? 'none'}` };
  const windows = varianceRatioWindows(base.bySession, q);
  if (windows < MIN_RETURNS) return { q, value: null, windows, missing: `fewer than ${MIN_RETURNS} ${q}-period windows (${windows})` };
  return { q, value: stat(varianceRatio(base.bySession, q)), windows, missing: null };
}

/** sd(mid) / sd(fundamental) of 5-min log returns on the same grid; null under 100 returns. */
function volRatio(input: FactsInput, mid: SessionReturns | undefined, grid: { sessions: readonly Session[]; burnIn: number }): Stat {
  if (mid === undefined) return null;
  const m = concatSessions(mid);
  const f = concatSessions(sessionReturns(input.times, input.fundamentals, INTRADAY_INTERVALS_US['5m'] as number, grid));
  if (m.length < MIN_RETURNS || f.length < MIN_RETURNS) return null;
  return stat(Math.sqrt(centralMoment(m, 2)) / Math.sqrt(centralMoment(f, 2)));
}
