import { describe, expect, it } from 'vitest';
import { cycleAsymmetry, phaseRandomizer } from '../../src/stats/cycle-asymmetry.js';
import { Dft } from '../../src/stats/fourier.js';
import { splitMixUniform } from '../../src/stats/surrogates.js';

/** Small Gaussian noise from a fixed-seed stream. */
function noise(n: number, sd: number, seed: number): number[] {
  const u = splitMixUniform(seed);
  return Array.from({ length: n }, () => sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

/** Leverage that climbs for `up` samples from 1.5 to 4, then falls back in `down`, repeated; plus noise. */
function sawtooth(n: number, up: number, down: number, seed: number): number[] {
  const e = noise(n, 0.01, seed);
  const period = up + down;
  return e.map((x, t) => {
    const p = t % period;
    const f = p < up ? p / up : 1 - (p - up) / down;
    return Math.exp(Math.log(1.5) + f * Math.log(4 / 1.5) + x);
  });
}

describe('phaseRandomizer', () => {
  it('should keep the mean and every Fourier amplitude, and change the series', () => {
    const x = sawtooth(999, 150, 30, 2).map(Math.log);
    const y = Array.from(phaseRandomizer(x, splitMixUniform(9))());
    const amplitudes = (v: number[]) => {
      const re = Float64Array.from(v);
      const im = new Float64Array(v.length);
      new Dft(v.length).transform(re, im, false);
      return Array.from(re, (r, k) => Math.hypot(r, im[k]!));
    };
    const a = amplitudes(x);
    const b = amplitudes(y);
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k]!, 6);
    expect(y.some((v, t) => Math.abs(v - x[t]!) > 0.1)).toBe(true);
  });
});

describe('cycleAsymmetry', () => {
  it('should find slow build-ups and fast collapses beyond time-reversible noise, and not in the time-reversed series', () => {
    const lev = sawtooth(4000, 160, 40, 3);
    const test = cycleAsymmetry(lev, { threshold: 0.25 });
    expect(test.ratio).toBeGreaterThan(3);
    expect(test.nullMean).toBeLessThan(2);
    expect(test.pValue).toBeLessThan(0.05);
    // Reversed in time, the same series builds up fast and collapses slowly.
    const reversed = cycleAsymmetry([...lev].reverse(), { threshold: 0.25 });
    expect(reversed.ratio).toBeLessThan(0.5);
    expect(reversed.pValue).toBeGreaterThan(0.5);
  });

  it('should not call a symmetric cycle asymmetric', () => {
    const lev = noise(4000, 0.01, 4).map((e, t) => Math.exp(Math.log(2.5) + 0.45 * Math.sin((2 * Math.PI * t) / 200) + e));
    const test = cycleAsymmetry(lev, { threshold: 0.25 });
    expect(test.ratio).toBeGreaterThan(0.7);
    expect(test.ratio).toBeLessThan(1.4);
    expect(test.pValue).toBeGreaterThan(0.05);
  });

  it('should be deterministic, and report NaN without both phases', () => {
    const lev = sawtooth(1000, 80, 20, 5);
    expect(cycleAsymmetry(lev, { threshold: 0.25, seed: 3 })).toEqual(cycleAsymmetry(lev, { threshold: 0.25, seed: 3 }));
    const flat = cycleAsymmetry([2, 2, 2, 2, 2]);
    expect(flat.ratio).toBeNaN();
    expect(flat.pValue).toBeNaN();
    expect(cycleAsymmetry([Number.NaN, 0, -1]).ratio).toBeNaN();
    expect(() => cycleAsymmetry(lev, { surrogates: 0 })).toThrow(/surrogates/);
    expect(() => cycleAsymmetry(lev, { maxSamples: 2 })).toThrow(/maxSamples/);
  });

  it('should thin a long series to maxSamples and still see its asymmetry', () => {
    const lev = sawtooth(40_000, 1600, 400, 6);
    const full = cycleAsymmetry(lev, { threshold: 0.25, surrogates: 19, maxSamples: 40_000 });
    const thinned = cycleAsymmetry(lev, { threshold: 0.25, surrogates: 19, maxSamples: 4_000 });
    expect(thinned.ratio).toBeCloseTo(full.ratio, 0);
    expect(thinned.pValue).toBe(0.05);
  });
});
