/**
 * Lenders' balance sheets at the credit venue, and the debt aggregates the
 * venue keeps per lender, per borrower and in total.
 *
 * A lender's book equity is
 * `cash + Σ margin claims + Σ interbank claims − Σ interbank liabilities −
 * external liabilities` (claims and liabilities at booked debt; a lender's
 * positions, if any, are not counted: lenders are cash institutions).
 * For a lender whose account only this venue moves, at all times:
 *
 *     equity = capital + interestEarned − interestPaid − badDebt
 *              − claimsWrittenDown + liabilitiesForgiven
 *
 * with `capital` = cash − external liabilities at registration.
 *
 * The books also remember that a loss was booked since the last clearing
 * (`solvencyDirty`) and that a defaulted lender was paid (`sweepDirty`), for
 * receivership.ts to act on after the delivery.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { Scheduled } from '../engine/kernel.js';
import type { Ledger } from '../market/ledger.js';
import { RATE_SCALE } from '../market/rounding.js';
import type { CreditTerms } from './credit-terms.js';
import type { Loan } from './loan.js';
import type { RollQueue } from './roll-queue.js';
import { IMMEDIATE, type ScheduleRules } from './terms-schedule.js';

/** Options of a lender at registration. */
export interface LenderOptions {
  /** Liabilities to creditors outside the simulation (e.g. deposits), minor units (default 0). */
  readonly externalLiabilities?: number;
}

/** A lender's balance sheet and history, minor units (booked figures). */
export interface LenderView {
  readonly agent: AgentId;
  readonly account: number;
  readonly cash: number;
  /** Σ booked debt of its margin loans. */
  readonly marginClaims: number;
  /** Σ booked debt of the interbank loans it made. */
  readonly interbankClaims: number;
  /** marginClaims + interbankClaims. */
  readonly claims: number;
  /** Σ booked debt of the interbank loans it owes. */
  readonly interbankLiabilities: number;
  readonly externalLiabilities: number;
  /** interbankLiabilities + externalLiabilities. */
  readonly liabilities: number;
  /** cash + claims − liabilities. */
  readonly equity: number;
  /** Equity at registration. */
  readonly capital: number;
  readonly interestEarned: number;
  readonly interestPaid: number;
  readonly badDebt: number;
  /** Its interbank claims written down in clearing. */
  readonly claimsWrittenDown: number;
  /** Its liabilities written down in clearing (its own default). */
  readonly liabilitiesForgiven: number;
  readonly defaulted: boolean;
  /** Recovery rate of its last clearing (1 if it never defaulted). */
  readonly recoveryRate: number;
  /** Draws that were found beyond a limit after booking (always 0: an audit counter). */
  readonly limitBreaches: number;
}

/** A lender's mutable record. */
export class LenderRecord {
  terms: CreditTerms | null = null;
  marginClaims = 0;
  interbankClaims = 0;
  interbankLiabilities = 0;
  interestEarned = 0;
  interestPaid = 0;
  badDebt = 0;
  claimsWrittenDown = 0;
  liabilitiesForgiven = 0;
  defaulted = false;
  recoveryRate = 1;
  lossSinceClearing = false;
  limitBreaches = 0;
  /** When its postings reach its existing loans (terms-schedule.ts); fixed by its first posting. */
  schedule: ScheduleRules = IMMEDIATE;
  /** The delivery of its latest accepted posting, kept under `roll` and `notice`: the cause of their applications. */
  lastPosting: Scheduled | null = null;
  /** Under `roll`: its loans' roll times. */
  rolls: RollQueue | null = null;
  /** Under `notice`: the terms last applied to its loans (its first posting's, to begin with); a posting equal to them gives no notice. */
  applied: CreditTerms | null = null;

  constructor(
    readonly agent: AgentId,
    readonly account: number,
    public externalLiabilities: number,
    readonly capital: number,
  ) {}
}

/** Every lender's record, in registration order, and the debt aggregates. */
export class LenderBooks {
  private readonly byAgent = new Map<AgentId, LenderRecord>();
  /** Records in registration order (do not mutate the array). */
  readonly list: LenderRecord[] = [];
  /** Booked margin debt per borrower (entries stay at 0 once repaid). */
  readonly borrowerDebts = new Map<AgentId, number>();
  /** Σ booked debt of all margin loans. */
  marginDebt = 0;
  /** Σ bad debt written off so far. */
  badDebtTotal = 0;
  /** A loss or accrual was booked since the last solvency check. */
  solvencyDirty = false;
  /** A defaulted lender may have free cash to pay out. */
  sweepDirty = false;

