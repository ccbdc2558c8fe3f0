import type { Micros } from '../engine/time.js';
import type { OrderReport } from '../market/order-messages.js';
import type { Side } from '../market/side.js';

/**
 * One of the agent's own orders as the agent knows it from the venue's
 * reports. Mutable: the tracker updates it in place as reports arrive.
 */
export interface TrackedOrder {
  /** Chosen by the agent, unique among its orders (1, 2, 3, …). */
  readonly clientOrderId: number;
  /** The venue's id, 0 until `OrderAccepted` arrives. */
  orderId: number;
  readonly side: Side;
  /** Limit price in ticks (ignored by the venue for market orders). */
  price: number;
  /** Lots requested (or as last modified). */
  qty: number;
  /** Lots still open at the venue as far as the agent knows. */
  remaining: number;
  /** When the agent sent the order, µs. */
  readonly placedAt: Micros;
  /** The agent asked to cancel it; it no longer counts as committed. */
  cancelRequested: boolean;
  /** The `CancelOrder` has been sent (needs the venue's `orderId`). */
  cancelSent: boolean;
  /** A number the owning agent may file with the order (e.g. where it keeps it); −1 until set, never read by the tracker. */
  tag: number;
}

/** Starting state of a tracker. */
export interface OrderTrackerOptions {
  /** Cash in minor units the account starts with, as deposited by the scenario. Default 0. */
  initialCash?: number;
  /** Lots the account starts with (negative: short). Default 0. */
  initialPosition?: number;
  /** Minor units of cash per tick per lot (`Instrument.minorPerTickLot`). Default 1. */
  minorPerTickLot?: number;
}

/**
 * One open order's record: the {@link TrackedOrder} fields plus its links in
 * the tracker's placement-ordered list. The links stay as they were when the
 * order closes, so an iteration standing on it can go on.
 */
class OpenOrder implements TrackedOrder {
  orderId = 0;
  remaining: number;
  cancelRequested = false;
  cancelSent = false;
  tag = -1;
  /** Still open (in the tracker's list and index). */
  open = true;
  prev: OpenOrder | null = null;
  next: OpenOrder | null = null;

  constructor(
    readonly clientOrderId: number,
    readonly side: Side,
    public price: number,
    public qty: number,
    readonly placedAt: Micros,
  ) {
    this.remaining = qty;
  }
}

/** Open orders oldest first, skipping any that close during the iteration. */
class OpenOrderIterator implements IterableIterator<TrackedOrder> {
  constructor(private node: OpenOrder | null) {}

  next(): IteratorResult<TrackedOrder> {
    let node = this.node;
    while (node !== null && !node.open) node = node.next;
    if (node === null) {
      this.node = null;
      return { done: true, value: undefined };
    }
    this.node = node.next;
    return { done: false, value: node };
  }

  [Symbol.iterator](): IterableIterator<TrackedOrder> {
    return this;
  }
}

/** First capacity of the index by client id (a power of two). */
const FIRST_INDEX_SIZE = 16;
/** Largest index by client id; an order that stays open while this many newer ones are placed moves to a `Map`. */
const MAX_INDEX_SIZE = 4096;

/**
 * An agent's view of its own orders, position and cash on one instrument,
 * built only from the venue's reports (NautilusTrader's "state is built from
 * events": `apply(report)`). It never asks the venue or the ledger; it is the
 * agent's belief, which the venue's pre-trade checks may still contradict.
 *
 * Open orders are kept in placement order (oldest first) in a doubly linked
 * list, and indexed by `clientOrderId` in a ring: client ids are 1, 2, 3, …,
 * so the open order with id `c` sits at `c mod size`, where no newer order
 * has overwritten it while `c` is among the last `size` ids; the ring grows
 * to {@link MAX_INDEX_SIZE}, and an older order still open then moves to a
 * `Map` (rare: an order left resting while thousands of newer ones come and
 * go). No index by the venue's `orderId` is kept: every report carries the
 * `clientOrderId` the venue was given, and a report whose client id does not
 * lead to the order with its venue id falls back to a walk of the open
 * orders. Reports are assumed to arrive in the order sent (constant
 * latency); under jitter a fill may overtake its `OrderAccepted`, which is
 * handled, and reports about orders already closed are ignored — except
 * fills, which always move position and cash.
 *
 * Cash follows the venue's settlement: a buy fill of `qty` lots at `price`
 * ticks pays `price · qty · minorPerTickLot + fee`, a sell receives
 * `price · qty · minorPerTickLot − fee` (a negative fee is a rebate).
 */
