import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchResult } from '../../src/market/match-result.js';
import type { LimitOrderBook, OrderType, StpMode } from '../../src/market/order-book-api.js';
import { ORDER_TYPES, STP_MODES } from '../../src/market/order-book-api.js';
import { OrderBook } from '../../src/market/order-book.js';
import { SIDES, type Side } from '../../src/market/side.js';
import { ReferenceOrderBook } from '../helpers/reference-order-book.js';

/**
 * Model-based test: random sequences of place / cancel / modify run against the
 * fast book (real) and the naive reference (model) must produce identical
 * outcomes and identical book states, and neither book may ever be crossed or
 * report a broken internal state.
 *
 * The generators are narrow on purpose: few ids (so duplicates, cancels of
 * filled orders and modifies of live orders are frequent), few owners (so
 * self-trade prevention fires), a band of prices around 100 (so orders cross),
 * plus a sprinkling of invalid values for every field.
 */

const MAX_ID = 24;
const MAX_ORDER_QTY = 40;

interface Books {
  readonly fast: LimitOrderBook;
  readonly reference: LimitOrderBook;
}

const idArb = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: MAX_ID }) }, { weight: 1, arbitrary: fc.constantFrom(0.5, Number.NaN) });
const ownerArb = fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 2 }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });
const priceArb = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 95, max: 105 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 100.5, Number.POSITIVE_INFINITY) },
);
const qtyArb = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -3, 2.5, MAX_ORDER_QTY, MAX_ORDER_QTY + 1) },
);
const typeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<OrderType>('limit') },
  { weight: 5, arbitrary: fc.constantFrom<OrderType>(...ORDER_TYPES) },
);
/** Small moves relative to a live order, biased to zero so that "same price" and "same size" are common. */
const deltaArb = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) });

/** Compares everything an operation reported. */
function expectSameOutcome(fast: MatchResult, reference: MatchResult): void {
  expect(fast.status).toBe(reference.status);
  expect(fast.reason).toBe(reference.reason);
  expect(fast.orderId).toBe(reference.orderId);
  expect(fast.fills()).toEqual(reference.fills());
  expect(fast.expiredMakers()).toEqual(reference.expiredMakers());
  expect([fast.filledQty, fast.restingQty, fast.cancelledQty]).toEqual([
    reference.filledQty,
    reference.restingQty,
    reference.cancelledQty,
  ]);
  if (fast.status !== 'rejected') {
    expect([fast.owner, fast.side, fast.price, fast.requestedQty]).toEqual([
      reference.owner,
      reference.side,
      reference.price,
      reference.requestedQty,
    ]);
    expect(fast.filledQty + fast.restingQty + fast.cancelledQty).toBe(fast.requestedQty);
  }
}

/** Compares full book state (L1, L2, every order, size, hash) and checks health. */
function expectSameState(books: Books): void {
  const { fast, reference } = books;
  expect(fast.validateInternalState()).toEqual([]);
  expect(reference.validateInternalState()).toEqual([]);
  const bid = fast.bestBid();
  const ask = fast.bestAsk();
  if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
  expect(fast.size).toBe(reference.size);
  expect(fast.l1()).toEqual(reference.l1());
  expect(fast.l2(Number.POSITIVE_INFINITY)).toEqual(reference.l2(Number.POSITIVE_INFINITY));
  expect(fast.depth('buy', 3)).toEqual(reference.depth('buy', 3));
  expect(fast.depth('sell', Number.POSITIVE_INFINITY)).toEqual(reference.depth('sell', Number.POSITIVE_INFINITY));
  for (let id = 1; id <= MAX_ID; id++) expect(fast.order(id)).toEqual(reference.order(id));
  for (const bound of [bid ?? 0, (bid ?? 0) - 2, ask ?? 0, (ask ?? 0) + 2]) {
    expect(fast.qtyWithin('buy', bound)).toBe(reference.qtyWithin('buy', bound));
    expect(fast.qtyWithin('sell', bound)).toBe(reference.qtyWithin('sell', bound));
  }
  expect(fast.stateHash()).toBe(reference.stateHash());
}

