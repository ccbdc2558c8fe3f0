import { describe, expect, it } from 'vitest';
import { LeveragedValueFund } from '../../src/agents/leveraged-value-fund.js';
import { Kernel } from '../../src/engine/kernel.js';
import type { CreditRejected, RequestLoan } from '../../src/credit/credit-messages.js';
import { FakeCreditVenue } from './fake-credit-venue.js';

const SECOND = 1_000_000;
const LENDER_HAIRCUT = 0.2;

/**
 * The learning path, the one experiments run: no `terms` view, so the fund
 * learns its lender's haircut (0.2) only from the venue's replies.
 */
function setup(assumedHaircut: number) {
  const kernel = new Kernel({ seed: 1, latency: { delay: () => 100 } });
  const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000, haircut: LENDER_HAIRCUT, maintenanceHaircut: 0.15 }));
  const fund = kernel.register(
    new LeveragedValueFund('fund', {
      exchange: venue.id,
      credit: venue.id,
      lender: venue.id,
      instrument: 0,
      initialCash: 100_000,
      fundamental: { valueAt: () => 2000 },
      beta: 100,
      intervalUs: 10 * SECOND,
      utilisation: 1,
      assumedHaircut,
    }),
  );
  venue.deposit(fund.id, 100_000);
  return { kernel, venue, fund };
}

describe('LeveragedTrader, learning the haircut from the venue', () => {
  it('should learn down from a cautious belief through grants and lever close to 1/h', () => {
    const { kernel, venue, fund } = setup(0.5);
    kernel.runUntil(300 * SECOND);
    // Believing 0.5 it could reach leverage 2 at most; learning lets it reach near 1/0.2 = 5.
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(4.5);
    expect(venue.leverageOf(fund.id)).toBeLessThanOrEqual(1 / LENDER_HAIRCUT);
    expect(fund.belief.value).toBeGreaterThan(0.19);
    expect(fund.belief.value).toBeLessThan(0.25);
    // Probing below the lender's haircut costs a refusal or two, which push the belief back up; not one per cycle.
    expect(fund.counts.creditRejections).toBeGreaterThan(0);
    expect(fund.counts.creditRejections).toBeLessThanOrEqual(3);
    expect(fund.haircut()).toBe(fund.belief.value);
  });

  it('should learn up from a bold belief through refusals, each raising it above what the refused draw implied', () => {
    const { kernel, venue, fund } = setup(0.05);
    const refusals: CreditRejected[] = [];
    const handle = fund.onMessage.bind(fund);
    fund.onMessage = (now, message, from) => {
      if (message.type === 'CreditRejected') refusals.push(message as CreditRejected);
      handle(now, message, from);
    };
    const beliefs: number[] = [];
    for (let t = 1; t <= 300; t++) {
      kernel.runUntil(t * SECOND);
      beliefs.push(fund.belief.value);
    }
    const requests = venue.of<RequestLoan>('RequestLoan', fund.id);
    expect(refusals[0]?.reason).toBe('INSUFFICIENT_COLLATERAL');
    // The first draw asked for debt D' against 99 lots: the refusal proves h > 1 − D'/(99·1000).
    const first = requests[0]!;
    const bound = 1 - first.amount / (99 * 1000);
    expect(beliefs[10]).toBeGreaterThan(bound);
    expect(beliefs[10]).toBeGreaterThan(0.05);
    // The belief never falls while it is refused, and it ends bracketing the lender's haircut.
    for (let i = 1; i < 90; i++) expect(beliefs[i]).toBeGreaterThanOrEqual(beliefs[i - 1]!);
    expect(fund.belief.value).toBeGreaterThan(0.19);
    expect(fund.belief.value).toBeLessThan(0.25);
    expect(venue.leverageOf(fund.id)).toBeGreaterThan(4.5);
  });

  it('should raise its belief to the maintenance haircut a loan report’s health factor implies', () => {
    const { kernel, venue, fund } = setup(0.5);
    kernel.runUntil(60 * SECOND);
    expect(fund.belief.value).toBeLessThan(0.3);
    venue.maintenanceHaircut = 0.4;
    venue.marginCall(venue.loanOf(fund.id)!, 1_000);
    kernel.runUntil(60 * SECOND + 1_000);
    expect(fund.loan.called || fund.counts.marginCalls === 1).toBe(true);
    expect(fund.belief.value).toBeGreaterThanOrEqual(0.4 - 1e-9);
  });

  it('should ignore the learnt belief when it reads its lender’s quoted terms', () => {
    const { kernel, fund } = setup(0.5);
    const quoted = new LeveragedValueFund('quoted', {
      exchange: fund.exchange,
      credit: fund.credit,
      lender: fund.lender,
      instrument: 0,
      fundamental: { valueAt: () => 2000 },
      terms: { initialHaircut: () => 0.3, maintenanceHaircut: () => 0.25 },
    });
    kernel.register(quoted);
    expect(quoted.haircut()).toBe(0.3);
    expect(fund.haircut()).toBe(0.5);
  });
});
