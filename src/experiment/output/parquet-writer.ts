/**
 * Parquet output through hyparquet-writer (pure JavaScript, no native build).
 * Column types are declared by the caller; the files carry no timestamp, so
 * equal tables give byte-identical files.
 *
 * @module
 */

import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parseNumberCell } from './csv-writer.js';

/** The kind of a column: whole numbers (INT64), reals (DOUBLE), text (UTF-8 STRING). */
export type ColumnKind = 'int' | 'float' | 'string';

/** A column to write. Non-finite numbers become nulls (as in the CSV, where they are empty cells). */
export interface ParquetColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly data: ArrayLike<unknown>;
}

/**
 * Parquet bytes of a table. An `int` column holding a non-integer falls back
 * to DOUBLE (decided by the data alone, so still deterministic).
 */
export function parquetBytes(columns: readonly ParquetColumn[]): Uint8Array {
  const columnData = columns.map((c) => {
    const values = Array.isArray(c.data) ? (c.data as unknown[]) : Array.from(c.data);
    if (c.kind === 'string') return { name: c.name, type: 'STRING' as const, data: values.map((v) => (v === null || v === undefined ? null : String(v))) };
    const nums = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
    const whole = c.kind === 'int' && nums.every((v) => v === null || Number.isSafeInteger(v));
    if (whole) return { name: c.name, type: 'INT64' as const, data: nums.map((v) => (v === null ? null : BigInt(v))) };
    return { name: c.name, type: 'DOUBLE' as const, data: values.map((v) => (typeof v === 'number' && !Number.isNaN(v) ? v : null)) };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

/** Writes a table as a Parquet file. */
export function writeParquetFile(path: string, columns: readonly ParquetColumn[]): void {
  writeFileSync(path, parquetBytes(columns));
}

/**
 * Columns from rows of CSV cells, each typed from its cells: whole numbers
 * → int, numbers → float, anything else → string. Used for runs tables, whose
 * parameter columns are whatever the sweep varies; the same cells always give
 * the same file. Columns named in `text` are always text.
 */
export function columnsFromCells(header: readonly string[], rows: readonly (readonly string[])[], text: ReadonlySet<string> = new Set()): ParquetColumn[] {
  return header.map((name, c) => {
    const cells = rows.map((r) => r[c] ?? '');
    const filled = cells.filter((s) => s !== '');
    // A hash such as run_id can be all digits: `text` columns stay text whatever their cells.
    const numeric = !text.has(name) && filled.every((s) => s === 'inf' || s === '-inf' || (s.trim() !== '' && Number.isFinite(Number(s))));
    if (!numeric) return { name, kind: 'string' as const, data: cells.map((s) => (s === '' ? null : s)) };
    const whole = filled.every((s) => /^-?[0-9]+$/.test(s) && Number.isSafeInteger(Number(s)));
    return { name, kind: whole ? ('int' as const) : ('float' as const), data: cells.map(parseNumberCell) };
  });
}
