/**
 * The close of a session: with day orders (expireAtClose), every resting order expires at
 * the next open, before anything else at that instant; its owner is told as
 * for any cancellation (reason `expired`) and its hold is released. The last
 * session's close (the end of the run) expires nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildHarness, limit } from '../helpers/exchange-harness.js';

const MIN = 60_000_000;
const SESSION = 10 * MIN;

function harness(count = 3, expireAtClose = true) {
  return buildHarness({
    clients: [
      { name: 'S', lots: [500] },
      { name: 'B', cash: 10_000_000 },
    ],
    sessions: { sessionUs: SESSION, count, expireAtClose },
  });
}

describe('session close', () => {
  it('expires resting orders at the open of the next session and tells their owners', () => {
    const h = harness();
    const S = h.client('S');
    const B = h.client('B');
    S.at(MIN, limit('sell', 1010, 20, 1));
    S.at(2 * MIN, limit('sell', 1020, 30, 2));
    B.at(3 * MIN, limit('buy', 990, 10, 3));
    // Sent at the open instant itself: it belongs to the new session and rests.
    B.at(SESSION, limit('buy', 995, 5, 4));
    h.run(SESSION + MIN);
    const expired = (c: typeof S) => c.reports.filter((r) => r.type === 'OrderCancelled' && r.reason === 'expired');
    expect(expired(S).map((r) => r.type === 'OrderCancelled' && [r.clientOrderId, r.qty])).toEqual([[1, 20], [2, 30]]);
    expect(expired(B).map((r) => r.type === 'OrderCancelled' && [r.clientOrderId, r.qty])).toEqual([[3, 10]]);
    const book = h.exchange.book(0);
    expect(book.size).toBe(1);
    expect(book.bestBid()).toBe(995);
    expect(book.bestAsk()).toBeUndefined();
    // Holds of the expired orders are released; only the new bid's remains.
    expect(h.ledger.heldPosition(h.account('S'), 0)).toBe(0);
    expect(h.ledger.heldCash(h.account('B'))).toBeGreaterThan(0);
    expect(h.exchange.stats.expired).toBe(3);
    expect(h.ledger.validateInvariants()).toEqual([]);
    expect(book.validateInternalState()).toEqual([]);
  });

  it('expires at every close but the last, and not at all in a one-session run', () => {
    const h = harness(3);
    const S = h.client('S');
    S.at(MIN, limit('sell', 1010, 1, 1));
    S.at(SESSION + MIN, limit('sell', 1010, 1, 2));
    S.at(2 * SESSION + MIN, limit('sell', 1010, 1, 3));
    h.run(3 * SESSION);
    expect(h.exchange.stats.expired).toBe(2);
    expect(h.exchange.book(0).size).toBe(1);

    const one = harness(1);
    one.client('S').at(MIN, limit('sell', 1010, 1, 1));
    one.run(2 * SESSION);
    expect(one.exchange.stats.expired).toBe(0);
    expect(one.exchange.book(0).size).toBe(1);
  });

  it('lets good-till-cancelled orders rest across every close', () => {
    const h = harness(3, false);
    const S = h.client('S');
    S.at(MIN, limit('sell', 1010, 1, 1));
    S.at(SESSION + MIN, limit('sell', 1011, 1, 2));
    h.run(3 * SESSION);
    expect(h.exchange.stats.expired).toBe(0);
    expect(S.reports.some((r) => r.type === 'OrderCancelled')).toBe(false);
    expect(h.exchange.book(0).size).toBe(2);
  });

  it('tells an owner who cancels an order that already expired that it is unknown, as for any order gone', () => {
    const h = harness();
    const S = h.client('S');
    S.at(MIN, limit('sell', 1010, 20, 1));
    h.run(SESSION + 1);
    const orderId = S.orderId(1);
    S.at(SESSION + 2, { type: 'CancelOrder', instrument: 0, orderId });
    h.run(SESSION + MIN);
    const last = S.reports[S.reports.length - 1];
    expect(last?.type === 'OrderRejected' && last.reason).toBe('UNKNOWN_ORDER');
  });
});
