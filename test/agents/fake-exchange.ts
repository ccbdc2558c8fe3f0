import { BaseAgent } from '../../src/engine/agent.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import type { Message } from '../../src/engine/message.js';
import type { Micros } from '../../src/engine/time.js';
import { NO_PRICE, type AuctionIndication, type MarketSnapshot, type QueryMarket } from '../../src/market/market-data.js';
import type { CancelOrder, ModifyOrder, OrderRejectReason, OrderReport, PlaceOrder } from '../../src/market/order-messages.js';
import type { Side } from '../../src/market/side.js';

/** The others' side of the book the fake exchange shows (its own script). */
export interface FakeBook {
  bidPrice: number;
  bidQty: number;
  askPrice: number;
  askQty: number;
  lastPrice: number;
  /** Present while the venue is in a call auction (its book then shows nothing). */
  auction?: AuctionIndication;
}

/** A resting order of an agent at the fake exchange. */
export interface FakeOrder {
  readonly orderId: number;
  readonly owner: AgentId;
  readonly clientOrderId: number;
  readonly side: Side;
  price: number;
  remaining: number;
  /** When the order arrived (or was last amended to a new price or a larger size), µs. */
  placedAt: Micros;
}

/** One command received. */
export interface Received {
  readonly time: Micros;
  readonly from: AgentId;
  readonly message: Message;
}

export interface FakeExchangeOptions {
  /** The scripted book of "others", by time and number of queries answered so far. */
  book?: (now: Micros, queries: number) => FakeBook;
  /** When set, every PlaceOrder is rejected with this reason. */
  rejectAll?: OrderRejectReason;
  /** Fill orders that cross the scripted book, in full, at the scripted touch. Default true. */
  fillMarketable?: boolean;
  /** Snapshots show the agents' resting orders too (with L2 levels). Default false. */
  includeResting?: boolean;
}

export const EMPTY_BOOK: FakeBook = { bidPrice: NO_PRICE, bidQty: 0, askPrice: NO_PRICE, askQty: 0, lastPrice: NO_PRICE };

export function book(bidPrice: number, askPrice: number, lastPrice = NO_PRICE, qty = 5): FakeBook {
  return { bidPrice, bidQty: bidPrice === NO_PRICE ? 0 : qty, askPrice, askQty: askPrice === NO_PRICE ? 0 : qty, lastPrice };
}

/**
 * A stand-in exchange for agent tests: records every command, answers
 * `QueryMarket` with a scripted snapshot, accepts orders (or rejects them
 * all), fills the ones that cross the scripted book, rests the rest, and
 * honours cancels. Instrument 0 only.
 */
export class FakeExchange extends BaseAgent {
  readonly received: Received[] = [];
  readonly resting = new Map<number, FakeOrder>();
  readonly subscribers: AgentId[] = [];
  queriesAnswered = 0;
  private nextOrderId = 1;
  private readonly options: FakeExchangeOptions;

  constructor(name = 'exchange', options: FakeExchangeOptions = {}) {
    super(name);
    this.options = options;
  }

  book(now: Micros): FakeBook {
    return this.options.book === undefined ? EMPTY_BOOK : this.options.book(now, this.queriesAnswered);
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    this.received.push({ time: now, from, message });
    switch (message.type) {
      case 'QueryMarket': {
        const q = message as QueryMarket;
        this.send(from, this.snapshot(now, q.depth, false));
        this.queriesAnswered++;
        return;
      }
      case 'SubscribeMarketData':
        this.subscribers.push(from);
        return;
      case 'PlaceOrder':
        this.place(now, message as PlaceOrder, from);
        return;
      case 'CancelOrder': {
        const c = message as CancelOrder;
        const o = this.resting.get(c.orderId);
        if (o === undefined || o.owner !== from) {
          this.report(from, { type: 'OrderRejected', instrument: 0, orderId: c.orderId, clientOrderId: 0, reason: 'UNKNOWN_ORDER' });
          return;
        }
        this.resting.delete(c.orderId);
        this.report(from, { type: 'OrderCancelled', instrument: 0, orderId: o.orderId, clientOrderId: o.clientOrderId, qty: o.remaining, reason: 'requested' });
        return;
      }
      case 'ModifyOrder': {
        // Amended in place (never crossing: the fake books no taker fills for resting orders).
        const m = message as ModifyOrder;
        const o = this.resting.get(m.orderId);
        if (o === undefined || o.owner !== from) {
          this.report(from, { type: 'OrderRejected', instrument: 0, orderId: m.orderId, clientOrderId: 0, reason: 'UNKNOWN_ORDER' });
          return;
        }
        const keptPriority = m.price === o.price && m.qty <= o.remaining;
        if (!keptPriority) o.placedAt = now;
        o.price = m.price;
        o.remaining = m.qty;
        this.report(from, { type: 'OrderModified', instrument: 0, orderId: o.orderId, clientOrderId: o.clientOrderId, price: m.price, qty: m.qty, keptPriority });
        return;
      }
      default:
        return;
    }
  }

