/**
 * What the venue's observers read: loans and their health, debt and bad-debt
 * totals, haircuts, leverage (the run's sampler and tests). Read-only.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import type { LoanState } from './credit-messages.js';
import type { CreditReports } from './credit-reports.js';
import type { LenderBooks } from './lender-books.js';
import type { LoanBook } from './loan-book.js';
import { accountEquity, grossExposure, healthFactor, leverage } from './margin.js';

/** Read-only figures of the credit venue. */
export class CreditMetrics {
  constructor(
    private readonly ledger: Ledger,
    private readonly instruments: readonly Instrument[],
    private readonly marksHalfTicks: ArrayLike<number>,
    private readonly book: LoanBook,
    private readonly lenders: LenderBooks,
    private readonly reports: CreditReports,
    private readonly accountOf: (agent: AgentId) => number,
  ) {}

  /** States of every live loan, in id order. */
  loanStates(): LoanState[] {
    return this.book.live().map((l) => this.reports.stateOf(l));
  }

  /** Health factor of a margin loan at booked debt (Infinity without debt, so for every closed loan). */
  healthFactor(loanId: number): number {
    const loan = this.book.get(loanId);
    // A forgotten loan is closed: no debt.
    if (loan === undefined) return this.book.roster.has(loanId) && this.book.roster.kind(loanId) === 'margin' ? Number.POSITIVE_INFINITY : Number.NaN;
    if (loan.kind !== 'margin') return Number.NaN;
    return healthFactor(this.book.liquidationValue(loan, this.marksHalfTicks), loan.debt);
  }

  /** True when the index flags the loan below maintenance, or a lender's call on it is overdue. */
  isLiquidatable(loanId: number): boolean {
    const loan = this.book.get(loanId);
    return loan !== undefined && loan.status === 'open' && (loan.unhealthy || loan.overdue);
  }

  /** Ids of open margin loans whose liquidation value is below their booked debt, by a full scan (reference for the index). */
  scanUnhealthyLoanIds(): number[] {
    return this.book
      .live()
      .filter((l) => l.kind === 'margin' && l.status === 'open' && l.debt > 0 && this.book.liquidationValue(l, this.marksHalfTicks) < l.debt)
      .map((l) => l.id);
  }

  /** Leverage of a borrower's account: gross exposure / (cash + positions − margin debt). */
  borrowerLeverage(agent: AgentId): number {
    const account = this.accountOf(agent);
    if (account < 0) return Number.NaN;
    const exposure = grossExposure(this.ledger, account, this.marksHalfTicks, this.instruments);
    const equity = accountEquity(this.ledger, account, this.marksHalfTicks, this.instruments, this.lenders.borrowerDebts.get(agent) ?? 0);
    return leverage(exposure, equity);
  }

  /**
   * Aggregate leverage of the borrowers with debt: Σ gross exposure / Σ
   * equity (0 without borrowers; Infinity when their total equity is ≤ 0).
   */
  aggregateLeverage(): number {
    let exposure = 0;
    let equity = 0;
    for (const [agent, debt] of this.lenders.borrowerDebts) {
      if (debt <= 0) continue;
      const account = this.accountOf(agent);
      exposure += grossExposure(this.ledger, account, this.marksHalfTicks, this.instruments);
      equity += accountEquity(this.ledger, account, this.marksHalfTicks, this.instruments, debt);
    }
    return leverage(exposure, equity);
  }
}
