import { describe, expect, it } from 'vitest';
import { FixedHaircut } from '../../src/agents/fixed-haircut.js';
import { EwmaVolEstimator } from '../../src/agents/ewma-vol-estimator.js';
import { Lender, type LenderOptions } from '../../src/agents/lender.js';
import { RealizedVolEstimator } from '../../src/agents/realized-vol-estimator.js';
import { VolatilityHaircut } from '../../src/agents/volatility-haircut.js';
import { Kernel } from '../../src/engine/kernel.js';
import type { CallLoan, SetCreditTerms } from '../../src/credit/credit-messages.js';
import { FakeCreditVenue } from './fake-credit-venue.js';

const SECOND = 1_000_000;

function setup(options: Partial<LenderOptions> = {}, latency = 0) {
  const kernel = new Kernel({ seed: 3, latency: { delay: () => latency } });
  const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000 }));
  const lender = kernel.register(
    new Lender('lender', { credit: venue.id, exchange: venue.id, instruments: [0], haircutPolicy: new FixedHaircut(0.2), repriceIntervalUs: 10 * SECOND, ...options }),
  );
  return { kernel, venue, lender };
}

describe('Lender', () => {
  it('should post its policy’s haircut on schedule, with maintenance = initial × ratio', () => {
    const { kernel, venue, lender } = setup({ instruments: [1], instrumentCount: 3, maintenanceRatio: 0.5, annualRate: 0.07, maxPerBorrower: 5_000, maxTotal: 9_000, startUs: 2 * SECOND });
    kernel.runUntil(35 * SECOND);
    const sent = venue.received.filter((r) => r.message.type === 'SetCreditTerms');
    expect(sent.map((r) => r.time)).toEqual([2, 12, 22, 32].map((s) => s * SECOND));
    const t = sent[0]!.message as SetCreditTerms;
    expect(t.haircuts).toEqual([1, 0.2, 1]);
    expect(t.maintenanceHaircuts).toEqual([1, 0.1, 1]);
    expect(t).toMatchObject({ annualRate: 0.07, maxPerBorrower: 5_000, maxTotal: 9_000 });
    expect(lender.initialHaircut(1)).toBe(0.2);
    expect(lender.maintenanceHaircut(1)).toBe(0.1);
    expect(lender.initialHaircut(0)).toBe(1);
    expect(lender.termsPosted).toBe(4);
  });

  it('should raise its haircut after a volatile price series (procyclical policy)', () => {
    const policy = new VolatilityHaircut({ a: 50, b: 1, hMin: 0.05, hMax: 0.9 });
    const { kernel, venue, lender } = setup({ haircutPolicy: policy, repriceIntervalUs: 20 * SECOND, sampleIntervalUs: SECOND, volWindow: 10, initialSigma: 0 });
    // 0–40 s calm (a constant mid); 40–60 s a mid swinging ±2 % every second.
    for (let s = 1; s <= 60; s++) {
      venue.mid = s <= 40 ? 1000 : s % 2 === 0 ? 1020 : 980;
      venue.pushQuotes();
      kernel.runUntil(s * SECOND);
    }
    const posted = venue.terms.map((t) => t.haircuts[0] as number);
    expect(posted.length).toBe(4); // at 0, 20, 40, 60 s
    expect(posted[0]).toBe(0.05); // initialSigma 0 → the floor
    expect(posted[1]).toBe(0.05);
    expect(posted[2]).toBe(0.05);
    const sigma = lender.sigmaOf(0);
    expect(sigma).toBeGreaterThan(0.03);
    expect(posted[3]).toBeCloseTo(Math.min(0.9, 50 * sigma), 12);
    expect(posted[3]).toBeGreaterThan(0.5);
    expect(venue.terms[3]!.maintenanceHaircuts[0]).toBeCloseTo(posted[3]! * 0.75, 12);
  });

  it('should reprice at once, caused by the market data, when volatility spikes past its trigger', () => {
    const policy = new VolatilityHaircut({ a: 50, b: 1, hMin: 0.05, hMax: 0.9 });
    const { kernel, venue, lender } = setup({ haircutPolicy: policy, repriceIntervalUs: 1000 * SECOND, sampleIntervalUs: SECOND, volWindow: 10, initialSigma: 0, volTrigger: 0.5 });
    // Record what each delivery to the lender was, and what caused each posting of terms.
    const kinds = new Map<number, string>();
    const onMessage = lender.onMessage.bind(lender);
    const onWakeup = lender.onWakeup.bind(lender);
    lender.onMessage = (now, m, from) => (kinds.set(kernel.currentId, m.type), onMessage(now, m, from));
    lender.onWakeup = (now, tag) => (kinds.set(kernel.currentId, 'wake-up'), onWakeup(now, tag));
    const causes: string[] = [];
    const venueOnMessage = venue.onMessage.bind(venue);
    venue.onMessage = (now, m, from) => {
      if (m.type === 'SetCreditTerms') causes.push(kinds.get(kernel.causeOf(kernel.currentId)) ?? 'start');
      venueOnMessage(now, m, from);
    };
    for (let s = 1; s <= 30; s++) {
      venue.mid = s <= 20 ? 1000 : s % 2 === 0 ? 1020 : 980;
      venue.pushQuotes();
      kernel.runUntil(s * SECOND);
    }
    const times = venue.received.filter((r) => r.message.type === 'SetCreditTerms').map((r) => r.time);
    // Posted at start, once when the estimate became ready, and again as the swings begin — long before the 1000 s schedule.
    expect(times[0]).toBe(0);
    expect(times.length).toBeGreaterThan(2);
    expect(times.some((t) => t > 20 * SECOND && t <= 23 * SECOND)).toBe(true);
    expect(venue.terms.at(-1)!.haircuts[0]).toBeGreaterThan(0.3);
    expect(lender.termsPosted).toBe(times.length);
    // The first posting is the schedule's; every later one is caused by a market-data delivery.
    expect(causes[0]).toBe('wake-up');
    expect(causes.slice(1).every((c) => c === 'MarketSnapshot')).toBe(true);
  });

  it('should name as the cause of a scheduled posting the market data that last moved its estimate, not its clock', () => {
    const policy = new VolatilityHaircut({ a: 50, b: 1, hMin: 0.05, hMax: 0.9 });
    const { kernel, venue, lender } = setup({ haircutPolicy: policy, repriceIntervalUs: 20 * SECOND, sampleIntervalUs: SECOND, volWindow: 5, initialSigma: 0 });
    const estimator = lender.estimatorOf(0)!;
    const sigma = () => (estimator.ready ? estimator.sigma : Number.NaN);
    // The snapshot deliveries after which σ had changed.
    const moved: number[] = [];
    const onMessage = lender.onMessage.bind(lender);
    lender.onMessage = (now, m, from) => {
      const before = sigma();
      onMessage(now, m, from);
      const after = sigma();
      if (m.type === 'MarketSnapshot' && after === after && after !== before) moved.push(kernel.currentId);
    };
    const causes: number[] = [];
    const venueOnMessage = venue.onMessage.bind(venue);
    venue.onMessage = (now, m, from) => {
      if (m.type === 'SetCreditTerms') causes.push(kernel.causeOf(kernel.currentId));
      venueOnMessage(now, m, from);
    };
    // The mid swings from 6 s to 12 s, then stays flat: σ moves with the swings and while they leave the window.
    for (let s = 1; s <= 41; s++) {
      venue.mid = s > 5 && s <= 12 ? (s % 2 === 0 ? 1020 : 980) : 1000;
      venue.pushQuotes();
      kernel.runUntil(s * SECOND);
    }
    const postings = venue.received.filter((r) => r.message.type === 'SetCreditTerms');
    expect(postings.map((r) => r.time)).toEqual([0, 20 * SECOND, 40 * SECOND]);
    expect(moved.length).toBeGreaterThan(3);
    // At 0 s nothing has moved σ: the posting is its clock's (the run's start). Later ones name the
    // last snapshot that moved σ — the same one at 20 s and 40 s, as σ has not moved since 17 s.
    expect(kernel.causeOf(causes[0]!)).toBe(0);
    expect(causes.slice(1)).toEqual([moved.at(-1), moved.at(-1)]);
  });

  it('should not reprice off schedule while volatility stays below its trigger', () => {
    const policy = new VolatilityHaircut({ a: 50, b: 1, hMin: 0.05, hMax: 0.9 });
    const { kernel, venue } = setup({ haircutPolicy: policy, repriceIntervalUs: 1000 * SECOND, sampleIntervalUs: SECOND, volWindow: 10, initialSigma: 0, volTrigger: 0.5 });
    for (let s = 1; s <= 30; s++) {
      venue.mid = 1000;
      venue.pushQuotes();
      kernel.runUntil(s * SECOND);
    }
    const times = venue.received.filter((r) => r.message.type === 'SetCreditTerms').map((r) => r.time);
    expect(times).toEqual([0]);
  });

  it('should sample nothing during a call auction, so the move to the opening price is not an intraday return', () => {
    const run = (callAware: boolean) => {
      const { kernel, venue, lender } = setup({ repriceIntervalUs: 10 * SECOND, sampleIntervalUs: SECOND, volWindow: 25, initialSigma: 0, sessionUs: 30 * SECOND });
      // Session 0 calm at 1000; session 1 opens with a 10-second call (the last price still 1000), then trades at 1030.
      for (let s = 1; s <= 60; s++) {
        venue.inCall = callAware && s >= 30 && s < 40;
        venue.mid = s < 40 ? 1000 : 1030;
        venue.pushQuotes();
        kernel.runUntil(s * SECOND);
      }
      return lender.sigmaOf(0);
    };
    expect(run(true)).toBe(0);
    // Read as prices, the call's stale last price would carry the opening gap into the session's returns.
    expect(run(false)).toBeGreaterThan(0.005);
  });

  it('should sample by queries when told to', () => {
    const { kernel, venue } = setup({ marketData: 'query', sampleIntervalUs: 2 * SECOND });
    kernel.runUntil(9 * SECOND);
    expect(venue.of('SubscribeMarketData')).toHaveLength(0);
    expect(venue.received.filter((r) => r.message.type === 'QueryMarket').map((r) => r.time)).toEqual([0, 2, 4, 6, 8].map((s) => s * SECOND));
  });

  it('should use the policy’s fallback until the estimate is ready', () => {
    const policy = new VolatilityHaircut({ a: 50, b: 1, hMin: 0.05, hMax: 0.8 });
    const { kernel, venue } = setup({ haircutPolicy: policy, volWindow: 30 });
    kernel.runUntil(1);
    expect(venue.terms[0]!.haircuts[0]).toBe(0.8);
  });

  it('should post a finite haircut from its first repricing with an EWMA from a prior (no start-up transient)', () => {
    const policy = new VolatilityHaircut({ a: 50, b: 1, hMin: 0.05, hMax: 0.9 });
    const prior = 0.004; // per √s: h = 50 · 0.004 = 0.2
    const ewma = setup({ haircutPolicy: policy, sampleIntervalUs: SECOND, volEstimator: (intervalUs) => new EwmaVolEstimator({ intervalUs, halfLifeUs: 30 * SECOND, priorSigma: prior }) });
    const realized = setup({ haircutPolicy: policy, sampleIntervalUs: SECOND, volWindow: 30 });
    for (const { kernel, venue } of [ewma, realized]) {
      // Calm: the mid moves ±0.1 % each second (σ = 0.001 per √s, h = 0.05).
      for (let s = 1; s <= 60; s++) {
        venue.mid = s % 2 === 0 ? 1001 : 1000;
        venue.pushQuotes();
        kernel.runUntil(s * SECOND);
      }
    }
    const fromPrior = ewma.venue.terms.map((t) => t.haircuts[0] as number);
    expect(ewma.venue.terms[0]!.haircuts[0]).toBeCloseTo(50 * prior, 12); // at t = 0, before any price
    expect(ewma.lender.sigmaOf(0)).toBeLessThan(prior);
    // Repriced every 10 s, it moves from the prior toward the data without a jump to or from the fallback.
    expect(fromPrior.every((h) => Number.isFinite(h) && h < 0.9)).toBe(true);
    for (let i = 1; i < fromPrior.length; i++) expect(fromPrior[i]).toBeLessThanOrEqual(fromPrior[i - 1]!);
    // The default (realised, no prior) posts the fallback until its 30-return window fills: the transient.
    const transient = realized.venue.terms.map((t) => t.haircuts[0] as number);
    expect(transient.slice(0, 3)).toEqual([0.9, 0.9, 0.9]);
    expect(transient.at(-1)).toBeLessThan(0.1);
  });

  it('should use the realised estimator by default and refuse an estimator on another grid', () => {
    const { lender } = setup({ sampleIntervalUs: 2 * SECOND, volWindow: 7 });
    const est = lender.estimatorOf(0);
    expect(est).toBeInstanceOf(RealizedVolEstimator);
    expect((est as RealizedVolEstimator).window).toBe(7);
    expect(est!.intervalUs).toBe(2 * SECOND);
    expect(() => setup({ sampleIntervalUs: 2 * SECOND, volEstimator: () => new EwmaVolEstimator({ intervalUs: SECOND }) })).toThrow(/must agree/);
  });

  it('should keep one policy per instrument when given a factory', () => {
    const made: number[] = [];
    setup({
      instruments: [0, 2],
      haircutPolicy: (i) => {
        made.push(i);
        return new FixedHaircut(0.1 * (i + 1));
      },
    });
    expect(made).toEqual([0, 2]);
  });

  it('should refuse new credit after losing capital, keeping maintenance haircuts', () => {
    const { kernel, venue, lender } = setup({ initialCapital: 1_000_000, minCapitalRatio: 0.6 });
    kernel.runUntil(1);
    expect(venue.terms[0]!.haircuts[0]).toBe(0.2);
    const loan = venue.openLoan(lender.id, 99, 500_000, 100);
    venue.credit(lender.id, { type: 'LoanLiquidated', loan: venue.state(loan), liquidator: 98, instrument: 0, seizedQty: 100, protocolQty: 0, debtRepaid: 50_000, badDebt: 450_000 });
    kernel.runUntil(10 * SECOND);
    expect(lender.badDebt).toBe(450_000);
    expect(lender.refusing).toBe(true);
    const t = venue.terms[1]!;
    expect(t.haircuts[0]).toBe(1);
    expect(t.maintenanceHaircuts[0]).toBeCloseTo(0.15, 12);
  });

  it('should call weak loans on review for the repayment that restores the target health', () => {
    const { kernel, venue, lender } = setup({ loanReviewIntervalUs: 5 * SECOND, callHealthFactor: 1.1, callTargetHealthFactor: 1.25 });
    kernel.runUntil(1);
    venue.maintenanceHaircut = 0.2;
    const weak = venue.openLoan(lender.id, 50, 100_000, 130); // HF = 130·1000·0.8 / 100 000 = 1.04
    venue.openLoan(lender.id, 51, 100_000, 200); // HF 1.6
    venue.openLoan(77, 52, 100_000, 100); // another lender's
    kernel.runUntil(5 * SECOND);
    const calls = venue.of<CallLoan>('CallLoan', lender.id);
    expect(calls).toEqual([{ type: 'CallLoan', loanId: weak.loanId, amount: Math.ceil(100_000 * (1 - 1.04 / 1.25)) }]);
    expect(lender.loans.size).toBe(2);
    kernel.runUntil(10 * SECOND); // called now: not called again
    expect(venue.of<CallLoan>('CallLoan', lender.id)).toHaveLength(1);
  });

  it('should keep one loan per borrower: a newer loan means the older one was repaid (told to the borrower only)', () => {
    const { kernel, venue, lender } = setup();
    kernel.runUntil(1);
    // Borrowers 50 and 51 open and repay a loan after another; each grant names a new loan id.
    let last: ReturnType<typeof venue.openLoan> | undefined;
    for (let k = 0; k < 200; k++) {
      const loan = venue.openLoan(lender.id, 50 + (k % 2), 1_000 + k, 10);
      venue.credit(lender.id, { type: 'LoanGranted', loan: venue.state(loan), drawn: loan.debt });
      last = loan;
    }
    kernel.runUntil(2);
    expect([...lender.loans.keys()].sort((a, b) => a - b)).toEqual([199, 200]);
    expect(lender.exposure).toBe(1_198 + 1_199);
    // A late report of an older loan of borrower 51 does not bring it back.
    venue.credit(lender.id, { type: 'MarginCalled', loan: { ...venue.state(last!), loanId: 10, borrower: 51 }, amount: 1, deadline: 5 });
    kernel.runUntil(3);
    expect([...lender.loans.keys()].sort((a, b) => a - b)).toEqual([199, 200]);
  });

  it('should refuse bad options', () => {
    expect(() => setup({ instruments: [] })).toThrow(RangeError);
    expect(() => setup({ maintenanceRatio: 0 })).toThrow(RangeError);
    expect(() => setup({ maintenanceRatio: 1.2 })).toThrow(RangeError);
    expect(() => setup({ instruments: [0, 0] })).toThrow(RangeError);
  });
});
