/**
 * Drawdowns of a price or equity series: the relative fall from the running
 * maximum,
 *
 *   d_t = 1 − v_t / M_t,   M_t = max_{s ≤ t} v_s,
 *
 * (Magdon-Ismail & Atiya 2004, "Maximum drawdown", Risk 17(10)). For a
 * positive series d_t ∈ [0, 1); an equity that falls to or below zero gives
 * d_t ≥ 1 (more than everything was lost), which is kept, not clipped.
 * Non-finite values are skipped: their d_t is NaN and they do not move M_t.
 *
 * @module
 */

/**
 * Drawdown d_t at every index (same length as the input). NaN where v_t is
 * not finite or the running maximum M_t is not positive.
 */
export function drawdownSeries(values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length).fill(Number.NaN);
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v > peak) peak = v;
    if (peak > 0) out[i] = 1 - v / peak;
  }
  return out;
}

/** The largest drawdown and where it happened. */
export interface MaxDrawdown {
  /** max_t d_t (0 for a never-falling series). */
  drawdown: number;
  /** Index of the running maximum the largest drawdown is measured from. */
  peakIndex: number;
  /** Index at which the largest drawdown is reached. */
  troughIndex: number;
}

/**
 * Largest drawdown max_t d_t with its peak and trough indices; the first
 * occurrence wins ties. `null` when no index has a defined drawdown (empty
 * input, nothing finite, or no positive running maximum).
 */
export function maxDrawdownSpan(values: ArrayLike<number>): MaxDrawdown | null {
  let best: MaxDrawdown | null = null;
  let peak = Number.NEGATIVE_INFINITY;
  let peakIndex = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v > peak) {
      peak = v;
      peakIndex = i;
    }
    if (!(peak > 0)) continue;
    const d = 1 - v / peak;
    if (best === null || d > best.drawdown) best = { drawdown: d, peakIndex, troughIndex: i };
  }
  return best;
}

/** Largest drawdown max_t d_t; 0 when undefined (see {@link maxDrawdownSpan}). */
export function maxDrawdown(values: ArrayLike<number>): number {
  return maxDrawdownSpan(values)?.drawdown ?? 0;
}
