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

/**
 * Binary min-heap ordered by `(time, priority, seq)`, so entries with equal
 * time and priority pop in the order they were pushed (as in Mesa's event
 * list). Cancelling only sets a flag: O(1), and the heap is never searched.
 * A cancelled entry stays in the heap until it reaches the top, so when the
 * cancelled outnumber the live (and `compactMin`) after a cancel or a pop, the heap is rebuilt
 * without them: memory stays proportional to the live entries whatever the
 * cancellation pattern, at amortised O(1) per cancel. Pop order is the total
 * order `(time, priority, seq)`, so rebuilding never changes it.
 */
export class EventQueue<E extends Queued> {
  private heap: E[] = [];
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

  /** Number of entries held, cancelled ones not yet discarded included (what the heap costs in memory). */
  get stored(): number {
    return this.heap.length;
  }

  push(entry: E): E {
    entry.seq = this.nextSeq++;
    const heap = this.heap;
    heap.push(entry);
    this.siftUp(heap.length - 1);
    if (++this.live > this.peak) this.peak = this.live;
    return entry;
  }

  /** Removes and returns the first live entry, or undefined when empty. */
  pop(): E | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = this.removeTop();
      if (!top.cancelled) {
        this.live--;
        top.seq = POPPED;
        // A pop shrinks the live side too: the cancelled may now outnumber it.
        this.compactIfMostlyCancelled();
        return top;
      }
    }
    return undefined;
  }

  /** The first live entry without removing it. */
  peek(): E | undefined {
    const heap = this.heap;
    // Discard cancelled tops only; `pop` here would also take the live entry below.
    while (heap.length > 0 && (heap[0] as E).cancelled) this.removeTop();
    return heap[0];
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

  /** Rebuilds the heap when the cancelled entries outnumber both the live ones and `compactMin`. */
  private compactIfMostlyCancelled(): void {
    const dead = this.heap.length - this.live;
    if (dead > this.compactMin && dead > this.live) this.compact();
  }

  /** Drops every cancelled entry and restores the heap order (Floyd's bottom-up build). */
  private compact(): void {
    const heap = this.heap;
    let n = 0;
    for (let i = 0; i < heap.length; i++) {
      const e = heap[i] as E;
      if (!e.cancelled) heap[n++] = e;
    }
    heap.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
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
