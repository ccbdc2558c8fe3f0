import { BaseAgent } from '../engine/agent.js';
import type { AgentId } from '../engine/agent-id.js';
import { ignoreUnlisted, type Message } from '../engine/message.js';
import type { Micros } from '../engine/time.js';
import type { EventChannel } from '../engine/event-channel.js';
import type { Kernel, Scheduled } from '../engine/kernel.js';
import type { FeeModel } from './fee-model.js';
import { notional, orderValueFits, type Instrument } from './instrument.js';
import type { CashTransferred, TransferCash } from './cash-transfers.js';
import type { Ledger, TradeSettlement } from './ledger.js';
import { allocateAuctionWithoutSelfTrades, type AuctionAllocation, type AuctionTrade } from './auction-clearing.js';
import { AuctionSchedule } from './auction-schedule.js';
import { CallBook, type CallEntry } from './call-book.js';
import { NO_PRICE, NOTHING_CROSSES, type AuctionIndication, type MarketDataCommand, type MarketSnapshot, type PriceAlert, type PublicBook, type WatchPrice } from './market-data.js';
import { MarketDataFeed, type SnapshotSource } from './market-data-feed.js';
import type { BookChanged, OrderReported, TradeExecuted } from './market-events.js';
import { MatchResult } from './match-result.js';
import type { LimitOrderBook, OrderRequest, OrderType, OrderView, StpMode } from './order-book-api.js';
import { OrderBook } from './order-book.js';
import type { CancelOrder, CancelReason, ModifyOrder, OrderCommand, OrderRejectReason, OrderReport, PlaceOrder } from './order-messages.js';
import { OrderRegistry } from './order-registry.js';
import { SESSION_CLOSE_PRIORITY } from './calendar.js';
import { PreTradeRisk } from './pre-trade-risk.js';
import { PriceAlerts } from './price-alerts.js';
import type { Side } from './side.js';

/** Wake-up tag of the market-data flush. */
const FLUSH_TAG = 1;
/** Wake-up tag of a session boundary (the close of one session is the open of the next). */
const CLOSE_TAG = 2;
/** Wake-up tag of a call auction's start or uncrossing inside a session. */
const AUCTION_TAG = 3;
/** The indicative uncrossing is recomputed at most this often while orders arrive, µs (Nasdaq's NOII: every second). */
const INDICATIVE_INTERVAL_US = 1_000_000;
/** Basis points in one. */
const BPS = 10_000;
const EMPTY: readonly number[] = Object.freeze([]);

/**
 * Venue infrastructure told synchronously when an instrument's top of book
 * or last trade changes (the credit venue re-checks loan health here). It
 * runs inside the handler of the order that moved the price, so whatever it
 * sends is caused by that order.
 */
export interface MarkListener {
  onMarkChanged(instrument: number, now: Micros): void;
}

/** Construction options of an {@link Exchange}. */
export interface ExchangeOptions {
  readonly instruments: readonly Instrument[];
  readonly ledger: Ledger;
  readonly fees: FeeModel;
  /** Ledger account that collects fees and pays rebates. */
  readonly feeAccount: number;
  readonly stp?: StpMode;
  /**
   * Trading sessions of `sessionUs` laid end to end, `count` of them: at each
   * close but the last, every resting order expires. Absent: one session.
   */
  readonly sessions?: { readonly sessionUs: Micros; readonly count: number; readonly expireAtClose?: boolean };
  /** Call auctions: opening and closing auctions around continuous trading, or a batch market (auction-schedule.ts). Needs `sessions`. */
  readonly auctions?: AuctionOptions;
  /** A factory for the books (tests swap in the reference book). */
  readonly bookFactory?: (instrument: Instrument, stp: StpMode) => LimitOrderBook;
}

/** How a venue runs its call auctions. */
export interface AuctionOptions {
  /** Opening call length, µs (0 or absent: none). */
  readonly openingUs?: Micros;
  /** Closing call length, µs (0 or absent: none). */
  readonly closingUs?: Micros;
  /** Batch interval, µs: no continuous trading, an uncrossing every interval (0 or absent: a continuous market). */
  readonly batchUs?: Micros;
  /** Priority at the auction price beyond price and time (default 'time'). */
  readonly allocation?: AuctionAllocation;
  /** A market order in a call becomes a limit this many basis points through the reference price (default 1,000). */
  readonly collarBps?: number;
  /** Reference prices per instrument, ticks, before the first trade (the "static reference" of an IPO auction); absent: the first limit's price. */
  readonly referencePrices?: readonly number[];
}

/**
 * The venue: one continuous limit order book per instrument, with optional
 * call auctions (opening, closing, or a batch market).
 *
 * It receives order commands as messages, has its {@link PreTradeRisk}
 * check them and hold what they may consume (two-phase, after exchange-core:
 * hold before matching, settle and release after), matches them in the book,
 * settles every fill out of the holds with maker/taker fees, answers the
 * sender and the makers with past-tense reports, and publishes market data
 * to subscribers. It is the only writer of the books and, through its
 * pre-trade risk, for trading, of the ledger.
 */
