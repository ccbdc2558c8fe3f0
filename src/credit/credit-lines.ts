/**
 * Credit lines: the borrower's and lender's commands on loans, and the
 * deadlines of lenders' calls.
 *
 * - **Draws.** One open margin loan per (lender, borrower). A draw
 *   (`RequestLoan`) pledges collateral — lots *held* in the borrower's ledger
 *   account (`Ledger.holdPosition`), so the exchange cannot sell them — and
 *   moves cash lender → borrower. It is granted when, after the draw,
 *   `debt ≤ Σ_legs qty · mark · m · (1 − h_initial)` (cash is not
 *   collateral, so leverage is capped at `1/h` and is built by looping), the
 *   debt is within the lender's `maxPerBorrower`, the lender's total booked
 *   debt within `maxTotal`, and the lender has the cash and has not defaulted.
 * - **Repricing.** When a lender posts new terms, its open loans take the
 *   new maintenance haircuts and rate (repo is rolled at the new terms: the
 *   procyclical leverage channel of Geanakoplos 2010 and Adrian & Shin 2010)
 *   when its schedule says — at once by default, else at each loan's roll or
 *   after notice, in capped steps (terms-schedule.ts, terms-application.ts).
 *   New loans open at the posted terms; new draws and releases use the new
 *   initial haircuts and, when a loan's maintenance haircuts may differ from
 *   the posted ones, must also leave it healthy at its own.
 * - **Calls.** `CallLoan` demands `amount` within `callGracePeriodUs`; unmet
 *   at the deadline, the loan is marked overdue and handed to the
 *   liquidation policy (Aave: liquidatable regardless of HF until the call
 *   is met, close factor 100 %; broker: seized and sold).
 * - **Interbank.** `LendInterbank` lends cash between registered lenders.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';
import { toRateUnits } from '../market/rounding.js';
import type { CreditContext } from './credit-context.js';
import type { CreditTermsChanged, LoanDrawn } from './credit-events.js';
import type {
  CallLoan,
  CollateralLeg,
  CreditRejectReason,
  LendInterbank,
  LoanState,
  PledgeCollateral,
  QueryLoans,
  ReleaseCollateral,
  RepayLoan,
  RequestLoan,
  SetCreditTerms,
} from './credit-messages.js';
import { fraction } from './credit-reports.js';
import { termsFromCommand, type CreditTerms } from './credit-terms.js';
import type { TermsApplication } from './terms-application.js';
import { isImmediateUncapped, sameRules, scheduleFromCommand } from './terms-schedule.js';
import type { HealthWatch } from './health-watch.js';
import type { LenderBooks, LenderRecord } from './lender-books.js';
import type { LiquidationVenue } from './liquidation-venue.js';
import { Loan, type InterestClock } from './loan.js';
import { loanRefusal } from './loan-access.js';
import { ok } from './loan-postings.js';
import { basketValueAfterHaircuts } from './margin.js';

/** What the credit lines work with, beyond the venue's shared context. */
export interface CreditLinesOptions extends CreditContext {
  readonly lenders: LenderBooks;
  readonly health: HealthWatch;
  readonly liquidation: LiquidationVenue;
  readonly accrualIntervalUs: Micros;
  readonly callGracePeriodUs: Micros;
  /** The time interest accrues over. */
  readonly interestClock: InterestClock;
  /** Registers a lender that posts terms unregistered. */
  readonly registerLender: (agent: AgentId) => void;
  /** Applies posted terms to existing loans. */
  readonly terms: TermsApplication;
}

/** The commands on credit lines. */
export class CreditLines {
  private readonly o: CreditLinesOptions;

  constructor(options: CreditLinesOptions) {
    this.o = options;
  }

