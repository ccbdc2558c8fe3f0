/**
 * levsim reports: run outputs → self-contained, deterministic HTML with
 * inline SVG charts (Vega-Lite rendered in Node).
 *
 * @module
 */

export { renderRunReport } from './run-report.js';
export type {
  MaybeNumber,
  ReportCascadeTable,
  ReportInput,
  ReportLiquidationTable,
  ReportReturnStats,
  ReportSummary,
  ReportTimeSeries,
  ReportTradeTable,
} from './report-input.js';
export { renderSweepReport, MAX_SERIES, type SweepReportInput } from './sweep-report.js';
export { cellNumber, groupMeanSd, groupRuns, statisticColumns, type GroupStat, type ParamValue, type SweepCell, type SweepRow } from './sweep-groups.js';
export { REFERENCE_FACTS, REFERENCE_SOURCE, REFERENCE_ABS_ACF_LAGS, SP500, type ReferenceFacts, type ReferenceLag } from './reference-facts.js';
export { escapeHtml } from './html.js';
