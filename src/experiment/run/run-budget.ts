/**
 * Budgets of one run — events, wall time, heap — and the loop that keeps a
 * run within them. The kernel runs in slices of {@link SLICE_EVENTS}
 * deliveries and the budgets are checked between slices, so the hot loop
 * pays nothing for them. A run that exceeds one stops with a
 * {@link BudgetExceeded}: one line naming the budget, the simulated time and
 * the event count, instead of a heap crash or a run that never ends.
 *
 * The wall clock and the heap are read here for the budgets and for
 * `timing.json` only; they never change what a run computes.
 *
 * @module
 */

import { getHeapStatistics } from 'node:v8';
import type { Kernel } from '../../engine/kernel.js';
import type { Micros } from '../../engine/time.js';
import { formatDuration } from '../config/duration.js';

/** The budgets of one run. */
export interface RunBudget {
  /** Most kernel deliveries (messages and wake-ups). */
  readonly events: number;
  /** Most wall-clock seconds of simulation. */
  readonly wallSeconds: number;
  /** Most MB of JavaScript heap in use. */
  readonly heapMb: number;
}

/** Deliveries between two budget checks: a few ms of simulation, so a check costs nothing measurable. */
export const SLICE_EVENTS = 1 << 16;

/** Default event budget: 10^10, a hundred times a year-long run at flagship rates (~10^8 events per simulated week). */
export const DEFAULT_MAX_EVENTS = 10_000_000_000;
/** Default wall-time budget: 24 hours. */
export const DEFAULT_MAX_WALL_SECONDS = 86_400;
/** Share of V8's heap limit the default heap budget allows: the run stops cleanly before V8 would abort the process. */
export const HEAP_BUDGET_SHARE = 0.9;

/** V8's heap limit of this thread, MB (a worker thread has its own). */
export function heapLimitMb(): number {
  return getHeapStatistics().heap_size_limit / 1_048_576;
}

/**
 * The budgets a run gets: those given, the defaults for the rest — far above
 * any normal run, below a crash. The heap default is taken from the heap
 * limit of the thread the run executes in (a worker's own).
 */
export function defaultRunBudget(given: Partial<RunBudget> = {}): RunBudget {
  return {
    events: given.events ?? DEFAULT_MAX_EVENTS,
    wallSeconds: given.wallSeconds ?? DEFAULT_MAX_WALL_SECONDS,
    heapMb: given.heapMb ?? Math.floor(HEAP_BUDGET_SHARE * heapLimitMb()),
  };
}

/** Which budget a run exceeded. */
export type BudgetName = 'event' | 'wall-time' | 'heap';

/** A run stopped because it exceeded a budget. */
export class BudgetExceeded extends Error {
  constructor(
    readonly budget: BudgetName,
    /** The budget and what was used, in words, e.g. `4,096 MB (4,120 MB in use)`. */
    readonly detail: string,
    readonly simTimeUs: Micros,
    readonly events: number,
    /** The flag that raises this budget. */
    readonly flag: string,
    /** Session length of a multi-session run (the time is then told as a trading day), or 0. */
    sessionUs = 0,
  ) {
    super(`run stopped: ${budget} budget of ${detail} exceeded at ${formatSimTime(simTimeUs, sessionUs)}, after ${events.toLocaleString('en-US')} events; raise it with ${flag}`);
    this.name = 'BudgetExceeded';
  }
}

/** What a guarded run measured, for `timing.json`. */
export interface RunMeasures {
  /** Most kernel deliveries pending at once. */
  readonly peakPendingEvents: number;
  /** Most JavaScript heap in use at a check, MB. */
  readonly peakHeapMb: number;
}

/**
 * Runs `kernel` to `until` within `budget`, checking between slices; throws
 * {@link BudgetExceeded}. Stops early, like `Kernel.run`, when the kernel is
 * halted or stopped.
 *
 * @param started `process.hrtime.bigint()` when the run began
 * @param sessionUs session length when the run has more than one session (0 otherwise): a stop then names the trading day
 */
export function runWithinBudget(kernel: Kernel, until: Micros, budget: RunBudget, started: bigint, sessionUs = 0): RunMeasures {
  let peakHeap = heapUsed();
  for (;;) {
    const done = events(kernel);
    // One event past the budget proves the run needs more than it allows.
    const slice = Math.min(SLICE_EVENTS, budget.events + 1 - done);
    const reason = kernel.run({ until, maxSteps: slice });
    const heap = heapUsed();
    if (heap > peakHeap) peakHeap = heap;
    const n = events(kernel);
    if (n > budget.events) throw new BudgetExceeded('event', count(budget.events), kernel.now, n, '--max-events', sessionUs);
    if (heap / 1_048_576 > budget.heapMb) throw new BudgetExceeded('heap', `${count(budget.heapMb)} MB (${count(Math.ceil(heap / 1_048_576))} MB in use)`, kernel.now, n, '--max-heap', sessionUs);
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    if (wall > budget.wallSeconds) throw new BudgetExceeded('wall-time', `${formatDuration(Math.round(budget.wallSeconds * 1e6))}`, kernel.now, n, '--max-wall', sessionUs);
    if (reason !== 'max-steps') break;
  }
  return { peakPendingEvents: kernel.peakPending, peakHeapMb: peakHeap / 1_048_576 };
}

function events(kernel: Kernel): number {
  return kernel.stats.messages + kernel.stats.wakeups;
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Simulated time for people: `2h 03m 04.5s simulated`; in a run of sessions, `1h 02m 3.5s into trading day 3`. */
export function formatSimTime(us: Micros, sessionUs = 0): string {
  if (sessionUs > 0) {
    const day = Math.floor(us / sessionUs);
    return `${clockText(us - day * sessionUs)} into trading day ${day + 1}`;
  }
  return `${clockText(us)} simulated`;
}

function clockText(us: Micros): string {
  const s = us / 1e6;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s - h * 3600) / 60);
  const rest = Number((s - h * 3600 - m * 60).toFixed(3));
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${rest}s`;
  if (m > 0) return `${m}m ${rest}s`;
  return `${rest}s`;
}
