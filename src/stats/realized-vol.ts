/**
 * Realised volatility of a return series (Andersen, Bollerslev, Diebold &
 * Labys 2003, "Modeling and forecasting realized volatility", Econometrica
 * 71(2)).
 *
 * Three conventions, named by {@link RealizedVolMethod}:
 * - `'rss'`: root sum of squares √(Σ r²) — the volatility accumulated over the
 *   whole window (grows with the window length);
 * - `'rms'`: root mean square √(Σ r² / w) — per-period, zero-mean;
 * - `'sd'`: the sample standard deviation (n − 1 denominator) — per-period,
 *   demeaned. This is the default: independent of the window length and
 *   directly annualisable with {@link annualizeVolatility}.
 *
 * @module
 */

/** How a window of returns becomes one volatility number. */
export type RealizedVolMethod = 'sd' | 'rms' | 'rss';

/** Options of {@link rollingRealizedVol}. */
export interface RollingVolOptions {
  /** Volatility convention. Default `'sd'`. */
  method?: RealizedVolMethod;
}

/**
 * Volatility of a whole return array by `method` (default `'rss'`, the
 * classic realised volatility of the span). NaN when empty ('sd': n < 2) or
 * when any return is non-finite.
 */
export function realizedVolatility(returns: ArrayLike<number>, method: RealizedVolMethod = 'rss'): number {
  return windowVolatility(returns, 0, returns.length, method);
}

/**
 * Rolling realised volatility over a trailing window of `window` returns.
 *
 * `out[i]` uses returns i − window + 1 .. i, so it is aligned with the end of
 * its window; `out[i]` is NaN for i < window − 1 and for any window that
 * contains a non-finite return. Output length equals the input length.
 * Each window is computed exactly (two-pass), O(n·window): running sums would
 * be O(n) but cancel catastrophically when a large return leaves a quiet window.
 */
export function rollingRealizedVol(
  returns: ArrayLike<number>,
  window: number,
  options: RollingVolOptions = {},
): number[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const method = options.method ?? 'sd';
  const out = new Array<number>(returns.length).fill(Number.NaN);
  for (let i = window - 1; i < returns.length; i++) out[i] = windowVolatility(returns, i - window + 1, i + 1, method);
  return out;
}

/**
 * Annualise a per-period volatility: σ_year = σ_period · √(periodsPerYear).
 * For a sampling interval Δ (in µs) and a year of Y µs, periodsPerYear = Y / Δ.
 * For an `'rss'` value accumulated over w periods, pass periodsPerYear / w.
 */
export function annualizeVolatility(vol: number, periodsPerYear: number): number {
  return vol * Math.sqrt(periodsPerYear);
}

/** Volatility of r[from..to) by `method`; NaN if the window holds a non-finite value. */
function windowVolatility(r: ArrayLike<number>, from: number, to: number, method: RealizedVolMethod): number {
  const w = to - from;
  let sum = 0;
  let sumSq = 0;
  for (let j = from; j < to; j++) {
    sum += r[j];
    sumSq += r[j] * r[j];
  }
  if (!Number.isFinite(sum) || !Number.isFinite(sumSq) || w === 0) return Number.NaN;
  switch (method) {
    case 'rss':
      return Math.sqrt(sumSq);
    case 'rms':
      return Math.sqrt(sumSq / w);
    case 'sd': {
      if (w < 2) return Number.NaN;
      const m = sum / w;
      let ss = 0;
      for (let j = from; j < to; j++) ss += (r[j] - m) ** 2;
      return Math.sqrt(ss / (w - 1));
    }
  }
}
