/**
 * The arbitrageurs in a tiny real market (exchange, ledger, pre-trade risk):
 * order flow and two value makers, with fundamental and statistical
 * arbitrage capital beside them.
 */
import { describe, expect, it } from 'vitest';
import { StatArbitrageur } from '../../src/agents/stat-arbitrageur.js';
import type { TargetPositionTrader } from '../../src/agents/target-position-trader.js';
import { loadExperimentText } from '../../src/experiment/config/load-config.js';
import { buildScenario } from '../../src/experiment/run/scenario.js';
import { midOf } from '../../src/market/market-data.js';

const SECOND = 1_000_000;

const TEXT = `
name: arbitrage-market
seed: 3
horizon: 20m
sampling: 10s
latency: { model: constant, us: 100us }
instruments:
  - { symbol: ABC, tickSize: 0.01, lotSize: 1, minorUnit: 0.01, maxOrderQty: 1000000, initialPrice: 10000,
      fundamental: { process: ou, mean: 10000, kappa: 0.0001, sigma: 2, dt: 1s } }
agents:
  - { type: value-maker, name: vm, count: 2, cash: 500000000, holdings: { ABC: 20000 }, params: { qty: 30, levels: 3, maxInventory: 2000 } }
  - { type: order-flow, name: zi, count: 20, cash: 100000000, holdings: { ABC: 5000 } }
  - type: fundamental-arbitrageur
    name: farb
    count: 2
    cash: 20000000
    holdings: { ABC: 2000 }
    params: { gain: { dist: uniform, min: 50, max: 150 }, meanInterArrivalUs: 2s, maxPosition: 1500, executionHorizonUs: 10s, sliceIntervalUs: 1s, minTradeQty: 2 }
  - type: stat-arb
    name: sarb
    cash: 20000000
    holdings: { ABC: 2000 }
    params: { sampleIntervalUs: 10s, returnWindow: 30, minSamples: 10, maxPosition: 1500, executionHorizonUs: 5s, sliceIntervalUs: 1s, schedule: pov, participationRate: 0.5, minTradeQty: 2 }
`;

/** Runs the market, sampling the mispricing V − mid every 10 s. */
function run(text: string) {
  const s = buildScenario(loadExperimentText(text, 'arbitrage-market.yaml').config);
  const mispricing: number[] = [];
  for (let t = 10 * SECOND; t <= 20 * 60 * SECOND; t += 10 * SECOND) {
    s.kernel.runUntil(t);
    const book = s.exchange.book(0);
    const mid = midOf({ bidPrice: book.bestBid() ?? 0, askPrice: book.bestAsk() ?? 0 });
    if (!(mid > 0)) continue;
    mispricing.push(s.fundamentals[0]!.valueAt(t) - mid);
  }
  return { s, mispricing };
}

const meanAbs = (xs: readonly number[]) => xs.reduce((a, x) => a + Math.abs(x), 0) / xs.length;

describe('arbitrageurs in a tiny market', () => {
  it('should trade within their capital, positions and limits, with no order refused', () => {
    const { s } = run(TEXT);
    const farb = s.groups.find((g) => g.name === 'farb')!;
    const sarb = s.groups.find((g) => g.name === 'sarb')!;
    const arbs = [...farb.agents, ...sarb.agents] as TargetPositionTrader[];
    for (const group of [farb, sarb]) {
      group.agents.forEach((agent, i) => {
        const a = agent as TargetPositionTrader;
        const account = group.accounts[i]!;
        expect(a.tracker.rejections, a.name).toBe(0);
        expect(a.tracker.tradedQty, a.name).toBeGreaterThan(0);
        expect(s.ledger.cash(account)).toBeGreaterThanOrEqual(0);
        expect(s.ledger.position(account, 0)).toBe(a.position);
        expect(Math.abs(a.position - a.neutralPosition)).toBeLessThanOrEqual(a.maxPosition);
      });
    }
    expect(arbs.every((a) => a.parentsStarted > 0)).toBe(true);
    expect((sarb.agents[0] as StatArbitrageur).evaluations).toBeGreaterThan(50);
  });

  it('should hold the mid to the fundamental: the mean |V − mid| falls by half or more with the fundamental arbitrageurs', () => {
    const without = run(TEXT.replace('count: 2\n    cash: 20000000', 'count: 0\n    cash: 20000000'));
    const withArbs = run(TEXT);
    expect(without.s.groups.find((g) => g.name === 'farb')!.agents).toHaveLength(0);
    expect(meanAbs(withArbs.mispricing)).toBeLessThan(0.5 * meanAbs(without.mispricing));
  });
});
