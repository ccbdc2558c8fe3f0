/**
 * Sweeps: a base config expanded over parameters and seeds into a list of
 * runs, each identified by the hash of its resolved config, executed on a
 * worker pool (or a shard of it), resumable, and summarised in a runs table.
 *
 * Expansion order (the run index): grid points (the first axis varies
 * slowest), then zip rows, then random draws, and seeds innermost. A run's
 * variant is derived from the base config with immer (`applySets`) and
 * validated like a file.
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { renderSweepReport } from '../../report/sweep-report.js';
import { RandomStream } from '../../engine/random-stream.js';
import { applySets, getIn, resolvePath, type PathValue } from '../config/config-path.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { ExperimentError, problemsOf } from '../config/load-config.js';
import type { InvariantChecking } from '../run/run.js';
import type { RunBudget } from '../run/run-budget.js';
import type { RunTaskResult } from './run-worker.js';
import { gatherSweep, type MergeOutcome } from './merge.js';
import { ID_COLUMNS, STAT_COLUMNS, TEXT_ID_COLUMNS, normaliseRows, readRunsTable, runRow, runsHeader, runsTablesIn, writeRunsTable } from '../output/runs-table.js';
import { columnsFromCells } from '../output/parquet-writer.js';
import { MAX_RUNS } from '../config/document-shape.js';
import { toDocument } from '../config/to-document.js';
import type { SweepSpec } from '../config/sweep-spec.js';
import { shorten } from '../config/duration.js';
import { isCompleteRun, removeStaleTemps, writeFileAtomically } from '../output/durable-write.js';
import { MANIFEST_FORMAT, manifestPathOf, sweepIdOf, writeManifest } from './sweep-manifest.js';
import { createExecutor, inProcessExecutor, type RunExecutor } from './worker-pool.js';

/** One run of a sweep. */
export interface Variant {
  /** Position in the expansion order (0-based); rows of the runs table follow it. */
  readonly index: number;
  /** {@link runIdOf} the config. */
  readonly runId: string;
  /** {@link configHashOf} the config: equal for the seeds of one parameter point. */
  readonly configHash: string;
  readonly seed: number;
  /** The swept values, resolved (durations in µs), in the order of {@link sweptPaths}. */
  readonly params: readonly unknown[];
  readonly config: ExperimentConfig;
}

/**
 * JSON with keys sorted at every level: the canonical text of a config.
 * (-0 is written as 0, like JSON.stringify does.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** A run's id: the first 12 hex digits of the SHA-256 of the canonical JSON of its resolved config, seed included. */
export function runIdOf(config: ExperimentConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 12);
}

/**
 * The hash of a resolved config without its seed (12 hex digits): the runs
 * of one parameter point under different seeds share it.
 */
export function configHashOf(config: ExperimentConfig): string {
  return createHash('sha256').update(canonicalJson({ ...config, seed: undefined })).digest('hex').slice(0, 12);
}

/** The swept paths, as written, in table order: grid, zip, random. */
export function sweptPaths(sweep: SweepSpec): string[] {
  return [...sweep.grid.map((a) => a.path), ...sweep.zip.map((a) => a.path), ...(sweep.random?.space.map((d) => d.path) ?? [])];
}

/** The seeds of a sweep: `seeds: N` counts up from the base seed. */
export function seedsOf(base: ExperimentConfig, sweep: SweepSpec): number[] {
  if (sweep.seeds === null) return [base.seed];
  if ('count' in sweep.seeds) return Array.from({ length: sweep.seeds.count }, (_, i) => base.seed + i);
  return [...sweep.seeds.list];
}

/** The parameter points of a sweep (without seeds), as lists of changes. */
export function sweepPoints(base: ExperimentConfig, sweep: SweepSpec): PathValue[][] {
  let points: PathValue[][] = [[]];
  for (const axis of sweep.grid) points = points.flatMap((p) => axis.values.map((value) => [...p, { path: axis.path, value }]));
  if (sweep.zip.length > 0) {
    const rows = Array.from({ length: sweep.zip[0]!.values.length }, (_, i) => sweep.zip.map((a) => ({ path: a.path, value: a.values[i] })));
    points = points.flatMap((p) => rows.map((r) => [...p, ...r]));
  }
  if (sweep.random !== null) {
    const stream = new RandomStream(sweep.random.seed ?? base.seed, 'sweep/random');
    const draws = Array.from({ length: sweep.random.n }, () =>
      sweep.random!.space.map((dim): PathValue => {
        if (dim.choices !== null) return { path: dim.path, value: dim.choices[stream.int(0, dim.choices.length - 1)] };
        const { min, max, integer, log } = dim.range!;
        if (integer) {
          if (!log) return { path: dim.path, value: stream.int(Math.ceil(min), Math.floor(max)) };
          const v = Math.round(Math.exp(stream.uniformIn(Math.log(min), Math.log(max))));
          return { path: dim.path, value: Math.min(Math.floor(max), Math.max(Math.ceil(min), v)) };
        }
        return { path: dim.path, value: log ? Math.exp(stream.uniformIn(Math.log(min), Math.log(max))) : stream.uniformIn(min, max) };
      }),
    );
    points = points.flatMap((p) => draws.map((d) => [...p, ...d]));
  }
  return points;
}

