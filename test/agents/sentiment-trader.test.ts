import { describe, expect, it } from 'vitest';
import { SentimentTrader, type SentimentTraderOptions } from '../../src/agents/sentiment-trader.js';
import { Kernel } from '../../src/engine/kernel.js';
import { FakeExchange, book } from './fake-exchange.js';

const SECOND = 1_000_000;

function setup(options: Partial<SentimentTraderOptions> = {}, seed = 5) {
  const kernel = new Kernel({ seed });
  const ex = kernel.register(new FakeExchange('exchange', { book: () => book(9_999, 10_001) }));
  const agent = kernel.register(
    new SentimentTrader('sentiment', {
      exchange: ex.id,
      instrument: 0,
      initialCash: 1e10,
      initialPosition: 100_000,
      scaleLots: 1_000,
      halfLifeUs: 100 * SECOND,
      intervalUs: SECOND,
      executionHorizonUs: SECOND,
      sliceIntervalUs: SECOND,
      maxPosition: 1_000_000,
      minTradeQty: 1,
      ...options,
    }),
  );
  return { kernel, ex, agent };
}

describe('SentimentTrader', () => {
  it('should step an Ornstein–Uhlenbeck sentiment of unit sd and the given half-life', () => {
    const { kernel, agent } = setup({ halfLifeUs: 20 * SECOND });
    const xs: number[] = [];
    for (let t = 1; t <= 20_000; t++) {
      kernel.runUntil(t * SECOND);
      xs.push(agent.sentiment);
    }
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.sqrt(variance)).toBeGreaterThan(0.85);
    expect(Math.sqrt(variance)).toBeLessThan(1.15);
    // Autocorrelation at the half-life (20 steps): 1/2.
    let c = 0;
    for (let i = 20; i < xs.length; i++) c += (xs[i]! - mean) * (xs[i - 20]! - mean);
    expect(c / (xs.length - 20) / variance).toBeGreaterThan(0.4);
    expect(c / (xs.length - 20) / variance).toBeLessThan(0.6);
  });

  it('should trade toward neutral + scaleLots·x, buying when x rises and selling when it falls, limited beyond the mid', () => {
    const { kernel, ex, agent } = setup();
    kernel.runUntil(200 * SECOND);
    expect(agent.evaluations).toBeGreaterThan(100);
    expect(agent.target).toBe(agent.neutralPosition + Math.trunc(1_000 * agent.sentiment));
    const orders = ex.placed(agent.id);
    expect(orders.some((o) => o.side === 'buy')).toBe(true);
    expect(orders.some((o) => o.side === 'sell')).toBe(true);
    // Buys pay up to the mid (10 000) × 1.02 + 1, sells go down to × 0.98 − 1; IOC children cross the touch by one tick.
    for (const o of orders) {
      expect(o.orderType).toBe('limit-ioc');
      if (o.side === 'buy') expect(o.price).toBe(10_002);
      else expect(o.price).toBe(9_998);
    }
  });

  it('should be the same for the same seed and differ for another', () => {
    const path = (seed: number) => {
      const { kernel, agent } = setup({}, seed);
      const xs: number[] = [];
      for (let t = 1; t <= 50; t++) {
        kernel.runUntil(t * SECOND);
        xs.push(agent.sentiment);
      }
      return xs;
    };
    expect(path(1)).toEqual(path(1));
    expect(path(2)).not.toEqual(path(1));
  });
});
