import { describe, expect, it } from 'vitest';
import { movingAverage } from '../../src/stats/smoothing.js';

describe('movingAverage', () => {
  it('should average a centred window, truncated at the edges', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 3)).toEqual([1.5, 2, 3, 4, 4.5]);
  });

  it('should average a trailing window when not centred', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 2, { centered: false })).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
  });

  it('should leave non-finite values out and copy for window 1', () => {
    expect(movingAverage([1, Number.NaN, 3], 3)).toEqual([1, 2, 3]);
    expect(movingAverage([Number.NaN], 1)).toEqual([Number.NaN]);
    expect(movingAverage([4, 5], 1)).toEqual([4, 5]);
    expect(() => movingAverage([1], 0)).toThrow(RangeError);
  });
});
