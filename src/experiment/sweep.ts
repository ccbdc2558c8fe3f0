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
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { renderSweepReport } from '../report/sweep-report.js';
import { RandomStream } from '../engine/random-stream.js';
import { applySets, getIn, resolvePath, type PathValue } from './config-path.js';
import type { ExperimentConfig } from './config.js';
import { ExperimentError, problemsOf } from './load-config.js';
import type { InvariantChecking } from './run.js';
import type { RunTaskResult } from './run-worker.js';
import { ID_COLUMNS, STAT_COLUMNS, normaliseRows, readRunsTable, runRow, runsHeader, runsTablesIn, writeRunsTable } from './runs-table.js';
import { columnsFromCells } from './parquet-writer.js';
import { toDocument, type SweepSpec } from './schema.js';
import { isCompleteRun, writeFileAtomically } from './sinks.js';
import { createExecutor, type RunExecutor } from './worker-pool.js';

/** One run of a sweep. */
export interface Variant {
  /** Position in the expansion order (0-based); rows of the runs table follow it. */
  readonly index: number;
  /** {@link runIdOf} the config. */
  readonly runId: string;
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
    for (const seed of seeds) {
      const withSeed = { ...config, seed };
      variants.push({ index: variants.length, runId: runIdOf(withSeed), seed, params, config: withSeed });
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
  const fail = (message: string) => new ExperimentError([{ where: `--shard ${text}`, path: null, message }]);
  if (m === null) throw fail('expected i/N with 0 ≤ i < N, e.g. --shard 0/4');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw fail('N must be at least 1');
  if (index >= count) throw fail(`shard index ${index} is out of range: shards are 0-based, 0..${count - 1}`);
  return { index, count };
}

/** The runs of a shard. */
export function selectShard<T extends { readonly index: number }>(variants: readonly T[], shard: Shard | null): T[] {
  return shard === null ? [...variants] : variants.filter((v) => v.index % shard.count === shard.index);
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
  /** The runs table written (`runs.csv`, or `runs.shard-i-of-N.csv`). */
  readonly tablePath: string;
  readonly total: number;
  readonly ran: number;
  readonly skipped: number;
  readonly failures: readonly { readonly variant: Variant; readonly message: string }[];
}

/**
 * Runs the variants of a sweep (or of its shard) that are not complete yet,
 * then writes the runs table of every complete run of the slice. A complete
 * run folder is never recomputed, so an interrupted sweep resumes; the table
 * is built from the summary.json files on disk, so it is the same whether a
 * run was computed now or earlier.
 */
export async function runSweep(variants: readonly Variant[], sweep: SweepSpec, options: SweepRunOptions): Promise<SweepOutcome> {
  const { sweepDir } = options;
  const slice = selectShard(variants, options.shard ?? null);
  removeStaleTemps(sweepDir, new Set(slice.map((v) => v.runId)));
  const pending = slice.filter((v) => !isCompleteRun(join(sweepDir, v.runId)));
  const skipped = slice.filter((v) => isCompleteRun(join(sweepDir, v.runId)));
  const executor = options.executor ?? createExecutor(options.workers, pending.length);
  options.onStart?.({ total: slice.length, skipped: skipped.length, toRun: pending.length, executor: executor.kind, concurrency: executor.concurrency });
  for (const v of skipped) options.onRun?.({ kind: 'skipped', variant: v });
  const failures: { variant: Variant; message: string }[] = [];
  try {
    await Promise.all(
      pending.map(async (v) => {
        const runDir = join(sweepDir, v.runId);
        // A task rejects only when its worker dies (out of memory, killed): a failed run, not a failed sweep.
        const result: RunTaskResult = await executor
          .run({ config: v.config, runDir, checkInvariants: options.checkInvariants ?? 'end', replace: false })
          .catch((e: unknown) => ({ ok: false, runDir, message: `worker failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, configPath: null, stack: null }));
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
  const failed = new Set(failures.map((f) => f.variant.runId));
  const rows = slice.filter((v) => !failed.has(v.runId)).map((v) => runRow(v.index, v.runId, v.seed, v.params, JSON.parse(readFileSync(join(sweepDir, v.runId, 'summary.json'), 'utf8'))));
  const shard = options.shard ?? null;
  const base = shard === null ? 'runs' : `runs.shard-${shard.index}-of-${shard.count}`;
  const tablePath = writeRunsTable(sweepDir, base, { header: runsHeader(sweptPaths(sweep)), rows });
  if (shard === null) await writeSweepReport(sweepDir);
  return { sweepDir, tablePath, total: slice.length, ran: pending.length - failures.length, skipped: skipped.length, failures };
}

/** Removes temporary folders of these runs left by processes that are gone (a crash, a kill). */
function removeStaleTemps(sweepDir: string, runIds: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(sweepDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = /^\.tmp-([0-9a-f]{12})-([0-9]+)-[0-9]+(?:-old)?$/.exec(entry);
    if (m === null || !runIds.has(m[1] as string)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || !isAlive(pid)) rmSync(join(sweepDir, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `<sweepDir>/report.html` from its runs tables (`runs.csv`, or the
 * shards' tables when not merged yet).
 */
export async function writeSweepReport(sweepDir: string): Promise<string> {
  const paths = runsTablesIn(sweepDir);
  const merged = paths.find((p) => p.endsWith(`${sep}runs.csv`) || p === 'runs.csv');
  const tables = (merged !== undefined ? [merged] : paths).map(readRunsTable);
  const header = tables[0]?.header ?? [];
  const rows = normaliseRows(tables.flatMap((t) => t.rows));
  const columns = columnsFromCells(header, rows);
  const runs = rows.map((_, r) => Object.fromEntries(columns.map((c) => [c.name, c.kind === 'string' ? (c.data[r] as string | null) : (c.data[r] as number)])));
  const fixed = new Set([...ID_COLUMNS, ...STAT_COLUMNS]);
  const name = basename(resolve(sweepDir));
  const html = await renderSweepReport({ name, parameters: header.filter((h) => !fixed.has(h)), runs, statistics: STAT_COLUMNS });
  const path = join(sweepDir, 'report.html');
  writeFileAtomically(path, html);
  return path;
}

/** A one-line description of a sweep's problem (used by the CLI). */
export function describeFailure(f: { variant: Variant; message: string }): string {
  return `run ${f.variant.index} (${f.variant.runId}, seed ${f.variant.seed}): ${f.message}`;
}
