/**
 * How a lender sets the initial haircut `h` on one collateral instrument
 * from the volatility it has measured. A haircut is a fraction in [0, 1]: a
 * lot worth `v` in collateral supports at most `v · (1 − h)` of debt, so the
 * largest leverage a borrower can reach on it is `1/h` (Geanakoplos 2010).
 * `h = 1` means "not accepted as collateral".
 *
 * ## Units of `sigma`
 *
 * `sigma` is the realised volatility of **log mid-price returns per √second**
 * (the standard deviation of `ln(p_{t+1s} / p_t)`), as produced by
 * {@link VolatilityEstimator.sigma}. Per √second makes a policy's parameters
 * independent of the lender's sampling interval: a volatility of σ per √s
 * over a horizon of `T` seconds is `σ·√T`. For orientation, a daily
 * volatility of 2 % is σ ≈ 0.02/√86 400 ≈ 6.8·10⁻⁵ per √s.
 *
 * `sigma` may be NaN (no estimate yet): implementations must then return a
 * haircut that is safe for the lender (their documented fallback), never NaN.
 *
 * ## State
 *
 * A policy may keep state (a counter-cyclical buffer does): then each call
 * is one observation at one repricing date, and a lender keeps one instance
 * per instrument. Stateless policies may be shared.
 */
export interface HaircutPolicy {
  /** The initial haircut in [0, 1] for realised volatility `sigma` (per √s, ≥ 0 or NaN). */
  haircut(sigma: number): number;
}

/** Throws unless `h` is a haircut in [0, 1] (a configuration bug). */
export function requireHaircut(name: string, h: number): number {
  if (!(h >= 0 && h <= 1)) throw new RangeError(`${name} must be a haircut in [0, 1], got ${h}`);
  return h;
}
