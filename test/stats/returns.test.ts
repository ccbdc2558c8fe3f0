import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  intervalLogReturns,
  isValidPrice,
  logReturns,
  sampleAtInterval,
  simpleReturns,
} from '../../src/stats/returns.js';
import { readCsv, referenceTable } from './_support/reference-data.js';

describe('logReturns', () => {
  it('should give ln(p_t / p_{t-1})', () => {
    const r = logReturns([100, 110, 99]);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(r[1]).toBeCloseTo(Math.log(0.9), 15);
  });

  it('should skip zero, negative and NaN prices, bridging the gap', () => {
    expect(logReturns([100, 0, Number.NaN, -5, 121, Number.POSITIVE_INFINITY, 110])).toEqual([
      Math.log(121 / 100),
      Math.log(110 / 121),
    ]);
    expect(logReturns([])).toEqual([]);
    expect(logReturns([5])).toEqual([]);
    expect(isValidPrice(0)).toBe(false);
  });

  it('should telescope to ln(last / first) for positive prices', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }), (p) => {
        const sum = logReturns(p).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(Math.log(p[p.length - 1] / p[0]), 8);
      }),
    );
  });

  it('should give the README row count from the EuStockMarkets prices', () => {
    const dax = readCsv('eustockmarkets.csv').get('DAX') as number[];
    const row = referenceTable().find((r) => r.series === 'DAX');
    expect(logReturns(dax)).toHaveLength(row?.n ?? -1);
  });
});

describe('simpleReturns', () => {
  it('should give p_t / p_{t-1} - 1 with the same skipping rule', () => {
    const r = simpleReturns([100, Number.NaN, 110, 0, 99]);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(-0.1, 15);
    expect(r).toHaveLength(2);
  });
});

describe('sampleAtInterval', () => {
  it('should sample the last valid price at or before each boundary', () => {
    const times = [0, 3, 10, 12, 25, 31];
    const prices = [100, 101, 102, Number.NaN, 104, 105];
    const s = sampleAtInterval(times, prices, 10);
    expect(s.times).toEqual([0, 10, 20, 30]);
    expect(s.values).toEqual([100, 102, 102, 104]);
  });

  it('should omit boundaries before the first valid price and honour start/end', () => {
    const s = sampleAtInterval([5, 7, 20], [0, 50, 60], 5, { start: 0, end: 25 });
    expect(s.times).toEqual([10, 15, 20, 25]);
    expect(s.values).toEqual([50, 50, 60, 60]);
  });

  it('should reject decreasing times, bad intervals and mismatched lengths', () => {
    expect(() => sampleAtInterval([0, 2, 1], [1, 1, 1], 1)).toThrow(RangeError);
    expect(() => sampleAtInterval([0, 1], [1, 1], 0)).toThrow(RangeError);
    expect(() => sampleAtInterval([0, 1], [1], 1)).toThrow(RangeError);
  });
});

describe('intervalLogReturns', () => {
  it('should return log returns between grid samples, stamped at their end', () => {
    const out = intervalLogReturns([0, 4, 9, 15], [100, 120, 90, 99], 5);
    expect(out.times).toEqual([5, 10, 15]);
    expect(out.returns[0]).toBeCloseTo(Math.log(120 / 100), 15);
    expect(out.returns[1]).toBeCloseTo(Math.log(90 / 120), 15);
    expect(out.returns[2]).toBeCloseTo(Math.log(99 / 90), 15);
  });
});
