/**
 * Leverage cycles tested against a red-noise null.
 *
 * A threshold zig-zag (`leverage-cycles.ts`) finds turning points in any
 * series that wanders: counted alone, cycles say nothing about whether
 * leverage builds up and collapses or merely fluctuates. The null here is
 * the one climatologists use for "is this oscillation real?" (Gilman, Fuglister
 * & Mitchell 1963; Mann & Lees 1996): red noise, a Gaussian AR(1) fitted to
 * the series itself (log leverage, so the relative threshold is a fixed step),
 * with its persistence φ and innovation variance. Surrogates of the same
 * length are dated with the same rule; the observed count is compared with
 * theirs. A p-value near 1 means the cycles are what noise of that
 * persistence gives; a small one, more turning points of that amplitude than
 * red noise makes.
 *
 * Deterministic: the surrogates come from a fixed-seed generator, so the
 * same series gives the same figures.
 *
 * @module
 */

import { findTurningPoints, type TurningPointOptions } from './leverage-cycles.js';
import { quantile } from './microstructure.js';
import { positiveLevels, splitMixUniform, surrogateCount } from './surrogates.js';

/** Options of {@link cyclesAgainstRedNoise}: the dating rule, and the surrogates. */
export interface RedNoiseOptions extends TurningPointOptions {
  /** Number of surrogates. Default 99 (a p-value resolution of 1 %). */
  surrogates?: number;
  /** Seed of the surrogates' generator. Default 1. */
  seed?: number;
}

/** The observed cycle count beside the null's. */
export interface CycleNullTest {
  /** Complete peak-to-peak cycles in the series. */
  observed: number;
  /** Mean count over the surrogates (NaN when no AR(1) can be fitted). */
  nullMean: number;
  /** 95th percentile of the surrogates' counts. */
  null95: number;
  /** (1 + surrogates with at least the observed count) / (1 + surrogates): small when the series cycles more than red noise. */
  pValue: number;
}

/** Persistence is capped just below a unit root, where an AR(1) has no stationary variance. */
const MAX_PHI = 0.999;

/** Cycle count of a series against red-noise surrogates fitted to it. Non-finite and non-positive values are left out. */
export function cyclesAgainstRedNoise(values: ArrayLike<number>, options: RedNoiseOptions = {}): CycleNullTest {
  const levels = positiveLevels(values);
  const observed = countCycles(levels, options);
  const logs = levels.map(Math.log);
  const fit = fitAr1(logs);
  if (fit === null) return { observed, nullMean: Number.NaN, null95: Number.NaN, pValue: Number.NaN };
  const n = surrogateCount(options.surrogates);
  const normal = gaussian(options.seed ?? 1);
  const counts: number[] = [];
  const y = new Array<number>(logs.length);
  const stationarySd = fit.sigma / Math.sqrt(1 - fit.phi * fit.phi);
  let atLeast = 0;
  for (let s = 0; s < n; s++) {
    let d = stationarySd * normal();
    for (let t = 0; t < y.length; t++) {
      if (t > 0) d = fit.phi * d + fit.sigma * normal();
      y[t] = Math.exp(fit.mean + d);
    }
    const c = countCycles(y, options);
    counts.push(c);
    if (c >= observed) atLeast++;
  }
  return {
    observed,
    nullMean: counts.reduce((a, b) => a + b, 0) / n,
    null95: quantile(counts, 0.95),
    pValue: (1 + atLeast) / (1 + n),
  };
}

/** Complete peak-to-peak cycles of a series of levels, dated with the caller's rule. */
function countCycles(levels: readonly number[], options: TurningPointOptions): number {
  const peaks = findTurningPoints(levels, options).filter((p) => p.kind === 'peak').length;
  return Math.max(0, peaks - 1);
}

/** Least-squares AR(1) of `x` about its mean; null with fewer than 3 values or no variation. */
export function fitAr1(x: readonly number[]): { mean: number; phi: number; sigma: number } | null {
  const n = x.length;
  if (n < 3) return null;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let sxx = 0;
  let sxy = 0;
  for (let t = 1; t < n; t++) {
    const a = (x[t - 1] as number) - mean;
    sxx += a * a;
    sxy += a * ((x[t] as number) - mean);
  }
  if (!(sxx > 0)) return null;
  const phi = Math.max(-MAX_PHI, Math.min(MAX_PHI, sxy / sxx));
  let sse = 0;
  for (let t = 1; t < n; t++) {
    const e = (x[t] as number) - mean - phi * ((x[t - 1] as number) - mean);
    sse += e * e;
  }
  const sigma = Math.sqrt(sse / (n - 2));
  return sigma > 0 ? { mean, phi, sigma } : null;
}

/** Standard normal draws (Box–Muller) from a SplitMix32 stream: small, fast and fixed by its seed. */
function gaussian(seed: number): () => number {
  const uniform = splitMixUniform(seed);
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
