/**
 * Pearson correlation, plain and lagged (cross-correlation at a lag).
 *
 * @module
 */

/**
 * Pearson correlation ρ = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²) over the
 * pairs (x_i, y_i) in which both values are finite (means over those pairs).
 *
 * @returns NaN when fewer than 2 pairs remain or either side is constant.
 * @throws RangeError when x and y differ in length (a caller bug).
 */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`x (${x.length}) and y (${y.length}) differ in length`);
  return pairCorrelation(x, y, 0, 0, x.length);
}

/**
 * Lagged correlation corr(x_t, y_{t−k}) of two series sampled on the same
 * time grid, over every t for which both indices exist (n − |k| pairs).
 * A positive k pairs x with *earlier* y, so a peak at k > 0 means y leads x
 * by k steps; a negative k means x leads y.
 *
 * @returns NaN when fewer than 2 finite pairs overlap or a side is constant.
 * @throws RangeError when x and y differ in length or k is not an integer.
 */
export function corrLagged(x: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  if (x.length !== y.length) throw new RangeError(`x (${x.length}) and y (${y.length}) differ in length`);
  if (!Number.isInteger(k)) throw new RangeError(`lag must be an integer, got ${k}`);
  const n = x.length - Math.abs(k);
  if (n < 2) return Number.NaN;
  // t runs over [max(0,k), min(n_x, n_y + k)); x index t, y index t − k.
  return k >= 0 ? pairCorrelation(x, y, k, 0, n) : pairCorrelation(x, y, 0, -k, n);
}

/** One lag of {@link corrLaggedRange}. */
export interface LaggedCorrelation {
  lag: number;
  corr: number;
}

/** {@link corrLagged} for every integer lag in [minLag, maxLag], ascending. */
export function corrLaggedRange(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  minLag: number,
  maxLag: number,
): LaggedCorrelation[] {
  const out: LaggedCorrelation[] = [];
  for (let k = minLag; k <= maxLag; k++) out.push({ lag: k, corr: corrLagged(x, y, k) });
  return out;
}

/** Correlation of x[xFrom + j] with y[yFrom + j], j = 0..len−1, finite pairs only. */
function pairCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, xFrom: number, yFrom: number, len: number): number {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let j = 0; j < len; j++) {
    const a = x[xFrom + j];
    const b = y[yFrom + j];
    if (Number.isFinite(a) && Number.isFinite(b)) {
      m++;
      sx += a;
      sy += b;
    }
  }
  if (m < 2) return Number.NaN;
  const mx = sx / m;
  const my = sy / m;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let j = 0; j < len; j++) {
    const a = x[xFrom + j];
    const b = y[yFrom + j];
    if (Number.isFinite(a) && Number.isFinite(b)) {
      const da = a - mx;
      const db = b - my;
      sxy += da * db;
      sxx += da * da;
      syy += db * db;
    }
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}
