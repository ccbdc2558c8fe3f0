import { describe, expect, it } from 'vitest';
import { ConstantLatency } from '../../src/engine/latency-model.js';
import type { SimEvent } from '../../src/engine/sim-event.js';
import { BpsFeeModel, type FeeModel } from '../../src/market/fee-model.js';
import { NO_PRICE, isPublicBook, type MarketSnapshot } from '../../src/market/market-data.js';
import type { BookChanged, OrderReported, TradeExecuted } from '../../src/market/market-events.js';
import type { OrderRejectReason } from '../../src/market/order-messages.js';
import {
  asSnapshot,
  buildHarness,
  cancel,
  cancelOwn,
  limit,
  modify,
  modifyOwn,
  place,
  type ClientSpec,
  type Command,
  type Harness,
  type HarnessOptions,
} from '../helpers/exchange-harness.js';

// The default harness instrument: 10 minor units per tick·lot, maxOrderQty 1000.
const MPTL = 10;
// Maker rebate of 1 bp, taker fee of 3 bp.
const FEES = new BpsFeeModel(-1, 3);

function harness(clients: readonly ClientSpec[], extra: Partial<HarnessOptions> = {}): Harness {
  return buildHarness({ clients, fees: FEES, ...extra });
}

/** The buy hold documented on `Exchange`: notional + worst-case fee + 2 per lot. */
function buyHold(fees: FeeModel, price: number, qty: number): number {
  const n = price * qty * MPTL;
  return n + Math.max(0, fees.takerFee(n), fees.makerFee(n)) + 2 * qty;
}

function expectNoHolds(h: Harness, ...names: string[]): void {
  for (const name of names) {
    expect(h.ledger.heldCash(h.account(name)), `${name} held cash`).toBe(0);
    expect(h.ledger.heldPosition(h.account(name), 0), `${name} held lots`).toBe(0);
  }
}

function expectSound(h: Harness): void {
  expect(h.ledger.validateInvariants()).toEqual([]);
  expect(h.exchange.book(0).validateInternalState()).toEqual([]);
}

