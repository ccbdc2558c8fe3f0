import type { Kernel } from '../../engine/kernel.js';
import type { TradeExecuted } from '../../market/market-events.js';
import { BUY, SELL, TradeStore } from './trade-store.js';

/** Records every TradeExecuted of a run from the observation stream into a {@link TradeStore}. */
export class TradeLog {
  readonly store = new TradeStore();

  constructor(private readonly kernel: Kernel) {
    kernel.eventsOf<TradeExecuted>('TradeExecuted').subscribe((t) => this.record(t));
  }

  private record(t: TradeExecuted): void {
    // The anchor is where cascade reconstruction continues its walk back (see TradeColumns.anchor).
    this.store.push(t.time, t.instrument, t.price, t.qty, t.buyer, t.seller, t.aggressor === 'buy' ? BUY : SELL, t.causeId, this.kernel.currentAnchor);
  }
}
