import { describe, expect, it } from 'vitest';
import { InvestorFlows } from '../../src/agents/investor-flows.js';
import { LeveragedValueFund, type LeveragedValueFundOptions } from '../../src/agents/leveraged-value-fund.js';
import { Kernel } from '../../src/engine/kernel.js';
import type { RepayLoan, RequestLoan } from '../../src/credit/credit-messages.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { FakeCreditVenue } from './fake-credit-venue.js';
import { expectBankruptcyAndReentry } from './investor-fund-cycle.js';

const SECOND = 1_000_000;

function setup(options: Partial<LeveragedValueFundOptions> = {}, seed: number | string = 1) {
  const kernel = new Kernel({ seed, latency: { delay: () => 100 } });
  const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000, haircut: 0.2, maintenanceHaircut: 0.15 }));
  const terms = { initialHaircut: () => venue.haircut, maintenanceHaircut: () => venue.maintenanceHaircut };
  const world = { value: 2000 };
  const fund = kernel.register(
    new LeveragedValueFund('fund', {
      exchange: venue.id,
      credit: venue.id,
      lender: venue.id,
      instrument: 0,
      initialCash: 100_000,
      fundamental: { valueAt: () => world.value },
      terms,
      beta: 100,
      intervalUs: 10 * SECOND,
      ...options,
    }),
  );
  venue.deposit(fund.id, 100_000);
  return { kernel, venue, fund, world };
}