class PlaceCommand implements fc.Command<Books, Books> {
  constructor(
    readonly type: OrderType,
    readonly side: Side,
    readonly id: number,
    readonly owner: number,
    readonly price: number,
    readonly qty: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(_model: Books, books: Books): void {
    const order = { type: this.type, side: this.side, id: this.id, owner: this.owner, price: this.price, qty: this.qty };
    const before = books.fast.stateHash();
    const fast = books.fast.place(order, new MatchResult());
    const reference = books.reference.place(order, new MatchResult());
    expectSameOutcome(fast, reference);
    if (fast.status === 'rejected') expect(books.fast.stateHash()).toBe(before);
    expectSameState(books);
  }
  toString(): string {
    return `place(${this.type} ${this.side} id=${this.id} owner=${this.owner} ${this.qty}@${this.price})`;
  }
}

class CancelCommand implements fc.Command<Books, Books> {
  constructor(readonly id: number) {}
  check(): boolean {
    return true;
  }
  run(_model: Books, books: Books): void {
    expectSameOutcome(books.fast.cancel(this.id, new MatchResult()), books.reference.cancel(this.id, new MatchResult()));
    expectSameState(books);
  }
  toString(): string {
    return `cancel(${this.id})`;
  }
}

class ModifyCommand implements fc.Command<Books, Books> {
  constructor(
    readonly id: number,
    readonly price: number,
    readonly qty: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(_model: Books, books: Books): void {
    const before = books.fast.stateHash();
    const fast = books.fast.modify(this.id, this.price, this.qty, new MatchResult());
    const reference = books.reference.modify(this.id, this.price, this.qty, new MatchResult());
    expectSameOutcome(fast, reference);
    if (fast.status === 'rejected') expect(books.fast.stateHash()).toBe(before);
    expectSameState(books);
  }
  toString(): string {
    return `modify(${this.id}, ${this.qty}@${this.price})`;
  }
}

/**
 * Modify relative to the order's current state (read from the reference), so
 * that the priority rules (same price with smaller, equal or larger size;
 * small re-pricing) are exercised far more often than absolute values would.
 */
class RelativeModifyCommand implements fc.Command<Books, Books> {
  constructor(
    readonly id: number,
    readonly priceDelta: number,
    readonly qtyDelta: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Books, books: Books): void {
    const current = model.reference.order(this.id);
    const price = (current?.price ?? 100) + this.priceDelta;
    const qty = (current?.qty ?? 1) + this.qtyDelta;
    new ModifyCommand(this.id, price, qty).run(model, books);
  }
  toString(): string {
    return `modifyBy(${this.id}, qty${signed(this.qtyDelta)} price${signed(this.priceDelta)})`;
  }
}

function signed(x: number): string {
  return x < 0 ? `${x}` : `+${x}`;
}

const commandArbs = [
  fc
    .tuple(typeArb, fc.constantFrom(...SIDES), idArb, ownerArb, priceArb, qtyArb)
    .map(([type, side, id, owner, price, qty]) => new PlaceCommand(type, side, id, owner, price, qty)),
  idArb.map((id) => new CancelCommand(id)),
  fc.tuple(idArb, priceArb, qtyArb).map(([id, price, qty]) => new ModifyCommand(id, price, qty)),
  fc.tuple(idArb, deltaArb, deltaArb).map(([id, dp, dq]) => new RelativeModifyCommand(id, dp, dq)),
];

describe('OrderBook against the reference model', () => {
  it('should agree with the naive reference on every outcome and state', () => {
    fc.assert(
      fc.property(fc.constantFrom<StpMode>(...STP_MODES), fc.commands(commandArbs, { maxCommands: 50, size: 'max' }), (stp, commands) => {
        const options = { stp, maxOrderQty: MAX_ORDER_QTY };
        const books: Books = { fast: new OrderBook(options), reference: new ReferenceOrderBook(options) };
        fc.modelRun(() => ({ model: books, real: books }), commands);
      }),
      { numRuns: 200 },
    );
  });
});
