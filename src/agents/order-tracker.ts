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
 * An agent's view of its own orders, position and cash on one instrument,
 * built only from the venue's reports (NautilusTrader's "state is built from
 * events": `apply(report)`). It never asks the venue or the ledger; it is the
 * agent's belief, which the venue's pre-trade checks may still contradict.
 *
 * Open orders are kept in placement order (oldest first) in a `Map` keyed by
 * `clientOrderId`, with a second `Map` by the venue's `orderId`. Reports are
 * assumed to arrive in the order sent (constant latency); under jitter a fill
 * may overtake its `OrderAccepted`, which is handled (every report carries the
 * `clientOrderId`), and reports about orders already closed are ignored —
 * except fills, which always move position and cash.
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
  private readonly byClient = new Map<number, TrackedOrder>();
  private readonly byVenue = new Map<number, TrackedOrder>();
  private nextClientOrderId = 1;
  private live = 0;

  constructor(options: OrderTrackerOptions = {}) {
    this.cash = options.initialCash ?? 0;
    this.position = options.initialPosition ?? 0;
    this.minorPerTickLot = options.minorPerTickLot ?? 1;
  }

  /** Number of open orders, including those being cancelled. */
  get openCount(): number {
    return this.byClient.size;
  }

  /** Open orders, oldest first. Do not place orders while iterating. */
  openOrders(): IterableIterator<TrackedOrder> {
    return this.byClient.values();
  }

  /** The order with this client id, if still open. */
  get(clientOrderId: number): TrackedOrder | undefined {
    return this.byClient.get(clientOrderId);
  }

  /** Number of open orders not being cancelled. */
  get liveCount(): number {
    return this.live;
  }

  /** The oldest open order not being cancelled, if any. */
  oldestLive(): TrackedOrder | undefined {
    for (const o of this.byClient.values()) if (!o.cancelRequested) return o;
    return undefined;
  }

  /**
   * Records an order about to be sent and returns it with a fresh
   * `clientOrderId`. Its lots count as committed from now on.
   */
  track(side: Side, price: number, qty: number, now: Micros): TrackedOrder {
    const order: TrackedOrder = {
      clientOrderId: this.nextClientOrderId++,
      orderId: 0,
      side,
      price,
      qty,
      remaining: qty,
      placedAt: now,
      cancelRequested: false,
      cancelSent: false,
    };
    this.byClient.set(order.clientOrderId, order);
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
        const order = this.byClient.get(report.clientOrderId);
        if (order === undefined) return undefined;
        order.orderId = report.orderId;
        this.byVenue.set(report.orderId, order);
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
        if (order.orderId === 0) {
          order.orderId = report.orderId;
          this.byVenue.set(report.orderId, order);
        }
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
          const order = this.byClient.get(report.clientOrderId);
          if (order !== undefined && order.orderId === 0) this.close(order, true);
          return order;
        }
        // A cancel or modify refused.
        const order = this.byVenue.get(report.orderId);
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

  private find(orderId: number, clientOrderId: number): TrackedOrder | undefined {
    const byVenue = orderId !== 0 ? this.byVenue.get(orderId) : undefined;
    if (byVenue !== undefined) return byVenue;
    const byClient = this.byClient.get(clientOrderId);
    // Guard against a stale client id reused by a different venue order.
    return byClient !== undefined && (byClient.orderId === 0 || byClient.orderId === orderId) ? byClient : undefined;
  }

  private close(order: TrackedOrder, uncommit: boolean): void {
    if (!order.cancelRequested) {
      if (uncommit) this.commit(order, -1);
      else this.live--;
    }
    this.byClient.delete(order.clientOrderId);
    if (order.orderId !== 0) this.byVenue.delete(order.orderId);
    order.remaining = 0;
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
