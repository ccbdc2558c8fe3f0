/**
 * A run's trades, kept in column chunks of fixed size, with full chunks
 * spilled to an anonymous temporary file.
 *
 * A flagship trading day prints about 230,000 trades. Held as JavaScript
 * arrays until the tables were written, they grew the live heap by about
 * 20 MB a day, so a 250-day run could not finish in memory. Here the heap
 * holds one chunk being filled (3.5 MB) and the reader's one buffer; the
 * rest sits on disk at 53 bytes a row, read back chunk by chunk, in time
 * order, by whoever needs every trade (the trades table, the sessions'
 * daily bars, cascade reconstruction).
 *
 * The spill file is unlinked as soon as it is opened: the operating system
 * frees it when the descriptor closes — at {@link TradeStore.dispose}, when
 * the store is garbage-collected, or when the process ends however it ends —
 * so a crashed or interrupted run leaves nothing behind.
 *
 * @module
 */

import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TradeColumns, TradeSource, TradeTable } from '../../stats/output-tables.js';

/** Rows per chunk: 65,536 rows × 53 bytes ≈ 3.5 MB. */
export const TRADE_CHUNK_ROWS = 1 << 16;

/** Bytes per row: five 8-byte columns, three 4-byte columns, one byte. */
const ROW_BYTES = 5 * 8 + 3 * 4 + 1;

/** Aggressor codes of {@link TradeColumns.aggressor}. */
export const BUY = 0;
export const SELL = 1;

/** Closes the spill file of a store nobody disposed of. */
const spillFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed by dispose(): nothing to free.
  }
});

/** One chunk: every column a view on one buffer, so it is written and read in one call. */
class TradeChunk implements TradeColumns {
  length = 0;
  readonly bytes: Uint8Array;
  readonly timeUs: Float64Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
  readonly causeId: Float64Array;
  readonly anchor: Float64Array;
  readonly instrument: Int32Array;
  readonly buyer: Int32Array;
  readonly seller: Int32Array;
  readonly aggressor: Uint8Array;

  constructor(readonly capacity: number) {
    const buffer = new ArrayBuffer(capacity * ROW_BYTES);
    this.bytes = new Uint8Array(buffer);
    let at = 0;
    const f64 = () => {
      const a = new Float64Array(buffer, at, capacity);
      at += capacity * 8;
      return a;
    };
    const i32 = () => {
      const a = new Int32Array(buffer, at, capacity);
      at += capacity * 4;
      return a;
    };
    this.timeUs = f64();
    this.price = f64();
    this.qty = f64();
    this.causeId = f64();
    this.anchor = f64();
    this.instrument = i32();
    this.buyer = i32();
    this.seller = i32();
    this.aggressor = new Uint8Array(buffer, at, capacity);
  }
}

/**
 * The trades of one run, in the order they happened. Appending is O(1) and
 * allocation-free; reading goes through {@link chunks}, which yields each
 * chunk once, in order, in a buffer reused for the next: a reader copies what
 * it keeps.
 */
export class TradeStore implements TradeSource {
  private readonly capacity: number;
  private live: TradeChunk;
  private spilled = 0;
  private fd = -1;
  private reader: TradeChunk | null = null;
  private count = 0;
  private lots = 0;
  private disposed = false;

