import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/random-stream.js';
import { MICROS_PER_SECOND } from '../../src/engine/time.js';
import { GeometricBrownianProcess, type GeometricBrownianOptions } from '../../src/market/geometric-brownian.js';
import { OrnsteinUhlenbeckProcess, type OrnsteinUhlenbeckOptions } from '../../src/market/ornstein-uhlenbeck.js';
import type { ValueProcess } from '../../src/market/value-process.js';

const SEC = MICROS_PER_SECOND;

const ouOptions: OrnsteinUhlenbeckOptions = {
  initial: 10_000,
  mean: 10_000,
  kappa: 0.5,
  sigma: 20,
  dtUs: SEC / 10,
  jumps: { rate: 0.05, mean: -30, sd: 10 },
};
const gbmOptions: GeometricBrownianOptions = {
  initial: 100_000,
  mu: 1e-5,
  sigma: 1e-3,
  dtUs: SEC / 10,
  jumps: { rate: 0.05, mean: -0.01, sd: 0.005 },
};

const makers: Record<string, (name: string) => ValueProcess> = {
  'Ornstein-Uhlenbeck': (name) => new OrnsteinUhlenbeckProcess(new RandomStream(42, name), ouOptions),
  'geometric Brownian': (name) => new GeometricBrownianProcess(new RandomStream(42, name), gbmOptions),
};

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
function variance(xs: number[]): number {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) * (x - m), 0) / (xs.length - 1);
}

describe.each(Object.entries(makers))('%s value process', (_label, make) => {
  it('should not depend on how often or when it is queried', () => {
    const dense = make('oracle/X');
    const sparse = make('oracle/X');
    const denseValues = new Map<number, number>();
    // Every grid point, and points in between.
    for (let t = 0; t <= 600 * SEC; t += SEC / 20) denseValues.set(t, dense.valueAt(t));
    // Irregular, sparse, repeated queries.
    const times = [0, 0, 17, SEC / 10 + 3, 7 * SEC, 7 * SEC, 133 * SEC + 50_000, 400 * SEC, 600 * SEC];
    for (const t of times) {
      const expected = denseValues.get(t) ?? denseValues.get(Math.floor(t / (SEC / 20)) * (SEC / 20));
      expect(sparse.valueAt(t)).toBe(expected);
    }
  });

  it('should hold the last grid value between grid points', () => {
    const p = make('oracle/X');
    const v = p.valueAt(5 * SEC);
    expect(p.valueAt(5 * SEC + SEC / 10 - 1)).toBe(v);
  });

  it('should report positive integer ticks', () => {
    const p = make('oracle/X');
    for (let t = 0; t < 100 * SEC; t += SEC) {
      const v = p.valueAt(t);
      expect(Number.isSafeInteger(v) && v >= 1).toBe(true);
    }
  });

  it('should give the same path for the same seed and name, another for another name', () => {
    const a = make('oracle/X');
    const b = make('oracle/X');
    const c = make('oracle/Y');
    const pa: number[] = [];
    const pb: number[] = [];
    const pc: number[] = [];
    for (let t = SEC; t <= 100 * SEC; t += SEC) {
      pa.push(a.valueAt(t));
      pb.push(b.valueAt(t));
      pc.push(c.valueAt(t));
    }
    expect(pb).toEqual(pa);
    expect(pc).not.toEqual(pa);
  });

  it('should throw when queried back in time', () => {
    const p = make('oracle/X');
    p.valueAt(10 * SEC);
    expect(() => p.valueAt(10 * SEC - 1)).toThrow(RangeError);
    expect(() => p.shock(SEC, 1)).toThrow(RangeError);
    expect(() => p.valueAt(-1)).toThrow(RangeError);
    expect(() => p.valueAt(1.5)).toThrow(RangeError);
  });
});

