/**
 * Heavy-tailed integer draws for zero-intelligence order flow, by inversion
 * of a truncated continuous law (so no probability piles up at the bound).
 *
 * @internal
 */

/** The uniform source the draws consume (an agent's `RandomStream`). */
export interface UniformSource {
  uniform(): number;
}

/**
 * Distance from the same-side best quote, ticks, in `[0, maxTicks]`:
 * `floor(X)` with X Lomax (Pareto II), `P(X > x) = (1 + x/scale)^(−tail)`,
 * truncated to `[0, maxTicks + 1)`. The density decays as `x^−(1+tail)`, the
 * form Zovko & Farmer (2002) and Bouchaud, Mézard & Potters (2002) measured
 * for relative limit prices; the untruncated mean `scale / (tail − 1)` is
 * finite only for `tail > 1`, which the caller enforces.
 */
export function lomaxTicks(rng: UniformSource, scale: number, tail: number, maxTicks: number): number {
  // F(m) = 1 − (1 + m/scale)^−tail at the truncation point m = maxTicks + 1.
  const top = 1 - Math.pow(1 + (maxTicks + 1) / scale, -tail);
  const u = rng.uniform() * top;
  const x = scale * (Math.pow(1 - u, -1 / tail) - 1);
  return Math.min(maxTicks, Math.floor(x));
}

/**
 * Distance from the same-side best quote, ticks, in `[0, maxTicks]`, with a
 * density that grows linearly with the distance: `floor(X)`, X = (maxTicks + 1)·√U.
 * Orders placed this way and left to rest build the V-shaped latent order
 * book of Tóth et al. ("Anomalous price impact and the critical nature of
 * liquidity in financial markets", PRX 1, 2011) and Donier, Bonart,
 * Mastromatteo & Bouchaud ("A fully consistent, minimal model for
 * non-linear market impact", Quant. Finance 15(7), 2015): depth within x
 * ticks grows as x², so the price move that consumes Q lots grows as √Q.
 */
export function linearTicks(rng: UniformSource, maxTicks: number): number {
  return Math.min(maxTicks, Math.floor((maxTicks + 1) * Math.sqrt(rng.uniform())));
}

/**
 * An order size, lots, in `[minLots, maxLots]`: `floor(X)` with X Pareto,
 * `P(X > x) = (x/minLots)^(−tail)` for x ≥ minLots, truncated to
 * `[minLots, maxLots + 1)`. Gopikrishnan et al. (2000) and Maslov & Mills
 * (2001) find order and trade sizes with a power-law tail of exponent about
 * 1.5; the bound keeps the mean finite for any tail.
 */
export function paretoLots(rng: UniformSource, minLots: number, tail: number, maxLots: number): number {
  if (maxLots <= minLots) return minLots;
  const top = 1 - Math.pow(minLots / (maxLots + 1), tail);
  const u = rng.uniform() * top;
  const x = minLots * Math.pow(1 - u, -1 / tail);
  return Math.min(maxLots, Math.max(minLots, Math.floor(x)));
}
