import { describe, expect, it } from 'vitest';
import { LeveragedTrendFollower, type LeveragedTrendFollowerOptions } from '../../src/agents/leveraged-trend-follower.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { fakeCreditWorld } from './fake-credit-venue.js';

const SECOND = 1_000_000;

function setup(options: Partial<LeveragedTrendFollowerOptions> = {}) {
  const { kernel, venue, terms } = fakeCreditWorld(2);
  const agent = kernel.register(
    new LeveragedTrendFollower('trend', {
      exchange: venue.id,
      credit: venue.id,
      lender: venue.id,
      instrument: 0,
      initialCash: 100_000,
      terms,
      shortWindow: 3,
      longWindow: 6,
      intervalUs: SECOND,
      targetLeverage: 2,
      ...options,
    }),
  );
  venue.deposit(agent.id, 100_000);
  /** Moves the mid by `step` ticks a second for `seconds` seconds. */
  const drive = (seconds: number, step: number) => {
    const t0 = kernel.now;
    for (let s = 1; s <= seconds; s++) {
      venue.mid += step;
      kernel.runUntil(t0 + s * SECOND);
    }
  };
  return { kernel, venue, agent, drive };
}

describe('LeveragedTrendFollower', () => {
  it('should do nothing until its long window is full', () => {
    const { venue, agent, drive } = setup();
    drive(5, 5);
    expect(venue.of('PlaceOrder', agent.id)).toHaveLength(0);
    expect(agent.signal).toBeNaN();
  });

  it('should go long at the leverage its normalised signal asks, borrowing, when the trend is up', () => {
    const { venue, agent, drive } = setup();
    drive(12, 5);
    expect(agent.signal).toBeGreaterThan(0);
    // A steady ramp: spread 7.5 ticks over a dispersion of 5·√(35/12) ticks.
    expect(agent.normalisedSignal).toBeCloseTo(7.5 / (5 * Math.sqrt(35 / 12)), 9);
    const wanted = 2 * Math.tanh(agent.normalisedSignal);
    expect(venue.of<PlaceOrder>('PlaceOrder', agent.id).every((o) => o.side === 'buy')).toBe(true);
    expect(venue.debtOf(agent.id)).toBeGreaterThan(0);
    expect(venue.leverageOf(agent.id)).toBeGreaterThan(0.95 * wanted);
    expect(venue.leverageOf(agent.id)).toBeLessThanOrEqual(1.01 * wanted);
    expect(wanted).toBeLessThan(1.5); // not the old all-or-nothing 2×
  });

  it('should sell out and repay when the trend turns down', () => {
    const { venue, agent, drive } = setup();
    drive(12, 5);
    drive(15, -5);
    expect(agent.signal).toBeLessThan(0);
    expect(venue.of<PlaceOrder>('PlaceOrder', agent.id).some((o) => o.side === 'sell')).toBe(true);
    expect(venue.account(agent.id).position).toBe(0);
    expect(venue.debtOf(agent.id)).toBe(0);
  });

  it('should hold when there is no trend', () => {
    const { venue, agent, drive } = setup();
    drive(12, 5);
    drive(8, 0); // the averages converge: the signal falls to 0
    const n = venue.of('PlaceOrder', agent.id).length;
    drive(10, 0);
    expect(agent.signal).toBe(0);
    expect(venue.of('PlaceOrder', agent.id).length).toBe(n);
    expect(venue.account(agent.id).position).toBeGreaterThan(0);
  });

  it('should build a stronger trend’s larger position gradually, in IOC children, through a schedule', () => {
    const run = (step: number) => {
      const { venue, agent, drive } = setup({ execution: 'twap', executionSlices: 4, executionIntervalUs: 200_000, shortWindow: 3, longWindow: 12 });
      // A noisy ramp: the dispersion is not the ramp's alone, so z grows with the step.
      const wiggle = [0, 6, -4, 3, -6, 5, -2, 4, -5, 2, 6, -3];
      for (let i = 0; i < 40; i++) {
        venue.mid = 1000 + Math.round(step * i) + wiggle[i % wiggle.length]!;
        drive(1, 0);
      }
      const orders = venue.of<PlaceOrder>('PlaceOrder', agent.id);
      return { lev: venue.leverageOf(agent.id), z: agent.normalisedSignal, orders, position: venue.account(agent.id).position };
    };
    const weak = run(0.5);
    const strong = run(4);
    expect(strong.z).toBeGreaterThan(weak.z);
    expect(weak.z).toBeGreaterThan(0);
    expect(strong.lev).toBeGreaterThan(weak.lev);
    expect(strong.lev).toBeLessThanOrEqual(2.02);
    expect(strong.orders.every((o) => o.orderType === 'limit-ioc')).toBe(true);
    expect(Math.max(...strong.orders.map((o) => o.qty))).toBeLessThan(strong.position / 3);
  });

  it('should not exceed the lender’s limit whatever its target', () => {
    const { venue, agent, drive } = setup({ targetLeverage: 20, utilisation: 1 });
    let max = 0;
    for (let i = 0; i < 30; i++) {
      drive(1, 3);
      max = Math.max(max, venue.leverageOf(agent.id));
    }
    expect(max).toBeLessThanOrEqual(5);
    expect(max).toBeGreaterThan(4.5);
  });
});