describe('OrnsteinUhlenbeckProcess', () => {
  it('should have the stationary mean and variance over a long run', () => {
    const kappa = 1;
    const sigma = 10;
    const p = new OrnsteinUhlenbeckProcess(new RandomStream(7, 'oracle/ou'), {
      initial: 1_000,
      mean: 1_000,
      kappa,
      sigma,
      dtUs: SEC / 2,
    });
    const xs: number[] = [];
    for (let k = 1; k <= 100_000; k++) xs.push(p.levelAt((k * SEC) / 2));
    const stationaryVar = (sigma * sigma) / (2 * kappa); // 50
    expect(p.stationarySd).toBeCloseTo(Math.sqrt(stationaryVar), 12);
    // ~25 000 effective samples: se(mean) ≈ 0.05, se(var) ≈ 1 %.
    expect(Math.abs(mean(xs) - 1_000)).toBeLessThan(0.3);
    expect(variance(xs) / stationaryVar).toBeGreaterThan(0.94);
    expect(variance(xs) / stationaryVar).toBeLessThan(1.06);
  });

  it('should revert towards the mean at rate kappa', () => {
    // Without noise the deviation decays exactly as e^(−κt).
    const p = new OrnsteinUhlenbeckProcess(new RandomStream(7, 'oracle/ou'), {
      initial: 2_000,
      mean: 1_000,
      kappa: 0.1,
      sigma: 0,
      dtUs: SEC,
    });
    expect(p.levelAt(10 * SEC)).toBeCloseTo(1_000 + 1_000 * Math.exp(-1), 9);
  });

  it('should floor the reported value at one tick while the state stays exact', () => {
    const p = new OrnsteinUhlenbeckProcess(new RandomStream(7, 'oracle/ou'), {
      initial: -50,
      mean: -50,
      kappa: 1,
      sigma: 0,
      dtUs: SEC,
    });
    expect(p.valueAt(3 * SEC)).toBe(1);
    expect(p.levelAt(3 * SEC)).toBe(-50);
  });

  it('should produce jumps at the configured rate', () => {
    // No diffusion, no reversion, unit jumps: the level counts the jumps.
    const p = new OrnsteinUhlenbeckProcess(new RandomStream(7, 'oracle/ou-jumps'), {
      initial: 100,
      mean: 0,
      kappa: 0,
      sigma: 0,
      dtUs: SEC / 10,
      jumps: { rate: 2, mean: 1, sd: 0 },
    });
    const jumps = p.valueAt(5_000 * SEC) - 100; // expect 10 000 ± 100
    expect(Math.abs(jumps - 10_000)).toBeLessThan(400);
  });

  it('should apply a shock at the next grid point and consume no randomness', () => {
    const options: OrnsteinUhlenbeckOptions = { initial: 500, mean: 500, kappa: 0.2, sigma: 5, dtUs: SEC };
    const base = new OrnsteinUhlenbeckProcess(new RandomStream(3, 'oracle/s'), options);
    const shocked = new OrnsteinUhlenbeckProcess(new RandomStream(3, 'oracle/s'), options);
    shocked.valueAt(2 * SEC);
    shocked.shock(2 * SEC + 1, -100); // lands on t = 3 s
    expect(shocked.levelAt(3 * SEC - 1)).toBe(base.levelAt(3 * SEC - 1));
    for (let k = 3; k < 10; k++) {
      const diff = shocked.levelAt(k * SEC) - base.levelAt(k * SEC);
      expect(diff).toBeCloseTo(-100 * Math.exp(-0.2 * (k - 3)), 8);
    }
  });

  it('should apply a shock on the current grid point immediately', () => {
    const p = new OrnsteinUhlenbeckProcess(new RandomStream(3, 'oracle/s'), {
      initial: 500,
      mean: 500,
      kappa: 0,
      sigma: 0,
      dtUs: SEC,
    });
    expect(p.valueAt(4 * SEC)).toBe(500);
    p.shock(4 * SEC, 25);
    expect(p.valueAt(4 * SEC)).toBe(525);
  });

  it('should reject invalid parameters', () => {
    const s = new RandomStream(1, 'x');
    const ok: OrnsteinUhlenbeckOptions = { initial: 1, mean: 1, kappa: 1, sigma: 1, dtUs: SEC };
    expect(() => new OrnsteinUhlenbeckProcess(s, { ...ok, kappa: -1 })).toThrow(RangeError);
    expect(() => new OrnsteinUhlenbeckProcess(s, { ...ok, sigma: Number.NaN })).toThrow(RangeError);
    expect(() => new OrnsteinUhlenbeckProcess(s, { ...ok, dtUs: 0 })).toThrow(RangeError);
    expect(() => new OrnsteinUhlenbeckProcess(s, { ...ok, dtUs: 0.5 })).toThrow(RangeError);
    expect(() => new OrnsteinUhlenbeckProcess(s, { ...ok, jumps: { rate: -1, mean: 0, sd: 1 } })).toThrow(RangeError);
  });
});

