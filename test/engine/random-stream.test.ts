import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/random-stream.js';

const N = 100_000;

function draw(n: number, f: () => number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = f();
  return xs;
}

function moments(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, variance: ss / (xs.length - 1) };
}

/** Asserts |actual - expected| <= tol, naming the quantity on failure. */
function near(what: string, actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected} ± ${tol}`).toBeLessThanOrEqual(tol);
}

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/**
 * Pearson chi-square of integer samples against a pmf, over the bins with an
 * expected count of at least 20 plus one pooled bin for the rest.
 */
function chiSquare(xs: Float64Array, pmf: (k: number) => number, lo: number, hi: number): { stat: number; dof: number } {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let stat = 0;
  let bins = 0;
  let restObserved = xs.length;
  let restExpected = xs.length;
  for (let k = lo; k <= hi; k++) {
    const e = xs.length * pmf(k);
    if (e < 20) continue;
    const o = counts.get(k) ?? 0;
    stat += ((o - e) * (o - e)) / e;
    bins++;
    restObserved -= o;
    restExpected -= e;
  }
  stat += ((restObserved - restExpected) * (restObserved - restExpected)) / restExpected;
  return { stat, dof: bins };
}

describe('RandomStream', () => {
  it('should give the same sequence for the same seed and name', () => {
    const a = new RandomStream(42, 'agent/x');
    const b = new RandomStream(42, 'agent/x');
    expect(draw(1_000, () => a.uniform())).toEqual(draw(1_000, () => b.uniform()));
  });

  it('should give different sequences for a different name or a different seed', () => {
    const seq = (seed: number | string, name: string) => {
      const rng = new RandomStream(seed, name);
      return Array.from(draw(100, () => rng.uniform()));
    };
    const ref = seq(42, 'agent/x');
    expect(seq(42, 'agent/y')).not.toEqual(ref);
    expect(seq(43, 'agent/x')).not.toEqual(ref);
    expect(seq('42', 'agent/x')).toEqual(ref);
    // The seed and the name are not simply concatenated: ('1', '2x') and ('12', 'x') differ.
    expect(seq('1', '2x')).not.toEqual(seq('12', 'x'));
  });

  it('should draw uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new RandomStream(1, 'uniform');
    const xs = draw(N, () => rng.uniform());
    expect(xs.filter((x) => !(x >= 0 && x < 1)).length).toBe(0);
    const { mean, variance } = moments(xs);
    near('mean', mean, 0.5, 0.005);
    near('variance', variance, 1 / 12, 0.002);
  });

  it('should draw uniformIn on [lo, hi)', () => {
    const rng = new RandomStream(1, 'uniformIn');
    const xs = draw(10_000, () => rng.uniformIn(-3, 5));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...xs)).toBeLessThan(5);
    near('mean', moments(xs).mean, 1, 0.12);
  });

  it('should draw int with both bounds inclusive and each value about equally often', () => {
    const rng = new RandomStream(1, 'int');
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const k = rng.int(-2, 3);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) near('count', c, 10_000, 500);
    expect(rng.int(7, 7)).toBe(7);
  });

  it('should draw bernoulli(p) true with frequency p', () => {
    const rng = new RandomStream(1, 'bernoulli');
    let hits = 0;
    for (let i = 0; i < N; i++) if (rng.bernoulli(0.3)) hits++;
    near('frequency', hits / N, 0.3, 0.008);
    expect(rng.bernoulli(0)).toBe(false);
    expect(rng.bernoulli(1)).toBe(true);
  });

  it('should draw normal(mean, sd) with that mean and sd, and symmetric tails', () => {
    const rng = new RandomStream(1, 'normal');
    const xs = draw(N, () => rng.normal(3, 2));
    const { mean, variance } = moments(xs);
    near('mean', mean, 3, 0.03);
    near('sd', Math.sqrt(variance), 2, 0.03);
    // P(|Z| > 1.96) = 0.05
    let tails = 0;
    for (const x of xs) if (Math.abs(x - 3) > 2 * 1.96) tails++;
    near('P(|Z|>1.96)', tails / N, 0.05, 0.004);
  });

  it('should draw exponential(rate) with mean 1/rate and variance 1/rate²', () => {
    const rng = new RandomStream(1, 'exponential');
    const xs = draw(N, () => rng.exponential(4));
    expect(xs.filter((x) => !(x >= 0 && Number.isFinite(x))).length).toBe(0);
    const { mean, variance } = moments(xs);
    near('mean', mean, 0.25, 0.005);
    near('variance', variance, 1 / 16, 0.003);
  });

  it('should draw lognormal(mu, sigma) with mean exp(mu + sigma²/2)', () => {
    const rng = new RandomStream(1, 'lognormal');
    const mu = 0.5;
    const sigma = 0.4;
    const xs = draw(N, () => rng.lognormal(mu, sigma));
    const want = Math.exp(mu + (sigma * sigma) / 2);
    near('mean', moments(xs).mean, want, want * 0.01);
    const logs = xs.map(Math.log);
    near('mean of log', moments(logs).mean, mu, 0.005);
    near('sd of log', Math.sqrt(moments(logs).variance), sigma, 0.005);
  });

  describe('poisson', () => {
    for (const lambda of [3, 50, 1000]) {
      it(`should draw poisson(${lambda}) as integers with mean = variance = ${lambda}`, () => {
        const rng = new RandomStream(1, `poisson/${lambda}`);
        const xs = draw(N, () => rng.poisson(lambda));
        expect(xs.filter((x) => !(Number.isInteger(x) && x >= 0)).length).toBe(0);
        const { mean, variance } = moments(xs);
        // Standard errors: sqrt(λ/N) for the mean, about λ·sqrt(2/N) for the variance.
        near('mean', mean, lambda, 5 * Math.sqrt(lambda / N));
        near('variance', variance, lambda, 5 * Math.sqrt((lambda + 2 * lambda * lambda) / N));
      });
    }

    for (const lambda of [3, 50]) {
      it(`should match the poisson(${lambda}) pmf by chi-square`, () => {
        const rng = new RandomStream(2, `poisson-pmf/${lambda}`);
        const xs = draw(N, () => rng.poisson(lambda));
        const pmf = (k: number) => Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
        const { stat, dof } = chiSquare(xs, pmf, 0, 3 * lambda + 20);
        // Far beyond the 0.999 quantile of chi-square(dof) would mean a wrong shape.
        expect(stat).toBeLessThan(dof + 5 * Math.sqrt(2 * dof) + 10);
      });
    }

    it('should return 0 for lambda <= 0', () => {
      const rng = new RandomStream(1, 'poisson/0');
      expect(rng.poisson(0)).toBe(0);
      expect(rng.poisson(-1)).toBe(0);
    });
  });

  it('should draw studentT(5) with mean 0 and variance nu/(nu-2)', () => {
    const rng = new RandomStream(1, 'studentT');
    const nu = 5;
    const xs = draw(N, () => rng.studentT(nu));
    const { mean, variance } = moments(xs);
    near('mean', mean, 0, 0.03);
    near('variance', variance, nu / (nu - 2), 0.1);
    // Two-sided 10% critical value of t(5) is 2.015.
    let tails = 0;
    for (const x of xs) if (Math.abs(x) > 2.015) tails++;
    near('P(|T|>2.015)', tails / N, 0.1, 0.005);
  });

  for (const shape of [0.5, 1, 2.5, 9]) {
    it(`should draw gamma(${shape}) with mean and variance equal to the shape`, () => {
      const rng = new RandomStream(1, `gamma/${shape}`);
      const xs = draw(N, () => rng.gamma(shape));
      expect(xs.filter((x) => !(x >= 0 && Number.isFinite(x))).length).toBe(0);
      const { mean, variance } = moments(xs);
      near('mean', mean, shape, 5 * Math.sqrt(shape / N));
      // Var of the sample variance of Gamma(k) is about (6k + 2k²)/N.
      near('variance', variance, shape, 5 * Math.sqrt((6 * shape + 2 * shape * shape) / N));
    });
  }

  it('should shuffle into a permutation, in place, deterministically', () => {
    const rng = new RandomStream(1, 'shuffle');
    const items = [...Array(50).keys()];
    const out = rng.shuffle(items);
    expect(out).toBe(items);
    expect([...out].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(out).not.toEqual([...Array(50).keys()]);
    expect(new RandomStream(1, 'shuffle').shuffle([...Array(50).keys()])).toEqual(out);
    expect(rng.shuffle([])).toEqual([]);
    expect(rng.shuffle(['only'])).toEqual(['only']);
  });

  it('should put every element in every position about equally often', () => {
    const rng = new RandomStream(1, 'shuffle-uniform');
    const n = 4;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const trials = 40_000;
    for (let t = 0; t < trials; t++) {
      const p = rng.shuffle([0, 1, 2, 3]);
      p.forEach((v, pos) => counts[v]![pos]!++);
    }
    for (const row of counts) for (const c of row) near('count', c, trials / n, 300);
  });
});
