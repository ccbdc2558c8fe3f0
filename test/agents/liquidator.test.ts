import { describe, expect, it } from 'vitest';
import { Liquidator, type LiquidatorOptions } from '../../src/agents/liquidator.js';
import { Kernel } from '../../src/engine/kernel.js';
import { PerAgentLatency } from '../../src/engine/latency-model.js';
import type { LiquidateLoan } from '../../src/credit/credit-messages.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { FakeCreditVenue } from './fake-credit-venue.js';

const SECOND = 1_000_000;

function setup(options: Partial<LiquidatorOptions> = {}, cash = 1_000_000) {
  const kernel = new Kernel({ seed: 5, latency: { delay: () => 100 } });
  const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000, maintenanceHaircut: 0.2, bonus: 0.05 }));
  const liq = kernel.register(new Liquidator('liq', { credit: venue.id, exchange: venue.id, initialCash: cash, ...options }));
  venue.deposit(liq.id, cash);
  kernel.runUntil(1_000); // subscriptions arrive
  // An unhealthy loan of a made-up borrower: 200 lots pledged, debt 190 000.
  const loan = venue.openLoan(90, 91, 190_000, 200);
  venue.deposit(91, 0, 200);
  return { kernel, venue, liq, loan };
}

describe('Liquidator', () => {
  it('should subscribe to liquidations and liquidate within its capital', () => {
    const { kernel, venue, liq, loan } = setup({ capitalFraction: 0.5 }, 100_000);
    expect(venue.liquidationSubscribers).toEqual([liq.id]);
    venue.announce(loan, 95_000);
    kernel.runUntil(SECOND);
    const calls = venue.of<LiquidateLoan>('LiquidateLoan', liq.id);
    expect(calls).toEqual([{ type: 'LiquidateLoan', loanId: loan.loanId, instrument: 0, repayAmount: 50_000 }]);
    expect(liq.wins).toBe(1);
    expect(liq.debtRepaid).toBe(50_000);
    expect(liq.lotsSeized).toBe(52); // ⌊50 000 · 1.05 / 1000⌋
  });

  it('should repay at most maxRepay', () => {
    const { kernel, venue, liq, loan } = setup();
    venue.announce(loan, 95_000);
    kernel.runUntil(SECOND);
    expect(venue.of<LiquidateLoan>('LiquidateLoan', liq.id)[0]!.repayAmount).toBe(95_000);
  });

  it('should sell the seized lots at once with a market order by default', () => {
    const { kernel, venue, liq, loan } = setup();
    venue.announce(loan, 50_000);
    kernel.runUntil(5 * SECOND);
    const sells = venue.of<PlaceOrder>('PlaceOrder', liq.id);
    expect(sells).toHaveLength(1);
    expect(sells[0]).toMatchObject({ side: 'sell', orderType: 'market', qty: 52 });
    expect(liq.inventory(0)).toBe(0);
    expect(liq.lotsSold).toBe(52);
    // Cash: 1 000 000 − 50 000 repaid + 52 · 999 proceeds.
    expect(liq.cash).toBe(1_000_000 - 50_000 + 52 * 999);
    expect(venue.account(liq.id).cash).toBe(liq.cash);
  });

  it('should sell only the lots it received when the protocol takes part of the bonus', () => {
    // Regression: it used to count the protocol's lots as its own, so every
    // sale asked for more lots than it held, was refused, and was retried
    // for ever — the seized collateral was never sold (no fire sale) and its
    // capital stayed locked.
    const { kernel, venue, liq, loan } = setup();
    venue.protocolLots = 2;
    venue.announce(loan, 50_000);
    kernel.runUntil(5 * SECOND);
    const sells = venue.of<PlaceOrder>('PlaceOrder', liq.id);
    expect(sells).toHaveLength(1);
    expect(sells[0]).toMatchObject({ side: 'sell', orderType: 'market', qty: 50 });
    expect(liq.lotsSeized).toBe(50);
    expect(liq.inventory(0)).toBe(0);
    expect(venue.account(liq.id).position).toBe(0);
    expect(liq.cash).toBe(1_000_000 - 50_000 + 50 * 999);
  });

  it('should sell in slices spaced by sliceIntervalUs', () => {
    const { kernel, venue, liq, loan } = setup({ slices: 3, sliceIntervalUs: 2 * SECOND });
    venue.announce(loan, 50_000);
    kernel.runUntil(20 * SECOND);
    const sells = venue.received.filter((r) => r.from === liq.id && r.message.type === 'PlaceOrder');
    expect(sells.map((r) => (r.message as PlaceOrder).qty)).toEqual([18, 17, 17]);
    const times = sells.map((r) => r.time);
    expect(times[1]! - times[0]!).toBe(2 * SECOND);
    expect(times[2]! - times[1]!).toBe(2 * SECOND);
    expect(liq.inventory(0)).toBe(0);
  });

  it('should price IOC slices at the bid minus crossTicks from a fresh quote', () => {
    const { kernel, venue, liq, loan } = setup({ orderType: 'limit-ioc', crossTicks: 3, slices: 2 });
    venue.announce(loan, 50_000);
    kernel.runUntil(10 * SECOND);
    const sells = venue.of<PlaceOrder>('PlaceOrder', liq.id);
    expect(sells.map((o) => [o.orderType, o.price, o.qty])).toEqual([
      ['limit-ioc', 996, 26],
      ['limit-ioc', 996, 26],
    ]);
    expect(venue.of('QueryMarket', liq.id)).toHaveLength(2);
  });

  it('should offer unsold lots again after an interval, and stop once sold', () => {
    const { kernel, venue, liq, loan } = setup({ sliceIntervalUs: SECOND });
    venue.liquidity = false;
    venue.announce(loan, 50_000);
    kernel.runUntil(3.5 * SECOND);
    expect(liq.inventory(0)).toBe(52);
    const tries = venue.of('PlaceOrder', liq.id).length;
    expect(tries).toBeGreaterThanOrEqual(3);
    venue.liquidity = true;
    kernel.runUntil(10 * SECOND);
    expect(liq.inventory(0)).toBe(0);
    const after = venue.of('PlaceOrder', liq.id).length;
    kernel.runUntil(30 * SECOND);
    expect(venue.of('PlaceOrder', liq.id).length).toBe(after); // nothing left: no more orders
  });

  it('should skip opportunities when out of capital, and take them again once its sales refill it', () => {
    const { kernel, venue, liq, loan } = setup({ sliceIntervalUs: 10 * SECOND }, 60_000);
    venue.liquidity = false; // the seized lots cannot be sold for now
    venue.announce(loan, 60_000);
    kernel.runUntil(SECOND);
    expect(liq.wins).toBe(1);
    expect(liq.availableCash).toBe(0);
    const other = venue.openLoan(90, 92, 100_000, 100);
    venue.deposit(92, 0, 100);
    venue.announce(other, 50_000);
    kernel.runUntil(2 * SECOND);
    expect(venue.of('LiquidateLoan', liq.id)).toHaveLength(1);
    expect(liq.skippedNoCapital).toBe(1);
    venue.liquidity = true;
    kernel.runUntil(12 * SECOND); // the retry sells the 63 lots
    expect(liq.inventory(0)).toBe(0);
    expect(liq.availableCash).toBe(63 * 999);
    venue.announce(other, 50_000);
    kernel.runUntil(13 * SECOND);
    expect(venue.of<LiquidateLoan>('LiquidateLoan', liq.id)[1]).toMatchObject({ loanId: other.loanId, repayAmount: 50_000 });
  });

  it('should lose races gracefully and release the reservation', () => {
    const kernel = new Kernel({ seed: 5 });
    const latency = new PerAgentLatency(0);
    kernel.setLatency(latency);
    const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000 }));
    const fast = kernel.register(new Liquidator('fast', { credit: venue.id, exchange: venue.id, initialCash: 100_000 }));
    const slow = kernel.register(new Liquidator('slow', { credit: venue.id, exchange: venue.id, initialCash: 100_000 }));
    latency.set(fast.id, 10);
    latency.set(slow.id, 500);
    venue.deposit(fast.id, 100_000);
    venue.deposit(slow.id, 100_000);
    kernel.runUntil(SECOND);
    const loan = venue.openLoan(90, 91, 190_000, 200);
    venue.deposit(91, 0, 200);
    venue.announce(loan, 40_000);
    kernel.runUntil(2 * SECOND);
    expect(fast.wins).toBe(1);
    expect(slow.wins).toBe(0);
    expect(slow.losses).toBe(1);
    expect(slow.availableCash).toBe(100_000);
    expect(slow.reserved).toBe(0);
    // The loser tries again on the next announcement and wins.
    venue.announce(loan, 40_000);
    kernel.runUntil(3 * SECOND);
    expect(fast.wins + slow.wins).toBe(2);
  });

  it('should pick the collateral leg of largest value', () => {
    const { kernel, venue, liq, loan } = setup();
    const state = { ...venue.state(loan), collateral: [{ instrument: 0, qty: 5 }, { instrument: 2, qty: 40 }, { instrument: 1, qty: 7 }] };
    venue.announce(loan, 10_000, state);
    kernel.runUntil(SECOND);
    expect(venue.of<LiquidateLoan>('LiquidateLoan', liq.id)[0]!.instrument).toBe(2);
  });

  it('should ignore a second announcement while its call is in flight, and small bonuses when told', () => {
    const { kernel, venue, liq, loan } = setup({ minBonus: 0.1 });
    venue.announce(loan, 10_000);
    kernel.runUntil(SECOND);
    expect(venue.of('LiquidateLoan', liq.id)).toHaveLength(0);
    expect(liq.skippedBonus).toBe(1);
    const eager = setup();
    eager.venue.announce(eager.loan, 10_000);
    eager.venue.announce(eager.loan, 10_000);
    eager.kernel.runUntil(SECOND);
    expect(eager.venue.of('LiquidateLoan', eager.liq.id)).toHaveLength(1);
  });

  it('should sell by TWAP through the execution layer: equal IOC children at the bid', () => {
    const { kernel, venue, liq, loan } = setup({ execution: 'twap', slices: 4, sliceIntervalUs: SECOND });
    venue.announce(loan, 50_000);
    kernel.runUntil(20 * SECOND);
    const sells = venue.received.filter((r) => r.from === liq.id && r.message.type === 'PlaceOrder');
    // 52 lots in 4 slices: 13 each, IOC limits at the bid (crossTicks 0), 1 s apart.
    expect(sells.map((r) => [(r.message as PlaceOrder).orderType, (r.message as PlaceOrder).price, (r.message as PlaceOrder).qty])).toEqual([
      ['limit-ioc', 999, 13],
      ['limit-ioc', 999, 13],
      ['limit-ioc', 999, 13],
      ['limit-ioc', 999, 13],
    ]);
    expect(sells[3]!.time - sells[0]!.time).toBe(3 * SECOND);
    expect(liq.inventory(0)).toBe(0);
    expect(liq.cash).toBe(1_000_000 - 50_000 + 52 * 999);
  });

  it('should sell by POV: nothing while no volume trades, the rest at its deadline', () => {
    // The fake venue reports no traded volume, so the participation cap is 0 until the last slice.
    const { kernel, venue, liq, loan } = setup({ execution: 'pov', slices: 3, sliceIntervalUs: SECOND, participationRate: 0.5 });
    venue.announce(loan, 50_000);
    kernel.runUntil(20 * SECOND);
    const sells = venue.of<PlaceOrder>('PlaceOrder', liq.id);
    expect(sells.map((o) => o.qty)).toEqual([52]);
    expect(venue.of('QueryMarket', liq.id)).toHaveLength(3);
    expect(liq.inventory(0)).toBe(0);
  });

  it('should not sell below its price protection under a schedule', () => {
    const { kernel, venue, liq, loan } = setup({ execution: 'twap', slices: 4, sliceIntervalUs: SECOND, maxDiscount: 0.1 }, 10_000_000);
    venue.announce(loan, 50_000);
    kernel.runUntil(SECOND / 2); // first child sold at 999: the last price seen
    const again = venue.openLoan(90, 92, 190_000, 200);
    venue.deposit(92, 0, 200);
    venue.announce(again, 50_000); // a second seizure restarts the sale, protected at ⌊999 · 0.9⌋ = 899
    kernel.runUntil(SECOND / 2 + 10_000);
    venue.mid = 800; // the bid (799) falls through the protection
    kernel.runUntil(20 * SECOND);
    const prices = venue.of<PlaceOrder>('PlaceOrder', liq.id).map((o) => o.price);
    expect(prices.every((p) => p >= 899)).toBe(true);
    expect(liq.inventory(0)).toBeGreaterThan(0);
  });
});
