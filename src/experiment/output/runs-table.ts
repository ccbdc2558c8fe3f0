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
import { getIn } from '../config/config-path.js';
import { shorten } from '../config/duration.js';
import { formatCell, parseCsv, rowsToCsv } from './csv-writer.js';
import { columnsFromCells, parquetBytes } from './parquet-writer.js';
import { OutputError } from './output-error.js';
import { writeFileAtomically } from './durable-write.js';

/**
 * The statistics columns of a runs table: dotted paths into summary.json
 * (`returns.absAcf1` is the ACF of |r| at lag 1; `facts.intervals.5m.absAcf.1` the same
 * at 5 min after the burn-in). A fixed list, so that every
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
  'leverage.cyclesNullMean',
  'leverage.cyclesPValue',
  'leverage.buildUpRatio',
  'leverage.buildUpRatioPValue',
  'leverage.medianBuildUpUs',
  'leverage.medianCollapseUs',
  'leverage.corrWithLaggedVol',
  'leverage.corrLeverageAssets',
  'liquidations.count',
  'liquidations.byTrigger.price',
  'liquidations.byTrigger.terms',
  'cascades.count',
  'cascades.maxLiquidations',
  'cascades.maxNotional',
  'cascades.powerLaw.alpha',
  'cascades.powerLaw.xmin',
  'cascades.powerLaw.n',
  'cascades.shareIn3Plus',
  'episodes.count',
  'episodes.maxLiquidations',
  'episodes.maxNotional',
  'episodes.shareIn3Plus',
  'defaults.borrowers',
  'defaults.lenders',
  'badDebt',
  'funds.bankruptcies',
  'funds.inflows',
  'funds.outflows',
  'funds.bankruptcyEpisodes',
  'funds.largestBankruptcyEpisode',
  'invariants.checks',
  'invariants.violations',
  // FACTS.md facts (summary.json → facts): predictability, clustering, tails at 5 min, VR(15), vol ratio.
  'facts.intervals.1m.acf1',
  'facts.intervals.5m.acf1',
  'facts.intervals.1m.absAcf.1',
  'facts.intervals.5m.absAcf.1',
  'facts.intervals.5m.excessKurtosis',
  'facts.varianceRatio.value',
  'facts.volRatio5m',
];

/**
 * The leading columns of every runs table: the run's index in the sweep, its
 * id (hash of its resolved config, seed included), its seed, the hash of its
 * resolved config without the seed (runs sharing it are replicates of one
 * parameter point), and the sweep's id (see `sweep-manifest.ts`).
 */
export const ID_COLUMNS: readonly string[] = ['run_index', 'run_id', 'seed', 'config_hash', 'sweep_id'];

/** Identifier columns that are text even when a hash happens to be all digits. */
export const TEXT_ID_COLUMNS: ReadonlySet<string> = new Set(['run_id', 'config_hash', 'sweep_id']);

/** The header of a runs table with parameter columns `params` (paths as written: swept, then other `--set` paths). */
export function runsHeader(params: readonly string[]): string[] {
  return [...ID_COLUMNS, ...params, ...STAT_COLUMNS];
}

/** The identifiers of one row, in {@link ID_COLUMNS} order. */
export interface RunIds {
  readonly index: number;
  readonly runId: string;
  readonly seed: number;
  readonly configHash: string;
  readonly sweepId: string;
}

/** One run's row as CSV cells, from its summary.json as parsed JSON. */
export function runRow(ids: RunIds, params: readonly unknown[], summary: unknown): string[] {
  const stat = (path: string): unknown => {
    if (path === 'returns.absAcf1') return (getIn(summary, ['returns', 'absAcf']) as unknown[] | undefined)?.[0];
    return getIn(summary, path.split('.'));
  };
  return [String(ids.index), ids.runId, formatCell(ids.seed), ids.configHash, ids.sweepId, ...params.map(cellOf), ...STAT_COLUMNS.map((c) => cellOf(stat(c)))];
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
  writeFileAtomically(join(dir, `${base}.parquet`), parquetBytes(columnsFromCells(table.header, rows, TEXT_ID_COLUMNS)));
  return csvPath;
}

/**
 * Reads a runs table written by {@link writeRunsTable}.
 *
 * @throws OutputError when the file cannot be read or is not a runs table
 *   (its identifier and statistics columns, one cell per column on every row,
 *   a whole-number run index)
 */
export function readRunsTable(path: string): RunsTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OutputError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const rows = parseCsv(text);
  const header = rows.shift();
  const notOne = (why: string) => new OutputError(path, `not a levsim runs table: ${why}`);
  if (header === undefined || header[0] !== 'run_index' || header[1] !== 'run_id') throw notOne("it does not start with the columns 'run_index,run_id'");
  const missing = STAT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw notOne(`it has no column '${missing[0]}'${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`);
  rows.forEach((row, i) => {
    if (row.length !== header.length) throw notOne(`line ${i + 2} has ${row.length} cells for ${header.length} columns`);
    if (!/^[0-9]{1,15}$/.test(row[0] as string)) throw notOne(`line ${i + 2}: run_index '${shorten(row[0] as string)}' is not a whole number`);
  });
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
