/**
 * The contract every limit order book in levsim implements: the fast
 * `OrderBook` (order-book.ts) and the naive reference book used by the tests
 * share this interface and one test suite.
 *
 * Units, everywhere in this file:
 * - prices are integer **ticks** of the instrument (a positive safe integer);
 * - quantities are integer **lots** (a positive safe integer);
 * - order ids and owner ids are safe integers chosen by the caller (the exchange).
 *
 * The book never touches money. It matches orders and reports what happened
 * in a {@link MatchResult}; the exchange settles each fill into the ledger.
 *
 * @module
 */
import type { MatchResult } from './match-result.js';
import type { Side } from './side.js';

/**
 * How an order behaves on arrival.
 *
 * - `'limit'` — limit, good-till-cancelled: matches what it can at its price or
 *   better, the remainder rests on the book.
 * - `'limit-ioc'` — limit, immediate-or-cancel: matches what it can at its price
 *   or better, the remainder is cancelled; never rests.
 * - `'limit-fok'` — limit, fill-or-kill: fills its whole quantity immediately at
 *   its price or better, or is rejected with `'FOK_NOT_FILLABLE'` and changes
 *   nothing. Fillability is computed before any matching, consistently with the
 *   book's self-trade-prevention mode (see {@link StpMode}).
 * - `'post-only'` — limit that must add liquidity: rejected with
 *   `'POST_ONLY_WOULD_CROSS'` if its price would cross the best opposite price
 *   (whoever owns the resting orders). It is rejected, never re-priced ("slid").
 * - `'market'` — IOC semantics without a price limit: walks the opposite side
 *   until filled or the side is empty; the remainder is cancelled; never rests.
 *   The request's `price` is ignored (not even validated).
 */
export type OrderType = 'limit' | 'limit-ioc' | 'limit-fok' | 'post-only' | 'market';

/** Every order type, in a fixed order (for iteration and test generators). */
export const ORDER_TYPES: readonly OrderType[] = ['limit', 'limit-ioc', 'limit-fok', 'post-only', 'market'];

/**
 * Self-trade prevention (STP): what happens when an incoming (taker) order
 * would match a resting (maker) order of the same owner. Book-level setting.
 *
 * Named after Binance's STP modes (EXPIRE_TAKER / EXPIRE_MAKER / EXPIRE_BOTH),
 * which levsim follows:
 * - `'cancel-maker'` (default, Binance EXPIRE_MAKER): the resting order is
 *   removed from the book ("expired", reported in the result's expired list)
 *   and the taker keeps matching the next makers.
 * - `'cancel-taker'` (EXPIRE_TAKER): the taker's remaining quantity is cancelled
 *   at that point (fills already made stand); the maker stays untouched. A GTC
 *   taker cancelled this way does not rest.
 * - `'cancel-both'` (EXPIRE_BOTH): the maker is expired and the taker's remainder
 *   is cancelled.
 * - `'none'`: owners are ignored; an owner may trade with itself.
 *
 * Fill-or-kill fillability under STP (the rule both books implement): walk the
 * opposite side in price-time priority up to the limit price; under
 * `'cancel-maker'` the owner's own orders contribute nothing (they would be
 * expired) and the walk continues; under `'cancel-taker'` / `'cancel-both'` the
 * walk stops at the first own order (the taker would be cancelled there); under
 * `'none'` every order counts. The FOK order executes only if the walk reaches
 * its quantity; if it does, own makers met before completion are expired as
 * usual (`'cancel-maker'`). A rejected FOK changes nothing, expires nothing.
 */
export type StpMode = 'cancel-taker' | 'cancel-maker' | 'cancel-both' | 'none';

/** Every STP mode, in a fixed order. */
export const STP_MODES: readonly StpMode[] = ['cancel-maker', 'cancel-taker', 'cancel-both', 'none'];

/**
 * A new order, as passed to {@link LimitOrderBook.place}. The book copies the
 * fields it needs, so the caller may reuse one request object.
 */
export interface OrderRequest {
  /** Behaviour on arrival. */
  readonly type: OrderType;
  readonly side: Side;
  /** Caller-chosen safe integer; must not equal the id of an order resting on this book. */
  readonly id: number;
  /** Account that owns the order (safe integer); used for self-trade prevention and reported to counterparties. */
  readonly owner: number;
  /** Limit price in ticks (safe integer ≥ 1). Ignored for `'market'`. */
  readonly price: number;
  /** Quantity in lots (safe integer, 1 ≤ qty ≤ `maxOrderQty`). */
  readonly qty: number;
}

