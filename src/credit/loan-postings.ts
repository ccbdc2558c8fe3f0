/**
 * Postings to loans: every change of a loan's debt or collateral goes
 * through here, together with its ledger transfer, the lenders' aggregates
 * and its event, so that the three never disagree. Credit lines, the
 * liquidation venue and receivership all post through one `LoanPostings`.
 *
 * - Interest is accrued lazily (loan.ts): on every touch and every accrual tick.
 * - A repayment pays interest first, and counts toward a lender's call.
 * - Closing a loan returns its collateral and lapses its calls.
 *
 * @packageDocumentation
 */

import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Ledger, LedgerResult } from '../market/ledger.js';
import type { BadDebtBooked, DebtRepaid } from './credit-events.js';
import type { CollateralLeg } from './credit-messages.js';
import type { CreditReports } from './credit-reports.js';
import type { CreditTerms } from './credit-terms.js';
import type { CreditTimers } from './credit-timers.js';
import type { LenderBooks, LenderRecord } from './lender-books.js';
import type { Loan, LoanStatus } from './loan.js';
import type { LoanBook } from './loan-book.js';

/** Posts to the venue's loans. */
export class LoanPostings {
  constructor(
    private readonly kernel: Kernel,
    private readonly ledger: Ledger,
    private readonly book: LoanBook,
    private readonly lenders: LenderBooks,
    private readonly reports: CreditReports,
    private readonly timers: CreditTimers,
  ) {}

  /** Books accrued interest up to now. */
  accrue(loan: Loan): void {
    const booked = loan.accrue(this.kernel.now);
    if (booked === 0) return;
    this.lenders.bookInterest(loan, booked);
  }

  /**
   * Moves `amount` (0 < amount ≤ debt) of cash from `payerAccount` to the
   * lender and books it on the loan (interest first). The payer must have it.
   */
  repay(loan: Loan, payer: AgentId, payerAccount: number, amount: number): void {
    ok(this.ledger.transferCash(payerAccount, loan.lenderAccount, amount));
    const interestBefore = loan.interest;
    const principalPaid = loan.applyRepayment(this.kernel.now, amount);
    this.lenders.adjust(loan, -amount);
    if (loan.callRemaining > 0) {
      loan.callRemaining = loan.callAll ? loan.debt : Math.max(0, loan.callRemaining - amount);
      if (loan.callRemaining === 0) this.endLenderCall(loan);
    }
    if ((this.lenders.get(loan.lender) as LenderRecord).defaulted) this.lenders.sweepDirty = true;
    if (this.kernel.observes('DebtRepaid')) {
      const e: DebtRepaid = {
        ...this.reports.stamp('DebtRepaid'),
        loanId: loan.id,
        payer,
        amount,
        interestPaid: Math.min(amount, interestBefore),
        principalPaid,
        debtAfter: loan.debt,
      };
      this.kernel.emit(e);
    }
  }

  /** Moves `qty` pledged lots from the borrower to `toAccount` and out of the basket. */
  seize(loan: Loan, instrument: number, qty: number, toAccount: number): void {
    if (toAccount === loan.borrowerAccount) ok(this.ledger.releasePosition(toAccount, instrument, qty));
    else ok(this.ledger.transferPosition(loan.borrowerAccount, toAccount, instrument, qty, true));
    loan.removeCollateral(instrument, qty);
  }

  transferCash(from: number, to: number, amount: number): void {
    ok(this.ledger.transferCash(from, to, amount));
  }

  transferLots(from: number, to: number, instrument: number, qty: number): void {
    ok(this.ledger.transferPosition(from, to, instrument, qty));
  }

  /** Writes the whole remaining debt off as bad debt (a loss to the lender); returns it. */
  writeOffBadDebt(loan: Loan): number {
    const amount = loan.debt;
    if (amount === 0) return 0;
    loan.writeOff(this.kernel.now, amount);
    const rec = this.lenders.bookBadDebt(loan, amount);
    if (this.kernel.observes('BadDebtBooked')) {
      const e: BadDebtBooked = { ...this.reports.stamp('BadDebtBooked'), loanId: loan.id, lender: loan.lender, borrower: loan.borrower, amount, lenderEquityAfter: this.lenders.equityOf(rec) };
      this.kernel.emit(e);
    }
    return amount;
  }

  /** Holds the pledged lots in the borrower's account and adds them to the basket. */
  pledgeLegs(loan: Loan, pledge: readonly number[], terms: CreditTerms): CollateralLeg[] {
    const legs: CollateralLeg[] = [];
    for (let i = 0; i < pledge.length; i++) {
      const q = pledge[i];
      if (q === 0) continue;
      ok(this.ledger.holdPosition(loan.borrowerAccount, i, q));
      loan.addCollateral(i, q, terms.haircuts[i], loan.maintenanceHaircut[i]);
      legs.push({ instrument: i, qty: q });
      this.reports.emitCollateralMoved(loan, i, q);
    }
    return legs;
  }

  /** Takes `release[i]` lots of each instrument out of the basket and frees them in the borrower's account. */
  releaseLegs(loan: Loan, release: ArrayLike<number>): void {
    for (let i = 0; i < release.length; i++) {
      const q = release[i];
      if (q === 0) continue;
      ok(this.ledger.releasePosition(loan.borrowerAccount, i, q));
      loan.removeCollateral(i, q);
      this.reports.emitCollateralMoved(loan, i, -q);
    }
  }

  /** Closes a loan: returns its collateral, lapses its calls, frees the pair. */
  close(loan: Loan, status: LoanStatus): void {
    this.releaseLegs(loan, loan.qty);
    if (loan.callRemaining > 0 || loan.overdue) this.endLenderCall(loan);
    if (loan.healthCallDeadline >= 0) this.clearHealthCall(loan);
    loan.status = status;
    this.book.release(loan);
    this.reports.emitClosed(loan, status);
  }

  /** A lender's call is met (or lapses): its deadline is cancelled. */
  endLenderCall(loan: Loan): void {
    this.timers.cancelLoanTimer('lender-call', loan.id);
    loan.callRemaining = 0;
    loan.callAll = false;
    loan.callDeadline = -1;
    loan.overdue = false;
    this.reports.emitCallMet(loan, 'lender');
  }

  /** Withdraws the venue's health call (the loan was cured in time, or closed). */
  clearHealthCall(loan: Loan): void {
    if (loan.healthCallDeadline < 0) return;
    loan.healthCallDeadline = -1;
    this.timers.cancelLoanTimer('health-call', loan.id);
    this.reports.emitCallMet(loan, 'health');
  }
}

/** Ledger refusals after the venue's own checks are bugs. */
export function ok(result: LedgerResult): void {
  if (result !== 'OK') throw new Error(`credit venue: ledger refused (${result}) after its checks passed`);
}