/**
 * Expands a sweep into its runs, in run-index order. A file without a sweep
 * gives one run (or one per seed).
 *
 * @throws ExperimentError when a combination of values is invalid (naming the run and its values)
 */
export function expandSweep(base: ExperimentConfig, sweep: SweepSpec): Variant[] {
  const seeds = seedsOf(base, sweep);
  const paths = sweptPaths(sweep);
  const doc = toDocument(base);
  const segments = paths.map((p) => resolvePath(doc, p).config);
  const variants: Variant[] = [];
  for (const point of sweepPoints(base, sweep)) {
    let config: ExperimentConfig;
    try {
      config = applySets(base, point);
    } catch (e) {
      const at = point.map((s) => `${s.path}=${JSON.stringify(s.value)}`).join(' ');
      throw new ExperimentError(problemsOf(e, `sweep run ${variants.length} (${at})`));
    }
    const params = segments.map((s) => getIn(config, s));
    const configHash = configHashOf(config);
    for (const seed of seeds) {
      const withSeed = { ...config, seed };
      variants.push({ index: variants.length, runId: runIdOf(withSeed), configHash, seed, params, config: withSeed });
    }
  }
  return variants;
}

/** A deterministic slice of a sweep: the runs whose index % count == index. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Parses `--shard i/N`: 0-based, 0 ≤ i < N (as a Kubernetes indexed Job's
 * JOB_COMPLETION_INDEX, or a Slurm array `--array=0-(N-1)`).
 *
 * @throws ExperimentError on a malformed or out-of-range shard
 */
export function parseShard(text: string): Shard {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(text);
  const fail = (message: string) => new ExperimentError([{ where: `--shard ${shorten(text)}`, path: null, message }]);
  if (m === null) throw fail('expected i/N with 0 ≤ i < N, e.g. --shard 0/4');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw fail('N must be at least 1');
  // More shards than a sweep may have runs would leave all but a few empty.
  if (count > MAX_RUNS) throw fail(`N must be at most ${MAX_RUNS.toLocaleString('en-US')} (the most runs a sweep may have)`);
  if (index >= count) throw fail(`shard index ${index} is out of range: shards are 0-based, 0..${count - 1}`);
  return { index, count };
}

/** The runs of a shard. */
export function selectShard<T extends { readonly index: number }>(variants: readonly T[], shard: Shard | null): T[] {
  return shard === null ? [...variants] : variants.filter((v) => v.index % shard.count === shard.index);
}

/** A config path set by `--set`: its column name (the path as given) and where it is in a config. */
export interface OverrideColumn {
  readonly path: string;
  readonly segments: readonly (string | number)[];
}

/**
 * The config paths of `--set` flags (`path=value`, as given) that are not
 * swept, each once: a runs table has a column for each, after the swept
 * ones, so every override is on record. The seed (its own column) and what
 * is not a config value (`seeds`, `sweep.*`, `fuzz.*`) get none.
 */
export function overrideColumns(config: ExperimentConfig, sweep: SweepSpec, sets: readonly string[]): OverrideColumn[] {
  const doc = toDocument(config);
  const canonical = (path: string): string | null => {
    try {
      return resolvePath(doc, path).canonical;
    } catch {
      return null;
    }
  };
  const seen = new Set(['seed', ...sweptPaths(sweep).map(canonical)]);
  const columns: OverrideColumn[] = [];
  for (const raw of sets) {
    const eq = raw.indexOf('=');
    const path = raw.slice(0, eq < 0 ? raw.length : eq).trim();
    const at = canonical(path);
    if (at === null || seen.has(at)) continue;
    seen.add(at);
    columns.push({ path, segments: resolvePath(doc, path).config });
  }
  return columns;
}

