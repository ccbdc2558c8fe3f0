/**
 * Call auctions in the exchange: orders collected in a call phase meet at
 * one price at the uncrossing (auction-clearing.ts), settle through the
 * ledger, and what is left continues in the book, or waits for the next
 * batch, or expires.
 */
import { describe, expect, it } from 'vitest';
import { NO_PRICE, NOTHING_CROSSES, type MarketSnapshot } from '../../src/market/market-data.js';
import { asSnapshot, buildHarness, cancelOwn, limit, modifyOwn, place, type Harness } from '../helpers/exchange-harness.js';
import type { ExchangeOptions } from '../../src/market/exchange.js';

const SESSION = 1_000_000;

function world(auctions: NonNullable<ExchangeOptions['auctions']>, count = 3): Harness {
  return buildHarness({
    clients: [
      { name: 'S', lots: [500], cash: 1_000_000 },
      { name: 'T', lots: [500], cash: 1_000_000 },
      { name: 'B', cash: 10_000_000 },
      { name: 'C', cash: 10_000_000 },
    ],
    sessions: { sessionUs: SESSION, count, expireAtClose: false },
    auctions,
  });
}

const fills = (h: Harness, name: string) => h.client(name).reportsOf('OrderFilled');

describe('opening auction', () => {
  it('collects the stale book and new orders, trades nothing during the call, and uncrosses at one price', () => {
    const h = world({ openingUs: 100_000 });
    const S = h.client('S');
    const B = h.client('B');
    const C = h.client('C');
    const T = h.client('T');
    // Session 0: a trade at 1000 sets the reference; a sell at 1010 rests overnight (GTC).
    S.at(200_000, limit('sell', 1000, 5, 1));
    B.at(200_001, limit('buy', 1000, 5, 2));
    S.at(300_000, limit('sell', 1010, 10, 3));
    // Session 1's call: the stale 1010 ask, a new ask at 1020, bids at 1030 and 1015.
    T.at(SESSION + 10, limit('sell', 1020, 10, 4));
    C.at(SESSION + 20, limit('buy', 1030, 12, 5));
    B.at(SESSION + 30, limit('buy', 1015, 6, 6));
    h.run(SESSION + 50_000);
    expect(h.exchange.inCall).toBe(true);
    expect(h.exchange.book(0).size).toBe(0);
    expect(h.exchange.collected(0)).toBe(4);
    expect(fills(h, 'C')).toEqual([]);
    // D(1015) = 18, S(1015) = 10: 10 lots; D(1020) = 12, S(1020) = 20: 12 lots, surplus 8 (sell).
    // The largest volume is 12 at 1020 … 1030 (S = 20 from 1020); the sell surplus there makes it the lowest: 1020.
    const snap = h.exchange.snapshotNow(0, 0);
    expect(snap.bidPrice).toBe(NO_PRICE);
    expect(snap.auction).toEqual({ price: 1020, volume: 12, imbalance: -8 });
    h.run(SESSION + 200_000);
    expect(h.exchange.inCall).toBe(false);
    const cFills = fills(h, 'C');
    expect(cFills.map((f) => [f.price, f.qty, f.liquidity])).toEqual([
      [1020, 10, 'auction'],
      [1020, 2, 'auction'],
    ]);
    // The stale ask (time first at the better price) sells its 10 in full, the new ask 2 of 10.
    expect(fills(h, 'S').slice(1).map((f) => [f.price, f.qty])).toEqual([[1020, 10]]);
    expect(fills(h, 'T').map((f) => [f.price, f.qty, f.remaining])).toEqual([[1020, 2, 8]]);
    // Remainders continue in the book: T's 8 at 1020 and B's bid at 1015, uncrossed.
    const book = h.exchange.book(0);
    expect([book.bestBid(), book.bestBidQty(), book.bestAsk(), book.bestAskQty()]).toEqual([1015, 6, 1020, 8]);
    expect(h.exchange.snapshotNow(0, 0).auction).toBeUndefined();
    expect(h.exchange.lastPrice(0)).toBe(1020);
    expect(h.ledger.validateInvariants()).toEqual([]);
    expect(h.ledger.heldPosition(h.account('S'), 0)).toBe(0);
    expect(h.ledger.heldCash(h.account('C'))).toBe(0);
    expect(h.ledger.position(h.account('C'), 0)).toBe(12);
  });

  it('lets orders be cancelled and modified in the call, collars market orders, refuses fill-or-kill and expires IOC remainders', () => {
    const h = world({ openingUs: 100_000, collarBps: 500 });
    const S = h.client('S');
    const B = h.client('B');
    const C = h.client('C');
    S.at(100, limit('sell', 1000, 5, 1));
    B.at(200, limit('buy', 1000, 5, 2));
    h.run(150_000); // the first session's call has uncrossed at 1000
    expect(h.exchange.lastPrice(0)).toBe(1000);
    S.at(SESSION + 10, limit('sell', 1040, 10, 3));
    S.at(SESSION + 20, modifyOwn(3, 1005, 8));
    C.at(SESSION + 30, place('buy', 'market', 0, 20, 4)); // collared at 1000 · 1.05 = 1050
    B.at(SESSION + 40, place('buy', 'limit-fok', 1010, 1, 5));
    B.at(SESSION + 50, limit('buy', 990, 3, 6));
    B.at(SESSION + 60, cancelOwn(6));
    h.run(SESSION + 200_000);
    expect(B.reportsOf('OrderRejected').map((r) => r.reason)).toEqual(['NOT_IN_CALL_PHASE']);
    expect(B.reportsOf('OrderCancelled').map((r) => r.reason)).toEqual(['requested']);
    expect(C.reportsOf('OrderAccepted')[0]?.price).toBe(1050);
    expect(S.reportsOf('OrderModified').map((r) => [r.price, r.qty, r.keptPriority])).toEqual([[1005, 8, false]]);
    // From 1005 to 1050, D = 20 and S = 8: volume 8 with a buy surplus of 12 at every price, so market pressure picks the highest.
    expect(fills(h, 'C').map((f) => [f.price, f.qty])).toEqual([[1050, 8]]);
    expect(C.reportsOf('OrderCancelled').map((r) => [r.reason, r.qty])).toEqual([['unfilled-ioc', 12]]);
    expect(h.exchange.book(0).size).toBe(0);
    expect(h.ledger.heldCash(h.account('C'))).toBe(0);
    expect(h.ledger.validateInvariants()).toEqual([]);
  });

  it('publishes the indication during the call, refreshed at most once a second, and the book after it', () => {
    const h = buildHarness({
      clients: [
        { name: 'S', lots: [500] },
        { name: 'B', cash: 10_000_000 },
      ],
      sessions: { sessionUs: 10_000_000, count: 1, expireAtClose: false },
      auctions: { openingUs: 5_000_000 },
    });
    const B = h.client('B');
    const S = h.client('S');
    B.at(0, { type: 'SubscribeMarketData', instrument: 0, depth: 0, minIntervalUs: 0 });
    S.at(10, limit('sell', 1000, 5, 1));
    B.at(20, limit('buy', 1001, 3, 2));
    B.at(2_000_000, { type: 'QueryMarket', instrument: 0, depth: 0 });
    h.run(4_000_000);
    const snaps = B.snapshots.map((r) => asSnapshot(r));
    // At 10 µs: one sell, nothing crosses; at 20 µs the figure is not recomputed yet (less than a second since).
    expect(snaps.filter((x) => x.update).map((x) => x.auction)).toEqual([NOTHING_CROSSES, NOTHING_CROSSES]);
    expect(snaps.at(-1)?.auction).toEqual({ price: 1000, volume: 3, imbalance: -2 });
    h.run(6_000_000);
    const after = B.snapshots.map((r) => asSnapshot(r)).at(-1) as MarketSnapshot;
    expect(after.auction).toBeUndefined();
    expect([after.lastPrice, after.askPrice, after.askQty, after.bidPrice]).toEqual([1000, 1000, 2, NO_PRICE]);
  });
});

