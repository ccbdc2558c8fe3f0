/**
 * The limit order book and its matching engine: price levels as intrusive
 * FIFO lists, the node pools, and the matching loop with self-trade
 * prevention, reported into one reusable result buffer. It stays one file of
 * ~600 lines on purpose: it is one concept read top to bottom, and the
 * matching loop's speed depends on these private structures staying together
 * (no accessor calls or indirections across modules in the hot path).
 *
 * @module
 */

import type { MatchResult, RejectReason } from './match-result.js';
import type {
  L1Snapshot,
  L2Snapshot,
  LevelView,
  LimitOrderBook,
  OrderBookOptions,
  OrderRequest,
  OrderType,
  OrderView,
  ResolvedOrderBookOptions,
} from './order-book-api.js';
import { hashRestingOrder, resolveOrderBookOptions, STATE_HASH_SEED } from './order-book-api.js';
import { OrderIdIndex } from './order-id-index.js';
import type { Side } from './side.js';

// STP modes as small integers: the matching loop compares them per maker.
const STP_NONE = 0;
const STP_CANCEL_MAKER = 1;
const STP_CANCEL_TAKER = 2;
const STP_CANCEL_BOTH = 3;

/**
 * Released nodes and levels are kept for reuse up to this many, so a busy book
 * allocates (and later collects) little, while a book that shrinks after a
 * peak does not hold on to its peak memory.
 */
const POOL_LIMIT = 1 << 16;

/**
 * One price level: a FIFO of resting orders at one price, as an intrusive
 * doubly-linked list (head = oldest = next to trade), with running totals.
 */
class PriceLevel {
  /** Ticks. */
  price: number;
  /** True on the bid side. */
  isBid: boolean;
  /** Sum of the remaining qty of the orders in the list, lots. */
  totalQty = 0;
  /** Number of orders in the list. */
  count = 0;
  head: OrderNode | null = null;
  tail: OrderNode | null = null;

  constructor(price: number, isBid: boolean) {
    this.price = price;
    this.isBid = isBid;
  }
}

/** A placeholder level for nodes sitting in the pool, so `level` never needs a null check. */
const DETACHED = new PriceLevel(0, false);

/** A resting order. Its price and side are those of its level (not duplicated, to save memory). */
class OrderNode {
  id: number;
  owner: number;
  /** Remaining qty, lots (≥ 1 while resting). */
  qty: number;
  level: PriceLevel;
  prev: OrderNode | null = null;
  next: OrderNode | null = null;

  constructor(id: number, owner: number, qty: number, level: PriceLevel) {
    this.id = id;
    this.owner = owner;
    this.qty = qty;
    this.level = level;
  }
}

/**
 * The fast limit order book: price-time priority, integer ticks and lots.
 * Implements {@link LimitOrderBook}, whose documentation states the rules
 * (order types, modify, self-trade prevention, rejects).
 *
 * Layout, chosen for the hot path:
 * - each side is an array of {@link PriceLevel}s sorted so that the **best
 *   level is last** (bids ascending, asks descending): the level a taker eats
 *   is `levels[length - 1]` and emptying it is a `pop()`; other levels are
 *   found by binary search. Only non-empty levels exist, so any price works
 *   (no tick ladder to re-centre) and memory follows the number of levels;
 * - each level keeps its orders in an intrusive doubly-linked FIFO, so filling
 *   the head, cancelling anywhere and appending are O(1);
 * - an {@link OrderIdIndex} from order id to node gives O(1) cancel / modify /
 *   lookup (one array load for the dense ids a venue issues).
 *
 * Matching writes into the caller's {@link MatchResult}; no closure, array
 * copy, string or exception is created per order.
 */
export class OrderBook implements LimitOrderBook {
  readonly options: ResolvedOrderBookOptions;
  private readonly stpCode: number;
  private readonly maxOrderQty: number;
  /** Ascending by price: best (highest) bid last. */
  private readonly bids: PriceLevel[] = [];
  /** Descending by price: best (lowest) ask last. */
  private readonly asks: PriceLevel[] = [];
  /**
   * The prices of `bids` and `asks`, index for index: a new price's place
   * is found by binary search over these packed numbers rather than over
   * the level objects, each of which a probe would load from afar.
   */
  private readonly bidPrices: number[] = [];
  private readonly askPrices: number[] = [];
  private readonly byId = new OrderIdIndex<OrderNode>();
  /** Pool of released nodes, linked through `next`. */
  private freeNodes: OrderNode | null = null;
  private freeNodeCount = 0;
  private readonly freeLevels: PriceLevel[] = [];
  /** Set by the matching loop when STP cancels the taker's remainder. */
  private takerKilled = false;
  private revisionCount = 0;

