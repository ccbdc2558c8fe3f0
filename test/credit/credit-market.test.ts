import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JitteredLatency } from '../../src/engine/latency-model.js';
import { RandomStream } from '../../src/engine/random-stream.js';
import { MICROS_PER_DAY } from '../../src/engine/time.js';
import type { LoanState } from '../../src/credit/credit-messages.js';
import { BpsFeeModel } from '../../src/market/fee-model.js';
import { buildCreditHarness, leg, liquidate, repay, requestLoan, terms, type CreditHarness } from '../helpers/credit-harness.js';

/** mm quotes 99/101 (mark 100); L lends at h = 20 %, h_m = 10 %, limits 10 000 per borrower, 15 000 in all. */
function setUp(): CreditHarness {
  const h = buildCreditHarness({
    actors: [
      { name: 'mm', cash: 1e12, lots: [1e6] },
      { name: 'L', cash: 20_000 },
      { name: 'B', cash: 1_000, lots: [300] },
      { name: 'C', cash: 1_000, lots: [300] },
      { name: 'Q', cash: 1e9 },
      { name: 'nobody' },
    ],
    lenders: [{ name: 'L' }],
    callGracePeriodUs: 1_000,
  });
  h.quote(99, 101, 100_000);
  h.send('L', 'credit', terms(0.2, 0.1, { maxPerBorrower: 10_000, maxTotal: 15_000 }));
  h.send('B', 'credit', requestLoan(h.id('L'), 8_000, [leg(100)]));
  expect(h.credit.loan(1)?.debt).toBe(8_000);
  return h;
}

function sumCash(h: CreditHarness): number {
  let s = 0;
  for (let a = 0; a < h.ledger.accountCount; a++) s += h.ledger.cash(a);
  return s;
}

