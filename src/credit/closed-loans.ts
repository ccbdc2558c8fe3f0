/**
 * What the venue keeps of the loans it has closed and forgotten: their
 * contribution to its state hash, to its audit and to its totals, folded in
 * one loan at a time as the book lets each go (loan-book.ts). Memory stays
 * the same however many loans have closed.
 *
 * - **Hash.** A running 64-bit FNV-1a over each closed loan's whole state
 *   ({@link hashLoan}, id first), in the order the loans closed. The order is
 *   the simulation's, so the hash is deterministic and does not depend on
 *   when the book forgets (loans closed but not yet forgotten are folded into
 *   a copy when asked: {@link ClosedLoans.digest}).
 * - **Audit.** A closed loan never changes again, so its per-loan invariants
 *   are checked once, as it is folded, and any violation is kept. Debt or
 *   pledges a closed loan should not have (only a bug leaves any) are kept per
 *   lender, borrower and account, so the aggregate checks still compare the
 *   books with the sum over every loan ever opened.
 * - **Totals.** Loans, Σ lent, repaid, interest booked and written off, per kind.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import { StateHasher } from '../engine/state-hasher.js';
import type { Loan, LoanKind } from './loan.js';
import { checkLoan, checkUnindexed, hashLoan } from './loan-checks.js';

/** Flows over the closed loans of one kind, minor units. */
export interface ClosedLoanTotals {
  /** Loans closed (`closed` or `defaulted`). */
  loans: number;
  /** Of which closed with bad debt or written-down claims. */
  defaulted: number;
  lent: number;
  repaid: number;
  interestBooked: number;
  writtenOff: number;
}

/** At most this many violations are kept (each is a bug; the first ones tell it). */
const MAX_VIOLATIONS = 100;

/** The folded record of the venue's closed loans. */
export class ClosedLoans {
  private readonly hasher = new StateHasher();
  readonly margin: ClosedLoanTotals = emptyTotals();
  readonly interbank: ClosedLoanTotals = emptyTotals();
  /** Per-loan invariant violations found when folding (at most {@link MAX_VIOLATIONS}). */
  readonly violations: string[] = [];
  /** Violations found beyond those kept. */
  violationsDropped = 0;
  /** Debt left on closed margin loans, per lender and per borrower (empty unless a bug left some). */
  readonly marginDebtByLender = new Map<AgentId, number>();
  readonly marginDebtByBorrower = new Map<AgentId, number>();
  /** Debt left on closed interbank loans, per lender and per borrowing lender (empty unless a bug left some). */
  readonly interbankDebtByLender = new Map<AgentId, number>();
  readonly interbankDebtByBorrower = new Map<AgentId, number>();
  /** Lots closed margin loans still pledge, per borrower account and instrument (empty unless a bug left some). */
  readonly pledgedByAccount = new Map<number, number[]>();

  /** Loans folded so far. */
  get count(): number {
    return this.margin.loans + this.interbank.loans;
  }

  /** Folds in a loan that has closed for good (its last change is behind it). */
  fold(loan: Loan): void {
    hashLoan(this.hasher, loan);
    const totals = this.totals(loan.kind);
    totals.loans++;
    if (loan.status === 'defaulted') totals.defaulted++;
    totals.lent += loan.lent;
    totals.repaid += loan.repaid;
    totals.interestBooked += loan.interestBooked;
    totals.writtenOff += loan.writtenOff;
    const errors: string[] = [];
    if (loan.isLive) errors.push(`loan ${loan.id}: forgotten while ${loan.status}`);
    checkLoan(loan, errors);
    checkUnindexed(loan, errors);
    for (const e of errors) {
      if (this.violations.length < MAX_VIOLATIONS) this.violations.push(e);
      else this.violationsDropped++;
    }
    if (loan.debt !== 0) {
      if (loan.kind === 'margin') {
        addTo(this.marginDebtByLender, loan.lender, loan.debt);
        addTo(this.marginDebtByBorrower, loan.borrower, loan.debt);
      } else {
        addTo(this.interbankDebtByLender, loan.lender, loan.debt);
        addTo(this.interbankDebtByBorrower, loan.borrower, loan.debt);
      }
    }
    if (loan.kind === 'margin' && loan.qty.some((q) => q !== 0)) {
      const row = this.pledgedByAccount.get(loan.borrowerAccount) ?? new Array<number>(loan.qty.length).fill(0);
      for (let i = 0; i < row.length; i++) row[i] = row[i] + loan.qty[i];
      this.pledgedByAccount.set(loan.borrowerAccount, row);
    }
  }

  /** The totals of one kind. */
  totals(kind: LoanKind): ClosedLoanTotals {
    return kind === 'margin' ? this.margin : this.interbank;
  }

  /** The running hash (16 hex digits) as if `pending` (closed, not yet folded, in closing order) were folded too. */
  digest(pending: readonly Loan[]): string {
    if (pending.length === 0) return this.hasher.hex();
    const h = this.hasher.clone();
    for (let k = 0; k < pending.length; k++) hashLoan(h, pending[k] as Loan);
    return h.hex();
  }
}

function emptyTotals(): ClosedLoanTotals {
  return { loans: 0, defaulted: 0, lent: 0, repaid: 0, interestBooked: 0, writtenOff: 0 };
}

function addTo(map: Map<AgentId, number>, agent: AgentId, amount: number): void {
  map.set(agent, (map.get(agent) ?? 0) + amount);
}
