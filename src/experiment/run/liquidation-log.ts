import type { Kernel } from '../../engine/kernel.js';
import type { PositionLiquidated } from '../../credit/credit-events.js';
import { emptyLiquidations, type LiquidationTable } from '../../stats/output-tables.js';

/**
 * Records every PositionLiquidated of a run from the observation stream,
 * with the id of the delivery that executed it (the anchor of cascade
 * reconstruction). cascadeId is filled in afterwards by `reconstructCascades`.
 */
export class LiquidationLog {
  readonly table: LiquidationTable = emptyLiquidations();
  /** Per liquidation: the id of the delivery it was executed in. */
  readonly deliveryId: number[] = [];

  constructor(kernel: Kernel) {
    kernel.eventsOf<PositionLiquidated>('PositionLiquidated').subscribe((e) => this.record(e));
  }

  private record(e: PositionLiquidated): void {
    const t = this.table;
    t.timeUs.push(e.time);
    t.loanId.push(e.loanId);
    t.borrower.push(e.borrower);
    t.lender.push(e.lender);
    t.liquidator.push(e.liquidator);
    t.instrument.push(e.instrument);
    t.qty.push(e.qty);
    t.price.push(e.price);
    t.debtRepaid.push(e.debtRepaid);
    t.badDebt.push(e.badDebt);
    t.cascadeId.push(0);
    t.causeId.push(e.causeId);
    t.trigger.push(e.trigger);
    this.deliveryId.push(e.deliveryId);
  }
}
