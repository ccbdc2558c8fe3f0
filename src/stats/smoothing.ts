/**
 * Moving-average smoothing.
 *
 * @module
 */

/** Options of {@link movingAverage}. */
export interface MovingAverageOptions {
  /**
   * Centred (default true) or trailing window. Centred: indices
   * i − ⌊(w−1)/2⌋ .. i + ⌈(w−1)/2⌉, so smoothing does not shift turning
   * points in time; trailing: i − w + 1 .. i (causal).
   */
  centered?: boolean;
}

/**
 * Simple moving average with window `window` (same length as the input).
 * At the edges the window is truncated to the available values; non-finite
 * values are left out of each average; an average of no finite values is NaN.
 * `window = 1` returns a copy. O(n) via prefix sums.
 */
export function movingAverage(values: ArrayLike<number>, window: number, options: MovingAverageOptions = {}): number[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const n = values.length;
  const sum = new Float64Array(n + 1);
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const ok = Number.isFinite(v);
    sum[i + 1] = sum[i] + (ok ? v : 0);
    count[i + 1] = count[i] + (ok ? 1 : 0);
  }
  const before = options.centered === false ? window - 1 : Math.floor((window - 1) / 2);
  const after = window - 1 - before;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - before);
    const hi = Math.min(n, i + after + 1);
    const c = count[hi] - count[lo];
    out[i] = c > 0 ? (sum[hi] - sum[lo]) / c : Number.NaN;
  }
  return out;
}
