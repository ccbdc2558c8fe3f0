import { expect } from 'vitest';
import type { InvestorFund } from '../../src/agents/investor-fund.js';
import type { Kernel } from '../../src/engine/kernel.js';
import type { FakeCreditVenue } from './fake-credit-venue.js';

const SECOND = 1_000_000;

/**
 * The life of an {@link InvestorFund} with a 10 % floor and a 100-s
 * re-entry delay, unlevered at a venue quoting 1000, with 100,000 of
 * starting equity: it buys, goes bankrupt when the price falls to 80, sells
 * out and pays out what is left, re-enters with its starting equity, and
 * buys again. Shared by every fund type built on the base.
 */
export function expectBankruptcyAndReentry(kernel: Kernel, venue: FakeCreditVenue, fund: InvestorFund): void {
  kernel.runUntil(60 * SECOND);
  expect(venue.account(fund.id).position).toBeGreaterThan(90);
  expect(fund.startingEquity).toBe(100_000);
  venue.mid = 80; // equity ≈ 8 % of the start
  kernel.runUntil(100 * SECOND);
  expect(fund.bankruptcies).toBe(1);
  expect(venue.account(fund.id).position).toBe(0);
  expect(fund.phase).toBe('dormant');
  expect(venue.account(fund.id).cash).toBe(0); // what was left went to the investors
  expect(fund.outflows).toBeGreaterThan(0);
  expect(fund.outflows).toBeLessThan(10_000);
  kernel.runUntil(200 * SECOND);
  expect(fund.reentries).toBe(1);
  expect(fund.phase).toBe('active');
  expect(fund.inflows).toBe(100_000);
  venue.mid = 1000;
  kernel.runUntil(300 * SECOND);
  expect(venue.account(fund.id).position).toBeGreaterThan(90);
}
