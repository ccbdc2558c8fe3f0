import type { AgentId } from '../engine/agent-id.js';
import type { SimEvent } from '../engine/sim-event.js';
import type { InstrumentId } from './instrument.js';
import type { OrderReport } from './order-messages.js';
import type { Side } from './side.js';

/** Observed: a trade. Prices in ticks, quantity in lots; buyer/seller are agent ids. */
export interface TradeExecuted extends SimEvent {
  readonly type: 'TradeExecuted';
  readonly instrument: InstrumentId;
  readonly price: number;
  readonly qty: number;
  readonly buyer: AgentId;
  readonly seller: AgentId;
  readonly aggressor: Side;
  readonly makerOrderId: number;
  readonly takerOrderId: number;
}

/** Observed: the best bid or ask of a book changed (NO_PRICE = empty side). */
export interface BookChanged extends SimEvent {
  readonly type: 'BookChanged';
  readonly instrument: InstrumentId;
  readonly bidPrice: number;
  readonly bidQty: number;
  readonly askPrice: number;
  readonly askQty: number;
}

/**
 * Observed: a report the exchange sent to an agent (accepted, rejected,
 * filled, cancelled, modified), with the agent it went to.
 */
export interface OrderReported extends SimEvent {
  readonly type: 'OrderReported';
  readonly agent: AgentId;
  readonly report: OrderReport;
}

/** Every event the market layer emits. */
export type MarketEvent = TradeExecuted | BookChanged | OrderReported;
