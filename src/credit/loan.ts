/**
 * One loan of the credit venue: a repo-style margin credit line between a
 * lender and a borrower secured by a pledged collateral basket, or an
 * unsecured interbank loan between two lenders.
 *
 * ## Interest (simple, ACT/365, cumulative basis)
 *
 * Repo and money-market loans accrue simple interest: over a period in which
 * the principal `P` and the rate `r` do not change, the interest owed after
 * `t` is `interestCharge(P, r, t) = ⌈P · r · t / (S · year)⌉` (rounding.ts: the
 * borrower pays the sub-unit remainder, once). Interest is accrued lazily,
 * on every touch and on the venue's periodic accrual wake-up, on a cumulative
 * basis: what is booked at time `now` is
 *
 *     interestCharge(P, r, now − basisTime) − bookedSinceBasis
 *
 * so the total booked over any set of accrual times equals the closed form
 * for the whole period exactly, whatever the accrual frequency. The basis
 * restarts (`basisTime = now`, `bookedSinceBasis = 0`) whenever `P` or `r`
 * changes (a draw, a repayment of principal, a write-off, a new rate).
 *
 * Accrued interest is capitalised into the debt (`debt = principal +
 * interest`): it counts for limits, health and repayment, but — simple
 * interest, as in repo — it does not itself bear interest. Repayments pay
 * interest first, then principal.
 *
 * ## Bookkeeping identity
 *
 * For every loan at all times: `lent − repaid + interestBooked − writtenOff =
 * debt` (checked by `CreditMarket.validateInvariants`).
 *
 * @packageDocumentation
 */

import type { LiquidationTrigger } from '../stats/liquidation-triggers.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';
import { interestCharge } from '../market/rounding.js';

/** A margin loan (collateralised credit line) or an unsecured interbank loan. */
export type LoanKind = 'margin' | 'interbank';

/**
 * - `open`: live;
 * - `liquidating`: the venue seized the collateral and is selling it (broker policy); interest frozen;
 * - `closed`: debt repaid, collateral returned;
 * - `defaulted`: closed with bad debt written off (collateral exhausted).
 */
export type LoanStatus = 'open' | 'liquidating' | 'closed' | 'defaulted';

/** Where a margin loan sits in the health index (see `LoanBook`). */
export const IndexSlot = {
  /** Not indexed (closed, liquidating, no debt, or no collateral). */
  None: 0,
  /** Single-leg loan in its instrument's healthy max-heap. */
  Healthy: 1,
  /** Single-leg loan in its instrument's unhealthy min-heap. */
  Unhealthy: 2,
  /** Multi-leg loan in the basket list of each of its instruments. */
  Basket: 3,
} as const;
/** One of the {@link IndexSlot} values. */
export type IndexSlot = (typeof IndexSlot)[keyof typeof IndexSlot];

/** What a liquidation policy may read of a loan (it never changes one). */
export interface LoanView {
  readonly id: number;
  readonly kind: LoanKind;
  readonly status: LoanStatus;
  readonly lender: AgentId;
  readonly borrower: AgentId;
  readonly lenderAccount: number;
  readonly borrowerAccount: number;
  /** Booked debt, minor units. */
  readonly debt: number;
  /** Pledged lots per instrument. */
  readonly qty: readonly number[];
  readonly maintenanceHaircut: readonly number[];
  readonly overdue: boolean;
  readonly unhealthy: boolean;
  readonly healthCallDeadline: Micros;
  /** The debt as it would be after accruing to `now`. */
  debtAt(now: Micros): number;
}

/**
 * A loan's state. Mutated only by the `CreditMarket` that owns it (through
 * the methods below, which keep the bookkeeping identity); everyone else
 * reads. Collateral is held as dense per-instrument arrays (instrument
 * counts are small) — empty for interbank loans.
 */
