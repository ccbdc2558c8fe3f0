import type { FeeModel } from './fee-model.js';
import { notional, type Instrument } from './instrument.js';
import type { Ledger, TradeSettlement } from './ledger.js';
import type { LimitOrderBook } from './order-book-api.js';
import type { OrderRejectReason } from './order-messages.js';
import type { OrderRegistry } from './order-registry.js';
import type { Side } from './side.js';

/** A market buy walks at most this many ask levels to find its protection price. */
export const MARKET_PROTECTION_LEVELS = 64;

/** What a market buy may take: its quantity and protection price, or why nothing. */
export interface MarketBuyProtection {
  qty: number;
  price: number;
  reason: OrderRejectReason;
}

/**
 * Pre-trade risk, after exchange-core's risk engine: checks that an account
 * can afford an order, holds what the order may consume before it matches,
 * settles each fill out of the holds and releases what the order no longer
 * needs. It is the only owner of order holds: the amount held for each order
 * is recorded here and nowhere else, and only this class moves order holds
 * in the ledger (whose per-account held totals also count credit pledges).
 *
 * Holds: a buy holds `hold(P, q) = notional(P, q) + maxFee(notional(P, q)) + 2q`
 * minor units at its limit `P`; after each fill it is released down to
 * `hold(P, remaining)`. Fees are rounded up per fill, so each fill's fee
 * exceeds its exact rate by less than one unit; the `2q` term covers that
 * for every possible split, so a settlement never finds the hold short
 * (proof sketch in the exchange's tests). A sell holds its lots.
 *
 * Each order's hold is kept with the order's other fields in the
 * exchange's order registry (no object per order); only this class reads
 * or writes it.
 */
export class PreTradeRisk {
  /** Fee allowance rate bound: the larger of maker and taker fee on a notional. */
  private readonly maxFee: (notional: number) => number;

  constructor(
    private readonly ledger: Ledger,
    private readonly instruments: readonly Instrument[],
    fees: FeeModel,
    private readonly orders: OrderRegistry,
  ) {
    this.maxFee = (n: number) => Math.max(0, fees.takerFee(n), fees.makerFee(n));
  }

  /** What order `orderId` holds now: minor units for a buy, lots for a sell. */
  held(orderId: number): number {
    return this.orders.held(orderId);
  }

  /** What an order of `qty` lots at limit `price` must hold: cash for a buy, lots for a sell. */
  required(side: Side, spec: Instrument, price: number, qty: number): number {
    return side === 'buy' ? this.buyHold(spec, price, qty) : qty;
  }

  /** Null when `account` can hold `amount` more for an order on `side`, else the reason to reject. */
  shortfall(side: Side, account: number, instrument: number, amount: number): OrderRejectReason | null {
    if (side === 'buy') return this.ledger.availableCash(account) < amount ? 'INSUFFICIENT_CASH' : null;
    return this.ledger.availablePosition(account, instrument) < amount ? 'INSUFFICIENT_POSITION' : null;
  }

  /** Adds `amount` to the hold of order `orderId` (checked by {@link shortfall} first). */
  hold(orderId: number, side: Side, account: number, instrument: number, amount: number): void {
    const outcome = side === 'buy' ? this.ledger.holdCash(account, amount) : this.ledger.holdPosition(account, instrument, amount);
    if (outcome !== 'OK') throw new Error(`hold refused (${outcome}) after the availability check`);
    const orders = this.orders;
    orders.setHeld(orderId, orders.held(orderId) + amount);
  }

  /**
   * Settles one fill out of both orders' holds: the buyer's hold pays the
   * notional and a positive fee (a rebate is credited to its cash, not its
   * hold), the seller's hold delivers the lots. Fills in the held-use fields
   * of `s` (whose other fields the caller set) and books them here.
   */
  settleFill(s: TradeSettlement, buyOrderId: number, sellOrderId: number): void {
    s.buyerHeldCash = s.cash + (s.buyerFee > 0 ? s.buyerFee : 0);
    s.sellerHeldLots = s.qty;
    const outcome = this.ledger.settleTrade(s);
    if (outcome !== 'OK') throw new Error(`settlement refused (${outcome}) for orders ${buyOrderId} and ${sellOrderId}: holds are inconsistent`);
    const orders = this.orders;
    orders.setHeld(buyOrderId, orders.held(buyOrderId) - s.buyerHeldCash);
    orders.setHeld(sellOrderId, orders.held(sellOrderId) - s.sellerHeldLots);
  }

  /** Releases what is held for `orderId` beyond what `remaining` lots still need. */
  releaseExcess(orderId: number, remaining: number): void {
    const orders = this.orders;
    const instrument = orders.instrument(orderId);
    const side = orders.side(orderId);
    const need = remaining === 0 ? 0 : side === 'buy' ? this.buyHold(this.instruments[instrument] as Instrument, orders.price(orderId), remaining) : remaining;
    const excess = this.held(orderId) - need;
    if (excess <= 0) return;
    const account = orders.account(orderId);
    const outcome = side === 'buy' ? this.ledger.releaseCash(account, excess) : this.ledger.releasePosition(account, instrument, excess);
    if (outcome !== 'OK') throw new Error(`release refused (${outcome}) for order ${orderId}`);
    orders.setHeld(orderId, need);
  }

  /** Cash a buy of `qty` lots at limit `price` holds: notional, worst-case fee, and 2 units per lot for fee rounding. */
  buyHold(spec: Instrument, price: number, qty: number): number {
    const n = notional(spec, price, qty);
    return n + this.maxFee(n) + 2 * qty;
  }

  /** Lots of a buy limited at `price` the account can hold cash for, up to `wanted` (a collared market buy in a call). */
  affordableBuy(account: number, spec: Instrument, price: number, wanted: number): number {
    const available = this.ledger.availableCash(account);
    let qty = Math.min(wanted, Math.floor(available / this.buyHold(spec, price, 1)));
    while (qty > 0 && this.buyHold(spec, price, qty) > available) qty--;
    return qty;
  }

  /**
   * Market protection, as venues apply to market orders: walks the asks for
   * a market buy and returns the quantity the account can pay for and the
   * worst price it reaches (the buy then trades as an IOC limit there).
   */
  protectMarketBuy(account: number, spec: Instrument, book: LimitOrderBook, wanted: number): MarketBuyProtection {
    const asks = book.depth('sell', MARKET_PROTECTION_LEVELS);
    if (asks.length === 0) return { qty: 0, price: 0, reason: 'NO_LIQUIDITY' };
    let budget = this.ledger.availableCash(account);
    let qty = 0;
    let price = 0;
    for (let i = 0; i < asks.length && qty < wanted; i += 2) {
      const levelPrice = asks[i];
      const perLot = this.buyHold(spec, levelPrice, 1);
      const take = Math.min(wanted - qty, asks[i + 1], Math.floor(budget / perLot));
      if (take <= 0) break;
      qty += take;
      price = levelPrice;
      budget -= take * perLot;
    }
    // The hold is computed at the worst price for the whole quantity, so shrink until it fits.
    while (qty > 0 && this.buyHold(spec, price, qty) > this.ledger.availableCash(account)) qty--;
    return { qty, price, reason: 'INSUFFICIENT_CASH' };
  }
}
