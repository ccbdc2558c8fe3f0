import type { AgentId } from '../engine/agent-id.js';
import type { Message } from '../engine/message.js';
import type { InstrumentId } from '../market/instrument.js';

/**
 * Messages of the credit venue (`CreditMarket`): margin loans (repo-style
 * credit lines) between lenders and borrowers, collateral, margin calls and
 * liquidations. Amounts of cash are integer minor units, collateral integer
 * lots, rates and haircuts plain numbers that the venue converts once to
 * fixed point (see rounding.ts). Commands are imperative, reports past tense.
 *
 * One open loan (credit line) exists per (lender, borrower) pair; a further
 * `RequestLoan` to the same lender draws more on it. Its collateral is a
 * basket of pledged lots, held in the borrower's ledger account (pledged lots
 * cannot be sold on the exchange until released or seized).
 */

/** A quantity of one instrument pledged as collateral. */
export interface CollateralLeg {
  readonly instrument: InstrumentId;
  /** Lots, a positive safe integer. */
  readonly qty: number;
}

// ---------------------------------------------------------------- commands

/**
 * When a lender's new maintenance haircuts (and rate) reach its existing
 * loans, and how far one application may move a haircut (terms-schedule.ts
 * has the rules and the sources):
 *
 * - `immediate`: every open loan is repriced when the terms are posted;
 * - `roll`: a loan keeps the terms it was opened (or last rolled) at until
 *   its next roll, every `rollIntervalUs` of calendar time after it opened;
 * - `notice`: a posting reaches existing loans `noticeUs` after it was
 *   posted (later postings within the notice supersede it).
 *
 * `maxHaircutStep` (a fraction in (0, 1]; 1: no cap) is the largest change of
 * a loan's maintenance haircut in one application. New loans and new draws
 * always use the posted terms.
 */
export interface TermsSchedule {
  readonly apply: 'immediate' | 'roll' | 'notice';
  /** `roll`: calendar time between a loan's rolls, µs, > 0. */
  readonly rollIntervalUs: number;
  /** `notice`: time from a posting to its application, µs, > 0. */
  readonly noticeUs: number;
  /** Largest change of a maintenance haircut per application, in (0, 1]. */
  readonly maxHaircutStep: number;
}

/**
 * Lender → venue: the terms on which it lends from now on. `haircuts[i]` is
 * the initial haircut h on instrument i (max leverage 1/h; 1 = not accepted as
 * collateral); the maintenance haircut, below which the loan is unhealthy, is
 * `maintenanceHaircuts[i]` (≤ the initial one). Existing loans are repriced to
 * the new maintenance haircuts as `schedule` says: at once without one (repo
 * rolled at the new terms), else at their roll or after notice, in capped
 * steps. A lender's schedule is fixed by its first accepted posting: a later
 * posting with another schedule is refused (`INVALID_TERMS`).
 */
export interface SetCreditTerms extends Message {
  readonly type: 'SetCreditTerms';
  readonly haircuts: readonly number[];
  readonly maintenanceHaircuts: readonly number[];
  /** Simple annual interest rate, e.g. 0.05. */
  readonly annualRate: number;
  /** Largest debt one borrower may owe this lender, minor units. */
  readonly maxPerBorrower: number;
  /** Largest total debt owed to this lender, minor units. */
  readonly maxTotal: number;
  /** When the terms reach existing loans; absent: at once, uncapped (`immediate`). */
  readonly schedule?: TermsSchedule;
}

/** Borrower → venue: pledge `collateral` (may be empty) and borrow `amount` more from `lender`. */
export interface RequestLoan extends Message {
  readonly type: 'RequestLoan';
  readonly lender: AgentId;
  readonly amount: number;
  readonly collateral: readonly CollateralLeg[];
}

/** Borrower → venue: repay `amount` of a loan's debt (interest first, then principal). */
export interface RepayLoan extends Message {
  readonly type: 'RepayLoan';
  readonly loanId: number;
  readonly amount: number;
}

/** Borrower → venue: pledge more collateral to a loan (a top-up). */
export interface PledgeCollateral extends Message {
  readonly type: 'PledgeCollateral';
  readonly loanId: number;
  readonly collateral: readonly CollateralLeg[];
}

/** Borrower → venue: take collateral back; allowed while the loan stays within its initial haircuts. */
export interface ReleaseCollateral extends Message {
  readonly type: 'ReleaseCollateral';
  readonly loanId: number;
  readonly collateral: readonly CollateralLeg[];
}

/** Lender → venue: demand repayment of `amount` (all of it when ≥ the debt) within the grace period. */
export interface CallLoan extends Message {
  readonly type: 'CallLoan';
  readonly loanId: number;
  readonly amount: number;
}

/**
 * Liquidator → venue: repay up to `repayAmount` of an unhealthy loan's debt
 * and seize collateral of `instrument` worth that plus the bonus. The venue
 * clamps the repayment to the policy's close factor; the first valid call wins.
 */
export interface LiquidateLoan extends Message {
  readonly type: 'LiquidateLoan';
  readonly loanId: number;
  readonly instrument: InstrumentId;
  readonly repayAmount: number;
}

/** Liquidator → venue: tell me whenever a loan becomes liquidatable. */
export interface SubscribeLiquidations extends Message {
  readonly type: 'SubscribeLiquidations';
}

/** Anyone → venue: send me the state of loans (all, or only the unhealthy ones). */
export interface QueryLoans extends Message {
  readonly type: 'QueryLoans';
  readonly unhealthyOnly: boolean;
}

