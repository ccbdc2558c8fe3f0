import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeInstrument } from '../../src/market/instrument.js';
import { Ledger } from '../../src/market/ledger.js';
import {
  accountEquity,
  basketValueAfterHaircuts,
  grossExposure,
  halfTicks,
  healthFactor,
  isLessHealthy,
  legValue,
  legValueAfterHaircut,
  leverage,
  positionsValue,
  triggerMarkHalfTicks,
} from '../../src/credit/margin.js';
import { RATE_SCALE } from '../../src/market/rounding.js';

const S = BigInt(RATE_SCALE);

/** ⌊q · markHalfTicks · m · (S − h) / 2S⌋ straight from the definition. */
function reference(q: number, markHalfTicks: number, m: number, h: number): number {
  return Number((BigInt(q) * BigInt(markHalfTicks) * BigInt(m) * (S - BigInt(h))) / (2n * S));
}

describe('margin arithmetic', () => {
  it('should express marks as exact half-ticks', () => {
    expect(halfTicks(100)).toBe(200);
    expect(halfTicks(100.5)).toBe(201);
    expect(legValue(3, 201, 10)).toBe(3015); // 3 lots × 100.5 ticks × 10
    expect(legValue(-3, 201, 1)).toBe(-302); // floored toward −∞: −301.5 → −302
  });

  it('should value a leg after haircut exactly, also beyond 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 4e6 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: RATE_SCALE }),
        (q, markHalfTicks, m, h) => {
          expect(legValueAfterHaircut(q, markHalfTicks, m, h)).toBe(reference(q, markHalfTicks, m, h));
        },
      ),
    );
    // 100 lots at 100 ticks, haircut 10 %: 9000.
    expect(legValueAfterHaircut(100, 200, 1, 0.1 * RATE_SCALE)).toBe(9000);
    expect(basketValueAfterHaircuts([100, 0, 5], [200, 300, 401], [1, 1, 2], [0.1 * RATE_SCALE, 0, RATE_SCALE])).toBe(9000);
  });

  it('should put the trigger exactly at the least healthy mark of a one-leg basket', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e10 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 0.95 * RATE_SCALE }),
        (debt, q, m, h) => {
          const t = triggerMarkHalfTicks(debt, q, m, h);
          // Beyond any mark a book can show: only its magnitude matters.
          fc.pre(t <= 4e6);
          expect(Number.isSafeInteger(t)).toBe(true);
          // Healthy (LV ≥ debt) exactly from the trigger up.
          expect(legValueAfterHaircut(q, t, m, h)).toBeGreaterThanOrEqual(debt);
          if (t > 1) expect(legValueAfterHaircut(q, t - 1, m, h)).toBeLessThan(debt);
        },
      ),
    );
    expect(triggerMarkHalfTicks(0, 10, 1, 0)).toBe(0);
    expect(triggerMarkHalfTicks(5, 0, 1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(triggerMarkHalfTicks(5, 10, 1, RATE_SCALE)).toBe(Number.POSITIVE_INFINITY);
    // debt 8000 on 100 lots, h_m 10 %: healthy from mark 88.89, i.e. 178 half-ticks.
    expect(triggerMarkHalfTicks(8000, 100, 1, 0.1 * RATE_SCALE)).toBe(178);
  });

  it('should compare health factors exactly', () => {
    fc.assert(
      fc.property(fc.nat(1e15), fc.integer({ min: 1, max: 1e15 }), fc.nat(1e15), fc.integer({ min: 1, max: 1e15 }), (a, b, c, d) => {
        expect(isLessHealthy(a, b, c, d)).toBe(BigInt(a) * BigInt(d) < BigInt(c) * BigInt(b));
      }),
    );
    expect(isLessHealthy(5, 0, 1, 10)).toBe(false);
    expect(isLessHealthy(5, 1, 1, 0)).toBe(true);
    expect(healthFactor(90, 100)).toBe(0.9);
    expect(healthFactor(90, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('should compute equity, exposure and leverage of an account', () => {
    const instruments = [makeInstrument(0, { symbol: 'A', lotSize: 1 }), makeInstrument(1, { symbol: 'B', lotSize: 10 })];
    const ledger = new Ledger({ instruments: 2 });
    const a = ledger.openAccount('a', { positionFloor: -100 });
    const b = ledger.openAccount('b');
    ledger.deposit(a, 5_000);
    ledger.issue(b, 0, 100);
    ledger.transferPosition(b, a, 0, 100); // long 100 A
    ledger.transferPosition(a, b, 1, 20); // short 20 B (20 lots of 10)
    const marksHalfTicks = [200, 51]; // A at 100, B at 25.5
    // A: 100 × 100 = 10 000; B: −20 × 25.5 × 10 = −5 100.
    expect(positionsValue(ledger, a, marksHalfTicks, instruments)).toBe(4_900);
    expect(grossExposure(ledger, a, marksHalfTicks, instruments)).toBe(15_100);
    const equity = accountEquity(ledger, a, marksHalfTicks, instruments, 7_000);
    expect(equity).toBe(5_000 + 4_900 - 7_000);
    expect(leverage(15_100, equity)).toBeCloseTo(15_100 / 2_900, 12);
    expect(leverage(0, 0)).toBe(0);
    expect(leverage(10, -1)).toBe(Number.POSITIVE_INFINITY);
  });
});
