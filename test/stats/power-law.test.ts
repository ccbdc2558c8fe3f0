import { describe, expect, it } from 'vitest';
import { fitPowerLaw, powerLawSampler } from '../../src/stats/power-law.js';
import { hurwitzZeta } from '../../src/stats/zeta.js';
import { draws, mulberry32 } from './_support/prng.js';

describe('powerLawSampler', () => {
  it('should draw discrete values with P(X = x) = x^{-α} / ζ(α, x_min)', () => {
    const random = mulberry32(21);
    const draw = powerLawSampler('discrete', 2.5, 2);
    const x = draws(40_000, () => draw(random));
    const z = hurwitzZeta(2.5, 2);
    for (const v of [2, 3, 4, 5]) {
      const share = x.filter((d) => d === v).length / x.length;
      expect(Math.abs(share - v ** -2.5 / z)).toBeLessThan(0.01);
    }
    expect(Math.min(...x)).toBe(2);
    expect(x.every(Number.isInteger)).toBe(true);
  });

  it('should draw continuous values above x_min with the right tail', () => {
    const random = mulberry32(22);
    const draw = powerLawSampler('continuous', 3, 1.5);
    const x = draws(40_000, () => draw(random));
    expect(Math.min(...x)).toBeGreaterThanOrEqual(1.5);
    const share = x.filter((d) => d > 3).length / x.length; // (3/1.5)^{−2} = 0.25
    expect(Math.abs(share - 0.25)).toBeLessThan(0.01);
  });
});

describe('fitPowerLaw (continuous)', () => {
  it('should recover α of a pure power law', () => {
    const random = mulberry32(1);
    const draw = powerLawSampler('continuous', 2.5, 1);
    const fit = fitPowerLaw(draws(3_000, () => draw(random)), { kind: 'continuous' });
    expect(fit).not.toBeNull();
    expect(Math.abs((fit?.alpha ?? 0) - 2.5)).toBeLessThan(0.15);
    expect(fit?.xmin).toBeLessThan(2);
    expect(fit?.ks).toBeLessThan(0.05);
  });

  it('should find x_min above a non-power-law body', () => {
    const random = mulberry32(2);
    const draw = powerLawSampler('continuous', 2.2, 5);
    const body = draws(1_000, () => 5 * random());
    const tail = draws(1_500, () => draw(random));
    const fit = fitPowerLaw([...body, ...tail], { kind: 'continuous' });
    expect(fit?.xmin).toBeGreaterThan(4);
    expect(fit?.xmin).toBeLessThan(7);
    expect(Math.abs((fit?.alpha ?? 0) - 2.2)).toBeLessThan(0.15);
  });

  it('should use the closed-form MLE at a fixed x_min', () => {
    const x = [1, 2, 4, 8];
    const fit = fitPowerLaw(x, { kind: 'continuous', xmin: 1, minTail: 2 });
    expect(fit?.n).toBe(4);
    expect(fit?.alpha).toBeCloseTo(1 + 4 / (Math.log(2) + Math.log(4) + Math.log(8)), 14);
    // KS by hand: F(x) = 1 − x^{1−α} against the steps 0, ¼, ½, ¾, 1
    const a = fit?.alpha ?? 0;
    const ks = Math.max(...x.flatMap((v, i) => [Math.abs(1 - v ** (1 - a) - i / 4), Math.abs(1 - v ** (1 - a) - (i + 1) / 4)]));
    expect(fit?.ks).toBeCloseTo(ks, 14);
  });

  it('should return null for tiny or degenerate samples', () => {
    expect(fitPowerLaw([], { kind: 'continuous' })).toBeNull();
    expect(fitPowerLaw([1, 2, 3], { kind: 'continuous' })).toBeNull();
    expect(fitPowerLaw(Array(20).fill(3), { kind: 'continuous' })).toBeNull();
    expect(fitPowerLaw([0, -1, Number.NaN, 1, 2], { kind: 'continuous', minTail: 2 })?.n).toBe(2);
  });
});

describe('fitPowerLaw (discrete)', () => {
  it('should recover α of a discrete power law with the exact MLE', () => {
    const random = mulberry32(3);
    const draw = powerLawSampler('discrete', 2.3, 1);
    const fit = fitPowerLaw(draws(3_000, () => draw(random)), { kind: 'discrete' });
    expect(fit?.kind).toBe('discrete');
    expect(Math.abs((fit?.alpha ?? 0) - 2.3)).toBeLessThan(0.1);
    expect(fit?.xmin).toBeLessThanOrEqual(3);
  });

  it('should maximise the discrete likelihood at a fixed x_min', () => {
    const x = [1, 1, 1, 1, 2, 2, 3, 5, 9, 20];
    const fit = fitPowerLaw(x, { kind: 'discrete', xmin: 1 });
    const a = fit?.alpha ?? 0;
    const L = x.reduce((s, v) => s + Math.log(v), 0);
    const logLik = (al: number): number => -x.length * Math.log(hurwitzZeta(al, 1)) - al * L;
    expect(logLik(a)).toBeGreaterThan(logLik(a - 1e-3));
    expect(logLik(a)).toBeGreaterThan(logLik(a + 1e-3));
    expect(() => fitPowerLaw([1.5, 2, 3], { kind: 'discrete' })).toThrow(RangeError);
    expect(() => fitPowerLaw(x, { kind: 'discrete', xmin: 0.5 })).toThrow(RangeError);
  });
});

describe('bootstrap goodness of fit', () => {
  it('should not reject power-law data and should reject exponential data', () => {
    const random = mulberry32(4);
    const draw = powerLawSampler('continuous', 2.5, 1);
    const good = fitPowerLaw(draws(400, () => draw(random)), { kind: 'continuous', bootstrap: 40, random });
    expect(good?.p).toBeGreaterThan(0.1);
    const bad = fitPowerLaw(
      draws(400, () => 1 - Math.log(1 - random())),
      { kind: 'continuous', xmin: 1, bootstrap: 40, random },
    );
    expect(bad?.p).toBeLessThan(0.05);
  });

  it('should be deterministic for a given random source and require one', () => {
    const data = draws(150, pareto15);
    const a = fitPowerLaw(data, { kind: 'discrete', bootstrap: 10, random: mulberry32(9) });
    const b = fitPowerLaw(data, { kind: 'discrete', bootstrap: 10, random: mulberry32(9) });
    expect(a).toEqual(b);
    expect(a?.p).toBeGreaterThanOrEqual(0);
    expect(a?.p).toBeLessThanOrEqual(1);
    expect(() => fitPowerLaw(data, { kind: 'discrete', bootstrap: 1 })).toThrow(TypeError);
  });
});

const pareto15 = ((): (() => number) => {
  const random = mulberry32(10);
  const draw = powerLawSampler('discrete', 2, 1);
  return () => draw(random);
})();
