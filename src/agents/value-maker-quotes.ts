/**
 * The pure quoting arithmetic of the {@link ValueMaker}: fair value, bounded
 * inventory skew, half-spread and size shrinkage. No state, no allocation, so
 * each rule can be tested (and fuzzed) alone.
 */

/**
 * Imbalance-weighted mid of Stoikov (2018, "The micro-price", Quantitative
 * Finance 18(12)): each best price weighted by the *opposite* queue,
 * `(P_b·Q_a + P_a·Q_b) / (Q_a + Q_b)` — the first-order micro-price, which
 * moves toward the side about to be depleted. Plain mid when both queues
 * are empty.
 */
export function microprice(bidPrice: number, bidQty: number, askPrice: number, askQty: number): number {
  const total = bidQty + askQty;
  if (!(total > 0)) return (bidPrice + askPrice) / 2;
  return (bidPrice * askQty + askPrice * bidQty) / total;
}

/**
 * Bounded inventory skew, ticks (positive: quotes move down). Near flat it is
 * Avellaneda & Stoikov (2008)'s linear reservation-price shift
 * `q·γσ²(T−t)` with slope `maxSkewTicks·steepness/maxInventory` per lot;
 * `tanh` saturates it at `maxSkewTicks` for any inventory, as the optimal
 * quotes of Guéant, Lehalle & Fernandez-Tapia (2013) stay bounded when
 * inventory is bounded.
 */
export function boundedSkewTicks(inventory: number, maxInventory: number, maxSkewTicks: number, steepness: number): number {
  if (maxInventory <= 0) return 0;
  return maxSkewTicks * Math.tanh((steepness * inventory) / maxInventory);
}

/**
 * Half-spread, ticks: `base + min(maxWideningTicks, volMultiplier·σ_h +
 * inventoryTicks·|q|/qmax)`. A linear stand-in for A–S's optimal spread
 * `γσ²(T−t) + (2/γ)ln(1 + γ/k)` (which grows with volatility) plus the
 * inventory term of Guéant, Lehalle & Fernandez-Tapia (2013), whose optimal
 * quotes widen on the side that would grow |q|. `sigmaTicks` is the sd of
 * the mid over the maker's horizon. Stress withdrawal is only this widening.
 */
export function halfSpreadTicks(
  base: number,
  volMultiplier: number,
  sigmaTicks: number,
  inventoryTicks: number,
  inventory: number,
  maxInventory: number,
  maxWideningTicks: number,
): number {
  const load = maxInventory > 0 ? Math.min(1, Math.abs(inventory) / maxInventory) : 0;
  const widening = volMultiplier * sigmaTicks + inventoryTicks * load;
  return base + (widening < maxWideningTicks ? widening : maxWideningTicks);
}

/**
 * Lots quoted per level on a side: full `qty` while the side would reduce
 * |inventory|; on the side that would grow it, `qty·(1 − |q|/qmax)^exponent`
 * (rounded down), reaching 0 only at the limit. Gradual, not a side pulled
 * whole at a threshold.
 */
export function levelQty(qty: number, growsInventory: boolean, inventory: number, maxInventory: number, exponent: number): number {
  if (!growsInventory) return qty;
  // (qmax − |q|)/qmax rather than 1 − |q|/qmax: exact for round fractions, so floor does not lose a lot.
  const left = maxInventory - Math.abs(inventory);
  if (!(maxInventory > 0 && left > 0)) return 0;
  const room = left / maxInventory;
  return Math.floor(qty * room ** exponent);
}

/**
 * One step of an exponentially weighted variance rate of mid changes,
 * ticks²/s: the squared change over `dtUs`, divided by the elapsed time (an
 * unbiased variance-rate sample for a diffusion), weighted by
 * `1 − 2^(−dt/halfLife)` so irregular (throttled) updates count by elapsed
 * time (RiskMetrics-style EWMA in continuous time).
 */
export function ewmaVarianceRate(previous: number, change: number, dtUs: number, halfLifeUs: number): number {
  if (dtUs <= 0) return previous;
  const sample = (change * change * 1e6) / dtUs;
  const keep = halfLifeUs > 0 ? 2 ** (-dtUs / halfLifeUs) : 0;
  return keep * previous + (1 - keep) * sample;
}
