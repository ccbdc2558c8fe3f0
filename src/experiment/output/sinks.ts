/**
 * Output sinks: a run's folder as the output contract describes it
 * (DESIGN.md, "Output contract"), written atomically.
 *
 * | file | content |
 * |---|---|
 * | `config.yaml` | the fully resolved config (loads back to the same config) |
 * | `summary.json` | headline statistics; NaN and ±Infinity as null; written last |
 * | `timeseries.csv`, `trades.csv`, `liquidations.csv`, `cascades.csv` | the tables, agent ids named |
 * | `*.parquet` | the same tables |
 * | `report.html` | the run report (`src/report`) |
 * | `timing.json` | wall time, events/s, memory, state hash: the only file allowed to differ |
 *
 * A folder is written under `.tmp-<name>-<pid>-<thread>` beside its final
 * place, its files and itself are fsynced, and it is renamed when complete,
 * so a folder that exists is complete (and `summary.json` in it says so), even
 * after a power cut. Temporary folders left by a process that died are
 * removed by the next attempt at the same folder.
 *
 * @module
 */

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { Document } from 'yaml';
import type { CascadeTable, LiquidationTable, RunSummary, TimeSeries, TradeTable } from '../../stats/output-tables.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { parseCsv, parseNumberCell, writeCsvFile, type Cell, type CsvColumn } from './csv-writer.js';
import { loadExperiment } from '../config/load-config.js';
import { writeParquetFile, type ColumnKind } from './parquet-writer.js';
import type { RunData, RunResult, RunTiming } from '../run/run.js';
import { renderRunReport } from '../../report/run-report.js';
import type { ReportInput } from '../../report/report-input.js';
import { toDocument } from '../config/to-document.js';

/** A problem writing output (unwritable folder, full disk): one line for the user, exit 1. */
export class OutputError extends Error {
  constructor(
    readonly target: string,
    problem: string,
  ) {
    super(`${target}: ${problem}`);
    this.name = 'OutputError';
  }
}


// ---------------------------------------------------------------------------
// Tables: the column names of DESIGN.md, in its order.

interface ColumnSpec<T> {
  readonly name: string;
  readonly kind: ColumnKind;
  value(table: T, row: number, names: Names): Cell;
}

interface Names {
  agent(id: number): string;
  instrument(id: number): string;
}

const num = (a: readonly number[], i: number) => a[i] as number;

const TIMESERIES: readonly ColumnSpec<TimeSeries>[] = [
  { name: 'time_us', kind: 'int', value: (t, i) => num(t.timeUs, i) },
  { name: 'instrument', kind: 'string', value: (t, i) => t.instrument[i] },
  { name: 'mid', kind: 'float', value: (t, i) => num(t.mid, i) },
  { name: 'last', kind: 'float', value: (t, i) => num(t.last, i) },
  { name: 'volume', kind: 'int', value: (t, i) => num(t.volume, i) },
  { name: 'fundamental', kind: 'float', value: (t, i) => num(t.fundamental, i) },
  { name: 'realized_vol', kind: 'float', value: (t, i) => num(t.realizedVol, i) },
  { name: 'aggregate_leverage', kind: 'float', value: (t, i) => num(t.aggregateLeverage, i) },
  { name: 'mean_haircut', kind: 'float', value: (t, i) => num(t.meanHaircut, i) },
  { name: 'total_debt', kind: 'int', value: (t, i) => num(t.totalDebt, i) },
  { name: 'lender_equity', kind: 'int', value: (t, i) => num(t.lenderEquity, i) },
];

const TRADES: readonly ColumnSpec<TradeTable>[] = [
  { name: 'time_us', kind: 'int', value: (t, i) => num(t.timeUs, i) },
  { name: 'instrument', kind: 'string', value: (t, i, n) => n.instrument(num(t.instrument, i)) },
  { name: 'price', kind: 'int', value: (t, i) => num(t.price, i) },
  { name: 'qty', kind: 'int', value: (t, i) => num(t.qty, i) },
  { name: 'buyer', kind: 'string', value: (t, i, n) => n.agent(num(t.buyer, i)) },
  { name: 'seller', kind: 'string', value: (t, i, n) => n.agent(num(t.seller, i)) },
  { name: 'aggressor', kind: 'string', value: (t, i) => t.aggressor[i] },
  { name: 'cause_id', kind: 'int', value: (t, i) => num(t.causeId, i) },
];

