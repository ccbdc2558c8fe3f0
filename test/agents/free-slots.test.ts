import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeSlots } from '../../src/agents/_internals/free-slots.js';

describe('FreeSlots', () => {
  it('should start all free and answer the lowest free slot, −1 when none', () => {
    const s = new FreeSlots(70);
    expect(s.lowest()).toBe(0);
    for (let i = 0; i < 70; i++) s.take(i);
    expect(s.lowest()).toBe(-1);
    s.release(69);
    expect(s.lowest()).toBe(69);
    s.release(31);
    expect(s.lowest()).toBe(31);
    expect(s.isFree(31) && s.isFree(69) && !s.isFree(32)).toBe(true);
  });

  it('should agree with a walk of a boolean array over any takes and releases (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 300 }), (n, ops) => {
        const s = new FreeSlots(n);
        const free = new Array<boolean>(n).fill(true);
        for (const [take, pick] of ops) {
          const i = pick % n;
          if (take) s.take(i);
          else s.release(i);
          free[i] = !take;
          expect(s.lowest()).toBe(free.indexOf(true));
          expect(s.isFree(i)).toBe(free[i]);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
