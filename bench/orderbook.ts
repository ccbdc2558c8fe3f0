/**
 * Order-book throughput and memory benchmark: levsim's `OrderBook` against
 * `nodejs-order-book` (the peer) on the same deterministic operation stream,
 * in the same process.
 *
 * Stream (generated once per variant with a seeded xorshift PRNG, never
 * Math.random): `ops` operations; 70 % new GTC limit orders (50/50 buy/sell,
 * sizes 1–100 lots), 30 % cancels of an id drawn uniformly among the last
 * 1000 ids issued (that order may already be filled or cancelled: such a
 * cancel is a no-op reject and still counts as an operation).
 * - deep: prices uniform in 9900..10100 ticks (100.00 ± 1 % on a 0.01 tick);
 * - shallow: prices uniform in 9997..10003 (within 3 ticks of the mid), so
 *   most orders cross and the book stays thin in price (at most 7 levels a
 *   side), while queues at those levels grow long (~60k resting orders at the
 *   end, since cancels only reach the last 1000 ids). Long queues are where
 *   the peer is slowest: its queue removal re-indexes the whole queue.
 *
 * Method: both books first run a warm-up prefix (so the JIT has compiled
 * them), then `rounds` timed runs alternate levsim / peer on fresh books; the
 * reported figure is the **median** ops/s of the rounds (the peer runs fewer
 * rounds once its time budget is spent, at least one). Each operation builds
 * its request object inside the timed loop for both books (the peer's API
 * needs one; levsim gets one too, to keep the comparison fair). levsim runs
 * with `stp: 'none'` and the peer without account ids, so both do the same
 * matching; the final depth of both books is compared as a sanity check.
 *
 * Memory: `memoryOrders` non-crossing orders are inserted into a fresh book;
 * bytes per resting order = heapUsed growth / orders, after forced GCs.
 *
 * Run alone: `npm run build && node dist/bench/orderbook.js [--json]`.
 */
import { OrderBook as PeerOrderBook, Side as PeerSide } from 'nodejs-order-book';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MatchResult } from '../src/market/match-result.js';
import { OrderBook } from '../src/market/order-book.js';

