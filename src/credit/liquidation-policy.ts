/**
 * How an unhealthy (or called and overdue) loan is liquidated: a small
 * interface with named implementations, as `LatencyModel` or `FeeModel`.
 *
 * - `AaveLiquidation` (aave-liquidation.ts): competing liquidators repay part
 *   of the debt and seize collateral with a bonus (Aave v3).
 * - `BrokerLiquidation` (broker-liquidation.ts): the venue margin-calls the
 *   borrower, then seizes the collateral and sells it into the book itself.
 *
 * ## One way
 *
 * A policy decides; the venue executes. Every hook receives a read-only
 * {@link LiquidationView} and the loan concerned, and returns the
 * {@link LiquidationCommand}s it decided on, as values; the venue
 * (liquidation-venue.ts) carries them out in order, each keeping the venue's
 * bookkeeping exact. A policy never calls back into the venue while it
 * decides, so what it plans is computed from the state it was shown: a
 * command list must not depend on the effect of an earlier command in the
 * same list except as the policy itself predicts it (a repayment lowers the
 * debt by exactly its amount; a write-off takes the whole remaining debt).
 * A policy may keep state of its own (the broker's sales in progress).
 *
 * Both policies guarantee: a liquidation never leaves a loan less healthy
 * than before, unless its collateral is exhausted, in which case the
 * remaining debt is booked as bad debt.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';
import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import type { OrderReport } from '../market/order-messages.js';
import type { CreditRejectReason, LiquidateLoan } from './credit-messages.js';
import type { LoanView } from './loan.js';

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

/** What a policy may read of the ledger. */
export type LedgerReader = Pick<Ledger, 'availableCash' | 'hasInstrument' | 'position'>;

/** What a policy may read at the venue. Amounts minor units, quantities lots, marks half-ticks. */
export interface LiquidationView {
  /** Current simulated time. */
  readonly now: Micros;
  /**
   * Id of the delivery being handled. A policy reads it only to name that
   * delivery later (`LiquidationStep.decidedIn`), so reading it marks the
   * delivery in the kernel's causal lineage (`Kernel.markCurrent`).
   */
  readonly deliveryId: number;
  /** The venue's agent id (the liquidator of record of its own sales). */
  readonly venueId: AgentId;
  readonly ledger: LedgerReader;
  readonly instruments: readonly Instrument[];
  /** Last known mark of each instrument, half-ticks. */
  readonly marksHalfTicks: ArrayLike<number>;
  /** Minor units per tick·lot of each instrument. */
  readonly minorPerTickLot: ArrayLike<number>;
  /** Number of `SubscribeLiquidations` subscribers. */
  readonly liquidationSubscriberCount: number;
  /** Ledger account of an agent, or -1. */
  accountOf(agent: AgentId): number;
  /** Exact liquidation value of a loan's pledged collateral at the marks. */
  liquidationValue(loan: LoanView): number;
}

/**
 * What a policy may ask the venue to do. `loanId` names the loan acted on;
 * the venue executes the commands of one decision in order.
 */
