import type { Side } from './side.js';

/**
 * Uncrossing a call auction: the single price at which the collected orders
 * trade, and who trades how much at it.
 *
 * The price follows the Xetra auction rule (Deutsche Börse, "T7 Market Model
 * for the Boerse Frankfurt / Xetra cash market", section on auction price
 * determination; Euronext's "Trading Manual" uses the same four steps):
 *
 * 1. the price with the largest executable volume min(D(p), S(p)), where
 *    D(p) is the buy quantity willing to pay p (market buys and limits ≥ p)
 *    and S(p) the sell quantity willing to accept it (market sells and
 *    limits ≤ p);
 * 2. among those, the smallest surplus |D(p) − S(p)|;
 * 3. market pressure: if every remaining price leaves a buy surplus, the
 *    highest; if every one leaves a sell surplus, the lowest;
 * 4. otherwise (no surplus, or surpluses on both sides) the one closest to
 *    the reference price (the last price), the lower on a tie.
 *
 * Prices are integer ticks over the range spanned by the limits and the
 * reference; with market orders only, the auction trades at the reference.
 *
 * Allocation is by price, then time (the Xetra rule) or, at the one price
 * class that cannot be filled in full, pro rata to size (as on some futures
 * auctions): floor shares, then the lots left over one at a time in time
 * order. Market orders come before every limit of their side.
 */

/** The price of a market order in an auction (it takes any price). */
export const AUCTION_MARKET = 0;

/** One order in the auction's collection. */
export interface AuctionOrder {
  readonly id: number;
  readonly owner: number;
  readonly side: Side;
  /** Limit price, ticks ≥ 1, or {@link AUCTION_MARKET}. */
  readonly price: number;
  /** Lots, ≥ 1. */
  readonly qty: number;
  /** Time priority: lower came first. Unique within an auction. */
  readonly seq: number;
}

/** The auction price and what it executes (also the indicative figures published while orders are collected). */
export interface AuctionPrice {
  /** Ticks. */
  readonly price: number;
  /** Lots that trade at `price`: min(D, S). */
  readonly volume: number;
  /** D(price) − S(price), lots: positive a buy surplus, negative a sell surplus. */
  readonly imbalance: number;
}

/** Priority at the clearing price. */
export type AuctionAllocation = 'time' | 'pro-rata';

/** One trade of an uncrossing: a buy order and a sell order at the auction price. */
export interface AuctionTrade {
  readonly buyId: number;
  readonly buyOwner: number;
  readonly sellId: number;
  readonly sellOwner: number;
  readonly qty: number;
}

/** Demand and supply at `price` over `orders` (the definition the search below must agree with). */
export function demandSupplyAt(orders: readonly AuctionOrder[], price: number): { demand: number; supply: number } {
  let demand = 0;
  let supply = 0;
  for (const o of orders) {
    if (o.side === 'buy') {
      if (o.price === AUCTION_MARKET || o.price >= price) demand += o.qty;
    } else if (o.price === AUCTION_MARKET || o.price <= price) supply += o.qty;
  }
  return { demand, supply };
}

/** Whether candidate `a` (volume, |surplus|) ranks strictly above `b` by steps 1 and 2. */
function better(volA: number, surplusA: number, volB: number, surplusB: number): boolean {
  return volA > volB || (volA === volB && surplusA < surplusB);
}

/**
 * The auction price of `orders` with reference price `reference` (ticks ≥ 1),
 * or undefined when nothing would trade (no crossing interest). Sorts the
 * limits once, then visits each limit price and, between two neighbouring
 * limits, the one price closest to the reference (D and S are constant
 * there): O(n log n).
 */
export function auctionPrice(orders: readonly AuctionOrder[], reference: number): AuctionPrice | undefined {
  const levels = new AuctionLevels();
  for (const o of orders) levels.add(o.side, o.price, o.qty);
  return levels.price(reference);
}

/**
 * The collected interest by price: lots per limit price on each side and the
 * market orders' totals, kept up to date order by order, so that the auction
 * price is found over the distinct prices (a few hundred) rather than over
 * every order (thousands, when a call takes over a whole book).
 */
