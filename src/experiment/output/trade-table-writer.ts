/**
 * trades.csv and trades.parquet written from a stream of trade chunks, so a
 * run's trades are never all in memory at once (a long run prints tens of
 * millions). The files are byte for byte those `writeTable` writes from the
 * same rows: the same cells, and Parquet row groups of 1,000 rows, then
 * 100,000, as hyparquet-writer cuts a whole table by default.
 *
 * @module
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { TradeSource } from '../../stats/output-tables.js';
import { formatCell, type Cell } from './csv-writer.js';
import { writeParquetFile } from './parquet-writer.js';
import { TRADES, type Names } from './table-columns.js';

/** Row-group sizes: hyparquet-writer's default for a whole table (the first group small, for readers that peek). */
const FIRST_GROUP = 1_000;
const GROUP = 100_000;

/** Writes `trades.csv` and `trades.parquet` of `trades` into `dir`. */
export function writeTradeTable(dir: string, trades: TradeSource, names: Names): void {
  if (trades.length === 0) {
    // An empty table: the whole-table writer's file, with no row group.
    writeParquetFile(join(dir, 'trades.parquet'), TRADES.map((s) => ({ name: s.name, kind: s.kind, data: [] })));
  }
  const csv = openSync(join(dir, 'trades.csv'), 'w');
  const parquet = trades.length === 0 ? null : new GroupedParquet(join(dir, 'trades.parquet'));
  try {
    let text = `${TRADES.map((s) => formatCell(s.name)).join(',')}\n`;
    const row = new Array<Cell>(TRADES.length);
    for (const chunk of trades.chunks()) {
      for (let i = 0; i < chunk.length; i++) {
        for (let c = 0; c < TRADES.length; c++) row[c] = (TRADES[c] as (typeof TRADES)[number]).value(chunk, i, names);
        let line = '';
        for (let c = 0; c < row.length; c++) line += (c === 0 ? '' : ',') + formatCell(row[c]);
        text += `${line}\n`;
        if (text.length >= 1 << 16) {
          writeSync(csv, text);
          text = '';
        }
        parquet?.add(row);
      }
    }
    if (text.length > 0) writeSync(csv, text);
    parquet?.finish();
  } finally {
    closeSync(csv);
  }
}

/** A Parquet file filled row by row, one row group at a time. */
class GroupedParquet {
  private readonly columns: unknown[][] = TRADES.map(() => []);
  private writer: ParquetWriter | null = null;
  private groups = 0;

  constructor(private readonly path: string) {}

  add(row: readonly Cell[]): void {
    for (let c = 0; c < row.length; c++) (this.columns[c] as unknown[]).push(parquetValue(row[c], (TRADES[c] as (typeof TRADES)[number]).kind, TRADES[c]?.name ?? ''));
    if ((this.columns[0] as unknown[]).length === (this.groups === 0 ? FIRST_GROUP : GROUP)) this.flush();
  }

  finish(): void {
    if ((this.columns[0] as unknown[]).length > 0) this.flush();
    this.writer?.finish();
  }

  private flush(): void {
    const columnData = TRADES.map((s, c) => ({ name: s.name, type: s.kind === 'string' ? ('STRING' as const) : ('INT64' as const), data: this.columns[c] as unknown[] }));
    this.writer ??= new ParquetWriter({ writer: fileWriter(this.path), schema: schemaFromColumnData({ columnData }) });
    // Types given in the schema, not again per column.
    const rows = (this.columns[0] as unknown[]).length;
    this.writer.write({ columnData: columnData.map(({ name, data }) => ({ name, data })), rowGroupSize: rows });
    this.groups++;
    for (const col of this.columns) col.length = 0;
  }
}

/** A cell as hyparquet-writer takes it: trades' int columns are always whole numbers (INT64). */
function parquetValue(cell: Cell, kind: 'int' | 'float' | 'string', name: string): unknown {
  if (kind === 'string') return cell === null || cell === undefined ? null : String(cell);
  if (typeof cell !== 'number' || !Number.isSafeInteger(cell)) throw new Error(`trades.${name}: ${String(cell)} is not a whole number`);
  return BigInt(cell);
}
