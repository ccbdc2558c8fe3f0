import type { Side } from './side.js';

/**
 * Why an operation was rejected. A rejected operation leaves the book exactly
 * as it was (same {@link LimitOrderBook.stateHash}).
 *
 * `place` checks, in this order (first failure wins): `INVALID_ORDER_TYPE`,
 * `INVALID_SIDE`, `INVALID_ORDER_ID` (not a safe integer), `INVALID_OWNER` (not
 * a safe integer), `INVALID_PRICE` (non-market only: not a safe integer ≥ 1),
 * `INVALID_QTY` (not a safe integer ≥ 1), `QTY_ABOVE_LIMIT` (> `maxOrderQty`),
 * `DUPLICATE_ORDER_ID` (the id is resting on the book), then
 * `POST_ONLY_WOULD_CROSS` / `FOK_NOT_FILLABLE`.
 *
 * `cancel` checks `UNKNOWN_ORDER` (no resting order with that id).
 * `modify` checks `UNKNOWN_ORDER`, `INVALID_PRICE`, `INVALID_QTY`, `QTY_ABOVE_LIMIT`.
 */
export type RejectReason =
  | 'INVALID_ORDER_TYPE'
  | 'INVALID_SIDE'
  | 'INVALID_ORDER_ID'
  | 'INVALID_OWNER'
  | 'INVALID_PRICE'
  | 'INVALID_QTY'
  | 'QTY_ABOVE_LIMIT'
  | 'DUPLICATE_ORDER_ID'
  | 'UNKNOWN_ORDER'
  | 'POST_ONLY_WOULD_CROSS'
  | 'FOK_NOT_FILLABLE';

/**
 * Outcome of one operation for the order it concerns (the taker of a `place`,
 * the target of a `cancel` / `modify`).
 *
 * - `'resting'` — accepted; `restingQty > 0` lots now rest on the book (it may
 *   have filled partly first: `filledQty > 0`). Also the outcome of a modify.
 * - `'filled'` — completely filled; nothing rests.
 * - `'cancelled'` — the remainder (`cancelledQty > 0`) was removed: IOC / market
 *   leftover, STP cancel-taker / cancel-both, or an explicit `cancel`. If
 *   `filledQty > 0` the order was partially filled, then cancelled.
 * - `'rejected'` — see `reason`; nothing changed.
 *
 * For every non-rejected outcome: `filledQty + restingQty + cancelledQty === requestedQty`.
 */
export type OrderStatus = 'resting' | 'filled' | 'cancelled' | 'rejected';

/** One fill as a plain object (see {@link MatchResult.fills}). */
export interface FillView {
  readonly makerOrderId: number;
  readonly makerOwner: number;
  /** Trade price = the maker's limit price, ticks. */
  readonly price: number;
  /** Lots traded. */
  readonly qty: number;
  /** Lots the maker still has resting after this fill (0 = maker fully filled and gone). */
  readonly makerRemainingAfter: number;
}

/** One maker removed by self-trade prevention (see {@link MatchResult.expiredMakers}). */
export interface ExpiredMakerView {
  readonly orderId: number;
  readonly owner: number;
  /** The maker's limit price, ticks. */
  readonly price: number;
  /** Lots that were resting and are now gone. */
  readonly qty: number;
}

const INITIAL_CAPACITY = 16;

/**
 * The outcome of one order-book operation, written by the book into a buffer
 * the caller owns and reuses: the book never allocates per fill.
 *
 * Layout: scalar fields describe the order the operation concerns (the taker of
 * a `place`, the target of a `cancel` / `modify`); fills and STP-expired makers
 * are *parallel arrays* (structure of arrays), valid at indices
 * `0 .. fillCount - 1` and `0 .. expiredCount - 1`. Entries beyond the counts
 * are stale garbage.
 *
 * Settling, for the exchange: the taker is (`owner`, `side`); fill `i` traded
 * `fillQty[i]` lots at `fillPrice[i]` ticks between the taker and maker
 * `fillMakerOwner[i]` (on the opposite side). Fills appear in execution order.
 *
 * ```ts
 * for (let i = 0; i < r.fillCount; i++) {
 *   settle(r.owner, r.side, r.fillMakerOwner[i], r.fillPrice[i], r.fillQty[i]);
 * }
 * ```
 *
 * The typed arrays are replaced by larger ones when they fill up, so read them
 * through the result (`r.fillQty[i]`) after each operation instead of keeping
 * references across operations. A result is overwritten by the next operation
 * that receives it.
 */
export class MatchResult {
  /** Id of the order this result concerns. */
  orderId = 0;
  /**
   * Owner of that order. For a `place`, the request's owner; for `cancel` /
   * `modify`, the resting order's owner. NaN when the order was unknown.
   */
  owner = Number.NaN;
  /** Side of that order. Meaningless when `reason === 'UNKNOWN_ORDER'`. */
  side: Side = 'buy';
  /**
   * Limit price of that order, ticks: the request's price for `place` (NaN for
   * `'market'`), the new price for `modify`, the resting price for `cancel`.
   * NaN when the order was unknown.
   */
  price = Number.NaN;
  /** Outcome; see {@link OrderStatus}. */
  status: OrderStatus = 'rejected';
  /** Why the operation was rejected; `null` unless `status === 'rejected'`. */
  reason: RejectReason | null = null;
  /**
   * Lots the operation concerned: the order's qty for `place`, `newQty` for
   * `modify`, the remaining qty removed for `cancel`. Unless rejected,
   * `filledQty + restingQty + cancelledQty === requestedQty`.
   */
  requestedQty = 0;
  /** Lots of this order filled by this operation (sum of `fillQty`). */
  filledQty = 0;
  /** Lots of this order left resting on the book after this operation. */
  restingQty = 0;
  /** Lots of this order removed without trading (IOC/market remainder, STP, cancel). */
  cancelledQty = 0;

