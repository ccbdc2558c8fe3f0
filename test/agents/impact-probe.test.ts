import { describe, expect, it } from 'vitest';
import { ImpactProbe } from '../../src/agents/impact-probe.js';
import type { Message } from '../../src/engine/message.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { impactCurve, probeImpact } from '../../src/stats/impact.js';
import { probeSizes } from '../../src/experiment/registry/impact-probe-agent-type.js';
import { buildHarness, limit } from '../helpers/exchange-harness.js';

const S = 1_000_000;

/** A maker's static book (bids 995×50, 990×100; asks 1005×50, 1010×100, 800 more far out each side; the instrument's largest order is 1000) and one probe. */
function probeRun(sizes: number[], seed = 1, meanUs = 10 * S, sizeWeightExponent = 0) {
  const h = buildHarness({ clients: [{ name: 'mm', cash: 1e12, lots: [100_000] }], seed });
  const mm = h.client('mm');
  mm.at(0, limit('buy', 995, 50, 1)).at(0, limit('buy', 990, 100, 2)).at(0, limit('sell', 1005, 50, 3)).at(0, limit('sell', 1010, 100, 4));
  mm.at(0, limit('buy', 500, 800, 5)).at(0, limit('sell', 1500, 800, 6));
  const inst = h.instruments[0]!;
  const probe = h.kernel.register(
    new ImpactProbe('probe', { exchange: h.exchange.id, instrument: 0, sizes, sizeWeightExponent, meanInterArrivalUs: meanUs, startUs: S, endUs: 300 * S, initialCash: 1e12, initialPosition: 10_000, minorPerTickLot: inst.minorPerTickLot }),
  );
  const account = h.ledger.openAccount('probe');
  h.exchange.bindAccount(probe.id, account);
  h.ledger.deposit(account, 1e12);
  h.ledger.issue(account, 0, 10_000);
  const sent: Message[] = [];
  const send = h.kernel.send.bind(h.kernel);
  h.kernel.send = (from, to, message, extra) => {
    if (from === probe.id) sent.push(message);
    return send(from, to, message, extra);
  };
  h.run(400 * S);
  return { probe, sent, orders: sent.filter((m): m is PlaceOrder => m.type === 'PlaceOrder') };
}

describe('ImpactProbe', () => {
  it('measures the first probes exactly on a known book: mid before, mid 1 s after, emptied side', () => {
    const { probe } = probeRun([60]);
    const r = probe.record;
    // Buy 60: takes 1005×50 and 10 of 1010, so the mid goes 1000 → (995 + 1010) / 2.
    expect([r.side[0], r.qty[0], r.midBefore[0], r.midJustAfter[0], r.midAfter[0], r.emptied[0]]).toEqual([1, 60, 1000, 1002.5, 1002.5, 0]);
    // Sell 60: takes 995×50 and 10 of 990: mid (990 + 1010) / 2.
    expect([r.side[1], r.midBefore[1], r.midAfter[1]]).toEqual([-1, 1002.5, 1000]);
    expect(r.timeUs[1]! - r.timeUs[0]!).toBeGreaterThan(S);
  });

  it('flags a probe that empties the side it hits, and then has no mid after', () => {
    const { probe } = probeRun([1000]);
    expect(probe.record.emptied[0]).toBe(1);
    expect(probe.record.midAfter[0]).toBeNaN();
    // With the ask side gone there is no mid, so no further probe is sent.
    expect(probe.record.qty).toHaveLength(1);
  });

  it('sends only market orders of its listed sizes and queries, alternating sides', () => {
    const sizes = [1, 3, 7];
    const { probe, sent, orders } = probeRun(sizes, 3, 5 * S);
    expect(orders.length).toBeGreaterThan(10);
    expect(sent.every((m) => m.type === 'PlaceOrder' || m.type === 'QueryMarket')).toBe(true);
    for (const o of orders) {
      expect(o.orderType).toBe('market');
      expect(sizes).toContain(o.qty);
    }
    expect(orders.map((o) => o.side)).toEqual(orders.map((_, i) => (i % 2 === 0 ? 'buy' : 'sell')));
    expect(probe.record.qty).toEqual(orders.map((o) => o.qty));
    expect(new Set(probe.record.qty).size).toBe(3);
  });

  it('draws size Q with probability ∝ Q^−a', () => {
    // a = 1 on sizes 1 and 4: P(1) = 0.8. Arrivals at one a second, those within a probe's 1 s skipped: ~150 probes.
    const qty = probeRun([1, 4], 7, S, 1).probe.record.qty;
    expect(qty.length).toBeGreaterThan(100);
    const small = qty.filter((q) => q === 1).length / qty.length;
    expect(small).toBeGreaterThan(0.7);
    expect(small).toBeLessThan(0.9);
    const uniform = probeRun([1, 4], 7, S, 0).probe.record.qty;
    const smallUniform = uniform.filter((q) => q === 1).length / uniform.length;
    expect(smallUniform).toBeGreaterThan(0.37);
    expect(smallUniform).toBeLessThan(0.63);
  });

  it('is deterministic per seed and changes with it', () => {
    const a = probeRun([1, 3, 7], 5, 5 * S).probe.record;
    const b = probeRun([1, 3, 7], 5, 5 * S).probe.record;
    const c = probeRun([1, 3, 7], 6, 5 * S).probe.record;
    expect(b).toEqual(a);
    expect(c.timeUs).not.toEqual(a.timeUs);
  });

  it('refuses an empty size list or a non-integer size', () => {
    const base = { exchange: 0, instrument: 0 };
    expect(() => new ImpactProbe('p', { ...base, sizes: [] })).toThrow(/sizes/);
    expect(() => new ImpactProbe('p', { ...base, sizes: [1.5] })).toThrow(/sizes\[0\]/);
  });
});

