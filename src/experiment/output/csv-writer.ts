/**
 * CSV with one deterministic spelling of every value, so that two runs of one
 * config and seed give byte-identical files on any machine:
 *
 * - integers as integers (`-0` as `0`);
 * - other finite numbers with at most 10 significant digits, in JavaScript's
 *   shortest form (`0.0123456789`, `1.5e-7`);
 * - NaN as an empty cell; ±Infinity as `inf` / `-inf` (pandas and polars read both);
 * - strings quoted (RFC 4180) only when they hold `,`, `"`, CR or LF;
 * - `\n` line ends, a header row, a final line end.
 *
 * @module
 */

import { closeSync, openSync, writeSync } from 'node:fs';

/** A cell value: numbers, strings, booleans; null/undefined are empty cells. */
export type Cell = number | string | boolean | null | undefined;

/** The CSV spelling of a number (see the module comment). */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x === 0 ? '0' : String(x);
  const rounded = Number(x.toPrecision(10));
  return rounded === 0 ? '0' : String(rounded);
}

/** The CSV spelling of a cell. */
export function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A column of a table to write: a header and a cell per row. */
export interface CsvColumn {
  readonly name: string;
  cell(row: number): Cell;
}

/** CSV text of a table (small tables; large ones go through {@link writeCsvFile}). */
export function toCsv(columns: readonly CsvColumn[], rows: number): string {
  const lines = [columns.map((c) => formatCell(c.name)).join(',')];
  for (let r = 0; r < rows; r++) lines.push(columns.map((c) => formatCell(c.cell(r))).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * A CSV file written row by row in 64 KB chunks (tables of millions of rows
 * stay out of one giant string): the header at opening, a line per `row`.
 */
export class CsvFileWriter {
  private readonly fd: number;
  private chunk: string;

  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.chunk = `${header.map((h) => formatCell(h)).join(',')}\n`;
  }

  /** Appends one line of cells. */
  row(cells: ArrayLike<Cell>): void {
    let line = '';
    for (let c = 0; c < cells.length; c++) line += (c === 0 ? '' : ',') + formatCell(cells[c]);
    this.chunk += `${line}\n`;
    if (this.chunk.length >= 1 << 16) {
      writeSync(this.fd, this.chunk);
      this.chunk = '';
    }
  }

  /** Writes what is left and closes the file; call once, also after a failure (then nothing more is written). */
  close(flush = true): void {
    try {
      if (flush && this.chunk.length > 0) writeSync(this.fd, this.chunk);
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Writes a table as CSV in chunks. */
export function writeCsvFile(path: string, columns: readonly CsvColumn[], rows: number): void {
  const out = new CsvFileWriter(path, columns.map((c) => c.name));
  let ok = false;
  try {
    const cells = new Array<Cell>(columns.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns.length; c++) cells[c] = (columns[c] as CsvColumn).cell(r);
      out.row(cells);
    }
    ok = true;
  } finally {
    out.close(ok);
  }
}

/** CSV text of rows of already-formatted cells (quoted here when needed). */
export function rowsToCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => cells.map((c) => formatCell(c)).join(',');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into
 * rows of strings; the inverse of the writers above.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Reads a numeric cell back: empty → NaN, `inf`/`-inf` → ±Infinity. */
export function parseNumberCell(cell: string): number {
  if (cell === '') return Number.NaN;
  if (cell === 'inf') return Number.POSITIVE_INFINITY;
  if (cell === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(cell);
}