/**
 * Maps the simulation's trading time to the time interest accrues over.
 * Repo and margin loans charge interest per calendar day, weekends included
 * (the ACT/360 or ACT/365 day counts of money markets), while the kernel only
 * simulates trading hours; the trading calendar (`market/calendar.ts`)
 * supplies this mapping. Non-decreasing in `t`.
 */
export interface InterestClock {
  calendarUs(t: Micros): Micros;
}

/** Interest on the simulation clock itself (no calendar: one session). */
export const SIMULATION_CLOCK: InterestClock = Object.freeze({ calendarUs: (t: Micros) => t });

export class Loan implements LoanView {
  // ---------------------------------------------------------------- money
  /** Principal outstanding, minor units. */
  principal = 0;
  /** Accrued, unpaid interest, minor units (part of the debt). */
  interest = 0;
  /** Annual rate, RATE_SCALE units. */
  rate: number;
  /** Start of the current accrual basis, µs. */
  basisTime: Micros;
  /** Interest booked since `basisTime`, minor units. */
  bookedSinceBasis = 0;
  /** True once interest stops accruing (liquidation under way, or the borrower bank defaulted). */
  frozen = false;

  // ------------------------------------------------------ cumulative flows
  /** Σ drawn, minor units. */
  lent = 0;
  /** Σ repaid by anyone (borrower, liquidator, sale proceeds), minor units. */
  repaid = 0;
  /** Σ interest booked, minor units. */
  interestBooked = 0;
  /** Σ written off (bad debt, or interbank claim written down in clearing), minor units. */
  writtenOff = 0;

  status: LoanStatus = 'open';

  // ------------------------------------------------------------ collateral
  /** Pledged lots per instrument (held in the borrower's ledger account). */
  readonly qty: number[];
  /** Initial haircut when each leg was first pledged, RATE_SCALE units (record). */
  readonly originHaircut: number[];
  /** Current maintenance haircut per instrument, RATE_SCALE units (repriced with the lender's terms). */
  readonly maintenanceHaircut: number[];
  /** Number of instruments with `qty > 0`. */
  legCount = 0;

  // ----------------------------------------------------------------- calls
  /** Amount a lender's call still demands, minor units (0: no call). */
  callRemaining = 0;
  /** The lender called the whole debt. */
  callAll = false;
  /** Deadline of the lender's call, µs (-1: none). */
  callDeadline: Micros = -1;
  /** The lender's call passed its deadline unmet. */
  overdue = false;
  /** Deadline of the venue's health margin call (broker policy), µs (-1: none). */
  healthCallDeadline: Micros = -1;

  // ----------------------------------------------------------------- index
  /** Bumped on every re-index; heap entries with an older version are stale. */
  indexVersion = 0;
  indexSlot: IndexSlot = IndexSlot.None;
  /** Instrument of the single-leg heap entry (-1 otherwise). */
  indexInstrument = -1;
  /** Trigger mark (half-ticks) of the single-leg heap entry. */
  indexKey = 0;
  /** Position in each instrument's basket list (-1: absent). */
  readonly basketPos: number[];
  /** Below maintenance at the last check (the index's flag). */
  unhealthy = false;
  /** What made it unhealthy or overdue last (meaningful once it has been either). */
  trigger: LiquidationTrigger = 'price';

  constructor(
    readonly id: number,
    readonly kind: LoanKind,
    readonly lender: AgentId,
    readonly borrower: AgentId,
    readonly lenderAccount: number,
    readonly borrowerAccount: number,
    readonly openedAt: Micros,
    rate: number,
    instrumentCount: number,
    /** The time interest runs on (calendar time: nights and weekends count); default the simulation clock. */
    private readonly clock: InterestClock = SIMULATION_CLOCK,
  ) {
    this.rate = rate;
    this.basisTime = openedAt;
    const n = kind === 'margin' ? instrumentCount : 0;
    this.qty = new Array<number>(n).fill(0);
    this.originHaircut = new Array<number>(n).fill(0);
    this.maintenanceHaircut = new Array<number>(n).fill(0);
    this.basketPos = new Array<number>(n).fill(-1);
  }