export class OrderTracker {
  /** Lots held (negative when short), from fills. */
  position: number;
  /** Cash in minor units, from fills (fees included). */
  cash: number;
  /** Lots of open buy orders not being cancelled (what the venue holds cash for). */
  committedBuyQty = 0;
  /** Lots of open sell orders not being cancelled (what the venue holds position for). */
  committedSellQty = 0;
  /** Lots traded, both sides. */
  tradedQty = 0;
  /** Fees paid in minor units (rebates subtract). */
  feesPaid = 0;
  /** Commands the venue rejected (new orders, cancels, modifies). */
  rejections = 0;
  private readonly minorPerTickLot: number;
  /** Oldest and newest open orders. */
  private head: OpenOrder | null = null;
  private tail: OpenOrder | null = null;
  private count = 0;
  /** Open orders among the last `index.length` client ids, at `clientOrderId & mask`. */
  private index: (OpenOrder | undefined)[] = new Array<OpenOrder | undefined>(FIRST_INDEX_SIZE).fill(undefined);
  private mask = FIRST_INDEX_SIZE - 1;
  /** Open orders older than the ring covers (null until one is). */
  private old: Map<number, OpenOrder> | null = null;
  private nextClientOrderId = 1;
  private live = 0;

  constructor(options: OrderTrackerOptions = {}) {
    this.cash = options.initialCash ?? 0;
    this.position = options.initialPosition ?? 0;
    this.minorPerTickLot = options.minorPerTickLot ?? 1;
  }

  /** Number of open orders, including those being cancelled. */
  get openCount(): number {
    return this.count;
  }

  /** Open orders, oldest first. Do not place orders while iterating. */
  openOrders(): IterableIterator<TrackedOrder> {
    return new OpenOrderIterator(this.head);
  }

  /** Lots of the open orders on `side` at `price`, including those being cancelled. */
  openQtyAt(side: Side, price: number): number {
    let qty = 0;
    for (let o = this.head; o !== null; o = o.next) if (o.price === price && o.side === side) qty += o.remaining;
    return qty;
  }

  /** The order with this client id, if still open. */
  get(clientOrderId: number): TrackedOrder | undefined {
    return this.byClient(clientOrderId);
  }

  /** Number of open orders not being cancelled. */
  get liveCount(): number {
    return this.live;
  }

  /** The oldest open order not being cancelled, if any. */
  oldestLive(): TrackedOrder | undefined {
    for (let o = this.head; o !== null; o = o.next) if (!o.cancelRequested) return o;
    return undefined;
  }

  /**
   * Records an order about to be sent and returns it with a fresh
   * `clientOrderId`. Its lots count as committed from now on.
   */
  track(side: Side, price: number, qty: number, now: Micros): TrackedOrder {
    const order = new OpenOrder(this.nextClientOrderId++, side, price, qty, now);
    this.link(order);
    this.commit(order, 1);
    return order;
  }

  /**
   * Marks an order to be cancelled and returns the venue id to put in the
   * `CancelOrder`, or 0 when no cancel is to be sent now: already requested,
   * or not yet accepted (then the cancel is owed; see {@link takeOwedCancel}).
   */
  requestCancel(order: TrackedOrder): number {
    if (order.cancelRequested) return 0;
    order.cancelRequested = true;
    this.commit(order, -1);
    if (order.orderId === 0) return 0;
    order.cancelSent = true;
    return order.orderId;
  }

  /**
   * After `OrderAccepted`: the venue id to cancel if a cancel was requested
   * before the acceptance arrived (and marks it sent), else 0.
   */
  takeOwedCancel(order: TrackedOrder): number {
    if (!order.cancelRequested || order.cancelSent || order.orderId === 0) return 0;
    order.cancelSent = true;
    return order.orderId;
  }