/** What happens to each run, for progress display. */
export type RunEvent =
  | { readonly kind: 'skipped'; readonly variant: Variant }
  | { readonly kind: 'done'; readonly variant: Variant; readonly wallSeconds: number; readonly events: number }
  | { readonly kind: 'failed'; readonly variant: Variant; readonly message: string };

/** Options of {@link runSweep}. */
export interface SweepRunOptions {
  /** The sweep's folder: run folders `<runid>/`, `runs.csv`, `runs.parquet`. */
  readonly sweepDir: string;
  readonly workers: number;
  readonly shard?: Shard | null;
  readonly checkInvariants?: InvariantChecking;
  /** Budgets of each run (`run-budget.ts`); default none given. */
  readonly budget?: Partial<RunBudget>;
  /** The `--set` flags the sweep was loaded with (recorded in its stamp and as columns). Default none. */
  readonly overrides?: readonly string[];
  /** Stops the sweep (Ctrl-C): runs not finished are dropped, no runs table is written. */
  readonly signal?: AbortSignal;
  /** An executor to use instead of a new one (tests). */
  readonly executor?: RunExecutor;
  /** Called once before the runs start. */
  onStart?(info: { total: number; skipped: number; toRun: number; executor: RunExecutor['kind']; concurrency: number }): void;
  /** Called as each run completes, fails or is found complete already. */
  onRun?(event: RunEvent): void;
}

/** The outcome of a sweep. */
export interface SweepOutcome {
  readonly sweepDir: string;
  /** The runs table written (`runs.csv`, or `runs.shard-i-of-N.csv`); null when interrupted. */
  readonly tablePath: string | null;
  /** Runs of the slice (the shard, or the whole sweep). */
  readonly total: number;
  readonly ran: number;
  readonly skipped: number;
  readonly failures: readonly { readonly variant: Variant; readonly message: string }[];
  /** True when `signal` stopped the sweep. */
  readonly interrupted: boolean;
  /** Runs of the slice complete on disk at the end. */
  readonly complete: number;
}

/**
 * Runs the variants of a sweep (or of its shard) that are not complete yet,
 * then writes the runs table of every complete run of the slice and its
 * stamp (`sweep-manifest.ts`). A complete run folder is never recomputed, so
 * an interrupted sweep resumes; the table is built from the summary.json
 * files on disk, so it is the same whether a run was computed now or earlier.
 */