export class Exchange extends BaseAgent implements SnapshotSource, PublicBook {
  readonly instruments: readonly Instrument[];
  private readonly fees: FeeModel;
  private readonly feeAccount: number;
  private readonly books: LimitOrderBook[];
  private readonly ledger: Ledger;
  private readonly orders = new OrderRegistry();
  private readonly risk: PreTradeRisk;
  /** One settlement record, refilled for every fill (no object per trade). */
  private readonly settlement: TradeSettlement;
  private readonly accounts: number[] = [];
  private readonly result = new MatchResult();
  private readonly request: MutableRequest = { type: 'limit', side: 'buy', id: 0, owner: 0, price: 1, qty: 1 };
  private readonly lastPrices: number[];
  private readonly volumes: number[];
  private readonly halted: boolean[];
  private readonly topBefore = { bid: 0, bidQty: 0, ask: 0, askQty: 0 };
  /** The L1 answer of `snapshotNow`, refilled at each call (built like a message snapshot, so readers see one shape). */
  private readonly view: Mutable<MarketSnapshot> = { type: 'MarketSnapshot', instrument: 0, bidPrice: NO_PRICE, bidQty: 0, askPrice: NO_PRICE, askQty: 0, lastPrice: NO_PRICE, volume: 0, bids: EMPTY, asks: EMPTY, update: false };
  private feed!: MarketDataFeed;
  /** The venue's event types, asked per report and per fill whether anyone listens. */
  private reported!: EventChannel<OrderReported>;
  private trades!: EventChannel<TradeExecuted>;
  private bookChanges!: EventChannel<BookChanged>;
  private readonly markListeners: MarkListener[] = [];
  /** Price watches per instrument (the venue's stop book), made on the first watch. */
  private readonly alerts: (PriceAlerts | undefined)[] = [];
  /** Sends a fired watch's alert (one function for the venue's life, not one per check). */
  private readonly fireAlert = (instrument: number, agent: AgentId, watchId: number, price: number): void => {
    const alert: PriceAlert = { type: 'PriceAlert', instrument, watchId, price };
    this.send(agent, alert);
  };
  /**
   * Order commands handled (place, cancel, modify; accepted or not), each
   * kind apart, rejections sent, orders expired at a close, and market
   * queries answered: the activity a benchmark compares.
   */
  readonly stats = { orderActions: 0, places: 0, cancels: 0, modifies: 0, rejections: 0, expired: 0, queries: 0 };
  private readonly sessionUs: Micros;
  private readonly sessionCount: number;
  /** Day orders (expire at each close) or good-till-cancelled. */
  private readonly expireAtClose: boolean;
  /** Every order id below this one has left the book (the last close expired the rest). */
  private liveFrom = 1;
  /** When calls collect and uncross; null for a continuous-only venue. */
  private readonly schedule: AuctionSchedule | null;
  /** Per instrument, the orders of the call in progress. */
  private readonly calls: CallBook[];
  /** True during a call phase: orders are collected, nothing trades until the uncrossing. */
  private calling = false;
  /** True from a closing uncrossing to the next open: the session is over, new orders are refused. */
  private closed = false;
  private readonly allocation: AuctionAllocation;
  private readonly collarBps: number;
  private readonly referencePrices: readonly number[];

  constructor(name: string, options: ExchangeOptions) {
    super(name);
    this.instruments = options.instruments;
    this.fees = options.fees;
    this.feeAccount = options.feeAccount;
    const stp = options.stp ?? 'cancel-maker';
    // A wash trade would move cash and lots from an account to itself, which
    // double-entry settlement cannot book; venues forbid it too.
    if (stp === 'none') throw new RangeError("stp 'none' is not supported: an account trading with itself cannot be settled");
    const factory = options.bookFactory ?? ((_i: Instrument, mode: StpMode) => new OrderBook({ stp: mode, maxOrderQty: _i.maxOrderQty }));
    this.books = options.instruments.map((i) => factory(i, stp));
    this.lastPrices = options.instruments.map(() => NO_PRICE);
    this.volumes = options.instruments.map(() => 0);
    this.halted = options.instruments.map(() => false);
    this.ledger = options.ledger;
    this.risk = new PreTradeRisk(options.ledger, options.instruments, options.fees, this.orders);
    this.settlement = { buyer: 0, seller: 0, instrument: 0, qty: 0, cash: 0, buyerFee: 0, sellerFee: 0, feeAccount: options.feeAccount, buyerHeldCash: 0, sellerHeldLots: 0 };
    this.sessionUs = options.sessions?.sessionUs ?? 0;
    this.sessionCount = options.sessions?.count ?? 1;
    this.expireAtClose = options.sessions?.expireAtClose ?? true;
    if (options.sessions !== undefined && (!Number.isSafeInteger(this.sessionUs) || this.sessionUs <= 0 || !Number.isSafeInteger(this.sessionCount) || this.sessionCount < 1)) {
      throw new RangeError('sessions need a positive integer length and count');
    }
    const a = options.auctions;
    this.calls = options.instruments.map(() => new CallBook());
    this.allocation = a?.allocation ?? 'time';
    this.collarBps = a?.collarBps ?? 1_000;
    this.referencePrices = a?.referencePrices ?? [];
    if (!Number.isSafeInteger(this.collarBps) || this.collarBps < 1 || this.collarBps >= BPS) throw new RangeError(`the market-order collar must be 1…9999 basis points, got ${this.collarBps}`);
    if (this.allocation !== 'time' && this.allocation !== 'pro-rata') throw new RangeError(`unknown auction allocation '${String(this.allocation)}'`);
    this.schedule = null;
    if (a !== undefined && ((a.openingUs ?? 0) > 0 || (a.closingUs ?? 0) > 0 || (a.batchUs ?? 0) > 0)) {
      if (options.sessions === undefined) throw new RangeError('call auctions need the sessions they fall in');
      this.schedule = new AuctionSchedule(this.sessionUs, this.sessionCount, { openingUs: a.openingUs ?? 0, closingUs: a.closingUs ?? 0, batchUs: a.batchUs ?? 0 });
    }
  }

  override onStart(now: Micros): void {
    const callsAtOpen = this.schedule?.callsAtOpen === true;
    // Auctions need every boundary: it reopens a market closed by its closing auction, and starts an opening call.
    if (this.sessionCount > 1 && (this.expireAtClose || this.schedule !== null)) this.kernel.wakeAt(this.id, now + this.sessionUs, CLOSE_TAG, SESSION_CLOSE_PRIORITY);
    if (callsAtOpen) this.startCall(now);
    this.scheduleAuction(now);
  }