  /** Principal plus accrued (booked) interest, minor units. */
  get debt(): number {
    return this.principal + this.interest;
  }

  /** True while the loan is live (open or being liquidated). */
  get isLive(): boolean {
    return this.status === 'open' || this.status === 'liquidating';
  }

  /** Interest accrued since the last booking but not yet booked (pure). */
  pendingInterest(now: Micros): number {
    if (this.frozen || this.principal === 0 || this.rate === 0 || now <= this.basisTime) return 0;
    return interestCharge(this.principal, this.rate, this.clock.calendarUs(now) - this.clock.calendarUs(this.basisTime)) - this.bookedSinceBasis;
  }

  /** The debt as it would be after accruing to `now` (pure). */
  debtAt(now: Micros): number {
    return this.debt + this.pendingInterest(now);
  }

  /** Books the interest accrued up to `now`; returns the amount booked. */
  accrue(now: Micros): number {
    const owed = this.pendingInterest(now);
    if (owed > 0) {
      this.interest += owed;
      this.bookedSinceBasis += owed;
      this.interestBooked += owed;
    }
    return owed;
  }

  /** Adds `amount` to the principal (a draw); the caller has accrued to `now`. */
  draw(now: Micros, amount: number): void {
    this.principal += amount;
    this.lent += amount;
    this.restartBasis(now);
  }

  /**
   * Books a repayment of `amount ≤ debt`, interest first; the caller has
   * accrued to `now`. Returns the part that paid principal.
   */
  applyRepayment(now: Micros, amount: number): number {
    const toInterest = Math.min(amount, this.interest);
    this.interest -= toInterest;
    const toPrincipal = amount - toInterest;
    this.repaid += amount;
    if (toPrincipal > 0) {
      this.principal -= toPrincipal;
      this.restartBasis(now);
    }
    return toPrincipal;
  }

  /** Writes `amount ≤ debt` off (interest first); the caller has accrued to `now`. */
  writeOff(now: Micros, amount: number): void {
    const toInterest = Math.min(amount, this.interest);
    this.interest -= toInterest;
    const toPrincipal = amount - toInterest;
    this.writtenOff += amount;
    if (toPrincipal > 0) {
      this.principal -= toPrincipal;
      this.restartBasis(now);
    }
  }

  /** Changes the rate from `now` on (the repo rolls at the new rate); the caller has accrued. */
  setRate(now: Micros, rate: number): void {
    if (rate === this.rate) return;
    this.rate = rate;
    this.restartBasis(now);
  }

  /** Stops accrual from `now` on; the caller has accrued. */
  freeze(): void {
    this.frozen = true;
  }

  /** Pledges `qty` more lots of `instrument` (the ledger hold is the caller's). */
  addCollateral(instrument: number, qty: number, haircut: number, maintenance: number): void {
    if (this.qty[instrument] === 0) {
      this.legCount++;
      this.originHaircut[instrument] = haircut;
    }
    this.qty[instrument] = this.qty[instrument] + qty;
    this.maintenanceHaircut[instrument] = maintenance;
  }

  /** Removes `qty ≤ pledged` lots of `instrument` from the basket (release or seizure). */
  removeCollateral(instrument: number, qty: number): void {
    const left = this.qty[instrument] - qty;
    this.qty[instrument] = left;
    if (left === 0) this.legCount--;
  }

  /** The instrument of a single-leg basket, else -1. */
  singleLeg(): number {
    if (this.legCount !== 1) return -1;
    for (let i = 0; i < this.qty.length; i++) if (this.qty[i] > 0) return i;
    return -1;
  }

  /** True while a lender's call or a venue health call is outstanding. */
  get called(): boolean {
    return this.callRemaining > 0 || this.overdue || this.healthCallDeadline >= 0;
  }

  private restartBasis(now: Micros): void {
    this.basisTime = now;
    this.bookedSinceBasis = 0;
  }
}
