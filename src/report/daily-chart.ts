/**
 * The day-by-day chart of a run report (issue 13): from sessions.csv, the
 * close of each trading day — mid, leverage of those who owe, mean haircut,
 * total debt — and the liquidations of each day, with the liquidation
 * episodes of episodes.csv shaded across every panel, so a build-up of
 * leverage over days and its collapse can be read against the margin
 * spirals that ended it.
 *
 * @module
 */

import type { TopLevelSpec } from 'vega-lite';
import type { ChartPlan } from './run-charts.js';
import { escapeHtml } from './html.js';
import type { ReportEpisodeTable, ReportSessionTable } from './report-input.js';

const WIDE = 860;

/** Shortest episode drawn, in days, so a one-liquidation episode still shows. */
const MIN_EPISODE_DAYS = 0.08;

type Row = Record<string, number>;

/**
 * Rows of the first instrument in sessions.csv (the credit figures are the
 * system's, the same on every instrument's rows; the mid is the first
 * instrument's).
 */
function firstInstrumentRows(s: ReportSessionTable): number[] {
  const rows: number[] = [];
  const first = s.instrument[0];
  for (let i = 0; i < s.day.length; i++) if (s.instrument[i] === first) rows.push(i);
  return rows;
}

/**
 * Trading time → days since the first open: day d plus the share of its
 * session gone. Sessions are laid end to end on the simulation clock, so
 * this is exact for every time inside the run.
 */
function dayCoordinate(s: ReportSessionTable, rows: readonly number[], timeUs: number): number {
  for (const i of rows) {
    const start = s.startUs[i] as number;
    const end = s.endUs[i] as number;
    if (timeUs < end || i === rows[rows.length - 1]) return (s.day[i] as number) + Math.min(1, Math.max(0, (timeUs - start) / Math.max(1, end - start)));
  }
  return 0;
}

/** One value per day at its close (x = d + 1), NaN left out. */
function closes(s: ReportSessionTable, rows: readonly number[], column: ArrayLike<number>): Row[] {
  const out: Row[] = [];
  for (const i of rows) {
    const v = column[i] as number;
    if (Number.isFinite(v)) out.push({ t: (s.day[i] as number) + 1, v });
  }
  return out;
}

/** A panel: the episodes shaded behind a line (or bars) of `values`. */
function panel(values: Row[], episodes: Row[], days: number, title: string, opts: { bars?: boolean; labels?: boolean; format?: string; height?: number }): unknown {
  const x = {
    field: 't',
    type: 'quantitative',
    scale: { domain: [0, days], nice: false },
    title: opts.labels === true ? 'trading days' : null,
    ...(opts.labels === true ? {} : { axis: { labels: false, ticks: false } }),
  };
  const y = { field: 'v', type: 'quantitative', title, scale: { zero: opts.bars === true }, ...(opts.format !== undefined && { axis: { format: opts.format } }) };
  const layers: unknown[] = [];
  if (episodes.length > 0) {
    layers.push({ data: { values: episodes }, mark: { type: 'rect', color: '#b3261e', opacity: 0.15 }, encoding: { x, x2: { field: 't2' } } });
  }
  layers.push(
    opts.bars === true
      ? { data: { values: values.map((r) => ({ t: r.t - 0.9, t2: r.t - 0.1, v: r.v })) }, mark: { type: 'rect', color: '#b3261e' }, encoding: { x, x2: { field: 't2' }, y } }
      : { data: { values }, mark: { type: 'line', point: values.length <= 60, color: '#0072B2' }, encoding: { x, y } },
  );
  return { width: WIDE, height: opts.height ?? 90, layer: layers };
}

/**
 * The day-by-day chart, or a note when the run has fewer than two trading
 * days (a single close says nothing about days).
 */
export function dailyChart(sessions: ReportSessionTable | null | undefined, episodes: ReportEpisodeTable | null | undefined): ChartPlan {
  if (sessions === null || sessions === undefined) return { note: 'No sessions table.' };
  const rows = firstInstrumentRows(sessions);
  if (rows.length < 2) return { note: 'One trading session: the day-by-day view needs a run of several days (horizon: 5d or more).' };
  const days = rows.length;
  const shaded: Row[] = [];
  const n = episodes?.startUs.length ?? 0;
  for (let k = 0; k < n; k++) {
    const a = dayCoordinate(sessions, rows, episodes!.startUs[k] as number);
    const b = dayCoordinate(sessions, rows, episodes!.endUs[k] as number);
    shaded.push({ t: a, t2: Math.max(b, a + MIN_EPISODE_DAYS) });
  }
  const liquidations = rows.map((i) => ({ t: (sessions.day[i] as number) + 1, v: sessions.liquidations[i] as number })).filter((r) => r.v > 0);
  const panels = [
    panel(closes(sessions, rows, sessions.closeMid), shaded, days, 'mid at the close, ticks', { height: 110 }),
    panel(closes(sessions, rows, sessions.leveredLeverage), shaded, days, 'leverage of those who owe', {}),
    panel(closes(sessions, rows, sessions.meanHaircut), shaded, days, 'mean haircut', { format: '.0%' }),
    panel(closes(sessions, rows, sessions.totalDebt), shaded, days, 'total debt, minor units', { format: '~s' }),
    panel(liquidations, shaded, days, 'liquidations', { bars: true, labels: true, height: 70 }),
  ];
  return {
    spec: { vconcat: panels, spacing: 6 } as TopLevelSpec,
    caption: escapeHtml(
      `Day by day (sessions.csv; values at each close, the first instrument's mid): leverage of the agents with debt, the lenders' mean haircut, total debt and liquidations per day over ${days} trading days. ` +
        (n > 0 ? `Shaded: the ${n} liquidation episode${n === 1 ? '' : 's'} of episodes.csv (liquidations closer in time than the run's episodeGap), drawn at least ${MIN_EPISODE_DAYS} day wide.` : 'No liquidation episodes.'),
    ),
  };
}
