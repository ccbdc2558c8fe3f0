import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_PRICE, type PriceAlert, type WatchPrice } from '../../src/market/market-data.js';
import { PriceAlerts } from '../../src/market/price-alerts.js';
import { buildHarness, limit, place } from '../helpers/exchange-harness.js';

type Fired = [agent: number, watchId: number, price: number];

function fired(alerts: PriceAlerts, low: number, high: number): Fired[] {
  const out: Fired[] = [];
  alerts.check(low, high, (_instrument, agent, watchId, price) => out.push([agent, watchId, price]));
  return out;
}

describe('PriceAlerts', () => {
  it('fires a watch once, on the first print at or through either side, and forgets the other side', () => {
    const a = new PriceAlerts(0);
    a.set(1, 10, 95, 110);
    a.set(2, 20, 90, NO_PRICE);
    a.set(3, 30, NO_PRICE, 105);
    expect(fired(a, 96, 104)).toEqual([]);
    expect(fired(a, 95, 95)).toEqual([[1, 10, 95]]);
    expect(fired(a, 120, 120)).toEqual([[3, 30, 120]]); // agent 1's take-profit went with its stop
    expect(fired(a, 80, 130)).toEqual([[2, 20, 80]]);
    expect(a.size).toBe(0);
  });

  it('replaces a watch, cancels it with two NO_PRICE sides, and never fires a replaced one', () => {
    const a = new PriceAlerts(0);
    a.set(1, 1, 95, NO_PRICE);
    a.set(1, 2, 90, NO_PRICE);
    expect(fired(a, 93, 93)).toEqual([]);
    expect(fired(a, 90, 90)).toEqual([[1, 2, 90]]);
    a.set(1, 3, 50, 60);
    a.set(1, 3, NO_PRICE, NO_PRICE);
    expect(a.size).toBe(0);
    expect(fired(a, 1, 1000)).toEqual([]);
  });

  it('fires exactly the live watches a print reaches, against a brute-force model (random watches and prints)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), agent: fc.integer({ min: 0, max: 5 }), below: fc.integer({ min: 0, max: 20 }), above: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('print' as const), low: fc.integer({ min: 1, max: 20 }), span: fc.integer({ min: 0, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const a = new PriceAlerts(0);
        const model = new Map<number, { id: number; below: number; above: number }>();
        let id = 0;
        for (const o of ops) {
          if (o.kind === 'set') {
            id++;
            a.set(o.agent, id, o.below, o.above);
            if (o.below === NO_PRICE && o.above === NO_PRICE) model.delete(o.agent);
            else model.set(o.agent, { id, below: o.below, above: o.above });
          } else {
            const high = o.low + o.span;
            const expected = [...model]
              .filter(([, w]) => (w.below !== NO_PRICE && w.below >= o.low) || (w.above !== NO_PRICE && w.above <= high))
              .map(([agent, w]) => agent * 1000 + w.id)
              .sort((x, y) => x - y);
            const got = fired(a, o.low, high).map(([agent, watchId]) => agent * 1000 + watchId);
            expect([...got].sort((x, y) => x - y)).toEqual(expected);
            for (const k of expected) model.delete(Math.floor(k / 1000));
          }
          expect(a.size).toBe(model.size);
        }
      }),
    );
  });
});

describe('the exchange\'s price watches', () => {
  it('alerts the watcher once when a trade prints through its stop, with the lowest print, caused by that trade', () => {
    const h = buildHarness({
      clients: [
        { name: 'maker', cash: 1e12, lots: [10_000] },
        { name: 'taker', cash: 1e12, lots: [10_000] },
        { name: 'watcher', cash: 0, lots: [0] },
      ],
    });
    const watch: WatchPrice = { type: 'WatchPrice', instrument: 0, watchId: 7, below: 995, above: 1010 };
    h.client('watcher').at(0, watch);
    h.client('maker').at(0, limit('buy', 998, 10)).at(0, limit('buy', 994, 10)).at(0, limit('sell', 1005, 10));
    // A buy at 1005 prints above nothing watched; a sale of 15 prints 998 then 994, through the stop.
    h.client('taker').at(1000, place('buy', 'market', 0, 5)).at(2000, place('sell', 'market', 0, 15)).at(3000, place('sell', 'market', 0, 5));
    h.run();
    const alerts = h.client('watcher').received.map((r) => r.message).filter((m): m is PriceAlert => m.type === 'PriceAlert');
    expect(alerts).toEqual([{ type: 'PriceAlert', instrument: 0, watchId: 7, price: 994 }]);
    const at = h.client('watcher').received.find((r) => r.message.type === 'PriceAlert')!;
    expect(at.time).toBeGreaterThanOrEqual(2000);
    expect(at.time).toBeLessThan(3000);
  });

  it('ignores a watch on an unknown instrument or at a price that is not whole ticks', () => {
    const h = buildHarness({ clients: [{ name: 'maker', cash: 1e12, lots: [10_000] }, { name: 'taker', cash: 1e12, lots: [10_000] }, { name: 'watcher', cash: 0, lots: [0] }] });
    h.client('watcher').at(0, { type: 'WatchPrice', instrument: 9, watchId: 1, below: 999, above: NO_PRICE }).at(0, { type: 'WatchPrice', instrument: 0, watchId: 2, below: 999.5, above: NO_PRICE });
    h.client('maker').at(0, limit('buy', 990, 10));
    h.client('taker').at(10, place('sell', 'market', 0, 10));
    h.run();
    expect(h.client('taker').reports.some((r) => r.type === 'OrderFilled')).toBe(true); // 990 printed: a valid watch at 999 would have fired
    expect(h.client('watcher').received.filter((r) => r.message.type === 'PriceAlert')).toEqual([]);
  });
});