  setTerms(now: Micros, m: SetCreditTerms, from: AgentId): void {
    const { lenders, reports, kernel } = this.o;
    const terms = termsFromCommand(m, this.o.instruments.length);
    if (terms === null) return reports.reject(from, m.type, 0, 'INVALID_TERMS');
    const schedule = scheduleFromCommand(m.schedule);
    if (schedule === null) return reports.reject(from, m.type, 0, 'INVALID_TERMS');
    let rec = lenders.get(from);
    if (rec === undefined) {
      if (this.o.accountOf(from) < 0) return reports.reject(from, m.type, 0, 'UNKNOWN_ACCOUNT');
      this.o.registerLender(from);
      rec = lenders.get(from) as LenderRecord;
    }
    if (rec.defaulted) return reports.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    // The schedule is the lender's contract with its borrowers: fixed by its first posting.
    if (rec.terms !== null && !sameRules(rec.schedule, schedule)) return reports.reject(from, m.type, 0, 'INVALID_TERMS');
    rec.schedule = schedule;
    rec.terms = terms;
    const { repriced, short } = this.o.terms.posted(now, rec);
    if (kernel.observes('CreditTermsChanged')) {
      const e: CreditTermsChanged = {
        ...reports.stamp('CreditTermsChanged'),
        lender: from,
        haircuts: terms.haircuts.map(fraction),
        maintenanceHaircuts: terms.maintenanceHaircuts.map(fraction),
        annualRate: fraction(terms.annualRate),
        maxPerBorrower: terms.maxPerBorrower,
        maxTotal: terms.maxTotal,
        loansRepriced: repriced,
        loansShort: short,
      };
      kernel.emit(e);
    }
  }

  requestLoan(now: Micros, m: RequestLoan, from: AgentId): void {
    const { lenders, reports, book, ledger, kernel } = this.o;
    const rec = lenders.get(m.lender);
    if (rec === undefined) return reports.reject(from, m.type, 0, 'UNKNOWN_LENDER');
    const terms = rec.terms;
    if (terms === null) return reports.reject(from, m.type, 0, 'NO_TERMS');
    if (rec.defaulted) return reports.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    const account = this.o.accountOf(from);
    if (account < 0) return reports.reject(from, m.type, 0, 'UNKNOWN_ACCOUNT');
    // Lenders fund themselves interbank, not on margin (their equity counts no margin debt).
    if (account === rec.account || lenders.has(from)) return reports.reject(from, m.type, 0, 'NOT_BORROWER');
    if (!isPositiveAmount(m.amount)) return reports.reject(from, m.type, 0, 'INVALID_AMOUNT');
    const pledge = this.parseLegs(m.collateral, account);
    if (typeof pledge === 'string') return reports.reject(from, m.type, 0, pledge);
    const existing = book.marginLoan(m.lender, from);
    const loanId = existing?.id ?? 0;
    if (existing !== undefined && (existing.status !== 'open' || existing.called)) return reports.reject(from, m.type, loanId, 'LOAN_CALLED');
    const pending = existing === undefined ? 0 : existing.pendingInterest(now);
    const debtAfter = (existing === undefined ? 0 : existing.debt + pending) + m.amount;
    if (debtAfter > terms.maxPerBorrower) return reports.reject(from, m.type, loanId, 'BEYOND_BORROWER_LIMIT');
    const lenderTotalAfter = rec.marginClaims + pending + m.amount;
    if (lenderTotalAfter > terms.maxTotal) return reports.reject(from, m.type, loanId, 'BEYOND_LENDER_LIMIT');
    const lenderCashBefore = ledger.availableCash(rec.account);
    if (lenderCashBefore < m.amount) return reports.reject(from, m.type, loanId, 'INSUFFICIENT_LENDER_CASH');
    const pledged = existing === undefined ? pledge : pledge.map((q, i) => q + existing.qty[i]);
    const capacity = basketValueAfterHaircuts(pledged, this.o.marksHalfTicks, this.o.minorPerTickLot, terms.haircuts);
    if (debtAfter > capacity) return reports.reject(from, m.type, loanId, 'INSUFFICIENT_COLLATERAL');
    if (existing !== undefined && !this.healthyAfter(existing, rec, pledged, debtAfter)) return reports.reject(from, m.type, loanId, 'INSUFFICIENT_COLLATERAL');

    // Every check passed: book it.
    let loan = existing;
    if (loan === undefined) {
      const n = this.o.instruments.length;
      loan = new Loan(book.nextId, 'margin', m.lender, from, rec.account, account, now, terms.annualRate, n, this.o.interestClock);
      for (let i = 0; i < n; i++) loan.maintenanceHaircut[i] = terms.maintenanceHaircuts[i];
      book.add(loan);
      reports.emitOpened(loan);
      this.ensureAccrual(now);
      this.o.terms.opened(now, loan, rec);
    } else {
      this.o.postings.accrue(loan);
    }
    const pledgedLegs = this.o.postings.pledgeLegs(loan, pledge, terms);
    ok(ledger.transferCash(rec.account, account, m.amount));
    loan.draw(now, m.amount);
    lenders.adjust(loan, m.amount);
    if (loan.debt > terms.maxPerBorrower || rec.marginClaims > terms.maxTotal) rec.limitBreaches++;
    this.o.health.reindex(loan, 'borrow');
    const state = reports.stateOf(loan);
    reports.tell(from, { type: 'LoanGranted', loan: state, drawn: m.amount });
    reports.tell(m.lender, { type: 'LoanGranted', loan: state, drawn: m.amount });
    if (kernel.observes('LoanDrawn')) {
      const e: LoanDrawn = {
        ...reports.stamp('LoanDrawn'),
        loanId: loan.id,
        lender: m.lender,
        borrower: from,
        amount: m.amount,
        pledged: pledgedLegs,
        debtAfter: loan.debt,
        lenderCashBefore,
        limits: { lenderTotalAfter: rec.marginClaims, capacity, maxPerBorrower: terms.maxPerBorrower, maxTotal: terms.maxTotal },
      };
      kernel.emit(e);
    }
  }