  override attach(kernel: Kernel, id: AgentId): void {
    super.attach(kernel, id);
    this.feed = new MarketDataFeed(kernel, id, this, FLUSH_TAG);
    this.reported = kernel.channel<OrderReported>('OrderReported');
    this.trades = kernel.channel<TradeExecuted>('TradeExecuted');
    this.bookChanges = kernel.channel<BookChanged>('BookChanged');
  }

  /** Registers venue infrastructure to be told of every mark change. */
  addMarkListener(listener: MarkListener): void {
    this.markListeners.push(listener);
  }

  /** Lets `agent` trade for ledger account `account`. */
  bindAccount(agent: AgentId, account: number): void {
    if (account === this.feeAccount) throw new RangeError('the fee account cannot trade: its fills could not be settled against itself');
    this.accounts[agent] = account;
  }

  /** The ledger account an agent trades for, or -1. */
  accountOf(agent: AgentId): number {
    return this.accounts[agent] ?? -1;
  }

  /** Read-only access for observers and the margin engine (agents use messages). */
  book(instrument: number): LimitOrderBook {
    return this.books[instrument] as LimitOrderBook;
  }

  /** Order `id` as the venue holds it now: resting in the book or collected in a call; undefined when it is not open. */
  openOrder(instrument: number, id: number): OrderView | undefined {
    const e = (this.calls[instrument] as CallBook).get(id);
    if (e !== undefined) return e.qty > 0 ? { id: e.id, owner: e.owner, side: e.side, price: e.price, qty: e.qty } : undefined;
    return (this.books[instrument] as LimitOrderBook).order(id);
  }

  /** Orders collected in the call in progress on `instrument` (0 outside a call). */
  collected(instrument: number): number {
    return (this.calls[instrument] as CallBook).size;
  }

  /** Whether the venue is in a call phase (orders collected, nothing trades until the uncrossing). */
  get inCall(): boolean {
    return this.calling;
  }

  /** Last trade price in ticks, or NO_PRICE (0) before the first trade. */
  lastPrice(instrument: number): number {
    return this.lastPrices[instrument];
  }

  /** Cumulative traded lots. */
  volume(instrument: number): number {
    return this.volumes[instrument];
  }