  constructor(options: OrderBookOptions = {}) {
    this.options = resolveOrderBookOptions(options);
    this.maxOrderQty = this.options.maxOrderQty;
    this.stpCode = stpCode(this.options.stp);
  }

  /** See {@link LimitOrderBook.revision}. */
  get revision(): number {
    return this.revisionCount;
  }

  /** Number of resting orders. */
  get size(): number {
    return this.byId.size;
  }

  /** See {@link LimitOrderBook.place}. */
  place(order: OrderRequest, out: MatchResult): MatchResult {
    this.revisionCount++;
    const type = order.type;
    const side = order.side;
    const id = order.id;
    const owner = order.owner;
    const qty = order.qty;
    const isMarket = type === 'market';
    const price = isMarket ? Number.NaN : order.price;
    out.begin(id, owner, side, price, qty);
    const reason = this.checkPlace(type, side, id, owner, price, qty, isMarket);
    if (reason !== null) {
      out.reject(reason);
      return out;
    }
    this.execute(type, side === 'buy', id, owner, price, qty, out);
    return out;
  }

  /** See {@link LimitOrderBook.cancel}. */
  cancel(id: number, out: MatchResult): MatchResult {
    this.revisionCount++;
    const node = this.byId.get(id);
    if (node === undefined) {
      out.begin(id, Number.NaN, 'buy', Number.NaN, 0);
      out.reject('UNKNOWN_ORDER');
      return out;
    }
    const level = node.level;
    const qty = node.qty;
    out.begin(id, node.owner, level.isBid ? 'buy' : 'sell', level.price, qty);
    this.removeResting(node);
    out.finish('cancelled', 0, qty);
    return out;
  }

  /** See {@link LimitOrderBook.modify}. */
  modify(id: number, newPrice: number, newQty: number, out: MatchResult, postOnly = false): MatchResult {
    this.revisionCount++;
    const node = this.byId.get(id);
    if (node === undefined) {
      out.begin(id, Number.NaN, 'buy', Number.NaN, newQty);
      out.reject('UNKNOWN_ORDER');
      return out;
    }
    const level = node.level;
    const isBuy = level.isBid;
    const owner = node.owner;
    out.begin(id, owner, isBuy ? 'buy' : 'sell', newPrice, newQty);
    const reason = isValidPrice(newPrice) ? this.checkQty(newQty) : 'INVALID_PRICE';
    if (reason !== null) {
      out.reject(reason);
      return out;
    }
    if (postOnly && this.wouldCross(isBuy, newPrice)) {
      out.reject('POST_ONLY_WOULD_CROSS');
      return out;
    }
    if (newPrice === level.price && newQty <= node.qty) {
      // A pure size decrease keeps time priority: shrink in place.
      level.totalQty -= node.qty - newQty;
      node.qty = newQty;
      out.finish('resting', newQty, 0);
      return out;
    }
    // Price change or size increase: loses priority, re-enters as a new GTC order.
    this.removeResting(node);
    this.execute('limit', isBuy, id, owner, newPrice, newQty, out);
    return out;
  }

  /** See {@link LimitOrderBook.order}. */
  order(id: number): OrderView | undefined {
    const node = this.byId.get(id);
    if (node === undefined) return undefined;
    const level = node.level;
    return { id: node.id, owner: node.owner, side: level.isBid ? 'buy' : 'sell', price: level.price, qty: node.qty };
  }

  /** See {@link LimitOrderBook.bestBid}. */
  bestBid(): number | undefined {
    const n = this.bids.length;
    return n === 0 ? undefined : this.bids[n - 1]!.price;
  }

  /** See {@link LimitOrderBook.bestAsk}. */
  bestAsk(): number | undefined {
    const n = this.asks.length;
    return n === 0 ? undefined : this.asks[n - 1]!.price;
  }

