/**
 * Deadlines of items filed in numbered slots, earliest first: a binary
 * min-heap of (time, slot, item). Entries are never updated in place; one
 * whose slot (in the owner's `holders` array) no longer holds its item is
 * stale, and is dropped when it reaches the top or in a compaction.
 * Ties in time come out in no set order: owners that act on several
 * deadlines at once order them themselves.
 *
 * @internal
 */
export class DeadlineHeap<T> {
  private readonly times: number[] = [];
  private readonly slots: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Time of the earliest entry; only when `size > 0`. */
  topTime(): number {
    return this.times[0] as number;
  }

  /** Slot of the earliest entry; only when `size > 0`. */
  topSlot(): number {
    return this.slots[0] as number;
  }

  /** Item of the earliest entry; only when `size > 0`. */
  topItem(): T {
    return this.items[0] as T;
  }

  push(time: number, slot: number, item: T): void {
    const times = this.times;
    let i = times.length;
    times.push(time);
    this.slots.push(slot);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((times[parent] as number) <= time) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, time, slot, item);
  }

  /** Drops the earliest entry; only when `size > 0`. */
  pop(): void {
    const last = this.times.length - 1;
    const time = this.times[last] as number;
    const slot = this.slots[last] as number;
    const item = this.items[last] as T;
    this.times.pop();
    this.slots.pop();
    this.items.pop();
    if (last > 0) this.siftDown(0, time, slot, item);
  }

  /** Drops stale entries from the top, so that the top (if any) is current. */
  dropStaleTop(holders: readonly (T | undefined)[]): void {
    while (this.times.length > 0 && holders[this.slots[0] as number] !== this.items[0]) this.pop();
  }

  /** Drops every stale entry. */
  compact(holders: readonly (T | undefined)[]): void {
    const times = this.times;
    const slots = this.slots;
    const items = this.items;
    let n = 0;
    for (let i = 0; i < times.length; i++) {
      if (holders[slots[i] as number] !== items[i]) continue;
      times[n] = times[i] as number;
      slots[n] = slots[i] as number;
      items[n] = items[i] as T;
      n++;
    }
    times.length = n;
    slots.length = n;
    items.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, times[i] as number, slots[i] as number, items[i] as T);
  }

  private siftDown(from: number, time: number, slot: number, item: T): void {
    const times = this.times;
    const n = times.length;
    let i = from;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (times[child + 1] as number) < (times[child] as number)) child++;
      if ((times[child] as number) >= time) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, time, slot, item);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.slots[to] = this.slots[from] as number;
    this.items[to] = this.items[from] as T;
  }

  private put(i: number, time: number, slot: number, item: T): void {
    this.times[i] = time;
    this.slots[i] = slot;
    this.items[i] = item;
  }
}
