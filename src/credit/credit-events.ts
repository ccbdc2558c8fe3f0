/**
 * Observed events of the credit venue, past tense. Each carries `id =
 * kernel.newId()`, `causeId = kernel.currentId` (the delivery being handled:
 * the command, wake-up, order report — or, inside a mark listener, the order
 * that moved the price) and `time`. They are built only when someone
 * observes the kernel's stream.
 *
 * Amounts are minor units, prices ticks (marks may be halves), quantities
 * lots, rates and haircuts plain fractions (converted back from fixed point).
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { SimEvent } from '../engine/sim-event.js';
import type { CollateralLeg } from './credit-messages.js';
import type { InstrumentId } from '../market/instrument.js';
import type { LoanKind, LoanStatus } from './loan.js';
import type { LiquidationTrigger } from '../stats/liquidation-triggers.js';

/** A loan (margin credit line or interbank loan) was opened. */
export interface LoanOpened extends SimEvent {
  readonly type: 'LoanOpened';
  readonly loanId: number;
  readonly kind: LoanKind;
  readonly lender: AgentId;
  readonly borrower: AgentId;
  /** Simple annual rate, e.g. 0.05. */
  readonly annualRate: number;
}

/** The posted limits a margin draw was checked against. */
export interface DrawLimits {
  /** Σ booked margin debt owed to the lender after the draw. */
  readonly lenderTotalAfter: number;
  /** Borrowing capacity Σ qty·mark·(1 − h_initial) at the draw. */
  readonly capacity: number;
  readonly maxPerBorrower: number;
  readonly maxTotal: number;
}

/**
 * Cash was lent on a loan (its first draw or a further one). A margin draw
 * carries the limits it was checked against, so "no lender beyond its
 * limits" can be audited; an interbank loan has no posted limits (null).
 */
export interface LoanDrawn extends SimEvent {
  readonly type: 'LoanDrawn';
  readonly loanId: number;
  readonly lender: AgentId;
  readonly borrower: AgentId;
  readonly amount: number;
  /** Collateral pledged with this draw. */
  readonly pledged: readonly CollateralLeg[];
  /** The loan's debt after the draw. */
  readonly debtAfter: number;
  /** Lender's available cash before the draw. */
  readonly lenderCashBefore: number;
  readonly limits: DrawLimits | null;
}

/** Debt was repaid (by the borrower, a liquidator, sale proceeds, or a receivership sweep). */
export interface DebtRepaid extends SimEvent {
  readonly type: 'DebtRepaid';
  readonly loanId: number;
  readonly payer: AgentId;
  readonly amount: number;
  readonly interestPaid: number;
  readonly principalPaid: number;
  readonly debtAfter: number;
}

/** Collateral was pledged to or released from a loan (seizures are in {@link PositionLiquidated}). */
export interface CollateralMoved extends SimEvent {
  readonly type: 'CollateralMoved';
  readonly loanId: number;
  readonly instrument: InstrumentId;
  /** Positive: pledged; negative: released to the borrower. */
  readonly qty: number;
}

/**
 * A lender posted new terms. Under the `immediate` schedule its open loans
 * were repriced (repo rolled) at once; under `roll` and `notice` none were
 * yet ({@link LoansRepriced} reports them when they are).
 */
export interface CreditTermsChanged extends SimEvent {
  readonly type: 'CreditTermsChanged';
  readonly lender: AgentId;
  readonly haircuts: readonly number[];
  readonly maintenanceHaircuts: readonly number[];
  readonly annualRate: number;
  readonly maxPerBorrower: number;
  readonly maxTotal: number;
  /** Loans repriced by this posting now. */
  readonly loansRepriced: number;
  /** Of those, loans the step cap left short of the posted maintenance haircuts. */
  readonly loansShort: number;
}

/**
 * A lender's posted terms reached some of its existing loans after the
 * posting: at their roll, or when its notice ran out (terms-schedule.ts).
 * The event's cause is the venue's wake-up, whose cause is the posting
 * (`postingId`): a liquidation this repricing causes chains back to it.
 */
export interface LoansRepriced extends SimEvent {
  readonly type: 'LoansRepriced';
  readonly lender: AgentId;
  readonly reason: 'roll' | 'notice';
  /** Delivery id of the posting whose terms were applied. */
  readonly postingId: number;
  /** The posted maintenance haircuts the loans moved to (or toward, capped). */
  readonly maintenanceHaircuts: readonly number[];
  readonly loansRepriced: number;
  /** Of those, loans the step cap left short of the posted maintenance haircuts. */
  readonly loansShort: number;
}