  /** Number of valid fill entries. */
  fillCount = 0;
  /** Per fill: id of the resting (maker) order. */
  fillMakerOrderId = new Float64Array(INITIAL_CAPACITY);
  /** Per fill: owner of the maker order. */
  fillMakerOwner = new Float64Array(INITIAL_CAPACITY);
  /** Per fill: trade price in ticks (the maker's price). */
  fillPrice = new Float64Array(INITIAL_CAPACITY);
  /** Per fill: lots traded. */
  fillQty = new Float64Array(INITIAL_CAPACITY);
  /** Per fill: lots the maker still rests with afterwards (0 = gone from the book). */
  fillMakerRemaining = new Float64Array(INITIAL_CAPACITY);

  /** Number of valid STP-expired maker entries. */
  expiredCount = 0;
  /** Per expired maker: its order id. */
  expiredOrderId = new Float64Array(INITIAL_CAPACITY);
  /** Per expired maker: its owner (equal to the taker's owner). */
  expiredOwner = new Float64Array(INITIAL_CAPACITY);
  /** Per expired maker: its limit price, ticks. */
  expiredPrice = new Float64Array(INITIAL_CAPACITY);
  /** Per expired maker: the lots that were resting and are now removed. */
  expiredQty = new Float64Array(INITIAL_CAPACITY);

  /**
   * Starts a new outcome: clears counts and quantities and records which order
   * it concerns. Called by order books at the start of each operation.
   */
  begin(orderId: number, owner: number, side: Side, price: number, requestedQty: number): void {
    this.orderId = orderId;
    this.owner = owner;
    this.side = side;
    this.price = price;
    this.requestedQty = requestedQty;
    this.status = 'rejected';
    this.reason = null;
    this.filledQty = 0;
    this.restingQty = 0;
    this.cancelledQty = 0;
    this.fillCount = 0;
    this.expiredCount = 0;
  }

  /** Marks the operation rejected. Called by order books. */
  reject(reason: RejectReason): void {
    this.status = 'rejected';
    this.reason = reason;
  }

  /** Records the final disposition of the order. Called by order books. */
  finish(status: OrderStatus, restingQty: number, cancelledQty: number): void {
    this.status = status;
    this.restingQty = restingQty;
    this.cancelledQty = cancelledQty;
  }

  /** Appends one fill and adds its qty to `filledQty`. Called by order books. */
  addFill(makerOrderId: number, makerOwner: number, price: number, qty: number, makerRemaining: number): void {
    const i = this.fillCount;
    if (i === this.fillQty.length) this.growFills();
    this.fillMakerOrderId[i] = makerOrderId;
    this.fillMakerOwner[i] = makerOwner;
    this.fillPrice[i] = price;
    this.fillQty[i] = qty;
    this.fillMakerRemaining[i] = makerRemaining;
    this.fillCount = i + 1;
    this.filledQty += qty;
  }

  /** Appends one maker expired by self-trade prevention. Called by order books. */
  addExpired(orderId: number, owner: number, price: number, qty: number): void {
    const i = this.expiredCount;
    if (i === this.expiredQty.length) this.growExpired();
    this.expiredOrderId[i] = orderId;
    this.expiredOwner[i] = owner;
    this.expiredPrice[i] = price;
    this.expiredQty[i] = qty;
    this.expiredCount = i + 1;
  }

  /** The fills as objects, in execution order. Allocates: for tests, logs and slow paths. */
  fills(): FillView[] {
    const fills: FillView[] = [];
    for (let i = 0; i < this.fillCount; i++) {
      fills.push({
        makerOrderId: this.fillMakerOrderId[i],
        makerOwner: this.fillMakerOwner[i],
        price: this.fillPrice[i],
        qty: this.fillQty[i],
        makerRemainingAfter: this.fillMakerRemaining[i],
      });
    }
    return fills;
  }

  /** The STP-expired makers as objects, in the order they were expired. Allocates. */
  expiredMakers(): ExpiredMakerView[] {
    const expired: ExpiredMakerView[] = [];
    for (let i = 0; i < this.expiredCount; i++) {
      expired.push({
        orderId: this.expiredOrderId[i],
        owner: this.expiredOwner[i],
        price: this.expiredPrice[i],
        qty: this.expiredQty[i],
      });
    }
    return expired;
  }

  private growFills(): void {
    this.fillMakerOrderId = grow(this.fillMakerOrderId);
    this.fillMakerOwner = grow(this.fillMakerOwner);
    this.fillPrice = grow(this.fillPrice);
    this.fillQty = grow(this.fillQty);
    this.fillMakerRemaining = grow(this.fillMakerRemaining);
  }

  private growExpired(): void {
    this.expiredOrderId = grow(this.expiredOrderId);
    this.expiredOwner = grow(this.expiredOwner);
    this.expiredPrice = grow(this.expiredPrice);
    this.expiredQty = grow(this.expiredQty);
  }
}

/** Doubles capacity (amortised O(1) appends), keeping the contents. */
function grow(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