describe('LeveragedValueFund', () => {
  it('should buy with its cash first, then loop: pledge the lots bought, borrow, buy again', () => {
    const { kernel, venue, fund } = setup({ utilisation: 1 });
    kernel.runUntil(11 * SECOND);
    const sent = venue.received.filter((r) => r.from === fund.id).map((r) => r.message);
    expect(sent.slice(0, 3).map((m) => m.type)).toEqual(['QueryMarket', 'PlaceOrder', 'RequestLoan']);
    expect(sent[1]).toMatchObject({ side: 'buy', qty: 99 }); // ⌊100 000 / (1001 · 1.001 + 2)⌋
    expect(sent[2]).toMatchObject({ collateral: [{ instrument: 0, qty: 99 }] });
    expect((sent[2] as RequestLoan).amount).toBeLessThanOrEqual(Math.floor(99 * 1000 * 0.8));
    // Each draw pledges only lots bought since the last one, and is followed by buying.
    let bought = 0;
    let pledged = 0;
    let loops = 0;
    for (let i = 1; i < sent.length; i++) {
      const m = sent[i]!;
      if (m.type === 'PlaceOrder') bought += (m as PlaceOrder).qty;
      if (m.type === 'RequestLoan') {
        loops++;
        pledged += (m as RequestLoan).collateral.reduce((s, l) => s + l.qty, 0);
        expect(pledged).toBeLessThanOrEqual(bought);
        expect(sent[i + 1]?.type ?? 'PlaceOrder').toBe('PlaceOrder');
      }
    }
    expect(loops).toBeGreaterThanOrEqual(5);
    expect(bought).toBeGreaterThan(450);
    expect(venue.of('CreditRejected')).toHaveLength(0);
  });

  it('should lever up to, but not beyond, 1/h', () => {
    const { kernel, venue, fund } = setup({ utilisation: 1 });
    let maxLeverage = 0;
    for (let t = 1; t <= 60; t++) {
      kernel.runUntil(t * SECOND);
      maxLeverage = Math.max(maxLeverage, venue.leverageOf(fund.id));
    }
    expect(maxLeverage).toBeLessThanOrEqual(1 / 0.2);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(0.95 / 0.2);
    expect(fund.counts.creditRejections).toBe(0); // it never asked for more than the haircut allows
    expect(fund.maxLeverage()).toBeCloseTo(5, 12);
    expect(fund.leverageAt(1000)).toBeCloseTo(venue.leverageOf(fund.id), 9); // its belief matches the venue's books
    expect(fund.loan.debt).toBe(venue.debtOf(fund.id));
    expect(fund.cash).toBe(venue.account(fund.id).cash);
  });

  it('should stay within its own maximum leverage and within β·mispricing', () => {
    const capped = setup({ utilisation: 1, maxLeverage: 2 });
    capped.kernel.runUntil(60 * SECOND);
    expect(capped.venue.leverageOf(capped.fund.id)).toBeLessThanOrEqual(2);
    expect(capped.venue.leverageOf(capped.fund.id)).toBeGreaterThan(1.9);
    // β = 3, V = 1250, p = 1000: λ = 3 · 0.2 = 0.6.
    const mild = setup({ beta: 3 });
    mild.world.value = 1250;
    mild.kernel.runUntil(60 * SECOND);
    expect(mild.venue.leverageOf(mild.fund.id)).toBeCloseTo(0.6, 1);
    expect(mild.venue.debtOf(mild.fund.id)).toBe(0);
  });

  it('should sell and repay everything when the price rises above value', () => {
    const { kernel, venue, fund, world } = setup();
    kernel.runUntil(60 * SECOND);
    expect(venue.debtOf(fund.id)).toBeGreaterThan(0);
    world.value = 500;
    kernel.runUntil(300 * SECOND);
    expect(venue.account(fund.id).position).toBe(0);
    expect(venue.debtOf(fund.id)).toBe(0);
    expect(venue.loanOf(fund.id)).toBeUndefined();
    expect(venue.of<PlaceOrder>('PlaceOrder', fund.id).some((o) => o.side === 'sell')).toBe(true);
    expect(venue.of('RepayLoan', fund.id).length).toBeGreaterThan(0);
    expect(venue.of('ReleaseCollateral', fund.id).length).toBeGreaterThan(0);
    expect(fund.loan.pledged).toBe(0);
  });

  it('should deleverage to the new limit when the lender raises its haircut a little', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(60 * SECOND);
    const before = venue.account(fund.id).position;
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(3.4);
    venue.haircut = 0.25;
    venue.maintenanceHaircut = 0.2;
    kernel.runUntil(200 * SECOND);
    expect(venue.account(fund.id).position).toBeLessThan(before);
    expect(venue.leverageOf(fund.id)).toBeLessThanOrEqual(1 / (1 - 0.9 * 0.75) + 1e-9);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(2.8);
    expect(venue.of('ReleaseCollateral', fund.id).length).toBeGreaterThan(0);
  });

  it('should sell its free lots and stop, locked in, when a large haircut rise leaves nothing to release', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(60 * SECOND);
    const before = venue.account(fund.id).position;
    venue.haircut = 0.4;
    venue.maintenanceHaircut = 0.3;
    kernel.runUntil(100 * SECOND);
    const after = venue.account(fund.id).position;
    expect(after).toBeLessThan(before);
    expect(fund.freeLots).toBe(0);
    expect(venue.account(fund.id).position).toBe(venue.pledgedBy(fund.id));
    // Beyond the initial haircut it can release nothing: each later decision is just a look at the market.
    const n = venue.received.length;
    kernel.runUntil(200 * SECOND);
    expect(venue.received.slice(n).every((r) => r.from !== fund.id || r.message.type === 'QueryMarket' || r.message.type === 'ReleaseCollateral')).toBe(true);
    expect(venue.account(fund.id).position).toBe(after);
  });

  it('should meet a margin call by selling free lots and repaying', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(60 * SECOND);
    const loan = venue.loanOf(fund.id)!;
    const debt = loan.debt;
    const n = venue.received.length;
    kernel.runUntil(61 * SECOND);
    venue.marginCall(loan, 20_000);
    kernel.runUntil(62 * SECOND);
    const after = venue.received.slice(n).filter((r) => r.from === fund.id);
    expect(after.some((r) => r.message.type === 'PlaceOrder' && (r.message as PlaceOrder).side === 'sell')).toBe(true);
    const repaid = after.filter((r) => r.message.type === 'RepayLoan').reduce((s, r) => s + (r.message as RepayLoan).amount, 0);
    expect(repaid).toBeGreaterThanOrEqual(20_000);
    expect(venue.debtOf(fund.id)).toBeLessThanOrEqual(debt - 20_000);
    expect(loan.called).toBe(false);
    expect(fund.loan.called).toBe(false);
    expect(after.some((r) => r.message.type === 'RequestLoan')).toBe(false); // no re-levering before its next look
  });

  it('should wait (not loop) when a call cannot be met, and take a liquidation in its stride', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(60 * SECOND);
    const loan = venue.loanOf(fund.id)!;
    venue.marginCall(loan, 300_000); // more than its cash and free lots can raise
    kernel.runUntil(65 * SECOND);
    expect(fund.freeLots).toBe(0);
    expect(loan.called).toBe(true);
    const n = venue.received.length;
    kernel.runUntil(120 * SECOND);
    // Only looks at the market: no release (refused while called), no draw.
    expect(venue.received.slice(n).filter((r) => r.from === fund.id).every((r) => r.message.type === 'QueryMarket')).toBe(true);
    // A liquidator (made up) takes lots against 95 000 of debt.
    const position = venue.account(fund.id).position;
    venue.announce(loan, 95_000);
    venue.deposit(999, 1_000_000);
    venue.onMessage(kernel.now, { type: 'LiquidateLoan', loanId: loan.loanId, instrument: 0, repayAmount: 95_000 } as never, 999);
    kernel.runUntil(121 * SECOND);
    expect(fund.counts.liquidations).toBe(1);
    expect(fund.position).toBe(position - 99);
    expect(fund.position).toBe(venue.account(fund.id).position);
    expect(fund.loan.pledged).toBe(venue.pledgedBy(fund.id));
    expect(fund.loan.debt).toBe(venue.debtOf(fund.id));
  });

  it('should learn the haircut from the venue’s replies without a quote', () => {
    const { kernel, venue, fund } = setup({ terms: undefined, utilisation: 1, assumedHaircut: 0.5, haircutProbe: 0.1 });
    let maxLeverage = 0;
    for (let t = 1; t <= 600; t++) {
      kernel.runUntil(t * SECOND);
      maxLeverage = Math.max(maxLeverage, venue.leverageOf(fund.id));
    }
    expect(maxLeverage).toBeLessThanOrEqual(5);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(3.5); // beyond the 2 it believed at first
    // Refusals happen (it probes) but at most one per decision.
    expect(venue.of('RequestLoan', fund.id).length).toBeGreaterThan(0);
    expect(fund.counts.creditRejections).toBeLessThanOrEqual(60);
  });

  it('should produce the same commands for the same seed, and others for another', () => {
    const run = (seed: string) => {
      const { kernel, venue, world } = setup({ observationSdTicks: 80, beta: 20 }, seed);
      world.value = 1030;
      for (let t = 1; t <= 300; t++) {
        venue.mid = 1000 + Math.round(30 * Math.sin(t / 20));
        kernel.runUntil(t * SECOND);
      }
      return JSON.stringify(venue.received);
    };
    const a = run('a');
    expect(run('a')).toBe(a);
    expect(run('b')).not.toBe(a);
    expect(a).toContain('RepayLoan');
    expect(a).toContain('RequestLoan');
  });
});