export async function runSweep(variants: readonly Variant[], sweep: SweepSpec, options: SweepRunOptions): Promise<SweepOutcome> {
  const { sweepDir } = options;
  const slice = selectShard(variants, options.shard ?? null);
  removeStaleTemps(sweepDir, new Set(slice.map((v) => v.runId)));
  const pending = slice.filter((v) => !isCompleteRun(join(sweepDir, v.runId)));
  const skipped = slice.filter((v) => isCompleteRun(join(sweepDir, v.runId)));
  // A worker thread even for one worker: this thread then stays free to see Ctrl-C.
  const executor = options.executor ?? (pending.length === 0 ? inProcessExecutor() : createExecutor(options.workers, pending.length, { threadsEvenForOne: true }));
  const signal = options.signal;
  // Every queued run listens on the one signal until it starts: that is expected, not a leak.
  if (signal !== undefined) setMaxListeners(getMaxListeners(signal) + pending.length, signal);
  options.onStart?.({ total: slice.length, skipped: skipped.length, toRun: pending.length, executor: executor.kind, concurrency: executor.concurrency });
  for (const v of skipped) options.onRun?.({ kind: 'skipped', variant: v });
  const failures: { variant: Variant; message: string }[] = [];
  try {
    await Promise.all(
      pending.map(async (v) => {
        const runDir = join(sweepDir, v.runId);
        // A task rejects only when its worker dies (out of memory, killed): a failed run, not a failed sweep.
        const result: RunTaskResult | null = await executor
          .run({ config: v.config, runDir, checkInvariants: options.checkInvariants ?? 'end', replace: false, ...(options.budget !== undefined && { budget: options.budget }) }, signal)
          .catch((e: unknown) => (signal?.aborted === true ? null : { ok: false as const, runDir, message: `worker failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, configPath: null, stack: null }));
        if (result === null) return;
        if (result.ok) {
          options.onRun?.({ kind: 'done', variant: v, wallSeconds: result.wallSeconds, events: result.events });
        } else {
          const message = result.configPath === null ? result.message : `${result.configPath}: ${result.message}`;
          failures.push({ variant: v, message });
          options.onRun?.({ kind: 'failed', variant: v, message });
        }
      }),
    );
  } finally {
    if (options.executor === undefined) await executor.close();
  }
  failures.sort((a, b) => a.variant.index - b.variant.index);
  const ran = pending.length - failures.length;
  if (signal?.aborted === true) {
    // No table: a partial one could be taken for the sweep's result.
    const complete = slice.filter((v) => isCompleteRun(join(sweepDir, v.runId))).length;
    return { sweepDir, tablePath: null, total: slice.length, ran: complete - skipped.length, skipped: skipped.length, failures, interrupted: true, complete };
  }
  const failed = new Set(failures.map((f) => f.variant.runId));
  const overrides = options.overrides ?? [];
  const extra = variants.length === 0 ? [] : overrideColumns((variants[0] as Variant).config, sweep, overrides);
  const sweepId = sweepIdOf(variants.map((v) => v.runId));
  const rows = slice
    .filter((v) => !failed.has(v.runId))
    .map((v) => {
      const params = [...v.params, ...extra.map((c) => getIn(v.config, c.segments))];
      const summary: unknown = JSON.parse(readFileSync(join(sweepDir, v.runId, 'summary.json'), 'utf8'));
      return runRow({ index: v.index, runId: v.runId, seed: v.seed, configHash: v.configHash, sweepId }, params, summary);
    });
  const shard = options.shard ?? null;
  const base = shard === null ? 'runs' : `runs.shard-${shard.index}-of-${shard.count}`;
  const swept = sweptPaths(sweep);
  const tablePath = writeRunsTable(sweepDir, base, { header: runsHeader([...swept, ...extra.map((c) => c.path)]), rows });
  writeManifest(tablePath, {
    format: MANIFEST_FORMAT,
    name: variants[0]?.config.name ?? basename(resolve(sweepDir)),
    sweepId,
    runs: variants.length,
    shard,
    rows: rows.length,
    seeds: [...new Set(variants.map((v) => v.seed))],
    swept,
    overrides,
  });
  if (shard === null) await writeSweepReport(sweepDir);
  return { sweepDir, tablePath, total: slice.length, ran, skipped: skipped.length, failures, interrupted: false, complete: rows.length };
}

/** What {@link writeSweepReport} wrote and drew from. */
export interface SweepReport {
  readonly path: string;
  /** What the stamped tables drawn cover of their sweep; null for older, unstamped tables. */
  readonly coverage: MergeOutcome | null;
}

/**
 * Writes `<sweepDir>/report.html` from its runs tables (`runs.csv`, or the
 * shards' tables when not merged yet).
 */
export async function writeSweepReport(sweepDir: string): Promise<SweepReport> {
  const paths = runsTablesIn(sweepDir);
  const merged = paths.find((p) => p.endsWith(`${sep}runs.csv`) || p === 'runs.csv');
  const chosen = merged !== undefined ? [merged] : paths;
  // Stamped tables (this version's) must be of one sweep; older unstamped ones are drawn as they are.
  const stamped = chosen.every((p) => existsSync(manifestPathOf(p))) ? gatherSweep(chosen) : null;
  const unstamped = stamped === null ? chosen.map(readRunsTable) : [];
  const header = stamped?.header ?? unstamped[0]?.header ?? [];
  const rows = stamped?.rows ?? normaliseRows(unstamped.flatMap((t) => t.rows));
  const columns = columnsFromCells(header, rows, TEXT_ID_COLUMNS);
  const runs = rows.map((_, r) => Object.fromEntries(columns.map((c) => [c.name, c.kind === 'string' ? (c.data[r] as string | null) : (c.data[r] as number)])));
  const fixed = new Set([...ID_COLUMNS, ...STAT_COLUMNS]);
  const name = basename(resolve(sweepDir));
  // Plotted against the swept parameters only: a --set column holds one value.
  const parameters = stamped?.outcome.manifest.swept ?? header.filter((h) => !fixed.has(h));
  const html = await renderSweepReport({ name, parameters, runs, statistics: STAT_COLUMNS });
  const path = join(sweepDir, 'report.html');
  writeFileAtomically(path, html);
  return { path, coverage: stamped?.outcome ?? null };
}

/** A one-line description of a sweep's problem (used by the CLI). */
export function describeFailure(f: { variant: Variant; message: string }): string {
  return `run ${f.variant.index} (${f.variant.runId}, seed ${f.variant.seed}): ${f.message}`;
}
