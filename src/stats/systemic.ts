/**
 * Systemic-risk aggregates over per-entity arrays (borrowers, lenders):
 * defaults, bad debt, and how losses are distributed across lenders.
 * Money arrays are integers in the quote currency's minor unit; their sums are
 * exact while below 2^53.
 *
 * @module
 */

/**
 * Number of entities in default: final equity (capital) strictly below
 * `floor` (default 0 — "a lender whose capital goes negative defaults").
 * Non-finite entries are not counted.
 */
export function countDefaults(equity: ArrayLike<number>, floor = 0): number {
  let c = 0;
  for (let i = 0; i < equity.length; i++) if (equity[i] < floor) c++;
  return c;
}

/**
 * Total bad debt Σ b_i: the loss beyond collateral over all closed-out loans.
 *
 * @throws RangeError on a negative or non-finite entry (bad debt is ≥ 0 by
 *   definition; anything else is an upstream bug).
 */
export function totalBadDebt(badDebt: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < badDebt.length; i++) {
    const b = badDebt[i];
    if (!(b >= 0) || !Number.isFinite(b)) throw new RangeError(`badDebt[${i}] = ${b} is not a finite amount ≥ 0`);
    s += b;
  }
  return s;
}

/**
 * Losses per lender: `lenders[i]` bears `losses[i]` (e.g. the bad-debt column
 * of liquidations.csv with its lender column). Returns lender → total, in
 * order of first appearance.
 *
 * @throws RangeError when the arrays differ in length.
 */
export function lenderLosses<K>(lenders: ArrayLike<K>, losses: ArrayLike<number>): Map<K, number> {
  if (lenders.length !== losses.length) {
    throw new RangeError(`lenders (${lenders.length}) and losses (${losses.length}) differ in length`);
  }
  const out = new Map<K, number>();
  for (let i = 0; i < lenders.length; i++) out.set(lenders[i], (out.get(lenders[i]) ?? 0) + losses[i]);
  return out;
}

/**
 * Fraction of initial capital lost per entity: max(0, (c0_i − c1_i) / c0_i).
 * Values above 1 mean the entity lost more than its capital (it defaulted).
 * NaN where the initial capital is not positive.
 *
 * @throws RangeError when the arrays differ in length.
 */
export function capitalLossFractions(initialCapital: ArrayLike<number>, finalCapital: ArrayLike<number>): number[] {
  if (initialCapital.length !== finalCapital.length) {
    throw new RangeError(`initialCapital (${initialCapital.length}) and finalCapital (${finalCapital.length}) differ in length`);
  }
  const out = new Array<number>(initialCapital.length);
  for (let i = 0; i < out.length; i++) {
    const c0 = initialCapital[i];
    out[i] = c0 > 0 ? Math.max(0, (c0 - finalCapital[i]) / c0) : Number.NaN;
  }
  return out;
}