/** A loan fell below maintenance (health factor < 1): once per crossing. */
export interface LoanBecameUnhealthy extends SimEvent {
  readonly type: 'LoanBecameUnhealthy';
  readonly loanId: number;
  readonly borrower: AgentId;
  readonly lender: AgentId;
  readonly healthFactor: number;
}

/** A margin call: by the lender (`CallLoan`) or by the venue on an unhealthy loan (broker policy). */
export interface MarginCallIssued extends SimEvent {
  readonly type: 'MarginCallIssued';
  readonly loanId: number;
  readonly borrower: AgentId;
  readonly lender: AgentId;
  readonly amount: number;
  /** µs. */
  readonly deadline: number;
  readonly reason: 'lender' | 'health';
}

/** A margin call was met (repaid, or cured in time), or lapsed because the loan closed. */
export interface MarginCallMet extends SimEvent {
  readonly type: 'MarginCallMet';
  readonly loanId: number;
  readonly reason: 'lender' | 'health';
}

/**
 * Collateral changed hands in a liquidation. For the Aave policy: one event
 * per leg seized by a liquidator (`price` = the mark used, `qty` = lots taken
 * from the borrower including the protocol's share). For the broker policy:
 * one event per fill of the venue's sale (`price` = the fill price,
 * `liquidator` = the venue). `deliveryId` is the id of the delivery that
 * executed it: the `LiquidateLoan` command, or for a venue sale the delivery
 * that placed the sale order (its fill report is a sibling of the trades it
 * caused, not their ancestor), so a cascade is reconstructed exactly by
 * walking causes.
 *
 * `lvBefore/debtBefore/lvAfter/debtAfter` are the loan's liquidation value and
 * debt before and after the whole liquidation step this event belongs to
 * (identical across the legs of one step).
 */
export interface PositionLiquidated extends SimEvent {
  readonly type: 'PositionLiquidated';
  readonly loanId: number;
  readonly borrower: AgentId;
  readonly lender: AgentId;
  readonly liquidator: AgentId;
  readonly instrument: InstrumentId;
  readonly qty: number;
  /** Ticks (a mark may be a half tick). */
  readonly price: number;
  readonly debtRepaid: number;
  readonly badDebt: number;
  readonly deliveryId: number;
  /** Lots of the bonus that went to the protocol account. */
  readonly protocolQty: number;
  readonly lvBefore: number;
  readonly debtBefore: number;
  readonly lvAfter: number;
  readonly debtAfter: number;
  /** No collateral left after this step. */
  readonly exhausted: boolean;
  /** What put the loan below maintenance or in default of its call. */
  readonly trigger: LiquidationTrigger;
}

/** Debt written off because the collateral ran out: a loss to the lender. */
export interface BadDebtBooked extends SimEvent {
  readonly type: 'BadDebtBooked';
  readonly loanId: number;
  readonly lender: AgentId;
  readonly borrower: AgentId;
  readonly amount: number;
  /** Lender equity after the write-off (before any clearing). */
  readonly lenderEquityAfter: number;
}

/**
 * A lender defaulted (its equity went negative, or the Eisenberg–Noe clearing
 * found it unable to pay): it stops lending and its creditors are paid
 * `recoveryRate` of their claims.
 */
export interface LenderDefaulted extends SimEvent {
  readonly type: 'LenderDefaulted';
  readonly lender: AgentId;
  /** Clearing payment / obligations, in [0, 1]. */
  readonly recoveryRate: number;
  /** Equity (book) before the clearing. */
  readonly equityBefore: number;
  /** Total obligations (interbank + external), minor units. */
  readonly obligations: number;
  /** 1: fundamental default; > 1: contagion round of the fictitious default algorithm. */
  readonly round: number;
}

/** An interbank claim was written down in clearing: a loss to the creditor. */
export interface ClaimWrittenDown extends SimEvent {
  readonly type: 'ClaimWrittenDown';
  readonly loanId: number;
  readonly creditor: AgentId;
  readonly debtor: AgentId;
  readonly amount: number;
}

/** A loan closed (`closed`: repaid; `defaulted`: bad debt written off). */
export interface LoanClosed extends SimEvent {
  readonly type: 'LoanClosed';
  readonly loanId: number;
  readonly status: LoanStatus;
}

/** Every event the credit venue emits. */
export type CreditEvent =
  | LoanOpened
  | LoanDrawn
  | DebtRepaid
  | CollateralMoved
  | CreditTermsChanged
  | LoansRepriced
  | LoanBecameUnhealthy
  | MarginCallIssued
  | MarginCallMet
  | PositionLiquidated
  | BadDebtBooked
  | LenderDefaulted
  | ClaimWrittenDown
  | LoanClosed;
