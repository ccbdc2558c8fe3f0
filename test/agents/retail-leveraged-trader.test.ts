import { describe, expect, it } from 'vitest';
import { RetailLeveragedTrader, type RetailLeveragedTraderOptions } from '../../src/agents/retail-leveraged-trader.js';
import { fakeCreditWorld } from './fake-credit-venue.js';

const SECOND = 1_000_000;

function setup(options: Partial<RetailLeveragedTraderOptions> = {}, seed: number | string = 4) {
  const { kernel, venue, terms } = fakeCreditWorld(seed);
  const agent = kernel.register(
    new RetailLeveragedTrader('retail', {
      exchange: venue.id,
      credit: venue.id,
      lender: venue.id,
      instrument: 0,
      initialCash: 50_000,
      terms,
      meanEntryIntervalUs: 10 * SECOND,
      checkIntervalUs: SECOND,
      targetLeverage: 3,
      takeProfit: 0.05,
      stopLoss: 0.05,
      ...options,
    }),
  );
  venue.deposit(agent.id, 50_000);
  /** Runs until the trader has entered and reached its position. */
  const enter = () => {
    for (let s = 1; s <= 600 && !(agent.phase === 'holding' && venue.account(agent.id).position >= agent.entryTarget && agent.entryTarget > 0); s++) kernel.runUntil(kernel.now + SECOND);
    kernel.runUntil(kernel.now + SECOND);
  };
  /** Runs in small steps until the trader is flat again (at most `seconds`). */
  const untilFlat = (seconds: number) => {
    const end = kernel.now + seconds * SECOND;
    while (agent.phase !== 'flat' && kernel.now < end) kernel.runUntil(kernel.now + 100_000);
  };
  return { kernel, venue, agent, enter, untilFlat };
}

describe('RetailLeveragedTrader', () => {
  it('should enter at a random time and reach about its target leverage', () => {
    const { kernel, venue, agent, enter } = setup();
    enter();
    expect(agent.entries).toBe(1);
    expect(kernel.now).toBeGreaterThan(SECOND);
    expect(venue.leverageOf(agent.id)).toBeGreaterThan(2.85);
    expect(venue.leverageOf(agent.id)).toBeLessThanOrEqual(3.01);
    expect(venue.debtOf(agent.id)).toBeGreaterThan(0);
    // Holding: nothing sent at all while no print reaches its watch (the venue holds the stop and the take-profit).
    expect(venue.watches.get(agent.id)).toMatchObject({ watchId: 1, below: Math.floor(agent.entryPrice * 0.95), above: Math.ceil(agent.entryPrice * 1.05) });
    const n = venue.received.filter((r) => r.from === agent.id).length;
    venue.mid = 1030;
    kernel.runUntil(kernel.now + 20 * SECOND);
    expect(venue.received.filter((r) => r.from === agent.id).length).toBe(n);
  });

  it('should take profit: sell out, repay, and enter again later', () => {
    const { venue, agent, enter, untilFlat } = setup();
    enter();
    venue.mid = 1060;
    untilFlat(10);
    expect(venue.account(agent.id).position).toBe(0);
    expect(venue.debtOf(agent.id)).toBe(0);
    expect(venue.account(agent.id).cash).toBeGreaterThan(50_000);
    expect(agent.phase).toBe('flat');
    enter();
    expect(agent.entries).toBe(2);
  });

  it('should stop out on a fall', () => {
    const { venue, agent, enter, untilFlat } = setup();
    enter();
    venue.mid = 940;
    untilFlat(10);
    expect(agent.phase).toBe('flat');
    expect(venue.account(agent.id).position).toBe(0);
    expect(venue.debtOf(agent.id)).toBe(0);
    expect(venue.account(agent.id).cash).toBeLessThan(50_000);
  });

  it('should meet a margin call and exit when it chooses to', () => {
    const { venue, agent, enter, untilFlat } = setup({ meetCallProbability: 1 });
    enter();
    venue.marginCall(venue.loanOf(agent.id)!, 10_000);
    untilFlat(30);
    expect(agent.phase).toBe('flat');
    expect(venue.of('RepayLoan', agent.id).length).toBeGreaterThan(0);
    expect(venue.account(agent.id).position).toBe(0);
    expect(venue.debtOf(agent.id)).toBe(0);
  });

  it('should ignore a margin call when it chooses to, and be liquidated', () => {
    const { kernel, venue, agent, enter } = setup({ meetCallProbability: 0 });
    enter();
    const loan = venue.loanOf(agent.id)!;
    venue.marginCall(loan, 10_000);
    const n = venue.received.length;
    kernel.runUntil(kernel.now + 30 * SECOND);
    expect(agent.callsIgnored).toBe(1);
    expect(venue.received.slice(n).filter((r) => r.from === agent.id).every((r) => r.message.type === 'QueryMarket')).toBe(true);
    venue.announce(loan, 20_000);
    venue.deposit(999, 1_000_000);
    venue.onMessage(kernel.now, { type: 'LiquidateLoan', loanId: loan.loanId, instrument: 0, repayAmount: 20_000 } as never, 999);
    kernel.runUntil(kernel.now + 5 * SECOND);
    expect(agent.counts.liquidations).toBe(1);
    expect(agent.position).toBe(venue.account(agent.id).position);
  });

  it('should produce the same commands for the same seed, and others for another', () => {
    const run = (seed: string) => {
      const { kernel, venue } = setup({ meetCallProbability: 0.5 }, seed);
      for (let s = 1; s <= 400; s++) {
        venue.mid = 1000 + Math.round(80 * Math.sin(s / 15));
        kernel.runUntil(s * SECOND);
      }
      return JSON.stringify(venue.received);
    };
    const a = run('x');
    expect(run('x')).toBe(a);
    expect(run('y')).not.toBe(a);
    expect(a).toContain('RequestLoan');
  });
});