/** Lender → venue: lend `amount` unsecured to another lender (interbank funding), at `annualRate`. */
export interface LendInterbank extends Message {
  readonly type: 'LendInterbank';
  readonly borrower: AgentId;
  readonly amount: number;
  readonly annualRate: number;
}

// ----------------------------------------------------------------- reports

/** Why a credit command was refused. Nothing changed. */
export type CreditRejectReason =
  | 'UNKNOWN_LENDER'
  | 'UNKNOWN_LOAN'
  | 'UNKNOWN_INSTRUMENT'
  | 'UNKNOWN_ACCOUNT'
  | 'NOT_BORROWER'
  | 'NOT_LENDER'
  | 'NO_TERMS'
  | 'LENDER_DEFAULTED'
  | 'INVALID_AMOUNT'
  | 'INVALID_TERMS'
  | 'BEYOND_BORROWER_LIMIT'
  | 'BEYOND_LENDER_LIMIT'
  | 'INSUFFICIENT_LENDER_CASH'
  | 'INSUFFICIENT_COLLATERAL'
  | 'INSUFFICIENT_POSITION'
  | 'INSUFFICIENT_CASH'
  | 'REPAY_EXCEEDS_DEBT'
  | 'LOAN_HEALTHY'
  | 'LOAN_CLOSED'
  | 'INSUFFICIENT_CAPITAL'
  | 'NOTHING_TO_SEIZE'
  /** The repayment offered does not buy one lot, or is below the cost of a required close-out (see `LoanLiquidatable.maxRepay`). */
  | 'REPAY_BELOW_MINIMUM'
  /** The loan is called, overdue or being liquidated: no new draws, releases or calls. */
  | 'LOAN_CALLED'
  /** The liquidation policy is the venue's own (broker): liquidators are not used. */
  | 'VENUE_LIQUIDATES'
  /** A liquidator may not liquidate a loan of its own (as borrower or lender). */
  | 'SELF_LIQUIDATION';

/** Venue → sender: a command was refused. */
export interface CreditRejected extends Message {
  readonly type: 'CreditRejected';
  readonly command: string;
  readonly loanId: number;
  readonly reason: CreditRejectReason;
}

/** The public state of a loan, as reported. Prices used are the venue's mark prices. */
export interface LoanState {
  readonly loanId: number;
  readonly lender: AgentId;
  readonly borrower: AgentId;
  /** Principal plus accrued interest, minor units. */
  readonly debt: number;
  readonly collateral: readonly CollateralLeg[];
  /** Σ collateral · mark · (1 − maintenance haircut) / debt; Infinity without debt. */
  readonly healthFactor: number;
  /** True while a margin call is outstanding. */
  readonly called: boolean;
}

/** Venue → borrower (and lender): the loan was opened or drawn further; `drawn` cash arrived. */
export interface LoanGranted extends Message {
  readonly type: 'LoanGranted';
  readonly loan: LoanState;
  readonly drawn: number;
}

/** Venue → borrower: a repayment was booked. */
export interface LoanRepaid extends Message {
  readonly type: 'LoanRepaid';
  readonly loan: LoanState;
  readonly amount: number;
  readonly closed: boolean;
}

/** Venue → borrower: collateral pledged or released. */
export interface CollateralChanged extends Message {
  readonly type: 'CollateralChanged';
  readonly loan: LoanState;
}

/** Venue → borrower (and lender): repay `amount` by `deadline` (µs) or be liquidated. */
export interface MarginCalled extends Message {
  readonly type: 'MarginCalled';
  readonly loan: LoanState;
  readonly amount: number;
  readonly deadline: number;
}

/** Venue → liquidator subscribers: a loan fell below maintenance. */
export interface LoanLiquidatable extends Message {
  readonly type: 'LoanLiquidatable';
  readonly loan: LoanState;
  /**
   * Most the next liquidation may repay (close factor × debt), minor units —
   * or, when only a close-out is allowed (a partial liquidation would lower
   * the health factor), the close-out's cost, which is then also the minimum.
   */
  readonly maxRepay: number;
  /** Bonus on seized collateral, e.g. 0.05. */
  readonly bonus: number;
}

/** Venue → liquidator, borrower and lender: a liquidation happened. */
export interface LoanLiquidated extends Message {
  readonly type: 'LoanLiquidated';
  readonly loan: LoanState;
  readonly liquidator: AgentId;
  readonly instrument: InstrumentId;
  /**
   * Lots taken from the borrower's account: those moved to the liquidator
   * (or to the venue's sale account) plus `protocolQty`.
   */
  readonly seizedQty: number;
  /** Of `seizedQty`, the lots paid to the protocol's account (its share of the bonus); the liquidator receives `seizedQty − protocolQty`. */
  readonly protocolQty: number;
  readonly debtRepaid: number;
  /** Debt written off because the collateral ran out (0 otherwise). */
  readonly badDebt: number;
}

/** Venue → query sender: loans. */
export interface LoansReported extends Message {
  readonly type: 'LoansReported';
  readonly loans: readonly LoanState[];
}

/** Commands the credit venue accepts. */
export type CreditCommand =
  | SetCreditTerms
  | RequestLoan
  | RepayLoan
  | PledgeCollateral
  | ReleaseCollateral
  | CallLoan
  | LiquidateLoan
  | SubscribeLiquidations
  | QueryLoans
  | LendInterbank;

/** Reports the credit venue sends. */
export type CreditReport = CreditRejected | LoanGranted | LoanRepaid | CollateralChanged | MarginCalled | LoanLiquidatable | LoanLiquidated | LoansReported;
