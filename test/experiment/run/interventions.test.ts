import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/experiment/config/config-error.js';
import { lenderRevision } from '../../../src/experiment/registry/credit-agent-types.js';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { buildScenario } from '../../../src/experiment/run/scenario.js';

/** A small levered market: 2 minutes, a lender, a liquidator, two funds. */
function experiment(interventions: string): string {
  return `
name: iv
seed: 3
horizon: 120s
sampling: 5s
volWindow: 6
agents:
  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { halfSpreadTicks: 2, qty: 20, levels: 2, maxInventory: 2000 } }
  - { type: noise, name: noise, count: 6, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 2s } }
  - { type: lender, name: lenders, cash: 1000000000, params: { policy: fixed, h: 0.2, repriceIntervalUs: 10s } }
  - { type: liquidator, name: liq, cash: 100000000 }
  - { type: leveraged-fund, name: funds, count: 2, cash: 5000000, params: { lender: lenders, intervalUs: 2s } }
interventions:
${interventions}
`;
}

function load(interventions: string) {
  return loadExperimentText(experiment(interventions), 'iv.yaml').config;
}

describe('interventions', () => {
  it('should shock the fundamental at the given time and not before', () => {
    const base = load('  []');
    const shocked = load('  - { at: 60s, event: { type: fundamental-jump, instrument: ABC, size: -500 } }');
    const a = runExperiment(base).timeseries;
    const b = runExperiment(shocked).timeseries;
    const at = (ts: typeof a, t: number) => ts.fundamental[ts.timeUs.indexOf(t)] as number;
    expect(at(b, 55_000_000)).toBe(at(a, 55_000_000));
    expect(at(b, 65_000_000) - at(a, 65_000_000)).toBeLessThan(-400);
  });

  it('should raise every lender’s haircut on a haircut shock and on a live parameter change', () => {
    const shock = runExperiment(load('  - { at: 60s, event: { type: haircut-shock, add: 0.3 } }')).timeseries;
    const set = runExperiment(load('  - { at: 60s, set: { agents.lenders.params.h: 0.6 } }')).timeseries;
    const at = (ts: typeof shock, t: number) => ts.meanHaircut[ts.timeUs.indexOf(t)] as number;
    expect(at(shock, 55_000_000)).toBeCloseTo(0.2, 9);
    expect(at(shock, 65_000_000)).toBeCloseTo(0.5, 9);
    expect(at(set, 55_000_000)).toBeCloseTo(0.2, 9);
    expect(at(set, 65_000_000)).toBeCloseTo(0.6, 9);
  });

  it('should sell the injected lots at market and halt trading', () => {
    const sold = runExperiment(load('  - { at: 30s, event: { type: market-sell, instrument: ABC, qty: 30 } }'));
    const seller = sold.agentNames.indexOf('interventions');
    const sales = sold.trades.toTable().seller.filter((s) => s === seller).length;
    expect(sales).toBeGreaterThan(0);
    const halted = runExperiment(load('  - { at: 30s, event: { type: halt, instrument: ABC } }'));
    expect(halted.trades.toTable().timeUs.every((t) => t <= 30_000_000 + 1_000)).toBe(true);
  });

  it('should replace a lender’s haircut policy (and its memory) only when a policy parameter changes', () => {
    const params = {
      policy: 'countercyclical', a: 60, b: 1, hMin: 0.02, hMax: 1, hFloor: 0.1, countercyclicalMode: 'through-the-cycle', stressWindow: 0,
      maintenanceRatio: 0.75, annualRate: 0.08, maxPerBorrower: 0, maxTotal: 0,
    };
    const rate = lenderRevision(params, ['annualRate']);
    expect(rate.haircutPolicy).toBeUndefined();
    expect(rate.annualRate).toBe(0.08);
    expect(typeof lenderRevision(params, ['annualRate', 'hFloor']).haircutPolicy).toBe('function');
  });

  it('should refuse a set that cannot change during a run', () => {
    const config = load('  - { at: 60s, set: { agents.noise.params.maxQty: 5 } }');
    expect(() => buildScenario(config)).toThrow(ConfigError);
  });
});
