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

import { episodeSpans, type EpisodeLiquidations } from './episodes.js';
import type { ColumnsOf, LiquidationTable, TradeColumns, TradeObserver, TradeSource } from './output-tables.js';

/** The columns of liquidations.csv the drops need. */
export type DropLiquidations = Pick<EpisodeLiquidations, 'timeUs'> & Pick<ColumnsOf<LiquidationTable>, 'instrument'>;

/** Measures the episodes' drops from trades shown in time order (see the module). */
export class EpisodePriceDrops implements TradeObserver {
  private readonly start: number[] = [];
  private readonly windowEnd: number[] = [];
  private readonly instrument: number[] = [];
  private readonly before: number[];
  private readonly low: number[];
  /** Last trade price by instrument. */
  private readonly last = new Map<number, number>();
  /** Episodes whose start has been passed. */
  private next = 0;

  /** @throws RangeError as `episodeSpans` */
  constructor(liquidations: DropLiquidations, gapUs: number) {
    const { order, starts } = episodeSpans(liquidations.timeUs, gapUs);
    for (let e = 0; e < starts.length; e++) {
      const first = order[starts[e] as number] as number;
      const lastRow = order[(e + 1 < starts.length ? (starts[e + 1] as number) : order.length) - 1] as number;
      this.start.push(liquidations.timeUs[first] as number);
      this.windowEnd.push((liquidations.timeUs[lastRow] as number) + gapUs);
      this.instrument.push(liquidations.instrument[first] as number);
    }
    this.before = new Array<number>(starts.length).fill(Number.NaN);
    this.low = new Array<number>(starts.length).fill(Number.POSITIVE_INFINITY);
  }

  see(chunk: TradeColumns, row: number): void {
    const time = chunk.timeUs[row] as number;
    this.open(time);
    const instrument = chunk.instrument[row] as number;
    const price = chunk.price[row] as number;
    this.last.set(instrument, price);
    // Windows do not overlap: only the episode started last can hold this trade.
    const e = this.next - 1;
    if (e >= 0 && time < (this.windowEnd[e] as number) && instrument === this.instrument[e] && price < (this.low[e] as number)) this.low[e] = price;
  }

  /** The drop of each episode, %, in episode order; call once every trade has been seen. */
  drops(): number[] {
    this.open(Number.POSITIVE_INFINITY);
    return this.before.map((b, e) => {
      const low = this.low[e] as number;
      return b > 0 && low !== Number.POSITIVE_INFINITY ? Math.max(0, ((b - low) / b) * 100) : 0;
    });
  }

  /** Episodes starting at or before `time` take the last prices of the trades before it. */
  private open(time: number): void {
    const k = this.start.length;
    while (this.next < k && (this.start[this.next] as number) <= time) {
      this.before[this.next] = this.last.get(this.instrument[this.next] as number) ?? Number.NaN;
      this.next++;
    }
  }
}

/** The episodes' drops in a pass of their own over the trades (where no other pass is taken). */
export function episodePriceDrops(trades: TradeSource, liquidations: DropLiquidations, gapUs: number): number[] {
  const drops = new EpisodePriceDrops(liquidations, gapUs);
  for (const chunk of trades.chunks()) for (let r = 0; r < chunk.length; r++) drops.see(chunk, r);
  return drops.drops();
}
