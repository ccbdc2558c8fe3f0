/**
 * Aggregate statistics of liquidation cascades (one record per cascade, as in
 * `cascades.csv`: number of liquidations, depth, notional), and of any other
 * grouping of liquidations given the same way (the episodes of `episodes.csv`).
 *
 * @module
 */

/** One distinct value and how often it occurs. */
export interface FrequencyEntry {
  value: number;
  count: number;
}

/** Distinct values with their counts, ascending by value (non-finite values ignored). */
export function frequencyTable(values: ArrayLike<number>): FrequencyEntry[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => a.value - b.value);
}

/** Column arrays of cascade records; `depths` and `notionals` are optional. */
export interface CascadeRecords {
  /** Liquidations per cascade. */
  sizes: ArrayLike<number>;
  /** Generations per cascade (see `treeStats`). */
  depths?: ArrayLike<number>;
  /** Notional liquidated per cascade (quote minor units). */
  notionals?: ArrayLike<number>;
}

/** Summary of a set of cascades. Maxima of an empty set are 0. */
export interface CascadeStats {
  count: number;
  /** size → number of cascades of that size, ascending by size. */
  sizeDistribution: FrequencyEntry[];
  /** Largest size (liquidations in the biggest cascade). */
  largest: number;
  maxDepth: number;
  maxNotional: number;
  totalNotional: number;
}

/**
 * Count, size distribution, largest size, maximum depth and notional of a set
 * of cascades. Optional columns that are absent contribute 0.
 *
 * @throws RangeError when a given column's length differs from `sizes`.
 */
export function cascadeStats(records: CascadeRecords): CascadeStats {
  const { sizes, depths, notionals } = records;
  for (const [name, col] of [['depths', depths], ['notionals', notionals]] as const) {
    if (col !== undefined && col.length !== sizes.length) {
      throw new RangeError(`${name} (${col.length}) and sizes (${sizes.length}) differ in length`);
    }
  }
  let totalNotional = 0;
  for (let i = 0; i < (notionals?.length ?? 0); i++) totalNotional += (notionals as ArrayLike<number>)[i];
  return {
    count: sizes.length,
    sizeDistribution: frequencyTable(sizes),
    largest: maxOrZero(sizes),
    maxDepth: depths === undefined ? 0 : maxOrZero(depths),
    maxNotional: notionals === undefined ? 0 : maxOrZero(notionals),
    totalNotional,
  };
}

/**
 * The share of all liquidations that are in groups (cascades or episodes) of
 * at least `minSize` liquidations: Σ sizes ≥ minSize / Σ sizes. FACTS.md
 * reports it at 3 ("the share of liquidations in trees of 3 or more"). NaN
 * without liquidations.
 */
export function shareInGroupsOfAtLeast(sizes: ArrayLike<number>, minSize: number): number {
  let all = 0;
  let large = 0;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i] as number;
    all += s;
    if (s >= minSize) large += s;
  }
  return all > 0 ? large / all : Number.NaN;
}

function maxOrZero(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}
