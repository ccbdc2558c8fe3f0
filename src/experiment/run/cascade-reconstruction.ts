import { dropPct, PricesBefore } from '../../stats/prices-before.js';
import { treeStats } from '../../stats/tree-stats.js';
import { emptyCascades, type CascadeTable, type LiquidationTable, type TradeColumns, type TradeObserver, type TradeSource } from '../../stats/output-tables.js';

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
 * superset of the liquidations' deliveries), and `lineage: 'anchors'`: a
 * trade's walk then starts at its anchor (the nearest marked delivery among
 * the causes of its delivery). With `lineage: 'causes'` it goes on with
 * `causeOf` of the trade's cause instead (a full causal record).
 *
 * Fills `liquidations.cascadeId` and returns cascades.csv. The price drops
 * take one pass over the trades, only when there are liquidations;
 * `alsoSee` is shown every trade of that pass (the episodes' drops are
 * measured in it, so a run streams its trades once for both).
 */
export function reconstructCascades(
  liquidations: LiquidationTable,
  deliveryIds: readonly number[],
  causeOf: (id: number) => number,
  trades: TradeSource,
  lineage: 'anchors' | 'causes' = 'anchors',
  alsoSee?: TradeObserver,
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
  const resolver = new TradeCascades(deliveryIds, liquidations.cascadeId, causeOf, firstStart, lineage === 'anchors');
  const instruments = forest.trees.map((tree) => liquidations.instrument[tree.root]);
  const drops = k === 0 ? [] : priceDrops(trades, instruments, start, resolver, alsoSee);
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
 * The cascade among whose causes a trade is (0 for none): the fire sales of
 * a cascade's liquidations and everything they triggered. Asked of the
 * trades in time order, one at a time (they are streamed, not held); chains
 * are walked back once each, ids already resolved memoised, so the cost is
 * about one step per id of the run.
 */
export class TradeCascades {
  private readonly memo = new Map<number, number>();
  private readonly path: number[] = [];

  constructor(
    deliveryIds: readonly number[],
    cascadeIds: readonly number[],
    private readonly causeOf: (id: number) => number,
    private readonly from: number,
    private readonly anchors: boolean,
  ) {
    for (let i = 0; i < deliveryIds.length; i++) this.memo.set(deliveryIds[i], cascadeIds[i]);
  }

  /** The cascade (1-based; 0: none) of row `i` of chunk `c`. */
  of(c: TradeColumns, i: number): number {
    if ((c.timeUs[i] as number) < this.from) return 0;
    const memo = this.memo;
    let id = c.causeId[i] as number;
    if (this.anchors) {
      // The trade's own delivery, unless a liquidation's, is not marked: the lineage goes on at its anchor
      // (only marked ids are memoised then: the trades' deliveries are nearly all distinct).
      const own = memo.get(id);
      if (own !== undefined) return own;
      id = c.anchor[i] as number;
    }
    const path = this.path;
    path.length = 0;
    let found = 0;
    for (let steps = 0; id > 0 && steps < MAX_CHAIN; steps++) {
      const known = memo.get(id);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(id);
      id = this.causeOf(id);
    }
    for (const p of path) memo.set(p, found);
    return found;
  }
}

/**
 * Per cascade c (0-based, on `instruments[c]`, starting at `starts[c]`): the
 * fall of the traded price from the last trade before its start to the
 * lowest trade it caused (`cascades.of(chunk, row) === c + 1`: its fire
 * sales and what they triggered), in percent; 0 when it did not fall or
 * caused no trade. One pass over the trades for all cascades (trades are in
 * time order), each trade also shown to `alsoSee`.
 */
export function priceDrops(trades: TradeSource, instruments: readonly number[], starts: readonly number[], cascades: Pick<TradeCascades, 'of'>, alsoSee?: TradeObserver): number[] {
  const low = new Array<number>(starts.length).fill(Number.POSITIVE_INFINITY);
  const before = new PricesBefore(starts, instruments);
  for (const chunk of trades.chunks()) {
    for (let t = 0; t < chunk.length; t++) {
      const instrument = chunk.instrument[t] as number;
      const price = chunk.price[t] as number;
      before.see(chunk.timeUs[t] as number, instrument, price);
      const c = cascades.of(chunk, t) - 1;
      if (c >= 0 && instruments[c] === instrument) low[c] = Math.min(low[c], price);
      alsoSee?.see(chunk, t);
    }
  }
  return before.finish().map((b, c) => dropPct(b, low[c] as number));
}
