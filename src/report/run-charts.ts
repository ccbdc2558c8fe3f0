/**
 * The Vega-Lite specs of a run report. Each builder takes prepared columns
 * and returns a spec with its caption, or a note saying why there is nothing
 * to plot. Data is always inline and field names are fixed identifiers (no
 * dots: Vega-Lite would read them as nested paths).
 *
 * @module
 */

import type { TopLevelSpec } from 'vega-lite';
import { fitPowerLaw, hurwitzZeta, mean, std } from '../stats/index.js';
import { downsampleMinMax } from './downsample.js';
import { escapeHtml } from './html.js';
import { formatInteger, formatNumber, type TimeUnit } from './format.js';
import { REFERENCE_ABS_ACF_LAGS, SP500 } from './reference-facts.js';
import type { ReportTimeSeries } from './report-input.js';

/** A chart to render, or a note in its place. */
export type ChartPlan = { readonly spec: TopLevelSpec; readonly caption: string } | { readonly note: string; readonly caption?: string };

/** Rows of one instrument in a time series. */
export interface InstrumentRows {
  readonly symbol: string;
  /** Row indices, in time order. */
  readonly rows: readonly number[];
}

/** Column accessor names of {@link ReportTimeSeries} holding numbers. */
type NumericColumn = Exclude<keyof ReportTimeSeries, 'instrument'>;

const WIDE = 860;
const NARROW = 400;

type Row = Record<string, number | string>;

/** The time window every time-series chart shows, in display units. */
export interface TimeAxis {
  readonly unit: TimeUnit;
  readonly from: number;
  readonly to: number;
}

/** Downsampled (t, value) rows of one column for one instrument, tagged with `tags`. */
function seriesRows(ts: ReportTimeSeries, rows: readonly number[], column: NumericColumn, axis: TimeAxis, tags: Row): Row[] {
  const col = ts[column];
  const x = rows.map((i) => ts.timeUs[i] / axis.unit.us);
  const y = rows.map((i) => col[i]);
  const d = downsampleMinMax(x, y);
  return d.x.map((t, k) => ({ t, v: d.y[k], ...tags }));
}

/** Time axis of a time-series chart; `labels: false` for the upper panels of a stack. */
function timeX(axis: TimeAxis, labels = true) {
  const domain = axis.to > axis.from ? [axis.from, axis.to] : [axis.from, axis.from + 1];
  return {
    field: 't',
    type: 'quantitative',
    scale: { domain, nice: false },
    title: labels ? `simulated time (${axis.unit.label})` : null,
    ...(labels ? {} : { axis: { labels: false, ticks: false } }),
  } as const;
}

