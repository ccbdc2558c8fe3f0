import { describe, expect, it } from 'vitest';
import { MatchResult } from '../../src/market/match-result.js';
import type { LimitOrderBook, OrderBookOptions, OrderRequest, OrderType, StpMode } from '../../src/market/order-book-api.js';
import { STATE_HASH_SEED } from '../../src/market/order-book-api.js';
import type { Side } from '../../src/market/side.js';

/** Builds a fresh book; the suite calls it once per test. */
export type OrderBookFactory = (options?: OrderBookOptions) => LimitOrderBook;

/**
 * Sends one order and returns a fresh result (tests favour clarity over reuse).
 * Unless given, the owner is unique per id so that self-trade prevention stays
 * out of tests about other rules.
 */
function send(
  book: LimitOrderBook,
  type: OrderType,
  side: Side,
  id: number,
  price: number,
  qty: number,
  owner = 100 + id,
): MatchResult {
  return book.place({ type, side, id, owner, price, qty }, new MatchResult());
}

const limit = (book: LimitOrderBook, side: Side, id: number, price: number, qty: number, owner = 100 + id) =>
  send(book, 'limit', side, id, price, qty, owner);

/** Fills as compact tuples `[makerOrderId, price, qty, makerRemainingAfter]`. */
function fillTuples(r: MatchResult): number[][] {
  return r.fills().map((f) => [f.makerOrderId, f.price, f.qty, f.makerRemainingAfter]);
}

function expectHealthy(book: LimitOrderBook): void {
  expect(book.validateInternalState()).toEqual([]);
}

/** Checks the accounting identity every non-rejected outcome satisfies. */
function expectBalanced(r: MatchResult): void {
  expect(r.status).not.toBe('rejected');
  expect(r.filledQty + r.restingQty + r.cancelledQty).toBe(r.requestedQty);
  const fillSum = r.fills().reduce((s, f) => s + f.qty, 0);
  expect(fillSum).toBe(r.filledQty);
}

/**
 * The behavioural test suite of {@link LimitOrderBook}: run against every
 * implementation (the fast book and the naive reference) so that both are held
 * to the same written rules.
 */
