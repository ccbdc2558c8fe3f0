import { describe, expect, it } from 'vitest';
import { StatArbitrageur, type StatArbitrageurOptions } from '../../src/agents/stat-arbitrageur.js';
import { Kernel } from '../../src/engine/kernel.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { FakeExchange, book, type FakeExchangeOptions } from './fake-exchange.js';

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;

/** A mid path by sample index (the k-th minute), quoted 1 tick each side. */
function setup(mid: (k: number) => number, options: Partial<StatArbitrageurOptions> = {}, fake: FakeExchangeOptions = {}) {
  const kernel = new Kernel({ seed: 5 });
  const ex = kernel.register(
    new FakeExchange('exchange', {
      book: (now) => {
        const m = mid(Math.floor(now / MINUTE));
        return book(m - 1, m + 1);
      },
      fillMarketable: false,
      ...fake,
    }),
  );
  const agent = kernel.register(
    new StatArbitrageur('sarb', {
      exchange: ex.id,
      instrument: 0,
      initialCash: 100_000_000,
      initialPosition: 10_000,
      maxPosition: 1_000_000,
      gain: 100,
      sampleIntervalUs: MINUTE,
      returnWindow: 40,
      minSamples: 10,
      executionHorizonUs: 20 * SECOND,
      sliceIntervalUs: 5 * SECOND,
      limitEdgeTicks: 0,
      minTradeQty: 1,
      ...options,
    }),
  );
  return { kernel, ex, agent };
}

/** After each sample from the `from`-th on: the sign of the last return and of the target deviation. */
function decisions(s: ReturnType<typeof setup>, mid: (k: number) => number, from: number, to: number) {
  const out: { up: boolean; deviation: number; rho: number }[] = [];
  for (let k = from; k < to; k++) {
    s.kernel.runUntil(k * MINUTE + SECOND);
    out.push({ up: mid(k) > mid(k - 1), deviation: s.agent.target - s.agent.neutralPosition, rho: s.agent.acf.value() });
  }
  return out;
}

describe('StatArbitrageur', () => {
  it('should sell after an up-move and buy after a down-move when returns bounce (ρ̂ < 0)', () => {
    const mid = (k: number) => (k % 2 === 0 ? 10_000 : 10_020);
    const s = setup(mid);
    const d = decisions(s, mid, 12, 30);
    for (const x of d) {
      expect(x.rho).toBeLessThan(-0.5);
      if (x.up) expect(x.deviation).toBeLessThan(0);
      else expect(x.deviation).toBeGreaterThan(0);
    }
    // Its children: sells after up-moves, priced at or above the forecast price (≈ the previous mid).
    const sells = s.ex.placed(s.agent.id).filter((o) => o.side === 'sell');
    expect(sells.length).toBeGreaterThan(0);
  });

  it('should buy after an up-move and sell after a down-move when returns trend (ρ̂ > 0)', () => {
    // Runs of four moves of 20 ticks up, then four down: lag-1 autocorrelation 0.5.
    const mid = (k: number) => {
      const phase = k % 8;
      return 10_000 + 20 * (phase <= 4 ? phase : 8 - phase);
    };
    const s = setup(mid);
    const d = decisions(s, mid, 12, 40);
    let checked = 0;
    for (const x of d) {
      expect(x.rho).toBeGreaterThan(0.2);
      if (x.deviation === 0) continue; // a weak forecast below the half-spread
      checked++;
      expect(x.deviation > 0).toBe(x.up);
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('should make the target proportional to the forecast move beyond the half-spread, and 0 within it', () => {
    const mid = (k: number) => (k % 2 === 0 ? 10_000 : 10_020);
    const s = setup(mid);
    s.kernel.runUntil(20 * MINUTE + SECOND); // sample 20: a down-move 10 020 → 10 000
    const a = s.agent;
    const move = 10_000 * Math.expm1(a.forecast);
    const w = a.equityAt(10_000) / 10_000;
    expect(a.target - a.neutralPosition).toBe(Math.trunc(100 * ((Math.abs(move) - 1) / 10_000) * w));
    expect(a.reference).toBeCloseTo(10_000 + move, 9);
    const costly = setup(mid, { costMultiplier: 25 }); // 25 half-spreads > a forecast move of ≈ 20 ticks
    costly.kernel.runUntil(30 * MINUTE + SECOND);
    expect(costly.agent.evaluations).toBeGreaterThan(10);
    expect(costly.agent.target).toBe(costly.agent.neutralPosition);
    expect(costly.agent.parentsStarted).toBe(0);
  });

  it('should not trade before minSamples returns', () => {
    const mid = (k: number) => (k % 2 === 0 ? 10_000 : 10_020);
    const s = setup(mid, { minSamples: 10 });
    s.kernel.runUntil(10 * MINUTE + SECOND); // samples 0…10: ten returns, the tenth just in
    expect(s.agent.acf.count).toBe(10);
    expect(s.agent.evaluations).toBe(1);
    const before = setup(mid, { minSamples: 10 });
    before.kernel.runUntil(9 * MINUTE + SECOND);
    expect(before.agent.evaluations).toBe(0);
    expect(before.ex.placed(before.agent.id)).toEqual([]);
  });

  it('should never buy above nor sell below its forecast price, and trade only through IOC children', () => {
    const mid = (k: number) => (k % 2 === 0 ? 10_000 : 10_020);
    const s = setup(mid, { crossTicks: 50, limitEdgeTicks: 2 }, { fillMarketable: true });
    const refs: { from: number; ref: number }[] = [];
    for (let k = 10; k < 30; k++) {
      s.kernel.runUntil(k * MINUTE + SECOND);
      refs.push({ from: k * MINUTE, ref: s.agent.reference });
    }
    const placed = s.ex.received.filter((r) => r.from === s.agent.id && r.message.type === 'PlaceOrder');
    expect(placed.length).toBeGreaterThan(5);
    for (const r of placed) {
      const m = r.message as PlaceOrder;
      const ref = [...refs].reverse().find((x) => x.from <= r.time)!.ref;
      expect(m.orderType).toBe('limit-ioc');
      if (m.side === 'buy') expect(m.price).toBeLessThanOrEqual(Math.floor(ref - 2));
      else expect(m.price).toBeGreaterThanOrEqual(Math.ceil(ref + 2));
    }
  });

  it('should carry the mid over an empty side (a zero return) and hold its target', () => {
    const mid = (k: number) => (k % 2 === 0 ? 10_000 : 10_020);
    const s = setup(mid, {}, { book: (now) => (Math.floor(now / MINUTE) === 15 ? book(0, 10_021) : book(mid(Math.floor(now / MINUTE)) - 1, mid(Math.floor(now / MINUTE)) + 1)) });
    s.kernel.runUntil(15 * MINUTE + SECOND);
    expect(s.agent.acf.last).toBe(0);
  });

  it('should refuse an execution horizon longer than its sample interval', () => {
    expect(() => setup(() => 10_000, { executionHorizonUs: 2 * MINUTE })).toThrow(/longer than sampleIntervalUs/);
    expect(() => setup(() => 10_000, { minSamples: 50, returnWindow: 40 })).toThrow(/more than returnWindow/);
  });
});