  constructor(private readonly ledger: Ledger) {}

  /**
   * Registers a lender with its capital (cash − external liabilities) now.
   *
   * @throws Error (set-up bug) when already registered
   */
  register(agent: AgentId, account: number, options: LenderOptions = {}): LenderRecord {
    if (this.byAgent.has(agent)) throw new Error(`lender ${agent} is already registered`);
    const ext = options.externalLiabilities ?? 0;
    if (!Number.isSafeInteger(ext) || ext < 0) throw new RangeError('externalLiabilities must be a non-negative safe integer');
    const rec = new LenderRecord(agent, account, ext, this.ledger.cash(account) - ext);
    this.byAgent.set(agent, rec);
    this.list.push(rec);
    return rec;
  }

  get(agent: AgentId): LenderRecord | undefined {
    return this.byAgent.get(agent);
  }

  has(agent: AgentId): boolean {
    return this.byAgent.has(agent);
  }

  /** Adds `delta` to the loan's debt aggregates (lender, borrower, totals). */
  adjust(loan: Loan, delta: number): void {
    const lender = this.byAgent.get(loan.lender) as LenderRecord;
    if (loan.kind === 'margin') {
      lender.marginClaims += delta;
      this.marginDebt += delta;
      this.borrowerDebts.set(loan.borrower, (this.borrowerDebts.get(loan.borrower) ?? 0) + delta);
    } else {
      lender.interbankClaims += delta;
      (this.byAgent.get(loan.borrower) as LenderRecord).interbankLiabilities += delta;
    }
  }

  /** Books `amount` of interest accrued on the loan: the lender earns it, an interbank borrower pays it. */
  bookInterest(loan: Loan, amount: number): void {
    this.adjust(loan, amount);
    (this.byAgent.get(loan.lender) as LenderRecord).interestEarned += amount;
    if (loan.kind === 'interbank') (this.byAgent.get(loan.borrower) as LenderRecord).interestPaid += amount;
  }

  /** Books `amount` written off the loan as bad debt, a loss to its lender; returns the lender. */
  bookBadDebt(loan: Loan, amount: number): LenderRecord {
    const rec = this.byAgent.get(loan.lender) as LenderRecord;
    this.adjust(loan, -amount);
    rec.badDebt += amount;
    this.badDebtTotal += amount;
    rec.lossSinceClearing = true;
    this.solvencyDirty = true;
    return rec;
  }

  equityOf(r: LenderRecord): number {
    return this.ledger.cash(r.account) + r.marginClaims + r.interbankClaims - r.interbankLiabilities - r.externalLiabilities;
  }

  /** A lender's balance sheet, or undefined. */
  view(agent: AgentId): LenderView | undefined {
    const r = this.byAgent.get(agent);
    if (r === undefined) return undefined;
    return {
      agent: r.agent,
      account: r.account,
      cash: this.ledger.cash(r.account),
      marginClaims: r.marginClaims,
      interbankClaims: r.interbankClaims,
      claims: r.marginClaims + r.interbankClaims,
      interbankLiabilities: r.interbankLiabilities,
      externalLiabilities: r.externalLiabilities,
      liabilities: r.interbankLiabilities + r.externalLiabilities,
      equity: this.equityOf(r),
      capital: r.capital,
      interestEarned: r.interestEarned,
      interestPaid: r.interestPaid,
      badDebt: r.badDebt,
      claimsWrittenDown: r.claimsWrittenDown,
      liabilitiesForgiven: r.liabilitiesForgiven,
      defaulted: r.defaulted,
      recoveryRate: r.recoveryRate,
      limitBreaches: r.limitBreaches,
    };
  }

  /** A lender's book equity, minor units (NaN if unknown). */
  equity(agent: AgentId): number {
    const r = this.byAgent.get(agent);
    return r === undefined ? Number.NaN : this.equityOf(r);
  }

  /** Σ equity over lenders not in default, minor units. */
  totalEquity(): number {
    let s = 0;
    for (const r of this.list) if (!r.defaulted) s += this.equityOf(r);
    return s;
  }

  /**
   * Mean initial haircut on `instrument` over lenders that have posted terms
   * and are not in default (a plain fraction; NaN when there is none).
   */
  meanHaircut(instrument: number): number {
    let s = 0;
    let n = 0;
    for (const r of this.list) {
      if (r.terms === null || r.defaulted) continue;
      s += r.terms.haircuts[instrument];
      n++;
    }
    return n === 0 ? Number.NaN : s / n / RATE_SCALE;
  }
}
