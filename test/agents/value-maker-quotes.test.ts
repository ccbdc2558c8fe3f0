import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedSkewTicks, ewmaVarianceRate, halfSpreadTicks, levelQty, microprice } from '../../src/agents/value-maker-quotes.js';

describe('value-maker quote arithmetic', () => {
  it('should weight each best price by the opposite queue (Stoikov 2018 weighted mid)', () => {
    // A heavy bid queue pulls the fair value toward the ask.
    expect(microprice(99, 30, 101, 10)).toBe((99 * 10 + 101 * 30) / 40);
    expect(microprice(99, 30, 101, 10)).toBe(100.5);
    expect(microprice(99, 10, 101, 30)).toBe(99.5);
    expect(microprice(99, 7, 101, 7)).toBe(100);
    expect(microprice(99, 0, 101, 0)).toBe(100);
  });

  it('should keep the skew within ±maxSkewTicks for any inventory, with the sign of the inventory and monotone in it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (q1, q2, qmax, maxSkew, steep) => {
          const a = boundedSkewTicks(q1, qmax, maxSkew, steep);
          const b = boundedSkewTicks(q2, qmax, maxSkew, steep);
          expect(Math.abs(a)).toBeLessThanOrEqual(maxSkew);
          expect(Math.sign(a) * Math.sign(q1)).toBeGreaterThanOrEqual(0);
          if (q1 <= q2) expect(a).toBeLessThanOrEqual(b);
        },
      ),
    );
    // Linear near flat: the A–S slope maxSkew·steepness/qmax per lot.
    expect(boundedSkewTicks(1, 1000, 3, 2)).toBeCloseTo((3 * 2) / 1000, 6);
  });

  it('should widen the half-spread with volatility and with |inventory|, and never past base + maxWidening', () => {
    expect(halfSpreadTicks(1, 2, 0, 3, 0, 100, 20)).toBe(1);
    expect(halfSpreadTicks(1, 2, 1.5, 3, 0, 100, 20)).toBe(4);
    expect(halfSpreadTicks(1, 2, 0, 3, -50, 100, 20)).toBe(2.5);
    expect(halfSpreadTicks(1, 2, 0, 3, 500, 100, 20)).toBe(4); // |q|/qmax clipped at 1
    expect(halfSpreadTicks(1, 2, 100, 3, 0, 100, 20)).toBe(21);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.integer({ min: -1000, max: 1000 }), (s1, s2, q) => {
        const lo = Math.min(s1, s2);
        const hi = Math.max(s1, s2);
        expect(halfSpreadTicks(0.5, 1, lo, 2, q, 1000, 30)).toBeLessThanOrEqual(halfSpreadTicks(0.5, 1, hi, 2, q, 1000, 30));
        expect(halfSpreadTicks(0.5, 1, lo, 2, q, 1000, 30)).toBeLessThanOrEqual(halfSpreadTicks(0.5, 1, lo, 2, q + Math.sign(q), 1000, 30));
        expect(halfSpreadTicks(0.5, 1, hi, 2, q, 1000, 30)).toBeLessThanOrEqual(30.5);
      }),
    );
  });

  it('should shrink sizes gradually on the side that grows |inventory|, reaching 0 only at the limit', () => {
    expect(levelQty(10, false, 990, 1000, 1)).toBe(10);
    expect(levelQty(10, true, 0, 1000, 1)).toBe(10);
    expect(levelQty(10, true, 500, 1000, 1)).toBe(5);
    expect(levelQty(10, true, -800, 1000, 1)).toBe(2);
    expect(levelQty(10, true, 800, 1000, 2)).toBe(0); // 10·0.04
    expect(levelQty(100, true, 999, 1000, 1)).toBe(0);
    expect(levelQty(1000, true, 999, 1000, 1)).toBe(1);
    expect(levelQty(10, true, 1000, 1000, 0)).toBe(0);
    expect(levelQty(10, true, 999, 1000, 0)).toBe(10);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), fc.double({ min: 0, max: 10, noNaN: true }), (a, b, p) => {
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        expect(levelQty(50, true, hi, 1000, p)).toBeLessThanOrEqual(levelQty(50, true, lo, 1000, p));
      }),
    );
  });

  it('should average the variance rate over elapsed time, ticks²/s', () => {
    // One half-life: half the old value, half the new sample (2 ticks over 1 s → 4 ticks²/s).
    expect(ewmaVarianceRate(0, 2, 1_000_000, 1_000_000)).toBe(2);
    expect(ewmaVarianceRate(8, 0, 1_000_000, 1_000_000)).toBe(4);
    expect(ewmaVarianceRate(3, 5, 0, 1_000_000)).toBe(3);
    // A change of 1 tick over 0.25 s is 4 ticks²/s.
    expect(ewmaVarianceRate(0, 1, 250_000, 1)).toBeCloseTo(4, 12);
  });
});