  /**
   * Applies one report from the venue. Returns the order it concerns (which
   * may just have been closed), or undefined when the tracker does not know it.
   */
  apply(report: OrderReport): TrackedOrder | undefined {
    switch (report.type) {
      case 'OrderAccepted': {
        const order = this.byClient(report.clientOrderId);
        if (order === undefined) return undefined;
        order.orderId = report.orderId;
        return order;
      }
      case 'OrderFilled': {
        const sign = report.side === 'buy' ? 1 : -1;
        this.position += sign * report.qty;
        this.cash -= sign * report.price * report.qty * this.minorPerTickLot + report.fee;
        this.tradedQty += report.qty;
        this.feesPaid += report.fee;
        const order = this.find(report.orderId, report.clientOrderId);
        if (order === undefined) return undefined;
        if (order.orderId === 0) order.orderId = report.orderId;
        if (!order.cancelRequested) this.commitQty(order.side, report.remaining - order.remaining);
        order.remaining = report.remaining;
        if (report.remaining === 0) this.close(order, false);
        return order;
      }
      case 'OrderCancelled': {
        const order = this.find(report.orderId, report.clientOrderId);
        if (order !== undefined) this.close(order, true);
        return order;
      }
      case 'OrderModified': {
        const order = this.find(report.orderId, report.clientOrderId);
        if (order === undefined) return undefined;
        if (!order.cancelRequested) this.commitQty(order.side, report.qty - order.remaining);
        order.price = report.price;
        order.qty = report.qty;
        order.remaining = report.qty;
        return order;
      }
      case 'OrderRejected': {
        this.rejections++;
        if (report.orderId === 0) {
          // A new order refused: it never existed at the venue.
          const order = this.byClient(report.clientOrderId);
          if (order !== undefined && order.orderId === 0) this.close(order, true);
          return order;
        }
        // A cancel or modify refused.
        const order = this.byVenue(report.orderId, report.clientOrderId);
        if (order === undefined) return undefined;
        if (report.reason === 'UNKNOWN_ORDER') {
          // Gone at the venue already (filled or cancelled); its reports came or are coming.
          this.close(order, true);
        } else if (order.cancelRequested) {
          order.cancelRequested = false;
          order.cancelSent = false;
          this.commit(order, 1);
        }
        return order;
      }
    }
  }

  /** The open order with this client id. */
  private byClient(clientOrderId: number): OpenOrder | undefined {
    if (clientOrderId >= this.nextClientOrderId - this.index.length) {
      const order = this.index[clientOrderId & this.mask];
      return order !== undefined && order.clientOrderId === clientOrderId ? order : undefined;
    }
    return this.old === null ? undefined : this.old.get(clientOrderId);
  }

  /** The open order with this venue id (`clientOrderId`, as the venue reports it, tried first). */
  private byVenue(orderId: number, clientOrderId: number): OpenOrder | undefined {
    const hinted = this.byClient(clientOrderId);
    if (hinted !== undefined && hinted.orderId === orderId) return hinted;
    for (let o = this.head; o !== null; o = o.next) if (o.orderId === orderId) return o;
    return undefined;
  }

  /** The order a fill names: by its venue id when known, else by a client id the venue has not yet confirmed. */
  private find(orderId: number, clientOrderId: number): OpenOrder | undefined {
    const byVenue = orderId !== 0 ? this.byVenue(orderId, clientOrderId) : undefined;
    if (byVenue !== undefined) return byVenue;
    const byClient = this.byClient(clientOrderId);
    // Guard against a stale client id reused by a different venue order.
    return byClient !== undefined && byClient.orderId === 0 ? byClient : undefined;
  }

  /** Appends a new order to the list and the index. */
  private link(order: OpenOrder): void {
    const id = order.clientOrderId;
    const previous = this.index[id & this.mask];
    if (previous !== undefined) this.makeRoom(previous);
    this.index[id & this.mask] = order;
    order.prev = this.tail;
    if (this.tail === null) this.head = order;
    else this.tail.next = order;
    this.tail = order;
    this.count++;
  }

  /**
   * A new id's ring slot holds `previous`, an open order as many ids older as
   * the ring is long: doubling the ring frees the slot (every other order in
   * it is newer), else `previous` moves to the map of old orders.
   */
  private makeRoom(previous: OpenOrder): void {
    const size = this.index.length;
    if (size < MAX_INDEX_SIZE) {
      const mask = size * 2 - 1;
      const bigger = new Array<OpenOrder | undefined>(size * 2).fill(undefined);
      for (const o of this.index) if (o !== undefined) bigger[o.clientOrderId & mask] = o;
      this.index = bigger;
      this.mask = mask;
      return;
    }
    if (this.old === null) this.old = new Map();
    this.old.set(previous.clientOrderId, previous);
  }

  private close(order: TrackedOrder, uncommit: boolean): void {
    const o = order as OpenOrder;
    if (!o.cancelRequested) {
      if (uncommit) this.commit(o, -1);
      else this.live--;
    }
    o.remaining = 0;
    if (!o.open) return;
    o.open = false;
    const id = o.clientOrderId;
    const slot = id & this.mask;
    if (this.index[slot] === o) this.index[slot] = undefined;
    else if (this.old !== null) this.old.delete(id);
    if (o.prev === null) this.head = o.next;
    else o.prev.next = o.next;
    if (o.next === null) this.tail = o.prev;
    else o.next.prev = o.prev;
    this.count--;
  }

  /** Counts an order in (+1) or out of (−1) the live orders and their committed lots. */
  private commit(order: TrackedOrder, sign: 1 | -1): void {
    this.live += sign;
    this.commitQty(order.side, sign * order.remaining);
  }

  private commitQty(side: Side, qty: number): void {
    if (side === 'buy') this.committedBuyQty += qty;
    else this.committedSellQty += qty;
  }
}
