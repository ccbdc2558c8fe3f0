import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualizeVolatility, realizedVolatility, rollingRealizedVol } from '../../src/stats/realized-vol.js';
import type { RealizedVolMethod } from '../../src/stats/realized-vol.js';
import { std } from '../../src/stats/moments.js';

function naive(r: number[], i: number, w: number, method: RealizedVolMethod): number {
  const win = r.slice(i - w + 1, i + 1);
  const ss = win.reduce((a, b) => a + b * b, 0);
  if (method === 'sd') return std(win);
  return method === 'rss' ? Math.sqrt(ss) : Math.sqrt(ss / w);
}

describe('realizedVolatility', () => {
  it('should compute √Σr², √(Σr²/n) and the sample sd', () => {
    const r = [0.03, -0.04, 0, 0];
    expect(realizedVolatility(r)).toBeCloseTo(0.05, 15);
    expect(realizedVolatility(r, 'rms')).toBeCloseTo(0.025, 15);
    expect(realizedVolatility(r, 'sd')).toBeCloseTo(std(r), 15);
    expect(realizedVolatility([], 'rss')).toBeNaN();
    expect(realizedVolatility([], 'rms')).toBeNaN();
  });
});

describe('rollingRealizedVol', () => {
  it('should align each value with the end of its window', () => {
    const out = rollingRealizedVol([3, 4, 0, 0, 12], 2, { method: 'rss' });
    expect(out[0]).toBeNaN();
    expect(out.slice(1)).toEqual([5, 4, 0, 12]);
  });

  it('should give NaN for windows containing a non-finite return', () => {
    const out = rollingRealizedVol([1, 2, Number.NaN, 4, 5, 6], 2);
    expect(out.map(Number.isNaN)).toEqual([true, false, true, true, false, false]);
    expect(out[4]).toBeCloseTo(std([4, 5]), 14);
  });

  it('should agree with a naive window computation for all methods (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom<RealizedVolMethod>('sd', 'rms', 'rss'),
        (r, w, method) => {
          const out = rollingRealizedVol(r, w, { method });
          expect(out).toHaveLength(r.length);
          for (let i = 0; i < r.length; i++) {
            if (i < w - 1) expect(out[i]).toBeNaN();
            else if (method === 'sd' && w < 2) expect(out[i]).toBeNaN();
            else expect(out[i]).toBeCloseTo(naive(r, i, w, method), 10);
          }
        },
      ),
    );
  });

  it('should reject a bad window', () => {
    expect(() => rollingRealizedVol([1], 0)).toThrow(RangeError);
  });
});

describe('annualizeVolatility', () => {
  it('should scale by √(periods per year)', () => {
    expect(annualizeVolatility(0.01, 252)).toBeCloseTo(0.01 * Math.sqrt(252), 15);
  });
});
