import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { NoiseTrader, type NoiseTraderOptions } from '../../src/agents/noise-trader.js';
import { FakeExchange, book, EMPTY_BOOK, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

function setup(options: Partial<NoiseTraderOptions>, fake: FakeExchangeOptions = {}, seed: number | string = 1) {
  const kernel = new Kernel({ seed });
  const ex = kernel.register(new FakeExchange('exchange', fake));
  const agent = kernel.register(new NoiseTrader('noise', { exchange: ex.id, instrument: 0, ...options }));
  return { kernel, ex, agent };
}

describe('NoiseTrader', () => {
  it('should arrive as a Poisson process at the configured rate', () => {
    const { kernel, ex, agent } = setup({ meanInterArrivalUs: SECOND, shortSelling: true }, { book: () => book(99, 101) });
    const horizon = 2_000 * SECOND;
    kernel.runUntil(horizon);
    const times = ex.queries().map((r) => r.time);
    // Expected 2000 arrivals, sd ≈ 45.
    expect(Math.abs(times.length - 2000)).toBeLessThan(200);
    expect(agent.arrivals).toBe(times.length);
    // Exponential gaps: mean ≈ 1 s and coefficient of variation ≈ 1 (a fixed period would give 0).
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean / SECOND).toBeGreaterThan(0.9);
    expect(mean / SECOND).toBeLessThan(1.1);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('should pick sides about 50/50 and price within its offsets of the mid, sizes within bounds', () => {
    const { kernel, ex } = setup(
      { meanInterArrivalUs: SECOND, shortSelling: true, minQty: 2, maxQty: 7, offset: { kind: 'uniform', maxTicks: 3 }, marketOrderProb: 0.1, maxOpenOrders: 1000 },
      { book: () => book(100, 101), fillMarketable: false },
    );
    kernel.runUntil(2_000 * SECOND);
    const orders = ex.placed();
    expect(orders.length).toBeGreaterThan(1500);
    const buys = orders.filter((o) => o.side === 'buy').length;
    expect(buys / orders.length).toBeGreaterThan(0.45);
    expect(buys / orders.length).toBeLessThan(0.55);
    const market = orders.filter((o) => o.orderType === 'market').length;
    expect(market / orders.length).toBeGreaterThan(0.07);
    expect(market / orders.length).toBeLessThan(0.13);
    const mid = 100.5;
    const seen = new Set<number>();
    const bad: unknown[] = [];
    for (const o of orders) {
      if (o.qty < 2 || o.qty > 7) bad.push(o);
      if (o.orderType === 'market') continue;
      if (o.orderType !== 'limit' || Math.abs(o.price - mid) > 3.5) bad.push(o);
      // Half-tick mid rounds toward the passive side: buys down, sells up.
      seen.add(o.side === 'buy' ? o.price - 100 : o.price - 101);
    }
    expect(bad).toEqual([]);
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    const sizes = new Set(orders.map((o) => o.qty));
    expect(sizes).toEqual(new Set([2, 3, 4, 5, 6, 7]));
  });

  it('should only buy when it holds nothing on a spot venue, and sell no more than it holds', () => {
    const flat = setup({ maxQty: 10, marketOrderProb: 0 }, { book: () => book(99, 101), fillMarketable: false });
    flat.kernel.runUntil(200 * SECOND);
    expect(flat.ex.placed().length).toBeGreaterThan(100);
    expect(flat.ex.placed().every((o) => o.side === 'buy')).toBe(true);

    const holder = setup({ maxQty: 10, marketOrderProb: 0, initialPosition: 3 }, { book: () => book(99, 101), fillMarketable: false });
    holder.kernel.runUntil(200 * SECOND);
    const sells = holder.ex.placed().filter((o) => o.side === 'sell');
    expect(sells.length).toBeGreaterThan(0);
    for (const s of sells) expect(s.qty).toBeLessThanOrEqual(3);
    // Lots committed to resting sells never exceed the holding.
    const restingSells = holder.ex.restingOf(holder.agent.id, 'sell').reduce((a, o) => a + o.remaining, 0);
    expect(restingSells).toBeLessThanOrEqual(3);
  });

  it('should cancel its oldest order when over maxOpenOrders', () => {
    const { kernel, ex, agent } = setup({ shortSelling: true, marketOrderProb: 0, maxOpenOrders: 3, offset: { kind: 'uniform', maxTicks: 0 } }, { book: () => book(99, 101), fillMarketable: false });
    // Check at every cancel that it targets the oldest order still resting.
    let checked = 0;
    kernel.setStepHook({
      afterStep: () => {
        const last = ex.received[ex.received.length - 1];
        if (last === undefined || last.message.type !== 'CancelOrder' || last.time !== kernel.now) return;
        expect(ex.resting.size).toBeLessThanOrEqual(3);
        checked++;
      },
    });
    kernel.runUntil(100 * SECOND);
    const cancels = ex.cancels();
    expect(cancels.length).toBeGreaterThan(50);
    expect(checked).toBe(cancels.length);
    // Orders are cancelled oldest first: cancelled ids are 1, 2, 3, … in order.
    expect(cancels.map((c) => c.orderId)).toEqual(cancels.map((_, i) => i + 1));
    expect(ex.resting.size).toBeLessThanOrEqual(3);
    expect(agent.tracker.openCount).toBe(ex.resting.size);
  });

  it('should cancel orders older than orderLifetimeUs', () => {
    const { kernel, ex } = setup({ shortSelling: true, marketOrderProb: 0, maxOpenOrders: 100, orderLifetimeUs: 5 * SECOND }, { book: () => book(99, 101), fillMarketable: false });
    kernel.runUntil(300 * SECOND);
    expect(ex.cancels().length).toBeGreaterThan(200);
    // At the last arrival every order at least a lifetime old was cancelled.
    const lastArrival = ex.queries().at(-1)?.time ?? 0;
    expect(ex.resting.size).toBeGreaterThan(0);
    for (const o of ex.resting.values()) expect(o.placedAt).toBeGreaterThan(lastArrival - 5 * SECOND);
  });

  it('should survive rejections without retrying', () => {
    const { kernel, ex, agent } = setup({ shortSelling: true }, { book: () => book(99, 101), rejectAll: 'INSUFFICIENT_CASH' });
    kernel.runUntil(500 * SECOND);
    expect(ex.placed().length).toBe(ex.queries().length);
    expect(agent.tracker.rejections).toBe(ex.placed().length);
    expect(agent.tracker.openCount).toBe(0);
    expect(agent.tracker.committedBuyQty).toBe(0);
    expect(agent.tracker.committedSellQty).toBe(0);
  });

  it('should fall back to the last price, then the fundamental, then a lone side, else not trade', () => {
    const opts = { shortSelling: true, marketOrderProb: 0, offset: { kind: 'uniform', maxTicks: 2 } } as const;
    const last = setup(opts, { book: () => book(0, 0, 500), fillMarketable: false });
    last.kernel.runUntil(50 * SECOND);
    expect(last.ex.placed().length).toBeGreaterThan(0);
    for (const o of last.ex.placed()) expect(Math.abs(o.price - 500)).toBeLessThanOrEqual(2);

    const fund = setup({ ...opts, fundamental: { valueAt: () => 700 } }, { book: () => EMPTY_BOOK });
    fund.kernel.runUntil(50 * SECOND);
    expect(fund.ex.placed().length).toBeGreaterThan(0);
    for (const o of fund.ex.placed()) expect(Math.abs(o.price - 700)).toBeLessThanOrEqual(2);

    const lone = setup(opts, { book: () => book(0, 300), fillMarketable: false });
    lone.kernel.runUntil(50 * SECOND);
    for (const o of lone.ex.placed()) expect(Math.abs(o.price - 300)).toBeLessThanOrEqual(2);

    const none = setup(opts, { book: () => EMPTY_BOOK });
    none.kernel.runUntil(50 * SECOND);
    expect(none.ex.queries().length).toBeGreaterThan(0);
    expect(none.ex.placed()).toEqual([]);
  });

  it('should book position and cash from fills, fees included', () => {
    const { kernel, ex, agent } = setup({ shortSelling: true, marketOrderProb: 1, minQty: 1, maxQty: 1, initialCash: 10_000, minorPerTickLot: 2 }, { book: () => book(99, 101) });
    kernel.runUntil(100 * SECOND);
    const orders = ex.placed();
    const buys = orders.filter((o) => o.side === 'buy').length;
    const sells = orders.length - buys;
    expect(agent.position).toBe(buys - sells);
    expect(agent.tracker.cash).toBe(10_000 - buys * 101 * 2 + sells * 99 * 2);
    expect(agent.tracker.openCount).toBe(0);
  });

  it('should stay within startUs and endUs', () => {
    const { kernel, ex } = setup({ startUs: 10 * SECOND, endUs: 20 * SECOND }, { book: () => book(99, 101) });
    kernel.runUntil(100 * SECOND);
    const times = ex.queries().map((r) => r.time);
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) {
      expect(t).toBeGreaterThan(10 * SECOND);
      expect(t).toBeLessThanOrEqual(20 * SECOND);
    }
  });

  it('should reject bad options', () => {
    expect(() => new NoiseTrader('n', { exchange: 0, instrument: 0, minQty: 5, maxQty: 2 })).toThrow(RangeError);
    expect(() => new NoiseTrader('n', { exchange: 0, instrument: 0, marketOrderProb: 2 })).toThrow(RangeError);
    expect(() => new NoiseTrader('n', { exchange: 0, instrument: 0, meanInterArrivalUs: 0 })).toThrow(RangeError);
  });
  describe('once (ABIDES rmsc04: one order per agent per day)', () => {
    it('should arrive exactly once, at a time spread uniformly over [startUs, endUs], for every seed', () => {
      const times: number[] = [];
      for (let seed = 1; seed <= 400; seed++) {
        const { kernel, ex, agent } = setup({ once: true, startUs: 100 * SECOND, endUs: 1_100 * SECOND, meanInterArrivalUs: SECOND, shortSelling: true }, { book: () => book(99, 101) }, seed);
        kernel.runUntil(5_000 * SECOND);
        const queries = ex.queries();
        expect(queries.length).toBe(1);
        expect(agent.arrivals).toBe(1);
        expect(ex.placed().length).toBe(1);
        times.push((queries[0] as { time: number }).time);
      }
      expect(Math.min(...times)).toBeGreaterThanOrEqual(100 * SECOND);
      expect(Math.max(...times)).toBeLessThanOrEqual(1_100 * SECOND);
      // Uniform on a 1000-s window: a quarter of the arrivals in each 250-s quarter (±~4.3 % sd at 400 draws).
      for (let q = 0; q < 4; q++) {
        const inQuarter = times.filter((t) => t >= (100 + 250 * q) * SECOND && t < (100 + 250 * (q + 1)) * SECOND).length;
        expect(inQuarter / times.length).toBeGreaterThan(0.15);
        expect(inQuarter / times.length).toBeLessThan(0.35);
      }
    });

    it('should refuse once without a finite endUs, or with endUs before startUs', () => {
      expect(() => setup({ once: true })).toThrow(/once needs a finite endUs/);
      expect(() => setup({ once: true, startUs: 10, endUs: 5 })).toThrow(/once needs endUs ≥ startUs/);
    });
  });
});
