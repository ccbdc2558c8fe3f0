/**
 * The report of a sweep (`report.html` beside runs.csv): for each swept
 * parameter, each statistic's mean ± sd across seeds against the parameter's
 * value, and a table of the means per parameter combination. Self-contained
 * and deterministic like the run report.
 *
 * @module
 */

import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml, figure, htmlPage, htmlTable, type Cell } from './html.js';
import { formatInteger, formatNumber, MISSING } from './format.js';
import {
  cellNumber,
  groupMeanSd,
  groupRuns,
  paramValue,
  statisticColumns,
  type GroupStat,
  type ParamValue,
  type SweepRow,
} from './sweep-groups.js';
import { renderVegaLite } from './vega-svg.js';

export type { SweepCell, SweepRow } from './sweep-groups.js';

/** Everything `renderSweepReport` reads. */
export interface SweepReportInput {
  /** Experiment name. */
  readonly name: string;
  readonly description?: string;
  /** Names of the swept parameter columns of `runs` (e.g. `lender.haircut.a`). */
  readonly parameters: readonly string[];
  /** The rows of runs.csv: `run_id`, `seed`, the parameters, the flattened statistics (`returns.excessKurtosis`, …). */
  readonly runs: readonly SweepRow[];
  /** Statistic columns to show, in order; default: every column with a finite number that is not `run_id`, `seed` or a parameter. */
  readonly statistics?: readonly string[];
}

/** Beyond this many combinations of the other parameters, a chart averages over them instead of drawing one line each. */
export const MAX_SERIES = 8;

/** A parameter value as written in the config: numbers in JavaScript's shortest round-trip form. */
function valueLabel(v: ParamValue): string {
  return v === null ? MISSING : String(v);
}

/** How one chart places one parameter's values. */
interface XScale {
  readonly quantitative: boolean;
  readonly log: boolean;
  readonly order: readonly ParamValue[];
}

function xScaleOf(runs: readonly SweepRow[], parameter: string): XScale {
  const order = groupRuns(runs, [parameter]).map((g) => g.key[0] as ParamValue);
  const present = order.filter((v) => v !== null);
  const quantitative = present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v));
  const nums = present as number[];
  const log = quantitative && nums.every((v) => v > 0) && Math.max(...nums) / Math.min(...nums) >= 100;
  return { quantitative, log, order };
}

/** A chart of `statistic` against `parameter`, one line per combination of the other parameters. */
function sweepChart(runs: readonly SweepRow[], parameters: readonly string[], parameter: string, statistic: string): { spec: TopLevelSpec; averaged: boolean } {
  const others = parameters.filter((p) => p !== parameter);
  const combos = groupRuns(runs, others).length;
  const averaged = others.length > 0 && combos > MAX_SERIES;
  const groupBy = averaged ? [parameter] : [parameter, ...others];
  const groups: GroupStat[] = groupMeanSd(runs, groupBy, statistic);
  const x = xScaleOf(runs, parameter);
  // One other parameter: its values label the lines, its name titles the legend.
  const seriesOf = (g: GroupStat): string =>
    averaged || others.length === 0
      ? 'mean ± sd'
      : others.length === 1
        ? valueLabel(g.key[1] as ParamValue)
        : others.map((o, i) => `${o} = ${valueLabel(g.key[i + 1] as ParamValue)}`).join(', ');
  const legendTitle = !averaged && others.length === 1 ? others[0] : null;
  const values = groups
    .filter((g) => g.key[0] !== null && Number.isFinite(g.mean))
    .map((g) => {
      const sd = Number.isFinite(g.sd) ? g.sd : 0;
      return { x: x.quantitative ? g.key[0] : valueLabel(g.key[0] as ParamValue), m: g.mean, lo: g.mean - sd, hi: g.mean + sd, n: g.n, s: seriesOf(g) };
    });
  const seriesOrder = [...new Set(values.map((v) => v.s))];
  const xEnc = x.quantitative
    ? { field: 'x', type: 'quantitative', title: parameter, scale: { zero: false, ...(x.log ? { type: 'log' } : {}) } }
    : { field: 'x', type: 'ordinal', title: parameter, sort: x.order.filter((v) => v !== null).map(valueLabel), axis: { labelAngle: 0 } };
  const color = { field: 's', type: 'nominal', title: legendTitle, sort: seriesOrder, legend: seriesOrder.length > 1 ? { columns: 4, labelLimit: 200 } : null };
  // Side by side at each category, so error bars of different lines do not hide each other.
  const offset = !x.quantitative && seriesOrder.length > 1 ? { xOffset: { field: 's', type: 'nominal', sort: seriesOrder } } : {};
  const layers: unknown[] = [
    { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color, ...offset } },
    { mark: { type: 'point', filled: true, size: 40, opacity: 1 }, encoding: { x: xEnc, y: { field: 'm', type: 'quantitative', title: statistic, scale: { zero: false } }, color, ...offset } },
  ];
  if (x.quantitative) layers.unshift({ mark: { type: 'line', strokeWidth: 1, opacity: 0.6 }, encoding: { x: xEnc, y: { field: 'm', type: 'quantitative' }, color } });
  return {
    spec: { data: { values }, width: 380, height: 200, layer: layers } as TopLevelSpec,
    averaged,
  };
}

