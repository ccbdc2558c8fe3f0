/**
 * Counterexamples found by the scenario fuzzer (bench/fuzz-long.ts), kept as
 * regressions: each is the shrunk scenario, run with the invariants checked
 * after every delivery.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../src/experiment/config/experiment-config.js';
import { leverageCycleExperiment } from '../../../src/experiment/config/defaults.js';
import { checkProperties, firstFailure } from '../../../src/experiment/fuzz/fuzz-properties.js';
import { runScenario } from '../../../src/experiment/fuzz/fuzz.js';

/** The leverage preset with the given group counts (others removed) and parameter overrides. */
function preset(counts: Record<string, number>, params: Record<string, Record<string, number | string>> = {}, horizonUs = 120_000_000): ExperimentConfig {
  const p = leverageCycleExperiment();
  return {
    ...p,
    horizonUs,
    samplingUs: 5_000_000,
    volWindow: 12,
    agents: p.agents.filter((g) => (counts[g.name] ?? 0) > 0).map((g) => ({ ...g, count: counts[g.name]!, params: { ...g.params, ...(params[g.name] ?? {}) } })),
  };
}

describe('fuzz regressions', () => {
  it('should run a trend follower with targetLeverage 0 (documented as allowed) instead of crashing the build', () => {
    // Shrunk by fuzz-long (seed 1): `RangeError: targetLeverage must be a finite number > 0, got 0`.
    const config = preset({ mm: 1, noise: 1, lenders: 1, trend: 1 }, { trend: { targetLeverage: 0 } });
    const outcome = runScenario(config, true);
    expect(outcome.kind).toBe('ran');
    if (outcome.kind !== 'ran') return;
    expect(firstFailure(checkProperties([{ kind: 'invariants' }], outcome))).toBeNull();
    expect(outcome.result.liquidations.timeUs).toHaveLength(0);
  });
});