const LIQUIDATIONS: readonly ColumnSpec<LiquidationTable>[] = [
  { name: 'time_us', kind: 'int', value: (t, i) => num(t.timeUs, i) },
  { name: 'loan_id', kind: 'int', value: (t, i) => num(t.loanId, i) },
  { name: 'borrower', kind: 'string', value: (t, i, n) => n.agent(num(t.borrower, i)) },
  { name: 'lender', kind: 'string', value: (t, i, n) => n.agent(num(t.lender, i)) },
  { name: 'liquidator', kind: 'string', value: (t, i, n) => n.agent(num(t.liquidator, i)) },
  { name: 'instrument', kind: 'string', value: (t, i, n) => n.instrument(num(t.instrument, i)) },
  { name: 'qty', kind: 'int', value: (t, i) => num(t.qty, i) },
  { name: 'price', kind: 'int', value: (t, i) => num(t.price, i) },
  { name: 'debt_repaid', kind: 'int', value: (t, i) => num(t.debtRepaid, i) },
  { name: 'bad_debt', kind: 'int', value: (t, i) => num(t.badDebt, i) },
  { name: 'cascade_id', kind: 'int', value: (t, i) => num(t.cascadeId, i) },
  { name: 'cause_id', kind: 'int', value: (t, i) => num(t.causeId, i) },
];

const CASCADES: readonly ColumnSpec<CascadeTable>[] = [
  { name: 'cascade_id', kind: 'int', value: (t, i) => num(t.cascadeId, i) },
  { name: 'start_us', kind: 'int', value: (t, i) => num(t.startUs, i) },
  { name: 'end_us', kind: 'int', value: (t, i) => num(t.endUs, i) },
  { name: 'liquidations', kind: 'int', value: (t, i) => num(t.liquidations, i) },
  { name: 'depth', kind: 'int', value: (t, i) => num(t.depth, i) },
  { name: 'notional', kind: 'int', value: (t, i) => num(t.notional, i) },
  { name: 'price_drop_pct', kind: 'float', value: (t, i) => num(t.priceDropPct, i) },
];

/** The column names of each table of the output contract. */
export const TABLE_COLUMNS = {
  timeseries: TIMESERIES.map((c) => c.name),
  trades: TRADES.map((c) => c.name),
  liquidations: LIQUIDATIONS.map((c) => c.name),
  cascades: CASCADES.map((c) => c.name),
} as const;

function writeTable<T>(dir: string, name: string, specs: readonly ColumnSpec<T>[], table: T, rows: number, names: Names): void {
  // Each cell is computed once, for both files.
  const data = specs.map((s) => {
    const cells = new Array<Cell>(rows);
    for (let r = 0; r < rows; r++) cells[r] = s.value(table, r, names);
    return cells;
  });
  const columns: CsvColumn[] = specs.map((s, c) => ({ name: s.name, cell: (r: number) => (data[c] as Cell[])[r] }));
  writeCsvFile(join(dir, `${name}.csv`), columns, rows);
  writeParquetFile(
    join(dir, `${name}.parquet`),
    specs.map((s, c) => ({ name: s.name, kind: s.kind, data: data[c] as Cell[] })),
  );
}

// ---------------------------------------------------------------------------
// Files.

