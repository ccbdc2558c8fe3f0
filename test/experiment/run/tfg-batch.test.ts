import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CashDemandTrader } from '../../../src/agents/cash-demand-trader.js';
import { LeveragedValueFund } from '../../../src/agents/leveraged-value-fund.js';
import { loadExperiment } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { buildScenario, type Scenario } from '../../../src/experiment/run/scenario.js';

/**
 * Thurner, Farmer & Geanakoplos (2012) on the batch auction
 * (experiments/tfg-2012.yaml): the mechanism checks a short run can make.
 * The sweep's statistics are the README's table (npm run tfg).
 */
const file = fileURLToPath(new URL('../../../experiments/tfg-2012.yaml', import.meta.url));
const PERIOD_US = 60_000_000;

function scenario(sets: string[]): Scenario {
  const s = buildScenario(loadExperiment(file, { sets }).config);
  s.kernel.start();
  return s;
}

function agentsOf<T>(s: Scenario, type: abstract new (...args: never[]) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < s.kernel.agentCount; i++) {
    const a = s.kernel.agent(i);
    if (a instanceof type) out.push(a);
  }
  return out;
}

describe('TFG 2012 on a batch auction', () => {
  it('should clear the noise traders alone at TFG’s price ξ_t/N in every period', () => {
    // Funds with β = 0 want nothing: the noise population is the market.
    const s = scenario(['agents.funds.params.beta=0']);
    const noise = agentsOf(s, CashDemandTrader);
    const supply = noise.reduce((a, n) => a + n.position, 0);
    let worst = 0;
    for (let t = 1; t <= 60; t++) {
      // The period's last auction uncrosses 1 µs before its end; ξ_t was drawn at its start.
      s.kernel.runUntil((t + 1) * PERIOD_US - 1);
      const xi = noise.reduce((a, n) => a + n.cashDemand, 0);
      const tfg = xi / supply; // ticks: minorPerTickLot is 1
      const last = s.exchange.snapshotNow(0, 0).lastPrice;
      worst = Math.max(worst, Math.abs(last / tfg - 1));
    }
    expect(noise.reduce((a, n) => a + n.position, 0)).toBe(supply);
    // The ladders' grid near each member's price is 2 ticks in 10 000.
    expect(worst).toBeLessThan(0.003);
    // The members share one factor: their demands differ only by their own dispersion (1 %).
    const logs = noise.map((n) => Math.log(n.cashDemand / n.meanCash));
    expect(Math.max(...logs) - Math.min(...logs)).toBeLessThan(0.1);
    expect(new Set(noise.map((n) => n.factor)).size).toBe(1);
  });

  it('should let the value funds borrow up to λ_max = 1/h through the repo loop, and not at all at λ_max = 1', () => {
    const levered = scenario(['agents.bank.params.h=0.2']);
    levered.kernel.runUntil(300 * PERIOD_US);
    const funds = agentsOf(levered, LeveragedValueFund);
    expect(funds.map((f) => f.beta)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(funds.some((f) => f.counts.loansRequested > 0)).toBe(true);
    expect(funds.every((f) => f.laddersSent > 0)).toBe(true);
    // Borrowing stops at the limit: no fund's debt exceeds what its lots raise at h = 0.2 at the last mark.
    for (const f of funds) expect(f.loan.debt).toBeLessThanOrEqual(0.8 * f.position * f.mid + 1);

    const unlevered = scenario(['agents.bank.params.h=1']);
    unlevered.kernel.runUntil(300 * PERIOD_US);
    for (const f of agentsOf(unlevered, LeveragedValueFund)) {
      expect(f.loan.debt).toBe(0);
      expect(f.counts.loansRequested).toBe(0);
    }
  });

  it('should give the same run twice, with the ledger whole', () => {
    const config = loadExperiment(file, { sets: ['horizon=200m', 'agents.bank.params.h=0.1'] }).config;
    const a = runExperiment(config);
    const b = runExperiment(config);
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
    expect(a.summary.trades).toBeGreaterThan(1_000);
    expect(a.summary.invariants.violations).toBe(0);
    expect(a.summary.funds).not.toBeNull();
  });
});
