/**
 * Sample moments. Inputs are assumed finite; a NaN propagates to the result.
 * Degenerate inputs (too short, zero variance) give NaN, never a throw.
 *
 * Estimators (Joanes & Gill 1998, "Comparing measures of sample skewness and
 * kurtosis", The Statistician 47(1)):
 * - variance: the unbiased sample variance s² = Σ(x − x̄)² / (n − 1);
 * - skewness: g1 = m3 / m2^{3/2};
 * - excess kurtosis: g2 = m4 / m2² − 3;
 * with the central moments m_k = (1/n) Σ (x − x̄)^k. These are the estimators
 * that reproduce the stylized-facts table of data/reference/README.md (the
 * bias-adjusted G1/G2 or s-normalised b1/b2 variants do not).
 *
 * @module
 */

/** Arithmetic mean x̄ = (1/n) Σ x_i; NaN for an empty input. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/**
 * Central moment m_k = (1/n) Σ (x_i − x̄)^k (two-pass, population
 * normalisation); NaN for an empty input.
 */
export function centralMoment(x: ArrayLike<number>, order: number): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) ** order;
  return s / n;
}

/** Unbiased sample variance s² = Σ (x_i − x̄)² / (n − 1); NaN when n < 2. */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  return (centralMoment(x, 2) * n) / (n - 1);
}

/** Sample standard deviation s = √(s²) with the n − 1 denominator; NaN when n < 2. */
export function std(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** m2, m3, m4 in one pass over the deviations. */
function moments234(x: ArrayLike<number>): { m2: number; m3: number; m4: number } {
  const n = x.length;
  const m = mean(x);
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  return { m2: s2 / n, m3: s3 / n, m4: s4 / n };
}

/** Sample skewness g1 = m3 / m2^{3/2}; NaN when n < 2 or m2 = 0. */
export function skewness(x: ArrayLike<number>): number {
  if (x.length < 2) return Number.NaN;
  const { m2, m3 } = moments234(x);
  return m2 > 0 ? m3 / m2 ** 1.5 : Number.NaN;
}

/** Sample excess kurtosis g2 = m4 / m2² − 3 (0 for a Gaussian); NaN when n < 2 or m2 = 0. */
export function excessKurtosis(x: ArrayLike<number>): number {
  if (x.length < 2) return Number.NaN;
  const { m2, m4 } = moments234(x);
  return m2 > 0 ? m4 / (m2 * m2) - 3 : Number.NaN;
}
