/**
 * One run, start to finish: simulate, then write the run folder. This module
 * is the worker-thread entry of the pool (its default export), and is also
 * called in-process; it returns only small values, the tables go to disk.
 *
 * @module
 */

import type { ExperimentConfig } from '../config/experiment-config.js';
import { ConfigError, formatPath } from '../config/config-error.js';
import { runExperiment, type InvariantChecking } from '../run/run.js';
import type { RunBudget } from '../run/run-budget.js';
import { writeRunFolder } from '../output/run-folder.js';

/** A run to execute. Plain data (it crosses to a worker thread). */
export interface RunTask {
  readonly config: ExperimentConfig;
  /** The run's final folder. */
  readonly runDir: string;
  readonly checkInvariants: InvariantChecking;
  /** Replace a complete folder already there (`levsim run`). */
  readonly replace: boolean;
  /** The budgets given (`--max-events`, `--max-wall`, `--max-heap`); the rest default in the thread that runs it. */
  readonly budget?: Partial<RunBudget>;
}

/** What a run gives back: where it was written and how long it took, or why it failed. */
export type RunTaskResult =
  | { readonly ok: true; readonly runDir: string; readonly wallSeconds: number; readonly events: number }
  | { readonly ok: false; readonly runDir: string; readonly message: string; readonly configPath: string | null; readonly stack: string | null };

/** Runs a task; never throws (failures come back as values). */
export async function executeRun(task: RunTask): Promise<RunTaskResult> {
  try {
    const result = runExperiment(task.config, { checkInvariants: task.checkInvariants, ...(task.budget !== undefined && { budget: task.budget }) });
    try {
      await writeRunFolder(result, task.runDir, { replace: task.replace });
    } finally {
      // Frees the trades' spill file now, not whenever this worker's heap is collected.
      result.trades.dispose();
    }
    return { ok: true, runDir: task.runDir, wallSeconds: result.timing.wallSeconds, events: result.timing.events };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return {
      ok: false,
      runDir: task.runDir,
      message: e instanceof ConfigError ? e.problem : (error.message.split('\n')[0] ?? String(e)),
      configPath: e instanceof ConfigError ? formatPath(e.path) : null,
      stack: error.stack ?? null,
    };
  }
}

export default executeRun;
