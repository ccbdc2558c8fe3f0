/**
 * The mid on a fixed grid of simulated time, and its log returns, as
 * /work/shared/FACTS.md ("Prices and returns") defines them:
 * - the sample at grid point b is the last mid observed at or before b;
 * - a sample whose observation has no valid mid (an empty side: NaN, 0)
 *   carries the previous valid mid and is counted as one-sided;
 * - returns r = ln(m_b / m_{b−Δ}) never cross a session boundary: each
 *   session has its own grid, aligned on its open;
 * - a burn-in at the start of the first session is dropped (its last grid
 *   point is the base of the first return).
 *
 * The carry-forward itself is `sampleAtInterval` (returns.ts); this file adds
 * sessions, the burn-in and the one-sided count.
 *
 * @module
 */

import { isValidPrice, logReturns, sampleAtInterval } from './returns.js';

/** A trading session [startUs, endUs] in the units of the series' times. */
export interface Session {
  readonly start: number;
  readonly end: number;
}

/** Options of {@link sessionReturns}. */
export interface GridOptions {
  /** Sessions in time order; default one session spanning the observations. */
  sessions?: readonly Session[];
  /** Length dropped from the start of the first session. Default 0. */
  burnIn?: number;
}

/** Grid returns, one array per session (windows over them must not cross sessions). */
export interface SessionReturns {
  /** Log returns per session, in time order. */
  readonly bySession: number[][];
  /** Grid samples taken (after the burn-in). */
  readonly samples: number;
  /** Of those, samples whose latest observation had no valid mid (carried). */
  readonly oneSided: number;
}

/** The default single session: from the first to the last observation. */
export function wholeRun(times: ArrayLike<number>): Session[] {
  return times.length === 0 ? [] : [{ start: times[0], end: times[times.length - 1] }];
}

/**
 * Log returns of the mid sampled every `interval` within each session.
 *
 * @param times - observation times, non-decreasing.
 * @param mids - mid at each observation; non-positive or NaN means no mid.
 */
export function sessionReturns(times: ArrayLike<number>, mids: ArrayLike<number>, interval: number, options: GridOptions = {}): SessionReturns {
  const sessions = options.sessions ?? wholeRun(times);
  const burnIn = options.burnIn ?? 0;
  const bySession: number[][] = [];
  let samples = 0;
  let oneSided = 0;
  sessions.forEach((s, i) => {
    // Grid aligned on the open; the first session's points before the burn-in's end are dropped.
    const skip = i === 0 ? Math.ceil(burnIn / interval) : 0;
    const start = s.start + skip * interval;
    if (start > s.end) {
      bySession.push([]);
      return;
    }
    const grid = sampleAtInterval(times, mids, interval, { start, end: s.end });
    samples += grid.times.length;
    oneSided += countCarried(times, mids, grid.times);
    bySession.push(logReturns(grid.values));
  });
  return { bySession, samples, oneSided };
}

/** Grid points whose latest observation (at or before them) had no valid mid. */
function countCarried(times: ArrayLike<number>, mids: ArrayLike<number>, grid: readonly number[]): number {
  let count = 0;
  let i = 0;
  for (const b of grid) {
    while (i < times.length && times[i] <= b) i++;
    if (i > 0 && !isValidPrice(mids[i - 1])) count++;
  }
  return count;
}

/**
 * Close-to-close log returns across sessions (FACTS.md: the 1-day scale
 * includes the overnight move). A session's close is its last valid mid at or
 * before its end; sessions without one are skipped.
 */
export function closeToCloseReturns(times: ArrayLike<number>, mids: ArrayLike<number>, sessions: readonly Session[]): number[] {
  const closes: number[] = [];
  let i = 0;
  for (const s of sessions) {
    let close = Number.NaN;
    while (i < times.length && times[i] <= s.end) {
      if (times[i] >= s.start && isValidPrice(mids[i])) close = mids[i];
      i++;
    }
    if (isValidPrice(close)) closes.push(close);
  }
  return logReturns(closes);
}

/** All returns of {@link SessionReturns} in one array, in time order. */
export function concatSessions(r: SessionReturns): number[] {
  const out: number[] = [];
  for (const s of r.bySession) for (const x of s) out.push(x);
  return out;
}
