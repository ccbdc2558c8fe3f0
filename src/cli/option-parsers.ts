/**
 * The command's own options, checked: a seed, a worker count, the run
 * budgets. A bad value is a UsageError naming the flag and a short prefix of
 * what was given.
 *
 * @module
 */

import { didYouMean } from '../experiment/config/did-you-mean.js';
import { parseDuration, shorten } from '../experiment/config/duration.js';
import type { RunBudget } from '../experiment/run/run-budget.js';
import { UsageError } from './io.js';

/** The budget flags as given on the command line. */
export interface BudgetFlags {
  readonly maxEvents?: string | undefined;
  readonly maxWall?: string | undefined;
  readonly maxHeap?: string | undefined;
}

/** A seed: a whole number ≥ 0. */
export function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`--seed ${shorten(text)}: expected a whole number ≥ 0`);
  return n;
}

export function parsePositiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n < 1 || n > 1024) throw new UsageError(`${flag} ${shorten(text)}: expected a whole number from 1 to 1024`);
  return n;
}

/** The run budgets given by --max-events, --max-wall and --max-heap (the others default where the run executes). */
export function parseBudget(opts: BudgetFlags): Partial<RunBudget> {
  const budget: { -readonly [K in keyof RunBudget]?: RunBudget[K] } = {};
  if (opts.maxEvents !== undefined) {
    const n = Number(opts.maxEvents);
    if (!/^[0-9]+(e[0-9]+)?$/i.test(opts.maxEvents.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-events ${shorten(opts.maxEvents)}: expected a whole number ≥ 1, e.g. 1e9`);
    budget.events = n;
  }
  if (opts.maxWall !== undefined) {
    const parsed = parseDuration(opts.maxWall);
    if ('problem' in parsed || parsed.us < 1_000_000) throw new UsageError(`--max-wall ${shorten(opts.maxWall)}: expected a duration of at least 1s, e.g. 30m or 2h`);
    budget.wallSeconds = parsed.us / 1e6;
  }
  if (opts.maxHeap !== undefined) {
    const n = Number(opts.maxHeap);
    if (!/^[0-9]+$/.test(opts.maxHeap.trim()) || n < 16 || n > 1_048_576) throw new UsageError(`--max-heap ${shorten(opts.maxHeap)}: expected whole MB from 16 to 1048576 (above V8's heap limit it cannot help: raise that with NODE_OPTIONS=--max-old-space-size)`);
    budget.heapMb = n;
  }
  return budget;
}

/**
 * The tables a run may leave out, by the name `--tables` takes, and the
 * `outputs` key each one sets. The daily, sampled and summary tables are
 * always written: they are what every report and sweep needs, and they do
 * not grow with activity.
 */
export const OPTIONAL_TABLES = { trades: 'outputs.trades' } as const;

/**
 * `--tables LIST`: the optional tables to write, comma-separated (`trades`),
 * or `none`. Returns the `--set` overrides it stands for, every optional
 * table named or not, so the flag wins over the file's `outputs`.
 */
export function tablesSets(text: string): string[] {
  const names = Object.keys(OPTIONAL_TABLES) as (keyof typeof OPTIONAL_TABLES)[];
  const given = text.split(',').map((t) => t.trim());
  const wanted = new Set<string>();
  if (!(given.length === 1 && given[0] === 'none')) {
    for (const t of given) {
      if (!(names as string[]).includes(t)) {
        const hint = didYouMean(t, [...names, 'none']);
        throw new UsageError(`--tables ${shorten(text)}: '${shorten(t)}' is not an optional table${hint}; expected a comma-separated list of ${names.join(', ')}, or none`);
      }
      wanted.add(t);
    }
  }
  return names.map((n) => `${OPTIONAL_TABLES[n]}=${wanted.has(n)}`);
}