  repayLoan(now: Micros, m: RepayLoan, from: AgentId): void {
    const { reports } = this.o;
    const refusal = loanRefusal(this.o.book, m.loanId, from, 'borrower', false);
    if (refusal !== null) return reports.reject(from, m.type, m.loanId, refusal);
    const loan = this.o.book.get(m.loanId) as Loan;
    if (!isPositiveAmount(m.amount)) return reports.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    if (m.amount > loan.debtAt(now)) return reports.reject(from, m.type, m.loanId, 'REPAY_EXCEEDS_DEBT');
    if (this.o.ledger.availableCash(loan.borrowerAccount) < m.amount) return reports.reject(from, m.type, m.loanId, 'INSUFFICIENT_CASH');
    this.o.postings.accrue(loan);
    this.o.postings.repay(loan, from, loan.borrowerAccount, m.amount);
    const closed = loan.debt === 0;
    if (closed) this.o.postings.close(loan, 'closed');
    else this.o.health.reindex(loan, 'interest');
    reports.tell(from, { type: 'LoanRepaid', loan: reports.stateOf(loan), amount: m.amount, closed });
  }

  pledge(m: PledgeCollateral, from: AgentId): void {
    const { reports } = this.o;
    const refusal = loanRefusal(this.o.book, m.loanId, from, 'borrower', true);
    if (refusal !== null) return reports.reject(from, m.type, m.loanId, refusal);
    const loan = this.o.book.get(m.loanId) as Loan;
    const pledge = this.parseLegs(m.collateral, loan.borrowerAccount);
    if (typeof pledge === 'string') return reports.reject(from, m.type, m.loanId, pledge);
    if (!pledge.some((q) => q > 0)) return reports.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    const terms = (this.o.lenders.get(loan.lender) as LenderRecord).terms as CreditTerms;
    this.o.postings.accrue(loan);
    this.o.postings.pledgeLegs(loan, pledge, terms);
    this.o.health.reindex(loan, 'collateral');
    reports.tell(from, { type: 'CollateralChanged', loan: reports.stateOf(loan) });
  }