/** summary.json text: insertion key order (fixed by `summarize`), NaN and ±Infinity as null, 2-space indent. */
export function summaryJson(summary: unknown): string {
  return `${JSON.stringify(summary, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** config.yaml text: the resolved config as a full experiment document. */
export function configYaml(config: ExperimentConfig): string {
  const doc = new Document(toDocument(config));
  doc.commentBefore = ' The fully resolved config of this run (defaults filled in, seed included).\n Run it again with: levsim run config.yaml';
  return doc.toString({ lineWidth: 0 });
}

/** Options of {@link writeRunFolder}. */
export interface WriteOptions {
  /** Replace a complete folder already there (`run`); otherwise keep it (sweeps, resume). Default false. */
  readonly replace?: boolean;
  /** Also write report.html. Default true. */
  readonly report?: boolean;
}

/**
 * Writes a run's folder atomically.
 *
 * @returns false when a complete folder was already there and kept
 * @throws OutputError when the folder cannot be written
 */
export async function writeRunFolder(result: RunResult, runDir: string, options: WriteOptions = {}): Promise<boolean> {
  const names = namesOf(result.agentNames, result.config);
  return writeFolderAtomically(runDir, options.replace ?? false, async (dir) => {
    writeFileSync(join(dir, 'config.yaml'), configYaml(result.config));
    writeTable(dir, 'timeseries', TIMESERIES, result.timeseries, result.timeseries.timeUs.length, names);
    writeTable(dir, 'trades', TRADES, result.trades, result.trades.timeUs.length, names);
    writeTable(dir, 'liquidations', LIQUIDATIONS, result.liquidations, result.liquidations.timeUs.length, names);
    writeTable(dir, 'cascades', CASCADES, result.cascades, result.cascades.cascadeId.length, names);
    if (options.report ?? true) writeFileSync(join(dir, 'report.html'), await renderRunReportHtml(result));
    writeFileSync(join(dir, 'timing.json'), timingJson(result.timing, result.stateHash));
    writeFileSync(join(dir, 'summary.json'), summaryJson(result.summary));
  });
}

function timingJson(timing: RunTiming, stateHash: string): string {
  return `${JSON.stringify({ ...timing, stateHash }, null, 2)}\n`;
}

function namesOf(agentNames: readonly string[], config: ExperimentConfig): Names {
  return {
    agent: (id) => (id >= 0 && id < agentNames.length ? (agentNames[id] as string) : ''),
    instrument: (id) => config.instruments[id]?.symbol ?? '',
  };
}

/** True when `dir` is a complete run folder (its summary.json, written last, is there). */
export function isCompleteRun(dir: string): boolean {
  return existsSync(join(dir, 'summary.json')) && existsSync(join(dir, 'config.yaml'));
}

/** The temporary name of a folder being written by this process and thread. */
export function tempNameOf(finalDir: string): string {
  return join(dirname(finalDir), `.tmp-${basename(finalDir)}-${process.pid}-${threadId}`);
}

/**
 * Removes the temporary folders (see {@link tempNameOf}, and their `-old`
 * companions) of the folders `names` in `parentDir` that were left by
 * processes that are gone (a crash, a kill) or by this process. Temporary
 * folders of other live processes are kept: they may be writing right now.
 * One directory listing for any number of names (a sweep's runs).
 */
export function removeStaleTemps(parentDir: string, names: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(parentDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = /^\.tmp-(.+)-([0-9]+)-[0-9]+(?:-old)?$/.exec(entry);
    if (m === null || !names.has(m[1] as string)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || !isAlive(pid)) rmSync(join(parentDir, entry), { recursive: true, force: true });
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
 * Fills a folder under a temporary name, then renames it into place. On a
 * thrown error the temporary folder is removed and nothing appears at `finalDir`.
 *
 * @param replace replace a folder already at `finalDir`; otherwise keep it
 * @returns false when `finalDir` existed and was kept
 */
export async function writeFolderAtomically(finalDir: string, replace: boolean, fill: (dir: string) => Promise<void> | void): Promise<boolean> {
  const tmp = tempNameOf(finalDir);
  try {
    makeDirs(dirname(finalDir));
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
  } catch (e) {
    throw new OutputError(dirname(finalDir), `cannot write here (${errorCode(e)})`);
  }
  try {
    await fill(tmp);
    syncFolder(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (isFsError(e)) throw new OutputError(finalDir, `cannot write (${errorCode(e)})`);
    throw e;
  }
  if (existsSync(finalDir)) {
    if (!replace && isCompleteRun(finalDir)) {
      rmSync(tmp, { recursive: true, force: true });
      return false;
    }
    const old = `${tmp}-old`;
    renameSync(finalDir, old);
    renameSync(tmp, finalDir);
    syncDir(dirname(finalDir));
    rmSync(old, { recursive: true, force: true });
    return true;
  }
  try {
    renameSync(tmp, finalDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process finished the same run first: its folder is as good as ours.
    if (isCompleteRun(finalDir)) return false;
    throw new OutputError(finalDir, `cannot rename into place (${errorCode(e)})`);
  }
  syncDir(dirname(finalDir));
  return true;
}

/**
 * Flushes a folder's files (recursively) and the folder itself to disk, so
 * that the rename publishing it cannot reach the disk before its contents
 * (without it, a power cut can leave a published folder of empty files).
 */
function syncFolder(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) syncFolder(path);
    else if (entry.isFile()) syncFile(path);
  }
  syncDir(dir);
}

function syncFile(path: string): void {
  // Read-write: Windows flushes only handles opened for writing.
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory's entries (a rename into it); a no-op where directories cannot be opened (Windows). */
function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; the rename is as durable as they make it.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    closeSync(fd);
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir can spin forever on
 * some paths (under /proc), where a plain mkdir fails at once.
 *
 * @throws the file-system error of the first level that cannot be made
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    if (existsSync(at)) {
      if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR', syscall: 'mkdir' });
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Writes a file atomically (temporary name, flushed to disk, then rename). */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.tmp-${basename(path)}-${process.pid}-${threadId}`);
  try {
    makeDirs(dirname(path));
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OutputError(path, `cannot write (${errorCode(e)})`);
  }
}

function isFsError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on device' : code === 'ENOTDIR' ? 'not a directory' : code === 'EROFS' ? 'read-only file system' : (code ?? (e as Error).message);
}

