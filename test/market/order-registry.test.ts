import { describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { OrderRegistry } from '../../src/market/order-registry.js';

describe('OrderRegistry', () => {
  it('issues dense ids that are never reused, whatever the ring size', () => {
    const r = new OrderRegistry(4);
    const ids = Array.from({ length: 20 }, (_, i) => r.open(i, i, 0, 'buy', 100 + i, 50));
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('keeps a resting order (hold > 0) after its slot is needed, and drops it R ids after it leaves', () => {
    const r = new OrderRegistry(4);
    const resting = r.open(7, 70, 1, 'sell', 555, 123);
    r.setHeld(resting, 10);
    for (let i = 0; i < 10; i++) r.open(1, 1, 0, 'buy', i, 1);
    expect(r.spilledCount).toBe(1);
    expect(r.has(resting)).toBe(true);
    expect([r.agent(resting), r.account(resting), r.instrument(resting), r.side(resting), r.clientOrderId(resting), r.price(resting), r.held(resting)]).toEqual([7, 70, 1, 'sell', 555, 123, 10]);
    r.setPrice(resting, 124);
    expect(r.price(resting)).toBe(124);
    r.setHeld(resting, 0);
    // Still known for R = 4 more ids: a cancel racing its last fill gets the usual answer.
    for (let i = 0; i < 3; i++) r.open(1, 1, 0, 'buy', i, 1);
    expect(r.has(resting)).toBe(true);
    expect(r.clientOrderId(resting)).toBe(555);
    r.open(1, 1, 0, 'buy', 0, 1);
    expect(r.has(resting)).toBe(false);
    expect(r.spilledCount).toBe(0);
  });

  it('forgets a finished order once R newer ids have taken its slot', () => {
    const r = new OrderRegistry(8);
    const done = r.open(3, 3, 0, 'buy', 42, 10);
    for (let i = 0; i < 7; i++) r.open(1, 1, 0, 'buy', i, 1);
    expect(r.has(done)).toBe(true);
    r.open(1, 1, 0, 'buy', 0, 1);
    expect(r.has(done)).toBe(false);
    expect(r.clientOrderId(done)).toBe(0);
    expect(r.has(0)).toBe(false);
    expect(r.has(r.open(1, 1, 0, 'buy', 0, 1) + 1)).toBe(false);
  });

  it('refuses a ring size that is not a power of two', () => {
    expect(() => new OrderRegistry(6)).toThrow(/power of two/);
  });

  // Model: a map of every order ever opened; live orders (hold > 0) must always read back exactly.
  fcTest.prop([fc.array(fc.tuple(fc.boolean(), fc.nat(30), fc.integer({ min: 0, max: 5 })), { maxLength: 300 })])('reads back every live order exactly, with a small ring', (steps) => {
    const r = new OrderRegistry(4);
    const model = new Map<number, { client: number; held: number }>();
    for (const [isOpen, client, held] of steps) {
      const live = [...model.entries()].filter(([, o]) => o.held > 0);
      if (isOpen || live.length === 0) {
        const id = r.open(1, 2, 0, 'buy', client, 9);
        r.setHeld(id, held);
        model.set(id, { client, held });
      } else {
        const [id, o] = live[client % live.length] as [number, { client: number; held: number }];
        o.held = Math.max(0, o.held - 1 - (held % 2));
        r.setHeld(id, o.held);
      }
      for (const [id, o] of model) {
        if (o.held === 0) continue;
        expect(r.has(id)).toBe(true);
        expect(r.clientOrderId(id)).toBe(o.client);
        expect(r.held(id)).toBe(o.held);
      }
    }
  });
});
