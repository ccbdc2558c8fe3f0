import type { UniformSource } from './_internals/heavy-tail.js';

/** Longest run of one sign, orders (a run of 10⁶ already outlasts any session). */
const MAX_RUN = 1_000_000;

/**
 * Signs (+1 buy, −1 sell) of a zero-intelligence trader's orders.
 *
 * With `hurst` 0.5 the signs are independent fair coin flips (Farmer,
 * Patelli & Zovko 2005). With `hurst` H in (0.5, 1) they follow the
 * order-splitting model of Lillo, Mike & Farmer (2005): the trader works a
 * hidden parent order of one sign for L child orders, L drawn with
 * `P(L ≥ l) = l^−α`, then picks a fresh fair sign. For 1 < α < 2 the sign
 * autocorrelation decays as τ^−(α−1), i.e. Hurst exponent H = (3 − α)/2;
 * Lillo & Farmer (2004) measured H ≈ 0.7–0.8 on LSE stocks, and Lillo, Mike &
 * Farmer fitted α ≈ 1.5 (H = 0.75).
 */
export class OrderSignProcess {
  /** α = 3 − 2H, the tail exponent of run lengths (0 when memory is off). */
  private readonly alpha: number;
  private sign: 1 | -1 = 1;
  private left = 0;

  constructor(readonly hurst: number) {
    if (!(hurst >= 0.5 && hurst < 1)) throw new RangeError(`signHurst must be in [0.5, 1), got ${hurst}`);
    this.alpha = hurst === 0.5 ? 0 : 3 - 2 * hurst;
  }

  /** The next order's sign, drawn from `rng` (the agent's stream, available only once it is registered). */
  next(rng: UniformSource): 1 | -1 {
    if (this.alpha === 0) return rng.uniform() < 0.5 ? 1 : -1;
    if (this.left === 0) {
      this.sign = rng.uniform() < 0.5 ? 1 : -1;
      // 1 − U is in (0, 1], so the run is at least 1.
      this.left = Math.min(MAX_RUN, Math.floor(Math.pow(1 - rng.uniform(), -1 / this.alpha)));
    }
    this.left--;
    return this.sign;
  }
}