  /** See {@link LimitOrderBook.bestBidQty}. */
  bestBidQty(): number {
    const n = this.bids.length;
    return n === 0 ? 0 : this.bids[n - 1]!.totalQty;
  }

  /** See {@link LimitOrderBook.bestAskQty}. */
  bestAskQty(): number {
    const n = this.asks.length;
    return n === 0 ? 0 : this.asks[n - 1]!.totalQty;
  }

  /** See {@link LimitOrderBook.l1}. */
  l1(): L1Snapshot {
    return { bidPrice: this.bestBid(), bidQty: this.bestBidQty(), askPrice: this.bestAsk(), askQty: this.bestAskQty() };
  }

  /** See {@link LimitOrderBook.l2}. */
  l2(depth: number): L2Snapshot {
    return { bids: topLevels(this.bids, depth), asks: topLevels(this.asks, depth) };
  }

  /** See {@link LimitOrderBook.depth}. */
  depth(side: Side, levels: number): number[] {
    const sideLevels = side === 'buy' ? this.bids : this.asks;
    const n = levels > 0 ? Math.min(sideLevels.length, Math.floor(levels)) : 0;
    const out = new Array<number>(2 * n);
    for (let i = 0; i < n; i++) {
      const level = sideLevels[sideLevels.length - 1 - i] as PriceLevel;
      out[2 * i] = level.price;
      out[2 * i + 1] = level.totalQty;
    }
    return out;
  }

