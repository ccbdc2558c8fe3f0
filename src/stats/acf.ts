/**
 * Sample autocorrelation function, with the definition of R's
 * `stats::acf(x, type = "correlation", demean = TRUE)` (Brockwell & Davis
 * 1991, *Time Series: Theory and Methods*, §7.2):
 *
 *   c_k = (1/n) Σ_{t=1..n−k} (x_t − x̄)(x_{t+k} − x̄),   r_k = c_k / c_0,
 *
 * where x̄ is the mean of the full sample and the divisor is n for every lag
 * (not n − k). Inputs are assumed finite (NaN propagates).
 *
 * @module
 */

/**
 * ACF at lags 0..maxLag: `out[k] = r_k`, so `out[0] = 1`.
 *
 * @returns an array of length maxLag + 1. Lags k ≥ n have no pairs and are
 *   NaN; every lag is NaN when n = 0 or c_0 = 0 (a constant series).
 */
export function acf(x: ArrayLike<number>, maxLag: number): number[] {
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new RangeError(`maxLag must be a non-negative integer, got ${maxLag}`);
  const n = x.length;
  const out = new Array<number>(maxLag + 1).fill(Number.NaN);
  if (n === 0) return out;
  const d = demeaned(x);
  const c0 = lagProduct(d, 0);
  if (!(c0 > 0)) return out;
  const top = Math.min(maxLag, n - 1);
  for (let k = 0; k <= top; k++) out[k] = lagProduct(d, k) / c0;
  return out;
}

/** r_k at a single lag k ≥ 0 (NaN when k ≥ n or c_0 = 0). */
export function autocorrelation(x: ArrayLike<number>, lag: number): number {
  return acf(x, lag)[lag];
}

/** ACF of |x| at lags 0..maxLag — the volatility-clustering signature. */
export function acfAbs(x: ArrayLike<number>, maxLag: number): number[] {
  const a = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = Math.abs(x[i]);
  return acf(a, maxLag);
}

function demeaned(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const m = s / n;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = x[i] - m;
  return d;
}

/** Σ_{t} d_t d_{t+k}; the common 1/n factor cancels in r_k. */
function lagProduct(d: Float64Array, k: number): number {
  let s = 0;
  for (let t = 0; t + k < d.length; t++) s += d[t] * d[t + k];
  return s;
}