/** Mean ± sd for a table cell ("—" without finite values; no sd for a single value). */
function meanSdText(g: GroupStat | undefined): string {
  if (g === undefined || g.n === 0) return MISSING;
  return Number.isFinite(g.sd) ? `${formatNumber(g.mean)} ± ${formatNumber(g.sd)}` : formatNumber(g.mean);
}

function meansTable(runs: readonly SweepRow[], parameters: readonly string[], statistics: readonly string[]): string {
  const combos = groupRuns(runs, parameters);
  const byStat = statistics.map((s) => groupMeanSd(runs, parameters, s));
  const head: Cell[] = [...parameters.map((p): Cell => ({ html: escapeHtml(p), className: 'text' })), 'runs', ...statistics];
  const rows = combos.map((c, k): Cell[] => [
    ...c.key.map((v): Cell => ({ html: escapeHtml(valueLabel(v)), className: 'text' })),
    formatInteger(c.rows.length),
    ...byStat.map((groups) => meanSdText(groups[k])),
  ]);
  return htmlTable({
    head: [head],
    rows,
    rowHeaders: parameters.length > 0,
    caption: 'Mean ± sd across seeds, per parameter combination',
    className: 'means',
  });
}

function metaItem(label: string, value: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

/**
 * Renders the report of a sweep as a self-contained HTML document. Statistics
 * that are constant over all runs (or never finite) are listed, not plotted.
 */
export async function renderSweepReport(input: SweepReportInput): Promise<string> {
  const { runs, parameters } = input;
  const statistics = input.statistics ?? statisticColumns(runs, parameters);
  const varying: string[] = [];
  const constant: string[] = [];
  for (const s of statistics) {
    const finite = runs.map((r) => cellNumber(r[s])).filter(Number.isFinite);
    if (finite.length > 0 && finite.some((v) => v !== finite[0])) varying.push(s);
    else constant.push(s);
  }
  const seeds = new Set(runs.map((r) => JSON.stringify(paramValue(r.seed))));
  const combos = groupRuns(runs, parameters).length;

  const paramList = parameters
    .map((p) => {
      const values = groupRuns(runs, [p]).map((g) => valueLabel(g.key[0] as ParamValue));
      return `<li><code>${escapeHtml(p)}</code>: ${escapeHtml(values.join(', '))}</li>`;
    })
    .join('');

  const sections: string[] = [];
  let chart = 0;
  for (const p of parameters) {
    const figures: string[] = [];
    for (const s of varying) {
      const { spec, averaged } = sweepChart(runs, parameters, p, s);
      chart++;
      const caption = escapeHtml(
        `Mean of ${s} across seeds at each value of ${p}; bars: ± one sample sd.` +
          (averaged ? ' Averaged over the other parameters (too many combinations for one line each).' : ''),
      );
      figures.push(figure(`${s} vs ${p}`, { svg: await renderVegaLite(spec, `s${chart}`) }, caption));
    }
    sections.push(`<h2>Against <code>${escapeHtml(p)}</code></h2>`);
    sections.push(figures.length > 0 ? `<div class="charts-2">\n${figures.join('\n')}\n</div>` : '<p class="note">No statistic varies across runs.</p>');
  }

  const body = [
    '<header>',
    `<h1>${escapeHtml(input.name)}</h1>`,
    input.description ? `<p class="description">${escapeHtml(input.description)}</p>` : '',
    `<dl class="meta">${[
      metaItem('runs', formatInteger(runs.length)),
      metaItem('parameter combinations', formatInteger(combos)),
      metaItem('seeds', formatInteger(seeds.size)),
      metaItem('statistics', formatInteger(statistics.length)),
    ].join('')}</dl>`,
    '</header>',
    '<h2>Swept parameters</h2>',
    parameters.length > 0 ? `<ul>${paramList}</ul>` : '<p class="note">No swept parameters: seeds only.</p>',
    '<h2>Means</h2>',
    runs.length > 0 ? `<div class="scroll">${meansTable(runs, parameters, statistics)}</div>` : '<p class="note">No runs.</p>',
    constant.length > 0
      ? `<p class="footnote">Not plotted (constant over all runs, or never defined): ${constant.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}.</p>`
      : '',
    ...sections,
    '<footer>levsim sweep report. Same runs table, same bytes: this file holds no dates and fetches nothing.</footer>',
  ]
    .filter((s) => s !== '')
    .join('\n');
  return htmlPage({ title: `${input.name} — levsim sweep report`, body });
}
