import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  almgrenChrissDue,
  almgrenChrissHoldings,
  almgrenChrissKappaTau,
  povChildQty,
  twapDue,
} from '../../../src/agents/execution/schedule-sizes.js';

/** Slices of a schedule given as cumulative dues. */
function slicesOf(due: (k: number) => number, n: number): number[] {
  const out: number[] = [];
  let prev = 0;
  for (let k = 0; k < n; k++) {
    const d = due(k);
    out.push(d - prev);
    prev = d;
  }
  return out;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('TWAP sizes', () => {
  it('should split a parent into integer slices that sum to it and differ by at most one lot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 500 }), (total, n) => {
        const s = slicesOf((k) => twapDue(total, n, k), n);
        expect(sum(s)).toBe(total);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
        for (const x of s) expect(Number.isInteger(x) && x >= 0).toBe(true);
      }),
    );
  });

  it('should spread a remainder deterministically', () => {
    expect(slicesOf((k) => twapDue(10, 4, k), 4)).toEqual([3, 2, 3, 2]);
    expect(slicesOf((k) => twapDue(3, 5, k), 5)).toEqual([1, 0, 1, 0, 1]);
  });
});

describe('Almgren–Chriss sizes', () => {
  it('should give non-negative integer slices that sum to the parent and sell front-loaded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (total, n, kappaTau) => {
          const s = slicesOf((k) => almgrenChrissDue(total, n, kappaTau, k), n);
          expect(sum(s)).toBe(total);
          for (const x of s) expect(Number.isInteger(x) && x >= 0).toBe(true);
          // Urgency front-loads: the first half never sells less than TWAP's first half (up to one lot of rounding).
          const half = Math.floor(n / 2);
          if (half > 0) expect(almgrenChrissDue(total, n, kappaTau, half - 1)).toBeGreaterThanOrEqual(twapDue(total, n, half - 1) - 1);
        },
      ),
    );
  });

  it('should match the closed form x_j = X sinh(κ(T − t_j))/sinh(κT)', () => {
    const X = 100_000;
    const N = 10;
    const kt = 0.3;
    for (let j = 0; j <= N; j++) {
      const closed = (X * Math.sinh(kt * (N - j))) / Math.sinh(kt * N);
      expect(almgrenChrissHoldings(X, N, kt, j)).toBeCloseTo(closed, 6);
    }
    // Integer dues are within half a lot of the real trajectory.
    for (let k = 0; k < N; k++) expect(Math.abs(almgrenChrissDue(X, N, kt, k) - (X - almgrenChrissHoldings(X, N, kt, k + 1)))).toBeLessThanOrEqual(0.5);
    // Worked numbers: the first slice sells X(1 − sinh 2.7/sinh 3) = 26 069.5… lots.
    expect(almgrenChrissDue(X, N, kt, 0)).toBe(26_070);
  });

  it('should stay finite for very urgent schedules (sinh overflow)', () => {
    const d = almgrenChrissDue(1000, 100, 20, 0);
    expect(d).toBe(1000); // κT = 2000: everything in the first slice
    expect(Number.isFinite(almgrenChrissHoldings(1000, 100, 20, 1))).toBe(true);
  });

  it('should degenerate to TWAP as risk aversion goes to 0', () => {
    const X = 12_345;
    const N = 17;
    for (const lambda of [1e-2, 1e-4, 1e-6, 1e-8]) {
      const kt = almgrenChrissKappaTau(lambda, 1, 1, 1);
      for (let j = 0; j <= N; j++) {
        // Deviation from the straight line shrinks like (κT)².
        const dev = Math.abs(almgrenChrissHoldings(X, N, kt, j) - (X * (N - j)) / N);
        expect(dev).toBeLessThanOrEqual(X * (kt * N) ** 2 + 1e-6);
      }
    }
    const kt0 = almgrenChrissKappaTau(0, 1, 1, 1);
    expect(kt0).toBe(0);
    for (let k = 0; k < N; k++) expect(almgrenChrissDue(X, N, kt0, k)).toBe(twapDue(X, N, k));
    const tiny = almgrenChrissKappaTau(1e-20, 1, 1, 1);
    for (let k = 0; k < N; k++) expect(almgrenChrissDue(X, N, tiny, k)).toBe(twapDue(X, N, k));
  });

  it('should take κ from λσ²/η, with the discrete-time correction vanishing as τ → 0', () => {
    // κ̃ = √(λσ²/η) = √(2 · 9 / 8) = 1.5 per second.
    expect(almgrenChrissKappaTau(2, 3, 8, 1e-4) / 1e-4).toBeCloseTo(1.5, 6);
    // At τ = 1 s: acosh(1 + 1.125) = 1.3826…, below κ̃τ = 1.5.
    expect(almgrenChrissKappaTau(2, 3, 8, 1)).toBeCloseTo(Math.acosh(2.125), 12);
  });
});

describe('POV sizes', () => {
  it('should never exceed the participation cap of observed volume nor what is left', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 100 }),
        (rate, volume, left, min) => {
          const q = povChildQty(rate, volume, left, min);
          expect(Number.isInteger(q)).toBe(true);
          expect(q).toBeLessThanOrEqual(rate * volume + 1e-6);
          expect(q).toBeLessThanOrEqual(left);
          expect(q === 0 || q >= min).toBe(true);
        },
      ),
    );
  });

  it('should take 10 % of 1 234 lots as 123 and skip children below the minimum', () => {
    expect(povChildQty(0.1, 1234, 1000, 1)).toBe(123);
    expect(povChildQty(0.1, 1234, 50, 1)).toBe(50);
    expect(povChildQty(0.1, 99, 1000, 10)).toBe(0);
    expect(povChildQty(0.3, 10, 1000, 1)).toBe(3);
  });
});
