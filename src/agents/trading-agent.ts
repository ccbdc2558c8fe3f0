import { BaseAgent } from '../engine/agent.js';
import type { AgentId } from '../engine/agent-id.js';
import { ignoreUnlisted, type Message } from '../engine/message.js';
import type { Micros } from '../engine/time.js';
import type { CashTransferred, TransferCash } from '../market/cash-transfers.js';
import type { InstrumentId } from '../market/instrument.js';
import { isPublicBook, type MarketSnapshot, type PriceAlert, type PublicBook, type QueryMarket, type WatchPrice } from '../market/market-data.js';
import type { OrderType } from '../market/order-book-api.js';
import type { CancelOrder, ModifyOrder, OrderFilled, OrderRejected, OrderReport, PlaceOrder } from '../market/order-messages.js';
import type { Side } from '../market/side.js';
import { requireInt } from './_internals/check.js';
import type { ChildOrderPort } from './execution/parent-order-executor.js';
import { OrderTracker, type TrackedOrder } from './order-tracker.js';

/** Options every trading agent shares: where it trades and what it starts with. */
export interface TradingAgentOptions {
  /** The exchange agent's id. Required. */
  exchange: AgentId;
  /** The instrument traded. Required. */
  instrument: InstrumentId;
  /** Cash the scenario deposits for the agent, minor units. Default 0. Only the agent's belief; the ledger is the truth. */
  initialCash?: number;
  /** Lots the scenario gives the agent. Default 0. */
  initialPosition?: number;
  /** `Instrument.minorPerTickLot`, for the cash the tracker books per fill. Default 1. */
  minorPerTickLot?: number;
  /**
   * Whether the venue lets the agent sell more than it holds (a derivatives
   * venue). Default false (spot): agents then size their sells to the lots
   * they hold and do not have committed to other sells, so as not to draw
   * `INSUFFICIENT_POSITION` rejections they could foresee.
   */
  shortSelling?: boolean;
}

/** What an agent may receive from the exchange. */
type Inbound = OrderReport | MarketSnapshot | PriceAlert | CashTransferred;

/**
 * Base of the agents that trade on one instrument of one exchange. It keeps
 * an {@link OrderTracker} up to date from the exchange's reports, sends
 * commands (`PlaceOrder`, `CancelOrder`, `QueryMarket`), and sends owed
 * cancels when an order cancelled before its acceptance is accepted.
 * Subclasses decide; they act only through these helpers and wake-ups.
 *
 * Rejections are expected outcomes: the order is forgotten, `onRejected` is
 * called, and nothing is retried automatically (no retry loops).
 */
export abstract class TradingAgent extends BaseAgent {
  readonly exchange: AgentId;
  readonly instrument: InstrumentId;
  /** The agent's own orders, position and cash, from reports. */
  readonly tracker: OrderTracker;
  protected readonly shortSelling: boolean;
  /** One query object, reused for every query (messages are immutable records). */
  private readonly query: QueryMarket;
  /** Cash transfers sent (their ids are 1, 2, 3, …). */
  private transfers = 0;
  /** The venue when it offers reads of its public book at once; null otherwise; undefined until first asked. */
  private venue: PublicBook | null | undefined = undefined;

  /** @param queryDepth L2 depth asked in `QueryMarket` (0: L1 only). */
  protected constructor(name: string, options: TradingAgentOptions, queryDepth = 0) {
    super(name);
    requireInt('exchange', options.exchange, 0);
    requireInt('instrument', options.instrument, 0);
    this.exchange = options.exchange;
    this.instrument = options.instrument;
    this.shortSelling = options.shortSelling ?? false;
    this.tracker = new OrderTracker(options);
    this.query = { type: 'QueryMarket', instrument: options.instrument, depth: queryDepth };
  }

  /** Lots held, as reported by fills. */
  get position(): number {
    return this.tracker.position;
  }

