/**
 * WHOLE-STACK FUZZ (bounded, part of `npm test`): a couple of dozen very
 * short scenarios drawn over the leverage preset's space — population
 * counts, haircut policies and parameters, the liquidation policy, a
 * fundamental shock and jumps, seeds — each run with the ledger, book and
 * credit invariants checked after every delivery. Budget: well under 20 s.
 * The long version is `npm run fuzz` (bench/fuzz-long.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../src/experiment/config/experiment-config.js';
import { leverageCycleExperiment } from '../../../src/experiment/config/defaults.js';
import { runFuzz } from '../../../src/experiment/fuzz/fuzz.js';
import { fuzzSpecOf } from '../../../src/experiment/fuzz/fuzz-spec.js';

const SCENARIOS = 24;
const HORIZON_US = 120_000_000;

/** The leverage preset over two simulated minutes, with one fundamental shock to fuzz. */
function base(): ExperimentConfig {
  const preset = leverageCycleExperiment();
  return {
    ...preset,
    name: 'fuzz-stack',
    horizonUs: HORIZON_US,
    samplingUs: 5_000_000,
    volWindow: 6,
    interventions: [{ atUs: 60_000_000, set: {}, event: { type: 'fundamental-jump', instrument: 'ABC', size: -100 } }],
  };
}

describe('whole-stack fuzz (bounded)', () => {
  it(`should keep every ledger, book and credit invariant over ${SCENARIOS} short leverage scenarios`, async () => {
    const spec = fuzzSpecOf(base(), {
      runs: SCENARIOS,
      seed: 20_240_601,
      space: {
        seed: { min: 1, max: 1_000_000 },
        'agents.mm.count': { min: 1, max: 2 },
        'agents.noise.count': { min: 2, max: 60 },
        'agents.value.count': { min: 0, max: 4 },
        'agents.lenders.count': { min: 1, max: 3 },
        'agents.liquidators.count': { min: 0, max: 3 },
        'agents.funds.count': { min: 0, max: 8 },
        'agents.trend.count': { min: 0, max: 3 },
        'agents.retail.count': { min: 0, max: 20 },
        'agents.lenders.params.policy': { choices: ['volatility', 'fixed', 'countercyclical', 'var'] },
        'agents.lenders.params.h': { min: 0.02, max: 0.6 },
        'agents.lenders.params.a': { min: 10, max: 600 },
        'agents.lenders.params.hMin': { min: 0.01, max: 0.3 },
        'agents.lenders.params.repriceIntervalUs': { min: 1_000_000, max: 30_000_000 },
        'agents.retail.params.targetLeverage': { min: 1, max: 20 },
        'agents.retail.params.meanEntryIntervalUs': { min: 1_000_000, max: 60_000_000 },
        'credit.policy': { choices: ['aave', 'broker'] },
        'credit.closeFactor': { min: 0.1, max: 1 },
        'interventions.0.event.size': { min: -3_000, max: 0, shrinkTowards: 'max' },
        'interventions.0.at': { min: 0, max: HORIZON_US },
        'instruments.ABC.fundamental.jumps.ratePerSecond': { min: 0, max: 0.1 },
      },
      properties: ['invariants'],
    });
    const report = await runFuzz(spec, { timeoutSeconds: 60 });
    const c = report.counterexample;
    expect(c === null ? null : `${c.verdict.property}: ${c.verdict.measured} at ${JSON.stringify(c.values)}`).toBeNull();
    expect(report.runs).toBe(SCENARIOS);
    expect(report.skipped).toBe(0);
    expect(report.events).toBeGreaterThan(SCENARIOS * 1_000);
  });
});