describe('CreditMarket', () => {
  describe('credit lines', () => {
    it('should lend against pledged lots, which the exchange then cannot sell', () => {
      const h = setUp();
      const B = h.account('B');
      expect(h.ledger.cash(B)).toBe(9_000);
      expect(h.ledger.heldPosition(B, 0)).toBe(100);
      expect(h.ledger.availablePosition(B, 0)).toBe(200);
      const granted = h.actor('B').credit('LoanGranted')[0]!;
      expect(granted).toMatchObject({ drawn: 8_000, loan: { loanId: 1, debt: 8_000, collateral: [{ instrument: 0, qty: 100 }], called: false } });
      expect(granted.loan.healthFactor).toBeCloseTo(9_000 / 8_000, 12);
      expect(h.actor('L').credit('LoanGranted')).toHaveLength(1);
      // Selling 250 lots is refused: only 200 are free.
      h.send('B', 'exchange', { type: 'PlaceOrder', instrument: 0, clientOrderId: 1, side: 'sell', orderType: 'limit', price: 99, qty: 250 });
      expect(h.actor('B').last()).toMatchObject({ type: 'OrderRejected', reason: 'INSUFFICIENT_POSITION' });
      // Looping: a second draw on the same line, pledging more.
      h.send('B', 'credit', requestLoan(h.id('L'), 1_600, [leg(20)]));
      expect(h.credit.loan(1)).toMatchObject({ principal: 9_600 });
      expect(h.credit.loanCount).toBe(1);
      expect(h.credit.borrowerDebt(h.id('B'))).toBe(9_600);
      expect(h.credit.totalDebt()).toBe(9_600);
      expect(h.credit.validateInvariants()).toEqual([]);
    });

    it('should return the collateral when the debt is repaid, and allow releases within the initial haircut', () => {
      const h = setUp();
      const B = h.account('B');
      h.send('B', 'credit', { type: 'PledgeCollateral', loanId: 1, collateral: [leg(50)] });
      expect(h.ledger.heldPosition(B, 0)).toBe(150);
      // Capacity 150 · 100 · 0.8 = 12 000; releasing 50 leaves 8 000 = debt: allowed; one more lot is not.
      h.send('B', 'credit', { type: 'ReleaseCollateral', loanId: 1, collateral: [leg(51)] });
      expect(h.actor('B').rejections()).toEqual(['INSUFFICIENT_COLLATERAL']);
      h.send('B', 'credit', { type: 'ReleaseCollateral', loanId: 1, collateral: [leg(50)] });
      expect(h.ledger.heldPosition(B, 0)).toBe(100);
      h.send('B', 'credit', repay(1, 3_000));
      expect(h.actor('B').credit('LoanRepaid').at(-1)).toMatchObject({ amount: 3_000, closed: false, loan: { debt: 5_000 } });
      h.send('B', 'credit', repay(1, 5_000));
      expect(h.actor('B').credit('LoanRepaid').at(-1)).toMatchObject({ closed: true });
      expect(h.ledger.heldPosition(B, 0)).toBe(0);
      expect(h.credit.loanStatus(1)).toBe('closed');
      // A new line can open with the same lender.
      h.send('B', 'credit', requestLoan(h.id('L'), 100, [leg(10)]));
      expect(h.credit.loan(2)?.status).toBe('open');
      expect(h.credit.validateInvariants()).toEqual([]);
    });

    it('should reprice open loans when the lender raises haircuts (the leverage cycle)', () => {
      const h = setUp();
      h.send('Q', 'credit', { type: 'SubscribeLiquidations' });
      expect(h.credit.isLiquidatable(1)).toBe(false);
      // h_m 10 % → 25 %: LV = 100 · 100 · 0.75 = 7 500 < 8 000.
      h.send('L', 'credit', terms(0.3, 0.25, { maxPerBorrower: 10_000, maxTotal: 15_000 }));
      expect(h.credit.isLiquidatable(1)).toBe(true);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(1);
      expect(h.eventsOf('CreditTermsChanged').at(-1)).toMatchObject({ lender: h.id('L'), haircuts: [0.3], maintenanceHaircuts: [0.25], loansRepriced: 1 });
      expect(h.credit.meanHaircut(0)).toBeCloseTo(0.3, 12);
      // New draws use the new initial haircut: 300 lots × 100 × 0.7 = 21 000 capacity, but the limit binds.
      h.send('B', 'credit', requestLoan(h.id('L'), 100, [leg(1)]));
      expect(h.actor('B').rejections()).toEqual(['INSUFFICIENT_COLLATERAL']);
    });

    it('should re-notify liquidators after a partial liquidation that leaves the loan unhealthy', () => {
      const h = setUp();
      h.send('Q', 'credit', { type: 'SubscribeLiquidations' });
      h.quote(87, 89, 100_000);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(1);
      // Repay only enough for 5 lots: HF rises a little but stays below 1.
      h.send('Q', 'credit', liquidate(1, 420));
      expect(h.actor('Q').credit('LoanLiquidated')).toHaveLength(1);
      expect(h.credit.isLiquidatable(1)).toBe(true);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(2);
      // A recovery and a new fall notify again (once per crossing).
      h.quote(99, 101, 100_000);
      h.quote(97, 99, 100_000);
      h.quote(87, 89, 100_000);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(3);
      expect(h.eventsOf('LoanBecameUnhealthy')).toHaveLength(2);
    });

    it('should offer a loan that stays unhealthy to liquidators again every re-offer interval, and stop once it is healthy', () => {
      const h = setUp();
      h.send('Q', 'credit', { type: 'SubscribeLiquidations' });
      h.quote(87, 89, 100_000);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(1);
      // Nobody liquidates: keepers see the loan again 10 s and 20 s later.
      h.advance(10_000_000);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(2);
      h.advance(10_000_000);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(3);
      // Healthy again: no more offers.
      h.quote(99, 101, 100_000);
      h.advance(30_000_000);
      expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(3);
    });

    it('should measure leverage, debt and lender equity without messages', () => {
      const h = setUp();
      // B: cash 1 000 + 8 000 borrowed, 300 lots at 100; owes 8 000.
      expect(h.credit.borrowerLeverage(h.id('B'))).toBeCloseTo(30_000 / (9_000 + 30_000 - 8_000), 12);
      expect(h.credit.aggregateLeverage()).toBeCloseTo(30_000 / 31_000, 12);
      // Looping: buy 80 lots with the loan, pledge them, borrow again.
      h.send('B', 'exchange', { type: 'PlaceOrder', instrument: 0, clientOrderId: 1, side: 'buy', orderType: 'limit', price: 101, qty: 80 });
      h.send('B', 'credit', requestLoan(h.id('L'), 1_900, [leg(24)]));
      expect(h.credit.borrowerDebt(h.id('B'))).toBe(9_900);
      // The buy lifted the ask: mark now 100 (bid 99, ask 101 still quoted for the rest).
      const exposure = 380 * 100;
      const equity = 9_000 - 8_080 + 1_900 + exposure - 9_900;
      expect(h.credit.borrowerLeverage(h.id('B'))).toBeCloseTo(exposure / equity, 12);
      expect(h.credit.totalDebt()).toBe(9_900);
      expect(h.credit.totalLenderEquity()).toBe(20_000);
      expect(h.credit.lender(h.id('L'))).toMatchObject({ cash: 20_000 - 9_900, claims: 9_900 });
      expect(h.credit.healthFactor(1)).toBeCloseTo((124 * 100 * 0.9) / 9_900, 12);
      expect(h.credit.meanHaircut(0)).toBeCloseTo(0.2, 12);
    });

    it('should report loans on query', () => {
      const h = setUp();
      h.send('C', 'credit', requestLoan(h.id('L'), 1_000, [leg(20)]));
      h.quote(87, 89, 100_000);
      h.send('Q', 'credit', { type: 'QueryLoans', unhealthyOnly: false });
      h.send('Q', 'credit', { type: 'QueryLoans', unhealthyOnly: true });
      const [all, unhealthy] = h.actor('Q').credit('LoansReported');
      expect(all?.loans.map((l: LoanState) => l.loanId)).toEqual([1, 2]);
      expect(unhealthy?.loans.map((l: LoanState) => l.loanId)).toEqual([1]);
    });
  });

  describe('bad input', () => {
    /** Runs the command and expects `reason`, with neither the ledger nor the venue changed. */
    function refused(h: CreditHarness, who: string, reason: string, message: Parameters<CreditHarness['send']>[2]): void {
      const before = [h.ledger.stateHash(), h.credit.stateHash()];
      const n = h.actor(who).rejections().length;
      h.send(who, 'credit', message);
      expect(h.actor(who).rejections().slice(n)).toEqual([reason]);
      expect([h.ledger.stateHash(), h.credit.stateHash()]).toEqual(before);
    }

    it('should refuse a loan beyond the lender limits, changing nothing', () => {
      const h = setUp();
      const L = h.id('L');
      refused(h, 'B', 'BEYOND_BORROWER_LIMIT', requestLoan(L, 2_001, [leg(100)]));
      refused(h, 'C', 'INSUFFICIENT_COLLATERAL', requestLoan(L, 1));
      refused(h, 'C', 'INSUFFICIENT_COLLATERAL', requestLoan(L, 1_601, [leg(20)]));
      refused(h, 'C', 'INSUFFICIENT_POSITION', requestLoan(L, 1, [leg(301)]));
      h.send('C', 'credit', requestLoan(L, 7_000, [leg(100)]));
      refused(h, 'C', 'BEYOND_LENDER_LIMIT', requestLoan(L, 1, [leg(1)]));
      refused(h, 'C', 'UNKNOWN_LENDER', requestLoan(h.id('Q'), 1, [leg(1)]));
      refused(h, 'C', 'INVALID_AMOUNT', requestLoan(L, 0.5, [leg(1)]));
      refused(h, 'C', 'UNKNOWN_INSTRUMENT', requestLoan(L, 1, [leg(1, 3)]));
      refused(h, 'L', 'NOT_BORROWER', requestLoan(L, 1, []));
    });

    it('should refuse a lender without the cash', () => {
      const h = buildCreditHarness({
        actors: [
          { name: 'mm', cash: 1e12, lots: [1e6] },
          { name: 'L', cash: 500 },
          { name: 'B', lots: [100] },
        ],
        lenders: [{ name: 'L' }],
      });
      h.quote(99, 101, 1_000);
      refused(h, 'B', 'NO_TERMS', requestLoan(h.id('L'), 1_000, [leg(100)]));
      h.send('L', 'credit', terms(0.2, 0.1));
      refused(h, 'B', 'INSUFFICIENT_LENDER_CASH', requestLoan(h.id('L'), 1_000, [leg(100)]));
      refused(h, 'L', 'INVALID_TERMS', { ...terms(0.1, 0.2) });
      refused(h, 'L', 'INVALID_TERMS', { ...terms(0.2, 0.1), haircuts: [1.5] });
    });

    it('should refuse a repayment larger than the debt, changing nothing', () => {
      const h = setUp();
      refused(h, 'B', 'REPAY_EXCEEDS_DEBT', repay(1, 8_001));
      refused(h, 'C', 'NOT_BORROWER', repay(1, 1));
      refused(h, 'B', 'UNKNOWN_LOAN', repay(9, 1));
      refused(h, 'B', 'INVALID_AMOUNT', repay(1, 0));
      h.send('B', 'exchange', { type: 'PlaceOrder', instrument: 0, clientOrderId: 1, side: 'buy', orderType: 'limit', price: 50, qty: 170 });
      refused(h, 'B', 'INSUFFICIENT_CASH', repay(1, 1_000));
    });

    it('should refuse liquidating a healthy loan, or by an agent without the capital, changing nothing', () => {
      const h = setUp();
      refused(h, 'Q', 'LOAN_HEALTHY', liquidate(1, 1_000));
      h.quote(87, 89, 100_000);
      refused(h, 'nobody', 'INSUFFICIENT_CAPITAL', liquidate(1, 1_000));
      refused(h, 'C', 'INSUFFICIENT_CAPITAL', liquidate(1, 4_000));
    });

    it('should refuse calls and releases that do not apply', () => {
      const h = setUp();
      refused(h, 'B', 'NOT_LENDER', { type: 'CallLoan', loanId: 1, amount: 10 });
      h.send('L', 'credit', { type: 'CallLoan', loanId: 1, amount: 10 });
      refused(h, 'L', 'LOAN_CALLED', { type: 'CallLoan', loanId: 1, amount: 10 });
      refused(h, 'B', 'LOAN_CALLED', { type: 'ReleaseCollateral', loanId: 1, collateral: [leg(1)] });
      refused(h, 'B', 'LOAN_CALLED', requestLoan(h.id('L'), 10, [leg(1)]));
      // Meeting the call ends it.
      h.send('B', 'credit', repay(1, 10));
      expect(h.credit.loan(1)?.called).toBe(false);
      expect(h.eventsOf('MarginCallMet').map((e) => e.reason)).toEqual(['lender']);
    });

    it('should keep one pending deadline wake-up per loan when calls are met and made again within the grace period', () => {
      const h = setUp();
      const before = h.kernel.pending;
      // Each call schedules its deadline; meeting it must cancel that wake-up, not leave it queued.
      for (let k = 0; k < 20; k++) {
        h.send('L', 'credit', { type: 'CallLoan', loanId: 1, amount: 10 });
        expect(h.kernel.pending).toBe(before + 1);
        h.send('B', 'credit', repay(1, 10));
        expect(h.kernel.pending).toBe(before);
      }
      // The call still standing is enforced at its own deadline.
      h.send('L', 'credit', { type: 'CallLoan', loanId: 1, amount: 10 });
      h.advance(999);
      expect(h.credit.loan(1)?.overdue).toBe(false);
      h.advance(1);
      expect(h.credit.loan(1)?.overdue).toBe(true);
    });
  });

  describe('properties', () => {
    type Op =
      | { k: 'quote'; mid: number }
      | { k: 'borrow'; b: number; lender: number; amount: number; pledge: number }
      | { k: 'buy'; b: number; qty: number }
      | { k: 'repay'; b: number; pct: number }
      | { k: 'liquidate'; offer: number }
      | { k: 'terms'; lender: number; h: number; gap: number }
      | { k: 'call'; lender: number; b: number; amount: number }
      | { k: 'interbank'; from: number; amount: number }
      | { k: 'wait'; dt: number };

    const ops: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ k: fc.constant('quote' as const), mid: fc.integer({ min: 15, max: 150 }) }) },
      { weight: 4, arbitrary: fc.record({ k: fc.constant('borrow' as const), b: fc.nat(2), lender: fc.nat(1), amount: fc.integer({ min: 1, max: 6_000 }), pledge: fc.nat(60) }) },
      fc.record({ k: fc.constant('buy' as const), b: fc.nat(2), qty: fc.integer({ min: 1, max: 80 }) }),
      fc.record({ k: fc.constant('repay' as const), b: fc.nat(2), pct: fc.integer({ min: 1, max: 100 }) }),
      { weight: 2, arbitrary: fc.record({ k: fc.constant('liquidate' as const), offer: fc.integer({ min: 1, max: 20_000 }) }) },
      fc.record({ k: fc.constant('terms' as const), lender: fc.nat(1), h: fc.integer({ min: 5, max: 60 }), gap: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ k: fc.constant('call' as const), lender: fc.nat(1), b: fc.nat(2), amount: fc.integer({ min: 1, max: 20_000 }) }),
      { weight: 2, arbitrary: fc.record({ k: fc.constant('interbank' as const), from: fc.nat(1), amount: fc.integer({ min: 1, max: 30_000 }) }) },
      fc.record({ k: fc.constant('wait' as const), dt: fc.integer({ min: 1, max: 3 * MICROS_PER_DAY }) }),
    );

    /** Two lenders (one funded partly by deposits), three looping borrowers, one liquidator, fees on. */
    function world(policy: 'aave' | 'broker', seed = 7): CreditHarness {
      const h = buildCreditHarness({
        actors: [
          { name: 'mm', cash: 1e12, lots: [1e6] },
          { name: 'L0', cash: 40_000 },
          { name: 'L1', cash: 60_000 },
          { name: 'b0', cash: 2_000, lots: [100] },
          { name: 'b1', cash: 2_000, lots: [100] },
          { name: 'b2', cash: 2_000, lots: [100] },
          { name: 'Q', cash: 1e8 },
        ],
        lenders: [{ name: 'L0', externalLiabilities: 38_000 }, { name: 'L1', externalLiabilities: 50_000 }],
        policy,
        aave: { bonus: 0.05, protocolFeeShare: 0.1 },
        broker: { gracePeriodUs: 1_000, retryIntervalUs: 500 },
        fees: new BpsFeeModel(-1, 5),
        accrualIntervalUs: MICROS_PER_DAY,
        callGracePeriodUs: 1_000,
        seed,
      });
      h.quote(99, 101, 5_000);
      h.send('L0', 'credit', terms(0.25, 0.15, { rate: 0.08, maxPerBorrower: 15_000, maxTotal: 30_000 }));
      h.send('L1', 'credit', terms(0.3, 0.2, { rate: 0.05, maxPerBorrower: 20_000, maxTotal: 50_000 }));
      return h;
    }

    function apply(h: CreditHarness, o: Op): void {
      const lenders = [h.id('L0'), h.id('L1')];
      const loanOf = (b: number, lender?: number) => h.credit.loanStates().find((l) => l.borrower === h.id(`b${b}`) && (lender === undefined || l.lender === lender));
      switch (o.k) {
        case 'quote':
          h.quote(o.mid - 1, o.mid + 1, 5_000);
          break;
        case 'borrow':
          h.send(`b${o.b}`, 'credit', requestLoan(lenders[o.lender] as number, o.amount, o.pledge > 0 ? [leg(o.pledge)] : []));
          break;
        case 'buy':
          h.send(`b${o.b}`, 'exchange', { type: 'PlaceOrder', instrument: 0, clientOrderId: 0, side: 'buy', orderType: 'market', price: 0, qty: o.qty });
          break;
        case 'repay': {
          const loan = loanOf(o.b);
          if (loan !== undefined) h.send(`b${o.b}`, 'credit', repay(loan.loanId, Math.max(1, Math.floor((loan.debt * o.pct) / 100))));
          break;
        }
        case 'liquidate': {
          const id = h.credit.loanStates().find((l) => h.credit.isLiquidatable(l.loanId))?.loanId;
          if (id !== undefined) h.send('Q', 'credit', liquidate(id, o.offer));
          break;
        }
        case 'terms':
          h.send(`L${o.lender}`, 'credit', terms(o.h / 100, (o.h - o.gap) / 100, { rate: 0.06, maxPerBorrower: 20_000, maxTotal: 40_000 }));
          break;
        case 'call': {
          const loan = loanOf(o.b, lenders[o.lender]);
          if (loan !== undefined) h.send(`L${o.lender}`, 'credit', { type: 'CallLoan', loanId: loan.loanId, amount: o.amount });
          break;
        }
        case 'interbank':
          h.send(`L${o.from}`, 'credit', { type: 'LendInterbank', borrower: lenders[1 - o.from] as number, amount: o.amount, annualRate: 0.03 });
          break;
        case 'wait':
          h.advance(o.dt);
          break;
      }
    }

    function checkAll(h: CreditHarness): void {
      // Σ cash over all ledger accounts = deposits (no external flows after set-up).
      expect(sumCash(h)).toBe(h.deposits);
      expect(h.credit.validateInvariants()).toEqual([]);
      for (const id of h.credit.lenderIds()) {
        const v = h.credit.lender(id)!;
        // The lender identity: capital + interest received − interest paid − bad debt − claims written down
        // + own liabilities forgiven = cash + claims − liabilities.
        expect(v.cash + v.claims - v.liabilities).toBe(v.capital + v.interestEarned - v.interestPaid - v.badDebt - v.claimsWrittenDown + v.liabilitiesForgiven);
      }
      for (const d of h.eventsOf('LoanDrawn')) {
        expect(d.amount).toBeLessThanOrEqual(d.lenderCashBefore);
        if (d.limits === null) continue; // interbank: no posted limits
        expect(d.debtAfter).toBeLessThanOrEqual(d.limits.maxPerBorrower);
        expect(d.limits.lenderTotalAfter).toBeLessThanOrEqual(d.limits.maxTotal);
        expect(d.debtAfter).toBeLessThanOrEqual(d.limits.capacity);
      }
    }

    for (const policy of ['aave', 'broker'] as const) {
      it(`should conserve cash exactly and keep every lender's book identity (${policy})`, () => {
        let draws = 0;
        fc.assert(
          fc.property(fc.array(ops, { minLength: 10, maxLength: 40, size: 'max' }), (script) => {
            const h = world(policy);
            for (const o of script) {
              apply(h, o);
              checkAll(h);
            }
            h.advance(10_000);
            checkAll(h);
            draws += h.eventsOf('LoanDrawn').length;
          }),
          { numRuns: 40 },
        );
        expect(draws).toBeGreaterThan(100);
      });
    }

    it('should never let a lender lend beyond its limits or its cash', () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ b: fc.nat(2), amount: fc.integer({ min: 1, max: 25_000 }), pledge: fc.nat(100) }), { minLength: 1, maxLength: 30 }),
          fc.integer({ min: 0, max: 40_000 }),
          fc.integer({ min: 0, max: 60_000 }),
          (draws, perBorrower, total) => {
            const h = world('aave');
            h.send('L1', 'credit', terms(0.1, 0.05, { maxPerBorrower: perBorrower, maxTotal: total }));
            for (const d of draws) h.send(`b${d.b}`, 'credit', requestLoan(h.id('L1'), d.amount, d.pledge > 0 ? [leg(d.pledge)] : []));
            const v = h.credit.lender(h.id('L1'))!;
            expect(v.claims).toBeLessThanOrEqual(Math.min(total, 60_000));
            expect(v.cash).toBeGreaterThanOrEqual(0);
            for (let b = 0; b < 3; b++) expect(h.credit.borrowerDebt(h.id(`b${b}`))).toBeLessThanOrEqual(perBorrower);
            checkAll(h);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('should replay the same event trace and state from the same seed, with leverage on', () => {
      /** Agents act at random times drawn from the kernel's seeded streams, over a jittered network. */
      function run(seed: number): { trace: string; ledger: string; credit: string } {
        const h = world('aave', seed);
        h.kernel.setLatency(new JitteredLatency(10, 50, new RandomStream(seed, 'latency')));
        const rng = new RandomStream(seed, 'script');
        const arb = ops;
        const script = fc.sample(arb, { seed, numRuns: 60 });
        for (const o of script) {
          apply(h, o);
          h.advance(rng.int(0, 200));
        }
        h.advance(5_000);
        return { trace: JSON.stringify(h.events.filter((e) => e.type !== 'OrderReported')), ledger: h.ledger.stateHash(), credit: h.credit.stateHash() };
      }
      const a = run(42);
      const b = run(42);
      expect(a.trace.length).toBeGreaterThan(1_000);
      expect(b).toEqual(a);
      expect(run(43).trace).not.toBe(a.trace);
    });
  });
});
