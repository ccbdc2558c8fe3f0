import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { MomentumTrader, type MomentumTraderOptions } from '../../src/agents/momentum-trader.js';
import { FakeExchange, book, type FakeBook, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

function setup(options: Partial<MomentumTraderOptions>, fake: FakeExchangeOptions) {
  const kernel = new Kernel({ seed: 5 });
  const ex = kernel.register(new FakeExchange('exchange', fake));
  const agent = kernel.register(new MomentumTrader('momentum', { exchange: ex.id, instrument: 0, intervalUs: SECOND, shortWindow: 3, longWindow: 6, ...options }));
  return { kernel, ex, agent };
}

/** A book whose mid is `mids[k]` at the k-th query (the last one thereafter). */
function series(mids: readonly number[]): (now: number, k: number) => FakeBook {
  return (_now, k) => {
    const mid = mids[Math.min(k, mids.length - 1)] as number;
    return book(mid - 1, mid + 1);
  };
}

describe('MomentumTrader', () => {
  it('should buy after a rising mid series, once the long window is full', () => {
    const mids = Array.from({ length: 20 }, (_, i) => 100 + i);
    const { kernel, ex, agent } = setup({ qty: 3 }, { book: series(mids) });
    kernel.runUntil(20 * SECOND);
    const orders = ex.placed();
    // Wakes at 1 s … 20 s: 20 samples; trading from the 6th on.
    expect(ex.queries().length).toBe(20);
    expect(orders.length).toBe(15);
    for (const o of orders) expect(o).toMatchObject({ side: 'buy', orderType: 'market', qty: 3 });
    expect(ex.received.findIndex((r) => r.message.type === 'PlaceOrder')).toBe(6); // after the 6 queries filling the window
    expect(agent.position).toBe(45);
  });

  it('should sell after a falling mid series', () => {
    const mids = Array.from({ length: 20 }, (_, i) => 200 - 2 * i);
    const { kernel, ex } = setup({ shortSelling: true }, { book: series(mids) });
    kernel.runUntil(20 * SECOND);
    expect(ex.placed().length).toBe(15);
    for (const o of ex.placed()) expect(o.side).toBe('sell');
  });

  it('should not trade on a flat series or within its threshold', () => {
    const flat = setup({ shortSelling: true }, { book: series([100]) });
    flat.kernel.runUntil(30 * SECOND);
    expect(flat.ex.placed()).toEqual([]);

    // Rising by 1 per sample: short MA − long MA = 1.5 ticks.
    const mids = Array.from({ length: 30 }, (_, i) => 100 + i);
    const within = setup({ thresholdTicks: 1.5 }, { book: series(mids) });
    within.kernel.runUntil(30 * SECOND);
    expect(within.ex.placed()).toEqual([]);
    const beyond = setup({ thresholdTicks: 1.4 }, { book: series(mids) });
    beyond.kernel.runUntil(30 * SECOND);
    expect(beyond.ex.placed().length).toBe(25);
  });

  it('should send marketable IOC limits at the opposite best plus crossTicks', () => {
    const mids = Array.from({ length: 10 }, (_, i) => 100 + i);
    const { kernel, ex } = setup({ orderType: 'limit', crossTicks: 2 }, { book: series(mids) });
    kernel.runUntil(10 * SECOND);
    const orders = ex.placed();
    expect(orders.length).toBe(5);
    // The k-th query (from 0) sees ask 100 + k + 1; orders from k = 5.
    expect(orders.map((o) => [o.orderType, o.side, o.price])).toEqual([5, 6, 7, 8, 9].map((k) => ['limit-ioc', 'buy', 100 + k + 1 + 2]));
  });

  it('should respect maxPosition and not sell what it lacks on a spot venue', () => {
    const up = Array.from({ length: 30 }, (_, i) => 100 + i);
    const capped = setup({ qty: 4, maxPosition: 10 }, { book: series(up) });
    capped.kernel.runUntil(30 * SECOND);
    expect(capped.ex.placed().map((o) => o.qty)).toEqual([4, 4, 2]);
    expect(capped.agent.position).toBe(10);

    const down = Array.from({ length: 30 }, (_, i) => 200 - i);
    const spot = setup({ qty: 4, initialPosition: 6 }, { book: series(down) });
    spot.kernel.runUntil(30 * SECOND);
    expect(spot.ex.placed().map((o) => o.qty)).toEqual([4, 2]);
    expect(spot.agent.position).toBe(0);
  });

  it('should fall back to the last price when a side is empty, and skip empty samples', () => {
    const books: FakeBook[] = [book(0, 0, 0), book(0, 0, 0), ...Array.from({ length: 6 }, (_, i) => book(100 + i, 0, 100 + i))];
    const { kernel, agent } = setup({}, { book: (_n, k) => books[Math.min(k, books.length - 1)] as FakeBook });
    kernel.runUntil(8 * SECOND);
    expect(agent.longAverage).toBeCloseTo(102.5, 12);
    expect(agent.shortAverage).toBeCloseTo(104, 12);
  });

  it('should keep exact running averages over its ring buffer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.integer({ min: 4, max: 400 }), { minLength: 1, maxLength: 60 }),
        (short, extra, doubled) => {
          const long = short + extra;
          const mids = doubled.map((d) => d / 2); // half-tick mids
          const { kernel, agent } = setup({ shortWindow: short, longWindow: long, shortSelling: true }, { book: series(mids) });
          kernel.runUntil(mids.length * SECOND);
          const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
          if (mids.length >= short) expect(agent.shortAverage).toBe(mean(mids.slice(-short)));
          else expect(agent.shortAverage).toBeNaN();
          if (mids.length >= long) expect(agent.longAverage).toBe(mean(mids.slice(-long)));
          else expect(agent.longAverage).toBeNaN();
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});
