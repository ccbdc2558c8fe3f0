import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FundamentalArbitrageur, type FundamentalArbitrageurOptions } from '../../src/agents/fundamental-arbitrageur.js';
import { Kernel } from '../../src/engine/kernel.js';
import { NO_PRICE } from '../../src/market/market-data.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { FakeExchange, book, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

/** Cash 1e8 and 10 000 lots at a 10 000-tick mid: equity worth 20 000 lots. */
function setup(value: (t: number) => number, options: Partial<FundamentalArbitrageurOptions> = {}, fake: FakeExchangeOptions = {}) {
  const kernel = new Kernel({ seed: 11 });
  const ex = kernel.register(new FakeExchange('exchange', { book: () => book(9_999, 10_001), ...fake }));
  const agent = kernel.register(
    new FundamentalArbitrageur('farb', {
      exchange: ex.id,
      instrument: 0,
      fundamental: { valueAt: value },
      observationSdTicks: 0,
      initialCash: 100_000_000,
      initialPosition: 10_000,
      maxPosition: 1_000_000,
      gain: 100,
      meanInterArrivalUs: SECOND,
      executionHorizonUs: 10 * SECOND,
      sliceIntervalUs: SECOND,
      limitEdgeTicks: 0,
      minTradeQty: 1,
      ...options,
    }),
  );
  return { kernel, ex, agent };
}