export class AuctionLevels {
  private readonly buyAt = new Map<number, number>();
  private readonly sellAt = new Map<number, number>();
  private marketBuy = 0;
  private marketSell = 0;

  /** Adds `qty` lots (negative: removes them) of interest on `side` at `price` ({@link AUCTION_MARKET} for a market order). */
  add(side: Side, price: number, qty: number): void {
    if (price === AUCTION_MARKET) {
      if (side === 'buy') this.marketBuy += qty;
      else this.marketSell += qty;
      return;
    }
    const m = side === 'buy' ? this.buyAt : this.sellAt;
    const left = (m.get(price) ?? 0) + qty;
    if (left === 0) m.delete(price);
    else m.set(price, left);
  }

  /**
   * The auction price with reference price `reference` (ticks ≥ 1), or
   * undefined when nothing would trade (no crossing interest). Visits each
   * limit price and, between two neighbouring limits, the one price closest
   * to the reference (D and S are constant there): O(P log P) for P prices.
   */
  price(reference: number): AuctionPrice | undefined {
    if (!(Number.isSafeInteger(reference) && reference >= 1)) throw new RangeError(`the reference price must be a whole number of ticks ≥ 1, got ${reference}`);
    const { buyAt, sellAt, marketBuy, marketSell } = this;
    const prices = [...new Set([reference, ...buyAt.keys(), ...sellAt.keys()])].sort((a, b) => a - b);
    const n = prices.length;
    const demandFrom = new Array<number>(n + 1).fill(0); // limit buys at prices[i] or above
    for (let i = n - 1; i >= 0; i--) demandFrom[i] = (demandFrom[i + 1] as number) + (buyAt.get(prices[i] as number) ?? 0);
    const candidates: { price: number; demand: number; supply: number }[] = [];
    let supplyUpTo = 0; // limit sells at prices[i] or below
    for (let i = 0; i < n; i++) {
      const p = prices[i] as number;
      supplyUpTo += sellAt.get(p) ?? 0;
      candidates.push({ price: p, demand: marketBuy + (demandFrom[i] as number), supply: marketSell + supplyUpTo });
      const next = prices[i + 1];
      if (next !== undefined && next - p >= 2) {
        // Strictly between p and next: buys at ≥ next, sells at ≤ p.
        const inside = Math.min(next - 1, Math.max(p + 1, reference));
        candidates.push({ price: inside, demand: marketBuy + (demandFrom[i + 1] as number), supply: marketSell + supplyUpTo });
      }
    }
    return choose(candidates, reference);
  }
}

/** Steps 1–4 over candidates in ascending price. */
function choose(candidates: readonly { price: number; demand: number; supply: number }[], reference: number): AuctionPrice | undefined {
  let bestVol = 0;
  let bestSurplus = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const vol = Math.min(c.demand, c.supply);
    const surplus = Math.abs(c.demand - c.supply);
    if (better(vol, surplus, bestVol, bestSurplus)) {
      bestVol = vol;
      bestSurplus = surplus;
    }
  }
  if (bestVol === 0) return undefined;
  const tied = candidates.filter((c) => Math.min(c.demand, c.supply) === bestVol && Math.abs(c.demand - c.supply) === bestSurplus);
  let pick: { price: number; demand: number; supply: number };
  if (tied.every((c) => c.demand > c.supply)) pick = tied[tied.length - 1] as (typeof tied)[number];
  else if (tied.every((c) => c.demand < c.supply)) pick = tied[0] as (typeof tied)[number];
  else {
    pick = tied[0] as (typeof tied)[number];
    for (const c of tied) if (Math.abs(c.price - reference) < Math.abs(pick.price - reference)) pick = c;
  }
  return { price: pick.price, volume: bestVol, imbalance: pick.demand - pick.supply };
}

/**
 * The orders of one side that trade at `price`, best first: market orders,
 * then limits from the most aggressive, each class in time order.
 */
function eligible(orders: readonly AuctionOrder[], side: Side, price: number): AuctionOrder[] {
  const rank = (o: AuctionOrder) => (o.price === AUCTION_MARKET ? (side === 'buy' ? Number.POSITIVE_INFINITY : 0) : o.price);
  const list = orders.filter((o) => o.side === side && (o.price === AUCTION_MARKET || (side === 'buy' ? o.price >= price : o.price <= price)));
  return list.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return side === 'buy' ? rb - ra : ra - rb;
    return a.seq - b.seq;
  });
}