  releaseCollateral(now: Micros, m: ReleaseCollateral, from: AgentId): void {
    const { reports } = this.o;
    const refusal = loanRefusal(this.o.book, m.loanId, from, 'borrower', true);
    if (refusal !== null) return reports.reject(from, m.type, m.loanId, refusal);
    const loan = this.o.book.get(m.loanId) as Loan;
    if (loan.called) return reports.reject(from, m.type, m.loanId, 'LOAN_CALLED');
    const release = this.parseLegs(m.collateral, -1);
    if (typeof release === 'string') return reports.reject(from, m.type, m.loanId, release);
    if (!release.some((q) => q > 0)) return reports.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    const rec = this.o.lenders.get(loan.lender) as LenderRecord;
    const terms = rec.terms as CreditTerms;
    const kept = loan.qty.map((q, i) => q - release[i]);
    if (kept.some((q) => q < 0)) return reports.reject(from, m.type, m.loanId, 'INSUFFICIENT_COLLATERAL');
    const debt = loan.debtAt(now);
    if (debt > basketValueAfterHaircuts(kept, this.o.marksHalfTicks, this.o.minorPerTickLot, terms.haircuts)) return reports.reject(from, m.type, m.loanId, 'INSUFFICIENT_COLLATERAL');
    if (!this.healthyAfter(loan, rec, kept, debt)) return reports.reject(from, m.type, m.loanId, 'INSUFFICIENT_COLLATERAL');
    this.o.postings.accrue(loan);
    this.o.postings.releaseLegs(loan, release);
    this.o.health.reindex(loan, 'collateral');
    reports.tell(from, { type: 'CollateralChanged', loan: reports.stateOf(loan) });
  }

  callLoan(now: Micros, m: CallLoan, from: AgentId): void {
    const { reports } = this.o;
    const refusal = loanRefusal(this.o.book, m.loanId, from, 'lender', true);
    if (refusal !== null) return reports.reject(from, m.type, m.loanId, refusal);
    const loan = this.o.book.get(m.loanId) as Loan;
    if (!isPositiveAmount(m.amount)) return reports.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    if (loan.callRemaining > 0 || loan.overdue) return reports.reject(from, m.type, m.loanId, 'LOAN_CALLED');
    this.o.postings.accrue(loan);
    this.o.health.reindex(loan, 'interest');
    loan.callAll = m.amount >= loan.debt;
    loan.callRemaining = Math.min(m.amount, loan.debt);
    loan.callDeadline = now + this.o.callGracePeriodUs;
    this.o.timers.setLoanTimer('lender-call', loan.id, loan.callDeadline);
    reports.sendMarginCall(loan, loan.callRemaining, loan.callDeadline, 'lender');
  }

  /** A loan's deadline: a lender's call or the venue's health call may be due (none on a loan forgotten since: it closed). */
  deadline(now: Micros, loanId: number): void {
    const loan = this.o.book.get(loanId);
    if (loan === undefined || loan.status !== 'open') return;
    if (loan.callDeadline >= 0 && now >= loan.callDeadline && loan.callRemaining > 0 && !loan.overdue) {
      loan.callDeadline = -1;
      loan.overdue = true;
      loan.trigger = 'call';
      // Re-index at the accrued debt; the policy's overdue handling is the notification.
      const was = loan.unhealthy;
      this.o.postings.accrue(loan);
      this.o.book.reindex(loan, this.o.marksHalfTicks);
      if (!was && loan.unhealthy) this.o.reports.emitUnhealthy(loan);
      this.o.liquidation.onCallOverdue(loan);
    }
    if (loan.status === 'open' && loan.healthCallDeadline >= 0 && now >= loan.healthCallDeadline) {
      // Refreshed while the call still stands, so a still-unhealthy loan does not get a second call.
      this.o.postings.accrue(loan);
      this.o.health.reindex(loan, 'interest');
      this.o.liquidation.onHealthDeadline(loan);
    }
  }

  queryLoans(m: QueryLoans, from: AgentId): void {
    const out: LoanState[] = [];
    const live = this.o.book.live();
    for (let k = 0; k < live.length; k++) {
      const loan = live[k] as Loan;
      if (m.unhealthyOnly && !(loan.kind === 'margin' && loan.status === 'open' && (loan.unhealthy || loan.overdue))) continue;
      out.push(this.o.reports.stateOf(loan));
    }
    this.o.reports.tell(from, { type: 'LoansReported', loans: out });
  }

