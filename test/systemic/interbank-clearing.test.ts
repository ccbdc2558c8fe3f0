import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clearingVector, type ClearingProblem } from '../../src/systemic/interbank-clearing.js';
import { MICROS_PER_DAY } from '../../src/engine/time.js';
import { MICROS_PER_YEAR, interestCharge, toRateUnits } from '../../src/market/rounding.js';
import { buildCreditHarness, leg, liquidate, repay, requestLoan, terms } from '../helpers/credit-harness.js';

/** Σ_j Π_ji p_j + e_i, capped at p̄_i. */
function fixedPointGap(problem: ClearingProblem, p: number[], obligations: number[]): number {
  let worst = 0;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    let inflow = problem.externalAssets[i] as number;
    for (let j = 0; j < n; j++) {
      const ob = obligations[j] as number;
      if (ob > 0) inflow += ((problem.liabilities[j] as number[])[i] as number) / ob * (p[j] as number);
    }
    worst = Math.max(worst, Math.abs(Math.min(obligations[i] as number, inflow) - (p[i] as number)));
  }
  return worst;
}

describe('Eisenberg–Noe clearing', () => {
  it('should clear the textbook three-bank example by hand', () => {
    // A owes B 10 and C 10 (p̄ 20, e 5); B owes C 10 (p̄ 10, e 2); C owes A 10 (p̄ 10, e 10).
    // With everyone paying in full, A has 5 + 10 = 15 < 20: A defaults (round 1).
    // Then B receives ½·15 = 7.5, has 9.5 < 10: B defaults (round 2) — contagion.
    // C receives 7.5 + 9.5 + 10 = 27 ≥ 10 and pays in full.
    // Clearing vector: p_A = 5 + p_C = 15, p_B = 2 + ½ p_A = 9.5, p_C = 10.
    const r = clearingVector({
      liabilities: [
        [0, 10, 10],
        [0, 0, 10],
        [10, 0, 0],
      ],
      externalLiabilities: [0, 0, 0],
      externalAssets: [5, 2, 10],
    });
    expect(r.obligations).toEqual([20, 10, 10]);
    expect(r.payments[0]).toBeCloseTo(15, 12);
    expect(r.payments[1]).toBeCloseTo(9.5, 12);
    expect(r.payments[2]).toBeCloseTo(10, 12);
    expect(r.defaulted).toEqual([true, true, false]);
    expect(r.defaultRound).toEqual([1, 2, 0]);
    expect(r.recovery[0]).toBeCloseTo(0.75, 12);
    expect(r.recovery[1]).toBeCloseTo(0.95, 12);
    expect(r.recovery[2]).toBe(1);
    // C's equity: 10 + 7.5 + 9.5 − 10 = 17.
    expect(r.equity[2]).toBeCloseTo(17, 12);
    expect(r.equity[0]).toBeCloseTo(0, 12);
  });

  it('should pay in full when every bank is solvent, and nothing without assets', () => {
    const solvent = clearingVector({ liabilities: [[0, 5], [5, 0]], externalLiabilities: [1, 1], externalAssets: [1, 1] });
    expect(solvent.payments).toEqual([6, 6]);
    expect(solvent.defaulted).toEqual([false, false]);
    const empty = clearingVector({ liabilities: [[0, 5], [5, 0]], externalLiabilities: [0, 0], externalAssets: [0, 0] });
    // The greatest clearing vector of a closed cycle without outside assets pays in full (EN's regularity case).
    expect(empty.payments[0]).toBeCloseTo(5, 9);
  });

  it('should find a fixed point that is the greatest one, on random networks', () => {
    const network = fc.integer({ min: 2, max: 6 }).chain((n) =>
      fc.record({
        liabilities: fc.array(fc.array(fc.nat(1000), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
        externalLiabilities: fc.array(fc.nat(500), { minLength: n, maxLength: n }),
        externalAssets: fc.array(fc.nat(1500), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(network, (raw) => {
        const problem = { ...raw, liabilities: raw.liabilities.map((row, i) => row.map((x, j) => (i === j ? 0 : x))) };
        const r = clearingVector(problem);
        const n = r.payments.length;
        for (let i = 0; i < n; i++) {
          expect(r.payments[i]).toBeGreaterThanOrEqual(0);
          expect(r.payments[i]).toBeLessThanOrEqual((r.obligations[i] as number) + 1e-9);
          expect(r.defaulted[i]).toBe((r.payments[i] as number) < (r.obligations[i] as number) * (1 - 1e-12));
        }
        expect(fixedPointGap(problem, r.payments, r.obligations)).toBeLessThan(1e-6);
        // Picard iteration from p̄ decreases to the greatest fixed point.
        let p = r.obligations.slice();
        for (let it = 0; it < 20_000; it++) {
          const next = p.map((_, i) => {
            let inflow = problem.externalAssets[i] as number;
            for (let j = 0; j < n; j++) if ((r.obligations[j] as number) > 0) inflow += ((problem.liabilities[j] as number[])[i] as number) / (r.obligations[j] as number) * (p[j] as number);
            return Math.min(r.obligations[i] as number, inflow);
          });
          const change = Math.max(...next.map((x, i) => Math.abs(x - (p[i] as number))));
          p = next;
          if (change < 1e-10) break;
        }
        for (let i = 0; i < n; i++) expect(r.payments[i]).toBeCloseTo(p[i] as number, 4);
      }),
      { numRuns: 200 },
    );
  });

  it('should refuse a malformed problem', () => {
    expect(() => clearingVector({ liabilities: [[0]], externalLiabilities: [0, 0], externalAssets: [0] })).toThrow(RangeError);
    expect(() => clearingVector({ liabilities: [[0, -1], [0, 0]], externalLiabilities: [0, 0], externalAssets: [0, 0] })).toThrow(RangeError);
  });
});

describe('lender default at the credit venue', () => {
  /**
   * A contagion chain. Bank A funds a margin loan with deposits and an
   * interbank loan from B; B is itself funded by deposits. A crash wipes out
   * the borrower's collateral: the bad debt makes A insolvent, A's default
   * writes down B's claim, and that loss makes B insolvent in turn.
   */
  function chain() {
    const h = buildCreditHarness({
      actors: [
        { name: 'mm', cash: 1e12, lots: [1e6] },
        { name: 'A', cash: 1_000 },
        { name: 'B', cash: 5_000 },
        { name: 'C', cash: 100_000 },
        { name: 'borrower', lots: [100] },
        { name: 'liquidator', cash: 1e9 },
      ],
      lenders: [
        { name: 'A', externalLiabilities: 900 },
        { name: 'B', externalLiabilities: 4_500 },
        { name: 'C' },
      ],
      aave: { bonus: 0.05 },
    });
    h.quote(99, 101, 10_000);
    h.send('B', 'credit', { type: 'LendInterbank', borrower: h.id('A'), amount: 5_000, annualRate: 0 });
    h.send('A', 'credit', terms(0.2, 0.1));
    h.send('borrower', 'credit', requestLoan(h.id('A'), 6_000, [leg(100)]));
    return h;
  }

  it('should propagate a default through the interbank network (Eisenberg–Noe)', () => {
    const h = chain();
    const A = h.id('A');
    const B = h.id('B');
    // The interbank draw carries no posted limits; the margin draw on A's terms does.
    expect(h.eventsOf('LoanDrawn').map((d) => [d.amount, d.limits === null])).toEqual([
      [5_000, true],
      [6_000, false],
    ]);
    // Balance sheets: A = cash 0 + claim 6 000 − interbank 5 000 − deposits 900 = 100; B = 0 + 5 000 − 4 500 = 500.
    expect(h.credit.lenderEquity(A)).toBe(100);
    expect(h.credit.lenderEquity(B)).toBe(500);
    // Crash to 10: the collateral (100 lots) is worth 1 000 against a debt of 6 000.
    h.quote(9, 11, 10_000);
    // Loan 1 is the interbank loan, 2 the margin loan.
    expect(h.credit.isLiquidatable(2)).toBe(true);
    h.send('liquidator', 'credit', liquidate(2, 1e9));
    // Seizing all 100 lots at 10 with a 5 % bonus repays ⌈1 000 / 1.05⌉ = 953; bad debt 5 047.
    const bad = h.eventsOf('BadDebtBooked');
    expect(bad.map((e) => e.amount)).toEqual([5_047]);
    // Clearing: A has e = 953 cash, owes 5 000 (B) + 900 (deposits): p_A = 953, recovery 953/5 900.
    // B then has e = 0, receives 5 000 · 953/5 900 ≈ 807.6 < 4 500: B defaults in round 2.
    const defaults = h.eventsOf('LenderDefaulted');
    expect(defaults.map((e) => [e.lender, e.round])).toEqual([
      [A, 1],
      [B, 2],
    ]);
    expect(defaults[0]?.recoveryRate).toBeCloseTo(953 / 5_900, 12);
    expect(defaults[1]?.recoveryRate).toBeCloseTo((5_000 * 953) / 5_900 / 4_500, 12);
    expect(h.credit.defaultedLenders()).toEqual([A, B]);
    const a = h.credit.lender(A)!;
    const b = h.credit.lender(B)!;
    // B's claim on A written down to ⌈5 000 · 953/5 900⌉ = 808, deposits to ⌈900 · 953/5 900⌉ = 146.
    expect(b.claimsWrittenDown).toBe(5_000 - 808);
    expect(a.liabilitiesForgiven).toBe(5_000 - 808 + (900 - 146));
    // Identity of every lender's book.
    for (const v of [a, b, h.credit.lender(h.id('C'))!]) {
      expect(v.equity).toBe(v.capital + v.interestEarned - v.interestPaid - v.badDebt - v.claimsWrittenDown + v.liabilitiesForgiven);
    }
    // In receivership A paid B its pro rata share of its cash: ⌊953 · 808 / (808 + 146)⌋ = 807 (the
    // depositors' share stays with A); B's claim on A is down to 1.
    expect(b.cash).toBe(807);
    expect(b.interbankClaims).toBe(1);
    expect(h.eventsOf('DebtRepaid').at(-1)).toMatchObject({ loanId: 1, payer: A, amount: 807 });
    expect(h.ledger.validateInvariants()).toEqual([]);
    expect(h.credit.validateInvariants()).toEqual([]);
    // The defaulted banks no longer lend.
    const before = [h.ledger.stateHash(), h.credit.stateHash()];
    h.send('C', 'credit', { type: 'LendInterbank', borrower: A, amount: 10, annualRate: 0 });
    h.send('A', 'credit', terms(0.2, 0.1));
    expect(h.actor('C').rejections()).toEqual(['LENDER_DEFAULTED']);
    expect(h.actor('A').rejections()).toEqual(['LENDER_DEFAULTED']);
    expect([h.ledger.stateHash(), h.credit.stateHash()]).toEqual(before);
  });

  it('should accrue interbank interest to the creditor and charge it to the debtor bank', () => {
    const h = buildCreditHarness({
      actors: [
        { name: 'A', cash: 10_000 },
        { name: 'B', cash: 100_000 },
      ],
      lenders: [{ name: 'A' }, { name: 'B' }],
      accrualIntervalUs: 30 * MICROS_PER_DAY,
    });
    h.send('B', 'credit', { type: 'LendInterbank', borrower: h.id('A'), amount: 50_000, annualRate: 0.1 });
    expect(h.actor('A').credit('LoanGranted')[0]?.drawn).toBe(50_000);
    h.runUntil(MICROS_PER_YEAR);
    h.send('A', 'credit', repay(1, 51_000));
    h.send('A', 'credit', repay(1, 4_000));
    expect(h.actor('A').credit('LoanRepaid').at(-1)).toMatchObject({ closed: true });
    const a = h.credit.lender(h.id('A'))!;
    const b = h.credit.lender(h.id('B'))!;
    expect([a.interestPaid, b.interestEarned]).toEqual([5_000, 5_000]);
    expect([a.equity, b.equity]).toEqual([10_000 - 5_000, 105_000]);
    for (const v of [a, b]) expect(v.equity).toBe(v.capital + v.interestEarned - v.interestPaid);
    expect(h.eventsOf('LenderDefaulted')).toEqual([]);
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should default a bank that interest alone makes insolvent', () => {
    const h = buildCreditHarness({
      actors: [
        { name: 'A', cash: 1_000 },
        { name: 'B', cash: 100_000 },
      ],
      lenders: [{ name: 'A' }, { name: 'B' }],
      accrualIntervalUs: 30 * MICROS_PER_DAY,
    });
    h.send('B', 'credit', { type: 'LendInterbank', borrower: h.id('A'), amount: 50_000, annualRate: 0.1 });
    // Each 30-day tick books ⌈50 000 · 0.1 · 30/365⌉ … until A's 1 000 of capital is gone (after ~73 days).
    h.runUntil(90 * MICROS_PER_DAY);
    const d = h.eventsOf('LenderDefaulted');
    expect(d.map((e) => e.lender)).toEqual([h.id('A')]);
    expect(d[0]?.time).toBe(90 * MICROS_PER_DAY);
    // A pays what it has: 51 000 of cash against 51 233 owed.
    const owed = 50_000 + interestCharge(50_000, toRateUnits(0.1), 90 * MICROS_PER_DAY);
    expect(d[0]?.recoveryRate).toBeCloseTo(51_000 / owed, 12);
    const b = h.credit.lender(h.id('B'))!;
    expect(b.cash).toBe(100_000 - 50_000 + 51_000);
    expect(b.claimsWrittenDown).toBe(owed - 51_000);
    expect(h.credit.loanStatus(1)).toBe('closed');
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should leave a lender with enough capital standing', () => {
    const h = buildCreditHarness({
      actors: [
        { name: 'mm', cash: 1e12, lots: [1e6] },
        { name: 'A', cash: 10_000 },
        { name: 'borrower', lots: [100] },
        { name: 'liquidator', cash: 1e9 },
      ],
      lenders: [{ name: 'A', externalLiabilities: 1_000 }],
    });
    h.quote(99, 101, 10_000);
    h.send('A', 'credit', terms(0.2, 0.1));
    h.send('borrower', 'credit', requestLoan(h.id('A'), 6_000, [leg(100)]));
    h.quote(9, 11, 10_000);
    h.send('liquidator', 'credit', liquidate(1, 1e9));
    expect(h.eventsOf('BadDebtBooked')[0]?.amount).toBe(5_047);
    expect(h.credit.lenderEquity(h.id('A'))).toBe(9_000 - 5_047);
    expect(h.eventsOf('LenderDefaulted')).toEqual([]);
  });
});
