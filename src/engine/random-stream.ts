import seedrandom from 'seedrandom';

/**
 * A named, seeded stream of random numbers.
 *
 * Every agent, process and latency model draws from its own stream derived
 * from `(seed, name)`, so adding a consumer never changes what the others
 * draw. The generator is seedrandom's Alea (fast, 2^116 period); the default
 * ARC4 generator is several times slower and never used here.
 *
 * All distributions are built from `uniform()` only, in plain arithmetic, so
 * a stream is reproducible on any machine running the same Node.js major.
 */
export class RandomStream {
  private readonly next: () => number;
  /** Spare normal deviate from the last Box–Muller pair (NaN when empty). */
  private spare = Number.NaN;

  /**
   * @param seed the run's master seed
   * @param name the consumer's stable name, e.g. `agent/noise-17` or `oracle/ABC`
   */
  constructor(
    readonly seed: string | number,
    readonly name: string,
  ) {
    this.next = seedrandom.alea(`${seed}\u0000${name}`);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer on [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Normal(mean, sd) by the Box–Muller transform; pairs are cached. */
  normal(mean = 0, sd = 1): number {
    let z = this.spare;
    if (z === z) {
      this.spare = Number.NaN;
    } else {
      let u = this.next();
      while (u === 0) u = this.next();
      const r = Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * this.next();
      z = r * Math.cos(theta);
      this.spare = r * Math.sin(theta);
    }
    return mean + sd * z;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** Lognormal: exp(Normal(mu, sigma)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /**
   * Poisson(lambda). Knuth's multiplication method below 30; above, the
   * PTRS transformed rejection of Hörmann (1993), exact for any lambda.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return this.poissonPtrs(lambda);
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 by boosting. */
  gamma(shape: number): number {
    if (shape < 1) {
      const u = this.next();
      return this.gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Student-t with nu degrees of freedom: Z / sqrt(ChiSq(nu) / nu). */
  studentT(nu: number): number {
    const chi2 = 2 * this.gamma(nu / 2);
    return this.normal() / Math.sqrt(chi2 / nu);
  }

  /** Fisher–Yates shuffle in place (the order in which agents act is seeded too). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  private poissonPtrs(lambda: number): number {
    const slam = Math.sqrt(lambda);
    const logLam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
      const rhs = -lambda + k * logLam - logFactorial(k);
      if (lhs <= rhs) return k;
    }
  }
}

/** ln(k!) exactly summed for small k, Stirling's series beyond. */
function logFactorial(k: number): number {
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}