export function orderBookSuite(name: string, create: OrderBookFactory): void {
  describe(`${name}: resting and snapshots`, () => {
    it('should start empty with the seed hash', () => {
      const book = create();
      expect(book.size).toBe(0);
      expect(book.bestBid()).toBeUndefined();
      expect(book.bestAsk()).toBeUndefined();
      expect(book.l1()).toEqual({ bidPrice: undefined, bidQty: 0, askPrice: undefined, askQty: 0 });
      expect(book.l2(5)).toEqual({ bids: [], asks: [] });
      expect(book.stateHash()).toBe(STATE_HASH_SEED);
      expectHealthy(book);
    });

    it('should rest non-crossing limit orders and aggregate levels best first', () => {
      const book = create();
      expect(limit(book, 'buy', 1, 99, 5).status).toBe('resting');
      limit(book, 'buy', 2, 100, 3);
      limit(book, 'buy', 3, 100, 4);
      limit(book, 'sell', 4, 102, 7);
      limit(book, 'sell', 5, 101, 1);
      expect(book.size).toBe(5);
      expect(book.l1()).toEqual({ bidPrice: 100, bidQty: 7, askPrice: 101, askQty: 1 });
      expect(book.l2(10)).toEqual({
        bids: [
          { price: 100, qty: 7, orders: 2 },
          { price: 99, qty: 5, orders: 1 },
        ],
        asks: [
          { price: 101, qty: 1, orders: 1 },
          { price: 102, qty: 7, orders: 1 },
        ],
      });
      expect(book.l2(1).bids).toEqual([{ price: 100, qty: 7, orders: 2 }]);
      expect(book.l2(0)).toEqual({ bids: [], asks: [] });
      expect(book.l2(Number.NaN)).toEqual({ bids: [], asks: [] });
      expect(book.l2(Number.POSITIVE_INFINITY).asks).toHaveLength(2);
      expect(book.depth('buy', 10)).toEqual([100, 7, 99, 5]);
      expect(book.depth('sell', 1)).toEqual([101, 1]);
      expect(book.depth('sell', Number.POSITIVE_INFINITY)).toEqual([101, 1, 102, 7]);
      expect(book.depth('buy', 0)).toEqual([]);
      expect(book.depth('buy', Number.NaN)).toEqual([]);
      // Band sums: inclusive at the bound, best level first, nothing beyond it.
      expect(book.qtyWithin('buy', 100)).toBe(7);
      expect(book.qtyWithin('buy', 99)).toBe(12);
      expect(book.qtyWithin('buy', 101)).toBe(0);
      expect(book.qtyWithin('sell', 101)).toBe(1);
      expect(book.qtyWithin('sell', 102)).toBe(8);
      expect(book.qtyWithin('sell', 100)).toBe(0);
      expect(book.qtyWithin('sell', Number.POSITIVE_INFINITY)).toBe(8);
      expect(book.order(3)).toEqual({ id: 3, owner: 103, side: 'buy', price: 100, qty: 4 });
      expect(book.order(42)).toBeUndefined();
      expectHealthy(book);
    });

    it('should accept any positive safe-integer price, id and owner', () => {
      const book = create();
      const big = Number.MAX_SAFE_INTEGER;
      const r = send(book, 'limit', 'sell', big, big, 1, -big);
      expect(r.status).toBe('resting');
      limit(book, 'buy', -5, 1, 1);
      expect(book.order(big)).toEqual({ id: big, owner: -big, side: 'sell', price: big, qty: 1 });
      expect(book.bestBid()).toBe(1);
      expectHealthy(book);
    });
  });

  describe(`${name}: price-time priority`, () => {
    it('should fill the best price first at the maker price', () => {
      const book = create();
      limit(book, 'sell', 1, 103, 5, 7);
      limit(book, 'sell', 2, 101, 5, 8);
      limit(book, 'sell', 3, 102, 5, 9);
      const r = limit(book, 'buy', 10, 105, 12, 1);
      expect(fillTuples(r)).toEqual([
        [2, 101, 5, 0],
        [3, 102, 5, 0],
        [1, 103, 2, 3],
      ]);
      expect(r.fills().map((f) => f.makerOwner)).toEqual([8, 9, 7]);
      expect(r.status).toBe('filled');
      expectBalanced(r);
      expect(book.order(1)?.qty).toBe(3);
      expect(book.size).toBe(1);
      expectHealthy(book);
    });

    it('should fill orders at one price first-in first-out', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 2);
      limit(book, 'buy', 2, 100, 2);
      limit(book, 'buy', 3, 100, 2);
      const r = limit(book, 'sell', 9, 100, 5, 2);
      expect(fillTuples(r)).toEqual([
        [1, 100, 2, 0],
        [2, 100, 2, 0],
        [3, 100, 1, 1],
      ]);
      expect([book.order(1), book.order(2), book.order(3)?.qty]).toEqual([undefined, undefined, 1]);
      expectHealthy(book);
    });

    it('should stop at the limit price and rest the remainder there', () => {
      const book = create();
      limit(book, 'sell', 1, 100, 3);
      limit(book, 'sell', 2, 105, 3);
      const r = limit(book, 'buy', 3, 102, 10);
      expect(fillTuples(r)).toEqual([[1, 100, 3, 0]]);
      expect(r.status).toBe('resting');
      expect(r.restingQty).toBe(7);
      expectBalanced(r);
      expect(book.l1()).toEqual({ bidPrice: 102, bidQty: 7, askPrice: 105, askQty: 3 });
      expectHealthy(book);
    });

    it('should report more fills than the initial buffer capacity', () => {
      const book = create();
      for (let i = 1; i <= 40; i++) limit(book, 'sell', i, 100 + (i % 3), 1, 2);
      const out = new MatchResult();
      book.place({ type: 'market', side: 'buy', id: 100, owner: 1, price: 0, qty: 50 }, out);
      expect(out.fillCount).toBe(40);
      expect(out.filledQty).toBe(40);
      expect(out.cancelledQty).toBe(10);
      expect(out.status).toBe('cancelled');
      expect(book.size).toBe(0);
      expectHealthy(book);
    });
  });

  describe(`${name}: order types`, () => {
    it('should cancel the unfilled remainder of an IOC order and never rest it', () => {
      const book = create();
      limit(book, 'sell', 1, 100, 3);
      const r = send(book, 'limit-ioc', 'buy', 2, 101, 5);
      expect(fillTuples(r)).toEqual([[1, 100, 3, 0]]);
      expect(r.status).toBe('cancelled');
      expect(r.cancelledQty).toBe(2);
      expectBalanced(r);
      expect(book.size).toBe(0);
      const none = send(book, 'limit-ioc', 'buy', 3, 101, 5);
      expect(none.status).toBe('cancelled');
      expect(none.filledQty).toBe(0);
      expect(book.size).toBe(0);
    });

    it('should fill a FOK order completely across levels when enough is available', () => {
      const book = create();
      limit(book, 'sell', 1, 100, 3, 2);
      limit(book, 'sell', 2, 101, 3, 2);
      const r = send(book, 'limit-fok', 'buy', 3, 101, 5);
      expect(r.status).toBe('filled');
      expect(fillTuples(r)).toEqual([
        [1, 100, 3, 0],
        [2, 101, 2, 1],
      ]);
      expectHealthy(book);
    });

    it('should reject a FOK order that cannot fill completely within its limit, changing nothing', () => {
      const book = create();
      limit(book, 'sell', 1, 100, 3, 2);
      limit(book, 'sell', 2, 102, 3, 2);
      const before = book.stateHash();
      const r = send(book, 'limit-fok', 'buy', 3, 101, 4);
      expect(r.status).toBe('rejected');
      expect(r.reason).toBe('FOK_NOT_FILLABLE');
      expect(r.fillCount).toBe(0);
      expect(book.stateHash()).toBe(before);
      expect(send(book, 'limit-fok', 'sell', 4, 99, 1).reason).toBe('FOK_NOT_FILLABLE'); // empty side
    });

    it('should reject a post-only order that would cross, even at an equal price', () => {
      const book = create();
      limit(book, 'sell', 1, 100, 3);
      const before = book.stateHash();
      const r = send(book, 'post-only', 'buy', 2, 100, 1);
      expect(r.status).toBe('rejected');
      expect(r.reason).toBe('POST_ONLY_WOULD_CROSS');
      expect(book.stateHash()).toBe(before);
      const ok = send(book, 'post-only', 'buy', 3, 99, 1);
      expect(ok.status).toBe('resting');
      expect(ok.restingQty).toBe(1);
      expect(book.bestBid()).toBe(99);
    });

    it('should sweep with a market order ignoring its price field', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 2);
      limit(book, 'buy', 2, 50, 2);
      const r = send(book, 'market', 'sell', 3, 999_999, 3); // price ignored
      expect(fillTuples(r)).toEqual([
        [1, 100, 2, 0],
        [2, 50, 1, 1],
      ]);
      expect(r.status).toBe('filled');
      expect(Number.isNaN(r.price)).toBe(true);
      expect(send(book, 'market', 'sell', 4, Number.NaN, 1).status).toBe('filled'); // invalid price not checked
      expect(book.size).toBe(0);
    });

    it('should cancel a market order on an empty side without touching the book', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 2);
      const before = book.stateHash();
      const r = send(book, 'market', 'buy', 2, 0, 5);
      expect(r.status).toBe('cancelled');
      expect(r.filledQty).toBe(0);
      expect(r.cancelledQty).toBe(5);
      expect(book.stateHash()).toBe(before);
      expect(book.size).toBe(1);
    });
  });

  describe(`${name}: cancel`, () => {
    it('should remove an order and its level when it empties', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 2, 4);
      limit(book, 'buy', 2, 99, 3);
      const r = book.cancel(1, new MatchResult());
      expect(r.status).toBe('cancelled');
      expect([r.orderId, r.owner, r.side, r.price, r.cancelledQty]).toEqual([1, 4, 'buy', 100, 2]);
      expectBalanced(r);
      expect(book.order(1)).toBeUndefined();
      expect(book.l2(5).bids).toEqual([{ price: 99, qty: 3, orders: 1 }]);
      expectHealthy(book);
    });

    it('should reject cancelling an unknown or already removed order', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 2);
      book.cancel(1, new MatchResult());
      const before = book.stateHash();
      expect(book.cancel(1, new MatchResult()).reason).toBe('UNKNOWN_ORDER');
      expect(book.cancel(77, new MatchResult()).reason).toBe('UNKNOWN_ORDER');
      expect(book.cancel(Number.NaN, new MatchResult()).reason).toBe('UNKNOWN_ORDER');
      expect(book.stateHash()).toBe(before);
    });

    it('should allow reusing the id of an order that is no longer resting', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 2);
      limit(book, 'sell', 2, 100, 2);
      expect(book.size).toBe(0);
      expect(limit(book, 'buy', 1, 100, 2).status).toBe('resting');
    });
  });

  describe(`${name}: modify`, () => {
    it('should keep time priority on a pure size decrease', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 5);
      limit(book, 'buy', 2, 100, 5);
      const m = book.modify(1, 100, 3, new MatchResult());
      expect(m.status).toBe('resting');
      expect(m.restingQty).toBe(3);
      expectBalanced(m);
      expect(book.bestBidQty()).toBe(8);
      const r = limit(book, 'sell', 3, 100, 4, 2);
      expect(fillTuples(r)).toEqual([
        [1, 100, 3, 0],
        [2, 100, 1, 4],
      ]);
      expectHealthy(book);
    });

    it('should keep priority and the state when the size is unchanged', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 5);
      limit(book, 'buy', 2, 100, 5);
      const before = book.stateHash();
      expect(book.modify(1, 100, 5, new MatchResult()).status).toBe('resting');
      expect(book.stateHash()).toBe(before);
    });

    it('should lose time priority on a size increase', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 5);
      limit(book, 'buy', 2, 100, 5);
      expect(book.modify(1, 100, 6, new MatchResult()).restingQty).toBe(6);
      const r = limit(book, 'sell', 3, 100, 6, 2);
      expect(fillTuples(r)).toEqual([
        [2, 100, 5, 0],
        [1, 100, 1, 5],
      ]);
      expectHealthy(book);
    });

    it('should lose time priority on a price change, even when moved back', () => {
      const book = create();
      limit(book, 'sell', 1, 100, 5);
      limit(book, 'sell', 2, 100, 5);
      book.modify(1, 101, 5, new MatchResult());
      expect(book.order(1)?.price).toBe(101);
      book.modify(1, 100, 5, new MatchResult());
      const r = limit(book, 'buy', 3, 100, 5, 2);
      expect(fillTuples(r)).toEqual([[2, 100, 5, 0]]);
      expectHealthy(book);
    });

    it('should refuse a post-only modify that would cross and leave the order as it was, but amend one that does not', () => {
      const book = create();
      limit(book, 'sell', 1, 101, 2, 2);
      limit(book, 'buy', 2, 99, 5, 1);
      const before = book.stateHash();
      const r = book.modify(2, 101, 5, new MatchResult(), true);
      expect(r.status).toBe('rejected');
      expect(r.reason).toBe('POST_ONLY_WOULD_CROSS');
      expect(r.fillCount).toBe(0);
      expect(book.stateHash()).toBe(before);
      expect(book.order(2)).toEqual({ id: 2, owner: 1, side: 'buy', price: 99, qty: 5 });
      expect(book.modify(2, 100, 6, new MatchResult(), true).status).toBe('resting');
      expect(book.order(2)).toEqual({ id: 2, owner: 1, side: 'buy', price: 100, qty: 6 });
      expectHealthy(book);
    });

    it('should match a modify whose new price crosses, resting only the remainder', () => {
      const book = create();
      limit(book, 'sell', 1, 101, 2, 2);
      limit(book, 'buy', 2, 99, 5, 1);
      const r = book.modify(2, 101, 5, new MatchResult());
      expect(fillTuples(r)).toEqual([[1, 101, 2, 0]]);
      expect(r.status).toBe('resting');
      expect(r.restingQty).toBe(3);
      expectBalanced(r);
      expect(book.order(2)).toEqual({ id: 2, owner: 1, side: 'buy', price: 101, qty: 3 });
      expectHealthy(book);
    });

    it('should reject bad modifies and leave the book unchanged', () => {
      const book = create({ maxOrderQty: 10 });
      limit(book, 'buy', 1, 100, 5);
      const before = book.stateHash();
      const cases: [number, number, number, string][] = [
        [2, 100, 5, 'UNKNOWN_ORDER'],
        [1, 0, 5, 'INVALID_PRICE'],
        [1, 100.5, 5, 'INVALID_PRICE'],
        [1, Number.NaN, 5, 'INVALID_PRICE'],
        [1, 100, 0, 'INVALID_QTY'],
        [1, 100, -1, 'INVALID_QTY'],
        [1, 100, 1.5, 'INVALID_QTY'],
        [1, 100, 11, 'QTY_ABOVE_LIMIT'],
      ];
      for (const [id, price, qty, reason] of cases) {
        const r = book.modify(id, price, qty, new MatchResult());
        expect([r.status, r.reason]).toEqual(['rejected', reason]);
        expect(book.stateHash()).toBe(before);
      }
      expectHealthy(book);
    });
  });

  describe(`${name}: self-trade prevention`, () => {
    /** Book with an own sell (id 1, owner 1) ahead of a foreign sell (id 2, owner 2) at 100. */
    function ownAhead(stp: StpMode): LimitOrderBook {
      const book = create({ stp });
      limit(book, 'sell', 1, 100, 3, 1);
      limit(book, 'sell', 2, 100, 3, 2);
      return book;
    }

    it('should default to cancel-maker', () => {
      expect(create().options.stp).toBe('cancel-maker');
    });

    it('should expire the resting order and keep matching under cancel-maker', () => {
      const book = ownAhead('cancel-maker');
      const r = limit(book, 'buy', 3, 100, 4, 1);
      expect(r.expiredMakers()).toEqual([{ orderId: 1, owner: 1, price: 100, qty: 3 }]);
      expect(fillTuples(r)).toEqual([[2, 100, 3, 0]]);
      expect(r.status).toBe('resting');
      expect(r.restingQty).toBe(1);
      expectBalanced(r);
      expect(book.order(1)).toBeUndefined();
      expectHealthy(book);
    });

    it('should cancel the taker remainder and keep the maker under cancel-taker', () => {
      const book = create({ stp: 'cancel-taker' });
      limit(book, 'sell', 1, 99, 1, 2);
      limit(book, 'sell', 2, 100, 3, 1);
      limit(book, 'sell', 3, 100, 3, 2);
      const r = limit(book, 'buy', 4, 100, 5, 1);
      expect(fillTuples(r)).toEqual([[1, 99, 1, 0]]);
      expect(r.expiredCount).toBe(0);
      expect(r.status).toBe('cancelled');
      expect(r.cancelledQty).toBe(4);
      expectBalanced(r);
      expect(book.order(2)?.qty).toBe(3);
      expect(book.order(4)).toBeUndefined();
      expectHealthy(book);
    });

    it('should expire the maker and cancel the taker under cancel-both', () => {
      const book = ownAhead('cancel-both');
      const r = limit(book, 'buy', 3, 100, 4, 1);
      expect(r.expiredMakers()).toEqual([{ orderId: 1, owner: 1, price: 100, qty: 3 }]);
      expect(r.fillCount).toBe(0);
      expect(r.status).toBe('cancelled');
      expect(book.order(2)?.qty).toBe(3);
      expect(book.size).toBe(1);
      expectHealthy(book);
    });

    it('should let an owner trade with itself under none', () => {
      const book = ownAhead('none');
      const r = limit(book, 'buy', 3, 100, 4, 1);
      expect(fillTuples(r)).toEqual([
        [1, 100, 3, 0],
        [2, 100, 1, 2],
      ]);
      expect(r.expiredCount).toBe(0);
    });

    it('should apply STP when a modify re-enters and crosses', () => {
      const book = create({ stp: 'cancel-maker' });
      limit(book, 'sell', 1, 101, 2, 1);
      limit(book, 'buy', 2, 99, 5, 1);
      const r = book.modify(2, 101, 5, new MatchResult());
      expect(r.expiredMakers()).toEqual([{ orderId: 1, owner: 1, price: 101, qty: 2 }]);
      expect(r.restingQty).toBe(5);
      expect(book.bestAsk()).toBeUndefined();
    });

    it('should not count own orders as FOK liquidity under cancel-maker, and expire them on success', () => {
      const book = ownAhead('cancel-maker');
      expect(send(book, 'limit-fok', 'buy', 3, 100, 4, 1).reason).toBe('FOK_NOT_FILLABLE');
      expect(book.size).toBe(2); // a rejected FOK expires nothing
      const r = send(book, 'limit-fok', 'buy', 4, 100, 3, 1);
      expect(r.status).toBe('filled');
      expect(r.expiredMakers().map((e) => e.orderId)).toEqual([1]);
      expect(book.size).toBe(0);
    });

    it('should count FOK liquidity only up to the first own order under cancel-taker and cancel-both', () => {
      for (const stp of ['cancel-taker', 'cancel-both'] as const) {
        const book = create({ stp });
        limit(book, 'sell', 1, 99, 2, 2);
        limit(book, 'sell', 2, 100, 3, 1);
        limit(book, 'sell', 3, 100, 3, 2);
        expect(send(book, 'limit-fok', 'buy', 4, 100, 3, 1).reason).toBe('FOK_NOT_FILLABLE');
        expect(book.size).toBe(3);
        const r = send(book, 'limit-fok', 'buy', 5, 100, 2, 1);
        expect(r.status).toBe('filled');
        expect(r.expiredCount).toBe(0);
        expect(book.size).toBe(2);
      }
    });

    it('should count own orders as FOK liquidity under none', () => {
      const book = ownAhead('none');
      expect(send(book, 'limit-fok', 'buy', 3, 100, 6, 1).status).toBe('filled');
    });
  });

  describe(`${name}: rejects`, () => {
    const valid: OrderRequest = { type: 'limit', side: 'buy', id: 50, owner: 1, price: 100, qty: 5 };
    const bad: [string, Partial<Record<keyof OrderRequest, unknown>>, string][] = [
      ['unknown type', { type: 'stop' }, 'INVALID_ORDER_TYPE'],
      ['unknown side', { side: 'hold' }, 'INVALID_SIDE'],
      ['fractional id', { id: 1.5 }, 'INVALID_ORDER_ID'],
      ['unsafe id', { id: 2 ** 53 }, 'INVALID_ORDER_ID'],
      ['NaN owner', { owner: Number.NaN }, 'INVALID_OWNER'],
      ['zero price', { price: 0 }, 'INVALID_PRICE'],
      ['negative price', { price: -3 }, 'INVALID_PRICE'],
      ['fractional price', { price: 100.01 }, 'INVALID_PRICE'],
      ['infinite price', { price: Number.POSITIVE_INFINITY }, 'INVALID_PRICE'],
      ['string price', { price: '100' }, 'INVALID_PRICE'],
      ['zero qty', { qty: 0 }, 'INVALID_QTY'],
      ['negative qty', { qty: -5 }, 'INVALID_QTY'],
      ['fractional qty', { qty: 0.5 }, 'INVALID_QTY'],
      ['NaN qty', { qty: Number.NaN }, 'INVALID_QTY'],
      ['qty above the limit', { qty: 1001 }, 'QTY_ABOVE_LIMIT'],
      ['duplicate id', { id: 1 }, 'DUPLICATE_ORDER_ID'],
      ['zero qty market', { type: 'market', qty: 0 }, 'INVALID_QTY'],
      ['fractional price IOC', { type: 'limit-ioc', price: 1.5 }, 'INVALID_PRICE'],
    ];
    for (const [what, patch, reason] of bad) {
      it(`should reject ${what} with ${reason} and leave the book unchanged`, () => {
        const book = create({ maxOrderQty: 1000 });
        limit(book, 'buy', 1, 100, 5);
        limit(book, 'sell', 2, 101, 5);
        const before = book.stateHash();
        const r = book.place({ ...valid, ...patch } as OrderRequest, new MatchResult());
        expect(r.status).toBe('rejected');
        expect(r.reason).toBe(reason);
        expect(r.fillCount + r.expiredCount).toBe(0);
        expect(book.stateHash()).toBe(before);
        expect(book.size).toBe(2);
        expectHealthy(book);
      });
    }

    it('should accept exactly maxOrderQty', () => {
      const book = create({ maxOrderQty: 1000 });
      expect(limit(book, 'buy', 1, 100, 1000).status).toBe('resting');
    });

    it('should reject a duplicate of a resting id even for IOC and market orders', () => {
      const book = create();
      limit(book, 'buy', 1, 100, 5);
      expect(send(book, 'market', 'sell', 1, 0, 1).reason).toBe('DUPLICATE_ORDER_ID');
      expect(send(book, 'limit-ioc', 'sell', 1, 100, 1).reason).toBe('DUPLICATE_ORDER_ID');
    });

    it('should reset a reused result buffer between operations', () => {
      const book = create();
      const out = new MatchResult();
      limit(book, 'sell', 1, 100, 1);
      book.place({ type: 'limit', side: 'buy', id: 2, owner: 2, price: 100, qty: 1 }, out);
      expect(out.fillCount).toBe(1);
      book.place({ type: 'limit', side: 'buy', id: 3, owner: 2, price: 0, qty: 1 }, out);
      expect([out.status, out.reason, out.fillCount, out.filledQty]).toEqual(['rejected', 'INVALID_PRICE', 0, 0]);
      book.place({ type: 'limit', side: 'buy', id: 3, owner: 2, price: 90, qty: 1 }, out);
      expect([out.status, out.reason, out.restingQty]).toEqual(['resting', null, 1]);
    });
  });

  describe(`${name}: options`, () => {
    it('should throw on invalid construction options (a programming error)', () => {
      expect(() => create({ maxOrderQty: 0 })).toThrow();
      expect(() => create({ maxOrderQty: 1.5 })).toThrow();
      expect(() => create({ stp: 'sometimes' as StpMode })).toThrow();
    });
  });
}
