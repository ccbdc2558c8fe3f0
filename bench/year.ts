/**
 * The year benchmark (issue 13, item 5): the flagship over many trading days
 * through the CLI, as a researcher runs it — `levsim run` with every table
 * but the per-trade one, in its own process. Reports wall time, events,
 * events/s and peak RSS (from the run's timing.json) against the target: a
 * 250-day flagship in at most 5 minutes on one core, under 1 GB.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onlyRunFolder } from './day.js';

/** The target the benchmark is read against. */
export const YEAR_TARGET = { days: 250, wallSeconds: 300, peakRssMb: 1024 } as const;

/** What one long run cost. */
export interface YearRun {
  readonly days: number;
  /** Simulation and outputs, as timing.json reports (the process adds start-up). */
  readonly wallSeconds: number;
  /** The whole `levsim run` process, start-up and report included. */
  readonly processSeconds: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly peakRssMb: number;
}

/** Runs the flagship for `days` trading days in a child `levsim run` and reads its timing.json. */
export function benchYear(days: number = YEAR_TARGET.days): YearRun {
  if (!(Number.isInteger(days) && days >= 1)) throw new Error(`--days wants a whole number of days ≥ 1, got ${days}`);
  const out = mkdtempSync(join(tmpdir(), 'levsim-year-'));
  try {
    const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
    const experiment = fileURLToPath(new URL('../../experiments/leverage-cycle.yaml', import.meta.url));
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, [cli, 'run', experiment, '--set', `horizon=${days}d`, '--set', 'outputs.trades=false', '--out', out, '--quiet'], { stdio: 'ignore' });
    const processSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const timing = JSON.parse(readFileSync(join(onlyRunFolder(out), 'timing.json'), 'utf8')) as { wallSeconds: number; events: number; peakRssMb: number };
    return { days, wallSeconds: timing.wallSeconds, processSeconds, events: timing.events, eventsPerSecond: timing.events / timing.wallSeconds, peakRssMb: timing.peakRssMb };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The run beside the target, scaled to 250 days when fewer were run. */
export function formatYear(r: YearRun): string {
  const perDay = r.wallSeconds / r.days;
  const year = perDay * YEAR_TARGET.days;
  return [
    `flagship over ${r.days} trading day${r.days === 1 ? '' : 's'} (levsim run, all tables but trades.csv, own process):`,
    `  ${r.wallSeconds.toFixed(1)} s run (${r.processSeconds.toFixed(1)} s process), ${perDay.toFixed(2)} s per day${r.days === YEAR_TARGET.days ? '' : `, ${(year / 60).toFixed(1)} min for 250 days at that rate`}; target ${YEAR_TARGET.wallSeconds / 60} min for 250 days`,
    `  ${Math.round(r.events).toLocaleString('en-US')} events, ${Math.round(r.eventsPerSecond).toLocaleString('en-US')} events/s; peak RSS ${r.peakRssMb.toFixed(0)} MB (target under ${YEAR_TARGET.peakRssMb} MB)`,
  ].join('\n');
}
