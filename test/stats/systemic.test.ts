import { describe, expect, it } from 'vitest';
import { capitalLossFractions, countDefaults, lenderLosses, totalBadDebt } from '../../src/stats/systemic.js';

describe('systemic aggregates', () => {
  it('should count entities with negative capital', () => {
    expect(countDefaults([10, -1, 0, -5, Number.NaN])).toBe(2);
    expect(countDefaults([10, 4, 6], 5)).toBe(1);
  });

  it('should sum bad debt and reject negative entries', () => {
    expect(totalBadDebt([0, 150, 25])).toBe(175);
    expect(() => totalBadDebt([1, -1])).toThrow(RangeError);
  });

  it('should total losses per lender', () => {
    const m = lenderLosses(['b', 'a', 'b'], [10, 5, 7]);
    expect([...m]).toEqual([
      ['b', 17],
      ['a', 5],
    ]);
    expect(() => lenderLosses([1], [])).toThrow(RangeError);
  });

  it('should give the fraction of capital lost', () => {
    expect(capitalLossFractions([100, 100, 0, 50], [80, 120, 5, -25])).toEqual([0.2, 0, Number.NaN, 1.5]);
  });
});
