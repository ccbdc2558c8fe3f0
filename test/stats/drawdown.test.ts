import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawdownSeries, maxDrawdown, maxDrawdownSpan } from '../../src/stats/drawdown.js';

describe('drawdown', () => {
  it('should compute the drawdown series and maximum on a hand example', () => {
    const v = [100, 120, 90, 110, 60, 130, 117];
    const d = drawdownSeries(v);
    [0, 0, 0.25, 1 / 12, 0.5, 0, 0.1].forEach((x, i) => expect(d[i]).toBeCloseTo(x, 14));
    expect(maxDrawdown(v)).toBeCloseTo(0.5, 14);
    expect(maxDrawdownSpan(v)).toEqual({ drawdown: 0.5, peakIndex: 1, troughIndex: 4 });
  });

  it('should skip non-finite values and handle empty or rising series', () => {
    const d = drawdownSeries([10, Number.NaN, 5]);
    expect(d[1]).toBeNaN();
    expect(d[2]).toBeCloseTo(0.5, 14);
    expect(maxDrawdown([])).toBe(0);
    expect(maxDrawdownSpan([])).toBeNull();
    expect(maxDrawdown([1, 2, 3])).toBe(0);
  });

  it('should exceed 1 when equity turns negative', () => {
    expect(maxDrawdown([100, 50, -20])).toBeCloseTo(1.2, 14);
  });

  it('should lie in [0, 1] for positive series (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 100 }), (v) => {
        const m = maxDrawdown(v);
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThan(1);
        for (const x of drawdownSeries(v)) expect(x >= 0 && x < 1).toBe(true);
        expect(m).toBe(Math.max(...drawdownSeries(v)));
      }),
    );
  });
});
