/**
 * The liquidation venue: what a liquidation policy sees, and the hand that
 * carries out what it decides.
 *
 * Every hook of the {@link LiquidationPolicy} is asked through here with this
 * object as its read-only {@link LiquidationView}; the commands it returns are
 * executed at once, in order, by {@link LiquidationVenue.execute} — the only
 * place where a liquidation touches loans, the ledger or the wire. One way:
 * venue → policy (a view) → venue (commands), never back into the policy
 * mid-decision. After a liquidator's step, a loan still liquidatable is put
 * to the policy again as a fresh decision.
 *
 * @packageDocumentation
 */

import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';
import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import type { OrderReport } from '../market/order-messages.js';
import type { CreditContext } from './credit-context.js';
import type { PositionLiquidated } from './credit-events.js';
import type { CreditRejectReason, LiquidateLoan } from './credit-messages.js';
import type { CreditReports } from './credit-reports.js';
import type { CreditTimers } from './credit-timers.js';
import type { LedgerReader, LiquidationCommand, LiquidationPolicy, LiquidationStep, LiquidationView } from './liquidation-policy.js';
import type { Loan, LoanView } from './loan.js';
import type { LoanBook } from './loan-book.js';
import type { LoanPostings } from './loan-postings.js';

/** Where the liquidation venue stands, beyond the venue's shared context. */
export interface LiquidationVenueOptions extends CreditContext {
  readonly venueId: AgentId;
  /** The exchange the venue's own sales go to. */
  readonly exchangeId: AgentId;
  readonly policy: LiquidationPolicy;
}

/** Asks the policy, executes its commands. */
export class LiquidationVenue implements LiquidationView {
  readonly venueId: AgentId;
  readonly instruments: readonly Instrument[];
  readonly marksHalfTicks: ArrayLike<number>;
  readonly minorPerTickLot: ArrayLike<number>;
  /** `SubscribeLiquidations` subscribers, in order of subscription. */
  readonly subscribers: AgentId[] = [];
  readonly accountOf: (agent: AgentId) => number;
  private readonly kernel: Kernel;
  private readonly exchangeId: AgentId;
  private readonly ledgerRef: Ledger;
  private readonly book: LoanBook;
  private readonly postings: LoanPostings;
  private readonly reports: CreditReports;
  private readonly timers: CreditTimers;
  private readonly policy: LiquidationPolicy;

  constructor(o: LiquidationVenueOptions) {
    this.kernel = o.kernel;
    this.venueId = o.venueId;
    this.exchangeId = o.exchangeId;
    this.ledgerRef = o.ledger;
    this.instruments = o.instruments;
    this.marksHalfTicks = o.marksHalfTicks;
    this.minorPerTickLot = o.minorPerTickLot;
    this.book = o.book;
    this.postings = o.postings;
    this.reports = o.reports;
    this.timers = o.timers;
    this.policy = o.policy;
    this.accountOf = o.accountOf;
  }

  // ------------------------------------------------------------ the view

  get now(): Micros {
    return this.kernel.now;
  }

  get deliveryId(): number {
    // Named later as a liquidation's delivery: cascade reconstruction needs its lineage.
    this.kernel.markCurrent();
    return this.kernel.currentId;
  }

  get ledger(): LedgerReader {
    return this.ledgerRef;
  }

  get liquidationSubscriberCount(): number {
    return this.subscribers.length;
  }

  liquidationValue(loan: LoanView): number {
    return this.book.liquidationValue(loan, this.marksHalfTicks);
  }

  // -------------------------------------------------- asking the policy

  subscribe(agent: AgentId): void {
    if (!this.subscribers.includes(agent)) this.subscribers.push(agent);
  }

  /** A loan fell below maintenance, or stays liquidatable (`again`). */
  onUnhealthy(loan: Loan, again: boolean): void {
    this.execute(this.policy.onUnhealthy(this, loan, again));
  }

  /** A lender's call on the loan passed its deadline unmet (the loan is marked overdue). */
  onCallOverdue(loan: Loan): void {
    this.execute(this.policy.onCallOverdue(this, loan));
  }

  /** The venue's health call on the loan fell due (the loan was just refreshed). */
  onHealthDeadline(loan: Loan): void {
    this.execute(this.policy.onHealthDeadline(this, loan));
  }

  /** A liquidator's `LiquidateLoan` on an open margin loan: null when carried out, else why not. */
  liquidate(loan: Loan, liquidator: AgentId, command: LiquidateLoan): CreditRejectReason | null {
    const decision = this.policy.liquidate(this, loan, liquidator, command);
    if (typeof decision === 'string') return decision;
    this.execute(decision);
    return null;
  }

  /** The exchange reported on one of the venue's own orders. */
  onOrderReport(report: OrderReport): void {
    this.execute(this.policy.onOrderReport(this, report));
  }

  /** A wake-up the policy asked for. */
  onWakeup(loan: Loan): void {
    this.execute(this.policy.onWakeup(this, loan));
  }

  // -------------------------------------------------------- executing

  /** Carries out one decision's commands, in order. */
  execute(commands: readonly LiquidationCommand[]): void {
    for (let k = 0; k < commands.length; k++) this.run(commands[k] as LiquidationCommand);
  }

