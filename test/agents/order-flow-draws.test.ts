import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/random-stream.js';
import { linearTicks, lomaxTicks, paretoLots } from '../../src/agents/_internals/heavy-tail.js';
import { OrderSignProcess } from '../../src/agents/order-sign-process.js';

/** Share of draws at or above each k. */
function survival(draws: readonly number[], ks: readonly number[]): number[] {
  return ks.map((k) => draws.filter((d) => d >= k).length / draws.length);
}

function acf(s: Float64Array, lag: number): number {
  let m = 0;
  for (const x of s) m += x;
  m /= s.length;
  let c = 0;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    v += (s[i]! - m) ** 2;
    if (i + lag < s.length) c += (s[i]! - m) * (s[i + lag]! - m);
  }
  return c / v;
}

describe('lomaxTicks (limit distance)', () => {
  it('should follow P(d ≥ k) = (1 + k/scale)^−ζ, a power law, not an exponential', () => {
    const rng = new RandomStream(1, 'd');
    const draws = Array.from({ length: 100_000 }, () => lomaxTicks(rng, 2, 1.5, 1_000_000));
    const ks = [1, 4, 16, 64, 256];
    const seen = survival(draws, ks);
    ks.forEach((k, i) => {
      const expected = Math.pow(1 + k / 2, -1.5);
      // Binomial sd at 100k draws is below 0.0016; 10 % relative or 0.002 absolute.
      expect(Math.abs(seen[i]! - expected), `k=${k}`).toBeLessThan(Math.max(0.1 * expected, 0.002));
    });
    // Mean scale/(ζ−1) = 4 ticks, noisy because the tail is heavy.
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(3);
    expect(mean).toBeLessThan(5);
  });

  it('should thin its tail with a larger exponent', () => {
    const heavy = new RandomStream(2, 'd');
    const light = new RandomStream(2, 'd');
    const h = survival(Array.from({ length: 50_000 }, () => lomaxTicks(heavy, 2, 1.5, 1000)), [50])[0]!;
    const l = survival(Array.from({ length: 50_000 }, () => lomaxTicks(light, 2, 3, 1000)), [50])[0]!;
    expect(h).toBeGreaterThan(10 * l);
  });
});

describe('linearTicks (latent-liquidity distance)', () => {
  it('should have P(d < k) = (k / (max + 1))², so depth grows as the square of the distance', () => {
    const rng = new RandomStream(4, 'l');
    const draws = Array.from({ length: 100_000 }, () => linearTicks(rng, 199));
    for (const k of [10, 50, 100, 150]) {
      const seen = draws.filter((d) => d < k).length / draws.length;
      expect(Math.abs(seen - (k / 200) ** 2), `k=${k}`).toBeLessThan(0.006);
    }
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBe(199);
  });
});

describe('paretoLots (order size)', () => {
  it('should be heavy-tailed within its bounds', () => {
    const rng = new RandomStream(3, 'q');
    const draws = Array.from({ length: 100_000 }, () => paretoLots(rng, 1, 1.5, 100));
    const [s2, s10] = survival(draws, [2, 10]);
    // Truncated Pareto on [1, 101): P(q ≥ k) = (k^−1.5 − 101^−1.5) / (1 − 101^−1.5).
    const top = Math.pow(101, -1.5);
    expect(s2!).toBeCloseTo((Math.pow(2, -1.5) - top) / (1 - top), 2);
    expect(s10!).toBeCloseTo((Math.pow(10, -1.5) - top) / (1 - top), 2);
    expect(Math.max(...draws)).toBe(100);
  });

  it('should stay integer and within bounds for any parameters (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 1.01, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (minLots, extra, sizeTail, scale, distTail, seed) => {
          const rng = new RandomStream(seed, 'p');
          for (let i = 0; i < 50; i++) {
            const q = paretoLots(rng, minLots, sizeTail, minLots + extra);
            if (!Number.isInteger(q) || q < minLots || q > minLots + extra) return false;
            const d = lomaxTicks(rng, scale, distTail, extra);
            if (!Number.isInteger(d) || d < 0 || d > extra) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('OrderSignProcess', () => {
  const signs = (hurst: number, seed: number) => {
    const p = new OrderSignProcess(hurst);
    const rng = new RandomStream(seed, 's');
    return Float64Array.from({ length: 100_000 }, () => p.next(rng));
  };

  it('should give independent signs at H = 0.5', () => {
    const s = signs(0.5, 1);
    for (const lag of [1, 10, 100]) expect(Math.abs(acf(s, lag))).toBeLessThan(0.02);
  });

  it('should give long memory at H = 0.75: positive correlation that decays as a power law, not exponentially', () => {
    const s = signs(0.75, 1);
    const a1 = acf(s, 1);
    const a10 = acf(s, 10);
    const a100 = acf(s, 100);
    expect(a10).toBeGreaterThan(0.15);
    expect(a100).toBeGreaterThan(0.02);
    // τ^−(α−1) = τ^−0.5 gives a100/a10 ≈ 0.32; an exponential with this a1 gives a1^90 ≈ 0.
    expect(a100 / a10).toBeGreaterThan(0.1);
    expect(a1).toBeGreaterThan(a10);
  });

  it('should refuse a Hurst exponent outside [0.5, 1)', () => {
    expect(() => new OrderSignProcess(1)).toThrow(RangeError);
    expect(() => new OrderSignProcess(0.4)).toThrow(RangeError);
  });
});
