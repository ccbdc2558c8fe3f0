import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { ValueTrader, type ValueTraderOptions } from '../../src/agents/value-trader.js';
import { FakeExchange, book, EMPTY_BOOK, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

function setup(options: Partial<ValueTraderOptions> & Pick<ValueTraderOptions, 'fundamental'>, fake: FakeExchangeOptions = {}, seed = 7) {
  const kernel = new Kernel({ seed });
  const ex = kernel.register(new FakeExchange('exchange', fake));
  const agent = kernel.register(new ValueTrader('value', { exchange: ex.id, instrument: 0, meanInterArrivalUs: SECOND, ...options }));
  return { kernel, ex, agent };
}

describe('ValueTrader', () => {
  it('should buy at the ask when the fundamental is far above it', () => {
    const { kernel, ex } = setup({ fundamental: { valueAt: () => 200 }, minQty: 3, maxQty: 6 }, { book: () => book(99, 101) });
    kernel.runUntil(100 * SECOND);
    const orders = ex.placed();
    expect(orders.length).toBeGreaterThan(50);
    for (const o of orders) {
      expect(o.side).toBe('buy');
      expect(o.orderType).toBe('limit');
      expect(o.price).toBe(101);
      expect(o.qty).toBeGreaterThanOrEqual(3);
      expect(o.qty).toBeLessThanOrEqual(6);
    }
  });

  it('should sell at the bid when the fundamental is far below it', () => {
    const { kernel, ex } = setup({ fundamental: { valueAt: () => 20 }, initialPosition: 1_000_000, crossTicks: 2 }, { book: () => book(99, 101) });
    kernel.runUntil(100 * SECOND);
    const orders = ex.placed();
    expect(orders.length).toBeGreaterThan(50);
    for (const o of orders) {
      expect(o.side).toBe('sell');
      expect(o.price).toBe(97); // bid − crossTicks
    }
  });

  it('should never pay more than its estimate when crossing', () => {
    // Estimate exactly 102 (no noise): may cross up to 105 but is capped at 102.
    const { kernel, ex } = setup({ fundamental: { valueAt: () => 102 }, observationSdTicks: 0, crossTicks: 5 }, { book: () => book(99, 101) });
    kernel.runUntil(20 * SECOND);
    expect(ex.placed().length).toBeGreaterThan(0);
    for (const o of ex.placed()) expect(o).toMatchObject({ side: 'buy', price: 102 });
  });

  it('should quote passively on the favoured side when its estimate is inside the spread', () => {
    const up = setup({ fundamental: { valueAt: () => 105 }, observationSdTicks: 0, passiveDepthTicks: 2 }, { book: () => book(90, 110), fillMarketable: false });
    up.kernel.runUntil(50 * SECOND);
    const buys = up.ex.placed();
    expect(buys.length).toBeGreaterThan(10);
    for (const o of buys) {
      expect(o.side).toBe('buy');
      expect(o.price).toBeGreaterThanOrEqual(103);
      expect(o.price).toBeLessThanOrEqual(105);
    }
    expect(new Set(buys.map((o) => o.price))).toEqual(new Set([103, 104, 105]));

    const down = setup({ fundamental: { valueAt: () => 95 }, observationSdTicks: 0, initialPosition: 1000 }, { book: () => book(90, 110), fillMarketable: false });
    down.kernel.runUntil(50 * SECOND);
    for (const o of down.ex.placed()) {
      expect(o.side).toBe('sell');
      expect(o.price).toBeGreaterThanOrEqual(95);
      expect(o.price).toBeLessThanOrEqual(97);
    }
  });

  it('should cancel its previous open order before querying again', () => {
    const { kernel, ex, agent } = setup({ fundamental: { valueAt: () => 105 }, observationSdTicks: 0 }, { book: () => book(90, 110), fillMarketable: false });
    kernel.runUntil(50 * SECOND);
    const mine = ex.received.filter((r) => r.from === agent.id).map((r) => r.message.type);
    // Pattern: Query, Place, then (Cancel, Query, Place)*.
    expect(mine.slice(0, 2)).toEqual(['QueryMarket', 'PlaceOrder']);
    for (let i = 2; i + 2 < mine.length; i += 3) expect(mine.slice(i, i + 3)).toEqual(['CancelOrder', 'QueryMarket', 'PlaceOrder']);
    expect(ex.resting.size).toBe(1);
    expect(agent.tracker.openCount).toBe(1);
  });

  it('should not sell what it does not hold on a spot venue', () => {
    const { kernel, ex } = setup({ fundamental: { valueAt: () => 20 } }, { book: () => book(99, 101) });
    kernel.runUntil(50 * SECOND);
    expect(ex.queries().length).toBeGreaterThan(10);
    expect(ex.placed()).toEqual([]);
  });

  it('should converge to the fundamental through noisy observations', () => {
    const { kernel, agent } = setup({ fundamental: { valueAt: () => 150 }, observationSdTicks: 10, valueSdTicksPerSqrtSecond: 0 }, { book: () => EMPTY_BOOK });
    kernel.runUntil(400 * SECOND);
    // ~400 observations of sd 10: the running mean has sd ≈ 0.5.
    expect(Math.abs(agent.estimate - 150)).toBeLessThan(2);
    expect(agent.estimateVariance).toBeLessThan(1);
  });

  it('should follow a moving fundamental', () => {
    const { kernel, agent } = setup(
      { fundamental: { valueAt: (t: number) => (t < 100 * SECOND ? 100 : 300) }, observationSdTicks: 2, valueSdTicksPerSqrtSecond: 3 },
      { book: () => EMPTY_BOOK },
    );
    kernel.runUntil(99 * SECOND);
    expect(Math.abs(agent.estimate - 100)).toBeLessThan(3);
    kernel.runUntil(130 * SECOND);
    expect(Math.abs(agent.estimate - 300)).toBeLessThan(5);
  });

  it('should place on a random side around its estimate when the book is empty', () => {
    const { kernel, ex } = setup({ fundamental: { valueAt: () => 100 }, observationSdTicks: 0, shortSelling: true, passiveDepthTicks: 0 }, { book: () => EMPTY_BOOK });
    kernel.runUntil(100 * SECOND);
    const orders = ex.placed();
    const sides = new Set(orders.map((o) => o.side));
    expect(sides).toEqual(new Set(['buy', 'sell']));
    for (const o of orders) expect(o.price).toBe(100);
  });
});
