import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../src/experiment/config.js';
import { defaultExperiment, leverageCycleExperiment } from '../src/experiment/defaults.js';
import { runExperiment } from '../src/experiment/run.js';
import type { SweepSpec } from '../src/experiment/schema.js';
import { writeRunFolder } from '../src/experiment/sinks.js';
import { expandSweep, runSweep } from '../src/experiment/sweep.js';
import { createExecutor } from '../src/experiment/worker-pool.js';

/** A short run: a small market for fifteen simulated minutes. */
function shortRun(): ExperimentConfig {
  const base = defaultExperiment();
  const group = (type: string, name: string, count: number, cash: number, lots: number, params = {}) => ({ type, name, count, cash, holdings: { ABC: lots }, params });
  return {
    ...base,
    name: 'bench-sweep',
    horizonUs: 15 * 60 * 1_000_000,
    samplingUs: 5 * 1_000_000,
    agents: [group('market-maker', 'mm', 1, 100_000_000, 10_000, { levels: 3 }), group('noise', 'noise', 50, 10_000_000, 100, { meanInterArrivalUs: 2_000_000 }), group('value', 'value', 5, 10_000_000, 100)],
  };
}

async function timeSweep(workers: number, runs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'levsim-bench-sweep-'));
  try {
    const sweep: SweepSpec = { grid: [], zip: [], random: null, seeds: { count: runs } };
    const variants = expandSweep(shortRun(), sweep);
    const started = process.hrtime.bigint();
    // Worker threads in both cases, so 1 vs 2 compares the same thing (a fresh isolate per worker).
    const executor = createExecutor(workers, runs, { threadsEvenForOne: true });
    let outcome;
    try {
      outcome = await runSweep(variants, sweep, { sweepDir: dir, workers, executor });
    } finally {
      await executor.close();
    }
    if (outcome.failures.length > 0) throw new Error(`sweep bench: ${outcome.failures.length} runs failed`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of a sweep of `runs` short runs on 1 and on 2 workers, and the speed-up. */
export async function benchSweep(runs = 100): Promise<{ runs: number; oneWorkerSeconds: number; twoWorkerSeconds: number; speedup: number }> {
  const oneWorkerSeconds = await timeSweep(1, runs);
  const twoWorkerSeconds = await timeSweep(2, runs);
  return { runs, oneWorkerSeconds, twoWorkerSeconds, speedup: oneWorkerSeconds / twoWorkerSeconds };
}

/** Share of a flagship run's wall time spent writing its outputs (CSV, Parquet, report). */
export async function benchOutputs(): Promise<{ simulateSeconds: number; writeSeconds: number; writeShare: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'levsim-bench-out-'));
  try {
    const started = process.hrtime.bigint();
    const result = runExperiment(leverageCycleExperiment(1));
    const simulated = process.hrtime.bigint();
    await writeRunFolder(result, join(dir, 'run'));
    const written = process.hrtime.bigint();
    const simulateSeconds = Number(simulated - started) / 1e9;
    const writeSeconds = Number(written - simulated) / 1e9;
    return { simulateSeconds, writeSeconds, writeShare: writeSeconds / (simulateSeconds + writeSeconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSweep(), await benchOutputs());
}
