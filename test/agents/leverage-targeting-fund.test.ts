import { describe, expect, it } from 'vitest';
import { LeverageTargetingFund, type LeverageTargetingFundOptions } from '../../src/agents/leverage-targeting-fund.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { fakeCreditWorld } from './fake-credit-venue.js';
import { expectBankruptcyAndReentry } from './investor-fund-cycle.js';

const SECOND = 1_000_000;

/** A fund at a venue that fills market orders at the mid, with haircut 0.2 (utilisation 0.9: λ* = 1/(1 − 0.9·0.8) ≈ 3.57). */
function setup(options: Partial<LeverageTargetingFundOptions> = {}) {
  const { kernel, venue, terms } = fakeCreditWorld(1);
  const fund = kernel.register(
    new LeverageTargetingFund('fund', {
      exchange: venue.id,
      credit: venue.id,
      lender: venue.id,
      instrument: 0,
      initialCash: 100_000,
      terms,
      utilisation: 0.9,
      intervalUs: 10 * SECOND,
      ...options,
    }),
  );
  venue.deposit(fund.id, 100_000);
  return { kernel, venue, fund };
}

const lambdaAt = (h: number, u = 0.9) => 1 / (1 - u * (1 - h));

describe('LeverageTargetingFund', () => {
  it('should lever up to utilisation × what the haircut allows, and then hold within its band', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(120 * SECOND);
    expect(fund.targetLeverage).toBeCloseTo(lambdaAt(0.2), 12);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(0.95 * lambdaAt(0.2));
    expect(venue.leverageOf(fund.id)).toBeLessThanOrEqual(lambdaAt(0.2) + 1e-9);
    const orders = venue.of<PlaceOrder>('PlaceOrder', fund.id).length;
    kernel.runUntil(300 * SECOND);
    expect(venue.of<PlaceOrder>('PlaceOrder', fund.id).length).toBe(orders);
  });

  it('should buy when the price rises (its leverage fell below target) and sell when it falls: leverage procyclical to assets', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(120 * SECOND);
    const before = venue.account(fund.id).position;
    venue.mid = 1100; // equity up by 10 % of assets, ~36 % of equity at λ ≈ 3.6: leverage falls to ~2.9
    expect(venue.leverageOf(fund.id)).toBeLessThan(0.9 * lambdaAt(0.2));
    kernel.runUntil(300 * SECOND);
    const afterRise = venue.account(fund.id).position;
    expect(afterRise).toBeGreaterThan(before);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(0.95 * lambdaAt(0.2));
    venue.mid = 1050;
    kernel.runUntil(500 * SECOND);
    expect(venue.account(fund.id).position).toBeLessThan(afterRise);
    expect(venue.leverageOf(fund.id)).toBeLessThanOrEqual(1.05 * lambdaAt(0.2));
  });

  it('should sell down to the lower target when its lender raises the haircut', () => {
    const { kernel, venue, fund } = setup();
    kernel.runUntil(120 * SECOND);
    const before = venue.account(fund.id).position;
    // A small rise (a large one locks the pledged lots until a margin call: the venue releases none below the new haircut).
    venue.haircut = 0.25;
    venue.maintenanceHaircut = 0.2;
    kernel.runUntil(400 * SECOND);
    expect(fund.targetLeverage).toBeCloseTo(lambdaAt(0.25), 12);
    expect(venue.account(fund.id).position).toBeLessThan(before);
    expect(venue.leverageOf(fund.id)).toBeLessThanOrEqual(lambdaAt(0.25) * 1.05);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(lambdaAt(0.25) * 0.9);
  });

  it('should never target more than its cap, and refuse a cap below 1', () => {
    const { kernel, venue, fund } = setup({ leverageCap: 2 });
    kernel.runUntil(120 * SECOND);
    expect(fund.targetLeverage).toBe(2);
    expect(venue.leverageOf(fund.id)).toBeLessThanOrEqual(2 * 1.005); // bought at the ask, marked at the mid
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(1.9);
    expect(() => setup({ leverageCap: 0.5 })).toThrow(/leverageCap/);
  });

  it('should go bankrupt at its floor, sell out, pay out, and re-enter with its starting equity (an InvestorFund)', () => {
    const { kernel, venue, fund } = setup({ leverageCap: 1, bankruptcyFloor: 0.1, reentryDelayUs: 100 * SECOND });
    expectBankruptcyAndReentry(kernel, venue, fund);
  });

  it('should sell to pay its investors’ redemptions even while its leverage sits inside its band', () => {
    const { kernel, venue, fund } = setup({ leverageCap: 1, flowSensitivity: 0.5, flowIntervalUs: 60 * SECOND });
    kernel.runUntil(61 * SECOND);
    const held = venue.account(fund.id).position;
    // A small fall: unlevered, its leverage stays 1 (inside the band), but the return is below the benchmark.
    venue.mid = 990;
    kernel.runUntil(400 * SECOND);
    expect(fund.outflows).toBeGreaterThan(0);
    expect(fund.owed).toBe(0);
    expect(venue.account(fund.id).position).toBeLessThan(held);
    expect(venue.account(fund.id).cash).toBe(fund['tracker'].cash);
  });
});
