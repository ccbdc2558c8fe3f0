import type { Micros } from './time.js';

/**
 * What the queue needs of an entry: its place in the total order
 * `(time, priority, seq)` and a cancellation flag.
 */
export interface Queued {
  readonly time: Micros;
  /** Lower runs first among equal times. */
  readonly priority: number;
  /** Scheduling order; assigned by the queue, breaks every remaining tie (-1 once popped). */
  seq: number;
  /** Set by `cancel`; a cancelled entry is skipped when it reaches the top. */
  cancelled: boolean;
}

/** `seq` of an entry that has been popped, so a late `cancel` is a no-op. */
export const DELIVERED = -1;
const POPPED = DELIVERED;

/** Default number of cancelled entries the heap may hold before it is rebuilt without them. */
export const COMPACT_MIN = 1024;

/** Initial slots of the in-order lane (grows by doubling). */
const LANE_SLOTS = 1 << 10;

/**
 * The pending deliveries in the total order `(time, priority, seq)`, so
 * entries with equal time and priority pop in the order they were pushed (as
 * in Mesa's event list). Two containers hold them:
 *
 * - an in-order lane, a FIFO ring: an entry offered to it (see `push`) and
 *   not before the lane's last entry in that order is appended there, O(1).
 *   Messages under a constant latency are pushed in delivery order (the
 *   clock never runs backwards), so nearly all of them take this path;
 * - a binary min-heap for the others (wake-ups, jittered messages).
 *
 * A pop takes the first of the two fronts; both are sorted, so the pop
 * order is the same total order as one heap's, whichever container an
 * entry sat in. Cancelling only sets a flag: O(1), and nothing is searched.
 * A cancelled entry stays until it reaches a front, so when the cancelled
 * outnumber the live (and `compactMin`) after a cancel or a pop, both
 * containers are rebuilt without them: memory stays proportional to the
 * live entries whatever the cancellation pattern, at amortised O(1) per
 * cancel.
 */
export class EventQueue<E extends Queued> {
  private heap: E[] = [];
  /** The in-order lane: a ring of `lane.length` (a power of two) slots, `laneCount` entries from `laneHead`. */
  private lane: (E | undefined)[] = new Array<E | undefined>(LANE_SLOTS);
  private laneHead = 0;
  private laneCount = 0;
  /** The lane's last entry (undefined when the lane is empty). */
  private laneTail: E | undefined = undefined;
  private nextSeq = 0;
  private live = 0;
  private peak = 0;

  constructor(private readonly compactMin: number = COMPACT_MIN) {}

  /** Number of entries not cancelled. */
  get size(): number {
    return this.live;
  }

  /** Most entries live at once so far. */
  get peakSize(): number {
    return this.peak;
  }

  /** Number of entries held, cancelled ones not yet discarded included (what the queue costs in memory). */
  get stored(): number {
    return this.heap.length + this.laneCount;
  }

  /**
   * Adds an entry. `inOrder` offers it to the in-order lane: the caller
   * expects it not to come before the entries it offered earlier (messages
   * under a constant latency). It takes the heap when it does, or when not
   * offered: a far wake-up in the lane would send every message after it
   * to the heap until it pops.
   */
  push(entry: E, inOrder = false): E {
    entry.seq = this.nextSeq++;
    const tail = this.laneTail;
    // The newest seq breaks the last tie, so "not before the tail" is time and priority only.
    if (inOrder && (tail === undefined || entry.time > tail.time || (entry.time === tail.time && entry.priority >= tail.priority))) {
      this.append(entry);
    } else {
      const heap = this.heap;
      heap.push(entry);
      this.siftUp(heap.length - 1);
    }
    if (++this.live > this.peak) this.peak = this.live;
    return entry;
  }

