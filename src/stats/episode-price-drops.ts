/**
 * The price drop of each liquidation episode (`episodes.ts`), measured while
 * the trades stream past once (they are not held: `TradeSource`).
 *
 * Definition, per episode, on the instrument of its first liquidation: the
 * fall from the last trade before the episode's start (time < start_us) to
 * the lowest trade at a time in [start_us, end_us + gap), in percent; 0 when
 * the price did not fall, when no trade preceded the start or none fell in
 * that window. The window runs on past the last liquidation by the gap
 * because the episode is over only once the gap has passed without another
 * liquidation: the fire sales of its last liquidation, sent after it, land
 * there. The windows of successive episodes do not overlap (the next one
 * starts at least a gap after the last liquidation of this one). As for
 * cascades.csv's drop, the "before" trade is the last one of a strictly
 * earlier time; unlike it, every trade in the window counts, whoever caused
 * it: episodes know nothing of causes.
 *
 * @module
 */

import { episodeSpans, type EpisodeLiquidations, type EpisodeSpans } from './episodes.js';
import { dropPct, PricesBefore } from './prices-before.js';
import type { ColumnsOf, LiquidationTable, TradeColumns, TradeObserver, TradeSource } from './output-tables.js';

/** The columns of liquidations.csv the drops need. */
export type DropLiquidations = Pick<EpisodeLiquidations, 'timeUs'> & Pick<ColumnsOf<LiquidationTable>, 'instrument'>;

/** Measures the episodes' drops from trades shown in time order (see the module). */
export class EpisodePriceDrops implements TradeObserver {
  private readonly windowEnd: number[] = [];
  private readonly instrument: number[] = [];
  private readonly low: number[];
  private readonly before: PricesBefore;

  /** @throws RangeError as `episodeSpans` */
  /** The episodes measured (`groupEpisodes` takes them rather than grouping again). */
  readonly spans: EpisodeSpans;

  constructor(liquidations: DropLiquidations, gapUs: number) {
    this.spans = episodeSpans(liquidations.timeUs, gapUs);
    const { order, starts } = this.spans;
    const start: number[] = [];
    for (let e = 0; e < starts.length; e++) {
      const first = order[starts[e] as number] as number;
      const lastRow = order[(e + 1 < starts.length ? (starts[e + 1] as number) : order.length) - 1] as number;
      start.push(liquidations.timeUs[first] as number);
      this.windowEnd.push((liquidations.timeUs[lastRow] as number) + gapUs);
      this.instrument.push(liquidations.instrument[first] as number);
    }
    this.before = new PricesBefore(start, this.instrument);
    this.low = new Array<number>(starts.length).fill(Number.POSITIVE_INFINITY);
  }

  see(chunk: TradeColumns, row: number): void {
    const time = chunk.timeUs[row] as number;
    const instrument = chunk.instrument[row] as number;
    const price = chunk.price[row] as number;
    this.before.see(time, instrument, price);
    // Windows do not overlap: only the episode started last can hold this trade.
    const opened = this.before.started;
    if (opened === 0) return;
    const e = this.before.spanAt(opened - 1);
    if (time < (this.windowEnd[e] as number) && instrument === this.instrument[e] && price < (this.low[e] as number)) this.low[e] = price;
  }

  /** The drop of each episode, %, in episode order; call once every trade has been seen. */
  drops(): number[] {
    return this.before.finish().map((b, e) => dropPct(b, this.low[e] as number));
  }
}

/** The episodes' drops in a pass of their own over the trades (where no other pass is taken). */
export function episodePriceDrops(trades: TradeSource, liquidations: DropLiquidations, gapUs: number): number[] {
  const drops = new EpisodePriceDrops(liquidations, gapUs);
  for (const chunk of trades.chunks()) for (let r = 0; r < chunk.length; r++) drops.see(chunk, r);
  return drops.drops();
}