// ---------------------------------------------------------------------------
// Reading a run folder back (for `levsim report DIR`).

/**
 * Reads a complete run folder back into the data its report is drawn from.
 * Agents and instruments are named in the files; here they get ids again
 * (agents in order of first appearance).
 */
export function readRunFolder(dir: string): RunData {
  const config = loadExperiment(join(dir, 'config.yaml')).config;
  const summary = readSummary(join(dir, 'summary.json'));
  const agentNames: string[] = [];
  const agentIds = new Map<string, number>();
  const agent = (name: string) => {
    if (name === '') return -1;
    let id = agentIds.get(name);
    if (id === undefined) {
      id = agentNames.length;
      agentNames.push(name);
      agentIds.set(name, id);
    }
    return id;
  };
  const instrument = (symbol: string) => config.instruments.findIndex((i) => i.symbol === symbol);
  const read = (name: string) => {
    const rows = parseCsv(readRunFile(join(dir, `${name}.csv`)));
    const header = rows.shift() ?? [];
    return (col: string) => {
      const c = header.indexOf(col);
      return rows.map((r) => r[c] ?? '');
    };
  };
  const nums = (cells: string[]) => cells.map(parseNumberCell);
  const ts = read('timeseries');
  const timeseries: TimeSeries = {
    timeUs: nums(ts('time_us')),
    instrument: ts('instrument'),
    mid: nums(ts('mid')),
    last: nums(ts('last')),
    volume: nums(ts('volume')),
    fundamental: nums(ts('fundamental')),
    realizedVol: nums(ts('realized_vol')),
    aggregateLeverage: nums(ts('aggregate_leverage')),
    meanHaircut: nums(ts('mean_haircut')),
    totalDebt: nums(ts('total_debt')),
    lenderEquity: nums(ts('lender_equity')),
  };
  const tr = read('trades');
  const timeUs = nums(tr('time_us'));
  const trades: TradeTable = {
    timeUs,
    instrument: tr('instrument').map(instrument),
    price: nums(tr('price')),
    qty: nums(tr('qty')),
    buyer: tr('buyer').map(agent),
    seller: tr('seller').map(agent),
    aggressor: tr('aggressor') as ('buy' | 'sell')[],
    causeId: nums(tr('cause_id')),
    id: timeUs.map(() => -1),
  };
  const lq = read('liquidations');
  const liquidations: LiquidationTable = {
    timeUs: nums(lq('time_us')),
    loanId: nums(lq('loan_id')),
    borrower: lq('borrower').map(agent),
    lender: lq('lender').map(agent),
    liquidator: lq('liquidator').map(agent),
    instrument: lq('instrument').map(instrument),
    qty: nums(lq('qty')),
    price: nums(lq('price')),
    debtRepaid: nums(lq('debt_repaid')),
    badDebt: nums(lq('bad_debt')),
    cascadeId: nums(lq('cascade_id')),
    causeId: nums(lq('cause_id')),
  };
  const cs = read('cascades');
  const cascades: CascadeTable = {
    cascadeId: nums(cs('cascade_id')),
    startUs: nums(cs('start_us')),
    endUs: nums(cs('end_us')),
    liquidations: nums(cs('liquidations')),
    depth: nums(cs('depth')),
    notional: nums(cs('notional')),
    priceDropPct: nums(cs('price_drop_pct')),
  };
  return { config, summary, timeseries, trades, liquidations, cascades, agentNames };
}

/** A file of a run folder; a missing or unreadable one is an OutputError (the folder was damaged after it was written). */
function readRunFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(path, code === 'ENOENT' ? 'missing: this run folder is incomplete (run it again)' : `cannot read (${errorCode(e)})`);
  }
}

/** summary.json, which must be a JSON object (the report tolerates missing statistics, not another shape). */
function readSummary(path: string): RunSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readRunFile(path));
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(path, `not valid JSON (${(e as Error).message.split('\n')[0]}); run the experiment again to rewrite it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OutputError(path, 'not a levsim summary (expected a JSON object)');
  return parsed as RunSummary;
}

// ---------------------------------------------------------------------------
// Reports (rendered by src/report).

/** The report's view of a run: its tables as they are, the config as in config.yaml. */
export function reportInputOf(data: RunData): ReportInput {
  return {
    name: data.config.name,
    description: data.config.description,
    summary: data.summary,
    timeseries: data.timeseries,
    trades: data.trades,
    liquidations: data.liquidations,
    cascades: data.cascades,
    config: toDocument(data.config),
  };
}

/** report.html of a run. */
export async function renderRunReportHtml(data: RunData): Promise<string> {
  return renderRunReport(reportInputOf(data));
}