/** 1. Mid price and fundamental value over time, one panel per instrument. */
export function priceChart(ts: ReportTimeSeries, instruments: readonly InstrumentRows[], axis: TimeAxis): ChartPlan {
  const values: Row[] = [];
  for (const { symbol, rows } of instruments) {
    values.push(...seriesRows(ts, rows, 'mid', axis, { series: 'mid', instrument: symbol }));
    values.push(...seriesRows(ts, rows, 'fundamental', axis, { series: 'fundamental', instrument: symbol }));
  }
  if (values.length === 0) return { note: 'No price samples.' };
  const series = { domain: ['mid', 'fundamental'], range: ['#0072B2', '#8a93a3'] };
  return {
    spec: {
      data: { values },
      facet: { row: { field: 'instrument', type: 'nominal', title: null, sort: instruments.map((i) => i.symbol), header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start' } } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: WIDE,
        height: instruments.length > 2 ? 130 : 180,
        mark: { type: 'line', strokeWidth: 1.25 },
        encoding: {
          x: timeX(axis),
          y: { field: 'v', type: 'quantitative', scale: { zero: false }, title: 'price (ticks)' },
          color: { field: 'series', type: 'nominal', scale: series, title: null },
          strokeDash: { field: 'series', type: 'nominal', scale: { domain: series.domain, range: [[1, 0], [5, 3]] }, title: null },
        },
      },
    },
    caption: 'Mid (mark) price sampled at the sampling interval, and the fundamental value the value traders anchor on.',
  };
}

/**
 * 2. Leverage of the agents with debt above realised volatility (shared time axis), and
 * liquidations per time bucket when there were any.
 */
export function leverageChart(
  ts: ReportTimeSeries,
  instruments: readonly InstrumentRows[],
  axis: TimeAxis,
  liquidationTimesUs: ArrayLike<number>,
): ChartPlan {
  const primary = instruments[0];
  if (primary === undefined || primary.rows.length === 0) return { note: 'No samples.' };
  const leverage = seriesRows(ts, primary.rows, 'leveredLeverage', axis, {});
  const vol: Row[] = [];
  for (const { symbol, rows } of instruments) vol.push(...seriesRows(ts, rows, 'realizedVol', axis, { instrument: symbol }));
  const withLiquidations = liquidationTimesUs.length > 0;
  const panels: unknown[] = [
    {
      data: { values: leverage },
      width: WIDE,
      height: 140,
      mark: { type: 'line', color: '#0072B2' },
      encoding: { x: timeX(axis, false), y: { field: 'v', type: 'quantitative', scale: { zero: false }, title: 'leverage of those with debt' } },
    },
    {
      data: { values: vol },
      width: WIDE,
      height: 120,
      mark: { type: 'line' },
      encoding: {
        x: timeX(axis, !withLiquidations),
        y: { field: 'v', type: 'quantitative', title: 'realised volatility' },
        color: { field: 'instrument', type: 'nominal', title: null, scale: { domain: instruments.map((i) => i.symbol), range: ['#D55E00', '#E69F00', '#CC79A7', '#009E73', '#56B4E9'] } },
      },
    },
  ];
  if (withLiquidations) {
    const { from, to } = axis;
    const buckets = Math.max(1, Math.min(200, primary.rows.length));
    const width = (to - from) / buckets || 1;
    const counts = new Array<number>(buckets).fill(0);
    for (let i = 0; i < liquidationTimesUs.length; i++) {
      const t = liquidationTimesUs[i] / axis.unit.us;
      if (Number.isFinite(t)) counts[Math.min(buckets - 1, Math.max(0, Math.floor((t - from) / width)))] += 1;
    }
    const bars: Row[] = [];
    counts.forEach((c, b) => {
      if (c > 0) bars.push({ t: from + b * width, t2: from + (b + 1) * width, c });
    });
    panels.push({
      data: { values: bars },
      width: WIDE,
      height: 70,
      mark: { type: 'rect', color: '#b3261e' },
      encoding: { x: timeX(axis), x2: { field: 't2' }, y: { field: 'c', type: 'quantitative', title: 'liquidations' } },
    });
  }
  return {
    spec: { vconcat: panels, spacing: 6, resolve: { scale: { x: 'shared', color: 'independent' } } } as TopLevelSpec,
    caption:
      'Leverage of the agents with debt (Σ assets / Σ equity; a gap while nobody owes) above the realised volatility of mid returns' +
      (withLiquidations ? ' and the number of liquidations per time bucket' : '') +
      '. Procyclical haircuts should make leverage fall after volatility rises; the table gives the correlation measured.',
  };
}

/** 3. Mean initial haircut over lenders, per instrument. */
export function haircutChart(ts: ReportTimeSeries, instruments: readonly InstrumentRows[], axis: TimeAxis): ChartPlan {
  const values: Row[] = [];
  for (const { symbol, rows } of instruments) values.push(...seriesRows(ts, rows, 'meanHaircut', axis, { instrument: symbol }));
  if (values.length === 0) return { note: 'No samples.' };
  return {
    spec: {
      data: { values },
      width: WIDE,
      height: 140,
      mark: { type: 'line' },
      encoding: {
        x: timeX(axis),
        y: { field: 'v', type: 'quantitative', title: 'mean haircut h', axis: { format: '.0%' } },
        color: { field: 'instrument', type: 'nominal', title: null, scale: { domain: instruments.map((i) => i.symbol) } },
      },
    },
    caption: 'Mean initial haircut h over lenders (maximum leverage 1/h). Zero throughout means the run had no credit venue.',
  };
}

/** 4. Lender equity and total outstanding debt (minor units). */
export function creditChart(ts: ReportTimeSeries, primary: InstrumentRows | undefined, axis: TimeAxis): ChartPlan {
  if (primary === undefined || primary.rows.length === 0) return { note: 'No samples.' };
  const values = [
    ...seriesRows(ts, primary.rows, 'lenderEquity', axis, { series: 'lender equity' }),
    ...seriesRows(ts, primary.rows, 'totalDebt', axis, { series: 'total debt' }),
  ];
  return {
    spec: {
      data: { values },
      width: WIDE,
      height: 160,
      mark: { type: 'line' },
      encoding: {
        x: timeX(axis),
        y: { field: 'v', type: 'quantitative', title: 'minor units', axis: { format: '~s' } },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['lender equity', 'total debt'], range: ['#009E73', '#D55E00'] } },
      },
    },
    caption: 'Σ lender equity (capital) and Σ outstanding debt. Bad debt shows as a drop in lender equity; a lender whose equity turns negative defaults.',
  };
}