/** Options of {@link benchOrderBook}. */
export interface BenchOrderBookOptions {
  /** Operations per stream. Default 1,000,000. */
  readonly ops?: number;
  /** PRNG seed. Default 42. */
  readonly seed?: number;
  /** Timed rounds per book and variant; the median is reported. Default 5. */
  readonly rounds?: number;
  /**
   * Time budget for the peer's timed rounds per variant, seconds: once spent,
   * no further peer round starts (at least one always runs). The peer is slow
   * on the shallow stream (its queue removal is linear in the queue length),
   * so without a budget the benchmark would take many minutes. Default 30.
   */
  readonly peerBudgetSeconds?: number;
  /** Operations of the untimed warm-up prefix. Default 200,000. */
  readonly warmupOps?: number;
  /** Resting orders inserted for the memory measurement. Default 1,000,000. */
  readonly memoryOrders?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** Throughput of both books on one stream, operations per second. */
export interface BenchThroughput {
  readonly levsim: number;
  readonly peer: number;
  /** levsim / peer. */
  readonly ratio: number;
}

/** Result of {@link benchOrderBook}. */
export interface BenchOrderBookResult {
  readonly deep: BenchThroughput;
  readonly shallow: BenchThroughput;
  /** Heap bytes per resting order in levsim's book. */
  readonly bytesPerRestingOrder: number;
  /** The same for the peer, for comparison. */
  readonly peerBytesPerRestingOrder: number;
}

const NEW_ORDER = 0;
const CANCEL = 1;
const RECENT_IDS = 1000;
const MID = 10_000;

/** xorshift32: tiny, fast, deterministic; good enough to shape a workload. */
class XorShift32 {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

/** The operation stream as parallel typed arrays (no per-op objects kept alive). */
interface OpStream {
  readonly length: number;
  readonly kind: Uint8Array;
  readonly isBuy: Uint8Array;
  /** New order: its id; cancel: the target id. */
  readonly id: Int32Array;
  readonly price: Int32Array;
  readonly qty: Int32Array;
  readonly owner: Int32Array;
  /** `String(id)` precomputed for the peer, whose ids are strings. */
  readonly idText: string[];
}

type Variant = 'deep' | 'shallow';

function generateStream(ops: number, variant: Variant, seed: number): OpStream {
  const rng = new XorShift32(seed);
  const stream: OpStream = {
    length: ops,
    kind: new Uint8Array(ops),
    isBuy: new Uint8Array(ops),
    id: new Int32Array(ops),
    price: new Int32Array(ops),
    qty: new Int32Array(ops),
    owner: new Int32Array(ops),
    idText: new Array<string>(ops),
  };
  const halfWidth = variant === 'deep' ? 100 : 3;
  let lastId = 0;
  for (let i = 0; i < ops; i++) {
    if (lastId > 0 && rng.next() < 0.3) {
      stream.kind[i] = CANCEL;
      stream.id[i] = lastId - rng.int(0, Math.min(RECENT_IDS, lastId) - 1);
    } else {
      lastId++;
      stream.kind[i] = NEW_ORDER;
      stream.id[i] = lastId;
      stream.isBuy[i] = rng.next() < 0.5 ? 1 : 0;
      stream.price[i] = rng.int(MID - halfWidth, MID + halfWidth);
      stream.qty[i] = rng.int(1, 100);
      stream.owner[i] = rng.int(1, 1000);
    }
    stream.idText[i] = String(stream.id[i]);
  }
  return stream;
}

/** Runs `count` operations of the stream on a fresh levsim book; returns seconds and the book. */
function runLevsim(stream: OpStream, count: number): { seconds: number; book: OrderBook } {
  const book = new OrderBook({ stp: 'none' });
  const out = new MatchResult();
  const { kind, isBuy, id, price, qty, owner } = stream;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    if (kind[i] === NEW_ORDER) {
      book.place({ type: 'limit', side: isBuy[i] === 1 ? 'buy' : 'sell', id: id[i]!, owner: owner[i]!, price: price[i]!, qty: qty[i]! }, out);
    } else {
      book.cancel(id[i]!, out);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, book };
}

/** The same on a fresh peer book. */
function runPeer(stream: OpStream, count: number): { seconds: number; book: PeerOrderBook } {
  const book = new PeerOrderBook();
  const { kind, isBuy, price, qty, idText } = stream;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    if (kind[i] === NEW_ORDER) {
      book.limit({ side: isBuy[i] === 1 ? PeerSide.BUY : PeerSide.SELL, id: idText[i]!, size: qty[i]!, price: price[i]! });
    } else {
      book.cancel(idText[i]!);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, book };
}

/** Throws if the two books ended in different aggregated states (then the comparison would be unfair). */
function checkSameDepth(levsim: OrderBook, peer: PeerOrderBook, variant: Variant): void {
  const [peerAsks, peerBids] = peer.depth();
  const l2 = levsim.l2(Number.POSITIVE_INFINITY);
  const mine = (levels: readonly { price: number; qty: number }[]) =>
    levels.map((l) => `${l.price}:${l.qty}`).sort().join(',');
  const theirs = (levels: readonly [number, number][]) => levels.map(([p, q]) => `${p}:${q}`).sort().join(',');
  if (mine(l2.bids) !== theirs(peerBids) || mine(l2.asks) !== theirs(peerAsks)) {
    throw new Error(`order-book bench (${variant}): levsim and peer books diverged`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A callable GC, exposing it at runtime if node was started without --expose-gc. */
function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function measureThroughput(variant: Variant, options: Required<Omit<BenchOrderBookOptions, 'log'>>, log: (s: string) => void): BenchThroughput {
  const stream = generateStream(options.ops, variant, options.seed);
  const gc = getGc();
  const warm = Math.min(options.warmupOps, stream.length);
  for (let i = 0; i < 2; i++) {
    runLevsim(stream, warm);
    runPeer(stream, warm);
  }
  const levsimRates: number[] = [];
  const peerRates: number[] = [];
  let peerSeconds = 0;
  for (let round = 0; round < options.rounds; round++) {
    gc();
    const a = runLevsim(stream, stream.length);
    levsimRates.push(stream.length / a.seconds);
    let peerText = 'skipped (budget spent)';
    if (round === 0 || peerSeconds < options.peerBudgetSeconds) {
      gc();
      const b = runPeer(stream, stream.length);
      peerSeconds += b.seconds;
      peerRates.push(stream.length / b.seconds);
      peerText = `${fmt(stream.length / b.seconds)} ops/s`;
      if (round === 0) checkSameDepth(a.book, b.book, variant);
    }
    log(`  ${variant} round ${round + 1}: levsim ${fmt(levsimRates[round]!)} ops/s, peer ${peerText}, resting ${a.book.size}`);
  }
  const levsim = median(levsimRates);
  const peer = median(peerRates);
  return { levsim, peer, ratio: levsim / peer };
}

/** Heap growth per resting order when `count` non-crossing orders rest on a fresh book. */
function measureBytesPerOrder(count: number, peer: boolean): number {
  const gc = getGc();
  const rng = new XorShift32(7);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const out = new MatchResult();
  const levsimBook = peer ? null : new OrderBook();
  const peerBook = peer ? new PeerOrderBook() : null;
  for (let id = 1; id <= count; id++) {
    const isBuy = (id & 1) === 1;
    const price = isBuy ? rng.int(MID - 100, MID - 1) : rng.int(MID + 1, MID + 100);
    const qty = rng.int(1, 100);
    if (levsimBook !== null) levsimBook.place({ type: 'limit', side: isBuy ? 'buy' : 'sell', id, owner: id % 1000, price, qty }, out);
    else peerBook!.limit({ side: isBuy ? PeerSide.BUY : PeerSide.SELL, id: String(id), size: qty, price });
  }
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  // Using the books after the measurement keeps them alive (reachable) through it.
  const allResting = levsimBook !== null ? levsimBook.size === count : peerBook!.order(String(count)) !== undefined;
  if (!allResting) throw new Error(`memory bench: not all ${count} orders rest`);
  return (after - before) / count;
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/**
 * Runs the order-book benchmark (throughput on the deep and shallow streams,
 * then memory per resting order) and returns the figures. Takes tens of
 * seconds with the defaults.
 */
export async function benchOrderBook(opts: BenchOrderBookOptions = {}): Promise<BenchOrderBookResult> {
  const options = {
    ops: opts.ops ?? 1_000_000,
    seed: opts.seed ?? 42,
    rounds: opts.rounds ?? 5,
    peerBudgetSeconds: opts.peerBudgetSeconds ?? 30,
    warmupOps: opts.warmupOps ?? 200_000,
    memoryOrders: opts.memoryOrders ?? 1_000_000,
  };
  const log = opts.log ?? (() => {});
  const deep = measureThroughput('deep', options, log);
  const shallow = measureThroughput('shallow', options, log);
  const bytesPerRestingOrder = measureBytesPerOrder(options.memoryOrders, false);
  const peerBytesPerRestingOrder = measureBytesPerOrder(options.memoryOrders, true);
  return { deep, shallow, bytesPerRestingOrder, peerBytesPerRestingOrder };
}

/** Prints the result as a small table. */
export function formatOrderBookResult(result: BenchOrderBookResult): string {
  const row = (name: string, t: BenchThroughput) =>
    `${name.padEnd(8)} ${fmt(t.levsim).padStart(12)} ${fmt(t.peer).padStart(12)} ${t.ratio.toFixed(1).padStart(7)}x`;
  return [
    `${'stream'.padEnd(8)} ${'levsim op/s'.padStart(12)} ${'peer op/s'.padStart(12)} ${'ratio'.padStart(8)}`,
    row('deep', result.deep),
    row('shallow', result.shallow),
    `bytes per resting order: levsim ${result.bytesPerRestingOrder.toFixed(0)}, peer ${result.peerBytesPerRestingOrder.toFixed(0)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const result = await benchOrderBook({ log: json ? undefined : (line) => console.log(line) });
  if (json) console.log(JSON.stringify({ orderbook: result }, null, 2));
  else console.log(formatOrderBookResult(result));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