/** Construction options of a book. */
export interface OrderBookOptions {
  /** Self-trade prevention mode. Default `'cancel-maker'`. */
  readonly stp?: StpMode;
  /**
   * Largest quantity (lots) accepted for one order or one modify; larger
   * requests are rejected with `'QTY_ABOVE_LIMIT'`. A positive safe integer.
   * Default {@link DEFAULT_MAX_ORDER_QTY}.
   */
  readonly maxOrderQty?: number;
}

/**
 * Default `maxOrderQty`: 10^9 lots. Small enough that a price level holding
 * millions of maximal orders still sums to a safe integer.
 */
export const DEFAULT_MAX_ORDER_QTY = 1_000_000_000;

/** {@link OrderBookOptions} with defaults filled in. */
export interface ResolvedOrderBookOptions {
  readonly stp: StpMode;
  readonly maxOrderQty: number;
}

/**
 * Fills in defaults and checks the options. Bad options are a programming
 * error of whoever builds the book (not market input), so they throw.
 */
export function resolveOrderBookOptions(options: OrderBookOptions = {}): ResolvedOrderBookOptions {
  const stp = options.stp ?? 'cancel-maker';
  const maxOrderQty = options.maxOrderQty ?? DEFAULT_MAX_ORDER_QTY;
  if (!STP_MODES.includes(stp)) throw new RangeError(`unknown stp mode: ${String(stp)}`);
  if (!Number.isSafeInteger(maxOrderQty) || maxOrderQty < 1) {
    throw new RangeError(`maxOrderQty must be a positive safe integer, got ${maxOrderQty}`);
  }
  return { stp, maxOrderQty };
}

/** A resting order as seen from outside (a copy; mutating it does nothing). */
export interface OrderView {
  readonly id: number;
  readonly owner: number;
  readonly side: Side;
  /** Limit price, ticks. */
  readonly price: number;
  /** Remaining (open) quantity, lots; always ≥ 1 for a resting order. */
  readonly qty: number;
}

/** One aggregated price level of an L2 snapshot. */
export interface LevelView {
  /** Ticks. */
  readonly price: number;
  /** Sum of the remaining quantities resting at this price, lots. */
  readonly qty: number;
  /** Number of resting orders at this price. */
  readonly orders: number;
}

/** Top of book. Prices are `undefined` when that side is empty (quantity then 0). */
export interface L1Snapshot {
  readonly bidPrice: number | undefined;
  readonly bidQty: number;
  readonly askPrice: number | undefined;
  readonly askQty: number;
}

/** Aggregated depth, best level first on each side (bids descending, asks ascending). */
export interface L2Snapshot {
  readonly bids: readonly LevelView[];
  readonly asks: readonly LevelView[];
}

/**
 * A price-time-priority limit order book for one instrument.
 *
 * Invariants after every operation: the book is never crossed (best bid <
 * best ask); every resting order has qty ≥ 1; orders at one price are served
 * first-in first-out; {@link validateInternalState} returns no problem.
 *
 * Every mutating operation writes its whole outcome into the caller's
 * {@link MatchResult} (reset first) and returns that same object. Bad input is
 * reported as `status === 'rejected'` with a {@link RejectReason}; it never
 * throws and never changes the book. Exceptions mean a bug.
 */
export interface LimitOrderBook {
  /** Number of resting orders. */
  readonly size: number;
  /** The options in force, defaults filled in. */
  readonly options: ResolvedOrderBookOptions;

  /**
   * Submits a new order. Matching walks the opposite side best price first,
   * oldest order first at each price; every fill trades at the maker's price.
   */
  place(order: OrderRequest, out: MatchResult): MatchResult;

  /** Removes the resting order `id` (its whole remaining quantity). */
  cancel(id: number, out: MatchResult): MatchResult;

