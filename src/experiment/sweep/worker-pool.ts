/**
 * Where runs execute: a tinypool worker-thread pool, or this thread.
 *
 * The pool loads the compiled `run-worker.js` beside this module. Under a
 * TypeScript runner (vitest on `src/*.ts`) there is no compiled worker file,
 * and runs execute in this thread instead; results do not depend on it, as
 * every run is deterministic and tables are ordered by run index.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { executeRun, type RunTask, type RunTaskResult } from './run-worker.js';

/** Executes run tasks, up to its concurrency at once. */
export interface RunExecutor {
  /** `threads`: a worker pool; `in-process`: one at a time in this thread. */
  readonly kind: 'threads' | 'in-process';
  readonly concurrency: number;
  /** Runs a task; when `signal` aborts, a task not finished yet is dropped (its worker stopped) and the promise rejects. */
  run(task: RunTask, signal?: AbortSignal): Promise<RunTaskResult>;
  close(): Promise<void>;
}

/** The default number of workers: the machine's available parallelism. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The compiled worker file, or null when running from TypeScript sources. */
export function workerFile(): string | null {
  const url = new URL('./run-worker.js', import.meta.url);
  if (url.protocol !== 'file:') return null;
  const path = fileURLToPath(url);
  return existsSync(path) && !import.meta.url.endsWith('.ts') ? path : null;
}

/**
 * An executor for `workers` concurrent runs: a thread pool when there is more
 * than one worker, more than one task and a compiled worker file; else this thread.
 */
export function createExecutor(workers: number, tasks = Number.POSITIVE_INFINITY, options: { threadsEvenForOne?: boolean } = {}): RunExecutor {
  const file = workerFile();
  const threads = Math.min(workers, tasks);
  // One worker runs in this thread unless asked otherwise (benchmarks compare like with like).
  if ((threads <= 1 && options.threadsEvenForOne !== true) || file === null) return inProcessExecutor();
  const pool = new Tinypool({ filename: file, minThreads: 1, maxThreads: threads, idleTimeout: 1_000, isolateWorkers: false });
  return {
    kind: 'threads',
    concurrency: threads,
    run: (task, signal) => pool.run(task, signal === undefined ? {} : { signal }) as Promise<RunTaskResult>,
    close: () => pool.destroy(),
  };
}

/**
 * Runs tasks one after another in this thread, yielding to the event loop
 * between runs (so progress shows, and an abort is seen). A run in progress
 * cannot be stopped: an abort drops the tasks not started.
 */
export function inProcessExecutor(): RunExecutor {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'in-process',
    concurrency: 1,
    run(task, signal) {
      const next = queue
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => {
          if (signal?.aborted === true) throw new Error('The task has been aborted');
          return executeRun(task);
        });
      queue = next.catch(() => undefined);
      return next;
    },
    close: async () => {
      await queue;
    },
  };
}
