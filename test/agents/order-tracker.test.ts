import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderTracker, type TrackedOrder } from '../../src/agents/order-tracker.js';
import type { OrderReport } from '../../src/market/order-messages.js';
import type { Side } from '../../src/market/side.js';

const accepted = (o: TrackedOrder, orderId: number): OrderReport => ({ type: 'OrderAccepted', instrument: 0, orderId, clientOrderId: o.clientOrderId, side: o.side, price: o.price, qty: o.qty });
const filled = (o: TrackedOrder, orderId: number, qty: number, remaining: number, price = o.price, fee = 0): OrderReport => ({
  type: 'OrderFilled',
  instrument: 0,
  orderId,
  clientOrderId: o.clientOrderId,
  side: o.side,
  price,
  qty,
  remaining,
  fee,
  liquidity: 'maker',
});
const cancelled = (o: TrackedOrder, orderId: number, qty: number): OrderReport => ({ type: 'OrderCancelled', instrument: 0, orderId, clientOrderId: o.clientOrderId, qty, reason: 'requested' });

function committed(t: OrderTracker, side: Side): number {
  let q = 0;
  for (const o of t.openOrders()) if (o.side === side && !o.cancelRequested) q += o.remaining;
  return q;
}

describe('OrderTracker', () => {
  it('should track an order from placement to fill, with position and cash including fees', () => {
    const t = new OrderTracker({ initialCash: 100_000, minorPerTickLot: 10 });
    const o = t.track('buy', 100, 5, 0);
    expect(o.clientOrderId).toBe(1);
    expect(t.committedBuyQty).toBe(5);
    t.apply(accepted(o, 77));
    expect(o.orderId).toBe(77);
    t.apply(filled(o, 77, 2, 3, 100, 7));
    expect(t.position).toBe(2);
    expect(t.cash).toBe(100_000 - 2 * 100 * 10 - 7);
    expect(o.remaining).toBe(3);
    expect(t.committedBuyQty).toBe(3);
    t.apply(filled(o, 77, 3, 0, 99, -2)); // rebate
    expect(t.position).toBe(5);
    expect(t.cash).toBe(100_000 - 2000 - 7 - 3 * 99 * 10 + 2);
    expect(t.feesPaid).toBe(5);
    expect(t.openCount).toBe(0);
    expect(t.committedBuyQty).toBe(0);
  });

  it('should owe a cancel requested before acceptance and pay it on acceptance', () => {
    const t = new OrderTracker();
    const o = t.track('sell', 100, 4, 0);
    expect(t.requestCancel(o)).toBe(0);
    expect(t.committedSellQty).toBe(0);
    expect(t.requestCancel(o)).toBe(0); // idempotent
    t.apply(accepted(o, 9));
    expect(t.takeOwedCancel(o)).toBe(9);
    expect(t.takeOwedCancel(o)).toBe(0);
    t.apply(cancelled(o, 9, 4));
    expect(t.openCount).toBe(0);
    expect(t.committedSellQty).toBe(0);
  });

  it('should forget rejected orders, and restore a refused cancel', () => {
    const t = new OrderTracker();
    const a = t.track('buy', 100, 4, 0);
    t.apply({ type: 'OrderRejected', instrument: 0, orderId: 0, clientOrderId: a.clientOrderId, reason: 'INSUFFICIENT_CASH' });
    expect(t.openCount).toBe(0);
    expect(t.committedBuyQty).toBe(0);
    expect(t.rejections).toBe(1);

    const b = t.track('buy', 100, 4, 0);
    t.apply(accepted(b, 3));
    expect(t.requestCancel(b)).toBe(3);
    t.apply({ type: 'OrderRejected', instrument: 0, orderId: 3, clientOrderId: b.clientOrderId, reason: 'MARKET_HALTED' });
    expect(b.cancelRequested).toBe(false);
    expect(t.committedBuyQty).toBe(4);
    expect(t.requestCancel(b)).toBe(3);
    t.apply({ type: 'OrderRejected', instrument: 0, orderId: 3, clientOrderId: 0, reason: 'UNKNOWN_ORDER' });
    expect(t.openCount).toBe(0);
    expect(t.committedBuyQty).toBe(0);
  });

  it('should handle a fill that overtakes its acceptance, and ignore reports of closed orders', () => {
    const t = new OrderTracker();
    const o = t.track('buy', 100, 4, 0);
    t.apply(filled(o, 12, 4, 0));
    expect(t.openCount).toBe(0);
    expect(t.position).toBe(4);
    expect(t.apply(accepted(o, 12))).toBeUndefined();
    expect(t.openCount).toBe(0);
    // A fill the tracker cannot place still moves the position.
    expect(t.apply(filled(o, 12, 1, 0))).toBeUndefined();
    expect(t.position).toBe(5);
  });

  it('should apply modifies to the committed quantity', () => {
    const t = new OrderTracker();
    const o = t.track('sell', 100, 10, 0);
    t.apply(accepted(o, 1));
    t.apply({ type: 'OrderModified', instrument: 0, orderId: 1, clientOrderId: o.clientOrderId, price: 101, qty: 6, keptPriority: true });
    expect(o).toMatchObject({ price: 101, qty: 6, remaining: 6 });
    expect(t.committedSellQty).toBe(6);
  });

  it('should keep oldest-first order and count live orders', () => {
    const t = new OrderTracker();
    const a = t.track('buy', 1, 1, 0);
    const b = t.track('buy', 1, 1, 1);
    t.track('sell', 1, 1, 2);
    expect(t.oldestLive()).toBe(a);
    t.requestCancel(a);
    expect(t.oldestLive()).toBe(b);
    expect(t.liveCount).toBe(2);
    expect(t.openCount).toBe(3);
  });

  it('should find orders left open while thousands of newer ones come and go, by client and venue id', () => {
    const t = new OrderTracker();
    const kept: TrackedOrder[] = [];
    for (let i = 1; i <= 12_000; i++) {
      const o = t.track(i % 2 === 0 ? 'buy' : 'sell', 100 + (i % 3), 2, i);
      t.apply(accepted(o, 1_000_000 + i));
      if (i % 997 === 1) kept.push(o);
      else t.apply(filled(o, 1_000_000 + i, 2, 0));
    }
    expect(t.openCount).toBe(kept.length);
    expect([...t.openOrders()]).toEqual(kept);
    for (const o of kept) expect(t.get(o.clientOrderId)).toBe(o);
    expect(t.get(2)).toBeUndefined();
    expect(t.openQtyAt('sell', 102)).toBe(kept.filter((o) => o.side === 'sell' && o.price === 102).length * 2);
    // The oldest: a refused cancel that names no client id still finds it by venue id.
    const first = kept[0] as TrackedOrder;
    expect(t.requestCancel(first)).toBe(first.orderId);
    t.apply({ type: 'OrderRejected', instrument: 0, orderId: first.orderId, clientOrderId: 0, reason: 'UNKNOWN_ORDER' });
    expect(t.get(first.clientOrderId)).toBeUndefined();
    for (const o of kept.slice(1)) t.apply(cancelled(o, o.orderId, 2));
    expect(t.openCount).toBe(0);
    expect([...t.openOrders()]).toEqual([]);
    const late = t.track('buy', 1, 1, 0);
    expect(t.get(late.clientOrderId)).toBe(late);
  });

  it('should keep committed quantities and position consistent over any valid report sequence', () => {
    // Ops on a small venue model that emits reports in order.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('place' as const), buy: fc.boolean(), qty: fc.integer({ min: 1, max: 9 }), reject: fc.boolean() }),
      fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), refuse: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const t = new OrderTracker();
        const venue = new Map<number, { o: TrackedOrder; remaining: number }>();
        let nextId = 1;
        let position = 0;
        for (const x of ops) {
          if (x.kind === 'place') {
            const o = t.track(x.buy ? 'buy' : 'sell', 100, x.qty, 0);
            if (x.reject) {
              t.apply({ type: 'OrderRejected', instrument: 0, orderId: 0, clientOrderId: o.clientOrderId, reason: 'INSUFFICIENT_CASH' });
            } else {
              const id = nextId++;
              venue.set(id, { o, remaining: x.qty });
              t.apply(accepted(o, id));
            }
          } else {
            const ids = [...venue.keys()];
            if (ids.length === 0) continue;
            const id = ids[x.pick % ids.length] as number;
            const v = venue.get(id) as { o: TrackedOrder; remaining: number };
            if (x.kind === 'fill') {
              const q = Math.min(x.qty, v.remaining);
              v.remaining -= q;
              if (v.remaining === 0) venue.delete(id);
              position += v.o.side === 'buy' ? q : -q;
              t.apply(filled(v.o, id, q, v.remaining));
            } else {
              const sent = t.requestCancel(v.o);
              if (sent === 0) continue;
              if (x.refuse) {
                t.apply({ type: 'OrderRejected', instrument: 0, orderId: id, clientOrderId: v.o.clientOrderId, reason: 'MARKET_HALTED' });
              } else {
                venue.delete(id);
                t.apply(cancelled(v.o, id, v.remaining));
              }
            }
          }
          expect(t.position).toBe(position);
          expect(t.openCount).toBe(venue.size);
          expect(t.committedBuyQty).toBe(committed(t, 'buy'));
          expect(t.committedSellQty).toBe(committed(t, 'sell'));
          expect(t.liveCount).toBe([...t.openOrders()].filter((o) => !o.cancelRequested).length);
          for (const [id, v] of venue) {
            expect(t.get(v.o.clientOrderId)?.remaining).toBe(v.remaining);
            expect(v.o.orderId).toBe(id);
          }
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
