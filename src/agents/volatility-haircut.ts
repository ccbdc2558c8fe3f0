import { requireAtLeast } from './_internals/check.js';
import { requireHaircut, type HaircutPolicy } from './haircut-policy.js';

/** Bounds and fallback shared by both parameterisations. */
interface HaircutBounds {
  /** Smallest haircut ever posted (a floor that also covers σ = 0), in [0, 1]. Default 0. */
  hMin?: number;
  /** Largest haircut ever posted, in [`hMin`, 1]. Default 1 (credit withdrawn). */
  hMax?: number;
  /** Haircut while σ is unknown (NaN), in [0, 1]. Default `hMax` (lend nothing until volatility is measured). */
  fallback?: number;
}

/**
 * Power form: `h = clamp(a · σ^b, hMin, hMax)`, σ per √s.
 *
 * With `b = 1`, `a` is the number of per-√s standard deviations the lender
 * wants the haircut to cover: e.g. a 99 % one-sided move over a 10-minute
 * liquidation horizon needs `a = 2.33 · √600 ≈ 57`.
 */
export interface PowerHaircutOptions extends HaircutBounds {
  readonly form?: 'power';
  /** Scale, ≥ 0, in units of (√s)^b. Required. */
  a: number;
  /** Exponent, ≥ 0 (0: a constant haircut; 1: proportional to σ). Required. */
  b: number;
}

/**
 * Value-at-Risk form of Aymanns & Farmer (2015): target leverage
 * `λ = α · (σ² + σ₀²)^b`, and the haircut is its inverse, `h = clamp(1/λ, hMin, hMax)`.
 * `b = −1/2` is a VaR (or expected-shortfall) constraint — leverage inversely
 * proportional to volatility; `b = 0` is constant leverage `α`.
 */
export interface VarHaircutOptions extends HaircutBounds {
  readonly form: 'var';
  /** Leverage scale α > 0, in units of (per-√s variance)^(−b). Required. */
  alpha: number;
  /** Volatility floor σ₀ ≥ 0, per √s (keeps leverage finite as σ → 0). Required. */
  sigma0: number;
  /** Exponent b ≤ 0 (−1/2: VaR; 0: constant leverage). Default −0.5. */
  b?: number;
}

/** Options of a {@link VolatilityHaircut}: either parameterisation. */
export type VolatilityHaircutOptions = PowerHaircutOptions | VarHaircutOptions;

/**
 * A procyclical, volatility-targeting haircut: it rises with realised
 * volatility, so leverage `1/h` is high in calm markets and is cut when
 * volatility rises — which forces leveraged borrowers to sell into a falling
 * market. This is the margin spiral of the leverage cycle:
 *
 * - Geanakoplos (2010), "The leverage cycle", NBER Macroeconomics Annual 24:
 *   collateral rates (haircuts) are set by lenders' uncertainty and rise in
 *   bad times, so leverage is procyclical.
 * - Aymanns & Farmer (2015), "The dynamics of the leverage cycle", Journal of
 *   Economic Dynamics and Control 50: banks target leverage
 *   `λ = α(σ² + σ₀²)^b` under a VaR rule (b ≈ −1/2), and the feedback between
 *   leverage and volatility produces endogenous cycles.
 *
 * Two parameterisations ({@link VolatilityHaircutOptions}): the power form
 * `h = a·σ^b` of the design, and the VaR form `h = (σ² + σ₀²)^(−b) / α`.
 * Both are non-decreasing in σ and clamped to `[hMin, hMax]`. σ is per √s
 * (see {@link HaircutPolicy}). Stateless: one instance may serve many instruments.
 */
export class VolatilityHaircut implements HaircutPolicy {
  readonly hMin: number;
  readonly hMax: number;
  readonly fallback: number;
  private readonly raw: (sigma: number) => number;

  constructor(options: VolatilityHaircutOptions) {
    this.hMin = requireHaircut('hMin', options.hMin ?? 0);
    this.hMax = requireHaircut('hMax', options.hMax ?? 1);
    if (this.hMax < this.hMin) throw new RangeError(`hMax (${this.hMax}) must be ≥ hMin (${this.hMin})`);
    this.fallback = requireHaircut('fallback', options.fallback ?? this.hMax);
    if (options.form === 'var') {
      const alpha = options.alpha;
      if (!(alpha > 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number > 0, got ${alpha}`);
      const sigma0 = requireAtLeast('sigma0', options.sigma0, 0);
      const b = options.b ?? -0.5;
      if (!(b <= 0) || !Number.isFinite(b)) throw new RangeError(`b must be ≤ 0 in the VaR form (leverage falls with volatility), got ${b}`);
      const s0 = sigma0 * sigma0;
      this.raw = (sigma) => Math.pow(sigma * sigma + s0, -b) / alpha;
    } else {
      const a = requireAtLeast('a', options.a, 0);
      const b = requireAtLeast('b', options.b, 0);
      this.raw = (sigma) => a * Math.pow(sigma, b);
    }
  }

  haircut(sigma: number): number {
    if (!(sigma >= 0)) return this.fallback;
    const h = this.raw(sigma);
    // h is NaN only for 0·∞ (a = 0, σ = ∞): no volatility sensitivity, so the floor.
    if (h !== h) return this.hMin;
    return Math.min(this.hMax, Math.max(this.hMin, h));
  }
}
