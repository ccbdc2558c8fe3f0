import type { InstrumentId } from '../market/instrument.js';
import type { LoanState, MarginCalled } from '../credit/credit-messages.js';

/**
 * A borrower's belief about its one loan, built only from the credit venue's
 * reports: debt, pledged lots of its instrument, health factor and any
 * outstanding margin call. The venue's books are the truth; this is what the
 * borrower can know of them.
 */
export class TrackedLoan {
  /** The open loan's id, 0 when none. */
  loanId = 0;
  /** Debt (principal + interest) as last reported, minor units. */
  debt = 0;
  /** Lots of its instrument pledged, as last reported. */
  pledged = 0;
  /** Health factor as last reported (Infinity without debt). */
  healthFactor = Number.POSITIVE_INFINITY;
  /** A margin call is outstanding. */
  called = false;
  /** What is left to repay of the outstanding call, minor units. */
  callAmount = 0;
  /** Deadline of the outstanding call, µs. */
  callDeadline = 0;

  constructor(private readonly instrument: InstrumentId) {}

  /**
   * Takes in a report of the loan's state. Returns true when it lifted a
   * call that was outstanding (the call was met or withdrawn).
   */
  apply(loan: LoanState): boolean {
    this.loanId = loan.loanId;
    this.debt = loan.debt;
    let pledged = 0;
    for (const leg of loan.collateral) if (leg.instrument === this.instrument) pledged += leg.qty;
    this.pledged = pledged;
    this.healthFactor = loan.healthFactor;
    const wasCalled = this.called;
    this.called = loan.called;
    if (loan.called) return false;
    this.callAmount = 0;
    return wasCalled;
  }

  /** A margin call arrived (its loan state is applied separately). */
  call(m: MarginCalled): void {
    this.called = true;
    this.callAmount = m.amount;
    this.callDeadline = m.deadline;
  }

  /** `amount` was repaid: that much less of the call is left. */
  repaid(amount: number): void {
    this.callAmount = Math.max(0, this.callAmount - amount);
  }

  /**
   * The call is taken as over without a report (past its deadline the venue
   * has withdrawn it silently or is liquidating).
   */
  dropCall(): void {
    this.called = false;
    this.callAmount = 0;
  }

  /** The loan is gone; its collateral too when `loan` says so or is unknown. */
  close(loan: LoanState | null): void {
    this.loanId = 0;
    this.debt = 0;
    if (loan === null || loan.collateral.length === 0) this.pledged = 0;
    this.healthFactor = Number.POSITIVE_INFINITY;
    this.called = false;
    this.callAmount = 0;
  }
}
