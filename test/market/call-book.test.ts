import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auctionPrice } from '../../src/market/auction-clearing.js';
import { CallBook } from '../../src/market/call-book.js';

type Op = { kind: 'add'; side: 'buy' | 'sell'; price: number; qty: number } | { kind: 'remove' | 'reduce' | 'amend'; pick: number; price: number; qty: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'), price: fc.integer({ min: 90, max: 110 }), qty: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom<'remove' | 'reduce' | 'amend'>('remove', 'reduce', 'amend'), pick: fc.nat(50), price: fc.integer({ min: 90, max: 110 }), qty: fc.integer({ min: 1, max: 20 }) }) },
);

describe('CallBook', () => {
  it('keeps its indicative price equal to the uncrossing of its open orders through adds, removals, fills and amendments', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 85, max: 115 }), (ops, reference) => {
        const call = new CallBook();
        const ids: number[] = [];
        let next = 1;
        for (const o of ops) {
          if (o.kind === 'add') {
            call.add(next, next % 3, o.side, o.price, o.qty, false);
            ids.push(next++);
          } else {
            const live = ids.filter((id) => (call.get(id)?.qty ?? 0) > 0);
            if (live.length === 0) continue;
            const id = live[o.pick % live.length] as number;
            const e = call.get(id)!;
            if (o.kind === 'remove') call.remove(id);
            else if (o.kind === 'reduce') call.reduce(id, Math.min(e.qty, o.qty));
            else call.amend(id, o.price, o.qty);
          }
          expect(call.indicative(reference)).toEqual(auctionPrice(call.orders(), reference));
        }
        expect(call.drain().every((e) => e.qty > 0)).toBe(true);
        expect(call.size).toBe(0);
        expect(call.indicative(reference)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps time priority on a smaller size at the same price and loses it on any other amendment', () => {
    const call = new CallBook();
    call.add(1, 0, 'buy', 100, 10, false);
    call.add(2, 1, 'buy', 100, 10, false);
    expect(call.amend(1, 100, 5)).toBe(true);
    expect(call.orders().map((o) => o.id)).toEqual([1, 2]);
    expect(call.amend(1, 100, 6)).toBe(false);
    expect(call.orders().map((o) => o.id)).toEqual([2, 1]);
    expect(call.amend(2, 101, 10)).toBe(false);
    expect(call.orders().map((o) => o.id)).toEqual([1, 2]);
  });
});