export type LiquidationCommand =
  /** Book the loan's accrued interest up to now. */
  | { readonly type: 'Accrue'; readonly loanId: number }
  /** Move `amount` (0 < amount ≤ debt) of cash from `payerAccount` to the lender and book it on the loan (interest first). */
  | { readonly type: 'Repay'; readonly loanId: number; readonly payer: AgentId; readonly payerAccount: number; readonly amount: number }
  /** Move `qty` pledged lots from the borrower to `toAccount` and out of the basket. */
  | { readonly type: 'Seize'; readonly loanId: number; readonly instrument: number; readonly qty: number; readonly toAccount: number }
  /** Move free cash between accounts (a sale's surplus back to the borrower). */
  | { readonly type: 'TransferCash'; readonly from: number; readonly to: number; readonly amount: number }
  /** Move free lots between accounts (unsold collateral back to the borrower). */
  | { readonly type: 'TransferLots'; readonly from: number; readonly to: number; readonly instrument: number; readonly qty: number }
  /** Write the whole remaining debt off as bad debt (a loss to the lender). */
  | { readonly type: 'WriteOffBadDebt'; readonly loanId: number }
  /** Send `LoanLiquidated` to the parties and emit `PositionLiquidated`. */
  | {
      readonly type: 'ReportLiquidation';
      readonly loanId: number;
      readonly liquidator: AgentId;
      readonly instrument: number;
      readonly qty: number;
      readonly protocolQty: number;
      readonly price: number;
      readonly debtRepaid: number;
      readonly badDebt: number;
      readonly step: LiquidationStep;
    }
  /**
   * After a liquidator's step: close the loan when its debt is 0 (returning
   * any collateral left); otherwise re-index it and, if it is still
   * liquidatable, ask the policy again ({@link LiquidationPolicy.onUnhealthy}, `again`).
   */
  | { readonly type: 'SettleAfterLiquidation'; readonly loanId: number }
  /** Start a venue liquidation: accrue, freeze interest, take the loan out of the index. */
  | { readonly type: 'BeginVenueLiquidation'; readonly loanId: number }
  /** End a venue liquidation: book bad debt if debt remains, close the loan. */
  | { readonly type: 'FinishVenueLiquidation'; readonly loanId: number }
  /** Tell every `SubscribeLiquidations` subscriber that the loan is liquidatable. */
  | { readonly type: 'AnnounceLiquidatable'; readonly loanId: number; readonly maxRepay: number; readonly bonus: number }
  /** Send `MarginCalled` to borrower and lender; the venue's health deadline falls at `deadline`. */
  | { readonly type: 'IssueMarginCall'; readonly loanId: number; readonly amount: number; readonly deadline: Micros }
  /** Withdraw the venue's health call (the loan was cured in time). */
  | { readonly type: 'ClearHealthCall'; readonly loanId: number }
  /** Send a market sell of `qty` lots from the venue's sale account. */
  | { readonly type: 'PlaceSale'; readonly instrument: number; readonly qty: number; readonly clientOrderId: number }
  /**
   * Wake the policy for the loan at `time` ({@link LiquidationPolicy.onWakeup}),
   * or earlier: a loan has at most one pending policy wake-up, so a request
   * no earlier than the pending one is served by that one.
   */
  | { readonly type: 'WakePolicy'; readonly loanId: number; readonly time: Micros };

/** A decision with nothing to do (shared: deciding nothing allocates nothing). */
export const NO_COMMANDS: readonly LiquidationCommand[] = Object.freeze([]);

/** A liquidation procedure: hooks that read a view and return commands. */
export interface LiquidationPolicy {
  /** For reports, e.g. `'aave'`. */
  readonly name: string;
  /** Called once when the venue joins the kernel (e.g. to bind a sale account on the exchange). */
  attach(view: LiquidationView): void;
  /**
   * A loan fell below maintenance, or is still liquidatable after a partial
   * liquidation (`again`). Runs inside the index's crossing loop: its
   * commands must not re-index loans.
   */
  onUnhealthy(view: LiquidationView, loan: LoanView, again: boolean): readonly LiquidationCommand[];
  /** A lender's call passed its deadline unmet (the venue has marked the loan overdue). */
  onCallOverdue(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[];
  /** The deadline of a health call issued by the venue arrived (the venue has just accrued and re-indexed the loan). */
  onHealthDeadline(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[];
  /** A liquidator's `LiquidateLoan` on an open margin loan: the commands that carry it out, or why not (nothing changes). */
  liquidate(view: LiquidationView, loan: LoanView, liquidator: AgentId, command: LiquidateLoan): readonly LiquidationCommand[] | CreditRejectReason;
  /** An order report from the exchange to the venue (its own sales). */
  onOrderReport(view: LiquidationView, report: OrderReport): readonly LiquidationCommand[];
  /** A wake-up the policy asked for with `WakePolicy`. */
  onWakeup(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[];
  /** Numbers describing the policy's own state, for the venue's `stateHash`. */
  stateDigest(): number[];
  /** Appends violations of the policy's own invariants. */
  validate(view: LiquidationView, errors: string[]): void;
}