describe('FundamentalArbitrageur', () => {
  it('should target a deviation proportional to the mispricing, k·(V̂ − mid)/V̂·W/mid, and buy toward it', () => {
    const deviation = (v: number) => {
      const { kernel, agent } = setup(() => v, {}, { fillMarketable: false });
      kernel.runUntil(5 * SECOND);
      expect(agent.evaluations).toBeGreaterThan(0);
      return agent.target - agent.neutralPosition;
    };
    // W = 1e8 + 10 000 × 10 000 = 2e8 minor units = 20 000 lots at the mid.
    expect(deviation(10_050)).toBe(Math.trunc(100 * (50 / 10_050) * 20_000));
    expect(deviation(10_100)).toBe(Math.trunc(100 * (100 / 10_100) * 20_000));
    expect(deviation(10_100) / deviation(10_050)).toBeCloseTo((100 / 10_100) / (50 / 10_050), 3);
    expect(deviation(10_000)).toBe(0);
    expect(deviation(9_990)).toBe(Math.trunc(100 * (-10 / 9_990) * 20_000));
  });

  it('should buy when its value is above the mid and sell when below, through IOC children', () => {
    const up = setup(() => 10_020);
    up.kernel.runUntil(30 * SECOND);
    const buys = up.ex.placed(up.agent.id);
    expect(buys.length).toBeGreaterThan(3);
    for (const o of buys) expect(o).toMatchObject({ side: 'buy', orderType: 'limit-ioc' });
    expect(up.agent.position).toBeGreaterThan(up.agent.neutralPosition);

    const down = setup(() => 9_980);
    down.kernel.runUntil(30 * SECOND);
    const sells = down.ex.placed(down.agent.id);
    expect(sells.length).toBeGreaterThan(3);
    for (const o of sells) expect(o).toMatchObject({ side: 'sell', orderType: 'limit-ioc' });
    expect(down.agent.position).toBeLessThan(down.agent.neutralPosition);
  });

  it('should reach its target and then stop trading', () => {
    const { kernel, ex, agent } = setup(() => 10_010, { gain: 10, executionHorizonUs: 4 * SECOND });
    kernel.runUntil(60 * SECOND);
    const target = agent.neutralPosition + Math.trunc(10 * (10 / 10_010) * 20_000);
    // W moves with its fills (it pays 10 001 for lots marked at 10 000), by a lot at most.
    expect(Math.abs(agent.position - target)).toBeLessThanOrEqual(1);
    const n = ex.placed(agent.id).length;
    kernel.runUntil(120 * SECOND);
    expect(ex.placed(agent.id).length).toBe(n);
  });

  it('should clamp the target to ±maxPosition and never sell below zero lots on a spot venue', () => {
    const capped = setup(() => 20_000, { maxPosition: 300 }, { fillMarketable: false });
    capped.kernel.runUntil(5 * SECOND);
    expect(capped.agent.target).toBe(10_300);
    const flat = setup(() => 5_000, { maxPosition: 1_000_000 }, { fillMarketable: false });
    flat.kernel.runUntil(5 * SECOND);
    expect(flat.agent.target).toBe(0);
  });

  it('should size buys within its cash instead of drawing rejections', () => {
    const { kernel, ex, agent } = setup(() => 20_000, { initialCash: 1_000_000, initialPosition: 0, maxPosition: 1_000_000, executionHorizonUs: 2 * SECOND });
    kernel.runUntil(30 * SECOND);
    const bought = ex.placed(agent.id).reduce((s, o) => s + o.qty, 0);
    expect(bought).toBeGreaterThan(0);
    // 1e6 minor units buy at most ⌊1e6 / (10 001 · 1.01 + 2)⌋ lots at the ask (the sizing limit is at V̂ = 20 000, so fewer).
    expect(bought).toBeLessThanOrEqual(Math.floor(1_000_000 / 10_001));
    expect(agent.tracker.cash).toBeGreaterThanOrEqual(0);
    expect(agent.tracker.rejections).toBe(0);
  });

  it('should never pay more than V̂ − limitEdgeTicks nor sell below V̂ + limitEdgeTicks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 9_900, max: 10_100 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (value, spread, edge, cross) => {
        const bid = 10_000 - spread;
        const ask = 10_000 + spread;
        const { kernel, ex, agent } = setup(() => value, { limitEdgeTicks: edge, crossTicks: cross, gain: 20 }, { book: () => book(bid, ask) });
        kernel.runUntil(20 * SECOND);
        for (const o of ex.placed(agent.id)) {
          if (o.side === 'buy') expect(o.price).toBeLessThanOrEqual(value - edge);
          else expect(o.price).toBeGreaterThanOrEqual(value + edge);
          expect(o.price).toBe(o.side === 'buy' ? Math.min(value - edge, ask + cross) : Math.max(value + edge, bid - cross));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('should cancel its parent when the target reverses, and work a new one on the other side', () => {
    const flip = 20 * SECOND;
    const { kernel, ex, agent } = setup((t) => (t < flip ? 10_050 : 9_950), { executionHorizonUs: 60 * SECOND }, { fillMarketable: false });
    kernel.runUntil(flip - 1);
    expect(agent.parentsStarted).toBe(1);
    expect(agent.executor.state).toBe('working');
    expect(ex.placed(agent.id).every((o) => o.side === 'buy')).toBe(true);
    kernel.runUntil(flip + 5 * SECOND);
    expect(agent.parentsCancelled).toBe(1);
    expect(agent.parentsStarted).toBe(2);
    const after = ex.received.filter((r) => r.from === agent.id && r.message.type === 'PlaceOrder' && r.time >= flip);
    expect(after.length).toBeGreaterThan(0);
    // Spot: it sells down toward the lower target from the lots it holds.
    for (const r of after) expect((r.message as PlaceOrder).side).toBe('sell');
  });

  it('should keep a working parent while the target stays within minTradeQty', () => {
    let v = 10_050;
    const { kernel, agent } = setup(() => v, { minTradeQty: 50, executionHorizonUs: 60 * SECOND }, { fillMarketable: false });
    kernel.runUntil(10 * SECOND);
    expect(agent.parentsStarted).toBe(1);
    v = 10_050.1; // a change far below minTradeQty lots, same limit ⌊V̂⌋
    kernel.runUntil(30 * SECOND);
    expect(agent.parentsStarted).toBe(1);
    expect(agent.parentsCancelled).toBe(0);
  });

  it('should re-evaluate on throttled book updates when subscribed, and only then', () => {
    let bid = 9_999;
    const { kernel, ex, agent } = setup(() => 10_050, { minIntervalUs: 500_000, meanInterArrivalUs: 1_000 * SECOND }, { book: () => book(bid, bid + 2), fillMarketable: false });
    kernel.runUntil(0);
    expect(ex.subscribers).toEqual([agent.id]);
    expect(ex.received.find((r) => r.message.type === 'SubscribeMarketData')?.message).toMatchObject({ minIntervalUs: 500_000, depth: 0 });
    // Its first observation is far off; a pushed book before it has no estimate to act on.
    ex.push(0);
    kernel.runUntil(SECOND);
    expect(agent.evaluations).toBe(0);
    const quiet = setup(() => 10_050, { meanInterArrivalUs: SECOND }, { fillMarketable: false });
    quiet.kernel.runUntil(0);
    expect(quiet.ex.subscribers).toEqual([]);
    // Once it has an estimate, a push with a new mid moves the target without a new observation.
    const live = setup(() => 10_050, { minIntervalUs: 500_000, meanInterArrivalUs: 2 * SECOND, endUs: 3 * SECOND, maxPosition: 1_000_000 }, { book: () => book(bid, bid + 2), fillMarketable: false });
    live.kernel.runUntil(10 * SECOND);
    const before = live.agent.target;
    const evaluations = live.agent.evaluations;
    bid = 10_039; // mid 10 040: a smaller mispricing
    live.ex.push(0);
    live.kernel.runUntil(11 * SECOND);
    expect(live.agent.evaluations).toBe(evaluations + 1);
    expect(live.agent.target).toBeLessThan(before);
  });

  it('should send its demand curve into a call auction as a ladder of limits, and cancel what is left once trading is continuous', () => {
    const V = 10_050;
    const inCall = (t: number) => t < 10 * SECOND;
    const { kernel, ex, agent } = setup(() => V, { maxPosition: 2_000 }, {
      book: (t) => (inCall(t) ? { ...book(NO_PRICE, NO_PRICE, 10_000), auction: { price: NO_PRICE, volume: 0, imbalance: 0 } } : book(10_049, 10_051, 10_050)),
      fillMarketable: false,
    });
    kernel.runUntil(9 * SECOND);
    expect(agent.laddersSent).toBe(1);
    const orders = ex.placed(agent.id);
    for (const o of orders) expect(o.orderType).toBe('limit');
    // Its demand if the call uncrossed at p: k·(V − p)/V · (cash + position·p)/p, clamped to ±maxPosition.
    const demand = (p: number) => Math.max(-2_000, Math.min(2_000, Math.trunc(100 * ((V - p) / V) * ((100_000_000 + 10_000 * p) / p))));
    const buys = orders.filter((o) => o.side === 'buy');
    const sells = orders.filter((o) => o.side === 'sell');
    let cumulative = 0;
    for (const o of buys) {
      expect(o.price).toBeLessThan(V);
      cumulative += o.qty;
      expect(cumulative).toBe(demand(o.price));
    }
    cumulative = 0;
    for (const o of sells) {
      expect(o.price).toBeGreaterThan(V);
      cumulative += o.qty;
      expect(cumulative).toBe(-demand(o.price));
    }
    // Ten levels a side reach the bound: the whole demand curve is in the call.
    expect(buys.reduce((n, o) => n + o.qty, 0)).toBe(2_000);
    expect(sells.reduce((n, o) => n + o.qty, 0)).toBe(2_000);
    expect(buys.length).toBeLessThanOrEqual(10);
    // Continuous trading: the first evaluation cancels the rest of the ladder and trades toward the target.
    kernel.runUntil(14 * SECOND);
    const cancelled = ex.received.filter((r) => r.from === agent.id && r.message.type === 'CancelOrder' && r.time >= 10 * SECOND);
    expect(cancelled).toHaveLength(orders.length);
    expect([...ex.resting.values()].filter((o) => o.owner === agent.id && o.placedAt < 10 * SECOND)).toEqual([]);
  });

  it('should stay out of calls with callLadderLevels 0', () => {
    const { kernel, ex, agent } = setup(() => 10_050, { callLadderLevels: 0 }, { book: () => ({ ...book(NO_PRICE, NO_PRICE, 10_000), auction: { price: NO_PRICE, volume: 0, imbalance: 0 } }) });
    kernel.runUntil(9 * SECOND);
    expect(agent.laddersSent).toBe(0);
    expect(ex.placed(agent.id)).toEqual([]);
  });
});
