/**
 * The report's stylized-facts section (issue 12, item 6): summary.json's
 * `facts` as FACTS.md defines them — per sampling interval beside the real
 * daily series, then predictability, the book and the impact curve. Read
 * loosely: a run written before `facts` existed simply has no section.
 *
 * @module
 */

import type { Loose } from '../stats/output-tables.js';
import type { RunFacts } from '../stats/facts.js';
import { escapeHtml, htmlTable, type Cell } from './html.js';
import { formatDuration, formatFixed, formatInteger, formatNumber, isFiniteNumber, MISSING } from './format.js';
import { REFERENCE_FACTS, type ReferenceFacts } from './reference-facts.js';

/** summary.json → `facts`, loosely (every field may be missing or null). */
export type ReportFacts = Loose<RunFacts>;

/** The |r| ACF lags shown, as keys of a facts entry's `absAcf` and of the real series'. */
const ABS_ACF_LAGS = ['1', '10', '50', '100'] as const;

interface FactRow {
  readonly label: string;
  readonly sim: (entry: Record<string, unknown>) => unknown;
  readonly ref: (f: ReferenceFacts) => string;
}

const FACT_ROWS: readonly FactRow[] = [
  { label: 'returns', sim: (e) => e.n, ref: (f) => formatInteger(f.n) },
  { label: 'sd', sim: (e) => e.sd, ref: (f) => (f.sdInPercent ? `${formatFixed(f.sd, 3)} %` : formatFixed(f.sd, 4)) },
  { label: 'skew', sim: (e) => e.skew, ref: (f) => formatFixed(f.skew, 2) },
  { label: 'excess kurtosis', sim: (e) => e.excessKurtosis, ref: (f) => formatFixed(f.excessKurtosis, 2) },
  { label: 'Hill α (5 %)', sim: (e) => e.hill, ref: (f) => formatFixed(f.hill, 2) },
  { label: 'acf r (1)', sim: (e) => e.acf1, ref: (f) => formatFixed(f.acfLag1, 3) },
  ...ABS_ACF_LAGS.map(
    (lag): FactRow => ({
      label: `acf |r| (${lag})`,
      sim: (e) => (e.absAcf as Record<string, unknown> | undefined)?.[lag],
      ref: (f) => formatFixed(f.absAcf[Number(lag) as keyof ReferenceFacts['absAcf']], 3),
    }),
  ),
];

function value(x: unknown): string {
  return isFiniteNumber(x) ? formatNumber(x) : MISSING;
}

function record(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
}

/** Facts per sampling interval, the real daily series beside them. */
function intervalTable(facts: ReportFacts): string {
  const intervals = Object.entries(record(facts.intervals)).map(([label, e]) => ({ label, entry: record(e) }));
  if (intervals.length === 0) return '';
  const head: Cell[] = [
    'statistic',
    ...intervals.map(({ label }) => ({ html: escapeHtml(label), className: 'sim' })),
    ...REFERENCE_FACTS.map((f, i) => ({ html: `${escapeHtml(f.label)}<span class="sub">${escapeHtml(f.period)}</span>`, ...(i === 0 ? { className: 'ref-first' } : {}) })),
  ];
  const rows = FACT_ROWS.map((row): Cell[] => [
    row.label,
    ...intervals.map(({ entry }) => ({ html: escapeHtml(value(row.sim(entry))), className: 'sim' })),
    ...REFERENCE_FACTS.map((f, i) => (i === 0 ? { html: escapeHtml(row.ref(f)), className: 'ref-first' } : row.ref(f))),
  ]);
  const why = intervals.filter(({ entry }) => typeof entry.missing === 'string').map(({ label, entry }) => `${label}: ${String(entry.missing)}`);
  const caption = 'Stylized facts of mid returns by sampling interval (FACTS.md), beside real daily series';
  return htmlTable({ head: [head], rows, caption }) + (why.length === 0 ? '' : `<p class="footnote">Not measured — ${escapeHtml(why.join('; '))}.</p>`);
}

/** Predictability and the book: the variance ratio, volatility ratio, spread and depth. */
function bookTable(facts: ReportFacts): string {
  const vr = record(facts.varianceRatio);
  const m = record(facts.microstructure);
  const spread = record(m.spreadTicks);
  const depth = record(m.depth);
  const pct = (x: unknown): string => (isFiniteNumber(x) ? `${formatNumber(100 * x)} %` : MISSING);
  const rows: Cell[][] = [
    [`variance ratio VR(${value(vr.q)}) of 1-min returns (1 for a martingale)`, typeof vr.missing === 'string' ? `${MISSING} (${vr.missing})` : value(vr.value)],
    ['sd(mid) / sd(fundamental), 5-min returns', value(facts.volRatio5m)],
    ['median quoted spread, ticks', value(spread.median)],
    ['95th percentile spread, ticks', value(spread.p95)],
    ['samples with a side empty', pct(m.oneSidedShare)],
    ['median bid depth within ±1 % of the mid, lots', value(depth.bidMedian)],
    ['median ask depth within ±1 % of the mid, lots', value(depth.askMedian)],
    ['… as a share of daily volume (bid / ask)', `${pct(depth.bidShareOfDailyVolume)} / ${pct(depth.askShareOfDailyVolume)}`],
    ['daily volume, lots', value(m.dailyVolume)],
  ];
  const burnIn = isFiniteNumber(facts.burnInUs) ? `, after a ${formatDuration(facts.burnInUs)} burn-in` : '';
  return htmlTable({ head: [['statistic', 'value']], rows, caption: `Predictability and the book${burnIn}` });
}

/** The impact curve from probe orders, when an impact probe ran. */
function impactTable(facts: ReportFacts): string {
  const points = Array.isArray(facts.impact) ? facts.impact.map(record) : [];
  if (points.length === 0) return '';
  const daily = record(facts.microstructure).dailyVolume;
  const pct = (x: unknown): string => (isFiniteNumber(x) ? `${formatNumber(100 * x)} %` : MISSING);
  const rows = points.map((p): Cell[] => [
    value(p.qty),
    isFiniteNumber(p.qty) && isFiniteNumber(daily) && daily > 0 ? pct(p.qty / daily) : MISSING,
    value(p.probes),
    value(p.measured),
    isFiniteNumber(p.meanImmediateImpact) ? formatNumber(1e4 * p.meanImmediateImpact) : MISSING,
    isFiniteNumber(p.meanImpact) ? formatNumber(1e4 * p.meanImpact) : MISSING,
    isFiniteNumber(p.standardError) ? formatNumber(1e4 * p.standardError) : MISSING,
    pct(p.emptiedShare),
  ]);
  return htmlTable({
    head: [['probe size, lots', 'of daily volume', 'probes', 'measured', 'impact right after, bp', 'mean impact 1 s after, bp', 'standard error, bp', 'emptied a side']],
    rows,
    caption: 'Price impact of probe market orders (impact.ts)',
  });
}

/** The section's HTML, or '' when summary.json has no `facts`. */
export function factsSection(facts: ReportFacts | null | undefined): string {
  if (facts === null || facts === undefined || typeof facts !== 'object') return '';
  const parts = [intervalTable(facts), bookTable(facts), impactTable(facts)].filter((s) => s !== '');
  return ['<h2>Stylized facts</h2>', ...parts.map((p) => `<div class="scroll">${p}</div>`)].join('\n');
}