/** Minimum number of cascades for the size distribution to be shown. */
export const MIN_CASCADES_FOR_CCDF = 10;

/** 5. CCDF of cascade sizes (liquidations per cascade) on log-log axes, with the discrete power-law fit. */
export function cascadeCcdfChart(sizes: ArrayLike<number>): ChartPlan {
  const data: number[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i];
    if (Number.isInteger(s) && s >= 1) data.push(s);
  }
  if (data.length < MIN_CASCADES_FOR_CCDF) {
    return { note: `${formatInteger(data.length)} cascade${data.length === 1 ? '' : 's'}: too few for a size distribution (needs ≥ ${MIN_CASCADES_FOR_CCDF}).` };
  }
  data.sort((a, b) => a - b);
  const N = data.length;
  const values: Row[] = [];
  for (let i = 0; i < N; i++) {
    if (i > 0 && data[i] === data[i - 1]) continue;
    values.push({ x: data[i], y: (N - i) / N, series: 'cascades' });
  }
  const fit = fitPowerLaw(data, { kind: 'discrete' });
  let caption = `Complementary CDF P(S ≥ s) of cascade size S (liquidations per cascade), ${formatInteger(N)} cascades.`;
  if (fit !== null) {
    // P(S ≥ s) = (n_tail / N) · ζ(α, s) / ζ(α, x_min) for s ≥ x_min.
    const z0 = hurwitzZeta(fit.alpha, fit.xmin);
    const max = data[N - 1];
    const xs = new Set<number>();
    for (let k = 0; k <= 60; k++) xs.add(Math.round(fit.xmin * (max / fit.xmin) ** (k / 60)));
    for (const x of [...xs].sort((a, b) => a - b)) {
      values.push({ x, y: (fit.n / N) * (hurwitzZeta(fit.alpha, x) / z0), series: `power law α = ${formatNumber(fit.alpha)}` });
    }
    caption += ` Line: discrete power law fitted by maximum likelihood with x_min chosen by KS distance (Clauset, Shalizi & Newman 2009): α = ${formatNumber(fit.alpha)}, x_min = ${formatNumber(fit.xmin)}, ${formatInteger(fit.n)} cascades in the tail.`;
  } else {
    caption += ' No power law could be fitted (too few distinct sizes in the tail).';
  }
  return {
    spec: {
      data: { values },
      width: NARROW,
      height: 260,
      layer: [
        {
          transform: [{ filter: "datum.series === 'cascades'" }],
          mark: { type: 'point', filled: true, size: 30 },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: 'cascade size s (liquidations)' },
            y: { field: 'y', type: 'quantitative', scale: { type: 'log' }, title: 'P(S ≥ s)' },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
        {
          transform: [{ filter: "datum.series !== 'cascades'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'y', type: 'quantitative' },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
      ],
      resolve: { scale: { color: 'shared' } },
    } as TopLevelSpec,
    caption: escapeHtml(caption),
  };
}

/** Standard normal density. */
function gaussian(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** 6. Histogram of standardised returns on a log density axis, against the standard normal density. */
export function returnHistogramChart(returns: readonly number[], label: string): ChartPlan {
  const n = returns.length;
  const m = mean(returns);
  const s = std(returns);
  if (n < 10 || !(s > 0)) return { note: `${formatInteger(n)} returns${n >= 10 ? ' with zero variance' : ''}: nothing to plot.` };
  const z = returns.map((r) => (r - m) / s);
  let zmax = 4;
  for (const v of z) zmax = Math.max(zmax, Math.abs(v));
  zmax = Math.ceil(zmax);
  const width = Math.max(0.25, (2 * zmax) / 160);
  const bins = Math.ceil((2 * zmax) / width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of z) counts[Math.min(bins - 1, Math.floor((v + zmax) / width))] += 1;
  const floor = 0.5 / (n * width);
  const values: Row[] = [];
  let maxDensity = 0;
  counts.forEach((c, b) => {
    if (c === 0) return;
    const d = c / (n * width);
    maxDensity = Math.max(maxDensity, d);
    values.push({ a: -zmax + b * width, b: -zmax + (b + 1) * width, d, f: floor, series: label });
  });
  const normal: Row[] = [];
  for (let k = 0; k <= 400; k++) {
    const x = -zmax + (2 * zmax * k) / 400;
    const d = gaussian(x);
    if (d >= floor) normal.push({ x, d, series: 'Gaussian N(0, 1)' });
  }
  const y = { scale: { type: 'log', domain: [floor, Math.max(maxDensity, gaussian(0)) * 1.5], nice: false }, title: 'density (log)' } as const;
  return {
    spec: {
      width: NARROW,
      height: 260,
      layer: [
        {
          data: { values },
          mark: { type: 'rect', opacity: 0.75 },
          encoding: {
            x: { field: 'a', type: 'quantitative', title: 'standardised return (r − mean) / sd', scale: { domain: [-zmax, zmax], nice: false } },
            x2: { field: 'b' },
            y: { field: 'd', type: 'quantitative', ...y },
            y2: { field: 'f' },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
        {
          data: { values: normal },
          mark: { type: 'line', strokeWidth: 1.75, clip: true },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'd', type: 'quantitative' },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
      ],
      resolve: { scale: { color: 'shared' } },
    } as TopLevelSpec,
    caption: escapeHtml(
      `Histogram of ${formatInteger(n)} standardised log mid returns of ${label} (bin width ${formatNumber(width)} sd), on a log density axis, against the standard normal density: fat tails show as bars far above the parabola.`,
    ),
  };
}

/** Largest lag of the |r| ACF plotted. */
export const MAX_ACF_LAG = 100;

/**
 * 7. ACF of |r| by lag with ±1.96/√n bands (the 95 % band of an i.i.d.
 * series), and the S&P 500's published |r| ACF at lags 1, 10, 50, 100.
 */
export function absAcfChart(absAcf: readonly number[], n: number, label: string): ChartPlan {
  const simLabel = `simulated (${label})`;
  const refLabel = 'S&P 500 daily, 1928–91';
  const values: Row[] = [];
  absAcf.forEach((r, i) => {
    if (Number.isFinite(r)) values.push({ lag: i + 1, r, series: simLabel });
  });
  if (values.length === 0) return { note: `${formatInteger(n)} returns: too few for an autocorrelation function.` };
  const band = 1.96 / Math.sqrt(n);
  const reference: Row[] = REFERENCE_ABS_ACF_LAGS.map((lag) => ({ lag, r: SP500.absAcf[lag], series: refLabel }));
  const maxLag = Math.max(MAX_ACF_LAG, values.length);
  const x = { field: 'lag', type: 'quantitative', title: 'lag (sampling intervals; S&P 500: trading days)', scale: { domain: [0, maxLag], nice: false } } as const;
  const colors = { domain: [simLabel, refLabel], range: ['#0072B2', '#D55E00'] };
  return {
    spec: {
      width: WIDE,
      height: 220,
      layer: [
        {
          data: { values: [{ y: band }, { y: -band }] },
          mark: { type: 'rule', strokeDash: [4, 3], color: '#8a93a3' },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
        {
          data: { values: [{ y: 0 }] },
          mark: { type: 'rule', color: '#1d2330', strokeWidth: 0.75 },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: { type: 'rule', strokeWidth: values.length > 60 ? 1.5 : 2.5 },
          encoding: {
            x,
            y: { field: 'r', type: 'quantitative' },
            y2: { datum: 0 },
            color: { field: 'series', type: 'nominal', title: null, scale: colors },
          },
        },
        {
          data: { values: reference },
          mark: { type: 'point', filled: true, size: 70, shape: 'diamond' },
          encoding: {
            x,
            y: { field: 'r', type: 'quantitative', title: 'autocorrelation of |r|' },
            color: { field: 'series', type: 'nominal', title: null, scale: colors },
          },
        },
      ],
      resolve: { scale: { color: 'shared' } },
    } as TopLevelSpec,
    caption: escapeHtml(
      `Sample ACF of |r| (R's estimator) at lags 1–${values.length} of ${formatInteger(n)} returns of ${label}; dashed lines: ±1.96/√n = ±${formatNumber(band)}, the 95 % band of an i.i.d. series. Diamonds: S&P 500 daily |r| (Ding, Granger & Engle 1993) — slow decay is volatility clustering. Lags are sampling intervals for the simulation and trading days for the S&P 500.`,
    ),
  };
}