  /**
   * Changes a resting order's price (ticks) and remaining quantity (lots).
   * `newQty` is the new *open* quantity, not the original size.
   *
   * - Same price and `newQty ≤` current remaining: the size is reduced in place
   *   and the order **keeps** its time priority (equal size is a no-op).
   * - Otherwise (price change or size increase) the order **loses** priority:
   *   it is removed and re-entered as a new GTC `'limit'` order with the same id
   *   and owner at the back of the queue. A re-entry whose new price crosses the
   *   opposite side matches immediately like any aggressive order (fills and
   *   STP reported in `out`) and only its remainder rests — unless `postOnly`
   *   (the amendment restates that the order only adds liquidity, as FIX's
   *   cancel/replace restates ExecInst): then a new price that would cross the
   *   best opposite price is rejected with `'POST_ONLY_WOULD_CROSS'` and the
   *   order rests as it was.
   */
  modify(id: number, newPrice: number, newQty: number, out: MatchResult, postOnly?: boolean): MatchResult;

  /** A copy of resting order `id`, or `undefined` if it is not resting. */
  order(id: number): OrderView | undefined;

  /** Best (highest) bid price in ticks, or `undefined` if there are no bids. */
  bestBid(): number | undefined;
  /** Best (lowest) ask price in ticks, or `undefined` if there are no asks. */
  bestAsk(): number | undefined;
  /** Lots resting at the best bid (0 if none). */
  bestBidQty(): number;
  /** Lots resting at the best ask (0 if none). */
  bestAskQty(): number;
  /** Top of book (allocates one small object). */
  l1(): L1Snapshot;
  /**
   * The best `depth` levels of each side (fewer if the side is shallower).
   * `depth` ≤ 0 or NaN gives empty sides; `Infinity` gives every level.
   */
  l2(depth: number): L2Snapshot;
  /**
   * The best `levels` levels of one side as a flat `[price, qty, price, qty, …]`,
   * best first: the depth a market-data message carries, in one allocation.
   * Same level rule as {@link l2}.
   */
  depth(side: Side, levels: number): number[];
  /**
   * Lots resting on one side at prices at or better than `bound` for that
   * side's owner (bids ≥ `bound`, asks ≤ `bound`): the depth within a price
   * band, read best level first. Allocates nothing.
   */
  qtyWithin(side: Side, bound: number): number;

  /**
   * Every resting order of one side in priority order (best price first,
   * oldest first at a price), as copies: what a call auction takes over at
   * its start. Allocates; not for the hot path.
   */
  restingOrders(side: Side): OrderView[];

  /**
   * Checks the internal invariants (sorted levels, level totals equal the sum
   * of their orders, linked lists consistent, id index consistent, book not
   * crossed). Returns the problems found; an empty array means healthy.
   */
  validateInternalState(): string[];

  /**
   * A counter that moves on every place, cancel and modify (accepted or not),
   * so a checker can skip a state it has already validated.
   */
  readonly revision: number;

  /**
   * A deterministic 32-bit hash of the full resting state in priority order:
   * for bids then asks, best level first, oldest order first, the words of
   * {@link hashRestingOrder}. Equal states hash equal across implementations.
   */
  stateHash(): number;
}

/** Initial value of {@link LimitOrderBook.stateHash} (the FNV-1a offset basis); an empty book hashes to this. */
export const STATE_HASH_SEED = 0x811c9dc5;

const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 4294967296;

/** Mixes one safe integer into a 32-bit FNV-1a-style hash as two 32-bit words. */
function mixSafeInteger(hash: number, value: number): number {
  // A safe integer does not fit in 32 bits, so hash its low and high words;
  // Math.floor keeps the high word right for negative values too.
  const low = value >>> 0;
  const high = Math.floor(value / TWO_POW_32) | 0;
  hash = Math.imul(hash ^ low, FNV_PRIME);
  return Math.imul(hash ^ high, FNV_PRIME);
}

/**
 * Folds one resting order into a state hash. Part of the contract of
 * {@link LimitOrderBook.stateHash}, shared so that two implementations holding
 * the same orders in the same priority order produce the same number.
 *
 * @param hash - the running hash (start with {@link STATE_HASH_SEED})
 * @returns the new running hash, an unsigned 32-bit integer
 */
export function hashRestingOrder(
  hash: number,
  side: Side,
  price: number,
  id: number,
  owner: number,
  qty: number,
): number {
  hash = Math.imul(hash ^ (side === 'buy' ? 1 : 2), FNV_PRIME);
  hash = mixSafeInteger(hash, price);
  hash = mixSafeInteger(hash, id);
  hash = mixSafeInteger(hash, owner);
  return mixSafeInteger(hash, qty) >>> 0;
}