  /** Removes and returns the first live entry, or undefined when empty. */
  pop(): E | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    if (this.laneCount > 0 && this.lane[this.laneHead] === top) this.shift();
    else this.removeTop();
    this.live--;
    top.seq = POPPED;
    // A pop shrinks the live side too: the cancelled may now outnumber it.
    this.compactIfMostlyCancelled();
    return top;
  }

  /** The first live entry without removing it. */
  peek(): E | undefined {
    const heap = this.heap;
    // Discard cancelled fronts only; `pop` here would also take the live entry below.
    while (heap.length > 0 && (heap[0] as E).cancelled) this.removeTop();
    while (this.laneCount > 0 && (this.lane[this.laneHead] as E).cancelled) this.shift();
    const first = heap[0];
    if (this.laneCount === 0) return first;
    const front = this.lane[this.laneHead] as E;
    return first !== undefined && before(first, front) ? first : front;
  }

  /**
   * Marks an entry cancelled. Returns false if it already was, or if it has
   * already been popped (nothing left to cancel; the size is unchanged).
   */
  cancel(entry: E): boolean {
    if (entry.cancelled || entry.seq === POPPED) return false;
    entry.cancelled = true;
    this.live--;
    this.compactIfMostlyCancelled();
    return true;
  }

  /** Calls `visit` on every entry held (live or cancelled), in no particular order. */
  forEach(visit: (entry: E) => void): void {
    const heap = this.heap;
    for (let i = 0; i < heap.length; i++) visit(heap[i] as E);
    const lane = this.lane;
    for (let i = 0; i < this.laneCount; i++) visit(lane[(this.laneHead + i) & (lane.length - 1)] as E);
  }

  /** Rebuilds both containers when the cancelled entries outnumber both the live ones and `compactMin`. */
  private compactIfMostlyCancelled(): void {
    const dead = this.heap.length + this.laneCount - this.live;
    if (dead > this.compactMin && dead > this.live) this.compact();
  }

  /** Drops every cancelled entry: the lane keeps its order, the heap is rebuilt (Floyd's bottom-up build). */
  private compact(): void {
    const heap = this.heap;
    let n = 0;
    for (let i = 0; i < heap.length; i++) {
      const e = heap[i] as E;
      if (!e.cancelled) heap[n++] = e;
    }
    heap.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
    const lane = this.lane;
    const mask = lane.length - 1;
    let kept = 0;
    for (let i = 0; i < this.laneCount; i++) {
      const e = lane[(this.laneHead + i) & mask] as E;
      if (!e.cancelled) lane[(this.laneHead + kept++) & mask] = e;
    }
    for (let i = kept; i < this.laneCount; i++) lane[(this.laneHead + i) & mask] = undefined;
    this.laneCount = kept;
    this.laneTail = kept === 0 ? undefined : lane[(this.laneHead + kept - 1) & mask];
  }

  private append(entry: E): void {
    let lane = this.lane;
    if (this.laneCount === lane.length) lane = this.growLane();
    lane[(this.laneHead + this.laneCount) & (lane.length - 1)] = entry;
    this.laneCount++;
    this.laneTail = entry;
  }

  /** Removes the lane's front (live or cancelled); the lane must not be empty. */
  private shift(): void {
    const lane = this.lane;
    lane[this.laneHead] = undefined;
    this.laneHead = (this.laneHead + 1) & (lane.length - 1);
    if (--this.laneCount === 0) this.laneTail = undefined;
  }

  private growLane(): (E | undefined)[] {
    const old = this.lane;
    const lane = new Array<E | undefined>(old.length * 2);
    for (let i = 0; i < this.laneCount; i++) lane[i] = old[(this.laneHead + i) & (old.length - 1)];
    this.lane = lane;
    this.laneHead = 0;
    return lane;
  }

  /** Removes the heap's top (live or cancelled); the heap must not be empty. */
  private removeTop(): E {
    const heap = this.heap;
    const top = heap[0] as E;
    const last = heap.pop() as E;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i] as E;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as E;
      if (!before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i] as E;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right] as E, heap[left] as E)) child = right;
      if (!before(heap[child] as E, item)) break;
      heap[i] = heap[child] as E;
      i = child;
    }
    heap[i] = item;
  }
}

function before(a: Queued, b: Queued): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}
