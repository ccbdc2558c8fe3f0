import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../src/agents/_internals/deadline-heap.js';

interface Item {
  readonly id: number;
}

describe('DeadlineHeap', () => {
  it('should give the earliest current deadline, dropping entries whose slot moved on (property, against a list)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('file' as const), slot: fc.nat({ max: 9 }), time: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('empty' as const), slot: fc.nat({ max: 9 }) }),
      fc.record({ kind: fc.constant('popDue' as const), now: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('compact' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const heap = new DeadlineHeap<Item>();
        const holders = new Array<Item | undefined>(10).fill(undefined);
        const deadline = new Array<number>(10).fill(Infinity);
        let next = 0;
        for (const x of ops) {
          if (x.kind === 'file') {
            const item = { id: next++ };
            holders[x.slot] = item;
            deadline[x.slot] = x.time;
            heap.push(x.time, x.slot, item);
          } else if (x.kind === 'empty') {
            holders[x.slot] = undefined;
            deadline[x.slot] = Infinity;
          } else if (x.kind === 'compact') {
            heap.compact(holders);
            expect(heap.size).toBe(holders.filter((h) => h !== undefined).length);
          } else {
            const due: number[] = [];
            for (heap.dropStaleTop(holders); heap.size > 0 && heap.topTime() <= x.now; heap.dropStaleTop(holders)) {
              expect(holders[heap.topSlot()]).toBe(heap.topItem());
              due.push(heap.topSlot());
              heap.pop();
            }
            const expected = deadline.flatMap((t, slot) => (t <= x.now ? [slot] : []));
            expect(due.sort((a, b) => a - b)).toEqual(expected);
            for (const slot of due) {
              holders[slot] = undefined;
              deadline[slot] = Infinity;
            }
          }
          heap.dropStaleTop(holders);
          const earliest = Math.min(...deadline);
          expect(heap.size > 0 ? heap.topTime() : Infinity).toBe(earliest);
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
