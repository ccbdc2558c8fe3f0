/**
 * A run's folder as the output contract describes it
 * (DESIGN.md, "Output contract"), written atomically.
 *
 * | file | content |
 * |---|---|
 * | `config.yaml` | the fully resolved config (loads back to the same config) |
 * | `summary.json` | headline statistics; NaN and ±Infinity as null; written last |
 * | `timeseries.csv`, `trades.csv`, `liquidations.csv`, `cascades.csv` | the tables, agent ids named |
 * | `episodes.csv` | the liquidations grouped by time gap (`episodeGap`), beside the cascades |
 * | `sessions.csv` | one row per trading day per instrument: daily bar and the credit figures at the close |
 * | `*.parquet` | the same tables |
 * | `report.html` | the run report (`src/report`) |
 * | `timing.json` | wall time, events/s, memory, state hash: the only file allowed to differ |
 *
 * The folder is written atomically (`durable-write.ts`); the tables' columns
 * are `table-columns.ts`; reading a folder back is `read-run-folder.ts`.
 *
 * @module
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import { renderRunReport } from '../../report/run-report.js';
import type { ReportInput } from '../../report/report-input.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { toDocument } from '../config/to-document.js';
import type { RunData, RunResult, RunTiming } from '../run/run.js';
import { writeFolderAtomically } from './durable-write.js';
import { CASCADES, EPISODES, LIQUIDATIONS, SESSIONS, TIMESERIES, writeTable, type Names } from './table-columns.js';
import { writeTradeTable } from './trade-table-writer.js';
import { sessionTable, type SessionTable } from '../../stats/sessions.js';
import { runCalendar } from '../run/scenario.js';

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
    if (result.config.outputs.trades) writeTradeTable(dir, result.trades, names);
    writeTable(dir, 'liquidations', LIQUIDATIONS, result.liquidations, result.liquidations.timeUs.length, names);
    writeTable(dir, 'cascades', CASCADES, result.cascades, result.cascades.cascadeId.length, names);
    writeTable(dir, 'episodes', EPISODES, result.episodes, result.episodes.episodeId.length, names);
    const sessions = sessionsOf(result);
    writeTable(dir, 'sessions', SESSIONS, sessions, sessions.day.length, names);
    if (options.report ?? true) writeFileSync(join(dir, 'report.html'), await renderRunReportHtml(result));
    writeFileSync(join(dir, 'timing.json'), timingJson(result.timing, result.stateHash));
    writeFileSync(join(dir, 'summary.json'), summaryJson(result.summary));
  });
}

/** sessions.csv of a run: derived from its tables and its calendar (so a folder read back has it too). */
export function sessionsOf(data: RunData): SessionTable {
  const calendar = runCalendar(data.config);
  const layout = { sessionUs: calendar.sessionUs, sessions: calendar.sessions, horizonUs: data.config.horizonUs, symbols: data.config.instruments.map((i) => i.symbol) };
  return sessionTable(layout, data.timeseries, data.trades, data.liquidations);
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

/** The report's view of a run: its tables as they are, the config as in config.yaml. */
export function reportInputOf(data: RunData): ReportInput {
  return {
    name: data.config.name,
    description: data.config.description,
    summary: data.summary,
    timeseries: data.timeseries,
    // The report shows the trades' count and volume, which the summary has: the table itself is streamed.
    trades: null,
    liquidations: data.liquidations,
    cascades: data.cascades,
    sessions: sessionsOf(data),
    episodes: data.episodes,
    config: toDocument(data.config),
  };
}

/** report.html of a run. */
export async function renderRunReportHtml(data: RunData): Promise<string> {
  return renderRunReport(reportInputOf(data));
}