describe('Exchange — happy paths', () => {
  it('should trade a crossing buy against a resting sell at the maker price and settle cash, lots and fees', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const S = h.client('S');
    const B = h.client('B');
    S.at(10, limit('sell', 1000, 20, 1));
    B.at(20, limit('buy', 1010, 20, 2));
    h.run();

    const notional = 1000 * 20 * MPTL; // 200 000
    const takerFee = 60; // ceil(200 000 × 3 bp)
    const makerFee = -20; // rebate, 200 000 × 1 bp
    expect(FEES.takerFee(notional)).toBe(takerFee);
    expect(FEES.makerFee(notional)).toBe(makerFee);

    const sellId = S.orderId(1);
    const buyId = B.orderId(2);
    expect(S.reports).toEqual([
      { type: 'OrderAccepted', instrument: 0, orderId: sellId, clientOrderId: 1, side: 'sell', price: 1000, qty: 20 },
      { type: 'OrderFilled', instrument: 0, orderId: sellId, clientOrderId: 1, side: 'sell', price: 1000, qty: 20, remaining: 0, fee: makerFee, liquidity: 'maker' },
    ]);
    expect(B.reports).toEqual([
      { type: 'OrderAccepted', instrument: 0, orderId: buyId, clientOrderId: 2, side: 'buy', price: 1010, qty: 20 },
      { type: 'OrderFilled', instrument: 0, orderId: buyId, clientOrderId: 2, side: 'buy', price: 1000, qty: 20, remaining: 0, fee: takerFee, liquidity: 'taker' },
    ]);
    const L = h.ledger;
    expect(L.cash(h.account('B'))).toBe(1_000_000 - notional - takerFee);
    expect(L.cash(h.account('S'))).toBe(notional - makerFee);
    expect(L.cash(h.feeAccount)).toBe(takerFee + makerFee);
    expect(L.position(h.account('B'), 0)).toBe(20);
    expect(L.position(h.account('S'), 0)).toBe(80);
    expectNoHolds(h, 'S', 'B');
    expect(h.exchange.lastPrice(0)).toBe(1000);
    expect(h.exchange.volume(0)).toBe(20);
    expect(h.exchange.book(0).size).toBe(0);
    expectSound(h);
  });

  it('should pay a resting buyer its maker rebate and release its hold to exactly zero', () => {
    const h = harness([
      { name: 'B', cash: 1_000_000 },
      { name: 'S', lots: [100] },
    ]);
    const B = h.client('B');
    const S = h.client('S');
    B.at(10, limit('buy', 1000, 20, 1));
    h.run(15);
    expect(h.ledger.heldCash(h.account('B'))).toBe(buyHold(FEES, 1000, 20));
    S.at(20, limit('sell', 990, 30, 2)); // fills 20 at 1000, 10 rest at 990
    h.run();

    expect(B.reportsOf('OrderFilled')).toEqual([
      { type: 'OrderFilled', instrument: 0, orderId: B.orderId(1), clientOrderId: 1, side: 'buy', price: 1000, qty: 20, remaining: 0, fee: -20, liquidity: 'maker' },
    ]);
    expect(S.reportsOf('OrderFilled')).toEqual([
      { type: 'OrderFilled', instrument: 0, orderId: S.orderId(2), clientOrderId: 2, side: 'sell', price: 1000, qty: 20, remaining: 10, fee: 60, liquidity: 'taker' },
    ]);
    expect(h.ledger.cash(h.account('B'))).toBe(1_000_000 - 200_000 + 20);
    expect(h.ledger.cash(h.account('S'))).toBe(200_000 - 60);
    expect(h.ledger.cash(h.feeAccount)).toBe(40);
    expect(h.ledger.heldCash(h.account('B'))).toBe(0);
    expect(h.ledger.heldPosition(h.account('S'), 0)).toBe(10);
    expect(h.exchange.book(0).bestAsk()).toBe(990);
    expectSound(h);
  });

  it('should keep a partly filled maker resting with its hold reduced, and release it on cancel', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const S = h.client('S');
    const B = h.client('B');
    S.at(10, limit('sell', 1000, 20, 1));
    B.at(20, place('buy', 'limit-ioc', 1000, 8, 2));
    h.run(25);
    expect(S.lastReport()).toMatchObject({ type: 'OrderFilled', qty: 8, remaining: 12, liquidity: 'maker' });
    expect(h.ledger.heldPosition(h.account('S'), 0)).toBe(12);
    expect(B.reports.map((r) => r.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expectNoHolds(h, 'B');

    S.at(30, cancelOwn(1));
    h.run();
    expect(S.lastReport()).toEqual({ type: 'OrderCancelled', instrument: 0, orderId: S.orderId(1), clientOrderId: 1, qty: 12, reason: 'requested' });
    expectNoHolds(h, 'S', 'B');
    expect(h.ledger.position(h.account('S'), 0)).toBe(92);
    expect(h.exchange.book(0).size).toBe(0);
    expectSound(h);
  });

  it('should cancel the unfilled remainder of an IOC with reason unfilled-ioc', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const B = h.client('B');
    h.client('S').at(10, limit('sell', 1000, 5, 1));
    B.at(20, place('buy', 'limit-ioc', 1005, 8, 7));
    h.run();
    const id = B.orderId(7);
    expect(B.reports).toEqual([
      { type: 'OrderAccepted', instrument: 0, orderId: id, clientOrderId: 7, side: 'buy', price: 1005, qty: 8 },
      { type: 'OrderFilled', instrument: 0, orderId: id, clientOrderId: 7, side: 'buy', price: 1000, qty: 5, remaining: 3, fee: 15, liquidity: 'taker' },
      { type: 'OrderCancelled', instrument: 0, orderId: id, clientOrderId: 7, qty: 3, reason: 'unfilled-ioc' },
    ]);
    expect(h.ledger.cash(h.account('B'))).toBe(1_000_000 - 50_000 - 15);
    expectNoHolds(h, 'S', 'B');
    expect(h.exchange.book(0).size).toBe(0);
    expectSound(h);
  });

  it('should hold a resting buy and give every unit back when it is cancelled', () => {
    const h = harness([{ name: 'B', cash: 1_000_000 }]);
    const B = h.client('B');
    B.at(10, limit('buy', 990, 10, 1));
    h.run(15);
    expect(h.ledger.heldCash(h.account('B'))).toBe(99_000 + 30 + 20);
    B.at(20, cancelOwn(1));
    h.run();
    expect(B.lastReport()).toMatchObject({ type: 'OrderCancelled', qty: 10, reason: 'requested' });
    expectNoHolds(h, 'B');
    expect(h.ledger.cash(h.account('B'))).toBe(1_000_000);
    expectSound(h);
  });

  it('should fill a market buy only as far as the cash allows (market protection)', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 150_000 },
    ]);
    const S = h.client('S');
    const B = h.client('B');
    S.at(10, limit('sell', 1000, 10, 1));
    S.at(11, limit('sell', 1010, 10, 2));
    B.at(20, place('buy', 'market', 0, 20, 3));
    h.run();
    // Per-lot hold: 1000 → 10 005, 1010 → 10 106; 10 lots at 1000 leave 49 950, i.e. 4 lots at 1010.
    const fills = B.reportsOf('OrderFilled');
    expect(fills.map((f) => [f.price, f.qty, f.fee])).toEqual([
      [1000, 10, 30],
      [1010, 4, 13],
    ]);
    expect(B.reportsOf('OrderAccepted')[0]).toMatchObject({ side: 'buy', qty: 14, price: 1010 });
    const cash = 150_000 - 100_000 - 30 - 40_400 - 13;
    expect(h.ledger.cash(h.account('B'))).toBe(cash);
    expect(cash).toBeLessThan(buyHold(FEES, 1010, 1)); // could not pay for one more lot
    expect(h.ledger.position(h.account('B'), 0)).toBe(14);
    expectNoHolds(h, 'B');
    expect(h.ledger.heldPosition(h.account('S'), 0)).toBe(6);
    expectSound(h);
  });

  it('should reject a market buy on an empty book with NO_LIQUIDITY', () => {
    const h = harness([{ name: 'B', cash: 1_000_000 }]);
    const B = h.client('B');
    const before = h.ledger.stateHash();
    B.at(10, place('buy', 'market', 0, 5, 4));
    h.run();
    expect(B.reports).toEqual([{ type: 'OrderRejected', instrument: 0, orderId: 0, clientOrderId: 4, reason: 'NO_LIQUIDITY' }]);
    expect(h.ledger.stateHash()).toBe(before);
  });

  it('should sell at market into the bids and cancel what finds no bid', () => {
    const h = harness([
      { name: 'B', cash: 1_000_000 },
      { name: 'S', lots: [100] },
    ]);
    const S = h.client('S');
    h.client('B').at(10, limit('buy', 1000, 4, 1));
    h.client('B').at(11, limit('buy', 995, 3, 2));
    S.at(20, place('sell', 'market', 0, 10, 9));
    h.run();
    expect(S.reports.map((r) => r.type)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderCancelled']);
    expect(S.reportsOf('OrderFilled').map((f) => [f.price, f.qty, f.remaining])).toEqual([
      [1000, 4, 6],
      [995, 3, 3],
    ]);
    expect(S.lastReport()).toMatchObject({ type: 'OrderCancelled', qty: 3, reason: 'unfilled-ioc' });
    expect(h.ledger.position(h.account('S'), 0)).toBe(93);
    expectNoHolds(h, 'S', 'B');
    expectSound(h);
  });

  it('should reject a crossing post-only order and rest a non-crossing one', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const B = h.client('B');
    h.client('S').at(10, limit('sell', 1000, 10, 1));
    h.run(15);
    const ledgerBefore = h.ledger.stateHash();
    const bookBefore = h.exchange.book(0).stateHash();
    B.at(20, place('buy', 'post-only', 1000, 10, 2));
    h.run(25);
    expect(B.reports).toEqual([{ type: 'OrderRejected', instrument: 0, orderId: 0, clientOrderId: 2, reason: 'POST_ONLY_WOULD_CROSS' }]);
    expect(h.ledger.stateHash()).toBe(ledgerBefore);
    expect(h.exchange.book(0).stateHash()).toBe(bookBefore);

    B.at(30, place('buy', 'post-only', 999, 10, 3));
    h.run();
    expect(B.lastReport()).toMatchObject({ type: 'OrderAccepted', clientOrderId: 3 });
    expect(h.exchange.book(0).bestBid()).toBe(999);
    expect(h.ledger.heldCash(h.account('B'))).toBe(buyHold(FEES, 999, 10));
    expectSound(h);
  });

  it('should fill a fill-or-kill order completely or not at all', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const B = h.client('B');
    h.client('S').at(10, limit('sell', 1000, 6, 1));
    h.client('S').at(11, limit('sell', 1001, 4, 2));
    h.run(15);
    const ledgerBefore = h.ledger.stateHash();
    const bookBefore = h.exchange.book(0).stateHash();
    B.at(20, place('buy', 'limit-fok', 1001, 11, 3));
    h.run(25);
    expect(B.reports).toEqual([{ type: 'OrderRejected', instrument: 0, orderId: 0, clientOrderId: 3, reason: 'FOK_NOT_FILLABLE' }]);
    expect(h.ledger.stateHash()).toBe(ledgerBefore);
    expect(h.exchange.book(0).stateHash()).toBe(bookBefore);

    B.at(30, place('buy', 'limit-fok', 1001, 10, 4));
    h.run();
    expect(B.reportsOf('OrderFilled').map((f) => [f.price, f.qty, f.remaining])).toEqual([
      [1000, 6, 4],
      [1001, 4, 0],
    ]);
    expect(h.ledger.position(h.account('B'), 0)).toBe(10);
    expectNoHolds(h, 'S', 'B');
    expect(h.exchange.book(0).size).toBe(0);
    expectSound(h);
  });

  it('should keep time priority when a modify only decreases the size', () => {
    const h = harness([
      { name: 'A', lots: [100] },
      { name: 'C', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const A = h.client('A');
    const C = h.client('C');
    A.at(10, limit('sell', 1000, 5, 1));
    C.at(20, limit('sell', 1000, 5, 1));
    A.at(30, modifyOwn(1, 1000, 3));
    h.run(35);
    expect(A.lastReport()).toEqual({ type: 'OrderModified', instrument: 0, orderId: A.orderId(1), clientOrderId: 1, price: 1000, qty: 3, keptPriority: true });
    expect(h.ledger.heldPosition(h.account('A'), 0)).toBe(3);
    h.client('B').at(40, place('buy', 'limit-ioc', 1000, 3, 1));
    h.run();
    expect(A.lastReport()).toMatchObject({ type: 'OrderFilled', qty: 3, remaining: 0 });
    expect(C.reportsOf('OrderFilled')).toEqual([]);
    expectNoHolds(h, 'A');
    expect(h.ledger.heldPosition(h.account('C'), 0)).toBe(5);
    expectSound(h);
  });

  it('should lose time priority when a modify changes the price', () => {
    const h = harness([
      { name: 'A', lots: [100] },
      { name: 'C', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const A = h.client('A');
    const C = h.client('C');
    A.at(10, limit('sell', 1000, 5, 1));
    C.at(20, limit('sell', 1000, 5, 1));
    A.at(30, modifyOwn(1, 1001, 5));
    A.at(40, modifyOwn(1, 1000, 5));
    h.client('B').at(50, place('buy', 'limit-ioc', 1000, 5, 1));
    h.run();
    expect(A.reportsOf('OrderModified').map((m) => [m.price, m.keptPriority])).toEqual([
      [1001, false],
      [1000, false],
    ]);
    expect(C.lastReport()).toMatchObject({ type: 'OrderFilled', qty: 5, remaining: 0 });
    expect(A.reportsOf('OrderFilled')).toEqual([]);
    expect(h.exchange.book(0).order(A.orderId(1))).toMatchObject({ price: 1000, qty: 5 });
    expect(h.ledger.heldPosition(h.account('A'), 0)).toBe(5);
    expectSound(h);
  });

  it('should refuse a post-only amendment that would cross and leave the order as it was; without postOnly it trades', () => {
    const h = harness([
      { name: 'A', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const A = h.client('A');
    const B = h.client('B');
    A.at(10, limit('sell', 1002, 5, 1));
    B.at(20, place('buy', 'post-only', 1000, 5, 1));
    B.at(30, (c) => ({ ...modify(c.orderId(1), 1002, 5), postOnly: true }));
    // Not crossing: amended (a size increase at a new price).
    B.at(40, (c) => ({ ...modify(c.orderId(1), 1001, 6), postOnly: true }));
    h.run();
    const bookBefore = h.exchange.book(0).stateHash();
    expect(B.reportsOf('OrderRejected')).toEqual([{ type: 'OrderRejected', instrument: 0, orderId: B.orderId(1), clientOrderId: 1, reason: 'POST_ONLY_WOULD_CROSS' }]);
    expect(B.reportsOf('OrderModified').map((m) => [m.price, m.qty])).toEqual([[1001, 6]]);
    expect(B.reportsOf('OrderFilled')).toEqual([]);
    expect(h.exchange.book(0).order(B.orderId(1))).toMatchObject({ price: 1001, qty: 6 });
    // The same amendment without postOnly re-enters as a limit order and takes the ask.
    B.at(50, modifyOwn(1, 1002, 6));
    h.run();
    expect(h.exchange.book(0).stateHash()).not.toBe(bookBefore);
    expect(B.reportsOf('OrderFilled')).toMatchObject([{ price: 1002, qty: 5, remaining: 1, liquidity: 'taker' }]);
    expectSound(h);
  });

  it('should top up the hold of a buy whose modify needs more cash', () => {
    const h = harness([{ name: 'B', cash: 1_000_000 }]);
    const B = h.client('B');
    B.at(10, limit('buy', 1000, 10, 1));
    B.at(20, modifyOwn(1, 1000, 20));
    h.run();
    expect(B.lastReport()).toMatchObject({ type: 'OrderModified', qty: 20, keptPriority: false });
    expect(h.ledger.heldCash(h.account('B'))).toBe(buyHold(FEES, 1000, 20));
    B.at(30, modifyOwn(1, 990, 5));
    h.run();
    expect(h.ledger.heldCash(h.account('B'))).toBe(buyHold(FEES, 990, 5));
    expectSound(h);
  });

  it('should reject a modify that needs more cash than is available with INSUFFICIENT_CASH and change nothing', () => {
    const h = harness([{ name: 'B', cash: 1_000_000 }]);
    const B = h.client('B');
    B.at(10, limit('buy', 1000, 10, 1));
    h.run(15);
    const ledgerBefore = h.ledger.stateHash();
    const bookBefore = h.exchange.book(0).stateHash();
    B.at(20, modifyOwn(1, 1000, 100)); // hold 1 000 500 > 1 000 000
    h.run();
    expect(B.lastReport()).toEqual({ type: 'OrderRejected', instrument: 0, orderId: B.orderId(1), clientOrderId: 1, reason: 'INSUFFICIENT_CASH' });
    expect(h.ledger.stateHash()).toBe(ledgerBefore);
    expect(h.exchange.book(0).stateHash()).toBe(bookBefore);
    expect(h.exchange.book(0).order(B.orderId(1))).toMatchObject({ price: 1000, qty: 10 });
    expect(h.ledger.heldCash(h.account('B'))).toBe(buyHold(FEES, 1000, 10));
  });

  it('should expire the resting order of the same account on a self-trade', () => {
    const h = harness([{ name: 'A', cash: 1_000_000, lots: [100] }]);
    const A = h.client('A');
    A.at(10, limit('sell', 1000, 10, 1));
    A.at(20, limit('buy', 1000, 10, 2));
    h.run();
    const sellId = A.orderId(1);
    const buyId = A.orderId(2);
    expect(A.reports.slice(1)).toEqual([
      { type: 'OrderAccepted', instrument: 0, orderId: buyId, clientOrderId: 2, side: 'buy', price: 1000, qty: 10 },
      { type: 'OrderCancelled', instrument: 0, orderId: sellId, clientOrderId: 1, qty: 10, reason: 'self-trade' },
    ]);
    expect(h.ledger.heldPosition(h.account('A'), 0)).toBe(0);
    expect(h.ledger.heldCash(h.account('A'))).toBe(buyHold(FEES, 1000, 10));
    expect(h.ledger.cash(h.account('A'))).toBe(1_000_000);
    expect(h.exchange.book(0).bestBid()).toBe(1000);
    expect(h.exchange.book(0).bestAsk()).toBeUndefined();
    expectSound(h);
  });

  it('should expire a maker of a shared account and trade on with the next maker', () => {
    const h = harness([
      { name: 'A1', cash: 1_000_000, lots: [100] },
      { name: 'A2', account: 'A1' },
      { name: 'S', lots: [100] },
    ]);
    h.client('A1').at(10, limit('sell', 1000, 10, 1));
    h.client('S').at(11, limit('sell', 1000, 10, 1));
    h.client('A2').at(20, limit('buy', 1000, 10, 2));
    h.run();
    expect(h.client('A1').lastReport()).toMatchObject({ type: 'OrderCancelled', qty: 10, reason: 'self-trade' });
    expect(h.client('A2').reportsOf('OrderFilled')).toHaveLength(1);
    expect(h.client('S').lastReport()).toMatchObject({ type: 'OrderFilled', qty: 10, remaining: 0 });
    expect(h.ledger.position(h.account('A1'), 0)).toBe(110);
    expectNoHolds(h, 'A1', 'S');
    expect(h.exchange.book(0).size).toBe(0);
    expectSound(h);
  });
  // The ledger cannot book a wash trade (buyer = seller), so the exchange
  // refuses stp 'none' when it is built instead of failing at the first self-cross.
  it("should refuse stp 'none' up front rather than crash mid-run on a self-cross", () => {
    expect(() => harness([{ name: 'A', cash: 1_000_000, lots: [100] }], { stp: 'none' })).toThrow(RangeError);
  });
});

describe('Exchange — bad input', () => {
  /** A has cash and lots and rests a sell (cid 1) at 1000 and a buy (cid 2) at 990; B is poor; U has no account. */
  function world(): Harness {
    const h = harness([
      { name: 'A', cash: 1_000_000, lots: [100] },
      { name: 'B', cash: 1_000 },
      { name: 'U', account: 'none' },
    ]);
    h.client('A').at(1, limit('sell', 1000, 10, 1));
    h.client('A').at(2, limit('buy', 990, 10, 2));
    h.run(5);
    return h;
  }

  function expectRejected(h: Harness, who: string, command: Command, reason: OrderRejectReason): void {
    const ledgerBefore = h.ledger.stateHash();
    const bookBefore = h.exchange.book(0).stateHash();
    const counts = h.clients.map((c) => c.received.length);
    const client = h.client(who);
    client.at(h.kernel.now + 1, command);
    h.run();
    const got = client.reports.slice(counts[h.clients.indexOf(client)]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ type: 'OrderRejected', reason });
    h.clients.forEach((c, i) => {
      if (c !== client) expect(c.received.length, `${c.name} got nothing`).toBe(counts[i]);
    });
    expect(h.ledger.stateHash()).toBe(ledgerBefore);
    expect(h.exchange.book(0).stateHash()).toBe(bookBefore);
    expectSound(h);
  }

  const cases: [string, string, Command, OrderRejectReason][] = [
    ['a fractional (off-tick) price', 'A', limit('buy', 995.5, 1, 9), 'INVALID_PRICE'],
    ['a NaN price', 'A', limit('buy', Number.NaN, 1, 9), 'INVALID_PRICE'],
    ['an infinite price', 'A', limit('sell', Number.POSITIVE_INFINITY, 1, 9), 'INVALID_PRICE'],
    ['a price given as a string', 'A', limit('buy', '995' as unknown as number, 1, 9), 'INVALID_PRICE'],
    ['a zero price', 'A', limit('buy', 0, 1, 9), 'INVALID_PRICE'],
    ['a negative price', 'A', place('sell', 'post-only', -5, 1, 9), 'INVALID_PRICE'],
    ['a zero qty', 'A', limit('buy', 995, 0, 9), 'INVALID_QTY'],
    ['a negative qty', 'A', limit('sell', 1005, -3, 9), 'INVALID_QTY'],
    ['a fractional qty', 'A', place('buy', 'limit-ioc', 995, 2.5, 9), 'INVALID_QTY'],
    ['a qty above maxOrderQty', 'A', limit('buy', 1, 1001, 9), 'QTY_ABOVE_LIMIT'],
    ['a market sell above maxOrderQty', 'A', place('sell', 'market', 0, 1001, 9), 'QTY_ABOVE_LIMIT'],
    // Worth more than exact integers reach (2^50 ticks × 1000 lots × 10): refused, never thrown from the fee model.
    ['a buy whose value passes 2^53', 'A', limit('buy', 2 ** 50, 1000, 9), 'VALUE_TOO_LARGE'],
    ['a sell whose value passes 2^53 (a buy would fill it at that price)', 'A', limit('sell', 2 ** 50, 1, 9), 'VALUE_TOO_LARGE'],
    ['a modify of a buy to a value past 2^53', 'A', modify(2, 2 ** 50, 5), 'VALUE_TOO_LARGE'],
    ['an unknown instrument', 'A', limit('buy', 995, 1, 9, 1), 'UNKNOWN_INSTRUMENT'],
    ['a negative instrument', 'A', limit('buy', 995, 1, 9, -1), 'UNKNOWN_INSTRUMENT'],
    ['a fractional instrument', 'A', limit('buy', 995, 1, 9, 0.5), 'UNKNOWN_INSTRUMENT'],
    ['an invalid side', 'A', limit('short' as never, 995, 1, 9), 'INVALID_SIDE'],
    ['an invalid order type', 'A', place('buy', 'stop' as never, 995, 1, 9), 'INVALID_ORDER_TYPE'],
    ['a cancel of an unknown id', 'A', cancel(999), 'UNKNOWN_ORDER'],
    ['a cancel of id 0', 'A', cancel(0), 'UNKNOWN_ORDER'],
    ['a cancel on an unknown instrument', 'A', cancel(1, 4), 'UNKNOWN_INSTRUMENT'],
    ["a cancel of another agent's order", 'B', cancel(1), 'NOT_OWNER'],
    ["a modify of another agent's order", 'B', modify(1, 1001, 5), 'NOT_OWNER'],
    ['a modify of an unknown id', 'A', modify(999, 1000, 5), 'UNKNOWN_ORDER'],
    ['a modify to a fractional price', 'A', modify(1, 1000.25, 5), 'INVALID_PRICE'],
    ['a modify to a zero qty', 'A', modify(1, 1000, 0), 'INVALID_QTY'],
    ['a modify of a buy above maxOrderQty (not INSUFFICIENT_CASH)', 'A', modify(2, 990, 1001), 'QTY_ABOVE_LIMIT'],
    ['a modify of a sell above maxOrderQty (not INSUFFICIENT_POSITION)', 'A', modify(1, 1000, 1001), 'QTY_ABOVE_LIMIT'],
    ['an order from an agent without an account', 'U', limit('buy', 995, 1, 9), 'UNKNOWN_ACCOUNT'],
    ['a buy beyond cash', 'B', limit('buy', 995, 1, 9), 'INSUFFICIENT_CASH'],
    ['a buy beyond the cash left after holds', 'A', limit('buy', 1000, 91, 9), 'INSUFFICIENT_CASH'],
    ['a sell beyond position', 'B', limit('sell', 1005, 1, 9), 'INSUFFICIENT_POSITION'],
    ['a sell beyond the lots left after holds', 'A', limit('sell', 1005, 91, 9), 'INSUFFICIENT_POSITION'],
    ['a modify of a sell beyond the lots', 'A', modify(1, 1000, 101), 'INSUFFICIENT_POSITION'],
  ];

  it.each(cases)('should reject %s and change nothing', (_what, who, command, reason) => {
    expectRejected(world(), who, command, reason);
  });

  it('should accept the largest buy the cash left after holds allows (boundary of the cash check)', () => {
    const h = world();
    // Available: 1 000 000 − hold(990, 10) = 900 950; hold(1000, 90) = 900 450.
    h.client('A').at(h.kernel.now + 1, limit('buy', 980, 91, 9)); // hold(980, 91) = 891 800 + 268 + 182 = 892 250
    h.run();
    expect(h.client('A').lastReport()).toMatchObject({ type: 'OrderAccepted', clientOrderId: 9 });
    expect(h.ledger.heldCash(h.account('A'))).toBe(buyHold(FEES, 990, 10) + buyHold(FEES, 980, 91));
    expectSound(h);
  });

  it('should reject a cancel of an order that has already traded away', () => {
    const h = harness([
      { name: 'A', cash: 1_000_000, lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    h.client('A').at(1, limit('sell', 1000, 5, 1));
    h.client('B').at(2, limit('buy', 1000, 5, 1));
    h.run();
    expectRejected(h, 'A', (c) => cancel(c.orderId(1)), 'UNKNOWN_ORDER');
    expect(h.client('A').lastReport()).toMatchObject({ orderId: h.client('A').orderId(1), clientOrderId: 1 });
  });

  it('should keep instruments apart: an order id is unknown on another instrument, and a halt is per instrument', () => {
    const h = harness([{ name: 'A', cash: 1_000_000, lots: [100, 100] }], {
      instruments: [
        { symbol: 'XYZ', tickSize: 0.01, lotSize: 10, minorUnit: 0.01, maxOrderQty: 1000 },
        { symbol: 'ABC', tickSize: 0.01, lotSize: 10, minorUnit: 0.01, maxOrderQty: 1000 },
      ],
    });
    const A = h.client('A');
    A.at(1, limit('sell', 1000, 10, 1, 0));
    h.run();
    const id = A.orderId(1);
    const ledgerBefore = h.ledger.stateHash();
    A.at(2, cancel(id, 1));
    A.at(3, modify(id, 1001, 10, 1));
    h.run();
    expect(A.reports.slice(-2).map((r) => r.type === 'OrderRejected' && r.reason)).toEqual(['UNKNOWN_ORDER', 'UNKNOWN_ORDER']);
    expect(h.ledger.stateHash()).toBe(ledgerBefore);
    h.exchange.setHalted(0, true);
    A.at(4, limit('sell', 1000, 10, 2, 1));
    h.run();
    expect(A.lastReport()).toMatchObject({ type: 'OrderAccepted', instrument: 1, clientOrderId: 2 });
    expect(h.ledger.heldPosition(h.account('A'), 0)).toBe(10);
    expect(h.ledger.heldPosition(h.account('A'), 1)).toBe(10);
  });

  it('should reject orders and modifies with MARKET_HALTED while halted, and trade again after', () => {
    const h = world();
    h.exchange.setHalted(0, true);
    expectRejected(h, 'A', limit('buy', 995, 1, 9), 'MARKET_HALTED');
    expectRejected(h, 'A', place('buy', 'market', 0, 1, 9), 'MARKET_HALTED');
    expectRejected(h, 'A', modify(1, 1001, 10), 'MARKET_HALTED');
    h.exchange.setHalted(0, false);
    h.client('A').at(h.kernel.now + 1, limit('buy', 995, 1, 10));
    h.run();
    expect(h.client('A').lastReport()).toMatchObject({ type: 'OrderAccepted', clientOrderId: 10 });
  });
});

describe('Exchange — market data', () => {
  it('should send a throttled subscriber at most one update per interval, with the last state at its end', () => {
    const h = harness(
      [
        { name: 'S', lots: [100] },
        { name: 'B', cash: 1_000_000 },
        { name: 'D' },
      ],
      { latency: new ConstantLatency(2) },
    );
    const S = h.client('S');
    const D = h.client('D');
    D.at(0, { type: 'SubscribeMarketData', instrument: 0, depth: 0, minIntervalUs: 100 });
    // Exchange sees these at t + 2.
    S.at(10, limit('sell', 1000, 5, 1)); // first change: published at once (12)
    S.at(20, limit('sell', 999, 5, 2)); // busy interval [12, 112): conflated
    S.at(30, limit('sell', 998, 5, 3));
    h.client('B').at(40, place('buy', 'limit-ioc', 998, 2, 1)); // a trade
    S.at(50, limit('sell', 1005, 5, 4)); // below the top: no change
    S.at(300, limit('sell', 997, 1, 5)); // quiet again: published at once (302)
    h.run();

    const updates = D.snapshots;
    expect(updates.map((u) => u.time)).toEqual([12 + 2, 112 + 2, 302 + 2]);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.time - updates[i - 1]!.time).toBeGreaterThanOrEqual(100);
    expect(updates.every((u) => asSnapshot(u).update)).toBe(true);
    expect(asSnapshot(updates[0]!)).toMatchObject({ askPrice: 1000, askQty: 5, bidPrice: NO_PRICE, bidQty: 0, lastPrice: NO_PRICE, volume: 0, bids: [], asks: [] });
    // The state at the end of the busy interval, not the first or an intermediate one.
    expect(asSnapshot(updates[1]!)).toMatchObject({ askPrice: 998, askQty: 3, lastPrice: 998, volume: 2 });
    expect(asSnapshot(updates[2]!)).toMatchObject({ askPrice: 997, askQty: 1 });
    // A conflated update is caused by the last change it reports (B's trade), not by the flush timer.
    const bDelivery = h.client('B').sent[0]!.deliveryId;
    expect(h.kernel.causeOf(updates[1]!.deliveryId)).toBe(bDelivery);
    expect(h.kernel.causeOf(updates[0]!.deliveryId)).toBe(S.sent[0]!.deliveryId);
  });

  it('should answer QueryMarket with a snapshot (update=false) and L2 levels flattened best first', () => {
    const h = harness([
      { name: 'A', cash: 1_000_000, lots: [100] },
      { name: 'Q' },
    ]);
    const A = h.client('A');
    const Q = h.client('Q');
    A.at(1, limit('buy', 990, 5, 1));
    A.at(2, limit('buy', 985, 7, 2));
    A.at(3, limit('buy', 990, 2, 3));
    A.at(4, limit('buy', 989, 3, 4));
    A.at(5, limit('sell', 1002, 6, 5));
    A.at(6, limit('sell', 1000, 4, 6));
    Q.at(10, { type: 'QueryMarket', instrument: 0, depth: 2 });
    Q.at(11, { type: 'QueryMarket', instrument: 0, depth: 0 });
    Q.at(12, { type: 'QueryMarket', instrument: 0, depth: 10 });
    Q.at(13, { type: 'QueryMarket', instrument: 5, depth: 10 }); // unknown instrument: ignored
    h.run();
    const snaps = Q.snapshots.map(asSnapshot);
    expect(snaps).toHaveLength(3);
    const top = { type: 'MarketSnapshot', instrument: 0, bidPrice: 990, bidQty: 7, askPrice: 1000, askQty: 4, lastPrice: NO_PRICE, volume: 0, update: false };
    expect(snaps[0]).toEqual<MarketSnapshot>({ ...top, type: 'MarketSnapshot', bids: [990, 7, 989, 3], asks: [1000, 4, 1002, 6] });
    expect(snaps[1]).toEqual<MarketSnapshot>({ ...top, type: 'MarketSnapshot', bids: [], asks: [] });
    expect(snaps[2]).toEqual<MarketSnapshot>({ ...top, type: 'MarketSnapshot', bids: [990, 7, 989, 3, 985, 7], asks: [1000, 4, 1002, 6] });
  });

  it('should give an at-once read of its public book equal to the answer of a QueryMarket, both counted as queries', () => {
    const h = harness([{ name: 'A', cash: 1_000_000, lots: [100] }, { name: 'Q' }, { name: 'T', cash: 1_000_000 }]);
    const A = h.client('A');
    A.at(1, limit('buy', 990, 5, 1));
    A.at(2, limit('sell', 1000, 4, 2));
    h.client('T').at(3, limit('buy', 1000, 1, 1)); // a trade, so the last price and volume are read too
    h.client('Q').at(10, { type: 'QueryMarket', instrument: 0, depth: 3 });
    h.run();
    expect(isPublicBook(h.exchange)).toBe(true);
    expect(isPublicBook(A)).toBe(false);
    expect(isPublicBook(undefined)).toBe(false);
    const answered = asSnapshot(h.client('Q').snapshots[0]!);
    const before = h.exchange.stats.queries;
    expect(h.exchange.snapshotNow(0, 3)).toEqual(answered);
    expect(h.exchange.stats.queries).toBe(before + 1);
    expect(before).toBe(1);
    // L1 reads are one view refilled per call, equal to a fresh L1 answer.
    const l1 = h.exchange.snapshotNow(0, 0);
    expect(answered).toMatchObject({ askQty: 3, lastPrice: 1000, volume: 1 });
    expect(l1).toEqual<MarketSnapshot>({ ...answered, bids: [], asks: [] });
    expect(h.exchange.snapshotNow(0, 0)).toBe(l1);
    expect(h.exchange.stats.queries).toBe(before + 3);
  });

  // Depth subscribers hear of changes below the top; L1 subscribers do not.
  it('should update a depth subscriber when a level below the top changes', () => {
    const h = harness([{ name: 'A', cash: 1_000_000, lots: [100] }, { name: 'D' }]);
    h.client('D').at(0, { type: 'SubscribeMarketData', instrument: 0, depth: 5, minIntervalUs: 0 });
    h.client('A').at(10, limit('sell', 1000, 5, 1));
    h.client('A').at(20, limit('sell', 1010, 5, 2)); // second level only
    h.run();
    const last = asSnapshot(h.client('D').snapshots.at(-1)!);
    expect(last.asks).toEqual([1000, 5, 1010, 5]);
  });
});

describe('Exchange — observation', () => {
  it('should emit TradeExecuted caused by the PlaceOrder delivery, and BookChanged on top-of-book changes', () => {
    const h = harness([
      { name: 'S', lots: [100] },
      { name: 'B', cash: 1_000_000 },
    ]);
    const events: SimEvent[] = [];
    h.kernel.events$.subscribe((e) => events.push(e));
    const S = h.client('S');
    const B = h.client('B');
    S.at(10, limit('sell', 1000, 20, 1));
    S.at(15, limit('sell', 1010, 5, 2)); // not the top: no BookChanged
    B.at(20, place('buy', 'limit-ioc', 1000, 5, 1));
    B.at(30, limit('buy', 1000, 20, 2)); // takes the rest of 1000, rests 5
    h.run();

    const trades = events.filter((e): e is TradeExecuted => e.type === 'TradeExecuted');
    expect(trades.map((t) => [t.price, t.qty, t.aggressor, t.buyer, t.seller])).toEqual([
      [1000, 5, 'buy', B.id, S.id],
      [1000, 15, 'buy', B.id, S.id],
    ]);
    const sells = S.sent;
    const buys = B.sent;
    expect(trades[0]).toMatchObject({ causeId: buys[0]!.deliveryId, makerOrderId: S.orderId(1), takerOrderId: B.orderId(1), time: 20 });
    expect(trades[1]).toMatchObject({ causeId: buys[1]!.deliveryId, makerOrderId: S.orderId(1), takerOrderId: B.orderId(2), time: 30 });
    for (const [i, t] of trades.entries()) {
      expect(h.kernel.causeOf(t.id)).toBe(t.causeId);
      // trade ← PlaceOrder delivery ← the client's wake-up ← the run's start
      expect(h.kernel.causalChain(t.id)).toEqual([buys[i]!.deliveryId, buys[i]!.wakeupId]);
    }

    const books = events.filter((e): e is BookChanged => e.type === 'BookChanged');
    expect(books.map((b) => [b.bidPrice, b.bidQty, b.askPrice, b.askQty])).toEqual([
      [NO_PRICE, 0, 1000, 20],
      [NO_PRICE, 0, 1000, 15],
      [1000, 5, 1010, 5],
    ]);
    expect(books.map((b) => b.causeId)).toEqual([sells[0]!.deliveryId, buys[0]!.deliveryId, buys[1]!.deliveryId]);

    // Every report sent is observed too, with the agent it went to, in sending order.
    const reported = events.filter((e): e is OrderReported => e.type === 'OrderReported');
    for (const c of [S, B]) expect(reported.filter((e) => e.agent === c.id).map((e) => e.report)).toEqual(c.reports);
    expect(reported).toHaveLength(S.reports.length + B.reports.length);
    // Ids are unique and increasing in emission order.
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
