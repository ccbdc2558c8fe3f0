/**
 * The fundamental over a night: one extra step at the first grid point at or
 * after each reopening, as long as `nightSeconds` of trading-time diffusion,
 * with jumps at their rate over the same time; nothing else changes.
 */
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/random-stream.js';
import { MICROS_PER_SECOND } from '../../src/engine/time.js';
import { GeometricBrownianProcess } from '../../src/market/geometric-brownian.js';
import { OrnsteinUhlenbeckProcess } from '../../src/market/ornstein-uhlenbeck.js';
import { nightSeconds } from '../../src/market/value-process.js';

const SEC = MICROS_PER_SECOND;
const SESSION = 60 * SEC;

describe('nightSeconds', () => {
  it('makes a night carry the given share of close-to-close variance', () => {
    const L = 6.5 * 3600;
    const tau = nightSeconds(6.5 * 3600 * SEC, 0.25);
    expect(tau).toBeCloseTo(L / 3, 9);
    expect(tau / (L + tau)).toBeCloseTo(0.25, 12);
    expect(nightSeconds(SESSION, 0)).toBe(0);
    expect(() => nightSeconds(SESSION, 1)).toThrow(RangeError);
  });
});

describe('a value process over nights', () => {
  it('has the variance of a step plus a night across each reopening (GBM, fixed seed)', () => {
    const sigma = 1e-3;
    const nights = 3000;
    const tau = nightSeconds(SESSION, 0.25); // 20 s
    const p = new GeometricBrownianProcess(new RandomStream(7, 'night-variance'), { initial: 10_000, mu: 0, sigma, dtUs: SEC, gaps: { everyUs: SESSION, count: nights, seconds: tau } });
    const across: number[] = [];
    const within: number[] = [];
    for (let k = 1; k <= nights; k++) {
      const open = k * SESSION;
      const beforeWithin = p.logLevelAt(open - 2 * SEC);
      const close = p.logLevelAt(open - 1);
      within.push(close - beforeWithin);
      across.push(p.logLevelAt(open) - close);
    }
    const variance = (xs: number[]) => xs.reduce((s, x) => s + x * x, 0) / xs.length;
    // sd of a sample variance of n normals is √(2/n) ≈ 2.6 % here; 10 % is about 4 sd.
    expect(variance(across) / (sigma * sigma * (1 + tau))).toBeGreaterThan(0.9);
    expect(variance(across) / (sigma * sigma * (1 + tau))).toBeLessThan(1.1);
    expect(variance(within) / (sigma * sigma * 1)).toBeGreaterThan(0.9);
    expect(variance(within) / (sigma * sigma * 1)).toBeLessThan(1.1);
  });

  it('draws jumps over a night at their rate for the night’s length', () => {
    const nights = 2000;
    const tau = nightSeconds(SESSION, 0.25); // 20 s: 1 jump a night at 0.05/s
    const p = new OrnsteinUhlenbeckProcess(new RandomStream(3, 'night-jumps'), { initial: 1e6, mean: 1e6, kappa: 0, sigma: 0, dtUs: SEC, jumps: { rate: 0.05, mean: 1, sd: 0 }, gaps: { everyUs: SESSION, count: nights, seconds: tau } });
    let total = 0;
    for (let k = 1; k <= nights; k++) {
      const close = p.levelAt(k * SESSION - 1);
      total += p.levelAt(k * SESSION) - close;
    }
    // Jumps of size 1: the mean count across an open is rate·(dt + τ) = 1.05, Poisson sd 1.02/√2000 ≈ 0.023.
    expect(total / nights).toBeGreaterThan(1.05 - 0.1);
    expect(total / nights).toBeLessThan(1.05 + 0.1);
  });

  it('leaves the path before the first night, and a run without nights, exactly as it was', () => {
    const plain = new OrnsteinUhlenbeckProcess(new RandomStream(1, 'same'), { initial: 100, mean: 100, kappa: 0.01, sigma: 1, dtUs: SEC });
    const none = new OrnsteinUhlenbeckProcess(new RandomStream(1, 'same'), { initial: 100, mean: 100, kappa: 0.01, sigma: 1, dtUs: SEC, gaps: { everyUs: SESSION, count: 0, seconds: 20 } });
    const nights = new OrnsteinUhlenbeckProcess(new RandomStream(1, 'same'), { initial: 100, mean: 100, kappa: 0.01, sigma: 1, dtUs: SEC, gaps: { everyUs: SESSION, count: 3, seconds: 20 } });
    for (let t = 0; t < SESSION; t += SEC) {
      expect(none.levelAt(t)).toBe(plain.levelAt(t));
      expect(nights.levelAt(t)).toBe(none.levelAt(t));
    }
    expect(nights.levelAt(SESSION)).not.toBe(none.levelAt(SESSION));
    expect(none.levelAt(3 * SESSION)).toBe(plain.levelAt(3 * SESSION));
  });

  it('takes a night at the first grid point at or after an open that is not on the grid', () => {
    // Session 10.5 s on a 1 s grid: the first night lands at grid point 11 (t = 11 s).
    const a = new GeometricBrownianProcess(new RandomStream(5, 'offgrid'), { initial: 100, mu: 0, sigma: 0, dtUs: SEC, gaps: { everyUs: 10.5 * SEC, count: 1, seconds: 20 } });
    const b = new GeometricBrownianProcess(new RandomStream(5, 'offgrid'), { initial: 100, mu: 0, sigma: 0, dtUs: SEC, jumps: { rate: 1, mean: 1, sd: 0 }, gaps: { everyUs: 10.5 * SEC, count: 1, seconds: 20 } });
    expect(a.levelAt(11 * SEC)).toBeCloseTo(100, 9);
    const at10 = b.logLevelAt(10 * SEC);
    const before = b.logLevelAt(10.9 * SEC);
    const after = b.logLevelAt(11 * SEC);
    // σ = 0: the change at 11 s is jumps only, of the step (rate·dt = 1 expected) and the night (20 expected).
    expect(after - before).toBeGreaterThan(5);
    expect(before).toBe(at10);
  });
});