  /** `capacity`: rows per chunk (tests use small ones to exercise the spill). */
  constructor(capacity: number = TRADE_CHUNK_ROWS) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`chunk capacity must be a whole number ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    this.live = new TradeChunk(capacity);
  }

  /** Trades stored. */
  get length(): number {
    return this.count;
  }

  /** Σ qty of the trades stored, lots. */
  get volume(): number {
    return this.lots;
  }

  /** Appends one trade. `aggressor`: {@link BUY} or {@link SELL}; `anchor`: see `TradeColumns.anchor`. */
  push(timeUs: number, instrument: number, price: number, qty: number, buyer: number, seller: number, aggressor: number, causeId: number, anchor: number): void {
    if (this.disposed) throw new Error('trade store already disposed of');
    let c = this.live;
    if (c.length === this.capacity) {
      this.spill(c);
      c.length = 0;
    }
    const i = c.length++;
    c.timeUs[i] = timeUs;
    c.instrument[i] = instrument;
    c.price[i] = price;
    c.qty[i] = qty;
    c.buyer[i] = buyer;
    c.seller[i] = seller;
    c.aggressor[i] = aggressor;
    c.causeId[i] = causeId;
    c.anchor[i] = anchor;
    this.count++;
    this.lots += qty;
  }

  /** The chunks in time order; each is valid until the next is asked for. */
  *chunks(): Generator<TradeColumns> {
    if (this.disposed) throw new Error('trade store already disposed of');
    const bytes = this.capacity * ROW_BYTES;
    for (let k = 0; k < this.spilled; k++) {
      this.reader ??= new TradeChunk(this.capacity);
      readFully(this.fd, this.reader.bytes, k * bytes);
      this.reader.length = this.capacity;
      yield this.reader;
    }
    if (this.live.length > 0) yield this.live;
  }

  /** Every trade as plain arrays: for tests and small runs (it holds them all in memory). */
  toTable(): TradeTable {
    const t: TradeTable = { timeUs: [], instrument: [], price: [], qty: [], buyer: [], seller: [], aggressor: [], causeId: [] };
    for (const c of this.chunks()) {
      for (let i = 0; i < c.length; i++) {
        t.timeUs.push(c.timeUs[i] as number);
        t.instrument.push(c.instrument[i] as number);
        t.price.push(c.price[i] as number);
        t.qty.push(c.qty[i] as number);
        t.buyer.push(c.buyer[i] as number);
        t.seller.push(c.seller[i] as number);
        t.aggressor.push(c.aggressor[i] === BUY ? 'buy' : 'sell');
        t.causeId.push(c.causeId[i] as number);
      }
    }
    return t;
  }

  /** A store of the rows of `table` (anchors 0): a run folder read back. */
  static fromTable(table: TradeTable): TradeStore {
    const store = new TradeStore();
    for (let i = 0; i < table.timeUs.length; i++) {
      const side = table.aggressor[i] === 'buy' ? BUY : SELL;
      store.push(table.timeUs[i] as number, table.instrument[i] as number, table.price[i] as number, table.qty[i] as number, table.buyer[i] as number, table.seller[i] as number, side, table.causeId[i] as number, 0);
    }
    return store;
  }

  /** Frees the spill file now rather than when the store is collected. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.fd >= 0) {
      spillFiles.unregister(this);
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  private spill(c: TradeChunk): void {
    if (this.fd < 0) this.fd = openSpillFile(this);
    const bytes = c.bytes;
    let at = 0;
    const base = this.spilled * bytes.length;
    try {
      while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at, base + at);
    } catch (e) {
      throw new Error(`cannot keep the run's trades on disk in ${tmpdir()} (${(e as NodeJS.ErrnoException).code ?? String(e)}): free space there or point TMPDIR elsewhere`);
    }
    this.spilled++;
  }
}

/** Opens an anonymous file in the temporary folder (unlinked at once). */
function openSpillFile(owner: object): number {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'levsim-trades-'));
  } catch (e) {
    throw new Error(`cannot create a file for the run's trades in ${tmpdir()} (${(e as NodeJS.ErrnoException).code ?? String(e)}): point TMPDIR to a writable folder`);
  }
  const path = join(dir, 'trades.bin');
  const fd = openSync(path, 'w+', 0o600);
  unlinkSync(path);
  rmdirSync(dir);
  spillFiles.register(owner, fd, owner);
  return fd;
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let at = 0;
  while (at < into.length) {
    const n = readSync(fd, into, at, into.length - at, position + at);
    if (n === 0) throw new Error(`the run's trade file ended early at byte ${position + at}`);
    at += n;
  }
}