describe('GeometricBrownianProcess', () => {
  it('should have log returns with mean (mu − sigma²/2)·dt and variance sigma²·dt', () => {
    const mu = 5e-5;
    const sigma = 1e-3;
    const p = new GeometricBrownianProcess(new RandomStream(11, 'oracle/gbm'), {
      initial: 1_000_000,
      mu,
      sigma,
      dtUs: SEC,
    });
    const rets: number[] = [];
    let prev = p.logLevelAt(0);
    for (let k = 1; k <= 100_000; k++) {
      const x = p.logLevelAt(k * SEC);
      rets.push(x - prev);
      prev = x;
    }
    // se(mean) ≈ 3.2e-6, se(var)/var ≈ 0.45 %.
    expect(Math.abs(mean(rets) - (mu - (sigma * sigma) / 2))).toBeLessThan(1.3e-5);
    expect(variance(rets) / (sigma * sigma)).toBeGreaterThan(0.98);
    expect(variance(rets) / (sigma * sigma)).toBeLessThan(1.02);
  });

  it('should produce log jumps at the configured rate', () => {
    const size = 0.001;
    const p = new GeometricBrownianProcess(new RandomStream(11, 'oracle/gbm-jumps'), {
      initial: 1_000,
      mu: 0,
      sigma: 0,
      dtUs: SEC,
      jumps: { rate: 1, mean: size, sd: 0 },
    });
    const jumps = (p.logLevelAt(10_000 * SEC) - Math.log(1_000)) / size; // expect 10 000 ± 100
    expect(Math.abs(jumps - 10_000)).toBeLessThan(400);
  });

  it('should apply a shock in log units that persists unchanged', () => {
    const options: GeometricBrownianOptions = { initial: 50_000, mu: 0, sigma: 1e-3, dtUs: SEC };
    const base = new GeometricBrownianProcess(new RandomStream(5, 'oracle/s'), options);
    const shocked = new GeometricBrownianProcess(new RandomStream(5, 'oracle/s'), options);
    shocked.shock(SEC / 2, Math.log(0.9)); // lands on t = 1 s
    expect(shocked.levelAt(0)).toBe(base.levelAt(0));
    for (let k = 1; k < 10; k++) {
      expect(shocked.levelAt(k * SEC) / base.levelAt(k * SEC)).toBeCloseTo(0.9, 10);
    }
  });

  it('should reject invalid parameters', () => {
    const s = new RandomStream(1, 'x');
    const ok: GeometricBrownianOptions = { initial: 100, mu: 0, sigma: 0.001, dtUs: SEC };
    expect(() => new GeometricBrownianProcess(s, { ...ok, initial: 0 })).toThrow(RangeError);
    expect(() => new GeometricBrownianProcess(s, { ...ok, sigma: -1 })).toThrow(RangeError);
    expect(() => new GeometricBrownianProcess(s, { ...ok, mu: Infinity })).toThrow(RangeError);
  });
});