  /** See {@link LimitOrderBook.qtyWithin}. */
  qtyWithin(side: Side, bound: number): number {
    const isBid = side === 'buy';
    const levels = isBid ? this.bids : this.asks;
    let total = 0;
    // Best level last: walk inwards-out and stop at the first level outside the band.
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i] as PriceLevel;
      if (isBid ? level.price < bound : level.price > bound) break;
      total += level.totalQty;
    }
    return total;
  }

  /** See {@link LimitOrderBook.restingOrders}. */
  restingOrders(side: Side): OrderView[] {
    const levels = side === 'buy' ? this.bids : this.asks;
    const out: OrderView[] = [];
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i] as PriceLevel;
      for (let node = level.head; node !== null; node = node.next) out.push({ id: node.id, owner: node.owner, side, price: level.price, qty: node.qty });
    }
    return out;
  }

  /** See {@link LimitOrderBook.validateInternalState}. */
  validateInternalState(): string[] {
    const problems: string[] = [];
    const seen = this.validateSide(this.bids, this.bidPrices, true, problems) + this.validateSide(this.asks, this.askPrices, false, problems);
    if (seen !== this.byId.size) problems.push(`id index holds ${this.byId.size} orders, levels hold ${seen}`);
    const bid = this.bestBid();
    const ask = this.bestAsk();
    if (bid !== undefined && ask !== undefined && bid >= ask) problems.push(`crossed book: bid ${bid} >= ask ${ask}`);
    return problems;
  }

  /** See {@link LimitOrderBook.stateHash}. */
  stateHash(): number {
    let hash = STATE_HASH_SEED;
    hash = hashSide(hash, this.bids, 'buy');
    return hashSide(hash, this.asks, 'sell');
  }

  // ---- validation of input -------------------------------------------------

  private checkPlace(
    type: OrderType,
    side: Side,
    id: number,
    owner: number,
    price: number,
    qty: number,
    isMarket: boolean,
  ): RejectReason | null {
    if (!isOrderType(type)) return 'INVALID_ORDER_TYPE';
    if (side !== 'buy' && side !== 'sell') return 'INVALID_SIDE';
    if (!Number.isSafeInteger(id)) return 'INVALID_ORDER_ID';
    if (!Number.isSafeInteger(owner)) return 'INVALID_OWNER';
    if (!isMarket && !isValidPrice(price)) return 'INVALID_PRICE';
    const qtyReason = this.checkQty(qty);
    if (qtyReason !== null) return qtyReason;
    if (this.byId.has(id)) return 'DUPLICATE_ORDER_ID';
    return null;
  }

  private checkQty(qty: number): RejectReason | null {
    if (!Number.isSafeInteger(qty) || qty < 1) return 'INVALID_QTY';
    return qty > this.maxOrderQty ? 'QTY_ABOVE_LIMIT' : null;
  }

  // ---- matching ------------------------------------------------------------

  /** Runs a validated order: type-specific pre-checks, matching, then rest or cancel the remainder. */
  private execute(
    type: OrderType,
    isBuy: boolean,
    id: number,
    owner: number,
    price: number,
    qty: number,
    out: MatchResult,
  ): void {
    if (type === 'post-only') {
      if (this.wouldCross(isBuy, price)) {
        out.reject('POST_ONLY_WOULD_CROSS');
        return;
      }
      this.rest(isBuy, id, owner, price, qty);
      out.finish('resting', qty, 0);
      return;
    }
    // A market order is a limit order with a limit no price can fail.
    const limit = type === 'market' ? (isBuy ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY) : price;
    if (type === 'limit-fok' && this.fillableQty(isBuy, limit, owner, qty) < qty) {
      out.reject('FOK_NOT_FILLABLE');
      return;
    }
    const remaining = this.match(isBuy, limit, owner, qty, out);
    if (remaining === 0) {
      out.finish('filled', 0, 0);
    } else if (type === 'limit' && !this.takerKilled) {
      this.rest(isBuy, id, owner, price, remaining);
      out.finish('resting', remaining, 0);
    } else {
      if (type === 'limit-fok' && !this.takerKilled) throw new Error(`bug: FOK order ${id} passed the check but left ${remaining}`);
      out.finish('cancelled', 0, remaining);
    }
  }

  /**
   * Matches a taker against the opposite side up to `limit` (ticks), best level
   * first. Returns the unfilled qty; sets `takerKilled` if STP cancelled it.
   */
  private match(isBuy: boolean, limit: number, owner: number, qty: number, out: MatchResult): number {
    this.takerKilled = false;
    const levels = isBuy ? this.asks : this.bids;
    let remaining = qty;
    while (remaining > 0 && levels.length > 0) {
      const level = levels[levels.length - 1]!;
      if (isBuy ? level.price > limit : level.price < limit) break;
      remaining = this.matchLevel(level, owner, remaining, out);
      if (level.count === 0) {
        levels.pop();
        (isBuy ? this.askPrices : this.bidPrices).pop();
        this.releaseLevel(level);
      }
      if (this.takerKilled) break;
    }
    return remaining;
  }

  /** Matches against one level's FIFO, oldest first; applies STP. Returns the unfilled qty. */
  private matchLevel(level: PriceLevel, owner: number, remaining: number, out: MatchResult): number {
    const stp = this.stpCode;
    let node = level.head;
    while (node !== null && remaining > 0) {
      const next = node.next;
      if (stp !== STP_NONE && node.owner === owner) {
        if (stp === STP_CANCEL_TAKER) {
          this.takerKilled = true;
          return remaining;
        }
        out.addExpired(node.id, node.owner, level.price, node.qty);
        this.unlink(level, node);
        if (stp === STP_CANCEL_BOTH) {
          this.takerKilled = true;
          return remaining;
        }
      } else {
        const makerQty = node.qty;
        const traded = remaining < makerQty ? remaining : makerQty;
        const left = makerQty - traded;
        remaining -= traded;
        out.addFill(node.id, node.owner, level.price, traded, left);
        if (left === 0) {
          this.unlink(level, node);
        } else {
          node.qty = left;
          level.totalQty -= traded;
        }
      }
      node = next;
    }
    return remaining;
  }

  /** Qty a FOK taker could fill right now, under the STP rule documented on `StpMode`; stops counting at `qty`. */
  private fillableQty(isBuy: boolean, limit: number, owner: number, qty: number): number {
    const levels = isBuy ? this.asks : this.bids;
    const stp = this.stpCode;
    let sum = 0;
    for (let i = levels.length - 1; i >= 0 && sum < qty; i--) {
      const level = levels[i]!;
      if (isBuy ? level.price > limit : level.price < limit) break;
      if (stp === STP_NONE) {
        sum += level.totalQty;
        continue;
      }
      for (let node = level.head; node !== null && sum < qty; node = node.next) {
        if (node.owner !== owner) sum += node.qty;
        else if (stp !== STP_CANCEL_MAKER) return sum;
      }
    }
    return sum;
  }

  /** True if a limit order at `price` (ticks) would trade with the best opposite level. */
  private wouldCross(isBuy: boolean, price: number): boolean {
    const levels = isBuy ? this.asks : this.bids;
    const n = levels.length;
    if (n === 0) return false;
    const best = levels[n - 1]!.price;
    return isBuy ? best <= price : best >= price;
  }

  // ---- book structure ------------------------------------------------------

  /** Appends a new resting order at the back of its price level's queue. */
  private rest(isBuy: boolean, id: number, owner: number, price: number, qty: number): void {
    const levels = isBuy ? this.bids : this.asks;
    const prices = isBuy ? this.bidPrices : this.askPrices;
    const n = levels.length;
    let level: PriceLevel;
    if (n > 0 && prices[n - 1] === price) {
      level = levels[n - 1]!; // common case: joining the best level
    } else {
      const index = findLevel(prices, price, isBuy);
      if (index >= 0) {
        level = levels[index]!;
      } else {
        level = this.acquireLevel(price, isBuy);
        const at = ~index;
        if (at === n) {
          levels.push(level);
          prices.push(price);
        } else {
          levels.splice(at, 0, level);
          prices.splice(at, 0, price);
        }
      }
    }
    const node = this.acquireNode(id, owner, qty, level);
    const tail = level.tail;
    node.prev = tail;
    if (tail === null) level.head = node;
    else tail.next = node;
    level.tail = node;
    level.count++;
    level.totalQty += qty;
    this.byId.add(node);
  }

  /** Removes a resting order and, if its level empties, the level. */
  private removeResting(node: OrderNode): void {
    const level = node.level;
    this.unlink(level, node);
    if (level.count === 0) this.removeLevel(level);
  }

  /** Unlinks a node from its level and the id index, and pools it. Leaves an empty level in place. */
  private unlink(level: PriceLevel, node: OrderNode): void {
    const prev = node.prev;
    const next = node.next;
    if (prev === null) level.head = next;
    else prev.next = next;
    if (next === null) level.tail = prev;
    else next.prev = prev;
    level.count--;
    level.totalQty -= node.qty;
    this.byId.remove(node);
    this.releaseNode(node);
  }

  private removeLevel(level: PriceLevel): void {
    const levels = level.isBid ? this.bids : this.asks;
    const prices = level.isBid ? this.bidPrices : this.askPrices;
    const last = levels.length - 1;
    if (levels[last] === level) {
      levels.pop();
      prices.pop();
    } else {
      const index = findLevel(prices, level.price, level.isBid);
      if (index < 0 || levels[index] !== level) throw new Error(`bug: level ${level.price} not found on its side`);
      levels.splice(index, 1);
      prices.splice(index, 1);
    }
    this.releaseLevel(level);
  }

  private acquireNode(id: number, owner: number, qty: number, level: PriceLevel): OrderNode {
    const node = this.freeNodes;
    if (node === null) return new OrderNode(id, owner, qty, level);
    this.freeNodes = node.next;
    this.freeNodeCount--;
    node.id = id;
    node.owner = owner;
    node.qty = qty;
    node.level = level;
    node.prev = null;
    node.next = null;
    return node;
  }

  private releaseNode(node: OrderNode): void {
    // Drop references so a pooled node keeps no level (or neighbour) alive.
    node.level = DETACHED;
    node.prev = null;
    if (this.freeNodeCount >= POOL_LIMIT) {
      node.next = null;
      return;
    }
    node.next = this.freeNodes;
    this.freeNodes = node;
    this.freeNodeCount++;
  }

  private acquireLevel(price: number, isBid: boolean): PriceLevel {
    const level = this.freeLevels.pop();
    if (level === undefined) return new PriceLevel(price, isBid);
    level.price = price;
    level.isBid = isBid;
    return level;
  }

  private releaseLevel(level: PriceLevel): void {
    level.head = null;
    level.tail = null;
    level.count = 0;
    level.totalQty = 0;
    if (this.freeLevels.length < POOL_LIMIT) this.freeLevels.push(level);
  }

  // ---- self-check ----------------------------------------------------------

  /** Checks one side; returns the number of orders found on it. */
  private validateSide(levels: readonly PriceLevel[], prices: readonly number[], isBid: boolean, problems: string[]): number {
    const sideName = isBid ? 'bid' : 'ask';
    if (prices.length !== levels.length) problems.push(`${sideName} prices hold ${prices.length} entries for ${levels.length} levels`);
    let orders = 0;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      if (prices[i] !== level.price) problems.push(`${sideName} level ${level.price}: price index says ${prices[i]}`);
      if (level.isBid !== isBid) problems.push(`${sideName} level ${level.price}: on the wrong side`);
      if (!isValidPrice(level.price)) problems.push(`${sideName} level ${level.price}: invalid price`);
      if (i > 0) {
        const before = levels[i - 1]!.price;
        if (isBid ? before >= level.price : before <= level.price) {
          problems.push(`${sideName} level ${level.price}: not sorted after ${before} (best must be last)`);
        }
      }
      orders += this.validateLevel(level, sideName, problems);
    }
    return orders;
  }

  /** Checks one level's list, totals and index entries; returns its order count. Builds no string unless a problem is found. */
  private validateLevel(level: PriceLevel, sideName: string, problems: string[]): number {
    let count = 0;
    let total = 0;
    let prev: OrderNode | null = null;
    for (let node = level.head; node !== null; node = node.next) {
      count++;
      total += node.qty;
      if (node.prev !== prev) problems.push(`${sideName} level ${level.price}: order ${node.id} has a broken prev link`);
      if (node.level !== level) problems.push(`${sideName} level ${level.price}: order ${node.id} points to another level`);
      if (!Number.isSafeInteger(node.qty) || node.qty < 1) problems.push(`${sideName} level ${level.price}: order ${node.id} has qty ${node.qty}`);
      if (this.byId.get(node.id) !== node) problems.push(`${sideName} level ${level.price}: order ${node.id} missing from the id index`);
      if (count > this.byId.size) {
        problems.push(`${sideName} level ${level.price}: list longer than the whole book (cycle?)`);
        break;
      }
      prev = node;
    }
    if (level.tail !== prev) problems.push(`${sideName} level ${level.price}: tail is not the last order`);
    if (count === 0) problems.push(`${sideName} level ${level.price}: empty level kept`);
    if (count !== level.count) problems.push(`${sideName} level ${level.price}: count ${level.count} but ${count} orders`);
    if (total !== level.totalQty) problems.push(`${sideName} level ${level.price}: totalQty ${level.totalQty} but orders sum to ${total}`);
    return count;
  }
}

