/**
 * Child-order sizes of the execution schedules, in whole lots. Every schedule
 * is expressed as the cumulative lots due after slice k (k = 0 … N − 1), a
 * non-decreasing integer sequence ending at exactly the parent quantity, so
 * the slices (its differences) are non-negative integers that sum to the
 * parent. Computed per slice in O(1): no arrays, nothing allocated.
 */

/**
 * TWAP: lots due after slice `k` of `slices` for a parent of `total` lots,
 * (k + 1)·total / slices rounded to the nearest lot (halves up), in exact
 * integer arithmetic. Slices differ by at most one lot and the remainder is
 * spread deterministically (the Bresenham split); requires
 * 2 · total · slices < 2⁵³ (checked by the validation).
 */
export function twapDue(total: number, slices: number, k: number): number {
  if (k >= slices - 1) return total;
  return Math.floor((2 * (k + 1) * total + slices) / (2 * slices));
}

/**
 * sinh(a)/sinh(b) for 0 ≤ a ≤ b, without overflow for large arguments:
 * e^{a−b}·(1 − e^{−2a})/(1 − e^{−2b}).
 */
function sinhRatio(a: number, b: number): number {
  if (b < 20) return Math.sinh(a) / Math.sinh(b);
  return (Math.exp(a - b) * -Math.expm1(-2 * a)) / -Math.expm1(-2 * b);
}

/**
 * Below this κT the Almgren–Chriss trajectory is the straight line (TWAP)
 * to double precision: sinh(κs)/sinh(κT) = s/T · (1 + O((κT)²)).
 */
const LINEAR_KAPPA_T = 1e-8;

/**
 * Almgren & Chriss, "Optimal execution of portfolio transactions",
 * J. Risk 3(2), 2000, eq. (18): the holdings of the mean-variance optimal
 * liquidation are x_j = X·sinh(κ(T − t_j))/sinh(κT), t_j = jτ, T = Nτ.
 * Returns the real-valued holdings after `j` of `slices` slices given
 * κτ (`kappaTau`, dimensionless).
 */
export function almgrenChrissHoldings(total: number, slices: number, kappaTau: number, j: number): number {
  if (j >= slices) return 0;
  const kT = kappaTau * slices;
  if (kT < LINEAR_KAPPA_T) return (total * (slices - j)) / slices;
  return total * sinhRatio(kappaTau * (slices - j), kT);
}

/**
 * Almgren–Chriss lots due after slice `k`: X − x_{k+1} rounded to the
 * nearest lot (so within half a lot of the closed form), exactly TWAP's
 * dues in the linear limit, and X after the last slice. Rounding a
 * monotone sequence keeps it monotone: no slice is negative.
 */
export function almgrenChrissDue(total: number, slices: number, kappaTau: number, k: number): number {
  if (k >= slices - 1) return total;
  if (kappaTau * slices < LINEAR_KAPPA_T) return twapDue(total, slices, k);
  const due = Math.round(total - almgrenChrissHoldings(total, slices, kappaTau, k + 1));
  return Math.min(total, Math.max(0, due));
}

/**
 * The urgency κ of Almgren & Chriss (2000, eq. 17 and its continuous limit):
 * with κ̃² = λσ²/η̃ and η̃ = η (no permanent-impact correction, γ = 0), the
 * discrete-time κ solves (2/τ²)(cosh κτ − 1) = κ̃², i.e.
 * κ = acosh(1 + κ̃²τ²/2)/τ, which tends to κ̃ = √(λσ²/η) as τ → 0.
 *
 * Units (any consistent set; these give κ per second):
 * @param riskAversion λ ≥ 0, per (tick·lot) of variance of cost.
 * @param volatility σ > 0, ticks per √second.
 * @param temporaryImpact η > 0, ticks per (lot/second) of trading rate.
 * @param tauSeconds τ > 0, the time between slices in seconds.
 * @returns κτ, the dimensionless urgency per slice.
 */
export function almgrenChrissKappaTau(riskAversion: number, volatility: number, temporaryImpact: number, tauSeconds: number): number {
  const kappaTilde2 = (riskAversion * volatility * volatility) / temporaryImpact;
  return Math.acosh(1 + (kappaTilde2 * tauSeconds * tauSeconds) / 2);
}

/**
 * POV (percentage of volume) child size: ⌊rate · volume traded in the
 * previous interval⌋, capped by the lots left; 0 when below `minChild`
 * (too small to be worth an order; the allowance is not carried, so the
 * cap is never exceeded). The venue's volume includes the agent's own
 * fills, so `rate` is the share of all traded volume, as brokers define it.
 */
export function povChildQty(rate: number, observedVolume: number, left: number, minChild: number): number {
  const capped = Math.min(left, Math.floor(rate * Math.max(0, observedVolume) + 1e-9));
  return capped < minChild ? 0 : capped;
}
