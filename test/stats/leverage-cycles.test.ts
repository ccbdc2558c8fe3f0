import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeSkewness, findTurningPoints, leverageCycles } from '../../src/stats/leverage-cycles.js';
import { gaussian, mulberry32 } from './_support/prng.js';

/** Leverage 5 + 2 sin(2πt/P) + noise over `periods` periods of P samples. */
function noisySine(periods: number, P: number, noise: number, seed: number): number[] {
  const g = gaussian(mulberry32(seed));
  return Array.from({ length: periods * P }, (_, t) => 5 + 2 * Math.sin((2 * Math.PI * t) / P) + noise * g());
}

describe('findTurningPoints', () => {
  it('should date peaks and troughs by the relative zig-zag rule', () => {
    const v = [1, 2, 3, 2.5, 2.6, 1.5, 1.4, 2, 2.1, 1.8];
    const tp = findTurningPoints(v, { threshold: 0.25 });
    // 3 → 2.25 confirms the peak at index 2; 1.4 → 1.75 confirms the trough at 6;
    // 2.1 → 1.8 is a 14 % fall, not enough for a peak.
    expect(tp).toEqual([
      { index: 0, kind: 'trough', value: 1 },
      { index: 2, kind: 'peak', value: 3 },
      { index: 6, kind: 'trough', value: 1.4 },
    ]);
  });

  it('should use absolute thresholds in absolute mode', () => {
    const tp = findTurningPoints([0, 1, -1, 0.5, 0.2], { threshold: 1, mode: 'absolute' });
    expect(tp.map((p) => [p.index, p.kind])).toEqual([
      [0, 'trough'],
      [1, 'peak'],
      [2, 'trough'],
    ]);
  });

  it('should alternate peaks and troughs whose reversals reach the threshold (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { maxLength: 200 }), fc.double({ min: 0.01, max: 0.9, noNaN: true }), (v, th) => {
        const tp = findTurningPoints(v, { threshold: th });
        for (let j = 1; j < tp.length; j++) {
          expect(tp[j].kind).not.toBe(tp[j - 1].kind);
          expect(tp[j].index).toBeGreaterThan(tp[j - 1].index);
          const [hi, lo] = tp[j].kind === 'peak' ? [tp[j].value, tp[j - 1].value] : [tp[j - 1].value, tp[j].value];
          expect(hi).toBeGreaterThanOrEqual(lo * (1 + th) * (1 - 1e-12));
        }
      }),
    );
  });
});

describe('leverageCycles', () => {
  it('should count the cycles of a noisy sine and measure its period', () => {
    const P = 200;
    const v = noisySine(10, P, 0.05, 1);
    const c = leverageCycles(v, { threshold: 0.2 });
    expect(c.peaks).toHaveLength(10);
    // the rising start is itself a confirmed trough, then one trough per period
    expect(c.troughs).toHaveLength(11);
    expect(c.troughs[0]).toBeLessThan(10);
    expect(c.cycles).toBe(9);
    expect(Math.abs(c.meanPeriod - P)).toBeLessThan(5);
    c.peaks.forEach((p, j) => expect(Math.abs(p - (P / 4 + j * P))).toBeLessThan(25));
  });

  it('should be fooled by heavy noise without smoothing, and not with it', () => {
    const v = noisySine(6, 400, 0.6, 2);
    const raw = leverageCycles(v, { threshold: 0.25 });
    const smooth = leverageCycles(v, { threshold: 0.25, smoothWindow: 41 });
    expect(raw.cycles).toBeGreaterThan(5);
    expect(smooth.cycles).toBe(5);
  });

  it('should report periods in the units of the time array', () => {
    const P = 100;
    const v = noisySine(5, P, 0.05, 3);
    const times = v.map((_, i) => 1_000_000 + i * 250_000); // 0.25 s samples, in µs
    const c = leverageCycles(v, { times, threshold: 0.2 });
    expect(c.cycles).toBe(4);
    expect(Math.abs(c.meanPeriod - P * 250_000)).toBeLessThan(3 * 250_000);
    expect(() => leverageCycles(v, { times: [1] })).toThrow(RangeError);
  });

  it('should report no cycle for a flat or monotone series', () => {
    expect(leverageCycles([2, 2, 2]).cycles).toBe(0);
    expect(leverageCycles([1, 2, 3, 4]).meanPeriod).toBeNaN();
  });
});

describe('changeSkewness', () => {
  it('should be negative for slow build-ups and fast collapses', () => {
    const saw: number[] = [];
    for (let c = 0; c < 10; c++) {
      for (let i = 0; i < 20; i++) saw.push(1 + i * 0.2);
      for (let i = 0; i < 2; i++) saw.push(5 - i * 2);
    }
    expect(changeSkewness(saw)).toBeLessThan(-1);
    expect(changeSkewness(saw.map((x) => -x))).toBeGreaterThan(1);
  });
});
