import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotDeadlines } from '../../src/agents/_internals/slot-deadlines.js';

describe('SlotDeadlines', () => {
  it('should give the earliest deadline over any adds, removals and pops (property, against a list)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), slot: fc.nat({ max: 11 }), time: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('remove' as const), slot: fc.nat({ max: 11 }) }),
      fc.record({ kind: fc.constant('popDue' as const), now: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const heap = new SlotDeadlines(12);
        const deadline = new Array<number>(12).fill(Infinity);
        for (const x of ops) {
          if (x.kind === 'add') {
            if (deadline[x.slot] !== Infinity) continue;
            heap.add(x.slot, x.time);
            deadline[x.slot] = x.time;
          } else if (x.kind === 'remove') {
            heap.remove(x.slot);
            deadline[x.slot] = Infinity;
          } else {
            const due: number[] = [];
            while (heap.size > 0 && heap.topTime() <= x.now) {
              expect(heap.topTime()).toBe(deadline[heap.topSlot()]);
              due.push(heap.topSlot());
              heap.pop();
            }
            expect(due.sort((a, b) => a - b)).toEqual(deadline.flatMap((t, slot) => (t <= x.now ? [slot] : [])));
            for (const slot of due) deadline[slot] = Infinity;
          }
          expect(heap.size).toBe(deadline.filter((t) => t !== Infinity).length);
          expect(heap.size > 0 ? heap.topTime() : Infinity).toBe(Math.min(...deadline));
          for (let s = 0; s < 12; s++) expect(heap.has(s)).toBe(deadline[s] !== Infinity);
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
