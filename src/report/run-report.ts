/**
 * The report of one run (`report.html`): header, headline statistics beside
 * the stylized facts of real markets, the largest cascades, charts and the
 * resolved config. Self-contained and deterministic: the same input gives
 * the same bytes (no dates, no random ids; see vega-svg.ts).
 *
 * @module
 */

import { stringify } from 'yaml';
import { logReturns, returnStats, type ReturnStats } from '../stats/index.js';
import { escapeHtml, figure, htmlPage, htmlTable, type Cell } from './html.js';
import { formatDuration, formatFixed, formatInteger, formatNumber, isFiniteNumber, MISSING, timeUnitFor } from './format.js';
import { factsSection } from './facts-tables.js';
import { dailyChart } from './daily-chart.js';
import { REFERENCE_FACTS, REFERENCE_SOURCE, type ReferenceFacts, type ReferenceLag } from './reference-facts.js';
import type { MaybeNumber, ReportCascadeTable, ReportInput, ReportReturnStats, ReportTimeSeries } from './report-input.js';
import {
  absAcfChart,
  cascadeCcdfChart,
  creditChart,
  haircutChart,
  leverageChart,
  MAX_ACF_LAG,
  priceChart,
  returnHistogramChart,
  type ChartPlan,
  type InstrumentRows,
  type TimeAxis,
} from './run-charts.js';
import { renderVegaLite } from './vega-svg.js';

/** Rows of each instrument, in order of first appearance (the config's order). */
export function instrumentRows(ts: ReportTimeSeries): InstrumentRows[] {
  const bySymbol = new Map<string, number[]>();
  for (let i = 0; i < ts.instrument.length; i++) {
    const s = String(ts.instrument[i]);
    let rows = bySymbol.get(s);
    if (rows === undefined) bySymbol.set(s, (rows = []));
    rows.push(i);
  }
  return [...bySymbol].map(([symbol, rows]) => ({ symbol, rows }));
}

/** A statistic for a table cell: from the summary, or computed here when the summary lacks it. */
interface Picked {
  readonly value: number;
  readonly computed: boolean;
}

/** The summary's value when present (`null` is a NaN written as JSON), else `fallback`. */
function pick(fromSummary: MaybeNumber, fallback: number): Picked {
  if (typeof fromSummary === 'number') return { value: fromSummary, computed: false };
  if (fromSummary === null) return { value: Number.NaN, computed: false };
  return { value: fallback, computed: true };
}

/** One row of the return statistics table. */
interface ReturnRow {
  readonly label: string;
  readonly sim: (s: ReportReturnStats, c: ReturnStats) => Picked;
  readonly ref: (f: ReferenceFacts) => string;
}

function absAcfRow(lag: ReferenceLag): ReturnRow {
  return {
    label: `acf |r| (${lag})`,
    sim: (s, c) => pick(Array.isArray(s.absAcf) ? s.absAcf[lag - 1] : undefined, c.absAcf[lag - 1] ?? Number.NaN),
    ref: (f) => formatFixed(f.absAcf[lag], 3),
  };
}

const RETURN_ROWS: readonly ReturnRow[] = [
  { label: 'n', sim: (s, c) => pick(s.n, c.n), ref: (f) => formatInteger(f.n) },
  { label: 'sd', sim: (s, c) => pick(s.std, c.std), ref: (f) => (f.sdInPercent ? `${formatFixed(f.sd, 3)} %` : formatFixed(f.sd, 4)) },
  { label: 'skew', sim: (s, c) => pick(s.skew, c.skew), ref: (f) => formatFixed(f.skew, 2) },
  { label: 'excess kurtosis', sim: (s, c) => pick(s.excessKurtosis, c.excessKurtosis), ref: (f) => formatFixed(f.excessKurtosis, 2) },
  { label: 'Hill α (5 %)', sim: (s, c) => pick(s.hillTailIndex, c.hillTailIndex), ref: (f) => formatFixed(f.hill, 2) },
  { label: 'acf r (1)', sim: (s, c) => pick(s.acfLag1, c.acfLag1), ref: (f) => formatFixed(f.acfLag1, 3) },
  absAcfRow(1),
  absAcfRow(10),
  absAcfRow(50),
  absAcfRow(100),
];

