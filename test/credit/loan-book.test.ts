import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Loan } from '../../src/credit/loan.js';
import { LoanBook, type HealthSink } from '../../src/credit/loan-book.js';
import { legValueAfterHaircut } from '../../src/credit/margin.js';
import { toRateUnits } from '../../src/market/rounding.js';
import { buildCreditHarness, leg, requestLoan, terms } from '../helpers/credit-harness.js';

const MINOR = [1, 3, 10];

/** Records every crossing the book reports. */
class RecordingSink implements HealthSink {
  readonly down: number[] = [];
  readonly up: number[] = [];
  onLoanUnhealthy(loan: Loan): void {
    this.down.push(loan.id);
  }
  onLoanHealthy(loan: Loan): void {
    this.up.push(loan.id);
  }
}

/** A sink that fails the test if told anything. */
const silent: HealthSink = {
  onLoanUnhealthy: (l) => {
    throw new Error(`unexpected crossing of loan ${l.id}`);
  },
  onLoanHealthy: (l) => {
    throw new Error(`unexpected recovery of loan ${l.id}`);
  },
};

function bruteForce(loans: Loan[], marksHalfTicks: number[]): number[] {
  return loans
    .filter((l) => l.status === 'open' && l.debt > 0)
    .filter((l) => l.qty.reduce((s, q, i) => s + legValueAfterHaircut(q, marksHalfTicks[i] as number, MINOR[i] as number, l.maintenanceHaircut[i] as number), 0) < l.debt)
    .map((l) => l.id)
    .sort((a, b) => a - b);
}

function flagged(loans: Loan[]): number[] {
  return loans
    .filter((l) => l.unhealthy)
    .map((l) => l.id)
    .sort((a, b) => a - b);
}

type Op =
  | { kind: 'mark'; instrument: number; markHalfTicks: number }
  | { kind: 'draw'; loan: number; amount: number }
  | { kind: 'repay'; loan: number; amount: number }
  | { kind: 'pledge'; loan: number; instrument: number; qty: number }
  | { kind: 'haircut'; loan: number; instrument: number; pct: number }
  | { kind: 'close'; loan: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('mark' as const), instrument: fc.nat(2), markHalfTicks: fc.integer({ min: 1, max: 400 }) }) },
  fc.record({ kind: fc.constant('draw' as const), loan: fc.nat(29), amount: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ kind: fc.constant('repay' as const), loan: fc.nat(29), amount: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ kind: fc.constant('pledge' as const), loan: fc.nat(29), instrument: fc.nat(2), qty: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('haircut' as const), loan: fc.nat(29), instrument: fc.nat(2), pct: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('close' as const), loan: fc.nat(29) }),
);

