/**
 * Hill (1975) estimator of the tail index α of |x| ("A simple general
 * approach to inference about the tail of a distribution", Ann. Statist.
 * 3(5):1163–1174).
 *
 * With the order statistics of |x| sorted descending, x_(1) ≥ x_(2) ≥ … ≥ x_(n),
 * and k the number of upper order statistics used:
 *
 *   α̂ = k / Σ_{i=1..k} ln( x_(i) / x_(k+1) ),
 *
 * i.e. the threshold is the (k+1)-th largest value and the k largest values
 * are the exceedances. By default k = ⌊0.05·n⌋ ("the largest 5 %").
 * This exact variant (floor, threshold x_(k+1)) is the one that reproduces
 * the Hill (5 %) column of data/reference/README.md; ceil(0.05·n) or the
 * threshold x_(k) do not (DEM/GBP: 3.26 and 3.33 instead of 3.30).
 *
 * @module
 */

/** Options of {@link hillTailIndex}. */
export interface HillOptions {
  /** Fraction of the sample in the tail; k = ⌊fraction·n⌋. Default 0.05. */
  fraction?: number;
  /** Explicit k (overrides `fraction`). */
  k?: number;
}

/**
 * Number of upper order statistics for a tail fraction: ⌊fraction·n⌋.
 * A 1e-9 guard absorbs floating error so that e.g. 0.05·20 counts as 1.
 */
export function hillK(n: number, fraction = 0.05): number {
  return Math.floor(fraction * n + 1e-9);
}

/**
 * Hill tail index of |values| (see module docs for the exact estimator).
 * Non-finite values are ignored.
 *
 * @returns α̂ > 0, or NaN when k < 1, k ≥ n (no threshold x_(k+1)), the
 *   threshold is 0, or all k exceedances equal the threshold.
 */
export function hillTailIndex(values: ArrayLike<number>, options: HillOptions = {}): number {
  const a = sortedAbsAscending(values);
  const n = a.length;
  const k = options.k ?? hillK(n, options.fraction ?? 0.05);
  if (!(k >= 1) || k >= n || !Number.isInteger(k)) return Number.NaN;
  const threshold = a[n - k - 1]; // x_(k+1)
  if (!(threshold > 0)) return Number.NaN;
  const logThreshold = Math.log(threshold);
  let s = 0;
  for (let i = n - k; i < n; i++) s += Math.log(a[i]) - logThreshold;
  return s > 0 ? k / s : Number.NaN;
}

function sortedAbsAscending(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) out[m++] = Math.abs(v);
  }
  return out.subarray(0, m).sort();
}
