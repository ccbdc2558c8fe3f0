import { treeStats } from '../../stats/tree-stats.js';
import { emptyCascades, type CascadeTable, type LiquidationTable, type TradeTable } from '../../stats/output-tables.js';

/** Longest causal chain walked back from one liquidation (a guard, far above any real cascade). */
const MAX_CHAIN = 100_000;

/**
 * Rebuilds liquidation cascades exactly from the kernel's causal record.
 *
 * A liquidation's parent is the nearest earlier liquidation found by walking
 * back the chain of causes of the delivery that executed it: the liquidation
 * call was sent on a notice caused by a price move, caused by an order,
 * caused … by the liquidator's sale of an earlier liquidation's collateral.
 * Rows executed in one delivery (the legs of one step, the fills of one
 * sale order) hang under the first of them. Liquidations with no
 * liquidation among their causes start a cascade. The
 * result is a forest; each tree is a cascade, numbered 1, 2, … by its root's
 * order. Nothing is inferred from time windows.
 *
 * `causeOf` need not give every link: any ancestor will do as long as no
 * liquidation's delivery is skipped. A run passes the kernel's marked
 * lineage (`Kernel.markedAncestorOf`, the marked deliveries alone, a
 * superset of the liquidations' deliveries), with `tradeAnchors` — per
 * trade, the nearest marked delivery among the causes of its delivery —
 * where that lineage starts for a trade; without `tradeAnchors`, a trade's
 * walk goes on with `causeOf` of its cause (a full causal record).
 *
 * Fills `liquidations.cascadeId` and returns cascades.csv.
 */
export function reconstructCascades(
  liquidations: LiquidationTable,
  deliveryIds: readonly number[],
  causeOf: (id: number) => number,
  trades: TradeTable,
  tradeAnchors?: readonly number[],
): CascadeTable {
  const n = deliveryIds.length;
  const indexOfDelivery = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!indexOfDelivery.has(deliveryIds[i])) indexOfDelivery.set(deliveryIds[i], i);
  const parents = new Array<number>(n);
  for (let i = 0; i < n; i++) parents[i] = parentOf(i, deliveryIds, indexOfDelivery, causeOf);
  const forest = treeStats(parents);
  const table = emptyCascades();
  for (let i = 0; i < n; i++) liquidations.cascadeId[i] = forest.treeOf[i] + 1;
  const k = forest.trees.length;
  const start = new Array<number>(k).fill(Number.POSITIVE_INFINITY);
  const end = new Array<number>(k).fill(Number.NEGATIVE_INFINITY);
  const notional = new Array<number>(k).fill(0);
  let firstStart = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = forest.treeOf[i];
    const t = liquidations.timeUs[i];
    start[c] = Math.min(start[c], t);
    end[c] = Math.max(end[c], t);
    notional[c] = notional[c] + liquidations.debtRepaid[i] + liquidations.badDebt[i];
    firstStart = Math.min(firstStart, t);
  }
  const cascadeOfTrade = tradeCascades(trades, deliveryIds, liquidations.cascadeId, causeOf, firstStart, tradeAnchors);
  const instruments = forest.trees.map((tree) => liquidations.instrument[tree.root]);
  const drops = priceDrops(trades, instruments, start, cascadeOfTrade);
  forest.trees.forEach((tree, c) => {
    table.cascadeId.push(c + 1);
    table.startUs.push(start[c]);
    table.endUs.push(end[c]);
    table.liquidations.push(tree.size);
    table.depth.push(tree.depth);
    table.notional.push(notional[c]);
    table.priceDropPct.push(drops[c]);
  });
  return table;
}

function parentOf(i: number, deliveryIds: readonly number[], indexOfDelivery: ReadonlyMap<number, number>, causeOf: (id: number) => number): number {
  // Rows of one delivery are one liquidation (the legs of a multi-asset step,
  // the fills of one sale order): the later ones hang under the first.
  const first = indexOfDelivery.get(deliveryIds[i]) as number;
  if (first !== i) return first;
  let c = causeOf(deliveryIds[i]);
  for (let steps = 0; c > 0 && steps < MAX_CHAIN; steps++) {
    const j = indexOfDelivery.get(c);
    if (j !== undefined) return j;
    c = causeOf(c);
  }
  return -1;
}

/**
 * For each trade, the cascade among whose causes it is (0 for none): the
 * fire sales of a cascade's liquidations and everything they triggered.
 * Chains are walked back once each; ids already resolved are memoised, so
 * the cost is about one step per id of the run.
 */
function tradeCascades(trades: TradeTable, deliveryIds: readonly number[], cascadeIds: readonly number[], causeOf: (id: number) => number, from: number, anchors: readonly number[] | undefined): number[] {
  const memo = new Map<number, number>();
  for (let i = 0; i < deliveryIds.length; i++) memo.set(deliveryIds[i], cascadeIds[i]);
  const out = new Array<number>(trades.id.length).fill(0);
  const path: number[] = [];
  for (let t = 0; t < trades.id.length; t++) {
    if (trades.timeUs[t] < from) continue;
    let c = trades.causeId[t];
    let found = 0;
    path.length = 0;
    if (anchors !== undefined) {
      // The trade's own delivery, unless a liquidation's, is not marked: the lineage goes on at its anchor
      // (only marked ids are memoised then: the trades' deliveries are nearly all distinct).
      const own = memo.get(c);
      if (own !== undefined) {
        out[t] = own;
        continue;
      }
      c = anchors[t];
    }
    for (let steps = 0; c > 0 && steps < MAX_CHAIN; steps++) {
      const known = memo.get(c);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(c);
      c = causeOf(c);
    }
    for (const id of path) memo.set(id, found);
    out[t] = found;
  }
  return out;
}

/**
 * Per cascade c (0-based, on `instruments[c]`, starting at `starts[c]`): the
 * fall of the traded price from the last trade before its start to the
 * lowest trade it caused (`cascadeOfTrade[t] === c + 1`: its fire sales and
 * what they triggered), in percent; 0 when it did not fall or caused no
 * trade. One pass over the trades for all cascades (trades are in time order).
 */
export function priceDrops(trades: TradeTable, instruments: readonly number[], starts: readonly number[], cascadeOfTrade: readonly number[]): number[] {
  const k = starts.length;
  const low = new Array<number>(k).fill(Number.POSITIVE_INFINITY);
  const before = new Array<number>(k).fill(Number.NaN);
  const byStart = Array.from({ length: k }, (_, c) => c).sort((a, b) => starts[a] - starts[b] || a - b);
  const last = new Map<number, number>();
  let next = 0;
  for (let t = 0; t < trades.timeUs.length; t++) {
    const time = trades.timeUs[t];
    // Cascades starting at or before this trade see the last prices of earlier trades.
    while (next < k && starts[byStart[next]] <= time) {
      const c = byStart[next++];
      before[c] = last.get(instruments[c]) ?? Number.NaN;
    }
    const instrument = trades.instrument[t];
    const price = trades.price[t];
    last.set(instrument, price);
    const c = cascadeOfTrade[t] - 1;
    if (c >= 0 && instruments[c] === instrument) low[c] = Math.min(low[c], price);
  }
  while (next < k) {
    const c = byStart[next++];
    before[c] = last.get(instruments[c]) ?? Number.NaN;
  }
  return before.map((b, c) => (b > 0 && low[c] !== Number.POSITIVE_INFINITY ? Math.max(0, ((b - low[c]) / b) * 100) : 0));
}
