/**
 * At most one deadline per numbered slot, earliest first: an indexed binary
 * min-heap of slots keyed by time, in typed arrays (no object per entry).
 * A slot's deadline can be removed before it comes (O(log n)), so the heap
 * holds exactly the slots that have one. Ties in time come out in no set
 * order: owners that act on several deadlines at once order them themselves.
 *
 * @internal
 */
export class SlotDeadlines {
  /** Slots in heap order. */
  private readonly heap: Int32Array;
  /** Per slot, its deadline (meaningful while it has one). */
  private readonly time: Float64Array;
  /** Per slot, its index in `heap`, −1 when it has no deadline. */
  private readonly pos: Int32Array;
  private count = 0;

  /** Slots 0 … n − 1, none with a deadline. */
  constructor(n: number) {
    this.heap = new Int32Array(n);
    this.time = new Float64Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  /** The earliest deadline; only when `size > 0`. */
  topTime(): number {
    return this.time[this.heap[0] as number] as number;
  }

  /** The slot with the earliest deadline; only when `size > 0`. */
  topSlot(): number {
    return this.heap[0] as number;
  }

  has(slot: number): boolean {
    return (this.pos[slot] as number) >= 0;
  }

  /** Gives `slot` the deadline `time` (it must have none). */
  add(slot: number, time: number): void {
    this.time[slot] = time;
    this.siftUp(this.count++, slot);
  }

  /** Takes `slot`'s deadline away, if it has one. */
  remove(slot: number): void {
    const i = this.pos[slot] as number;
    if (i < 0) return;
    this.pos[slot] = -1;
    const last = this.heap[--this.count] as number;
    if (i === this.count) return;
    // The last slot fills the hole, then moves whichever way its time says.
    if (i > 0 && (this.time[last] as number) < (this.time[this.heap[(i - 1) >> 1] as number] as number)) this.siftUp(i, last);
    else this.siftDown(i, last);
  }

  /** Takes the earliest deadline away; only when `size > 0`. */
  pop(): void {
    this.remove(this.heap[0] as number);
  }

  private siftUp(from: number, slot: number): void {
    const heap = this.heap;
    const time = this.time;
    const t = time[slot] as number;
    let i = from;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if ((time[p] as number) <= t) break;
      heap[i] = p;
      this.pos[p] = i;
      i = parent;
    }
    heap[i] = slot;
    this.pos[slot] = i;
  }

  private siftDown(from: number, slot: number): void {
    const heap = this.heap;
    const time = this.time;
    const n = this.count;
    const t = time[slot] as number;
    let i = from;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let c = heap[child] as number;
      if (child + 1 < n) {
        const right = heap[child + 1] as number;
        if ((time[right] as number) < (time[c] as number)) {
          child++;
          c = right;
        }
      }
      if ((time[c] as number) >= t) break;
      heap[i] = c;
      this.pos[c] = i;
      i = child;
    }
    heap[i] = slot;
    this.pos[slot] = i;
  }
}