describe('LoanBook health index', () => {
  it('should flag exactly the loans a brute-force scan finds unhealthy, after random moves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ legs: fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 40 })), { maxLength: 3 }), debt: fc.integer({ min: 0, max: 5_000 }), hm: fc.integer({ min: 0, max: 60 }) }), { minLength: 1, maxLength: 30 }),
        fc.array(op, { maxLength: 120 }),
        (specs, ops) => {
          const book = new LoanBook(MINOR);
          const marksHalfTicks = [200, 100, 40];
          const loans: Loan[] = [];
          for (const s of specs) {
            const loan = new Loan(book.nextId, 'margin', 1, 2 + loans.length, 0, 1, 0, 0, 3);
            for (const [i, q] of s.legs) loan.addCollateral(i, q, 0, toRateUnits(s.hm / 100));
            if (s.debt > 0) loan.draw(0, s.debt);
            book.add(loan);
            book.reindex(loan, marksHalfTicks);
            loans.push(loan);
          }
          const sink = new RecordingSink();
          for (const o of ops) {
            const before = flagged(loans);
            if (o.kind === 'mark') {
              marksHalfTicks[o.instrument] = o.markHalfTicks;
              sink.down.length = 0;
              sink.up.length = 0;
              book.onMark(o.instrument, o.markHalfTicks, marksHalfTicks, sink);
              // Notifications are exactly the flips, once each.
              const after = flagged(loans);
              expect([...sink.down].sort((a, b) => a - b)).toEqual(after.filter((id) => !before.includes(id)));
              expect([...sink.up].sort((a, b) => a - b)).toEqual(before.filter((id) => !after.includes(id)));
            } else {
              const loan = loans[o.loan % loans.length] as Loan;
              if (loan.status !== 'open') continue;
              if (o.kind === 'draw') loan.draw(0, o.amount);
              else if (o.kind === 'repay') loan.applyRepayment(0, Math.min(o.amount, loan.debt));
              else if (o.kind === 'pledge') loan.addCollateral(o.instrument, o.qty, 0, loan.maintenanceHaircut[o.instrument] as number);
              else if (o.kind === 'haircut') loan.maintenanceHaircut[o.instrument] = toRateUnits(o.pct / 100);
              else {
                loan.status = 'closed';
                book.release(loan);
                // Forgotten at once or later: its heap entries must then read as stale.
                if (o.loan % 2 === 0) book.forgetClosed();
                continue;
              }
              book.reindex(loan, marksHalfTicks);
            }
            expect(flagged(loans)).toEqual(bruteForce(loans, marksHalfTicks));
          }
          const errors: string[] = [];
          book.validate(marksHalfTicks, errors);
          expect(errors).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should touch no loan when the mark moves without crossing a trigger', () => {
    const book = new LoanBook([1]);
    const marksHalfTicks = [200];
    for (let k = 0; k < 1_000; k++) {
      const loan = new Loan(book.nextId, 'margin', 1, 2 + k, 0, 1, 0, 0, 1);
      loan.addCollateral(0, 100, 0, toRateUnits(0.1));
      loan.draw(0, 5_000 + k); // triggers between 111 and 134 half-ticks
      book.add(loan);
      book.reindex(loan, marksHalfTicks);
    }
    for (let m = 200; m >= 136; m--) {
      marksHalfTicks[0] = m;
      book.onMark(0, m, marksHalfTicks, silent);
    }
    const sink = new RecordingSink();
    marksHalfTicks[0] = 120;
    book.onMark(0, 120, marksHalfTicks, sink);
    // Loans with trigger > 120: debt > 120/2 · 100 · 0.9 = 5 400 → k ≥ 401 (599 loans) — exactly those.
    expect(sink.down.length).toBe(599);
    expect(Math.min(...sink.down)).toBe(402);
  });

  it('should compact stale heap entries', () => {
    const book = new LoanBook([1]);
    const marksHalfTicks = [200];
    const loan = new Loan(book.nextId, 'margin', 1, 2, 0, 1, 0, 0, 1);
    loan.addCollateral(0, 100, 0, 0);
    book.add(loan);
    for (let k = 0; k < 10_000; k++) {
      loan.draw(0, 1);
      book.reindex(loan, marksHalfTicks);
    }
    const errors: string[] = [];
    book.validate(marksHalfTicks, errors);
    expect(errors).toEqual([]);
    // 100 lots at 100 ticks, h_m 0: LV 10 000 = debt, healthy exactly at the trigger; one half-tick is not.
    const sink = new RecordingSink();
    marksHalfTicks[0] = 1;
    book.onMark(0, 1, marksHalfTicks, sink);
    expect(sink.down).toEqual([1]);
  });

  it('should agree with a full scan at the venue after random quotes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 500, max: 4_000 })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 40, max: 140 }), { minLength: 1, maxLength: 15 }),
        (borrowers, mids) => {
          const h = buildCreditHarness({
            actors: [{ name: 'mm', cash: 1e12, lots: [1e6, 1e6] }, { name: 'L', cash: 1e9 }, ...borrowers.map((_, k) => ({ name: `b${k}`, lots: [100, 100] }))],
            lenders: [{ name: 'L' }],
            instruments: [
              { symbol: 'X', tickSize: 0.01, lotSize: 1, minorUnit: 0.01 },
              { symbol: 'Y', tickSize: 0.01, lotSize: 1, minorUnit: 0.01 },
            ],
            observe: false,
          });
          h.quote(99, 101, 100_000, 0);
          h.quote(99, 101, 100_000, 1);
          h.send('L', 'credit', terms(0.3, 0.2, { instruments: 2 }));
          borrowers.forEach(([lots, amount], k) => {
            // Every third borrower pledges a two-instrument basket.
            const collateral = k % 3 === 2 ? [leg(lots, 0), leg(lots, 1)] : [leg(lots, k % 2)];
            h.send(`b${k}`, 'credit', requestLoan(h.id('L'), Math.min(amount, lots * 69), collateral));
          });
          mids.forEach((mid, k) => {
            h.quote(mid - 1, mid + 1, 100_000, k % 2);
            expect(h.credit.unhealthyLoanIds()).toEqual(h.credit.scanUnhealthyLoanIds());
          });
          expect(h.credit.validateInvariants()).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
