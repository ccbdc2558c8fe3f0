import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { MarketMaker, type MarketMakerOptions } from '../../src/agents/market-maker.js';
import { FakeExchange, book, EMPTY_BOOK, type FakeBook, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

function setup(options: Partial<MarketMakerOptions>, fake: FakeExchangeOptions = {}) {
  const kernel = new Kernel({ seed: 3 });
  const ex = kernel.register(new FakeExchange('exchange', { fillMarketable: false, ...fake }));
  const mm = kernel.register(new MarketMaker('mm', { exchange: ex.id, instrument: 0, shortSelling: true, halfSpreadTicks: 2, qty: 10, skewTicksPerLot: 0.2, ...options }));
  return { kernel, ex, mm };
}

/** The maker's resting quotes as [price, qty] per side, best first. */
function quotes(ex: FakeExchange, mm: MarketMaker) {
  return {
    bids: ex.restingOf(mm.id, 'buy').map((o) => [o.price, o.remaining]),
    asks: ex.restingOf(mm.id, 'sell').map((o) => [o.price, o.remaining]),
  };
}

describe('MarketMaker', () => {
  it('should subscribe, query and quote a bid below the ask around the mid', () => {
    const { kernel, ex, mm } = setup({ levels: 3, levelSpacingTicks: 2 }, { book: () => book(99, 101) });
    kernel.runUntil(0);
    const first = ex.received.filter((r) => r.from === mm.id).map((r) => r.message.type);
    expect(first.slice(0, 2)).toEqual(['SubscribeMarketData', 'QueryMarket']);
    expect(ex.received[0]?.message).toMatchObject({ instrument: 0, depth: 8, minIntervalUs: 100_000 });
    expect(quotes(ex, mm)).toEqual({
      bids: [[98, 10], [96, 10], [94, 10]],
      asks: [[102, 10], [104, 10], [106, 10]],
    });
  });

  it('should seed an empty book from the fundamental', () => {
    const { kernel, ex, mm } = setup({ fundamental: { valueAt: () => 500 } }, { book: () => EMPTY_BOOK });
    kernel.runUntil(0);
    expect(quotes(ex, mm)).toEqual({ bids: [[498, 10]], asks: [[502, 10]] });
  });

  it('should use the last price before the fundamental, and wait when it has no reference', () => {
    const last = setup({ fundamental: { valueAt: () => 500 } }, { book: () => book(0, 0, 300) });
    last.kernel.runUntil(0);
    expect(quotes(last.ex, last.mm)).toEqual({ bids: [[298, 10]], asks: [[302, 10]] });

    const none = setup({}, { book: () => EMPTY_BOOK });
    none.kernel.runUntil(10 * SECOND);
    expect(none.ex.placed()).toEqual([]);
    expect(none.ex.queries().length).toBe(11); // start + 10 refreshes

    const init = setup({ initialPriceTicks: 50 }, { book: () => EMPTY_BOOK });
    init.kernel.runUntil(0);
    expect(quotes(init.ex, init.mm)).toEqual({ bids: [[48, 10]], asks: [[52, 10]] });
  });

  it('should not resend unchanged quotes', () => {
    const { kernel, ex, mm } = setup({ refreshIntervalUs: SECOND }, { book: () => book(99, 101) });
    for (let i = 1; i <= 20; i++) {
      kernel.runUntil(i * 500_000);
      ex.push();
    }
    kernel.runUntil(30 * SECOND);
    expect(ex.queries(mm.id).length).toBe(31);
    expect(ex.placed(mm.id).length).toBe(2);
    expect(ex.cancels(mm.id)).toEqual([]);
  });

  it('should skew both quotes down when long and up when short', () => {
    const { kernel, ex, mm } = setup({}, { book: () => book(99, 101) });
    kernel.runUntil(0);
    const bid = ex.restingOf(mm.id, 'buy')[0];
    if (bid === undefined) throw new Error('no bid');
    ex.fill(bid.orderId, 10);
    ex.push();
    kernel.runUntil(1);
    expect(mm.position).toBe(10);
    // Centre 100 − 0.2·10 = 98.
    expect(quotes(ex, mm)).toEqual({ bids: [[96, 10]], asks: [[100, 10]] });
    expect(ex.cancels(mm.id).length).toBe(1); // the old ask; the filled bid needed none

    const ask = ex.restingOf(mm.id, 'sell')[0];
    if (ask === undefined) throw new Error('no ask');
    ex.fill(ask.orderId, 10);
    const other = ex.restingOf(mm.id, 'sell')[0];
    expect(other).toBeUndefined();
    ex.push();
    kernel.runUntil(2);
    expect(mm.position).toBe(0);
    expect(quotes(ex, mm)).toEqual({ bids: [[98, 10]], asks: [[102, 10]] });
    // Short 15: centre 103.
    const ask2 = ex.restingOf(mm.id, 'sell')[0];
    if (ask2 === undefined) throw new Error('no ask');
    ex.fill(ask2.orderId, 10);
    ex.push();
    kernel.runUntil(3);
    expect(mm.inventory).toBe(-10);
    expect(quotes(ex, mm)).toEqual({ bids: [[100, 10]], asks: [[104, 10]] });
  });

  it('should stop quoting the bid at the inventory limit and cut it near the limit', () => {
    const { kernel, ex, mm } = setup({ maxInventory: 15, skewTicksPerLot: 0 }, { book: () => book(99, 101) });
    kernel.runUntil(0);
    ex.fill((ex.restingOf(mm.id, 'buy')[0] as { orderId: number }).orderId, 10);
    ex.push();
    kernel.runUntil(1);
    expect(quotes(ex, mm)).toEqual({ bids: [[98, 5]], asks: [[102, 10]] });
    ex.fill((ex.restingOf(mm.id, 'buy')[0] as { orderId: number }).orderId, 5);
    ex.push();
    kernel.runUntil(2);
    expect(mm.inventory).toBe(15);
    expect(quotes(ex, mm)).toEqual({ bids: [], asks: [[102, 10]] });
    // Selling back below the limit resumes the bid.
    ex.fill((ex.restingOf(mm.id, 'sell')[0] as { orderId: number }).orderId, 10);
    ex.push();
    kernel.runUntil(3);
    expect(quotes(ex, mm)).toEqual({ bids: [[98, 10]], asks: [[102, 10]] });
  });

  it('should stop quoting the ask at the short limit, and on a spot venue offer no more than it holds', () => {
    const short = setup({ maxInventory: 10, skewTicksPerLot: 0 }, { book: () => book(99, 101) });
    short.kernel.runUntil(0);
    short.ex.fill((short.ex.restingOf(short.mm.id, 'sell')[0] as { orderId: number }).orderId, 10);
    short.ex.push();
    short.kernel.runUntil(1);
    expect(quotes(short.ex, short.mm)).toEqual({ bids: [[98, 10]], asks: [] });

    const spot = setup({ shortSelling: false, initialPosition: 4, levels: 2, skewTicksPerLot: 0 }, { book: () => book(99, 101) });
    spot.kernel.runUntil(0);
    expect(spot.mm.inventory).toBe(0);
    expect(quotes(spot.ex, spot.mm)).toEqual({ bids: [[98, 10], [97, 10]], asks: [[102, 4]] });
  });

  it('should not chase its own quotes when the book shows them', () => {
    // Long 10 with skew 0.2: centre 98, so its ask at 100 becomes the best ask (the raw mid would be 99.5).
    const { kernel, ex, mm } = setup({ initialPosition: 10, targetPosition: 0 }, { book: () => book(99, 101), includeResting: true });
    kernel.runUntil(0);
    expect(quotes(ex, mm)).toEqual({ bids: [[96, 10]], asks: [[100, 10]] });
    for (let i = 1; i <= 50; i++) {
      ex.push(mm.bookDepth);
      kernel.runUntil(i * 1000);
    }
    expect(quotes(ex, mm)).toEqual({ bids: [[96, 10]], asks: [[100, 10]] });
    expect(ex.placed(mm.id).length).toBe(2);
    expect(mm.reference).toBe(100);
  });

  it('should work from L1 alone, telling its own quotes apart by size', () => {
    // Snapshot shows own quotes at L1 without L2 levels: the others' side is hidden, so it falls back to the last price.
    let shown: FakeBook = book(99, 101, 100);
    const { kernel, ex, mm } = setup({ skewTicksPerLot: 0 }, { book: () => shown });
    kernel.runUntil(0);
    expect(quotes(ex, mm)).toEqual({ bids: [[98, 10]], asks: [[102, 10]] });
    shown = { bidPrice: 98, bidQty: 10, askPrice: 102, askQty: 10, lastPrice: 100 };
    ex.push(0);
    kernel.runUntil(1);
    expect(mm.reference).toBe(100);
    expect(ex.placed(mm.id).length).toBe(2);
    // Others join both sides (more lots than its own): the others' mid wins over the last price.
    shown = { bidPrice: 98, bidQty: 15, askPrice: 102, askQty: 12, lastPrice: 104 };
    ex.push(0);
    kernel.runUntil(2);
    expect(mm.reference).toBe(100);
    // Others only on the bid: the ask is all its own, so it falls back to the last price.
    shown = { bidPrice: 98, bidQty: 15, askPrice: 102, askQty: 10, lastPrice: 104 };
    ex.push(0);
    kernel.runUntil(3);
    expect(mm.reference).toBe(104);
    expect(quotes(ex, mm)).toEqual({ bids: [[102, 10]], asks: [[106, 10]] });
  });

  it('should back off a side after a rejection instead of retrying in a loop', () => {
    const { kernel, ex, mm } = setup({ refreshIntervalUs: SECOND, minIntervalUs: 0 }, { book: () => book(99, 101), rejectAll: 'INSUFFICIENT_CASH' });
    for (let i = 1; i <= 100; i++) {
      kernel.runUntil(i * 100_000);
      ex.push();
    }
    kernel.runUntil(20 * SECOND);
    // One attempt per side per refresh period at most: 2 × 21, not 2 × (100 + 21).
    expect(ex.placed(mm.id).length).toBeLessThanOrEqual(42);
    expect(ex.placed(mm.id).length).toBeGreaterThanOrEqual(30);
    expect(mm.tracker.openCount).toBe(0);
  });

  it('should send an owed cancel once an order cancelled in flight is accepted', () => {
    const kernel = new Kernel({ seed: 1, latency: { delay: () => 100 } });
    const ex = kernel.register(new FakeExchange('exchange', { book: (now) => (now < 150 ? book(99, 101) : book(109, 111)), fillMarketable: false }));
    const mm = kernel.register(new MarketMaker('mm', { exchange: ex.id, instrument: 0, shortSelling: true, halfSpreadTicks: 2, refreshIntervalUs: 0 }));
    kernel.runUntil(200); // snapshot answered at 200: quotes sent, not yet accepted
    expect(mm.tracker.openCount).toBe(2);
    // The book moves; the push reaches the maker at 300, before its orders' acceptances (400).
    ex.push();
    kernel.runUntil(350);
    expect(ex.cancels(mm.id)).toEqual([]); // nothing to cancel yet: no venue ids
    kernel.runUntil(10_000);
    expect(ex.cancels(mm.id).map((c) => c.orderId).sort()).toEqual([1, 2]);
    expect(quotes(ex, mm)).toEqual({ bids: [[108, 10]], asks: [[112, 10]] });
    expect(mm.tracker.openCount).toBe(2);
  });
});
