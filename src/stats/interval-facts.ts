/**
 * The stylized facts of one sampling interval, with FACTS.md's conventions
 * ("Statistics, per interval"):
 * - sd, skewness, excess kurtosis as population moment estimators
 *   (m2^{1/2}, m3/m2^{3/2}, m4/m2² − 3; Joanes & Gill 1998, see moments.ts);
 * - Hill tail index on the largest k = ⌈0.05·n⌉ of |r| (Hill 1975), missing
 *   when k < 10;
 * - ACF of r at lag 1 and of |r| at lags 1, 5, 10, 20, 50, 100 (R's `acf`:
 *   full-sample mean, divisor n at every lag; see acf.ts);
 * - fewer than {@link MIN_RETURNS} returns: every statistic missing (null),
 *   not computed — small samples give numbers that look like findings.
 *
 * Missing is `null` (not NaN) so that summary.json says so explicitly.
 *
 * @module
 */

import { acf, acfAbs } from './acf.js';
import { hillTailIndex } from './hill.js';
import { centralMoment, excessKurtosis, skewness } from './moments.js';

/** FACTS.md: a statistic from fewer returns than this is missing. */
export const MIN_RETURNS = 100;

/** FACTS.md: the Hill estimate needs at least this many tail observations. */
export const MIN_HILL_K = 10;

/** The |r| ACF lags FACTS.md reports. */
export const ABS_ACF_LAGS = [1, 5, 10, 20, 50, 100] as const;

/** A statistic, or null when missing. */
export type Stat = number | null;

/** The facts of one interval's returns. */
export interface IntervalFacts {
  /** Returns used. */
  n: number;
  /** Population standard deviation √m2. */
  sd: Stat;
  skew: Stat;
  excessKurtosis: Stat;
  /** Hill α̂ with k = ⌈0.05·n⌉. */
  hill: Stat;
  /** ACF of r at lag 1. */
  acf1: Stat;
  /** ACF of |r| keyed by lag ('1', '5', …, '100'). */
  absAcf: Record<string, Stat>;
}

/** k = ⌈0.05·n⌉ of FACTS.md (the 1e-9 guard keeps 0.05·200 at 10). */
export function factsHillK(n: number): number {
  return Math.ceil(0.05 * n - 1e-9);
}

/** NaN (undefined estimate) becomes null (missing). */
export function stat(x: number): Stat {
  return Number.isFinite(x) ? x : null;
}

/** The facts of `returns` (assumed finite), with the <100-returns rule. */
export function intervalFacts(returns: ArrayLike<number>): IntervalFacts {
  const n = returns.length;
  const absAcf: Record<string, Stat> = {};
  if (n < MIN_RETURNS) {
    for (const lag of ABS_ACF_LAGS) absAcf[String(lag)] = null;
    return { n, sd: null, skew: null, excessKurtosis: null, hill: null, acf1: null, absAcf };
  }
  const k = factsHillK(n);
  const abs = acfAbs(returns, ABS_ACF_LAGS[ABS_ACF_LAGS.length - 1]);
  for (const lag of ABS_ACF_LAGS) absAcf[String(lag)] = stat(abs[lag]);
  return {
    n,
    sd: stat(Math.sqrt(centralMoment(returns, 2))),
    skew: stat(skewness(returns)),
    excessKurtosis: stat(excessKurtosis(returns)),
    hill: k < MIN_HILL_K ? null : stat(hillTailIndex(returns, { k })),
    acf1: stat(acf(returns, 1)[1]),
    absAcf,
  };
}
