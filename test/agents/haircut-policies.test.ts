import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountercyclicalHaircut } from '../../src/agents/countercyclical-haircut.js';
import { FixedHaircut } from '../../src/agents/fixed-haircut.js';
import { VolatilityHaircut } from '../../src/agents/volatility-haircut.js';

const sigma = fc.double({ min: 0, max: 1, noNaN: true });

describe('FixedHaircut', () => {
  it('should return its haircut whatever the volatility', () => {
    const p = new FixedHaircut(0.2);
    for (const s of [0, 1e-4, 0.5, Number.NaN, 10]) expect(p.haircut(s)).toBe(0.2);
  });

  it('should refuse a haircut outside [0, 1]', () => {
    expect(() => new FixedHaircut(-0.1)).toThrow(RangeError);
    expect(() => new FixedHaircut(1.5)).toThrow(RangeError);
    expect(() => new FixedHaircut(Number.NaN)).toThrow(RangeError);
  });
});

describe('VolatilityHaircut (power form)', () => {
  it('should be a·σ^b inside its bounds', () => {
    const p = new VolatilityHaircut({ a: 100, b: 1, hMin: 0.02, hMax: 0.9 });
    expect(p.haircut(0.001)).toBeCloseTo(0.1, 12);
    expect(p.haircut(0.002)).toBeCloseTo(0.2, 12);
    expect(p.haircut(0)).toBe(0.02);
    expect(p.haircut(0.05)).toBe(0.9);
    const sq = new VolatilityHaircut({ a: 4, b: 0.5 });
    expect(sq.haircut(0.01)).toBeCloseTo(0.4, 12);
  });

  it('should be monotone non-decreasing in σ and clamped to [hMin, hMax]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0.5, max: 1, noNaN: true }), sigma, sigma, (a, b, hMin, hMax, s1, s2) => {
        const p = new VolatilityHaircut({ a, b, hMin, hMax });
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const hLo = p.haircut(lo);
        const hHi = p.haircut(hi);
        expect(hLo).toBeLessThanOrEqual(hHi);
        for (const h of [hLo, hHi]) {
          expect(h).toBeGreaterThanOrEqual(hMin);
          expect(h).toBeLessThanOrEqual(hMax);
        }
      }),
    );
  });

  it('should post its fallback (hMax by default) while σ is unknown', () => {
    expect(new VolatilityHaircut({ a: 1, b: 1, hMax: 0.7 }).haircut(Number.NaN)).toBe(0.7);
    expect(new VolatilityHaircut({ a: 1, b: 1, fallback: 0.3 }).haircut(Number.NaN)).toBe(0.3);
  });

  it('should refuse parameters that would make it fall with σ or leave [0, 1]', () => {
    expect(() => new VolatilityHaircut({ a: 1, b: -1 })).toThrow(RangeError);
    expect(() => new VolatilityHaircut({ a: -1, b: 1 })).toThrow(RangeError);
    expect(() => new VolatilityHaircut({ a: 1, b: 1, hMin: 0.5, hMax: 0.4 })).toThrow(RangeError);
  });
});