  /**
   * Lots the agent may still offer for sale without the venue refusing for
   * lack of position: unbounded when short selling is allowed, otherwise the
   * holding less lots already committed to open sells.
   */
  sellable(): number {
    return this.shortSelling ? Number.POSITIVE_INFINITY : Math.max(0, this.tracker.position - this.tracker.committedSellQty);
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    if (from !== this.exchange) return;
    const m = message as Inbound;
    switch (m.type) {
      case 'MarketSnapshot':
        if (m.instrument === this.instrument) this.onSnapshot(now, m);
        return;
      case 'OrderAccepted': {
        if (m.instrument !== this.instrument) return;
        const order = this.tracker.apply(m);
        if (order !== undefined) {
          const owed = this.tracker.takeOwedCancel(order);
          if (owed !== 0) this.sendCancel(owed);
        }
        return;
      }
      case 'OrderFilled': {
        if (m.instrument !== this.instrument) return;
        const order = this.tracker.apply(m);
        if (order !== undefined && order.remaining === 0) this.onClosed(order);
        this.onFilled(now, m);
        return;
      }
      case 'OrderRejected': {
        if (m.instrument !== this.instrument) return;
        const order = this.tracker.apply(m);
        if (order !== undefined && order.remaining === 0) this.onClosed(order);
        this.onRejected(now, m, order);
        return;
      }
      case 'OrderCancelled': {
        if (m.instrument !== this.instrument) return;
        const order = this.tracker.apply(m);
        if (order !== undefined) this.onClosed(order);
        return;
      }
      case 'OrderModified':
        if (m.instrument === this.instrument) this.tracker.apply(m);
        return;
      case 'PriceAlert':
        if (m.instrument === this.instrument) this.onPriceAlert(now, m);
        return;
      case 'CashTransferred':
        this.tracker.cash += m.amount;
        this.onCashTransferred(now, m);
        return;
      default:
        ignoreUnlisted(m);
        return;
    }
  }

  /** A snapshot of the agent's instrument: a query's answer (`update` false) or a subscription push. */
  protected onSnapshot(_now: Micros, _snapshot: MarketSnapshot): void {}

  /** After the tracker closed `order` (filled, cancelled or refused), before `onFilled` or `onRejected`. */
  protected onClosed(_order: TrackedOrder): void {}

  /** The venue booked (or refused) a transfer sent with {@link transferCash}; the tracker's cash already moved. */
  protected onCashTransferred(_now: Micros, _report: CashTransferred): void {}

  /**
   * Asks the venue to move `amount` minor units into (> 0) or out of (< 0)
   * the agent's account from or to outside the simulation (investors'
   * subscriptions and redemptions; cash-transfers.ts). Returns the transfer's id.
   */
  protected transferCash(amount: number): number {
    const m: TransferCash = { type: 'TransferCash', transferId: ++this.transfers, amount };
    this.send(this.exchange, m);
    return m.transferId;
  }

  /** A watch set with {@link watchPrice} fired. */
  protected onPriceAlert(_now: Micros, _alert: PriceAlert): void {}

  /**
   * Asks the venue to tell this agent once when its instrument trades at or
   * below `below` or at or above `above` (ticks; `NO_PRICE` for a side not
   * watched; both `NO_PRICE` cancels), replacing its previous watch; the
   * alert carries `watchId`. See market-data.ts, `WatchPrice`.
   */
  protected watchPrice(watchId: number, below: number, above: number): void {
    const m: WatchPrice = { type: 'WatchPrice', instrument: this.instrument, watchId, below, above };
    this.send(this.exchange, m);
  }

  /** After the tracker booked a fill. */
  protected onFilled(_now: Micros, _fill: OrderFilled): void {}

  /** After the tracker booked a rejection; `order` is the order it concerned, if known. */
  protected onRejected(_now: Micros, _report: OrderRejected, _order: TrackedOrder | undefined): void {}

  /**
   * Looks at the instrument's book. On a venue that offers it
   * ({@link PublicBook}, as levsim's exchange does) the agent reads the
   * venue's public market data now: `onSnapshot` runs before this returns,
   * and the orders it decides on still take the latency model's delay (a
   * round trip per look would double the run's events and age the view by
   * one latency for nothing the leverage questions need). On any other venue
   * it sends a `QueryMarket`, answered later. Callers set their state first.
   */
  protected queryMarket(): void {
    let venue = this.venue;
    if (venue === undefined) {
      const agent = this.kernel.agent(this.exchange);
      venue = this.venue = isPublicBook(agent) ? agent : null;
    }
    if (venue === null) this.send(this.exchange, this.query);
    else this.onSnapshot(this.kernel.now, venue.snapshotNow(this.instrument, this.query.depth));
  }