function simCell(p: Picked): Cell {
  const text = escapeHtml(formatNumber(p.value));
  return { html: p.computed && text !== MISSING ? `<span class="computed">${text}<sup>†</sup></span>` : text, className: 'sim' };
}

/** One simulated column of the returns table. */
interface SimColumn {
  readonly symbol: string;
  readonly summary: ReportReturnStats;
  readonly computed: ReturnStats;
}

function returnsTable(columns: readonly SimColumn[]): { html: string; anyComputed: boolean } {
  let anyComputed = false;
  const head: Cell[] = [
    'statistic',
    ...columns.map((c) => ({ html: `simulated<span class="sub">${escapeHtml(c.symbol)}</span>`, className: 'sim' })),
    ...REFERENCE_FACTS.map((f, i) => ({
      html: `${escapeHtml(f.label)}<span class="sub">${escapeHtml(f.period)}</span>`,
      ...(i === 0 ? { className: 'ref-first' } : {}),
    })),
  ];
  const rows = RETURN_ROWS.map((row): Cell[] => [
    row.label,
    ...columns.map((c) => {
      const p = row.sim(c.summary, c.computed);
      if (p.computed && Number.isFinite(p.value)) anyComputed = true;
      return simCell(p);
    }),
    ...REFERENCE_FACTS.map((f, i) => (i === 0 ? { html: escapeHtml(row.ref(f)), className: 'ref-first' } : row.ref(f))),
  ]);
  return { html: htmlTable({ head: [head], rows, caption: 'Returns: simulated vs real markets' }), anyComputed };
}

/** A summary number, shown with `format`. */
function stat(x: MaybeNumber | unknown, format: (v: number) => string = (v) => formatNumber(v)): string {
  return typeof x === 'number' ? format(x) : MISSING;
}

function group(label: string): Cell[] {
  return [{ html: escapeHtml(label), className: 'group' }, { html: '', className: 'group' }];
}

function creditTable(input: ReportInput, liquidationCount: number | null): string {
  const s = input.summary;
  const lev = s.leverage ?? {};
  const cas = s.cascades ?? {};
  const pl = cas.powerLaw ?? {};
  const inv = s.invariants ?? {};
  const violations = inv.violations;
  const rows: Cell[][] = [
    group('Leverage'),
    ['mean', stat(lev.mean)],
    ['max', stat(lev.max)],
    ['cycles', stat(lev.cycles)],
    ['cycles of red noise (mean)', stat(lev.cyclesNullMean)],
    ['p-value against red noise', stat(lev.cyclesPValue)],
    ['build-up / collapse (medians, samples)', stat(lev.buildUpRatio)],
    ['the same for time-reversible surrogates (mean)', stat(lev.buildUpRatioNullMean)],
    ['p-value of the asymmetry', stat(lev.buildUpRatioPValue)],
    ['mean cycle period', stat(lev.meanCyclePeriodUs, formatDuration)],
    ['median build-up', stat(lev.medianBuildUpUs, formatDuration)],
    ['median collapse', stat(lev.medianCollapseUs, formatDuration)],
    ['corr(leverage, lagged vol)', stat(lev.corrWithLaggedVol)],
    ['corr(Δ log leverage, Δ log assets)', stat(lev.corrLeverageAssets)],
    group('Cascades'),
    ['count', stat(cas.count)],
    ['max liquidations', stat(cas.maxLiquidations)],
    ['max notional', stat(cas.maxNotional)],
    ['power-law α', stat(pl.alpha)],
    ['power-law x_min', stat(pl.xmin)],
    ['power-law tail n', stat(pl.n)],
    group('Credit'),
    ['liquidations', liquidationCount === null ? MISSING : formatInteger(liquidationCount)],
    ['… after a price move', stat(s.liquidations?.byTrigger?.price)],
    ['… after a terms change', stat(s.liquidations?.byTrigger?.terms)],
    ['borrower defaults', stat(s.defaults?.borrowers)],
    ['lender defaults', stat(s.defaults?.lenders)],
    ['bad debt', stat(s.badDebt)],
    group('Invariants'),
    ['checks', stat(inv.checks)],
    [
      'violations',
      {
        html: escapeHtml(stat(violations)),
        ...(isFiniteNumber(violations) ? { className: violations > 0 ? 'bad' : 'good' } : {}),
      },
    ],
  ];
  return htmlTable({ head: [['statistic', 'value']], rows, caption: 'Leverage, cascades and credit' });
}

