import type { Message } from '../engine/message.js';
import type { InstrumentId } from './instrument.js';
import type { RejectReason } from './match-result.js';
import type { OrderType } from './order-book-api.js';
import type { Side } from './side.js';

/**
 * Why an order command was refused: the book's own reasons plus the
 * exchange's pre-trade checks. Nothing changed when one is sent.
 */
export type OrderRejectReason =
  | RejectReason
  | 'UNKNOWN_INSTRUMENT'
  | 'UNKNOWN_ACCOUNT'
  | 'NOT_OWNER'
  | 'NO_LIQUIDITY'
  | 'INSUFFICIENT_CASH'
  | 'INSUFFICIENT_POSITION'
  | 'MARKET_HALTED'
  /** A new or amended order after the closing auction's uncrossing, before the next open. */
  | 'MARKET_CLOSED'
  /** A fill-or-kill order sent during a call phase, where nothing trades until the uncrossing. */
  | 'NOT_IN_CALL_PHASE'
  /** The order's value (with its fee allowance) would leave exact integer arithmetic (2^53 minor units). */
  | 'VALUE_TOO_LARGE';

/**
 * Command: place an order. `orderType` is the book's: `'limit'` (GTC),
 * `'limit-ioc'`, `'limit-fok'`, `'post-only'` or `'market'`; `price` (ticks)
 * is ignored for market orders.
 */
export interface PlaceOrder extends Message {
  readonly type: 'PlaceOrder';
  readonly instrument: InstrumentId;
  /** Chosen by the sender to recognise the replies; echoed back. */
  readonly clientOrderId: number;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly price: number;
  readonly qty: number;
}

/** Command: cancel a resting order. */
export interface CancelOrder extends Message {
  readonly type: 'CancelOrder';
  readonly instrument: InstrumentId;
  readonly orderId: number;
}

/**
 * Command: change a resting order's price and/or size. A pure size decrease
 * keeps time priority; a price change or a size increase loses it.
 * `postOnly` restates that the order must only add liquidity, as FIX's
 * OrderCancelReplaceRequest restates the order's instructions (ExecInst
 * "participate, don't initiate"): an amendment that would cross the best
 * opposite price is then refused with `POST_ONLY_WOULD_CROSS` and the order
 * stays as it was; without it the re-entered order may trade.
 */
export interface ModifyOrder extends Message {
  readonly type: 'ModifyOrder';
  readonly instrument: InstrumentId;
  readonly orderId: number;
  readonly price: number;
  readonly qty: number;
  readonly postOnly?: boolean;
}

/** Report: the order passed the checks; `orderId` is the venue's id for it. */
export interface OrderAccepted extends Message {
  readonly type: 'OrderAccepted';
  readonly instrument: InstrumentId;
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly side: Side;
  readonly price: number;
  readonly qty: number;
}

/** Report: a command was refused; `orderId` is 0 for a new order. */
export interface OrderRejected extends Message {
  readonly type: 'OrderRejected';
  readonly instrument: InstrumentId;
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly reason: OrderRejectReason;
}

/** Report: part or all of an order traded. `fee` in minor units (negative: rebate). */
export interface OrderFilled extends Message {
  readonly type: 'OrderFilled';
  readonly instrument: InstrumentId;
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly side: Side;
  readonly price: number;
  readonly qty: number;
  /** Lots still open on the order after this fill. */
  readonly remaining: number;
  readonly fee: number;
  /** 'auction': traded in a call auction's uncrossing, where neither side took resting liquidity. */
  readonly liquidity: 'maker' | 'taker' | 'auction';
}

/** Why an order left the book without trading in full (`expired`: a day order at the session's close). */
export type CancelReason = 'requested' | 'unfilled-ioc' | 'self-trade' | 'insufficient-funds' | 'expired';

/** Report: an order (or its remainder of `qty` lots) left the book. */
export interface OrderCancelled extends Message {
  readonly type: 'OrderCancelled';
  readonly instrument: InstrumentId;
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly qty: number;
  readonly reason: CancelReason;
}

/** Report: a modify was applied; the order now rests at `price` with `qty` open. */
export interface OrderModified extends Message {
  readonly type: 'OrderModified';
  readonly instrument: InstrumentId;
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly price: number;
  readonly qty: number;
  readonly keptPriority: boolean;
}

/** Commands an exchange accepts about orders. */
export type OrderCommand = PlaceOrder | CancelOrder | ModifyOrder;
/** Reports an exchange sends back about orders. */
export type OrderReport = OrderAccepted | OrderRejected | OrderFilled | OrderCancelled | OrderModified;
