import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { ValueMaker, type ValueMakerOptions } from '../../src/agents/value-maker.js';
import { NO_PRICE, type MarketSnapshot } from '../../src/market/market-data.js';
import { ExperimentError, formatProblem, loadExperimentText } from '../../src/experiment/config/load-config.js';
import { FakeExchange, book, EMPTY_BOOK, type FakeBook, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;

function setup(options: Partial<ValueMakerOptions>, fake: FakeExchangeOptions = {}) {
  const kernel = new Kernel({ seed: 3 });
  const ex = kernel.register(new FakeExchange('exchange', { fillMarketable: false, includeResting: true, ...fake }));
  const mm = kernel.register(new ValueMaker('vm', { exchange: ex.id, instrument: 0, shortSelling: true, initialCash: 1e12, ...options }));
  return { kernel, ex, mm };
}

function quotes(ex: FakeExchange, mm: ValueMaker) {
  return {
    bids: ex.restingOf(mm.id, 'buy').map((o) => [o.price, o.remaining]),
    asks: ex.restingOf(mm.id, 'sell').map((o) => [o.price, o.remaining]),
  };
}

const sided = (bidPrice: number, bidQty: number, askPrice: number, askQty: number, lastPrice = NO_PRICE): FakeBook => ({ bidPrice, bidQty, askPrice, askQty, lastPrice });

describe('ValueMaker', () => {
  it('should take the microprice of the book as fair value and quote post-only ladders around it', () => {
    const { kernel, ex, mm } = setup({ levels: 2, qty: 7 }, { book: () => sided(99, 30, 101, 10) });
    kernel.runUntil(0);
    expect(mm.fair).toBe((99 * 10 + 101 * 30) / 40); // 100.5
    // Half-spread 1 (no volatility yet, flat): bid ⌊99.5⌋, ask ⌈101.5⌉.
    expect(quotes(ex, mm)).toEqual({ bids: [[99, 7], [98, 7]], asks: [[102, 7], [103, 7]] });
    expect(ex.placed(mm.id).every((p) => p.orderType === 'post-only')).toBe(true);
  });

  it('should fall back to the fundamental on an empty book, and use a trade EWMA when asked', () => {
    const empty = setup({ fundamental: { valueAt: () => 500 }, levels: 1 }, { book: () => EMPTY_BOOK });
    empty.kernel.runUntil(0);
    expect(quotes(empty.ex, empty.mm)).toEqual({ bids: [[499, 10]], asks: [[501, 10]] });

    const { kernel, ex, mm } = setup({ fairValue: 'trade-ewma', tradeEwmaWeight: 0.5, levels: 1 }, { book: () => EMPTY_BOOK });
    kernel.runUntil(0);
    const snap = (lastPrice: number, volume: number): MarketSnapshot => ({ type: 'MarketSnapshot', instrument: 0, bidPrice: 99, bidQty: 5, askPrice: 101, askQty: 5, lastPrice, volume, bids: [], asks: [], update: true });
    mm.onMessage(0, snap(110, 3), ex.id);
    expect(mm.fair).toBe(110);
    mm.onMessage(0, snap(120, 4), ex.id);
    expect(mm.fair).toBe(115);
    mm.onMessage(0, snap(200, 4), ex.id); // no new volume: not a new trade
    expect(mm.fair).toBe(115);
  });

  it('should requote a trade-EWMA maker near the pre-sweep price after a buy sweep, where a microprice maker follows the emptied book', () => {
    // Trades at 100, then a buy sweep leaves the others' bid 99 × 30 and ask 130 × 5, its last fill at 129 (the maker's own 10 lots rest at 99).
    const before = (lastPrice: number, volume: number): MarketSnapshot => ({ type: 'MarketSnapshot', instrument: 0, bidPrice: 99, bidQty: 40, askPrice: 101, askQty: 10, lastPrice, volume, bids: [], asks: [], update: true });
    const after: MarketSnapshot = { ...before(129, 2), askPrice: 130, askQty: 5 };
    const askAfterSweep = (fairValue: 'trade-ewma' | 'microprice') => {
      const { kernel, ex, mm } = setup({ fairValue, tradeEwmaWeight: 0.2, levels: 1, minIntervalUs: 0, volSpreadMultiplier: 0 }, { book: () => EMPTY_BOOK });
      kernel.runUntil(0);
      mm.onMessage(0, before(100, 1), ex.id);
      mm.onMessage(1, after, ex.id);
      kernel.runUntil(2);
      return { fair: mm.fair, ask: quotes(ex, mm).asks[0]?.[0] };
    };
    const ewma = askAfterSweep('trade-ewma');
    const micro = askAfterSweep('microprice');
    expect(ewma.fair).toBeCloseTo(100 + 0.2 * 29, 9); // one trade observation moves it a fifth of the way
    expect(micro.fair).toBeCloseTo((99 * 5 + 130 * 30) / 35, 9); // the imbalance-weighted mid of the emptied book
    // Both quote inside the 29-tick gap (half-spread 1): the trade-EWMA maker 7 ticks above the old price, the microprice maker 27.
    expect(ewma.ask).toBe(107);
    expect(micro.ask).toBe(127);
  });

  it('should quote around its filtered estimate of the fundamental when asked, whatever the book, and learn it through noise', () => {
    // The book says 100; the fundamental is 130. A microprice maker quotes around 100, an informed one around 130.
    const value = { valueAt: () => 130 };
    const exact = setup({ fairValue: 'fundamental', fundamental: value, observationSdTicks: 0, levels: 1 }, { book: () => sided(99, 10, 101, 10) });
    exact.kernel.runUntil(0);
    expect(exact.mm.fair).toBe(130);
    // Its bid would be 129, through the others' ask of 101: post-only, it rests one tick behind it instead; its ask is above value.
    expect(quotes(exact.ex, exact.mm)).toEqual({ bids: [[100, 10]], asks: [[131, 10]] });

    const noisy = setup({ fairValue: 'fundamental', fundamental: value, observationSdTicks: 10, valueSdTicksPerSqrtSecond: 0, refreshIntervalUs: SECOND, levels: 1 }, { book: () => sided(99, 10, 101, 10) });
    noisy.kernel.runUntil(0);
    const first = Math.abs(noisy.mm.fair - 130);
    noisy.kernel.runUntil(400 * SECOND);
    // A constant value seen 400 times with noise sd 10: the running mean is within ~3 sd/√400 = 1.5 ticks.
    expect(Math.abs(noisy.mm.fair - 130)).toBeLessThan(1.5);
    expect(first).toBeLessThan(40);
    expect(() => setup({ fairValue: 'fundamental' })).toThrow(/needs the fundamental/);
  });

  it('should never cross: every quote post-only, bids below the others’ best ask, asks above their best bid (any book, inventory and skew)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 1000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        (bid, spread, q, base, maxSkew, bq, aq) => {
          const ask = bid + spread;
          const { kernel, ex, mm } = setup(
            { initialPosition: q, targetPosition: 0, maxInventory: 1000, maxSkewTicks: maxSkew, skewSteepness: 5, baseHalfSpreadTicks: base, levels: 3 },
            { book: () => sided(bid, bq, ask, aq) },
          );
          kernel.runUntil(0);
          const placed = ex.placed(mm.id);
          for (const p of placed) {
            expect(p.orderType).toBe('post-only');
            if (p.side === 'buy') expect(p.price).toBeLessThan(ask);
            else expect(p.price).toBeGreaterThan(bid);
          }
          const bids = placed.filter((p) => p.side === 'buy').map((p) => p.price);
          const asks = placed.filter((p) => p.side === 'sell').map((p) => p.price);
          if (bids.length > 0 && asks.length > 0) expect(Math.max(...bids)).toBeLessThan(Math.min(...asks));
          expect(Math.abs(mm.lastSkew)).toBeLessThanOrEqual(maxSkew);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should place a skewed quote one tick behind the opposite best instead of crossing', () => {
    // Long 900 of 1000: skew ≈ 20·tanh(4.5) ≈ 20 ticks down; the ask would land at 81 < others' bid 99.
    const { kernel, ex, mm } = setup({ initialPosition: 900, targetPosition: 0, maxInventory: 1000, maxSkewTicks: 20, skewSteepness: 5, levels: 2, inventorySpreadTicks: 0 }, { book: () => book(99, 101) });
    kernel.runUntil(0);
    expect(mm.lastSkew).toBeGreaterThan(19);
    expect(ex.restingOf(mm.id, 'sell').map((o) => o.price)).toEqual([100, 101]);
  });

  it('should widen the quoted spread with short-term volatility', () => {
    const run = (amplitude: number) => {
      const mid = (t: number) => 1000 + (Math.floor(t / 200_000) % 2 === 0 ? 0 : amplitude);
      const { kernel, ex, mm } = setup({ levels: 1, volSpreadMultiplier: 1, volHorizonUs: SECOND, volHalfLifeUs: 2 * SECOND, refreshIntervalUs: 0 }, { book: (now) => book(mid(now) - 1, mid(now) + 1) });
      for (let i = 1; i <= 100; i++) {
        kernel.runUntil(i * 200_000);
        ex.push();
      }
      kernel.runUntil(101 * 200_000);
      const q = quotes(ex, mm);
      return { h: mm.lastHalfSpread, spread: q.asks[0]![0]! - q.bids[0]![0]! };
    };
    const calm = run(0);
    const wild = run(4);
    expect(calm.h).toBe(1);
    expect(calm.spread).toBe(2);
    // 4-tick moves every 0.2 s: σ ≈ √(16/0.2) ≈ 9 ticks over 1 s, capped by maxWidening 20.
    expect(wild.h).toBeGreaterThan(6);
    expect(wild.spread).toBeGreaterThan(calm.spread + 8);
  });

  it('should widen the spread with |inventory| and shrink sizes only on the side that grows it', () => {
    const at = (q: number) => {
      const { kernel, ex, mm } = setup({ initialPosition: q, targetPosition: 0, maxInventory: 1000, inventorySpreadTicks: 4, maxSkewTicks: 0, qty: 10, levels: 2 }, { book: () => book(900, 1100) });
      kernel.runUntil(0);
      return { h: mm.lastHalfSpread, ...quotes(ex, mm) };
    };
    const flat = at(0);
    const long = at(800);
    const short = at(-500);
    expect(flat.h).toBe(1);
    expect(long.h).toBeCloseTo(1 + 4 * 0.8, 12);
    expect(short.h).toBe(3);
    expect(flat).toMatchObject({ bids: [[999, 10], [998, 10]], asks: [[1001, 10], [1002, 10]] });
    // Long 800: bids shrink to 10·0.2 = 2, asks stay full.
    expect(long.bids.map((b) => b[1])).toEqual([2, 2]);
    expect(long.asks.map((a) => a[1])).toEqual([10, 10]);
    // Short 500: asks halve, bids stay full.
    expect(short.asks.map((a) => a[1])).toEqual([5, 5]);
    expect(short.bids.map((b) => b[1])).toEqual([10, 10]);
    // At the limit: no bids, asks still full (never a whole side pulled before the limit).
    const limit = at(1000);
    expect(limit.bids).toEqual([]);
    expect(limit.asks.map((a) => a[1])).toEqual([10, 10]);
  });

  it('should quote no more than its cash buys and, on a spot venue, its holdings', () => {
    // 2 500 minor units at 1 per tick·lot: 2 lots at 999 (1 998), then none at 998 (502 left).
    const { kernel, ex, mm } = setup({ initialCash: 2_500, initialPosition: 3, targetPosition: 3, shortSelling: false, maxInventory: 1000, levels: 2, qty: 10 }, { book: () => book(900, 1100) });
    kernel.runUntil(0);
    const q = quotes(ex, mm);
    expect(q.bids.reduce((s, b) => s + b[0]! * b[1]!, 0)).toBeLessThanOrEqual(2_500);
    expect(q.bids).toEqual([[999, 2]]);
    expect(q.asks.reduce((s, a) => s + a[1]!, 0)).toBe(3);
  });

  it('should amend only the levels that changed, each in one message, away from the spread before toward it', () => {
    let bid = 99;
    const { kernel, ex, mm } = setup({ levels: 3, refreshIntervalUs: 0, maxSkewTicks: 0, inventorySpreadTicks: 0, volSpreadMultiplier: 0 }, { book: () => book(bid, bid + 2), includeResting: true });
    kernel.runUntil(0);
    expect(ex.placed(mm.id).length).toBe(6);
    ex.push();
    kernel.runUntil(SECOND);
    expect(ex.placed(mm.id).length).toBe(6); // unchanged: no message
    bid = 100;
    ex.push();
    kernel.runUntil(2 * SECOND);
    // Ladders move up one tick: each side keeps the two quotes still wanted (and their queue places)
    // and amends the one that fell off to the new level: no cancel, no new order.
    expect(ex.cancels(mm.id)).toEqual([]);
    expect(ex.placed(mm.id).length).toBe(6);
    expect(ex.modifies(mm.id).map((m) => m.price)).toEqual([104, 100]);
    expect(quotes(ex, mm)).toEqual({ bids: [[100, 10], [99, 10], [98, 10]], asks: [[102, 10], [103, 10], [104, 10]] });
    // The ask moved away from the spread (101 → 104) before the bid moved toward it (97 → 100).
    bid = 98;
    ex.push();
    kernel.runUntil(3 * SECOND);
    // Down two ticks: the bid's two lowest levels are amended away first, then the asks toward.
    expect(ex.modifies(mm.id).slice(2).map((m) => m.price)).toEqual([97, 96, 100, 101]);
    expect(quotes(ex, mm)).toEqual({ bids: [[98, 10], [97, 10], [96, 10]], asks: [[100, 10], [101, 10], [102, 10]] });
    expect(ex.cancels(mm.id)).toEqual([]);
  });

  it('should send the same commands for the same inputs', () => {
    const trace = () => {
      const mid = (t: number) => 1000 + Math.round(10 * Math.sin(t / (7 * SECOND)));
      const { kernel, ex, mm } = setup({ maxInventory: 50 }, { book: (now) => sided(mid(now) - 1, 3 + (mid(now) % 5), mid(now) + 1, 4) });
      for (let s = 1; s <= 120; s++) {
        kernel.runUntil(s * SECOND);
        const order = ex.restingOf(mm.id, s % 3 === 0 ? 'sell' : 'buy')[0];
        if (order !== undefined) ex.fill(order.orderId, 1);
        ex.push();
      }
      return JSON.stringify(ex.received);
    };
    const a = trace();
    expect(a.length).toBeGreaterThan(5_000);
    expect(trace()).toBe(a);
  });

  it('should refuse impossible parameters at validation with the place', () => {
    const problems = (params: string) => {
      try {
        loadExperimentText(`agents:\n  - type: value-maker\n    params: ${params}\n`, 'x.yaml');
      } catch (e) {
        if (e instanceof ExperimentError) return e.problems.map(formatProblem);
        throw e;
      }
      return [];
    };
    expect(problems('{ tradeEwmaWeight: 0 }')[0]).toMatch(/^x\.yaml:3:\d+: agents\[0\]\.params\.tradeEwmaWeight: must be ≥ 0\.001/);
    expect(problems("{ fairValue: mid }")[0]).toMatch(/^x\.yaml:3:\d+: agents\[0\]\.params\.fairValue: expected one of microprice, trade-ewma/);
    expect(problems('{ maxInventory: 0 }')[0]).toMatch(/maxInventory: must be ≥ 1/);
    expect(problems('{ baseHalfSpreadTicks: -1 }')[0]).toMatch(/baseHalfSpreadTicks: must be ≥ 0/);
    expect(problems('{ qty: { dist: int, min: 5, max: 20 }, maxSkewTicks: { dist: uniform, min: 1, max: 4 } }')).toEqual([]);
  });
});
