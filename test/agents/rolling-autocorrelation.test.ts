import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingAutocorrelation } from '../../src/agents/rolling-autocorrelation.js';

/** R's acf at lag 1 over `xs`: full-sample mean, both sums over the sample. */
function naiveAcf1(xs: readonly number[]): number {
  const n = xs.length;
  const m = xs.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += (xs[i]! - m) ** 2;
    if (i > 0) num += (xs[i]! - m) * (xs[i - 1]! - m);
  }
  return num / den;
}

describe('RollingAutocorrelation', () => {
  it('should equal the lag-1 ACF of the last `window` values after any number of pushes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { minLength: 3, maxLength: 60 }), (window, xs) => {
        const acf = new RollingAutocorrelation(window);
        xs.forEach((x, i) => {
          acf.push(x);
          const tail = xs.slice(Math.max(0, i + 1 - window), i + 1);
          expect(acf.count).toBe(tail.length);
          expect(acf.last).toBe(x);
          const expected = tail.length < 3 ? Number.NaN : naiveAcf1(tail);
          if (Number.isFinite(expected) && Math.abs(tail.reduce((s, y) => s + (y - tail[0]!) ** 2, 0)) > 1e-18) expect(acf.value()).toBeCloseTo(expected, 6);
        });
      }),
    );
  });

  it('should be −1-like for an alternating series and positive for runs', () => {
    const alt = new RollingAutocorrelation(40);
    for (let i = 0; i < 40; i++) alt.push(i % 2 === 0 ? 0.001 : -0.001);
    expect(alt.value()).toBeLessThan(-0.9);
    const runs = new RollingAutocorrelation(40);
    for (let i = 0; i < 40; i++) runs.push(Math.floor(i / 4) % 2 === 0 ? 0.001 : -0.001);
    expect(runs.value()).toBeGreaterThan(0.4);
  });

  it('should refuse a window below 3', () => {
    expect(() => new RollingAutocorrelation(2)).toThrow(RangeError);
  });
});