  /** Pushes an update snapshot to every subscriber (as after a book change). */
  push(depth = 10): void {
    for (const s of this.subscribers) this.send(s, this.snapshot(this.kernel.now, depth, true));
  }

  /** Fills `qty` lots of a resting order at its price (or `price`), as if someone traded against it. */
  fill(orderId: number, qty: number, price?: number, fee = 0): void {
    const o = this.resting.get(orderId);
    if (o === undefined) throw new Error(`no resting order ${orderId}`);
    o.remaining -= qty;
    if (o.remaining === 0) this.resting.delete(orderId);
    this.report(o.owner, { type: 'OrderFilled', instrument: 0, orderId, clientOrderId: o.clientOrderId, side: o.side, price: price ?? o.price, qty, remaining: o.remaining, fee, liquidity: 'maker' });
  }

  /** Every PlaceOrder received (optionally from one agent), in order. */
  placed(from?: AgentId): PlaceOrder[] {
    return this.of<PlaceOrder>('PlaceOrder', from);
  }

  cancels(from?: AgentId): CancelOrder[] {
    return this.of<CancelOrder>('CancelOrder', from);
  }

  modifies(from?: AgentId): ModifyOrder[] {
    return this.of<ModifyOrder>('ModifyOrder', from);
  }

  queries(from?: AgentId): Received[] {
    return this.received.filter((r) => r.message.type === 'QueryMarket' && (from === undefined || r.from === from));
  }

  /** The resting orders of `owner` on `side`, best first. */
  restingOf(owner: AgentId, side: Side): FakeOrder[] {
    const out = [...this.resting.values()].filter((o) => o.owner === owner && o.side === side);
    return out.sort((a, b) => (side === 'buy' ? b.price - a.price : a.price - b.price));
  }

  private of<T extends Message>(type: string, from?: AgentId): T[] {
    return this.received.filter((r) => r.message.type === type && (from === undefined || r.from === from)).map((r) => r.message as T);
  }

  private place(now: Micros, m: PlaceOrder, from: AgentId): void {
    if (this.options.rejectAll !== undefined) {
      this.report(from, { type: 'OrderRejected', instrument: 0, orderId: 0, clientOrderId: m.clientOrderId, reason: this.options.rejectAll });
      return;
    }
    const orderId = this.nextOrderId++;
    this.report(from, { type: 'OrderAccepted', instrument: 0, orderId, clientOrderId: m.clientOrderId, side: m.side, price: m.orderType === 'market' ? NO_PRICE : m.price, qty: m.qty });
    const b = this.book(now);
    const touch = m.side === 'buy' ? b.askPrice : b.bidPrice;
    const crosses = touch !== NO_PRICE && (m.orderType === 'market' || (m.side === 'buy' ? m.price >= touch : m.price <= touch));
    if (crosses && (this.options.fillMarketable ?? true)) {
      this.report(from, { type: 'OrderFilled', instrument: 0, orderId, clientOrderId: m.clientOrderId, side: m.side, price: touch, qty: m.qty, remaining: 0, fee: 0, liquidity: 'taker' });
      return;
    }
    if (m.orderType === 'market' || m.orderType === 'limit-ioc' || m.orderType === 'limit-fok') {
      this.report(from, { type: 'OrderCancelled', instrument: 0, orderId, clientOrderId: m.clientOrderId, qty: m.qty, reason: 'unfilled-ioc' });
      return;
    }
    this.resting.set(orderId, { orderId, owner: from, clientOrderId: m.clientOrderId, side: m.side, price: m.price, remaining: m.qty, placedAt: now });
  }

  private snapshot(now: Micros, depth: number, update: boolean): MarketSnapshot {
    const b = this.book(now);
    if (!this.options.includeResting) {
      return { type: 'MarketSnapshot', instrument: 0, ...b, volume: 0, bids: [], asks: [], update };
    }
    const bids = this.levels('buy', b.bidPrice, b.bidQty, depth);
    const asks = this.levels('sell', b.askPrice, b.askQty, depth);
    return {
      type: 'MarketSnapshot',
      instrument: 0,
      bidPrice: bids[0] ?? NO_PRICE,
      bidQty: bids[1] ?? 0,
      askPrice: asks[0] ?? NO_PRICE,
      askQty: asks[1] ?? 0,
      lastPrice: b.lastPrice,
      volume: 0,
      bids,
      asks,
      update,
      ...(b.auction !== undefined && { auction: b.auction }),
    };
  }

  private levels(side: Side, price: number, qty: number, depth: number): number[] {
    const byPrice = new Map<number, number>();
    if (price !== NO_PRICE) byPrice.set(price, qty);
    for (const o of this.resting.values()) if (o.side === side) byPrice.set(o.price, (byPrice.get(o.price) ?? 0) + o.remaining);
    const prices = [...byPrice.keys()].sort((a, b) => (side === 'buy' ? b - a : a - b)).slice(0, Math.max(1, depth));
    const out: number[] = [];
    for (const p of prices) out.push(p, byPrice.get(p) as number);
    return out;
  }

  private report(to: AgentId, r: OrderReport): void {
    this.send(to, r);
  }
}
