import type { MatchResult, RejectReason } from '../../src/market/match-result.js';
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
} from '../../src/market/order-book-api.js';
import { hashRestingOrder, ORDER_TYPES, resolveOrderBookOptions, STATE_HASH_SEED } from '../../src/market/order-book-api.js';
import { isSide, opposite, type Side } from '../../src/market/side.js';

/** A resting order of the reference book; `seq` is its arrival number (time priority). */
interface RefOrder {
  readonly id: number;
  readonly owner: number;
  readonly side: Side;
  readonly price: number;
  qty: number;
  readonly seq: number;
}

/**
 * A deliberately naive {@link LimitOrderBook}: one flat array of resting
 * orders, re-sorted by (price, arrival) whenever priority matters, linear
 * scans everywhere. Slow on purpose, so that it is obviously correct and can
 * serve as the oracle the fast book is compared against. Written from the
 * rules in order-book-api.ts, sharing no code with the fast book except the
 * documented state-hash function.
 */
export class ReferenceOrderBook implements LimitOrderBook {
  readonly options: ResolvedOrderBookOptions;
  private orders: RefOrder[] = [];
  private nextSeq = 0;

  constructor(options: OrderBookOptions = {}) {
    this.options = resolveOrderBookOptions(options);
  }

  /** Moves on every place, cancel and modify, as the real book's does. */
  revision = 0;

  get size(): number {
    return this.orders.length;
  }

  place(order: OrderRequest, out: MatchResult): MatchResult {
    this.revision++;
    const isMarket = order.type === 'market';
    out.begin(order.id, order.owner, order.side, isMarket ? Number.NaN : order.price, order.qty);
    const reason = this.checkPlace(order);
    if (reason !== null) {
      out.reject(reason);
      return out;
    }
    this.execute(order.type, order.side, order.id, order.owner, order.price, order.qty, out);
    return out;
  }

  cancel(id: number, out: MatchResult): MatchResult {
    this.revision++;
    const order = this.orders.find((o) => o.id === id);
    if (order === undefined) {
      out.begin(id, Number.NaN, 'buy', Number.NaN, 0);
      out.reject('UNKNOWN_ORDER');
      return out;
    }
    out.begin(id, order.owner, order.side, order.price, order.qty);
    this.remove(order);
    out.finish('cancelled', 0, order.qty);
    return out;
  }

  modify(id: number, newPrice: number, newQty: number, out: MatchResult, postOnly = false): MatchResult {
    this.revision++;
    const order = this.orders.find((o) => o.id === id);
    if (order === undefined) {
      out.begin(id, Number.NaN, 'buy', Number.NaN, newQty);
      out.reject('UNKNOWN_ORDER');
      return out;
    }
    out.begin(id, order.owner, order.side, newPrice, newQty);
    const reason = !isPositiveInteger(newPrice) ? 'INVALID_PRICE' : this.checkQty(newQty);
    if (reason !== null) {
      out.reject(reason);
      return out;
    }
    const opposite = order.side === 'buy' ? this.bestAsk() : this.bestBid();
    if (postOnly && opposite !== undefined && (order.side === 'buy' ? newPrice >= opposite : newPrice <= opposite)) {
      out.reject('POST_ONLY_WOULD_CROSS');
      return out;
    }
    if (newPrice === order.price && newQty <= order.qty) {
      order.qty = newQty; // same seq: priority kept
      out.finish('resting', newQty, 0);
      return out;
    }
    this.remove(order);
    this.execute('limit', order.side, id, order.owner, newPrice, newQty, out);
    return out;
  }

  order(id: number): OrderView | undefined {
    const o = this.orders.find((x) => x.id === id);
    return o === undefined ? undefined : { id: o.id, owner: o.owner, side: o.side, price: o.price, qty: o.qty };
  }

  bestBid(): number | undefined {
    return this.queue('buy')[0]?.price;
  }

  bestAsk(): number | undefined {
    return this.queue('sell')[0]?.price;
  }

  bestBidQty(): number {
    return this.levels('buy')[0]?.qty ?? 0;
  }

  bestAskQty(): number {
    return this.levels('sell')[0]?.qty ?? 0;
  }

  l1(): L1Snapshot {
    return { bidPrice: this.bestBid(), bidQty: this.bestBidQty(), askPrice: this.bestAsk(), askQty: this.bestAskQty() };
  }

  l2(depth: number): L2Snapshot {
    const n = depth > 0 ? Math.floor(depth) : 0;
    return { bids: this.levels('buy').slice(0, n), asks: this.levels('sell').slice(0, n) };
  }

  depth(side: Side, levels: number): number[] {
    const n = levels > 0 ? Math.floor(levels) : 0;
    return this.levels(side)
      .slice(0, n)
      .flatMap((l) => [l.price, l.qty]);
  }

  /** Straight from the definition: every resting order of the side inside the band. */
  qtyWithin(side: Side, bound: number): number {
    return this.orders
      .filter((o) => o.side === side && (side === 'buy' ? o.price >= bound : o.price <= bound))
      .reduce((sum, o) => sum + o.qty, 0);
  }

