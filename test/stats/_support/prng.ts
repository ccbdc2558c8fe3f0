/** Small seeded generators for the stats tests (no Math.random). */

/** mulberry32: a 32-bit seeded uniform generator on [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller from a uniform source. */
export function gaussian(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - random(); // (0, 1]
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** n draws of a generator. */
export function draws(n: number, next: () => number): number[] {
  return Array.from({ length: n }, next);
}

/** Pareto(α, x_min) draws: P(X > x) = (x / x_min)^{−α}. */
export function pareto(alpha: number, xmin: number, random: () => number): () => number {
  return () => xmin * (1 - random()) ** (-1 / alpha);
}
