import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel.js';
import { MarketMaker, MomentumTrader, NoiseTrader, ValueTrader } from '../../src/agents/index.js';
import { FakeExchange, book } from './fake-exchange.js';

const SECOND = 1_000_000;

/** One run of every baseline agent against a fake exchange; returns the commands it received, serialised. */
function trace(seed: number | string): string {
  const kernel = new Kernel({ seed, latency: { delay: (from, to) => 50 + ((from * 7 + to * 3) % 11) } });
  // A wandering scripted book so that momentum and value traders have something to react to.
  const mid = (t: number) => 1000 + Math.round(20 * Math.sin(t / (40 * SECOND)));
  const ex = kernel.register(new FakeExchange('exchange', { book: (now) => book(mid(now) - 1, mid(now) + 1, mid(now)) }));
  const fundamental = { valueAt: (t: number) => 1000 + Math.round(30 * Math.cos(t / (60 * SECOND))) };
  const common = { exchange: ex.id, instrument: 0, shortSelling: true };
  for (let i = 0; i < 3; i++) kernel.register(new NoiseTrader(`noise-${i}`, { ...common, meanInterArrivalUs: 2 * SECOND, fundamental }));
  kernel.register(new ValueTrader('value-0', { ...common, fundamental, meanInterArrivalUs: 5 * SECOND }));
  const mm = kernel.register(new MarketMaker('mm-0', { ...common, fundamental, levels: 2, skewTicksPerLot: 0.5 }));
  kernel.register(new MomentumTrader('momentum-0', { ...common, intervalUs: 3 * SECOND, shortWindow: 5, longWindow: 12 }));
  for (let s = 1; s <= 300; s++) {
    kernel.runUntil(s * SECOND);
    // Fill the maker's best bid now and then, so its inventory (and skew) moves.
    if (s % 17 === 0) {
      const bid = ex.restingOf(mm.id, 'buy')[0];
      if (bid !== undefined) ex.fill(bid.orderId, 1);
    }
    if (s % 5 === 0) ex.push();
  }
  return JSON.stringify(ex.received);
}

describe('baseline agents', () => {
  it('should produce identical command traces for one seed, and different ones for another', () => {
    const a = trace('seed-1');
    const b = trace('seed-1');
    const c = trace('seed-2');
    expect(a.length).toBeGreaterThan(10_000);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    for (const type of ['PlaceOrder', 'CancelOrder', 'QueryMarket', 'SubscribeMarketData']) expect(a).toContain(`"type":"${type}"`);
  });
});
