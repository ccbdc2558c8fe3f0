import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { NO_PRICE } from '../../src/market/market-data.js';
import type { CancelOrder, PlaceOrder } from '../../src/market/order-messages.js';
import { OrderFlowTrader, type OrderFlowTraderOptions } from '../../src/agents/order-flow-trader.js';
import { FakeExchange, book, EMPTY_BOOK, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

const DEFAULTS = {
  meanLimitInterArrivalUs: SECOND,
  meanMarketInterArrivalUs: 4 * SECOND,
  meanOrderLifetimeUs: 60 * SECOND,
  distanceScaleTicks: 2,
  distanceTailExponent: 1.5,
  maxDistanceTicks: 100,
  insideSpreadProb: 0,
  minQty: 1,
  maxQty: 100,
  sizeTailExponent: 1.5,
  signHurst: 0.5,
  maxOpenOrders: 200,
  shortSelling: true,
};

function setup(options: Partial<OrderFlowTraderOptions>, fake: FakeExchangeOptions = { book: () => book(1000, 1002) }, seed: number | string = 1) {
  const kernel = new Kernel({ seed });
  const ex = kernel.register(new FakeExchange('exchange', fake));
  const agent = kernel.register(new OrderFlowTrader('zi', { exchange: ex.id, instrument: 0, ...DEFAULTS, ...options }));
  return { kernel, ex, agent };
}

describe('OrderFlowTrader', () => {
  it('should send limit and market orders as Poisson streams at their rates', () => {
    const { kernel, ex, agent } = setup({ meanOrderLifetimeUs: Infinity });
    kernel.runUntil(4_000 * SECOND);
    const placed = ex.placed();
    const limits = placed.filter((o) => o.orderType === 'limit').length;
    const markets = placed.filter((o) => o.orderType === 'market').length;
    // Expected 4000 (sd 63) and 1000 (sd 32).
    expect(Math.abs(limits - 4000)).toBeLessThan(250);
    expect(Math.abs(markets - 1000)).toBeLessThan(130);
    expect(agent.limitArrivals).toBe(ex.queries().length);
    // Exponential gaps between limit arrivals: coefficient of variation ≈ 1.
    const times = ex.queries().map((q) => q.time);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('should rest limit orders behind the same-side best with heavy-tailed distances, never crossing', () => {
    const { kernel, ex } = setup({ meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: Infinity, maxOpenOrders: 10_000 });
    kernel.runUntil(6_000 * SECOND);
    const d = ex.placed().map((o) => (o.side === 'buy' ? 1000 - o.price : o.price - 1002));
    expect(d.length).toBeGreaterThan(5000);
    expect(Math.min(...d)).toBe(0);
    const at = (k: number) => d.filter((x) => x >= k).length / d.length;
    // P(d ≥ k) = (1 + k/2)^−1.5: 0.19 at k = 4, 0.0029 at 80 against e^−… ≈ 0 for a light tail.
    expect(at(4)).toBeGreaterThan(0.15);
    expect(at(4)).toBeLessThan(0.23);
    expect(at(40)).toBeGreaterThan(0.005);
    expect(Math.max(...d)).toBeLessThanOrEqual(100);
    const buys = ex.placed().filter((o) => o.side === 'buy').length / d.length;
    expect(Math.abs(buys - 0.5)).toBeLessThan(0.03);
  });

  it("should with distanceLaw 'linear' rest orders at a density growing with the distance: depth within x ticks ∝ x²", () => {
    const { kernel, ex } = setup({ distanceLaw: 'linear', maxDistanceTicks: 99, meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: Infinity, maxOpenOrders: 10_000 });
    kernel.runUntil(6_000 * SECOND);
    const d = ex.placed().map((o) => (o.side === 'buy' ? 1000 - o.price : o.price - 1002));
    expect(d.length).toBeGreaterThan(5000);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d)).toBeLessThanOrEqual(99);
    const within = (k: number) => d.filter((x) => x < k).length / d.length;
    // P(d < k) = (k/100)²: 0.04 within 20 ticks, 0.25 within 50 (a uniform law gives 0.2 and 0.5; Lomax far more).
    expect(within(20)).toBeGreaterThan(0.03);
    expect(within(20)).toBeLessThan(0.05);
    expect(within(50)).toBeGreaterThan(0.23);
    expect(within(50)).toBeLessThan(0.27);
  });

  it('should improve a wide spread with insideSpreadProb, strictly inside', () => {
    const { kernel, ex } = setup({ meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: Infinity, insideSpreadProb: 0.3, maxOpenOrders: 10_000 }, { book: () => book(1000, 1010) });
    kernel.runUntil(3_000 * SECOND);
    const placed = ex.placed();
    const inside = placed.filter((o) => o.price > 1000 && o.price < 1010).length / placed.length;
    expect(Math.abs(inside - 0.3)).toBeLessThan(0.04);
    for (const o of placed) expect(o.side === 'buy' ? o.price < 1010 : o.price > 1000).toBe(true);
  });

  it('should anchor an empty side to the other side, then to the last trade, and send nothing with neither', () => {
    const askOnly = setup({ meanMarketInterArrivalUs: Infinity }, { book: () => book(NO_PRICE, 1002) });
    askOnly.kernel.runUntil(200 * SECOND);
    for (const o of askOnly.ex.placed()) expect(o.side === 'buy' ? o.price <= 1001 : o.price >= 1002).toBe(true);
    expect(askOnly.ex.placed().some((o) => o.side === 'buy' && o.price === 1001)).toBe(true);

    const lastOnly = setup({ meanMarketInterArrivalUs: Infinity }, { book: () => book(NO_PRICE, NO_PRICE, 500) });
    lastOnly.kernel.runUntil(200 * SECOND);
    for (const o of lastOnly.ex.placed()) expect(o.side === 'buy' ? o.price <= 500 : o.price >= 500).toBe(true);

    const nothing = setup({ meanMarketInterArrivalUs: Infinity }, { book: () => EMPTY_BOOK });
    nothing.kernel.runUntil(100 * SECOND);
    expect(nothing.ex.placed()).toEqual([]);
    expect(nothing.agent.limitArrivals).toBeGreaterThan(50);
  });

  it('should cancel each resting order at rate 1/lifetime: Little’s law gives λτ resting orders', () => {
    // λ = 10 limit orders/s, τ = 5 s: 50 resting on average, far below the cap of 200.
    const { kernel, ex, agent } = setup({ meanLimitInterArrivalUs: 100_000, meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: 5 * SECOND, maxOpenOrders: 200 });
    kernel.runUntil(30 * SECOND);
    let sum = 0;
    let n = 0;
    for (let s = 31; s <= 630; s++) {
      kernel.runUntil(s * SECOND);
      sum += agent.restingCount;
      n++;
      expect(agent.restingCount).toBeLessThanOrEqual(200);
    }
    expect(Math.abs(sum / n - 50)).toBeLessThan(6);
    expect(ex.cancels().length).toBe(agent.lifetimeCancels);
    expect(agent.lifetimeCancels).toBeGreaterThan(5000);
  });

  it('should let far orders live longer with cancelDistanceExponent: lifetime × (1 + d)^β', () => {
    const lifetimes = (beta: number) => {
      const { kernel, ex } = setup({ meanLimitInterArrivalUs: 100_000, meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: SECOND, cancelDistanceExponent: beta, maxOpenOrders: 1000 });
      kernel.runUntil(600 * SECOND);
      // The fake exchange numbers orders 1, 2, … in arrival order.
      const placed = ex.received.filter((r) => r.message.type === 'PlaceOrder');
      const byDistance = new Map<number, number[]>();
      for (const r of ex.received) {
        if (r.message.type !== 'CancelOrder') continue;
        const p = placed[(r.message as CancelOrder).orderId - 1]!;
        const o = p.message as PlaceOrder;
        const d = o.side === 'buy' ? 1000 - o.price : o.price - 1002;
        const key = Math.min(d, 3);
        byDistance.set(key, [...(byDistance.get(key) ?? []), r.time - p.time]);
      }
      const mean = (k: number) => byDistance.get(k)!.reduce((a, b) => a + b, 0) / byDistance.get(k)!.length / SECOND;
      return [mean(0), mean(1)];
    };
    const [flat0, flat1] = lifetimes(0);
    expect(flat0).toBeGreaterThan(0.85);
    expect(flat0).toBeLessThan(1.15);
    expect(flat1).toBeGreaterThan(0.85);
    expect(flat1).toBeLessThan(1.15);
    const [near, far] = lifetimes(1);
    // β = 1: mean life 1 s at d = 0, 2 s at d = 1.
    expect(near).toBeGreaterThan(0.85);
    expect(near).toBeLessThan(1.15);
    expect(far).toBeGreaterThan(1.7);
    expect(far).toBeLessThan(2.3);
  });

  it('should wake for cancellation at most once per order, never while nothing rests', () => {
    // One limit order per 100 s, each living 1 s: a clock per slot would tick 100 times a second.
    const { kernel, ex, agent } = setup({ meanLimitInterArrivalUs: 100 * SECOND, meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: SECOND, maxOpenOrders: 100 });
    kernel.runUntil(5_000 * SECOND);
    expect(agent.limitArrivals).toBeGreaterThan(30);
    expect(agent.cancelWakeups).toBeLessThanOrEqual(agent.limitArrivals);
    expect(agent.lifetimeCancels).toBeGreaterThanOrEqual(agent.limitArrivals - 1);
    expect(ex.resting.size).toBeLessThanOrEqual(1);
  });

  it('should keep at most maxOpenOrders resting, cancelling the oldest to make room', () => {
    const { kernel, ex, agent } = setup({ meanLimitInterArrivalUs: 10_000, meanMarketInterArrivalUs: Infinity, meanOrderLifetimeUs: Infinity, maxOpenOrders: 20 });
    for (let s = 1; s <= 30; s++) {
      kernel.runUntil(s * SECOND);
      expect(agent.restingCount).toBeLessThanOrEqual(20);
      expect(ex.resting.size).toBeLessThanOrEqual(21); // one cancel may be in flight
    }
    expect(ex.cancels().length).toBeGreaterThan(2500);
    // The survivors are the newest orders.
    const survivors = [...ex.resting.values()].map((o) => o.clientOrderId).sort((a, b) => a - b);
    expect(survivors[0]).toBeGreaterThan(agent.limitArrivals - 25);
  });

  it('should be deterministic by seed', () => {
    const trace = (seed: string) => {
      const { kernel, ex } = setup({ signHurst: 0.75, meanOrderLifetimeUs: 10 * SECOND, maxOpenOrders: 30 }, { book: () => book(1000, 1003) }, seed);
      kernel.runUntil(500 * SECOND);
      return JSON.stringify(ex.received);
    };
    const a = trace('a');
    expect(trace('a')).toBe(a);
    expect(trace('b')).not.toBe(a);
    expect(a).toContain('"CancelOrder"');
  });

  it('should on a spot venue sell only what it holds (property: never a sell beyond the holding, prices ≥ 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1000 }), (holding, maxOpen, seed) => {
        const { kernel, ex, agent } = setup(
          { shortSelling: false, initialPosition: holding, maxOpenOrders: maxOpen, meanOrderLifetimeUs: maxOpen * 2 * SECOND, maxQty: 40 },
          { book: () => book(3, 6), fillMarketable: false },
          seed,
        );
        kernel.runUntil(60 * SECOND);
        const sold = ex.placed().filter((o) => o.side === 'sell').reduce((a, o) => a + o.qty, 0);
        const restingSells = ex.restingOf(agent.id, 'sell').reduce((a, o) => a + o.remaining, 0);
        return restingSells <= holding && (holding > 0 || sold === 0) && ex.placed().every((o) => o.price >= 1) && agent.restingCount <= maxOpen;
      }),
      { numRuns: 40 },
    );
  });

  it('should with valueTilt lean its sides toward the fundamental in proportion to the gap, limit and market orders alike', () => {
    const buyShare = (value: number, valueTilt: number) => {
      const { kernel, ex } = setup({ valueTilt, fundamental: { valueAt: () => value }, meanOrderLifetimeUs: Infinity, maxOpenOrders: 10_000 });
      kernel.runUntil(4_000 * SECOND);
      const share = (type: string) => {
        const orders = ex.placed().filter((o) => o.orderType === type);
        return orders.filter((o) => o.side === 'buy').length / orders.length;
      };
      return { limit: share('limit'), market: share('market') };
    };
    // Mid 1001, V = 1051: lean 10·50/1051 = 0.476, so buys ½ + ½·0.476 = 0.738 (sd ≈ 0.007 on 4,000 limits, 0.014 on 1,000 markets).
    const above = buyShare(1051, 10);
    expect(Math.abs(above.limit - 0.738)).toBeLessThan(0.03);
    expect(Math.abs(above.market - 0.738)).toBeLessThan(0.05);
    // Below value the lean is to sell, by the same amount.
    const below = buyShare(951, 10);
    expect(Math.abs(below.limit - 0.262)).toBeLessThan(0.03);
    // At value, or with the tilt off, the flow is the zero-intelligence flow.
    expect(Math.abs(buyShare(1001, 10).limit - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(buyShare(1051, 0).limit - 0.5)).toBeLessThan(0.03);
    // A gap beyond 1/κ turns every order.
    expect(buyShare(1200, 10).limit).toBe(1);
  });

  it('should refuse a distance law without a finite mean and a lifetime under 1 ms', () => {
    expect(() => setup({ valueTilt: 5 })).toThrow(/valueTilt needs a fundamental/);
    expect(() => setup({ valueTilt: -1, fundamental: { valueAt: () => 1000 } })).toThrow(RangeError);
    expect(() => setup({ distanceTailExponent: 1 })).toThrow(/mean distance is infinite/);
    expect(() => setup({ distanceLaw: 'pareto' as never })).toThrow(/distanceLaw must be 'lomax' or 'linear'/);
    expect(() => setup({ meanOrderLifetimeUs: 500 })).toThrow(RangeError);
    expect(() => setup({ meanLimitInterArrivalUs: -5 })).toThrow(RangeError);
  });
});
