import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentConfig } from '../src/experiment/config/experiment-config.js';
import { defaultExperiment, leverageCycleExperiment } from '../src/experiment/config/defaults.js';
import { runExperiment } from '../src/experiment/run/run.js';
import type { SweepSpec } from '../src/experiment/config/sweep-spec.js';
import { writeRunFolder } from '../src/experiment/output/run-folder.js';
import { expandSweep, runSweep } from '../src/experiment/sweep/sweep.js';
import { createExecutor } from '../src/experiment/sweep/worker-pool.js';

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

/** Wall time and CPU time (all threads of the process: main, workers, V8's helpers) of one sweep. */
interface SweepTiming {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** Cores busy on average: CPU time over wall time. */
  readonly cores: number;
}

async function timeSweep(workers: number, runs: number): Promise<SweepTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'levsim-bench-sweep-'));
  try {
    const sweep: SweepSpec = { grid: [], zip: [], random: null, seeds: { count: runs } };
    const variants = expandSweep(shortRun(), sweep);
    const cpuBefore = process.cpuUsage();
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
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { wallSeconds, cpuSeconds, cores: cpuSeconds / wallSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sweep benchmark's result: `runs` short runs on one worker thread, then on two. */
export interface SweepBench {
  readonly runs: number;
  readonly oneWorker: SweepTiming;
  readonly twoWorkers: SweepTiming;
  /** Wall time on one worker over wall time on two. */
  readonly speedup: number;
}

/**
 * Wall time of a sweep of `runs` short runs on 1 and on 2 workers, and the
 * speed-up. Run it in a fresh process (as `npm run bench` does): a heap and
 * JIT already warmed by other benchmarks would flatter one side.
 */
export async function benchSweep(runs = 100): Promise<SweepBench> {
  const oneWorker = await timeSweep(1, runs);
  const twoWorkers = await timeSweep(2, runs);
  return { runs, oneWorker, twoWorkers, speedup: oneWorker.wallSeconds / twoWorkers.wallSeconds };
}

/**
 * Runs {@link benchSweep} in a fresh Node process, with extra Node/V8 flags
 * (`--single-threaded` turns off V8's background compiler and GC threads).
 */
export function benchSweepInChild(nodeFlags: readonly string[] = []): SweepBench {
  const out = execFileSync(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), '--sweep-json'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as SweepBench;
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
  if (process.argv.includes('--sweep-json')) console.log(JSON.stringify(await benchSweep()));
  else console.log(await benchSweep(), await benchOutputs());
}
