import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ladderOffset, sendDemandLadder, type DemandSchedule, type LadderBounds } from '../../src/agents/demand-ladder.js';
import type { Side } from '../../src/market/side.js';

interface Order {
  side: Side;
  price: number;
  qty: number;
}

/** A falling schedule: `scale / p^elasticity` lots (the noise trader's ξ/p at elasticity 1), capped. */
function schedule(scale: number, elasticity: number, cap: number): DemandSchedule {
  return { positionAt: (p) => Math.min(cap, scale / Math.pow(p, elasticity)) };
}

function ladder(s: DemandSchedule, position: number, bounds: Partial<LadderBounds>): Order[] {
  const orders: Order[] = [];
  const b: LadderBounds = { levels: 30, stepTicks: 2, minPrice: 1, maxPrice: 40_000, cash: Number.MAX_SAFE_INTEGER, holdPerLot: (p) => p + 2, sellable: Number.MAX_SAFE_INTEGER, ...bounds };
  sendDemandLadder(s, position, b, { ladderOrder: (side, price, qty) => orders.push({ side, price, qty }) });
  return orders;
}

/** Lots the ladder trades if the call clears at `p`: buys limited at ≥ p, sells at ≤ p. */
function tradedAt(orders: readonly Order[], p: number): number {
  let net = 0;
  for (const o of orders) {
    if (o.side === 'buy' && o.price >= p) net += o.qty;
    if (o.side === 'sell' && o.price <= p) net -= o.qty;
  }
  return net;
}

const arbitrarySchedule = fc.record({
  scale: fc.integer({ min: 1_000, max: 1_000_000_000 }),
  elasticity: fc.double({ min: 0.5, max: 3, noNaN: true }),
  cap: fc.integer({ min: 1, max: 10_000_000 }),
  position: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('demand ladders', () => {
  it('should trade the schedule’s change of position at every level’s price, never crossing itself', () => {
    fc.assert(
      fc.property(arbitrarySchedule, ({ scale, elasticity, cap, position }) => {
        const s = schedule(scale, elasticity, cap);
        const orders = ladder(s, position, {});
        const buys = orders.filter((o) => o.side === 'buy');
        const sells = orders.filter((o) => o.side === 'sell');
        for (const o of orders) expect(o.qty).toBeGreaterThan(0);
        if (buys.length > 0 && sells.length > 0) expect(Math.max(...buys.map((o) => o.price))).toBeLessThan(Math.min(...sells.map((o) => o.price)));
        // At each order's price the ladder leaves the agent where its schedule wants it.
        for (const o of orders) expect(position + tradedAt(orders, o.price)).toBe(Math.floor(s.positionAt(o.price)));
      }),
      { numRuns: 300 },
    );
  });

  it('should keep buys within cash and sells within the lots it may deliver, no sell below the floor', () => {
    fc.assert(
      fc.property(arbitrarySchedule, fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 5_000 }), ({ scale, elasticity, cap, position }, cash, sellable, minPrice) => {
        const orders = ladder(schedule(scale, elasticity, cap), position, { cash, sellable, minPrice });
        const held = orders.filter((o) => o.side === 'buy').reduce((a, o) => a + o.qty * (o.price + 2), 0);
        const sold = orders.filter((o) => o.side === 'sell').reduce((a, o) => a + o.qty, 0);
        expect(held).toBeLessThanOrEqual(cash);
        expect(sold).toBeLessThanOrEqual(sellable);
        for (const o of orders) if (o.side === 'sell') expect(o.price).toBeGreaterThanOrEqual(minPrice);
      }),
      { numRuns: 300 },
    );
  });

  it('should sell a schedule that wants out at any price at the floor, not at 1 tick', () => {
    const orders = ladder({ positionAt: () => 0 }, 500, { minPrice: 9_000 });
    expect(orders).toEqual([{ side: 'sell', price: 9_000, qty: 500 }]);
  });

  it('should send nothing where the schedule wants what it holds, and space levels step·i(i+1)/2 apart', () => {
    expect(ladder({ positionAt: () => 100 }, 100, {})).toEqual([]);
    expect([0, 1, 2, 3, 4].map((i) => ladderOffset(i, 2))).toEqual([0, 2, 6, 12, 20]);
    // ξ/p with ξ = 10⁸ and 10⁴ lots held: the schedule crosses the position at 10 000 ticks.
    const orders = ladder(schedule(1e8, 1, Number.POSITIVE_INFINITY), 10_000, { levels: 3, stepTicks: 2 });
    expect(orders.map((o) => [o.side, o.price])).toEqual([
      ['buy', 9_999],
      ['buy', 9_997],
      ['buy', 9_993],
      ['sell', 10_001],
      ['sell', 10_003],
      ['sell', 10_007],
    ]);
  });
});
