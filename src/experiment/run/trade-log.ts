import type { Kernel } from '../../engine/kernel.js';
import type { TradeExecuted } from '../../market/market-events.js';
import type { TradeTable } from '../../stats/output-tables.js';

/** Records every TradeExecuted of a run from the observation stream. */
export class TradeLog {
  readonly table: TradeTable = { timeUs: [], instrument: [], price: [], qty: [], buyer: [], seller: [], aggressor: [], causeId: [], id: [] };
  /**
   * Per trade: the nearest marked delivery among the causes of the delivery
   * it happened in (`Kernel.currentAnchor`), where cascade reconstruction
   * continues its walk back, the kernel keeping no other old cause.
   */
  readonly anchor: number[] = [];

  constructor(private readonly kernel: Kernel) {
    kernel.eventsOf<TradeExecuted>('TradeExecuted').subscribe((t) => this.record(t));
  }

  private record(t: TradeExecuted): void {
    const table = this.table;
    table.timeUs.push(t.time);
    table.instrument.push(t.instrument);
    table.price.push(t.price);
    table.qty.push(t.qty);
    table.buyer.push(t.buyer);
    table.seller.push(t.seller);
    table.aggressor.push(t.aggressor);
    table.causeId.push(t.causeId);
    table.id.push(t.id);
    this.anchor.push(this.kernel.currentAnchor);
  }
}