  private run(c: LiquidationCommand): void {
    switch (c.type) {
      case 'Accrue':
        return this.postings.accrue(this.loan(c.loanId));
      case 'Repay':
        return this.postings.repay(this.loan(c.loanId), c.payer, c.payerAccount, c.amount);
      case 'Seize':
        return this.postings.seize(this.loan(c.loanId), c.instrument, c.qty, c.toAccount);
      case 'TransferCash':
        return this.postings.transferCash(c.from, c.to, c.amount);
      case 'TransferLots':
        return this.postings.transferLots(c.from, c.to, c.instrument, c.qty);
      case 'WriteOffBadDebt':
        this.postings.writeOffBadDebt(this.loan(c.loanId));
        return;
      case 'ReportLiquidation':
        return this.reportLiquidation(this.loan(c.loanId), c.liquidator, c.instrument, c.qty, c.protocolQty, c.price, c.debtRepaid, c.badDebt, c.step);
      case 'SettleAfterLiquidation':
        return this.settleAfterLiquidation(this.loan(c.loanId));
      case 'BeginVenueLiquidation':
        return this.beginVenueLiquidation(this.loan(c.loanId));
      case 'FinishVenueLiquidation':
        return this.finishVenueLiquidation(this.loan(c.loanId));
      case 'AnnounceLiquidatable':
        return this.announce(this.loan(c.loanId), c.maxRepay, c.bonus);
      case 'IssueMarginCall':
        return this.issueMarginCall(this.loan(c.loanId), c.amount, c.deadline);
      case 'ClearHealthCall':
        return this.postings.clearHealthCall(this.loan(c.loanId));
      case 'PlaceSale':
        return this.reports.tell(this.exchangeId, { type: 'PlaceOrder', instrument: c.instrument, clientOrderId: c.clientOrderId, side: 'sell', orderType: 'market', price: 0, qty: c.qty });
      case 'WakePolicy':
        return this.timers.wakePolicy(c.loanId, c.time);
      default: {
        const never: never = c;
        throw new Error(`liquidation venue: unknown command ${JSON.stringify(never)}`);
      }
    }
  }

  private loan(loanId: number): Loan {
    return this.book.get(loanId) as Loan;
  }

  /** Closes a loan without debt; re-indexes any other and puts it to the policy again while it stays liquidatable. */
  private settleAfterLiquidation(loan: Loan): void {
    if (loan.debt === 0) {
      this.postings.close(loan, loan.writtenOff > 0 ? 'defaulted' : 'closed');
      return;
    }
    const was = loan.unhealthy;
    this.book.reindex(loan, this.marksHalfTicks);
    if (loan.unhealthy || loan.overdue) {
      if (!was && loan.unhealthy) {
        loan.trigger = 'liquidation';
        this.reports.emitUnhealthy(loan);
      }
      this.onUnhealthy(loan, true);
    }
  }

  private beginVenueLiquidation(loan: Loan): void {
    this.postings.accrue(loan);
    loan.freeze();
    loan.status = 'liquidating';
    loan.healthCallDeadline = -1;
    loan.callDeadline = -1;
    this.book.reindex(loan, this.marksHalfTicks);
  }

  private finishVenueLiquidation(loan: Loan): void {
    if (loan.debt > 0) this.postings.writeOffBadDebt(loan);
    this.postings.close(loan, loan.writtenOff > 0 ? 'defaulted' : 'closed');
  }

  private announce(loan: Loan, maxRepay: number, bonus: number): void {
    if (this.subscribers.length === 0) return;
    const state = this.reports.stateOf(loan);
    for (let k = 0; k < this.subscribers.length; k++) this.reports.tell(this.subscribers[k] as AgentId, { type: 'LoanLiquidatable', loan: state, maxRepay, bonus });
  }

  private issueMarginCall(loan: Loan, amount: number, deadline: Micros): void {
    loan.healthCallDeadline = deadline;
    this.timers.setLoanTimer('health-call', loan.id, deadline);
    this.reports.sendMarginCall(loan, amount, deadline, 'health');
  }

  private reportLiquidation(loan: Loan, liquidator: AgentId, instrument: number, qty: number, protocolQty: number, price: number, debtRepaid: number, badDebt: number, step: LiquidationStep): void {
    const state = this.reports.stateOf(loan);
    const msg = { type: 'LoanLiquidated', loan: state, liquidator, instrument, seizedQty: qty, protocolQty, debtRepaid, badDebt } as const;
    if (liquidator !== this.venueId) this.reports.tell(liquidator, msg);
    this.reports.tell(loan.borrower, msg);
    this.reports.tell(loan.lender, msg);
    // The delivery this liquidation is reported under: cascade reconstruction walks its lineage.
    if (step.decidedIn === undefined) this.kernel.markCurrent();
    if (this.kernel.observes('PositionLiquidated')) {
      const e: PositionLiquidated = {
        ...this.reports.stamp('PositionLiquidated'),
        loanId: loan.id,
        borrower: loan.borrower,
        lender: loan.lender,
        liquidator,
        instrument,
        qty,
        price,
        debtRepaid,
        badDebt,
        deliveryId: step.decidedIn ?? this.kernel.currentId,
        protocolQty,
        lvBefore: step.lvBefore,
        debtBefore: step.debtBefore,
        lvAfter: step.lvAfter,
        debtAfter: step.debtAfter,
        exhausted: step.exhausted,
        trigger: loan.trigger,
      };
      this.kernel.emit(e);
    }
  }
}
