/**
 * Hurwitz zeta function ζ(s, q) = Σ_{k≥0} (q + k)^{−s}, s > 1, q > 0 — the
 * normalising constant of the discrete power law (Clauset, Shalizi & Newman
 * 2009, eq. 2.3).
 *
 * Evaluated by Euler–Maclaurin summation (DLMF 2.10.1; Johansson 2015,
 * "Rigorous high-precision computation of the Hurwitz zeta function",
 * Numer. Algorithms 69): the first N terms are summed directly so that
 * a = q + N ≥ 10, then
 *
 *   ζ(s, q) ≈ Σ_{k<N} (q+k)^{−s} + a^{1−s}/(s−1) + a^{−s}/2
 *             + Σ_{j=1..M} B_{2j}/(2j)! · s(s+1)…(s+2j−2) · a^{−s−2j+1},
 *
 * with M = 10 Bernoulli terms: relative error near machine precision for
 * 1 < s ≲ 30.
 *
 * @module
 */

/** B_{2j} / (2j)! for j = 1..10. */
const BERNOULLI_OVER_FACTORIAL: readonly number[] = [
  1 / 6 / 2,
  -1 / 30 / 24,
  1 / 42 / 720,
  -1 / 30 / 40320,
  5 / 66 / 3628800,
  -691 / 2730 / 479001600,
  7 / 6 / 87178291200,
  -3617 / 510 / 20922789888000,
  43867 / 798 / 6402373705728000,
  -174611 / 330 / 2432902008176640000,
];

/** ζ(s, q); NaN unless s > 1 and q > 0 (both finite). */
export function hurwitzZeta(s: number, q: number): number {
  if (!(s > 1) || !(q > 0) || !Number.isFinite(s) || !Number.isFinite(q)) return Number.NaN;
  const N = Math.max(0, Math.ceil(10 - q));
  let sum = 0;
  for (let k = 0; k < N; k++) sum += (q + k) ** -s;
  const a = q + N;
  sum += a ** (1 - s) / (s - 1) + a ** -s / 2;
  let t = s * a ** (-s - 1); // s(s+1)…(s+2j−2) · a^{−s−2j+1} for j = 1
  const invA2 = 1 / (a * a);
  for (let j = 1; j <= BERNOULLI_OVER_FACTORIAL.length; j++) {
    if (j > 1) t *= (s + 2 * j - 3) * (s + 2 * j - 2) * invA2;
    sum += BERNOULLI_OVER_FACTORIAL[j - 1] * t;
  }
  return sum;
}