  validateInternalState(): string[] {
    const problems: string[] = [];
    const ids = new Set(this.orders.map((o) => o.id));
    if (ids.size !== this.orders.length) problems.push('duplicate ids');
    for (const o of this.orders) {
      if (!isPositiveInteger(o.qty)) problems.push(`order ${o.id} has qty ${o.qty}`);
      if (!isPositiveInteger(o.price)) problems.push(`order ${o.id} has price ${o.price}`);
    }
    const bid = this.bestBid();
    const ask = this.bestAsk();
    if (bid !== undefined && ask !== undefined && bid >= ask) problems.push(`crossed book: bid ${bid} >= ask ${ask}`);
    return problems;
  }

  restingOrders(side: Side): OrderView[] {
    return this.queue(side).map((o) => ({ id: o.id, owner: o.owner, side, price: o.price, qty: o.qty }));
  }

  stateHash(): number {
    let hash = STATE_HASH_SEED;
    for (const side of ['buy', 'sell'] as const) {
      for (const o of this.queue(side)) hash = hashRestingOrder(hash, side, o.price, o.id, o.owner, o.qty);
    }
    return hash;
  }

  // ---- internals -------------------------------------------------------------

  private checkPlace(order: OrderRequest): RejectReason | null {
    if (!ORDER_TYPES.includes(order.type)) return 'INVALID_ORDER_TYPE';
    if (!isSide(order.side)) return 'INVALID_SIDE';
    if (!Number.isSafeInteger(order.id)) return 'INVALID_ORDER_ID';
    if (!Number.isSafeInteger(order.owner)) return 'INVALID_OWNER';
    if (order.type !== 'market' && !isPositiveInteger(order.price)) return 'INVALID_PRICE';
    const qtyReason = this.checkQty(order.qty);
    if (qtyReason !== null) return qtyReason;
    if (this.orders.some((o) => o.id === order.id)) return 'DUPLICATE_ORDER_ID';
    return null;
  }

  private checkQty(qty: number): RejectReason | null {
    if (!isPositiveInteger(qty)) return 'INVALID_QTY';
    return qty > this.options.maxOrderQty ? 'QTY_ABOVE_LIMIT' : null;
  }

  private execute(type: OrderType, side: Side, id: number, owner: number, price: number, qty: number, out: MatchResult): void {
    const makers = this.queue(opposite(side)).filter((m) => type === 'market' || crosses(side, price, m.price));
    if (type === 'post-only' && makers.length > 0) {
      out.reject('POST_ONLY_WOULD_CROSS');
      return;
    }
    if (type === 'limit-fok' && this.fillable(makers, owner) < qty) {
      out.reject('FOK_NOT_FILLABLE');
      return;
    }
    let remaining = qty;
    let takerCancelled = false;
    const stp = this.options.stp;
    for (const maker of makers) {
      if (remaining === 0) break;
      if (stp !== 'none' && maker.owner === owner) {
        if (stp === 'cancel-maker' || stp === 'cancel-both') {
          out.addExpired(maker.id, maker.owner, maker.price, maker.qty);
          this.remove(maker);
        }
        if (stp === 'cancel-taker' || stp === 'cancel-both') {
          takerCancelled = true;
          break;
        }
        continue;
      }
      const traded = Math.min(remaining, maker.qty);
      maker.qty -= traded;
      remaining -= traded;
      out.addFill(maker.id, maker.owner, maker.price, traded, maker.qty);
      if (maker.qty === 0) this.remove(maker);
    }
    if (remaining === 0) {
      out.finish('filled', 0, 0);
    } else if ((type === 'limit' || type === 'post-only') && !takerCancelled) {
      this.orders.push({ id, owner, side, price, qty: remaining, seq: this.nextSeq++ });
      out.finish('resting', remaining, 0);
    } else {
      out.finish('cancelled', 0, remaining);
    }
  }

  /** The FOK rule of `StpMode`, spelled out: walk the crossing makers in priority order. */
  private fillable(makers: readonly RefOrder[], owner: number): number {
    let sum = 0;
    for (const maker of makers) {
      const own = maker.owner === owner;
      if (!own || this.options.stp === 'none') sum += maker.qty;
      else if (this.options.stp !== 'cancel-maker') break;
    }
    return sum;
  }

  /** Resting orders of one side in priority order: best price first, then earliest arrival. */
  private queue(side: Side): RefOrder[] {
    return this.orders
      .filter((o) => o.side === side)
      .sort((a, b) => (a.price === b.price ? a.seq - b.seq : side === 'buy' ? b.price - a.price : a.price - b.price));
  }

  private levels(side: Side): LevelView[] {
    const levels: LevelView[] = [];
    for (const o of this.queue(side)) {
      const last = levels[levels.length - 1];
      if (last !== undefined && last.price === o.price) {
        levels[levels.length - 1] = { price: o.price, qty: last.qty + o.qty, orders: last.orders + 1 };
      } else {
        levels.push({ price: o.price, qty: o.qty, orders: 1 });
      }
    }
    return levels;
  }

  private remove(order: RefOrder): void {
    this.orders = this.orders.filter((o) => o !== order);
  }
}

/** True if a `takerSide` order limited at `limit` ticks trades with a maker at `makerPrice`. */
function crosses(takerSide: Side, limit: number, makerPrice: number): boolean {
  return takerSide === 'buy' ? makerPrice <= limit : makerPrice >= limit;
}

function isPositiveInteger(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 1;
}
