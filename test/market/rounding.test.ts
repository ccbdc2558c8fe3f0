import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MICROS_PER_YEAR,
  RATE_SCALE,
  assertSafeInteger,
  chargeAtRate,
  interestCharge,
  mulDiv,
  toRateUnits,
  type RoundingMode,
} from '../../src/market/rounding.js';

/** Reference rounding straight from the definitions, in BigInt. */
function reference(a: number, b: number, den: number, mode: RoundingMode): bigint {
  let p = BigInt(a) * BigInt(b);
  let d = BigInt(den);
  if (d < 0n) {
    p = -p;
    d = -d;
  }
  const floor = (x: bigint): bigint => {
    const q = x / d;
    return q * d > x ? q - 1n : q;
  };
  if (mode === 'floor') return floor(p);
  if (mode === 'ceil') return -floor(-p);
  const f = floor(p);
  const rem = p - f * d;
  if (2n * rem > d) return f + 1n;
  if (2n * rem < d) return f;
  return f % 2n === 0n ? f : f + 1n;
}

const MAX = Number.MAX_SAFE_INTEGER;
const anyInt = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -MAX, max: MAX }),
  fc.constantFrom(MAX, -MAX, 2 ** 32, 2 ** 26 + 1, 3 ** 33),
);
const nonZero = anyInt.filter((x) => x !== 0);
const mode = fc.constantFrom<RoundingMode>('floor', 'ceil', 'half-even');

describe('mulDiv', () => {
  it('should equal the BigInt reference for any safe integers, or throw when the result is not safe', () => {
    fc.assert(
      fc.property(anyInt, anyInt, nonZero, mode, (a, b, den, m) => {
        const ref = reference(a, b, den, m);
        if (ref > BigInt(MAX) || ref < -BigInt(MAX)) {
          expect(() => mulDiv(a, b, den, m)).toThrow(RangeError);
        } else {
          expect(BigInt(mulDiv(a, b, den, m))).toBe(ref);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('should be exact where a * b exceeds 2^53', () => {
    // 2^53 + 1 is not representable; the BigInt path must still be exact.
    expect(mulDiv(MAX, 3, 3, 'floor')).toBe(MAX);
    expect(mulDiv(MAX, MAX, MAX, 'ceil')).toBe(MAX);
    expect(mulDiv(2 ** 40 + 1, 2 ** 40 - 1, 2 ** 40, 'floor')).toBe(2 ** 40 - 1);
    expect(mulDiv(2 ** 40 + 1, 2 ** 40 - 1, 2 ** 40, 'ceil')).toBe(2 ** 40);
  });

  it('should round ties to even in half-even mode', () => {
    expect(mulDiv(5, 1, 2, 'half-even')).toBe(2);
    expect(mulDiv(7, 1, 2, 'half-even')).toBe(4);
    expect(mulDiv(-5, 1, 2, 'half-even')).toBe(-2);
    expect(mulDiv(-7, 1, 2, 'half-even')).toBe(-4);
    expect(mulDiv(1, 1, 3, 'half-even')).toBe(0);
    expect(mulDiv(2, 1, 3, 'half-even')).toBe(1);
  });

  it('should round floor down and ceil up on negatives, never returning -0', () => {
    expect(mulDiv(-1, 1, 3, 'floor')).toBe(-1);
    expect(Object.is(mulDiv(-1, 1, 3, 'ceil'), 0)).toBe(true);
    expect(Object.is(mulDiv(1, -1, 3, 'half-even'), 0)).toBe(true);
  });

  it('should throw on a zero denominator or a non-integer argument', () => {
    expect(() => mulDiv(1, 1, 0, 'floor')).toThrow(RangeError);
    expect(() => mulDiv(1.5, 1, 1, 'floor')).toThrow(RangeError);
    expect(() => mulDiv(2 ** 53, 1, 1, 'floor')).toThrow(RangeError);
  });
});

describe('charges', () => {
  it('should round charges up and rebates toward zero', () => {
    const twoBp = toRateUnits(0.0002);
    expect(chargeAtRate(10_001, twoBp)).toBe(3); // 2.0002 → 3
    expect(chargeAtRate(10_000, twoBp)).toBe(2); // exact
    expect(chargeAtRate(10_001, -twoBp)).toBe(-2); // rebate −2.0002 → −2
  });

  it('should bound the payer overpayment by one minor unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: -RATE_SCALE, max: RATE_SCALE }), (n, r) => {
        const fee = BigInt(chargeAtRate(n, r));
        const exactTimesScale = BigInt(n) * BigInt(r);
        const scaled = fee * BigInt(RATE_SCALE);
        expect(scaled >= exactTimesScale).toBe(true);
        expect(scaled - exactTimesScale < BigInt(RATE_SCALE)).toBe(true);
      }),
    );
  });

  it('should convert real rates to fixed point exactly at the documented resolution', () => {
    expect(toRateUnits(0.00001)).toBe(1000); // 0.1 bp
    expect(toRateUnits(0.05)).toBe(5_000_000);
    expect(Object.is(toRateUnits(-1e-12), 0)).toBe(true);
    expect(() => toRateUnits(Number.NaN)).toThrow(RangeError);
  });

  it('should charge interest as the ceiling of the exact simple interest', () => {
    const fivePct = toRateUnits(0.05);
    expect(interestCharge(1_000_000, fivePct, MICROS_PER_YEAR)).toBe(50_000);
    expect(interestCharge(1_000_000, fivePct, MICROS_PER_YEAR / 2)).toBe(25_000);
    expect(interestCharge(1_000_000, fivePct, 1)).toBe(1); // tiny but positive → 1
    expect(interestCharge(1_000_000, fivePct, 0)).toBe(0);
    // Huge principal: still exact (BigInt), 2^50 · 5 % = 56294995342131.2 → ceil.
    expect(interestCharge(2 ** 50, fivePct, MICROS_PER_YEAR)).toBe(56_294_995_342_132);
  });

  it('should assert safe integers', () => {
    expect(() => assertSafeInteger(1, 'x')).not.toThrow();
    expect(() => assertSafeInteger(0.5, 'x')).toThrow(/x must be a safe integer/);
  });
});
