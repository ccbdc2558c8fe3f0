/**
 * The roll times of one lender's loans: a binary min-heap of (time, loan id)
 * in parallel arrays (no allocation per entry), ordered by time then id so
 * loans due together roll in id order. One entry per live loan: pushed when
 * the loan opens and again at each roll. A closed loan's entry is not
 * searched for; it is dropped when it surfaces (the venue checks the loan).
 * Not the health index's `TriggerHeap` (loan-book.ts): that one orders by
 * key alone, and giving it this queue's tie-break by id would change the
 * order in which loans at one trigger price are told unhealthy.
 *
 * @packageDocumentation
 */

import type { Micros } from '../engine/time.js';

/** Roll times of one lender's loans, earliest first. */
export class RollQueue {
  private times: number[] = [];
  private ids: number[] = [];
  /** Entries held (a closed loan's included until it surfaces). */
  size = 0;

  push(time: Micros, loanId: number): void {
    let i = this.size++;
    const times = this.times;
    const ids = this.ids;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(time, loanId, times[parent], ids[parent])) break;
      times[i] = times[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    times[i] = time;
    ids[i] = loanId;
  }

  /** The earliest roll time (Infinity when empty). */
  topTime(): Micros {
    return this.size > 0 ? this.times[0] : Number.POSITIVE_INFINITY;
  }

  /** The loan of the earliest entry (only when not empty). */
  topId(): number {
    return this.ids[0];
  }

  /** Removes the earliest entry. */
  pop(): void {
    const n = --this.size;
    if (n <= 0) {
      this.size = Math.max(0, n);
      return;
    }
    const times = this.times;
    const ids = this.ids;
    const time = times[n];
    const id = ids[n];
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(times[right], ids[right], times[left], ids[left])) child = right;
      if (!before(times[child], ids[child], time, id)) break;
      times[i] = times[child];
      ids[i] = ids[child];
      i = child;
    }
    times[i] = time;
    ids[i] = id;
  }
}

function before(t1: number, id1: number, t2: number, id2: number): boolean {
  return t1 < t2 || (t1 === t2 && id1 < id2);
}
