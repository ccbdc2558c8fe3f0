import { describe, expect, it } from 'vitest';
import { hurwitzZeta } from '../../src/stats/zeta.js';

describe('hurwitzZeta', () => {
  it('should match known values of ζ(s) and ζ(s, q)', () => {
    expect(hurwitzZeta(2, 1)).toBeCloseTo(Math.PI ** 2 / 6, 14);
    expect(hurwitzZeta(4, 1)).toBeCloseTo(Math.PI ** 4 / 90, 14);
    expect(hurwitzZeta(3, 1)).toBeCloseTo(1.2020569031595942, 14);
    expect(hurwitzZeta(2, 0.5)).toBeCloseTo(Math.PI ** 2 / 2, 13); // (2² − 1) ζ(2)
    expect(hurwitzZeta(1.5, 1)).toBeCloseTo(2.612375348685488, 13);
  });

  it('should satisfy ζ(s, q) − ζ(s, q + 1) = q^{−s}', () => {
    for (const s of [1.1, 2.5, 7]) {
      for (const q of [0.3, 1, 4, 17, 1e4]) {
        const d = hurwitzZeta(s, q) - hurwitzZeta(s, q + 1);
        expect(Math.abs(d / q ** -s - 1)).toBeLessThan(1e-9);
      }
    }
  });

  it('should be NaN outside s > 1, q > 0', () => {
    expect(hurwitzZeta(1, 1)).toBeNaN();
    expect(hurwitzZeta(2, 0)).toBeNaN();
  });
});
