/**
 * Grouping of a sweep's runs table by parameter values: mean ± sd of a
 * statistic across the seeds (and any other runs) sharing those values.
 *
 * @module
 */

import { mean, std } from '../stats/index.js';

/** A cell of runs.csv: typed in memory, or text when read back from CSV. */
export type SweepCell = number | string | boolean | null | undefined;

/** One row of runs.csv: `run_id`, `seed`, the swept parameters and the flattened statistics. */
export type SweepRow = Readonly<Record<string, SweepCell>>;

/** A normalised parameter value: numbers (also from numeric text) or text; missing is `null`. */
export type ParamValue = number | string | null;

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * A cell as a number: numbers as they are, numeric text parsed ("NaN",
 * "Infinity" and "-Infinity" too), anything else NaN. JSON/CSV writers turn
 * NaN into `null` or an empty field, both of which read back as NaN.
 */
export function cellNumber(c: SweepCell): number {
  if (typeof c === 'number') return c;
  if (typeof c !== 'string') return Number.NaN;
  if (NUMERIC.test(c)) return Number(c);
  const t = c.trim();
  if (t === 'NaN') return Number.NaN;
  if (t === 'Infinity' || t === '+Infinity') return Number.POSITIVE_INFINITY;
  if (t === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

/** A parameter cell normalised for grouping: `0.1` and `"0.1"` are the same value. */
export function paramValue(c: SweepCell): ParamValue {
  if (c === null || c === undefined || c === '') return null;
  if (typeof c === 'number') return Number.isNaN(c) ? null : c;
  if (typeof c === 'boolean') return String(c);
  return NUMERIC.test(c) ? Number(c) : c;
}

/**
 * Total order of parameter values: numbers ascending, then text by UTF-16
 * code units (not `localeCompare`, which depends on the machine's locale),
 * then missing.
 */
export function compareParamValues(a: ParamValue, b: ParamValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

function compareKeys(a: readonly ParamValue[], b: readonly ParamValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareParamValues(a[i] as ParamValue, b[i] as ParamValue);
    if (c !== 0) return c;
  }
  return 0;
}

/** A statistic over the runs sharing one combination of parameter values. */
export interface GroupStat {
  /** The values of the `groupBy` parameters, in that order. */
  readonly key: readonly ParamValue[];
  /** Runs in the group. */
  readonly runs: number;
  /** Runs whose statistic is finite (the others are ignored). */
  readonly n: number;
  /** Mean of the finite values; NaN when n = 0. */
  readonly mean: number;
  /** Sample standard deviation (n − 1 denominator) of the finite values; NaN when n < 2. */
  readonly sd: number;
}

/** Distinct combinations of the `groupBy` parameters, sorted, each with its runs (row indices). */
export function groupRuns(runs: readonly SweepRow[], groupBy: readonly string[]): { key: ParamValue[]; rows: number[] }[] {
  const groups = new Map<string, { key: ParamValue[]; rows: number[] }>();
  runs.forEach((row, i) => {
    const key = groupBy.map((p) => paramValue(row[p]));
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { key, rows: [] }));
    g.rows.push(i);
  });
  return [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
}

/**
 * Mean ± sd of `statistic` over the runs of each combination of the
 * `groupBy` parameters (typically: across seeds), sorted by parameter values.
 * Non-finite values (NaN, missing, ±∞) are left out of n, mean and sd.
 */
export function groupMeanSd(runs: readonly SweepRow[], groupBy: readonly string[], statistic: string): GroupStat[] {
  return groupRuns(runs, groupBy).map(({ key, rows }) => {
    const values: number[] = [];
    for (const i of rows) {
      const v = cellNumber((runs[i] as SweepRow)[statistic]);
      if (Number.isFinite(v)) values.push(v);
    }
    return {
      key,
      runs: rows.length,
      n: values.length,
      mean: values.length > 0 ? mean(values) : Number.NaN,
      sd: values.length > 1 ? std(values) : Number.NaN,
    };
  });
}

/** Columns that are not statistics: the runs table's identifiers (runs-table.ts `ID_COLUMNS`). */
const ID_COLUMNS = new Set(['run_index', 'run_id', 'seed', 'config_hash', 'sweep_id']);

/**
 * The statistic columns of a runs table: columns in order of first
 * appearance, except the identifiers (`run_index`, `run_id`, `seed`,
 * `config_hash`, `sweep_id`) and the parameters, holding at least
 * one finite number.
 */
export function statisticColumns(runs: readonly SweepRow[], parameters: readonly string[]): string[] {
  const skip = new Set([...ID_COLUMNS, ...parameters]);
  const columns = new Set<string>();
  for (const row of runs) for (const col of Object.keys(row)) if (!skip.has(col)) columns.add(col);
  return [...columns].filter((col) => runs.some((row) => Number.isFinite(cellNumber(row[col]))));
}