function stpCode(mode: string): number {
  switch (mode) {
    case 'none':
      return STP_NONE;
    case 'cancel-maker':
      return STP_CANCEL_MAKER;
    case 'cancel-taker':
      return STP_CANCEL_TAKER;
    default:
      return STP_CANCEL_BOTH;
  }
}

function isOrderType(type: unknown): type is OrderType {
  return type === 'limit' || type === 'limit-ioc' || type === 'limit-fok' || type === 'post-only' || type === 'market';
}

/** A limit price must be a whole, positive number of ticks. */
function isValidPrice(price: number): boolean {
  return Number.isSafeInteger(price) && price >= 1;
}

/**
 * Binary search of a side's prices, sorted best-last (bids ascending, asks
 * descending). Returns the index of `price`, or `~insertionIndex` if absent.
 */
function findLevel(prices: readonly number[], price: number, isBid: boolean): number {
  let lo = 0;
  let hi = prices.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = prices[mid]!;
    if (p === price) return mid;
    if (isBid ? p < price : p > price) lo = mid + 1;
    else hi = mid - 1;
  }
  return ~lo;
}

/** The best `depth` levels of a best-last side, best first. */
function topLevels(levels: readonly PriceLevel[], depth: number): LevelView[] {
  const wanted = depth > 0 ? Math.min(levels.length, Math.floor(depth)) : 0;
  const views: LevelView[] = [];
  for (let i = levels.length - 1; views.length < wanted; i--) {
    const level = levels[i]!;
    views.push({ price: level.price, qty: level.totalQty, orders: level.count });
  }
  return views;
}

/** Folds one side into the state hash in priority order. */
function hashSide(hash: number, levels: readonly PriceLevel[], side: Side): number {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    for (let node = level.head; node !== null; node = node.next) {
      hash = hashRestingOrder(hash, side, level.price, node.id, node.owner, node.qty);
    }
  }
  return hash;
}
