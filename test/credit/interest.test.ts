import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MICROS_PER_DAY, MICROS_PER_HOUR } from '../../src/engine/time.js';
import { Loan } from '../../src/credit/loan.js';
import { MICROS_PER_YEAR, interestCharge, toRateUnits } from '../../src/market/rounding.js';
import { buildCreditHarness, leg, repay, requestLoan, terms } from '../helpers/credit-harness.js';

function marginLoan(rate: number): Loan {
  return new Loan(1, 'margin', 1, 2, 1, 2, 0, rate, 1);
}

describe('interest', () => {
  it('should book exactly the closed form over any accrual times (cumulative basis)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 0, max: toRateUnits(0.5) }),
        fc.array(fc.integer({ min: 0, max: 2 * MICROS_PER_YEAR }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 2 * MICROS_PER_YEAR }),
        (principal, rate, times, end) => {
          const loan = marginLoan(rate);
          loan.draw(0, principal);
          let booked = 0;
          for (const t of [...times.filter((t) => t <= end)].sort((a, b) => a - b)) booked += loan.accrue(t);
          booked += loan.accrue(end);
          expect(booked).toBe(interestCharge(principal, rate, end));
          expect(loan.interest).toBe(booked);
          expect(loan.debt).toBe(principal + booked);
          // Accruing again at the same time books nothing; the pure view agrees.
          expect(loan.accrue(end)).toBe(0);
          expect(loan.debtAt(end)).toBe(loan.debt);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should restart the basis when the principal changes, and pay interest first', () => {
    const rate = toRateUnits(0.1);
    const loan = marginLoan(rate);
    loan.draw(0, 1_000_000);
    const half = MICROS_PER_YEAR / 2;
    expect(loan.accrue(half)).toBe(50_000);
    // Repay 80 000: 50 000 of interest, then 30 000 of principal.
    expect(loan.applyRepayment(half, 80_000)).toBe(30_000);
    expect([loan.principal, loan.interest]).toEqual([970_000, 0]);
    expect(loan.accrue(MICROS_PER_YEAR)).toBe(interestCharge(970_000, rate, half));
    expect(loan.lent - loan.repaid + loan.interestBooked - loan.writtenOff).toBe(loan.debt);
    // A frozen loan accrues nothing more.
    loan.freeze();
    expect(loan.accrue(2 * MICROS_PER_YEAR)).toBe(0);
  });

  it('should charge the closed form through the venue whatever the accrual schedule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MICROS_PER_HOUR, max: 10 * MICROS_PER_DAY }),
        fc.array(fc.integer({ min: 1, max: 90 * MICROS_PER_DAY }), { maxLength: 8 }),
        fc.integer({ min: 1_000, max: 1e9 }),
        (interval, touches, principal) => {
          const h = buildCreditHarness({
            actors: [
              { name: 'mm', cash: 1e13, lots: [1e7] },
              { name: 'L', cash: 1e10 },
              { name: 'B', cash: 1e9, lots: [1e7] },
            ],
            lenders: [{ name: 'L' }],
            accrualIntervalUs: interval,
            observe: false,
          });
          h.quote(999, 1001, 1000);
          h.send('L', 'credit', terms(0.5, 0.4, { rate: 0.07 }));
          h.send('B', 'credit', requestLoan(h.id('L'), principal, [leg(Math.ceil(principal / 400))]));
          const end = 90 * MICROS_PER_DAY;
          // Touches: pay 1 unit of interest at random times (interest-only, so the principal never changes).
          for (const t of [...touches].sort((a, b) => a - b)) {
            h.runUntil(t);
            if (h.credit.loan(1)!.debtAt(t) > principal) h.send('B', 'credit', repay(1, 1));
          }
          h.runUntil(end);
          h.send('B', 'credit', { type: 'QueryLoans', unhealthyOnly: false });
          const loan = h.credit.loan(1)!;
          loan.accrue(end); // books the tail since the last wake-up (test-side, to compare totals)
          expect(loan.principal).toBe(principal);
          expect(loan.interestBooked).toBe(interestCharge(principal, toRateUnits(0.07), end));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('should credit the lender with the interest it earns, and keep its book identity', () => {
    const h = buildCreditHarness({
      actors: [
        { name: 'mm', cash: 1e13, lots: [1e7] },
        { name: 'L', cash: 1e9 },
        { name: 'B', cash: 1e8, lots: [10_000] },
      ],
      lenders: [{ name: 'L' }],
      accrualIntervalUs: MICROS_PER_DAY,
    });
    h.quote(999, 1001, 1000);
    h.send('L', 'credit', terms(0.5, 0.4, { rate: 0.05 }));
    h.send('B', 'credit', requestLoan(h.id('L'), 1_000_000, [leg(10_000)]));
    h.runUntil(MICROS_PER_YEAR);
    const owed = h.credit.loan(1)!.debtAt(MICROS_PER_YEAR);
    expect(owed).toBe(1_050_000);
    h.send('B', 'credit', repay(1, owed));
    const v = h.credit.lender(h.id('L'))!;
    expect(v.interestEarned).toBe(50_000);
    expect(v.cash).toBe(1e9 + 50_000);
    expect(v.claims).toBe(0);
    expect(v.equity).toBe(v.capital + v.interestEarned);
    expect(h.credit.loanStatus(1)).toBe('closed');
    // The collateral was returned: nothing is held any more.
    expect(h.ledger.heldPosition(h.account('B'), 0)).toBe(0);
    expect(h.credit.validateInvariants()).toEqual([]);
  });
});