describe('VolatilityHaircut (VaR form, Aymanns & Farmer)', () => {
  it('should be the inverse of the target leverage α(σ² + σ₀²)^b', () => {
    const p = new VolatilityHaircut({ form: 'var', alpha: 50, sigma0: 0.001 });
    // b = −1/2: h = √(σ² + σ₀²) / α.
    expect(p.haircut(0)).toBeCloseTo(0.001 / 50, 15);
    expect(p.haircut(0.01)).toBeCloseTo(Math.sqrt(0.0001 + 0.000001) / 50, 15);
    const constant = new VolatilityHaircut({ form: 'var', alpha: 4, sigma0: 0, b: 0 });
    expect(constant.haircut(0.3)).toBe(0.25);
    expect(constant.haircut(0)).toBe(0.25);
  });

  it('should be monotone non-decreasing in σ for every b ≤ 0', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1e3, noNaN: true }), fc.double({ min: 0, max: 0.01, noNaN: true }), fc.double({ min: -2, max: 0, noNaN: true }), sigma, sigma, (alpha, sigma0, b, s1, s2) => {
        const p = new VolatilityHaircut({ form: 'var', alpha, sigma0, b });
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(p.haircut(lo)).toBeLessThanOrEqual(p.haircut(hi));
        expect(p.haircut(hi)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('should refuse b > 0 and α ≤ 0', () => {
    expect(() => new VolatilityHaircut({ form: 'var', alpha: 1, sigma0: 0, b: 0.5 })).toThrow(RangeError);
    expect(() => new VolatilityHaircut({ form: 'var', alpha: 0, sigma0: 0 })).toThrow(RangeError);
  });
});

describe('CountercyclicalHaircut', () => {
  const base = () => new VolatilityHaircut({ a: 100, b: 1, hMin: 0.01 });

  it('should not fall in calm periods after a stress (through the cycle)', () => {
    const pro = base();
    const ccy = new CountercyclicalHaircut({ base: base(), hFloor: 0.05 });
    const path = [0.0005, 0.0005, 0.004, 0.003, 0.0005, 0.0001, 0, 0.0002];
    let prev = 0;
    for (const s of path) {
      const h = ccy.haircut(s);
      expect(h).toBeGreaterThanOrEqual(prev);
      expect(h).toBeGreaterThanOrEqual(pro.haircut(s));
      prev = h;
    }
    expect(prev).toBeCloseTo(0.4, 12); // the stressed σ 0.004 still sets it
    expect(pro.haircut(0.0002)).toBeCloseTo(0.02, 12); // while the procyclical one has fallen
  });

  it('should never post less than its floor, and never fall, whatever the σ path (infinite memory)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(sigma, fc.constant(Number.NaN)), { maxLength: 60 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (path, hFloor) => {
        const ccy = new CountercyclicalHaircut({ base: base(), hFloor });
        let prev = -1;
        let seen = false;
        for (const s of path) {
          const h = ccy.haircut(s);
          expect(h).toBeGreaterThanOrEqual(hFloor);
          seen ||= s >= 0;
          if (seen) {
            expect(h).toBeGreaterThanOrEqual(prev);
            prev = h;
          }
        }
      }),
    );
  });

  it('should forget a stress once it leaves a finite window', () => {
    const ccy = new CountercyclicalHaircut({ base: base(), stressWindow: 3 });
    expect(ccy.haircut(0.004)).toBeCloseTo(0.4, 12);
    expect(ccy.haircut(0.001)).toBeCloseTo(0.4, 12);
    expect(ccy.haircut(0.001)).toBeCloseTo(0.4, 12);
    expect(ccy.haircut(0.002)).toBeCloseTo(0.2, 12); // 0.004 left the window; max of (0.001, 0.001, 0.002)
    expect(ccy.haircut(0.001)).toBeCloseTo(0.2, 12);
    expect(ccy.stressedSigma).toBe(0.002);
  });

  it('should build a buffer in calm periods and release it in stress (buffer mode)', () => {
    const pro = base();
    const ccy = new CountercyclicalHaircut({ base: base(), mode: 'buffer', hFloor: 0.03, bufferMax: 0.1, buildRate: 0.02, memory: 10 });
    ccy.haircut(0.0005); // first observation sets the long-run average
    let h = 0;
    for (let i = 0; i < 10; i++) {
      h = ccy.haircut(0.0004);
      expect(h).toBeGreaterThanOrEqual(0.03);
      expect(h).toBeGreaterThanOrEqual(pro.haircut(0.0004));
    }
    expect(ccy.buffer).toBeCloseTo(0.1, 12);
    expect(h).toBeCloseTo(0.04 + 0.1, 12);
    const stressed = ccy.haircut(0.002);
    expect(ccy.buffer).toBe(0);
    // The procyclical haircut jumps by 0.16; the buffered one by less.
    expect(stressed - h).toBeLessThan(pro.haircut(0.002) - pro.haircut(0.0004));
    expect(stressed).toBeCloseTo(0.2, 12);
  });

  it('should refuse bad options', () => {
    expect(() => new CountercyclicalHaircut({ base: base(), hFloor: 2 })).toThrow(RangeError);
    expect(() => new CountercyclicalHaircut({ base: base(), stressWindow: 0 })).toThrow(RangeError);
    expect(() => new CountercyclicalHaircut({ base: base(), mode: 'x' as 'buffer' })).toThrow(RangeError);
  });
});
