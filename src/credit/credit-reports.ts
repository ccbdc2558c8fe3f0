/**
 * What the credit venue tells: its reports to agents (`CreditReport`, and the
 * broker's sale orders) and its observation events. Events are built only
 * when observed; every one takes the delivery being handled as its cause.
 *
 * @packageDocumentation
 */

import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';
import type { PlaceOrder } from '../market/order-messages.js';
import { RATE_SCALE } from '../market/rounding.js';
import type { CollateralMoved, LoanBecameUnhealthy, LoanClosed, LoanOpened, MarginCallIssued, MarginCallMet } from './credit-events.js';
import type { CollateralLeg, CreditRejectReason, CreditReport, LoanState } from './credit-messages.js';
import type { Loan, LoanStatus } from './loan.js';
import type { LoanBook } from './loan-book.js';
import { healthFactor } from './margin.js';

/** The venue's voice: messages from the venue's id, events caused by the current delivery. */
export class CreditReports {
  constructor(
    readonly kernel: Kernel,
    private readonly venue: AgentId,
    private readonly book: LoanBook,
    private readonly marksHalfTicks: ArrayLike<number>,
  ) {}

  /** Sends a typed report (or the broker's sell order). */
  tell(to: AgentId, message: CreditReport | PlaceOrder): void {
    this.kernel.send(this.venue, to, message);
  }

  reject(to: AgentId, command: string, loanId: number, reason: CreditRejectReason): void {
    this.tell(to, { type: 'CreditRejected', command, loanId, reason });
  }

  /** The common fields of an event (call only when observed). */
  stamp<T extends string>(type: T): { type: T; id: number; causeId: number; time: Micros } {
    return { type, id: this.kernel.newId(), causeId: this.kernel.currentId, time: this.kernel.now };
  }

  /** A loan as reported to agents: debt accrued to now, pledged legs, health factor. */
  stateOf(loan: Loan): LoanState {
    const debt = loan.debtAt(this.kernel.now);
    const collateral: CollateralLeg[] = [];
    for (let i = 0; i < loan.qty.length; i++) if (loan.qty[i] > 0) collateral.push({ instrument: i, qty: loan.qty[i] });
    const hf = loan.kind === 'margin' ? healthFactor(this.book.liquidationValue(loan, this.marksHalfTicks), debt) : debt > 0 ? 0 : Number.POSITIVE_INFINITY;
    return { loanId: loan.id, lender: loan.lender, borrower: loan.borrower, debt, collateral, healthFactor: hf, called: loan.called };
  }

  sendMarginCall(loan: Loan, amount: number, deadline: Micros, reason: 'lender' | 'health'): void {
    const msg = { type: 'MarginCalled', loan: this.stateOf(loan), amount, deadline } as const;
    this.tell(loan.borrower, msg);
    this.tell(loan.lender, msg);
    if (this.kernel.observes('MarginCallIssued')) {
      const e: MarginCallIssued = { ...this.stamp('MarginCallIssued'), loanId: loan.id, borrower: loan.borrower, lender: loan.lender, amount, deadline, reason };
      this.kernel.emit(e);
    }
  }

  emitOpened(loan: Loan): void {
    if (!this.kernel.observes('LoanOpened')) return;
    const e: LoanOpened = { ...this.stamp('LoanOpened'), loanId: loan.id, kind: loan.kind, lender: loan.lender, borrower: loan.borrower, annualRate: fraction(loan.rate) };
    this.kernel.emit(e);
  }

  emitUnhealthy(loan: Loan): void {
    if (!this.kernel.observes('LoanBecameUnhealthy')) return;
    const e: LoanBecameUnhealthy = { ...this.stamp('LoanBecameUnhealthy'), loanId: loan.id, borrower: loan.borrower, lender: loan.lender, healthFactor: healthFactor(this.book.liquidationValue(loan, this.marksHalfTicks), loan.debt) };
    this.kernel.emit(e);
  }

  emitCallMet(loan: Loan, reason: 'lender' | 'health'): void {
    if (!this.kernel.observes('MarginCallMet')) return;
    const e: MarginCallMet = { ...this.stamp('MarginCallMet'), loanId: loan.id, reason };
    this.kernel.emit(e);
  }

  emitCollateralMoved(loan: Loan, instrument: number, qty: number): void {
    if (!this.kernel.observes('CollateralMoved')) return;
    const e: CollateralMoved = { ...this.stamp('CollateralMoved'), loanId: loan.id, instrument, qty };
    this.kernel.emit(e);
  }

  emitClosed(loan: Loan, status: LoanStatus): void {
    if (!this.kernel.observes('LoanClosed')) return;
    const e: LoanClosed = { ...this.stamp('LoanClosed'), loanId: loan.id, status };
    this.kernel.emit(e);
  }
}

/** Fixed point back to a plain fraction (for events). */
export function fraction(units: number): number {
  return units / RATE_SCALE;
}
