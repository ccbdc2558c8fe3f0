import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BUY, SELL, TradeStore } from '../../../src/experiment/run/trade-store.js';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { TRADE_ROW_GROUP, writeTradeTable } from '../../../src/experiment/output/trade-table-writer.js';
import { TRADES, writeTable, type Names } from '../../../src/experiment/output/table-columns.js';
import type { TradeColumns } from '../../../src/stats/output-tables.js';

type Row = [time: number, instrument: number, price: number, qty: number, buyer: number, seller: number, aggressor: number, cause: number, anchor: number];

const row = fc.tuple(
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 1, max: 2 ** 40 }),
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.integer({ min: 0, max: 200 }),
  fc.integer({ min: 0, max: 200 }),
  fc.constantFrom(BUY, SELL),
  fc.integer({ min: 0, max: 2 ** 50 }),
  fc.integer({ min: 0, max: 2 ** 50 }),
);

function filled(rows: readonly Row[], capacity: number): TradeStore {
  const store = new TradeStore(capacity);
  for (const r of rows) store.push(...r);
  return store;
}

function readBack(store: TradeStore): { rows: Row[]; lengths: number[] } {
  const rows: Row[] = [];
  const lengths: number[] = [];
  for (const c of store.chunks()) {
    lengths.push(c.length);
    for (let i = 0; i < c.length; i++) {
      rows.push([c.timeUs[i], c.instrument[i], c.price[i], c.qty[i], c.buyer[i], c.seller[i], c.aggressor[i], c.causeId[i], c.anchor[i]] as Row);
    }
  }
  return { rows, lengths };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('TradeStore', () => {
  it('gives back every trade exactly, in order, however many chunks were spilled to disk, and as often as asked', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (rows, capacity) => {
        const store = filled(rows, capacity);
        try {
          const first = readBack(store);
          expect(first.rows).toEqual(rows);
          // Full chunks, then what is left.
          expect(first.lengths.every((n, k) => n === capacity || k === first.lengths.length - 1)).toBe(true);
          expect(readBack(store).rows).toEqual(rows);
          expect(store.length).toBe(rows.length);
          expect(store.volume).toBe(rows.reduce((s, r) => s + r[3], 0));
        } finally {
          store.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps taking trades after being read, and refuses them once disposed of', () => {
    const store = new TradeStore(2);
    store.push(1, 0, 100, 5, 1, 2, BUY, 9, 0);
    store.push(2, 0, 101, 5, 1, 2, SELL, 9, 0);
    expect(readBack(store).rows.length).toBe(2);
    store.push(3, 0, 102, 5, 1, 2, SELL, 9, 0);
    expect(store.toTable()).toMatchObject({ timeUs: [1, 2, 3], price: [100, 101, 102], aggressor: ['buy', 'sell', 'sell'] });
    store.dispose();
    store.dispose();
    expect(() => store.push(4, 0, 103, 5, 1, 2, BUY, 9, 0)).toThrow(/disposed/);
    expect(() => [...store.chunks()]).toThrow(/disposed/);
  });

  it('refuses a chunk size that is not a whole number ≥ 1', () => {
    expect(() => new TradeStore(0)).toThrow(/capacity/);
    expect(() => new TradeStore(1.5)).toThrow(/capacity/);
  });

  it('round-trips a table read back from a folder', () => {
    const store = filled([[5, 1, 700, 3, 4, 6, SELL, 11, 0], [6, 0, 701, 2, 6, 4, BUY, 12, 0]], 1);
    const again = TradeStore.fromTable(store.toTable());
    expect(again.toTable()).toEqual(store.toTable());
  });
});

describe('writeTradeTable', () => {
  const names: Names = { agent: (id) => `agent-${id}`, instrument: (id) => ['ABC', 'XYZ', 'Q,R', 'S'][id] ?? '' };

  /** The files the whole-table writer makes of the same rows (one chunk holding them all). */
  function wholeTable(store: TradeStore, dir: string): void {
    const t = store.toTable();
    const all: TradeColumns = { ...t, length: t.timeUs.length, aggressor: t.aggressor.map((a) => (a === 'buy' ? BUY : SELL)), anchor: [] };
    writeTable(dir, 'trades', TRADES, all, all.length, names);
  }

  function parquetOf(dir: string): ArrayBuffer {
    const bytes = readFileSync(join(dir, 'trades.parquet'));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  it.each([0, 1, 999, TRADE_ROW_GROUP, TRADE_ROW_GROUP + 1, 25_000])('writes %i trades as the whole-table writer does: the same CSV bytes, the same Parquet schema and rows', async (n) => {
    const store = new TradeStore(7_000);
    for (let i = 0; i < n; i++) store.push(i * 1_000, i % 3, 10_000 + ((i * 7919) % 311), 1 + (i % 97), i % 13, (i + 5) % 13, i % 2, i * 3 + 1, 0);
    const streamed = mkdtempSync(join(tmpdir(), 'levsim-trades-test-'));
    const whole = mkdtempSync(join(tmpdir(), 'levsim-trades-test-'));
    dirs.push(streamed, whole);
    writeTradeTable(streamed, store, names);
    wholeTable(store, whole);
    store.dispose();
    expect(readFileSync(join(streamed, 'trades.csv')).equals(readFileSync(join(whole, 'trades.csv')))).toBe(true);
    expect(readFileSync(join(streamed, 'trades.csv'), 'utf8').split('\n').length).toBe(n + 2);
    const [ours, theirs] = [parquetOf(streamed), parquetOf(whole)];
    const meta = parquetMetadata(ours);
    expect(meta.schema).toEqual(parquetMetadata(theirs).schema);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual(Array.from({ length: Math.ceil(n / TRADE_ROW_GROUP) }, (_, k) => Math.min(TRADE_ROW_GROUP, n - k * TRADE_ROW_GROUP)));
    expect(await parquetReadObjects({ file: ours })).toEqual(await parquetReadObjects({ file: theirs }));
  });
});