describe('LeveragedValueFund: investors and bankruptcy (TFG 2012 §2.3)', () => {
  it('InvestorFlows: r_perf ← (1 − a)·r_perf + a·r, flow max(−1, b·(r_perf − r_b))', () => {
    const f = new InvestorFlows(0.15, 0.005, 0.1);
    expect(f.next(0.2)).toBeCloseTo(0.15 * (0.02 - 0.005), 15);
    expect(f.performance).toBeCloseTo(0.02, 15);
    expect(f.next(-0.1)).toBeCloseTo(0.15 * (0.9 * 0.02 - 0.01 - 0.005), 15);
    expect(new InvestorFlows(100, 0, 1).next(-0.5)).toBe(-1);
    f.reset();
    expect(f.performance).toBe(0);
    expect(() => new InvestorFlows(-1, 0, 0.1)).toThrow(/flowSensitivity/);
    expect(() => new InvestorFlows(1, 0, 0)).toThrow(/flowWeight/);
  });

  it('should take in money after beating the benchmark and pay out redemptions after losing, through its account', () => {
    // Unlevered (maxLeverage 1): its lots are its own, so it can sell them to pay (pledged lots are released only while the loan allows).
    const { kernel, venue, fund } = setup({ flowSensitivity: 0.15, flowIntervalUs: 60 * SECOND, maxLeverage: 1 });
    kernel.runUntil(61 * SECOND); // the first flow period only records the equity it starts from
    expect(fund.inflows).toBe(0);
    const base = fund.netEquityAt(venue.mid);
    venue.mid = 1100;
    kernel.runUntil(120 * SECOND - 1);
    const before = fund.netEquityAt(venue.mid);
    const r = before / base - 1; // the period's return
    kernel.runUntil(121 * SECOND);
    const expected = 0.15 * (0.1 * r - 0.005) * before;
    expect(fund.inflows).toBeGreaterThan(0);
    // Within 5 %: the fund's own trades at the 60-s and 120-s decisions move its equity by a spread or two.
    expect(Math.abs(fund.inflows - expected) / expected).toBeLessThan(0.05);
    expect(venue.account(fund.id).cash).toBe(fund['tracker'].cash);
    // A fall: investors redeem; the fund sells to raise the cash and pays them.
    venue.mid = 800;
    kernel.runUntil(400 * SECOND);
    expect(fund.outflows).toBeGreaterThan(0);
    expect(fund.owed).toBe(0);
    expect(venue.account(fund.id).cash).toBe(fund['tracker'].cash);
  });

  it('should stop counting a subscription the venue refused as money on its way', () => {
    const { kernel, venue, fund } = setup({ flowSensitivity: 0.15, flowIntervalUs: 60 * SECOND, maxLeverage: 1 });
    kernel.runUntil(61 * SECOND);
    venue.mid = 1100;
    venue.refuseDeposits = true;
    kernel.runUntil(121 * SECOND); // the 120-s period's subscription is sent and refused
    expect(fund.inflows).toBe(0);
    expect(fund.netEquityAt(venue.mid)).toBe(fund.equityAt(venue.mid));
  });

  it('should go bankrupt at its floor, sell out, pay out what is left, and re-enter later with its starting equity', () => {
    const { kernel, venue, fund } = setup({ maxLeverage: 1, bankruptcyFloor: 0.1, reentryDelayUs: 100 * SECOND });
    expectBankruptcyAndReentry(kernel, venue, fund);
  });
});
