/**
 * Liquidation episodes (FACTS.md, "Cascades … episodes"): liquidations
 * grouped by time alone, reported beside the exact causal trees of
 * cascades.csv so that the two views can be compared.
 *
 * The rule: taken in time order, a liquidation belongs to the episode of the
 * one before it when it follows it by less than the gap
 * (t_i − t_{i−1} < gap); a gap of exactly `gapUs` or more starts a new
 * episode. FACTS.md groups liquidations "when the gap between consecutive
 * ones is below a stated time", so equality splits. Simultaneous
 * liquidations (the same µs) are always in one episode; rows of one time
 * keep their table order.
 *
 * @module
 */

import { emptyEpisodes, type ColumnsOf, type EpisodeTable, type LiquidationTable } from './output-tables.js';

/** The columns of liquidations.csv that episodes are made of. */
export type EpisodeLiquidations = Pick<ColumnsOf<LiquidationTable>, 'timeUs' | 'debtRepaid' | 'badDebt' | 'cascadeId'>;

/** Episodes as spans of the rows in time order. */
export interface EpisodeSpans {
  /** Row indices in time order (stable: rows of one time in table order). */
  readonly order: readonly number[];
  /** Where each episode begins in `order`, ascending; episode e is `order[starts[e] … starts[e+1])` (the last runs to the end). */
  readonly starts: readonly number[];
}

/**
 * Splits liquidation times into episodes (the rule above).
 *
 * @throws RangeError when `gapUs` is not a positive number or a time is not finite
 */
export function episodeSpans(timeUs: ArrayLike<number>, gapUs: number): EpisodeSpans {
  if (!(gapUs > 0) || !Number.isFinite(gapUs)) throw new RangeError(`the episode gap must be a positive number of µs, got ${gapUs}`);
  const n = timeUs.length;
  const order = new Array<number>(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const t = timeUs[i] as number;
    if (!Number.isFinite(t)) throw new RangeError(`liquidation ${i} has no finite time (${t})`);
    if (i > 0 && t < (timeUs[i - 1] as number)) sorted = false;
    order[i] = i;
  }
  // A run logs its liquidations in time order; other tables are sorted here.
  if (!sorted) order.sort((a, b) => (timeUs[a] as number) - (timeUs[b] as number) || a - b);
  const starts: number[] = [];
  for (let p = 0; p < n; p++) {
    if (p === 0 || (timeUs[order[p] as number] as number) - (timeUs[order[p - 1] as number] as number) >= gapUs) starts.push(p);
  }
  return { order, starts };
}

/**
 * episodes.csv of a liquidation table: per episode its id (1, 2, … by
 * start), first and last liquidation time, liquidations, notional
 * (Σ debt repaid + bad debt, as cascades.csv), the distinct cascades among
 * its liquidations and the most liquidations of one of them.
 *
 * @param priceDropPct per episode (`episode-price-drops.ts`, one pass over
 *   the trades); absent: NaN, not measured
 * @throws RangeError for a non-positive gap, a non-finite time, or drops of another length than the episodes
 */
export function groupEpisodes(liquidations: EpisodeLiquidations, gapUs: number, priceDropPct?: ArrayLike<number>, spans: EpisodeSpans = episodeSpans(liquidations.timeUs, gapUs)): EpisodeTable {
  const { order, starts } = spans;
  if (priceDropPct !== undefined && priceDropPct.length !== starts.length) {
    throw new RangeError(`${priceDropPct.length} price drops for ${starts.length} episodes`);
  }
  const table = emptyEpisodes();
  const perCascade = new Map<number, number>();
  for (let e = 0; e < starts.length; e++) {
    const from = starts[e] as number;
    const to = e + 1 < starts.length ? (starts[e + 1] as number) : order.length;
    perCascade.clear();
    let notional = 0;
    let largest = 0;
    for (let p = from; p < to; p++) {
      const row = order[p] as number;
      notional += (liquidations.debtRepaid[row] as number) + (liquidations.badDebt[row] as number);
      const cascade = liquidations.cascadeId[row] as number;
      const count = (perCascade.get(cascade) ?? 0) + 1;
      perCascade.set(cascade, count);
      if (count > largest) largest = count;
    }
    table.episodeId.push(e + 1);
    table.startUs.push(liquidations.timeUs[order[from] as number] as number);
    table.endUs.push(liquidations.timeUs[order[to - 1] as number] as number);
    table.liquidations.push(to - from);
    table.notional.push(notional);
    table.cascades.push(perCascade.size);
    table.largestCascade.push(largest);
    table.priceDropPct.push(priceDropPct === undefined ? Number.NaN : (priceDropPct[e] as number));
  }
  return table;
}