describe('impact curve', () => {
  it('averages the signed log impact per size and counts emptied sides', () => {
    const curve = impactCurve({
      timeUs: [0, 1, 2, 3, 4],
      side: [1, -1, 1, 1, -1],
      qty: [10, 10, 100, 100, 100],
      midBefore: [100, 100, 100, 100, 100],
      midJustAfter: [102, 98, 120, 100, Number.NaN],
      midAfter: [101, 99, 110, Number.NaN, 95],
      emptied: [0, 0, 0, 1, 1],
    });
    expect(curve).toHaveLength(2);
    expect(curve[0]).toMatchObject({ qty: 10, probes: 2, measured: 2, emptiedShare: 0 });
    expect(curve[0]!.meanImpact).toBeCloseTo((Math.log(1.01) - Math.log(0.99)) / 2, 12);
    expect(curve[1]).toMatchObject({ qty: 100, probes: 3, measured: 2, emptiedShare: 2 / 3 });
    expect(curve[1]!.meanImpact).toBeCloseTo((Math.log(1.1) - Math.log(0.95)) / 2, 12);
    // Two observations x, y: sd = |x − y|/√2, standard error sd/√2 = |x − y|/2.
    expect(curve[1]!.standardError).toBeCloseTo(Math.abs(Math.log(1.1) + Math.log(0.95)) / 2, 12);
    expect(curve[0]!.meanImmediateImpact).toBeCloseTo((Math.log(1.02) - Math.log(0.98)) / 2, 12);
    // Of the three size-100 probes, two have a mid right after: +ln 1.2 and 0.
    expect(curve[1]!.meanImmediateImpact).toBeCloseTo(Math.log(1.2) / 2, 12);
    expect(probeImpact(-1, 100, 0)).toBeNaN();
  });

  it('is null for a size with no measurable probe', () => {
    const curve = impactCurve({ timeUs: [0], side: [1], qty: [5], midBefore: [Number.NaN], midJustAfter: [Number.NaN], midAfter: [100], emptied: [1] });
    expect(curve).toEqual([{ qty: 5, probes: 1, measured: 0, meanImpact: null, standardError: null, meanImmediateImpact: null, emptiedShare: 1 }]);
  });

  it('spaces probe sizes geometrically, whole and distinct', () => {
    expect(probeSizes(300, 30_000, 5)).toEqual([300, 949, 3000, 9487, 30_000]);
    expect(probeSizes(1, 2, 5)).toEqual([1, 2]);
    expect(probeSizes(7, 7, 1)).toEqual([7]);
    expect(() => probeSizes(10, 5, 3)).toThrow(/maxQty/);
  });
});
