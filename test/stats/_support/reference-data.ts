/**
 * The real return series of data/reference and the stylized-facts table of
 * its README, parsed from the README itself so the tests check what it states.
 * The repository carries its own copy, so the tests read nothing outside the
 * checkout.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { logReturns } from '../../../src/stats/returns.js';

const DATA_DIR = new URL('../../../data/reference/', import.meta.url);

/** Read a CSV with a quoted header row into columns by name. */
export function readCsv(file: string): Map<string, number[]> {
  const lines = readFileSync(new URL(file, DATA_DIR), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  const cols = new Map<string, number[]>(header.map((h) => [h, []]));
  for (const line of lines.slice(1)) {
    line.split(',').forEach((cell, j) => cols.get(header[j])?.push(Number(cell)));
  }
  return cols;
}

/** A row of the README table; figures kept as the shown strings. */
export interface ReferenceRow {
  series: string;
  n: number;
  sd: string;
  skew: string;
  excessKurtosis: string;
  hill: string;
  acf1: string;
  abs1: string;
  abs10: string;
  abs50: string;
  abs100: string;
}

/** The six rows of the README's stylized-facts table. */
export function referenceTable(): ReferenceRow[] {
  const md = readFileSync(new URL('README.md', DATA_DIR), 'utf8');
  const lines = md.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('| series |'));
  const rows: ReferenceRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const c = line
      .split('|')
      .slice(1, -1)
      .map((s) => s.trim().replace(/\u2212/g, '-').replace(/\s*\(%\)$/, ''));
    rows.push({
      series: c[0],
      n: Number(c[1].replace(/,/g, '')),
      sd: c[2],
      skew: c[3],
      excessKurtosis: c[4],
      hill: c[5],
      acf1: c[6],
      abs1: c[7],
      abs10: c[8],
      abs50: c[9],
      abs100: c[10],
    });
  }
  return rows;
}

/** The return series behind a README row: log returns for the price series. */
export function referenceReturns(series: string): number[] {
  if (series.startsWith('S&P 500')) return readCsv('sp500dge.csv').get('sp500_logret') as number[];
  if (series === 'DEM/GBP') return readCsv('dem2gbp.csv').get('dem2gbp') as number[];
  const prices = readCsv('eustockmarkets.csv').get(series);
  if (prices === undefined) throw new Error(`no series ${series}`);
  return logReturns(prices);
}

/**
 * Assert `actual` rounds to the figure shown: |actual − shown| ≤ half a unit
 * of its last digit (e.g. "0.0115" → ±0.00005).
 */
export function expectShown(actual: number, shown: string, label = ''): void {
  const decimals = shown.split('.')[1]?.length ?? 0;
  const tol = 0.5 * 10 ** -decimals + 1e-12;
  const diff = Math.abs(actual - Number(shown));
  expect(diff, `${label}: ${actual} vs shown ${shown} (tolerance ${tol})`).toBeLessThanOrEqual(tol);
}