/** The ten largest cascades by size (then notional, then id). */
function largestCascades(c: ReportCascadeTable | null | undefined): string {
  const n = c?.cascadeId.length ?? 0;
  if (c === null || c === undefined || n === 0) return '';
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => c.liquidations[b] - c.liquidations[a] || c.notional[b] - c.notional[a] || c.cascadeId[a] - c.cascadeId[b],
  );
  const rows = order.slice(0, 10).map((i): Cell[] => [
    formatNumber(c.cascadeId[i]),
    formatDuration(c.startUs[i]),
    formatDuration(c.endUs[i] - c.startUs[i]),
    formatNumber(c.liquidations[i]),
    formatNumber(c.depth[i]),
    formatNumber(c.notional[i]),
    `${formatNumber(c.priceDropPct[i])} %`,
  ]);
  return htmlTable({
    head: [['cascade', 'start', 'duration', 'liquidations', 'depth', 'notional', 'price drop']],
    rows,
    caption: `Largest cascades (${Math.min(10, n)} of ${formatInteger(n)})`,
    className: 'cascades',
  });
}

function metaItem(label: string, value: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) s += x[i];
  return s;
}

function span(x: ArrayLike<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function invariantAlert(input: ReportInput): string {
  const inv = input.summary.invariants;
  const problems = Array.isArray(inv?.problems) ? inv.problems : [];
  const violations = inv?.violations;
  if (!(isFiniteNumber(violations) && violations > 0) && problems.length === 0) return '';
  const shown = problems.slice(0, 20).map((p) => `<li>${escapeHtml(String(p))}</li>`).join('');
  const more = problems.length > 20 ? `<li>… and ${formatInteger(problems.length - 20)} more</li>` : '';
  return `<div class="alert"><strong>Invariant violations: ${escapeHtml(stat(violations))}.</strong> The results of this run are not trustworthy.${shown === '' ? '' : `<ul>${shown}${more}</ul>`}</div>`;
}

async function renderPlan(plan: ChartPlan, title: string, id: string): Promise<string> {
  if ('spec' in plan) return figure(title, { svg: await renderVegaLite(plan.spec, id) }, plan.caption);
  return figure(title, { note: plan.note }, plan.caption ?? '');
}

/**
 * Renders the report of one run as a self-contained HTML document.
 * Statistics come from `input.summary`; those it lacks (and |r| ACF lags
 * beyond its `absAcf`) are computed from the time series and marked †.
 */
export async function renderRunReport(input: ReportInput): Promise<string> {
  const ts = input.timeseries;
  const instruments = instrumentRows(ts);
  const primary = instruments[0];
  const { min: t0, max: t1 } = span(ts.timeUs);
  const spanUs = Number.isFinite(t1 - t0) ? t1 - t0 : Number.NaN;
  const unit = timeUnitFor(Number.isFinite(spanUs) ? spanUs : 0);
  const axis: TimeAxis = { unit, from: Number.isFinite(t0) ? t0 / unit.us : 0, to: Number.isFinite(t1) ? t1 / unit.us : 1 };

  const returnsBySymbol = new Map<string, number[]>();
  const simColumns: SimColumn[] = [];
  const perInstrument = input.summary.instruments ?? {};
  const multi = instruments.length > 1;
  for (const [k, { symbol, rows }] of instruments.entries()) {
    const r = logReturns(rows.map((i) => ts.mid[i]));
    returnsBySymbol.set(symbol, r);
    // summary.returns is the first instrument's; summary.instruments has each one's.
    const own = multi && Object.hasOwn(perInstrument, symbol) ? perInstrument[symbol]?.returns : undefined;
    const fromSummary = own ?? (k === 0 ? input.summary.returns : undefined);
    simColumns.push({ symbol, summary: fromSummary ?? {}, computed: returnStats(r, { acfLags: MAX_ACF_LAG }) });
  }
  if (simColumns.length === 0) {
    simColumns.push({ symbol: '(no samples)', summary: input.summary.returns ?? {}, computed: returnStats([], { acfLags: MAX_ACF_LAG }) });
  }
  const primaryReturns = primary === undefined ? [] : (returnsBySymbol.get(primary.symbol) ?? []);
  const primaryLabel = primary?.symbol ?? '—';

  const liq = input.liquidations;
  const liquidationCount = liq === null || liq === undefined ? null : liq.timeUs.length;
  const cascadeCount = input.cascades?.cascadeId.length;
  const trades = input.trades;

  const seed = input.summary.seed;
  const events = input.summary.events;
  const meta = [
    metaItem('seed', stat(seed)),
    metaItem('events', stat(events)),
    metaItem('simulated time', formatDuration(spanUs)),
    metaItem('samples', formatInteger(primary?.rows.length ?? 0)),
    metaItem('instruments', instruments.map((i) => i.symbol).join(', ') || MISSING),
    metaItem('trades', trades ? formatInteger(trades.qty.length) : stat(input.summary.trades)),
    metaItem('volume (lots)', trades ? formatNumber(sum(trades.qty)) : stat(input.summary.volume)),
    metaItem('liquidations', liquidationCount === null ? MISSING : formatInteger(liquidationCount)),
    metaItem('cascades', cascadeCount === undefined ? stat(input.summary.cascades?.count) : formatInteger(cascadeCount)),
  ].join('');

  const returns = returnsTable(simColumns);
  const charts: [string, ChartPlan][] = [
    ['Price and fundamental value', priceChart(ts, instruments, axis)],
    ['Leverage and volatility', leverageChart(ts, instruments, axis, liq?.timeUs ?? [])],
    ['Haircuts', haircutChart(ts, instruments, axis)],
    ['Lender capital and debt', creditChart(ts, primary, axis)],
    ['Day by day', dailyChart(input.sessions, input.episodes)],
    ['Cascade sizes', cascadeCcdfChart(input.cascades?.liquidations ?? [])],
    ['Return distribution', returnHistogramChart(primaryReturns, primaryLabel)],
    ['Volatility clustering', absAcfChart(simColumns[0]!.computed.absAcf, primaryReturns.length, primaryLabel)],
  ];
  const rendered: string[] = [];
  for (const [k, [title, plan]] of charts.entries()) rendered.push(await renderPlan(plan, title, `c${k + 1}`));

  const footnotes: string[] = [];
  if (returns.anyComputed) footnotes.push('† not in summary.json: computed here from the mid prices in timeseries.csv with the same estimators.');
  footnotes.push(
    'Simulated returns are log returns of the mid price per sampling interval; the real series are daily. Compare shapes (tails, clustering), not scales.',
  );
  const cascadesTable = largestCascades(input.cascades);
  const config =
    input.config === undefined
      ? ''
      : `<h2>Configuration</h2>\n<details><summary>Resolved configuration (config.yaml)</summary>\n<pre>${escapeHtml(stringify(input.config, { lineWidth: 0 }))}</pre>\n</details>`;

  const body = [
    '<header>',
    `<h1>${escapeHtml(input.name)}</h1>`,
    input.description ? `<p class="description">${escapeHtml(input.description)}</p>` : '',
    `<dl class="meta">${meta}</dl>`,
    '</header>',
    invariantAlert(input),
    '<h2>Headline statistics</h2>',
    '<div class="tables">',
    '<div class="returns">',
    `<div class="scroll">${returns.html}</div>`,
    `<p class="footnote">${footnotes.map(escapeHtml).join('<br>')}</p>`,
    `<p class="source">Real-market figures: ${escapeHtml(REFERENCE_SOURCE)}</p>`,
    '</div>',
    `<div class="scroll">${creditTable(input, liquidationCount)}</div>`,
    '</div>',
    factsSection(input.summary.facts),
    cascadesTable === '' ? '' : `<h2>Cascades</h2>\n<div class="scroll">${cascadesTable}</div>`,
    '<h2>Time series</h2>',
    ...rendered.slice(0, 5),
    '<h2>Distributions</h2>',
    `<div class="charts-2">\n${rendered.slice(5, 7).join('\n')}\n</div>`,
    rendered[7] as string,
    config,
    '<footer>levsim run report. Same run, same bytes: this file holds no dates and fetches nothing.</footer>',
  ]
    .filter((s) => s !== '')
    .join('\n');
  return htmlPage({ title: `${input.name} — levsim report`, body });
}
