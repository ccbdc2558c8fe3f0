/**
 * The price-impact curve of FACTS.md ("Microstructure"): market orders of
 * known sizes sent at random times by a probe that trades nothing else;
 * impact = side · ln(mid 1 s after / mid just before), averaged per size, and
 * the share of probes that emptied the side they hit. Random timing makes the
 * average the unconditional response to an exogenous order (the experimental
 * design of Tóth et al. 2011 and Bouchaud et al. 2009's R(ℓ) measured from
 * outside rather than from the market's own, endogenous, order flow).
 *
 * @module
 */

import { stat, type Stat } from './interval-facts.js';

/** One probe, as the probe agent records it (probes.ts: one row per market order sent). */
export interface ProbeTable {
  readonly timeUs: ArrayLike<number>;
  /** +1 buy, −1 sell. */
  readonly side: ArrayLike<number>;
  /** Order size, lots. */
  readonly qty: ArrayLike<number>;
  /** Mid just before the order, ticks (NaN when a side was empty). */
  readonly midBefore: ArrayLike<number>;
  /** Mid right after the order executed, before anyone could respond, ticks (NaN when a side was empty). */
  readonly midJustAfter: ArrayLike<number>;
  /** Mid 1 s after, ticks (NaN when a side was empty). */
  readonly midAfter: ArrayLike<number>;
  /** 1 when the side the order hit was empty right after it, else 0. */
  readonly emptied: ArrayLike<number>;
}

/** One size's point of the curve. */
export interface ImpactPoint {
  /** Order size, lots. */
  qty: number;
  /** Probes of this size. */
  probes: number;
  /** Of those, probes with a two-sided mid both before and after (the impact's sample). */
  measured: number;
  /** Mean signed log impact over the measured probes; null when none was measured. */
  meanImpact: Stat;
  /** Standard error of that mean, sd/√measured; null with fewer than two measured probes. */
  standardError: Stat;
  /**
   * Mean signed log impact right after the order, over the probes with a
   * two-sided mid then: the book's static response (Weber & Rosenow 2005's
   * "virtual" impact), before the liquidity that refills it within the 1 s.
   */
  meanImmediateImpact: Stat;
  /** Share of the probes whose order emptied the side it hit. */
  emptiedShare: number;
}

/** The signed log impact of one probe; NaN when either mid is missing. */
export function probeImpact(side: number, midBefore: number, midAfter: number): number {
  return midBefore > 0 && midAfter > 0 ? side * Math.log(midAfter / midBefore) : Number.NaN;
}

/** The impact curve, one point per distinct size, by increasing size. */
export function impactCurve(t: ProbeTable): ImpactPoint[] {
  const bySize = new Map<number, { probes: number; measured: number; sum: number; sumSq: number; emptied: number; immediate: number; immediateSum: number }>();
  for (let i = 0; i < t.qty.length; i++) {
    let acc = bySize.get(t.qty[i]);
    if (acc === undefined) {
      acc = { probes: 0, measured: 0, sum: 0, sumSq: 0, emptied: 0, immediate: 0, immediateSum: 0 };
      bySize.set(t.qty[i], acc);
    }
    acc.probes++;
    if (t.emptied[i] === 1) acc.emptied++;
    const impact = probeImpact(t.side[i], t.midBefore[i], t.midAfter[i]);
    if (impact === impact) {
      acc.measured++;
      acc.sum += impact;
      acc.sumSq += impact * impact;
    }
    const immediate = probeImpact(t.side[i], t.midBefore[i], t.midJustAfter[i]);
    if (immediate === immediate) {
      acc.immediate++;
      acc.immediateSum += immediate;
    }
  }
  return [...bySize.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([qty, a]) => ({ qty, probes: a.probes, measured: a.measured, meanImpact: a.measured > 0 ? stat(a.sum / a.measured) : null, standardError: standardError(a.measured, a.sum, a.sumSq), meanImmediateImpact: a.immediate > 0 ? stat(a.immediateSum / a.immediate) : null, emptiedShare: a.emptied / a.probes }));
}

/** sd/√n of a mean from its sums (sample variance, n − 1); null below two observations. */
function standardError(n: number, sum: number, sumSq: number): Stat {
  if (n < 2) return null;
  const mean = sum / n;
  const variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
  return stat(Math.sqrt(variance / n));
}
