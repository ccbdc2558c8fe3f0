/**
 * How an unhealthy (or called and overdue) loan is liquidated: a small
 * interface with named implementations, as `LatencyModel` or `FeeModel`.
 *
 * - `AaveLiquidation` (aave-liquidation.ts): competing liquidators repay part
 *   of the debt and seize collateral with a bonus (Aave v3).
 * - `BrokerLiquidation` (broker-liquidation.ts): the venue margin-calls the
 *   borrower, then seizes the collateral and sells it into the book itself.
 *
 * A policy decides; the venue ({@link LiquidationVenue}, implemented by
 * `CreditMarket`) owns the loans and the ledger and carries out the policy's
 * decisions through the primitives below, each of which keeps the venue's
 * bookkeeping exact. Both policies guarantee: a liquidation never leaves a
 * loan less healthy than before, unless its collateral is exhausted, in which
 * case the remaining debt is booked as bad debt.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/latency-model.js';
import type { Micros } from '../engine/time.js';
import type { CreditRejectReason, LiquidateLoan } from './credit-messages.js';
import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import type { Loan } from './loan.js';
import type { OrderReport } from '../market/order-messages.js';

/** Before/after figures of one liquidation step, for reports and events. */
export interface LiquidationStep {
  /** Liquidation value (Σ collateral · mark · (1 − h_m)) and debt before the step, minor units. */
  readonly lvBefore: number;
  readonly debtBefore: number;
  readonly lvAfter: number;
  readonly debtAfter: number;
  /** No collateral left after the step. */
  readonly exhausted: boolean;
  /**
   * The delivery in which the step was decided, when not the one being handled:
   * a venue sale's fill is reported to the delivery that placed the sale order,
   * whose causes lead back to what made the loan unhealthy (cascade reconstruction walks them).
   */
  readonly decidedIn?: number;
}

/** What a policy may read and do at the venue. Amounts minor units, quantities lots, marks half-ticks. */
export interface LiquidationVenue {
  /** Current simulated time. */
  readonly now: Micros;
  /** Id of the delivery being handled. */
  readonly deliveryId: number;
  /** The venue's agent id (the liquidator of record of its own sales). */
  readonly venueId: AgentId;
  readonly ledger: Ledger;
  readonly instruments: readonly Instrument[];
  /** Last known mark of each instrument, half-ticks. */
  readonly marks2: ArrayLike<number>;
  /** Minor units per tick·lot of each instrument. */
  readonly minorPerTickLot: ArrayLike<number>;
  /** Ledger account of an agent, or -1. */
  accountOf(agent: AgentId): number;
  /** Exact liquidation value of a loan's pledged collateral at the marks. */
  liquidationValue(loan: Loan): number;
  /** Books accrued interest, re-indexes the loan and returns whether it is unhealthy now. */
  refresh(loan: Loan): boolean;
  /** Books accrued interest up to now. */
  accrue(loan: Loan): void;
  /**
   * Moves `amount` (0 < amount ≤ debt) of cash from `payerAccount` to the
   * lender and books it on the loan (interest first). The payer must have it.
   */
  repay(loan: Loan, payer: AgentId, payerAccount: number, amount: number): void;
  /** Moves `qty` pledged lots from the borrower to `toAccount` and out of the basket. */
  seize(loan: Loan, instrument: number, qty: number, toAccount: number): void;
  /** Moves free cash between accounts (a sale's surplus back to the borrower). */
  transferCash(from: number, to: number, amount: number): void;
  /** Moves free lots between accounts (unsold collateral back to the borrower). */
  transferLots(from: number, to: number, instrument: number, qty: number): void;
  /** Writes the whole remaining debt off as bad debt (a loss to the lender); returns it. */
  writeOffBadDebt(loan: Loan): number;
  /**
   * After a liquidator's step: closes the loan when its debt is 0 (returning
   * any collateral left) or its collateral is exhausted; otherwise re-indexes
   * it and, if it is still liquidatable, tells the policy again.
   */
  settleAfterLiquidation(loan: Loan): void;
  /** Starts a venue liquidation: accrues, freezes interest, takes the loan out of the index. */
  beginVenueLiquidation(loan: Loan): void;
  /** Ends a venue liquidation: books bad debt if debt remains, closes the loan. */
  finishVenueLiquidation(loan: Loan): void;
  /** `SubscribeLiquidations` subscribers, in order of subscription. */
  liquidationSubscribers(): readonly AgentId[];
  /** Tells every `SubscribeLiquidations` subscriber that the loan is liquidatable. */
  notifyLiquidatable(loan: Loan, maxRepay: number, bonus: number): void;
  /** Sends `MarginCalled` to borrower and lender and wakes the venue at the deadline. */
  issueMarginCall(loan: Loan, amount: number, deadline: Micros): void;
  /** Withdraws the venue's health call (the loan was cured in time). */
  clearHealthCall(loan: Loan): void;
  /** Sends `LoanLiquidated` to the parties and emits `PositionLiquidated`. */
  reportLiquidation(loan: Loan, liquidator: AgentId, instrument: number, qty: number, protocolQty: number, price: number, debtRepaid: number, badDebt: number, step: LiquidationStep): void;
  /** Sends a market sell of `qty` lots from the venue's sale account. */
  placeSale(instrument: number, qty: number, clientOrderId: number): void;
  /**
   * Wakes the policy for `loan` at `time` ({@link LiquidationPolicy.onWakeup}),
   * or earlier: a loan has at most one pending policy wake-up, so a request
   * no earlier than the pending one is served by that one.
   */
  wakeFor(loan: Loan, time: Micros): void;
}

/** A liquidation procedure. */
export interface LiquidationPolicy {
  /** For reports, e.g. `'aave'`. */
  readonly name: string;
  /** Called once when the venue joins the kernel (e.g. to bind a sale account on the exchange). */
  attach(venue: LiquidationVenue): void;
  /**
   * A loan fell below maintenance, or is still liquidatable after a partial
   * liquidation (`again`). Must not re-index loans (it may be called from
   * inside the index's crossing loop).
   */
  onUnhealthy(venue: LiquidationVenue, loan: Loan, again: boolean): void;
  /** A lender's call passed its deadline unmet. */
  onCallOverdue(venue: LiquidationVenue, loan: Loan): void;
  /** The deadline of a health call issued by the venue arrived. */
  onHealthDeadline(venue: LiquidationVenue, loan: Loan): void;
  /** A liquidator's `LiquidateLoan` on an open margin loan: null on success, else why not (nothing changed). */
  liquidate(venue: LiquidationVenue, loan: Loan, liquidator: AgentId, command: LiquidateLoan): CreditRejectReason | null;
  /** An order report from the exchange to the venue (its own sales). */
  onOrderReport(venue: LiquidationVenue, report: OrderReport): void;
  /** A wake-up the policy asked for with `wakeFor`. */
  onWakeup(venue: LiquidationVenue, loan: Loan): void;
  /** Numbers describing the policy's own state, for the venue's `stateHash`. */
  stateDigest(): number[];
  /** Appends violations of the policy's own invariants. */
  validate(venue: LiquidationVenue, errors: string[]): void;
}
