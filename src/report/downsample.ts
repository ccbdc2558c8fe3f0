/**
 * Deterministic downsampling of long series for plotting.
 *
 * @module
 */

/** Default cap on the points drawn per series. */
export const MAX_POINTS_PER_SERIES = 2000;

/** A plottable series: parallel x and y arrays. */
export interface XY {
  readonly x: number[];
  readonly y: number[];
}

/**
 * At most `maxPoints` points of (x, y), keeping spikes: the points with
 * non-finite x or y are dropped, then, if too many remain, they are cut into
 * ⌊maxPoints / 2⌋ buckets of consecutive points and each bucket contributes
 * its minimum and its maximum, in their original order. Depends only on the
 * input, so the drawing is reproducible.
 */
export function downsampleMinMax(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = MAX_POINTS_PER_SERIES): XY {
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) keep.push(i);
  const out: XY = { x: [], y: [] };
  const push = (i: number): void => {
    out.x.push(x[i]);
    out.y.push(y[i]);
  };
  if (keep.length <= maxPoints) {
    for (const i of keep) push(i);
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * keep.length) / buckets);
    const to = Math.floor(((b + 1) * keep.length) / buckets);
    if (to <= from) continue;
    let lo = keep[from];
    let hi = lo;
    for (let k = from + 1; k < to; k++) {
      const i = keep[k];
      if (y[i] < y[lo]) lo = i;
      if (y[i] > y[hi]) hi = i;
    }
    if (lo === hi) push(lo);
    else if (lo < hi) {
      push(lo);
      push(hi);
    } else {
      push(hi);
      push(lo);
    }
  }
  return out;
}
