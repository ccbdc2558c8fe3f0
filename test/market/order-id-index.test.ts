import { describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { OrderIdIndex } from '../../src/market/order-id-index.js';

interface Item {
  readonly id: number;
}

describe('OrderIdIndex', () => {
  it('finds orders in their slot, in the map when the slot is taken, and nothing for ids it does not hold', () => {
    const index = new OrderIdIndex<Item>(4, 4);
    const a = { id: 1 };
    const b = { id: 5 }; // same slot as 1
    index.add(a);
    index.add(b);
    expect(index.get(1)).toBe(a);
    expect(index.get(5)).toBe(b);
    expect(index.size).toBe(2);
    for (const id of [9, 0, -3, 1.5, Number.NaN, 2 ** 40 + 1]) expect(index.get(id)).toBeUndefined();
    index.remove(a);
    expect(index.get(1)).toBeUndefined();
    expect(index.get(5)).toBe(b);
    index.remove(b);
    expect(index.size).toBe(0);
    expect(index.has(5)).toBe(false);
  });

  it('refuses table sizes that are not powers of two', () => {
    expect(() => new OrderIdIndex<Item>(3)).toThrow(RangeError);
    expect(() => new OrderIdIndex<Item>(8, 4)).toThrow(RangeError);
  });

  // The model is a Map; ids are drawn from a narrow range so that slots collide and the table grows.
  const op = fc.oneof(fc.record({ add: fc.integer({ min: -40, max: 200 }) }), fc.record({ remove: fc.nat(300) }), fc.record({ get: fc.integer({ min: -50, max: 250 }) }));
  fcTest.prop([fc.array(op, { maxLength: 300 }), fc.constantFrom(1, 2, 8), fc.constantFrom(8, 64)])('agrees with a Map under adds, removes and lookups', (ops, initial, max) => {
    const index = new OrderIdIndex<Item>(initial, max);
    const model = new Map<number, Item>();
    for (const o of ops) {
      if ('add' in o) {
        if (model.has(o.add)) continue;
        const item = { id: o.add };
        index.add(item);
        model.set(o.add, item);
      } else if ('remove' in o) {
        const ids = [...model.keys()];
        if (ids.length === 0) continue;
        const id = ids[o.remove % ids.length] as number;
        index.remove(model.get(id) as Item);
        model.delete(id);
      } else {
        expect(index.get(o.get)).toBe(model.get(o.get));
      }
      expect(index.size).toBe(model.size);
    }
    for (const [id, item] of model) expect(index.get(id)).toBe(item);
  });
});
