/**
 * The runs table of a sweep (`runs.csv` and `runs.parquet`): one row per run
 * with its index, id, seed, the swept parameters and the headline statistics
 * of its summary.json. Rows are in run-index order and every cell is spelled
 * by `csv-writer.ts`, so the table is byte-identical however the sweep was
 * split among workers, shards and resumed sessions.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIn } from './config-path.js';
import { formatCell, parseCsv, rowsToCsv } from './csv-writer.js';
import { columnsFromCells, parquetBytes } from './parquet-writer.js';
import { OutputError, writeFileAtomically } from './sinks.js';

/**
 * The statistics columns of a runs table: dotted paths into summary.json
 * (`returns.absAcf1` is the ACF of |r| at lag 1). A fixed list, so that every
 * shard of a sweep writes the same header.
 */
export const STAT_COLUMNS: readonly string[] = [
  'events',
  'trades',
  'volume',
  'returns.n',
  'returns.mean',
  'returns.std',
  'returns.skew',
  'returns.excessKurtosis',
  'returns.hillTailIndex',
  'returns.acfLag1',
  'returns.absAcf1',
  'leverage.mean',
  'leverage.max',
  'leverage.cycles',
  'leverage.meanCyclePeriodUs',
  'leverage.corrWithLaggedVol',
  'cascades.count',
  'cascades.maxLiquidations',
  'cascades.maxNotional',
  'cascades.powerLaw.alpha',
  'cascades.powerLaw.xmin',
  'cascades.powerLaw.n',
  'defaults.borrowers',
  'defaults.lenders',
  'badDebt',
  'invariants.checks',
  'invariants.violations',
];

/** The leading columns of every runs table. */
export const ID_COLUMNS: readonly string[] = ['run_index', 'run_id', 'seed'];

/** The header of a runs table sweeping `params` (paths as written in the file). */
export function runsHeader(params: readonly string[]): string[] {
  return [...ID_COLUMNS, ...params, ...STAT_COLUMNS];
}

/** One run's row as CSV cells, from its summary.json as parsed JSON. */
export function runRow(index: number, runId: string, seed: number, params: readonly unknown[], summary: unknown): string[] {
  const stat = (path: string): unknown => {
    if (path === 'returns.absAcf1') return (getIn(summary, ['returns', 'absAcf']) as unknown[] | undefined)?.[0];
    return getIn(summary, path.split('.'));
  };
  return [String(index), runId, formatCell(seed), ...params.map(cellOf), ...STAT_COLUMNS.map((c) => cellOf(stat(c)))];
}

/** A cell from any value (objects as JSON); unquoted (quoting happens when writing). */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return formatCell(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A runs table in memory: header and rows of cells. */
export interface RunsTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Sorts rows by run index and drops repeated run ids (the first kept). */
export function normaliseRows(rows: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>();
  return rows
    .filter((r) => {
      const id = r[1] as string;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map((r) => [...r])
    .sort((a, b) => Number(a[0]) - Number(b[0]) || (a[1] as string).localeCompare(b[1] as string));
}

/**
 * Writes `<dir>/<base>.csv` and `<dir>/<base>.parquet` atomically.
 *
 * @returns the CSV path
 */
export function writeRunsTable(dir: string, base: string, table: RunsTable): string {
  const rows = normaliseRows(table.rows);
  const csvPath = join(dir, `${base}.csv`);
  writeFileAtomically(csvPath, rowsToCsv(table.header, rows));
  writeFileAtomically(join(dir, `${base}.parquet`), parquetBytes(columnsFromCells(table.header, rows)));
  return csvPath;
}

/** Reads a runs table written by {@link writeRunsTable}. */
export function readRunsTable(path: string): RunsTable {
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const header = rows.shift();
  if (header === undefined || header[0] !== 'run_index' || header[1] !== 'run_id') throw new OutputError(path, 'not a levsim runs table');
  return { header, rows };
}

/** The runs tables of a sweep folder: `runs.csv` and the shards' `runs.shard-*.csv`. */
export function runsTablesIn(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new OutputError(dir, existsSync(dir) ? 'cannot read this folder' : 'no such folder');
  }
  return entries.filter((f) => f === 'runs.csv' || /^runs\.shard-[0-9]+-of-[0-9]+\.csv$/.test(f)).sort().map((f) => join(dir, f));
}

/**
 * Joins the runs tables of sweep folders (shards, or partial runs) into one
 * `runs.csv` / `runs.parquet` in `outDir`: rows deduplicated by run id and
 * sorted by run index, so the result is byte-identical to the unsharded sweep's.
 *
 * @throws OutputError when a folder has no runs table or the headers differ
 */
export function mergeRunsTables(dirs: readonly string[], outDir: string): { path: string; rows: number; inputs: number } {
  const paths = dirs.flatMap((d) => {
    const found = runsTablesIn(d);
    if (found.length === 0) throw new OutputError(d, 'no runs.csv or runs.shard-*.csv here');
    return found;
  });
  let header: readonly string[] | null = null;
  const rows: (readonly string[])[] = [];
  for (const path of paths) {
    const table = readRunsTable(path);
    if (header === null) header = table.header;
    else if (table.header.join(',') !== header.join(',')) throw new OutputError(path, 'its columns differ from the other runs tables (not the same sweep?)');
    rows.push(...table.rows);
  }
  const merged = normaliseRows(rows);
  const path = writeRunsTable(outDir, 'runs', { header: header ?? [], rows: merged });
  return { path, rows: merged.length, inputs: paths.length };
}