describe('closing auction and batch market', () => {
  it('a closing call uncrosses 1 µs before the close, so the closing price is the auction price, and nothing trades after it', () => {
    const h = world({ closingUs: 100_000 }, 2);
    const S = h.client('S');
    const B = h.client('B');
    S.at(950_000, limit('sell', 1000, 5, 1));
    B.at(960_000, limit('buy', 1002, 5, 2));
    h.run(SESSION - 2);
    expect(fills(h, 'B')).toEqual([]);
    // After the closing uncrossing the session is over: an order in its last µs is refused, one at the next open is not.
    B.at(SESSION - 1, limit('buy', 1005, 1, 3));
    B.at(SESSION, limit('buy', 1005, 1, 4));
    h.run(SESSION - 1);
    expect(h.exchange.lastPrice(0)).toBe(1000); // no reference yet: the first limit's price
    expect(fills(h, 'B').map((f) => [f.price, f.qty, f.liquidity])).toEqual([[1000, 5, 'auction']]);
    expect(B.reportsOf('OrderRejected').map((r) => [r.clientOrderId, r.reason])).toEqual([[3, 'MARKET_CLOSED']]);
    h.run(SESSION + 10);
    expect(B.reportsOf('OrderAccepted').map((r) => r.clientOrderId)).toEqual([2, 4]);
  });

  it('a batch market uncrosses every interval, carries limit remainders to the next batch and never trades continuously', () => {
    const h = world({ batchUs: 1000, referencePrices: [1000] }, 1);
    const S = h.client('S');
    const B = h.client('B');
    const C = h.client('C');
    S.at(100, limit('sell', 1000, 10, 1));
    B.at(200, limit('buy', 1001, 4, 2));
    C.at(1500, limit('buy', 1000, 4, 3));
    h.run(5000);
    expect(h.exchange.inCall).toBe(true);
    expect(h.exchange.book(0).size).toBe(0);
    // First batch (ends at 999): 4 lots at the reference 1000 (within [1000, 1001], closest to it).
    expect(fills(h, 'B').map((f) => [h.client('B').received.find((r) => r.message === f)?.time, f.price, f.qty])).toEqual([[999, 1000, 4]]);
    // Second batch (1999): the 6 carried lots meet C's bid.
    expect(fills(h, 'C').map((f) => [f.price, f.qty])).toEqual([[1000, 4]]);
    expect(h.exchange.openOrder(0, h.client('S').orderId(1))?.qty).toBe(2);
  });

  it('refuses auction times that leave no continuous trading or fall on the open', () => {
    expect(() => world({ openingUs: 600_000, closingUs: 400_000 })).toThrow(/continuous trading/);
    expect(() => world({ openingUs: 100, batchUs: 1000 })).toThrow(/batch market/);
    expect(() => world({ batchUs: 1 })).toThrow(/at least 2/);
    expect(() => buildHarness({ clients: [], auctions: { openingUs: 10 } })).toThrow(/sessions/);
  });
});