/** How many lots of `volume` each eligible order (best first) gets: classes in full, the marginal class by time or pro rata. */
function shares(list: readonly AuctionOrder[], volume: number, allocation: AuctionAllocation): number[] {
  const out = new Array<number>(list.length).fill(0);
  let left = volume;
  let i = 0;
  while (i < list.length && left > 0) {
    // One price class: orders i..j−1 with the same limit (or all market orders).
    let j = i;
    let classQty = 0;
    while (j < list.length && (list[j] as AuctionOrder).price === (list[i] as AuctionOrder).price) classQty += (list[j++] as AuctionOrder).qty;
    if (classQty <= left || allocation === 'time') {
      for (let k = i; k < j && left > 0; k++) {
        const q = Math.min((list[k] as AuctionOrder).qty, left);
        out[k] = q;
        left -= q;
      }
    } else {
      // Pro rata: ⌊qty · left / classQty⌋ each, then one lot at a time in time order (the class is in time order).
      let given = 0;
      for (let k = i; k < j; k++) {
        const q = Math.floor(((list[k] as AuctionOrder).qty * left) / classQty);
        out[k] = q;
        given += q;
      }
      for (let k = i; given < left; k++) {
        if ((out[k] as number) < (list[k] as AuctionOrder).qty) {
          out[k] = (out[k] as number) + 1;
          given++;
        }
      }
      left = 0;
    }
    i = j;
  }
  return out;
}

/**
 * The trades of an uncrossing at `at` (from {@link auctionPrice} on the same
 * orders): each side's allocation, then buys and sells paired in priority
 * order. Every lot of `at.volume` is bought once and sold once.
 */
export function allocateAuction(orders: readonly AuctionOrder[], at: AuctionPrice, allocation: AuctionAllocation = 'time'): AuctionTrade[] {
  return pair(orders, at, allocation, false).trades;
}

/**
 * As {@link allocateAuction}, for a venue whose accounts cannot trade with
 * themselves: each buy is paired with the first allocated sell of another
 * owner (priority order otherwise). Lots that could only meet their own
 * owner's are left unpaired and their orders are `blocked`, ids in priority
 * order: the venue cancels them (as cancel-both self-trade prevention), which
 * leaves the rest uncrossed.
 */
export function allocateAuctionWithoutSelfTrades(orders: readonly AuctionOrder[], at: AuctionPrice, allocation: AuctionAllocation = 'time'): { trades: AuctionTrade[]; blocked: number[] } {
  return pair(orders, at, allocation, true);
}

function pair(orders: readonly AuctionOrder[], at: AuctionPrice, allocation: AuctionAllocation, avoidSelf: boolean): { trades: AuctionTrade[]; blocked: number[] } {
  const buys = eligible(orders, 'buy', at.price);
  const sells = eligible(orders, 'sell', at.price);
  const buyLeft = shares(buys, at.volume, allocation);
  const sellLeft = shares(sells, at.volume, allocation);
  const trades: AuctionTrade[] = [];
  let first = 0; // the first sell with lots left
  for (let b = 0; b < buys.length; b++) {
    const buy = buys[b] as AuctionOrder;
    for (let s = first; s < sells.length && (buyLeft[b] as number) > 0; s++) {
      const left = sellLeft[s] as number;
      if (left === 0) {
        if (s === first) first++;
        continue;
      }
      const sell = sells[s] as AuctionOrder;
      if (avoidSelf && sell.owner === buy.owner) continue;
      const q = Math.min(buyLeft[b] as number, left);
      trades.push({ buyId: buy.id, buyOwner: buy.owner, sellId: sell.id, sellOwner: sell.owner, qty: q });
      buyLeft[b] = (buyLeft[b] as number) - q;
      sellLeft[s] = left - q;
    }
  }
  const blocked: number[] = [];
  buys.forEach((o, i) => {
    if ((buyLeft[i] as number) > 0) blocked.push(o.id);
  });
  sells.forEach((o, i) => {
    if ((sellLeft[i] as number) > 0) blocked.push(o.id);
  });
  return { trades, blocked };
}