  /**
   * Sends a `QueryMarket` whatever the venue: the answer is the book once
   * everything the agent sent before it has arrived (the messages keep their
   * order), e.g. after its own cancels or its own market order.
   */
  protected queryMarketBehindOrders(): void {
    this.send(this.exchange, this.query);
  }

  /** For traders that look at the market on a clock: the first wake-up, at `startUs` (not before now), unless past `endUs`. */
  protected startClock(now: Micros, startUs: Micros, endUs: Micros): void {
    const t = Math.max(now, startUs);
    if (t <= endUs) this.wakeAt(t);
  }

  /** On a clock wake-up: query the market, and wake again `intervalUs` later unless past `endUs`. */
  protected tick(now: Micros, intervalUs: Micros, endUs: Micros): void {
    this.queryMarket();
    const t = now + intervalUs;
    if (t <= endUs) this.wakeAt(t);
  }

  /**
   * Sends a limit order (price in ticks, quantity in lots) and tracks it.
   * `orderType`: `'limit'` (GTC, the default), `'limit-ioc'`, `'limit-fok'` or `'post-only'`.
   */
  protected placeLimit(side: Side, price: number, qty: number, orderType: Exclude<OrderType, 'market'> = 'limit'): TrackedOrder {
    return this.place(side, orderType, price, qty);
  }

  /**
   * Sends a market order and tracks it. `referencePrice` (ticks) is carried
   * in the message for the record only; the venue ignores it.
   */
  protected placeMarket(side: Side, qty: number, referencePrice: number): TrackedOrder {
    return this.place(side, 'market', referencePrice, qty);
  }

  /** Cancels one of the agent's orders (now, or as soon as the venue has accepted it). */
  protected cancel(order: TrackedOrder): void {
    const orderId = this.tracker.requestCancel(order);
    if (orderId !== 0) this.sendCancel(orderId);
  }

  /**
   * Amends one of the agent's accepted orders to a new price and open size
   * (a cancel/replace in one message, as FIX's OrderCancelReplaceRequest):
   * false, and nothing sent, when the venue has not accepted it yet or a
   * cancel is under way. The order keeps its client id; its terms change in
   * the tracker when the venue's `OrderModified` arrives. `postOnly`: the
   * amended order must not trade on arrival (refused if it would).
   */
  protected modify(order: TrackedOrder, price: number, qty: number, postOnly = false): boolean {
    if (order.orderId === 0 || order.cancelRequested) return false;
    const message: ModifyOrder = { type: 'ModifyOrder', instrument: this.instrument, orderId: order.orderId, price, qty, postOnly };
    this.send(this.exchange, message);
    return true;
  }

  /** Cancels every open order not already being cancelled. */
  protected cancelAll(): void {
    for (const order of this.tracker.openOrders()) if (!order.cancelRequested) this.cancel(order);
  }

  /**
   * The agent's order path as a {@link ChildOrderPort}, for a
   * `ParentOrderExecutor` it owns: children are IOC limits through
   * `placeLimit`, tracked like any of its orders. One port per call (build it
   * once, in the constructor).
   */
  protected childOrderPort(): ChildOrderPort {
    return {
      placeChild: (side, price, qty) => this.placeLimit(side, price, qty, 'limit-ioc'),
      cancelChild: (order) => {
        this.cancel(order);
      },
      queryMarket: () => {
        this.queryMarket();
      },
      wakeAt: (time, tag) => this.kernel.wakeAt(this.id, time, tag),
      cancelWake: (handle) => {
        this.kernel.cancel(handle);
      },
    };
  }

  /** An exponential delay with mean `meanUs`, in whole µs ≥ 1 (Poisson arrivals). */
  protected exponentialDelay(meanUs: number): Micros {
    return Math.max(1, Math.round(this.rng.exponential(1 / meanUs)));
  }

  private place(side: Side, orderType: OrderType, price: number, qty: number): TrackedOrder {
    const order = this.tracker.track(side, price, qty, this.kernel.now);
    const message: PlaceOrder = {
      type: 'PlaceOrder',
      instrument: this.instrument,
      clientOrderId: order.clientOrderId,
      side,
      orderType,
      price,
      qty,
    };
    this.send(this.exchange, message);
    return order;
  }

  private sendCancel(orderId: number): void {
    const message: CancelOrder = { type: 'CancelOrder', instrument: this.instrument, orderId };
    this.send(this.exchange, message);
  }
}