  /**
   * Mark price in ticks: the mid when both sides are quoted, else the last
   * trade, else NO_PRICE. Fractional by half a tick at most.
   */
  markPrice(instrument: number): number {
    const book = this.books[instrument] as LimitOrderBook;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid !== undefined && ask !== undefined) return (bid + ask) / 2;
    return this.lastPrices[instrument];
  }

  /** Switches trading on an instrument off or on (a circuit breaker). Commands are then rejected with MARKET_HALTED. */
  setHalted(instrument: number, halted: boolean): void {
    this.halted[instrument] = halted;
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    const m = message as OrderCommand | MarketDataCommand | TransferCash;
    switch (m.type) {
      case 'PlaceOrder':
        this.stats.orderActions++;
        this.stats.places++;
        this.place(now, m, from);
        return;
      case 'CancelOrder':
        this.stats.orderActions++;
        this.stats.cancels++;
        this.cancel(now, m, from);
        return;
      case 'ModifyOrder':
        this.stats.orderActions++;
        this.stats.modifies++;
        this.modify(now, m, from);
        return;
      case 'SubscribeMarketData':
        if (this.knows(m.instrument)) this.feed.subscribe(m.instrument, from, m.depth, m.minIntervalUs);
        return;
      case 'UnsubscribeMarketData':
        if (this.knows(m.instrument)) this.feed.unsubscribe(m.instrument, from);
        return;
      case 'TransferCash':
        this.transferCash(m, from);
        return;
      case 'WatchPrice':
        if (this.knows(m.instrument)) this.watch(m, from);
        return;
      case 'QueryMarket':
        this.stats.queries++;
        if (this.knows(m.instrument)) this.sendSnapshot(from, m.instrument, m.depth, false, this.kernel.currentDelivery);
        return;
      default:
        ignoreUnlisted(m);
        return;
    }
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag === FLUSH_TAG) this.feed.flush(now);
    else if (tag === CLOSE_TAG) this.sessionBoundary(now);
    else if (tag === AUCTION_TAG) this.auctionTransition(now);
  }

  /** A session's close and the next one's open: day orders expire, then an opening call (or the batch market's) begins. */
  private sessionBoundary(now: Micros): void {
    this.closed = false;
    if (this.expireAtClose) this.closeSession(now);
    if (this.schedule?.callsAtOpen === true && !this.calling) this.startCall(now);
    const next = now + this.sessionUs;
    if (next < this.sessionCount * this.sessionUs) this.kernel.wakeAt(this.id, next, CLOSE_TAG, SESSION_CLOSE_PRIORITY);
  }

  /**
   * The close: every resting order is a day order and expires, its owner
   * told as for any cancellation (reason `expired`), its hold released.
   * DAY is the default time in force of NYSE (Rule 13), Nasdaq (Rule 4703)
   * and the LSE's order book; nothing rests overnight into the next session.
   * Runs at the next session's open, before anything else at that instant.
   */
  private closeSession(now: Micros): void {
    const last = this.orders.lastIssued;
    for (let instrument = 0; instrument < this.books.length; instrument++) {
      const book = this.books[instrument] as LimitOrderBook;
      if (book.size === 0) continue;
      this.snapshotTop(book);
      for (let id = this.liveFrom; id <= last && book.size > 0; id++) {
        if (!this.orders.has(id) || this.orders.instrument(id) !== instrument) continue;
        const r = book.cancel(id, this.result);
        if (r.status !== 'cancelled') continue;
        this.stats.expired++;
        this.closeOrder(id, r.cancelledQty, 'expired');
      }
      this.afterChange(now, instrument, book);
    }
    this.liveFrom = last + 1;
    // A batch market is in a call across the close: its collected day orders expire too.
    for (const call of this.calls) {
      for (const e of call.drain()) {
        this.stats.expired++;
        this.closeOrder(e.id, e.qty, 'expired');
      }
    }
  }

  /**
   * The public book of `instrument` as it stands now: what an agent reading
   * the venue's market data sees (a query's answer without the round trip).
   * Counted as a query. Agents decide on it at once; their orders still
   * travel with the latency model's delay. An L1 answer (`depth` 0, the
   * agents' usual look) is one object the venue refills at every such call:
   * read it before the next call and keep none of it (copy what must last).
   */
  snapshotNow(instrument: number, depth: number): MarketSnapshot {
    this.stats.queries++;
    if (depth > 0) return this.snapshotOf(instrument, depth, false);
    const v = this.view;
    const book = this.books[instrument] as LimitOrderBook;
    v.instrument = instrument;
    v.bidPrice = book.bestBid() ?? NO_PRICE;
    v.bidQty = book.bestBidQty();
    v.askPrice = book.bestAsk() ?? NO_PRICE;
    v.askQty = book.bestAskQty();
    v.lastPrice = this.lastPrices[instrument];
    v.volume = this.volumes[instrument];
    v.auction = this.calling ? this.indication(instrument) : undefined;
    return v;
  }

  sendSnapshot(to: AgentId, instrument: number, depth: number, update: boolean, cause: Scheduled | null): void {
    this.kernel.sendCausedBy(this.id, to, this.snapshotOf(instrument, depth, update), cause);
  }

  /** A new snapshot: a message is kept until it is delivered, so each gets its own. */
  private snapshotOf(instrument: number, depth: number, update: boolean): MarketSnapshot {
    const book = this.books[instrument] as LimitOrderBook;
    const bids = depth > 0 ? book.depth('buy', depth) : EMPTY;
    const asks = depth > 0 ? book.depth('sell', depth) : EMPTY;
    const snapshot: MarketSnapshot = {
      type: 'MarketSnapshot',
      instrument,
      bidPrice: book.bestBid() ?? NO_PRICE,
      bidQty: book.bestBidQty(),
      askPrice: book.bestAsk() ?? NO_PRICE,
      askQty: book.bestAskQty(),
      lastPrice: this.lastPrices[instrument],
      volume: this.volumes[instrument],
      bids,
      asks,
      update,
    };
    return this.calling ? { ...snapshot, auction: this.indication(instrument) } : snapshot;
  }

  // ------------------------------------------------------------------ orders

  private place(now: Micros, m: PlaceOrder, from: AgentId): void {
    const instrument = m.instrument;
    if (!this.knows(instrument)) return this.reject(from, instrument, 0, m.clientOrderId, 'UNKNOWN_INSTRUMENT');
    if (this.halted[instrument]) return this.reject(from, instrument, 0, m.clientOrderId, 'MARKET_HALTED');
    const account = this.accountOf(from);
    if (account < 0) return this.reject(from, instrument, 0, m.clientOrderId, 'UNKNOWN_ACCOUNT');
    const bad = this.shapeProblem(m);
    if (bad !== null) return this.reject(from, instrument, 0, m.clientOrderId, bad);
    if (this.closed) return this.reject(from, instrument, 0, m.clientOrderId, 'MARKET_CLOSED');
    if (this.calling) return this.placeInCall(now, m, from, account);
    const spec = this.instruments[instrument] as Instrument;
    const book = this.books[instrument] as LimitOrderBook;

    let type: OrderType = m.orderType;
    let price = m.price;
    let qty = m.qty;
    if (type === 'market' && m.side === 'buy') {
      // A market buy becomes an IOC limit at the price that fills what the
      // account can pay for (market protection, as venues apply to market orders).
      const walk = this.risk.protectMarketBuy(account, spec, book, qty);
      if (walk.qty === 0) return this.reject(from, instrument, 0, m.clientOrderId, walk.reason);
      type = 'limit-ioc';
      price = walk.price;
      qty = walk.qty;
    }

    // Phase one: hold what the order may consume.
    const held = this.risk.required(m.side, spec, price, qty);
    const short = this.risk.shortfall(m.side, account, instrument, held);
    if (short !== null) return this.reject(from, instrument, 0, m.clientOrderId, short);

    const orderId = this.orders.open(from, account, instrument, m.side, m.clientOrderId, type === 'market' ? 0 : price);
    const req = this.request;
    req.type = type;
    req.side = m.side;
    req.id = orderId;
    req.owner = account;
    req.price = price;
    req.qty = qty;
    this.snapshotTop(book);
    const r = book.place(req, this.result);
    if (r.status === 'rejected') return this.reject(from, instrument, 0, m.clientOrderId, r.reason as OrderRejectReason);

    this.risk.hold(orderId, m.side, account, instrument, held);
    this.report(from, { type: 'OrderAccepted', instrument, orderId, clientOrderId: m.clientOrderId, side: m.side, price: type === 'market' ? NO_PRICE : price, qty });
    this.settle(now, instrument, orderId, from, r);
    if (r.status === 'cancelled') this.closeOrder(orderId, r.cancelledQty, type === 'limit' || type === 'post-only' ? 'self-trade' : 'unfilled-ioc');
    this.afterChange(now, instrument, book);
  }

  private cancel(now: Micros, m: CancelOrder, from: AgentId): void {
    const instrument = m.instrument;
    if (!this.knows(instrument)) return this.reject(from, instrument, m.orderId, 0, 'UNKNOWN_INSTRUMENT');
    const owned = this.ownership(m.orderId, instrument, from);
    if (owned !== null) return this.reject(from, instrument, m.orderId, this.clientIdIfKnown(m.orderId), owned);
    const call = this.calls[instrument] as CallBook;
    if (call.get(m.orderId) !== undefined) {
      this.closeOrder(m.orderId, call.remove(m.orderId), 'requested');
      this.feed.changed(instrument, now, true);
      return;
    }
    const book = this.books[instrument] as LimitOrderBook;
    this.snapshotTop(book);
    const r = book.cancel(m.orderId, this.result);
    if (r.status === 'rejected') return this.reject(from, instrument, m.orderId, this.orders.clientOrderId(m.orderId), r.reason as OrderRejectReason);
    this.closeOrder(m.orderId, r.cancelledQty, 'requested');
    this.afterChange(now, instrument, book);
  }

  private modify(now: Micros, m: ModifyOrder, from: AgentId): void {
    const instrument = m.instrument;
    if (!this.knows(instrument)) return this.reject(from, instrument, m.orderId, 0, 'UNKNOWN_INSTRUMENT');
    if (this.halted[instrument]) return this.reject(from, instrument, m.orderId, 0, 'MARKET_HALTED');
    if (this.closed) return this.reject(from, instrument, m.orderId, 0, 'MARKET_CLOSED');
    const owned = this.ownership(m.orderId, instrument, from);
    const clientOrderId = this.clientIdIfKnown(m.orderId);
    if (owned !== null) return this.reject(from, instrument, m.orderId, clientOrderId, owned);
    const book = this.books[instrument] as LimitOrderBook;
    const collected = (this.calls[instrument] as CallBook).get(m.orderId);
    const resting = collected ?? book.order(m.orderId);
    if (resting === undefined) return this.reject(from, instrument, m.orderId, clientOrderId, 'UNKNOWN_ORDER');
    if (!Number.isSafeInteger(m.price) || m.price < 1) return this.reject(from, instrument, m.orderId, clientOrderId, 'INVALID_PRICE');
    if (!Number.isSafeInteger(m.qty) || m.qty < 1) return this.reject(from, instrument, m.orderId, clientOrderId, 'INVALID_QTY');
    const spec = this.instruments[instrument] as Instrument;
    // Shape before funds, as for a new order: an oversized modify is QTY_ABOVE_LIMIT whatever the balance.
    if (m.qty > spec.maxOrderQty) return this.reject(from, instrument, m.orderId, clientOrderId, 'QTY_ABOVE_LIMIT');
    if (!orderValueFits(spec, m.price, m.qty)) return this.reject(from, instrument, m.orderId, clientOrderId, 'VALUE_TOO_LARGE');

    // Phase one again: top the hold up to what the new terms may consume.
    const account = this.orders.account(m.orderId);
    const side = resting.side;
    const extra = this.risk.required(side, spec, m.price, m.qty) - this.risk.held(m.orderId);
    if (extra > 0) {
      const short = this.risk.shortfall(side, account, instrument, extra);
      if (short !== null) return this.reject(from, instrument, m.orderId, clientOrderId, short);
    }
    if (collected !== undefined) return this.amendInCall(now, m, from, clientOrderId, Math.max(extra, 0));
    this.snapshotTop(book);
    const keptPriority = m.price === resting.price && m.qty <= resting.qty;
    const r = book.modify(m.orderId, m.price, m.qty, this.result, m.postOnly === true);
    if (r.status === 'rejected') return this.reject(from, instrument, m.orderId, clientOrderId, r.reason as OrderRejectReason);
    if (extra > 0) this.risk.hold(m.orderId, side, account, instrument, extra);
    this.orders.setPrice(m.orderId, m.price);
    this.report(from, { type: 'OrderModified', instrument, orderId: m.orderId, clientOrderId, price: m.price, qty: m.qty, keptPriority });
    this.settle(now, instrument, m.orderId, from, r);
    if (r.status === 'cancelled') this.closeOrder(m.orderId, r.cancelledQty, 'self-trade');
    else this.risk.releaseExcess(m.orderId, r.restingQty);
    this.afterChange(now, instrument, book);
  }

  // ------------------------------------------------------------- call phases

  /** Wakes for the next call start or uncrossing inside a session, if any is left. */
  private scheduleAuction(now: Micros): void {
    const next = this.schedule?.next(now);
    if (next !== undefined) this.kernel.wakeAt(this.id, next.at, AUCTION_TAG, SESSION_CLOSE_PRIORITY);
  }

  private auctionTransition(now: Micros): void {
    const schedule = this.schedule as AuctionSchedule;
    const due = schedule.next(now - 1);
    if (due?.action === 'call') this.startCall(now);
    else if (due?.action === 'uncross') this.uncrossAll(now);
    this.scheduleAuction(now);
  }

  /**
   * A call phase begins: every resting order (orders left from the last
   * session, good-till-cancelled) joins the call in its book priority, so
   * stale and new interest meet at one price; the public book is empty until
   * the uncrossing.
   */
  private startCall(now: Micros): void {
    this.calling = true;
    for (let instrument = 0; instrument < this.books.length; instrument++) {
      const book = this.books[instrument] as LimitOrderBook;
      if (book.size === 0) continue;
      const call = this.calls[instrument] as CallBook;
      this.snapshotTop(book);
      for (const side of ['buy', 'sell'] as const) {
        for (const o of book.restingOrders(side)) {
          book.cancel(o.id, this.result);
          call.add(o.id, o.owner, side, o.price, o.qty, false);
        }
      }
      this.afterChange(now, instrument, book);
    }
  }

  /** Uncrosses every instrument's call; continuous trading follows unless this is a batch market. */
  private uncrossAll(now: Micros): void {
    const schedule = this.schedule as AuctionSchedule;
    const batch = schedule.batch;
    if (!batch) this.calling = false;
    // The closing price is the session's last: nothing trades in the µs left before the next open.
    this.closed = schedule.closesAt(now);
    for (let instrument = 0; instrument < this.books.length; instrument++) this.uncross(now, instrument, batch);
  }

  /**
   * The uncrossing (auction-clearing.ts): one price, trades allocated by
   * price then time (or pro rata), settled out of the orders' holds at the
   * maker fee, never a rebate (no side took resting liquidity). An account
   * never trades with itself (a wash trade cannot be settled): its buy is
   * paired with another owner's sell, and orders whose lots could only meet
   * their own owner's are cancelled (reason self-trade). IOC and collared market orders expire;
   * the other remainders enter the continuous book in their call priority
   * (they no longer cross each other), or wait for the next batch.
   */
  private uncross(now: Micros, instrument: number, batch: boolean): void {
    const call = this.calls[instrument] as CallBook;
    if (call.size === 0) return;
    const book = this.books[instrument] as LimitOrderBook;
    this.snapshotTop(book);
    // The call keeps its interest by price level: the uncrossing price is its indicative one, computed now.
    const at = call.indicative(this.referenceFor(instrument));
    let traded = false;
    if (at !== undefined) {
      const { trades, blocked } = allocateAuctionWithoutSelfTrades(call.orders(), at, this.allocation);
      for (const t of trades) this.settleAuctionTrade(now, instrument, at.price, t, call);
      traded = trades.length > 0;
      for (const id of blocked) this.closeOrder(id, call.remove(id), 'self-trade');
      const alerts = this.alerts[instrument];
      if (traded && alerts !== undefined && alerts.size > 0) alerts.check(at.price, at.price, this.fireAlert);
    }
    this.result.begin(0, 0, 'buy', 0, 0); // no stale fills for afterChange to read
    for (const e of batch ? call.takeExpiring() : call.drain()) {
      if (e.expires) this.closeOrder(e.id, e.qty, 'unfilled-ioc');
      else this.restResidual(now, instrument, e);
    }
    this.afterChange(now, instrument, book, traded);
  }

  private settleAuctionTrade(now: Micros, instrument: number, price: number, t: AuctionTrade, call: CallBook): void {
    const spec = this.instruments[instrument] as Instrument;
    const cash = notional(spec, price, t.qty);
    // The maker fee without its rebate: a rebate pays for resting liquidity that someone took, which an uncrossing does not have (and two rebates per trade could overdraw the fee account).
    const fee = Math.max(0, this.fees.makerFee(cash));
    const s = this.settlement;
    s.buyer = t.buyOwner;
    s.seller = t.sellOwner;
    s.instrument = instrument;
    s.qty = t.qty;
    s.cash = cash;
    s.buyerFee = fee;
    s.sellerFee = fee;
    this.risk.settleFill(s, t.buyId, t.sellId);
    this.lastPrices[instrument] = price;
    this.volumes[instrument] = this.volumes[instrument] + t.qty;
    const buySeq = (call.get(t.buyId) as CallEntry).seq;
    const sellSeq = (call.get(t.sellId) as CallEntry).seq;
    const buyLeft = call.reduce(t.buyId, t.qty);
    const sellLeft = call.reduce(t.sellId, t.qty);
    const buyer = this.orders.agent(t.buyId);
    const seller = this.orders.agent(t.sellId);
    this.report(buyer, fill(instrument, t.buyId, this.orders.clientOrderId(t.buyId), 'buy', price, t.qty, buyLeft, fee, 'auction'));
    this.report(seller, fill(instrument, t.sellId, this.orders.clientOrderId(t.sellId), 'sell', price, t.qty, sellLeft, fee, 'auction'));
    this.risk.releaseExcess(t.buyId, buyLeft);
    this.risk.releaseExcess(t.sellId, sellLeft);
    // The later of the two orders completed the cross: it is recorded as the aggressor.
    const buyLater = buySeq > sellSeq;
    if (this.trades.observed) this.emitTrade(now, instrument, price, t.qty, buyer, seller, buyLater ? 'buy' : 'sell', buyLater ? t.sellId : t.buyId, buyLater ? t.buyId : t.sellId);
  }

  /** A remainder enters the continuous book as a limit under its own id (it rests; only a self-paired remainder can match). */
  private restResidual(now: Micros, instrument: number, e: CallEntry): void {
    const book = this.books[instrument] as LimitOrderBook;
    const req = this.request;
    req.type = 'limit';
    req.side = e.side;
    req.id = e.id;
    req.owner = e.owner;
    req.price = e.price;
    req.qty = e.qty;
    const r = book.place(req, this.result);
    if (r.status === 'rejected') throw new Error(`a call remainder was refused by the book (${String(r.reason)}): order ${e.id}`);
    this.settle(now, instrument, e.id, this.orders.agent(e.id), r);
    if (r.status === 'cancelled') this.closeOrder(e.id, r.cancelledQty, 'self-trade');
  }

  /**
   * An order during a call: held like any order, then collected. An IOC
   * takes part in the next uncrossing only; a market order becomes a limit
   * `collarBps` through the reference price (a market-order collar, as
   * Nasdaq's and Cboe's market-order protection), and expires like an IOC;
   * a fill-or-kill cannot wait for a call and is refused.
   */
  private placeInCall(now: Micros, m: PlaceOrder, from: AgentId, account: number): void {
    const instrument = m.instrument;
    if (m.orderType === 'limit-fok') return this.reject(from, instrument, 0, m.clientOrderId, 'NOT_IN_CALL_PHASE');
    const spec = this.instruments[instrument] as Instrument;
    const call = this.calls[instrument] as CallBook;
    let price = m.price;
    let qty = m.qty;
    if (m.orderType === 'market') {
      const reference = this.priceReference(instrument);
      if (reference === NO_PRICE) return this.reject(from, instrument, 0, m.clientOrderId, 'NO_LIQUIDITY');
      price = m.side === 'buy' ? Math.ceil((reference * (BPS + this.collarBps)) / BPS) : Math.max(1, Math.floor((reference * (BPS - this.collarBps)) / BPS));
      if (m.side === 'buy') qty = this.risk.affordableBuy(account, spec, price, qty);
      if (qty === 0) return this.reject(from, instrument, 0, m.clientOrderId, 'INSUFFICIENT_CASH');
      if (!orderValueFits(spec, price, qty)) return this.reject(from, instrument, 0, m.clientOrderId, 'VALUE_TOO_LARGE');
    }
    const held = this.risk.required(m.side, spec, price, qty);
    const short = this.risk.shortfall(m.side, account, instrument, held);
    if (short !== null) return this.reject(from, instrument, 0, m.clientOrderId, short);
    const orderId = this.orders.open(from, account, instrument, m.side, m.clientOrderId, price);
    this.risk.hold(orderId, m.side, account, instrument, held);
    this.report(from, { type: 'OrderAccepted', instrument, orderId, clientOrderId: m.clientOrderId, side: m.side, price, qty });
    call.add(orderId, account, m.side, price, qty, m.orderType === 'limit-ioc' || m.orderType === 'market');
    this.feed.changed(instrument, now, true);
  }

  /** A modify of a collected order (checked and its extra hold sized by `modify`): new terms, priority as in the book. */
  private amendInCall(now: Micros, m: ModifyOrder, from: AgentId, clientOrderId: number, extra: number): void {
    const call = this.calls[m.instrument] as CallBook;
    const e = call.get(m.orderId) as CallEntry;
    if (extra > 0) this.risk.hold(m.orderId, e.side, e.owner, m.instrument, extra);
    const keptPriority = call.amend(m.orderId, m.price, m.qty);
    this.orders.setPrice(m.orderId, m.price);
    this.report(from, { type: 'OrderModified', instrument: m.instrument, orderId: m.orderId, clientOrderId, price: m.price, qty: m.qty, keptPriority });
    this.risk.releaseExcess(m.orderId, m.qty);
    this.feed.changed(m.instrument, now, true);
  }

  /** The call's indicative uncrossing as last published. */
  private indication(instrument: number): AuctionIndication {
    const call = this.calls[instrument] as CallBook;
    if (call.size === 0) return NOTHING_CROSSES;
    return call.indicative(this.referenceFor(instrument), this.kernel.now, INDICATIVE_INTERVAL_US) ?? NOTHING_CROSSES;
  }

  /**
   * The auction's reference price: the last trade (Xetra), else the
   * configured static reference, else the first collected limit's price.
   */
  private referenceFor(instrument: number): number {
    const reference = this.priceReference(instrument);
    if (reference !== NO_PRICE) return reference;
    for (const o of (this.calls[instrument] as CallBook).orders()) if (o.price !== 0) return o.price;
    return 1;
  }

  /** The last trade, else the configured static reference, else NO_PRICE: what a market order is collared around. */
  private priceReference(instrument: number): number {
    const last = this.lastPrices[instrument];
    return last !== NO_PRICE ? last : (this.referencePrices[instrument] ?? NO_PRICE);
  }

  // -------------------------------------------------------------- settlement

  /** Phase two: settles every fill of `r`, expires self-trade makers, releases unused holds. */
  private settle(now: Micros, instrument: number, takerId: number, taker: AgentId, r: MatchResult): void {
    const spec = this.instruments[instrument] as Instrument;
    const takerSide = r.side;
    const takerAccount = this.orders.account(takerId);
    const takerClientId = this.orders.clientOrderId(takerId);
    let takerRemaining = r.requestedQty;
    for (let i = 0; i < r.fillCount; i++) {
      const makerId = r.fillMakerOrderId[i];
      const price = r.fillPrice[i];
      const qty = r.fillQty[i];
      const makerRemaining = r.fillMakerRemaining[i];
      const makerAccount = this.orders.account(makerId);
      const cash = notional(spec, price, qty);
      const takerFee = this.fees.takerFee(cash);
      const makerFee = this.fees.makerFee(cash);
      const buyerIsTaker = takerSide === 'buy';
      const s = this.settlement;
      s.buyer = buyerIsTaker ? takerAccount : makerAccount;
      s.seller = buyerIsTaker ? makerAccount : takerAccount;
      s.instrument = instrument;
      s.qty = qty;
      s.cash = cash;
      s.buyerFee = buyerIsTaker ? takerFee : makerFee;
      s.sellerFee = buyerIsTaker ? makerFee : takerFee;
      this.risk.settleFill(s, buyerIsTaker ? takerId : makerId, buyerIsTaker ? makerId : takerId);
      takerRemaining -= qty;
      this.lastPrices[instrument] = price;
      this.volumes[instrument] = this.volumes[instrument] + qty;

      const maker = this.orders.agent(makerId);
      this.report(maker, fill(instrument, makerId, this.orders.clientOrderId(makerId), this.orders.side(makerId), price, qty, makerRemaining, makerFee, 'maker'));
      this.report(taker, fill(instrument, takerId, takerClientId, takerSide, price, qty, takerRemaining, takerFee, 'taker'));
      this.risk.releaseExcess(makerId, makerRemaining);
      if (this.trades.observed) this.emitTrade(now, instrument, price, qty, buyerIsTaker ? taker : maker, buyerIsTaker ? maker : taker, takerSide, makerId, takerId);
    }
    for (let i = 0; i < r.expiredCount; i++) {
      this.closeOrder(r.expiredOrderId[i], r.expiredQty[i], 'self-trade');
    }
    if (r.status === 'resting') this.risk.releaseExcess(takerId, r.restingQty);
    else if (r.status === 'filled') this.risk.releaseExcess(takerId, 0);
    const alerts = this.alerts[instrument];
    if (alerts !== undefined && alerts.size > 0 && r.fillCount > 0) this.checkWatches(alerts, r);
  }

  /** Books a subscription or redemption of the sender's account (cash-transfers.ts), or refuses it whole. */
  private transferCash(m: TransferCash, from: AgentId): void {
    const account = this.accountOf(from);
    const amount = m.amount;
    let booked = false;
    if (account >= 0 && Number.isSafeInteger(amount) && amount !== 0) {
      booked = (amount > 0 ? this.ledger.deposit(account, amount) : this.ledger.withdraw(account, -amount)) === 'OK';
    }
    const report: CashTransferred = { type: 'CashTransferred', transferId: m.transferId, amount: booked ? amount : 0, booked };
    this.send(from, report);
  }

  /** Sets (or with both prices NO_PRICE cancels) the sender's watch; prices must be whole ticks ≥ 1 or NO_PRICE. */
  private watch(m: WatchPrice, from: AgentId): void {
    if (!isWatchPrice(m.below) || !isWatchPrice(m.above)) return;
    (this.alerts[m.instrument] ??= new PriceAlerts(m.instrument)).set(from, m.watchId, m.below, m.above);
  }

  /** The watches one command's prints fire, from its lowest and highest print. */
  private checkWatches(alerts: PriceAlerts, r: MatchResult): void {
    let low = r.fillPrice[0] as number;
    let high = low;
    for (let i = 1; i < r.fillCount; i++) {
      const p = r.fillPrice[i] as number;
      if (p < low) low = p;
      else if (p > high) high = p;
    }
    alerts.check(low, high, this.fireAlert);
  }

  /** Reports an order's exit with `qty` unfilled lots and releases its whole hold. */
  private closeOrder(orderId: number, qty: number, reason: CancelReason): void {
    this.risk.releaseExcess(orderId, 0);
    const agent = this.orders.agent(orderId);
    this.report(agent, { type: 'OrderCancelled', instrument: this.orders.instrument(orderId), orderId, clientOrderId: this.orders.clientOrderId(orderId), qty, reason });
  }

  // ------------------------------------------------------------------ helpers

  private knows(instrument: number): boolean {
    return Number.isInteger(instrument) && instrument >= 0 && instrument < this.books.length;
  }

  /** Null when `agent` owns live order `orderId` on `instrument`, else why not. */
  private ownership(orderId: number, instrument: number, agent: AgentId): OrderRejectReason | null {
    if (!this.orders.has(orderId) || this.orders.instrument(orderId) !== instrument) return 'UNKNOWN_ORDER';
    if (this.orders.agent(orderId) !== agent) return 'NOT_OWNER';
    return null;
  }

  private clientIdIfKnown(orderId: number): number {
    return this.orders.has(orderId) ? this.orders.clientOrderId(orderId) : 0;
  }

  /** Checks the fields the book would reject anyway, before any hold is taken. */
  private shapeProblem(m: PlaceOrder): OrderRejectReason | null {
    if (m.side !== 'buy' && m.side !== 'sell') return 'INVALID_SIDE';
    if (m.orderType !== 'market' && (!Number.isSafeInteger(m.price) || m.price < 1)) return 'INVALID_PRICE';
    if (!Number.isSafeInteger(m.qty) || m.qty < 1) return 'INVALID_QTY';
    const spec = this.instruments[m.instrument] as Instrument;
    if (m.qty > spec.maxOrderQty) return 'QTY_ABOVE_LIMIT';
    // A market order trades at resting prices, whose orders passed this check.
    if (m.orderType !== 'market' && !orderValueFits(spec, m.price, m.qty)) return 'VALUE_TOO_LARGE';
    return null;
  }

  private reject(to: AgentId, instrument: number, orderId: number, clientOrderId: number, reason: OrderRejectReason): void {
    this.stats.rejections++;
    this.report(to, { type: 'OrderRejected', instrument, orderId, clientOrderId, reason });
  }

  private report(to: AgentId, report: OrderReport): void {
    this.send(to, report);
    if (this.reported.observed) {
      const event: OrderReported = { type: 'OrderReported', id: this.kernel.newId(), causeId: this.kernel.currentId, time: this.kernel.now, agent: to, report };
      this.reported.emit(event);
    }
  }

  private emitTrade(now: Micros, instrument: number, price: number, qty: number, buyer: AgentId, seller: AgentId, aggressor: Side, makerOrderId: number, takerOrderId: number): void {
    const event: TradeExecuted = { type: 'TradeExecuted', id: this.kernel.newId(), causeId: this.kernel.currentId, time: now, instrument, price, qty, buyer, seller, aggressor, makerOrderId, takerOrderId };
    this.trades.emit(event);
  }

  private snapshotTop(book: LimitOrderBook): void {
    const t = this.topBefore;
    t.bid = book.bestBid() ?? NO_PRICE;
    t.bidQty = book.bestBidQty();
    t.ask = book.bestAsk() ?? NO_PRICE;
    t.askQty = book.bestAskQty();
  }

  /**
   * After a command changed the book: depth subscribers always hear of it,
   * top-of-book subscribers, mark listeners and observers only when the top
   * or the last trade changed since `snapshotTop`.
   */
  private afterChange(now: Micros, instrument: number, book: LimitOrderBook, traded = false): void {
    const t = this.topBefore;
    const bid = book.bestBid() ?? NO_PRICE;
    const ask = book.bestAsk() ?? NO_PRICE;
    const bidQty = book.bestBidQty();
    const askQty = book.bestAskQty();
    const topMoved = bid !== t.bid || ask !== t.ask || bidQty !== t.bidQty || askQty !== t.askQty;
    const topChanged = topMoved || traded || this.result.fillCount > 0;
    this.feed.changed(instrument, now, topChanged);
    if (!topChanged) return;
    for (let i = 0; i < this.markListeners.length; i++) (this.markListeners[i] as MarkListener).onMarkChanged(instrument, now);
    if (topMoved && this.bookChanges.observed) {
      const event: BookChanged = { type: 'BookChanged', id: this.kernel.newId(), causeId: this.kernel.currentId, time: now, instrument, bidPrice: bid, bidQty, askPrice: ask, askQty };
      this.bookChanges.emit(event);
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface MutableRequest extends OrderRequest {
  type: OrderType;
  side: Side;
  id: number;
  owner: number;
  price: number;
  qty: number;
}

function fill(instrument: number, orderId: number, clientOrderId: number, side: Side, price: number, qty: number, remaining: number, fee: number, liquidity: 'maker' | 'taker' | 'auction'): OrderReport {
  return { type: 'OrderFilled', instrument, orderId, clientOrderId, side, price, qty, remaining, fee, liquidity };
}

/** A watch price: whole ticks ≥ 1, or NO_PRICE for a side not watched. */
function isWatchPrice(p: number): boolean {
  return p === NO_PRICE || (Number.isSafeInteger(p) && p >= 1);
}