  lendInterbank(now: Micros, m: LendInterbank, from: AgentId): void {
    const { lenders, reports, book, ledger, kernel } = this.o;
    const lender = lenders.get(from);
    if (lender === undefined) return reports.reject(from, m.type, 0, 'NOT_LENDER');
    if (lender.defaulted) return reports.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    const borrower = lenders.get(m.borrower);
    if (borrower === undefined) return reports.reject(from, m.type, 0, 'UNKNOWN_LENDER');
    if (borrower.defaulted) return reports.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    if (borrower === lender || !isPositiveAmount(m.amount)) return reports.reject(from, m.type, 0, 'INVALID_AMOUNT');
    if (typeof m.annualRate !== 'number' || !Number.isFinite(m.annualRate) || m.annualRate < 0 || m.annualRate > 1000) return reports.reject(from, m.type, 0, 'INVALID_TERMS');
    const cashBefore = ledger.availableCash(lender.account);
    if (cashBefore < m.amount) return reports.reject(from, m.type, 0, 'INSUFFICIENT_LENDER_CASH');
    const loan = new Loan(book.nextId, 'interbank', from, m.borrower, lender.account, borrower.account, now, toRateUnits(m.annualRate), this.o.instruments.length, this.o.interestClock);
    book.add(loan);
    reports.emitOpened(loan);
    this.ensureAccrual(now);
    ok(ledger.transferCash(lender.account, borrower.account, m.amount));
    loan.draw(now, m.amount);
    lenders.adjust(loan, m.amount);
    const state = reports.stateOf(loan);
    reports.tell(from, { type: 'LoanGranted', loan: state, drawn: m.amount });
    reports.tell(m.borrower, { type: 'LoanGranted', loan: state, drawn: m.amount });
    if (kernel.observes('LoanDrawn')) {
      const e: LoanDrawn = {
        ...reports.stamp('LoanDrawn'),
        loanId: loan.id,
        lender: from,
        borrower: m.borrower,
        amount: m.amount,
        pledged: [],
        debtAfter: loan.debt,
        lenderCashBefore: cashBefore,
        limits: null,
      };
      kernel.emit(e);
    }
  }

  /**
   * True when a loan with `qty` pledged and `debt` owed would be healthy at
   * its own maintenance haircuts. Under the default schedule they are the
   * posted ones, below the initial haircuts the draw was just checked
   * against, so the check is skipped; under a roll, a notice or a cap they
   * may be higher (the lender lowered its haircuts and the loan has not
   * rolled yet), and a draw or release may not put the loan straight into
   * liquidation.
   */
  private healthyAfter(loan: Loan, rec: LenderRecord, qty: readonly number[], debt: number): boolean {
    if (isImmediateUncapped(rec.schedule)) return true;
    return debt <= basketValueAfterHaircuts(qty, this.o.marksHalfTicks, this.o.minorPerTickLot, loan.maintenanceHaircut);
  }

  /** Starts the periodic accrual with the first loan (none when the interval is 0). */
  ensureAccrual(now: Micros): void {
    if (this.o.accrualIntervalUs === 0) return;
    this.o.timers.accrualAt(now + this.o.accrualIntervalUs);
  }

  /** Validates collateral legs into a dense per-instrument array; with `account ≥ 0`, checks its free lots. */
  private parseLegs(legs: readonly CollateralLeg[], account: number): number[] | CreditRejectReason {
    const { ledger, instruments } = this.o;
    if (!Array.isArray(legs)) return 'INVALID_AMOUNT';
    const out = new Array<number>(instruments.length).fill(0);
    for (const leg of legs) {
      if (!ledger.hasInstrument(leg.instrument) || leg.instrument >= instruments.length) return 'UNKNOWN_INSTRUMENT';
      if (!isPositiveAmount(leg.qty)) return 'INVALID_AMOUNT';
      out[leg.instrument] = out[leg.instrument] + leg.qty;
      if (!Number.isSafeInteger(out[leg.instrument])) return 'INVALID_AMOUNT';
    }
    if (account >= 0) {
      for (let i = 0; i < out.length; i++) if (out[i] > 0 && ledger.availablePosition(account, i) < out[i]) return 'INSUFFICIENT_POSITION';
    }
    return out;
  }
}

/** A positive safe integer amount. */
function isPositiveAmount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}
