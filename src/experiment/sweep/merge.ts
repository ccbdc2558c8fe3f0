/**
 * `levsim merge`: joins the runs tables of a sweep's shards (or of partial
 * passes) into one `runs.csv` / `runs.parquet` / `sweep.json`, byte-identical
 * to the unsharded sweep's. Every table must carry the stamp of one and the
 * same sweep (`sweep-manifest.ts`): tables of different sweeps are refused
 * with what differs, and runs missing from every table are listed (the merge
 * is refused unless partial results are asked for).
 *
 * @module
 */

import { ExperimentError } from '../config/load-config.js';
import { manifestDifferences, readManifest, writeManifest, type SweepManifest } from './sweep-manifest.js';
import { normaliseRows, readRunsTable, runsTablesIn, writeRunsTable, type RunsTable } from '../output/runs-table.js';
import { OutputError } from '../output/output-error.js';

/** A runs table with its stamp. */
export interface StampedTable {
  readonly path: string;
  readonly table: RunsTable;
  readonly manifest: SweepManifest;
}

/**
 * Reads a runs table and its stamp, and checks that they belong together.
 *
 * @throws OutputError when the stamp is missing, malformed or not this table's
 */
export function readStampedTable(path: string): StampedTable {
  const table = readRunsTable(path);
  const manifest = readManifest(path);
  const col = table.header.indexOf('sweep_id');
  if (col < 0) throw new OutputError(path, "has no sweep_id column: written by an older levsim? Run 'levsim sweep' again with the same options to stamp it (complete runs are not recomputed)");
  const torn = table.rows.length !== manifest.rows || table.rows.some((r) => r[col] !== manifest.sweepId);
  if (torn) throw new OutputError(path, "does not match its sweep stamp (interrupted while writing, or copied from elsewhere?): run 'levsim sweep' again with the same options to rewrite both");
  for (const r of table.rows) {
    const index = Number(r[0]);
    if (!Number.isSafeInteger(index) || index < 0 || index >= manifest.runs) throw new OutputError(path, `run_index ${r[0]} is outside the sweep's ${manifest.runs} runs`);
  }
  return { path, table, manifest };
}

/**
 * Checks that stamped tables are of one sweep with one set of columns.
 *
 * @throws ExperimentError naming two tables of different sweeps and what differs; OutputError when the columns differ
 */
export function checkOneSweep(tables: readonly StampedTable[]): void {
  const first = tables[0];
  if (first === undefined) return;
  for (const t of tables.slice(1)) {
    if (t.manifest.sweepId !== first.manifest.sweepId) {
      const what = (s: StampedTable) => `${s.path} (${s.manifest.name}, ${s.manifest.runs} runs, sweep ${s.manifest.sweepId})`;
      throw new ExperimentError([
        { where: null, path: null, message: `cannot merge runs tables of different sweeps: ${what(first)} and ${what(t)} differ in ${manifestDifferences(first.manifest, t.manifest).join('; ')}` },
      ]);
    }
    if (t.table.header.join('\n') !== first.table.header.join('\n')) {
      const a = new Set(first.table.header);
      const b = new Set(t.table.header);
      const only = (x: Set<string>, y: Set<string>) => [...x].filter((h) => !y.has(h));
      const diff = [...only(b, a).map((h) => `+${h}`), ...only(a, b).map((h) => `-${h}`)];
      throw new OutputError(t.path, `its columns differ from ${first.path}'s (${diff.join(', ') || 'another order'}): the same runs with other --set flags?`);
    }
  }
}

/** Options of {@link mergeSweeps}. */
export interface MergeOptions {
  /** Write the merged table even when runs are missing. Default false. */
  readonly allowPartial?: boolean;
}

/** What a merge found and wrote. */
export interface MergeOutcome {
  /** The merged runs.csv; null when missing runs refused the merge. */
  readonly path: string | null;
  /** Runs tables read. */
  readonly inputs: number;
  readonly manifest: SweepManifest;
  /** Runs merged (rows of the table). */
  readonly rows: number;
  /** Run indices found in no table, ascending. */
  readonly missing: readonly number[];
  /** Shards (`i/N`) with no table, when every table read is a shard of one count N. */
  readonly absentShards: readonly string[];
}

/**
 * Merges the stamped runs tables found in `dirs` (`runs.csv`,
 * `runs.shard-*.csv`) into `outDir`: rows deduplicated by run id and sorted by
 * run index, with a `sweep.json` stamp of the whole sweep.
 *
 * @throws OutputError when a folder has no runs table or a table is unstamped
 *   or damaged; ExperimentError when the tables are of different sweeps
 */
export function mergeSweeps(dirs: readonly string[], outDir: string, options: MergeOptions = {}): MergeOutcome {
  const paths = [
    ...new Set(
      dirs.flatMap((d) => {
        const found = runsTablesIn(d);
        if (found.length === 0) throw new OutputError(d, 'no runs.csv or runs.shard-*.csv here');
        return found;
      }),
    ),
  ];
  const { outcome, header, rows } = gatherSweep(paths);
  if (outcome.missing.length > 0 && options.allowPartial !== true) return outcome;
  const path = writeRunsTable(outDir, 'runs', { header, rows });
  writeManifest(path, outcome.manifest);
  return { ...outcome, path };
}

/**
 * Reads stamped runs tables of one sweep and joins their rows (deduplicated,
 * sorted by run index), with what they cover of the sweep; writes nothing.
 * Shared by the merge and by the sweep report, which must say when it covers
 * only part of its sweep.
 *
 * @throws as {@link mergeSweeps}
 */
export function gatherSweep(paths: readonly string[]): { outcome: MergeOutcome; header: readonly string[]; rows: string[][] } {
  const tables = paths.map(readStampedTable);
  checkOneSweep(tables);
  const first = tables[0] as StampedTable;
  const rows = normaliseRows(tables.flatMap((t) => t.table.rows));
  const present = new Set(rows.map((r) => Number(r[0])));
  const missing: number[] = [];
  for (let i = 0; i < first.manifest.runs; i++) if (!present.has(i)) missing.push(i);
  const manifest: SweepManifest = { ...first.manifest, shard: null, rows: rows.length };
  const outcome = { path: null, inputs: tables.length, manifest, rows: rows.length, missing, absentShards: absentShards(tables) };
  return { outcome, header: first.table.header, rows };
}

function absentShards(tables: readonly StampedTable[]): string[] {
  const shards = tables.map((t) => t.manifest.shard);
  const count = shards[0]?.count;
  if (count === undefined || shards.some((s) => s === null || s.count !== count)) return [];
  const have = new Set(shards.map((s) => s!.index));
  return Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i)).map((i) => `${i}/${count}`);
}

/** One line on the missing runs of a merge: how many, which (as ranges), and the shards without a table. */
export function describeMissing(outcome: MergeOutcome): string {
  const shards = outcome.absentShards.length === 0 ? '' : `; no runs table of shard${outcome.absentShards.length === 1 ? '' : 's'} ${outcome.absentShards.join(', ')}`;
  return `${outcome.missing.length} of ${outcome.manifest.runs} runs missing (run_index ${indexRanges(outcome.missing)})${shards}`;
}

/** `1, 3, 5-9, 12`, at most 20 ranges. */
export function indexRanges(indices: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    ranges.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return ranges.length <= 20 ? ranges.join(', ') : `${ranges.slice(0, 20).join(', ')}, … (${ranges.length - 20} more ranges)`;
}
