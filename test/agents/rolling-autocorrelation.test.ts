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
      fc.property(fc.integer({ min: 3, max: 12 }), fc.array(fc.integer({ min: -1000, max: 1000 }).map((k) => k * 1e-5), { minLength: 3, maxLength: 60 }), (window, xs) => {
        const acf = new RollingAutocorrelation(window);
        xs.forEach((x, i) => {
          acf.push(x);
          const tail = xs.slice(Math.max(0, i + 1 - window), i + 1);
          expect(acf.count).toBe(tail.length);
          expect(acf.last).toBe(x);
          const expected = tail.length < 3 ? Number.NaN : naiveAcf1(tail);
          // Returns on a 1e-5 grid (a realistic scale): a tail either is constant or has a variance the rolling sums resolve.
          if (Number.isFinite(expected) && tail.some((y) => y !== tail[0])) expect(acf.value()).toBeCloseTo(expected, 6);
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
