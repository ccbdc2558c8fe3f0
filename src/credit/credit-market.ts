import { StateHasher } from '../engine/state-hasher.js';
/**
 * The credit venue: margin loans (repo-style credit lines), collateral,
 * margin calls, liquidations, bad debt, interbank lending and lender default.
 *
 * ## Model
 *
 * - **Credit lines.** One open margin loan per (lender, borrower). A draw
 *   (`RequestLoan`) pledges collateral — lots *held* in the borrower's ledger
 *   account (`Ledger.holdPosition`), so the exchange cannot sell them — and
 *   moves cash lender → borrower. It is granted when, after the draw,
 *   `debt ≤ Σ_legs qty · mark · m · (1 − h_initial)` (cash is not
 *   collateral, so leverage is capped at `1/h` and is built by looping), the
 *   debt is within the lender's `maxPerBorrower`, the lender's total booked
 *   debt within `maxTotal`, and the lender has the cash and has not defaulted.
 * - **Health.** `HF = Σ qty · mark · m · (1 − h_maint) / debt` (Aave v3's
 *   health factor, `LT = 1 − h_maint`); unhealthy when `< 1`. Marks are the
 *   exchange's `markPrice` (mid, else last trade); when it has none, the last
 *   known mark is kept. Health uses the *booked* debt: interest accrues
 *   lazily (on every touch and every `accrualIntervalUs`), so between
 *   bookings the index lags the accruing interest by at most one interval.
 * - **Repricing.** When a lender posts new terms, every open loan of that
 *   lender rolls at once at the new maintenance haircuts and rate (repo is
 *   rolled at the new terms: the procyclical leverage channel of Geanakoplos
 *   2010 and Adrian & Shin 2010). New draws and releases use the new initial
 *   haircuts.
 * - **Interest**: simple, ACT/365, cumulative basis (loan.ts), capitalised
 *   into debt, paid first.
 * - **Calls.** `CallLoan` demands `amount` within `callGracePeriodUs`; unmet
 *   at the deadline, the loan is liquidated per the policy (Aave: marked
 *   liquidatable regardless of HF until the call is met, close factor 100 %;
 *   broker: seized and sold).
 * - **Liquidation**: a {@link LiquidationPolicy}.
 * - **Lenders.** A lender's book equity is
 *   `cash + Σ margin claims + Σ interbank claims − Σ interbank liabilities −
 *   external liabilities` (claims and liabilities at booked debt; a lender's
 *   positions, if any, are not counted: lenders are cash institutions).
 *   For a lender whose account only this venue moves, at all times:
 *
 *       equity = capital + interestEarned − interestPaid − badDebt
 *                − claimsWrittenDown + liabilitiesForgiven
 *
 *   with `capital` = cash − external liabilities at registration.
 * - **Default and contagion.** When a loss (bad debt, a write-down, interest)
 *   leaves a lender with negative equity, the venue clears the interbank
 *   network by Eisenberg & Noe (2001) (interbank-clearing.ts) with outside
 *   assets `e_i = cash + margin claims`. Every bank whose clearing payment
 *   falls short of its obligations defaults: it stops lending and borrowing,
 *   the interest on its liabilities stops, and each of its liabilities
 *   (interbank and external) is written down to `⌈face · p_i / p̄_i⌉`
 *   (the defaulter bears the sub-unit remainder); creditors book the write-down
 *   as a loss, which is how one default causes the next. A defaulted bank is
 *   in receivership: whenever it has free cash, the cash is paid out pro rata
 *   to its interbank creditors (the external creditors' share stays in its
 *   account, owed to them), as repayments of the written-down claims.
 *
 * ## Causality
 *
 * Everything the venue does inside a handler takes that delivery as cause:
 * a `LiquidateLoan` command, a deadline wake-up, a sale's fill report, or —
 * inside {@link onMarkChanged} — the order whose trade moved the mark.
 *
 * @packageDocumentation
 */

import { BaseAgent } from '../engine/agent.js';
import type { Kernel, Scheduled } from '../engine/kernel.js';
import type { AgentId } from '../engine/latency-model.js';
import type { Message } from '../engine/message.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, type Micros } from '../engine/time.js';
import type {
  BadDebtBooked,
  ClaimWrittenDown,
  CollateralMoved,
  CreditTermsChanged,
  DebtRepaid,
  LenderDefaulted,
  LoanBecameUnhealthy,
  LoanClosed,
  LoanDrawn,
  LoanOpened,
  MarginCallIssued,
  MarginCallMet,
  PositionLiquidated,
} from './credit-events.js';
import type {
  CallLoan,
  CollateralLeg,
  CreditCommand,
  CreditRejectReason,
  CreditReport,
  LendInterbank,
  LiquidateLoan,
  LoanState,
  PledgeCollateral,
  QueryLoans,
  ReleaseCollateral,
  RepayLoan,
  RequestLoan,
  SetCreditTerms,
} from './credit-messages.js';
import { termsFromCommand, type CreditTerms } from './credit-terms.js';
import type { Exchange, MarkListener } from '../market/exchange.js';
import type { Instrument } from '../market/instrument.js';
import { clearingVector } from '../systemic/interbank-clearing.js';
import type { Ledger, LedgerResult } from '../market/ledger.js';
import type { LiquidationPolicy, LiquidationStep, LiquidationVenue } from './liquidation-policy.js';
import { Loan, type LoanStatus } from './loan.js';
import { LoanBook, type HealthSink } from './loan-book.js';
import { accountEquity, basketValueAfterHaircuts, grossExposure, halfTicks, healthFactor, leverage } from './margin.js';
import type { OrderReport, PlaceOrder } from '../market/order-messages.js';
import { RATE_SCALE, mulDiv, toRateUnits } from '../market/rounding.js';

/** Wake-up tag of the periodic accrual; positive tags are loan deadlines, negative ones policy wake-ups. */
const ACCRUAL_TAG = 0;
/** Wake-up tag of the keeper re-offer of loans that stay unhealthy. */
const REOFFER_TAG = Number.MIN_SAFE_INTEGER;

/** Construction options of a {@link CreditMarket}. */
export interface CreditMarketOptions {
  /** The exchange whose marks price the collateral (the venue registers as its mark listener). */
  readonly exchange: Exchange;
  /** The ledger the exchange settles into. */
  readonly ledger: Ledger;
  /** How liquidations happen. */
  readonly policy: LiquidationPolicy;
  /** Period of the interest-accrual wake-up, µs (default 1 h; 0: accrue only when a loan is touched). */
  readonly accrualIntervalUs?: Micros;
  /** Time a borrower has to meet a lender's `CallLoan`, µs (default 60 s). */
  readonly callGracePeriodUs?: Micros;
  /**
   * Period at which loans that stay unhealthy are offered to liquidators
   * again, µs (default 10 s; 0: only when they cross). Liquidatable positions
   * stay visible to keepers, who rescan them; without this, a loan skipped
   * by every liquidator for lack of capital would never be offered again.
   */
  readonly reofferIntervalUs?: Micros;
}

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
class LenderRecord {
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

  constructor(
    readonly agent: AgentId,
    readonly account: number,
    public externalLiabilities: number,
    readonly capital: number,
  ) {}
}

/**
 * The credit venue agent. It handles `CreditCommand` messages (and, for the
 * broker policy, the exchange's reports on its own sell orders), keeps the
 * {@link LoanBook}, listens to the exchange's marks, and notifies
 * `SubscribeLiquidations` subscribers with `LoanLiquidatable`.
 */
export class CreditMarket extends BaseAgent implements MarkListener, HealthSink, LiquidationVenue {
  readonly ledger: Ledger;
  readonly instruments: readonly Instrument[];
  readonly policy: LiquidationPolicy;
  readonly accrualIntervalUs: Micros;
  readonly callGracePeriodUs: Micros;
  private readonly exchange: Exchange;
  private readonly minor: number[];
  private readonly markHalfTicks: number[];
  private readonly book: LoanBook;
  private readonly lenders = new Map<AgentId, LenderRecord>();
  private readonly lenderList: LenderRecord[] = [];
  private readonly accounts: number[] = [];
  private readonly subscribers: AgentId[] = [];
  private readonly borrowerDebts = new Map<AgentId, number>();
  private marginDebt = 0;
  private badDebtTotal = 0;
  private accrualScheduled = false;
  private reofferScheduled = false;
  /**
   * Per loan id, its one pending wake-up of each purpose: the lender call's
   * deadline, the health call's deadline, the policy's `wakeFor`. A call that
   * ends early cancels its deadline, so calls met and made again do not pile
   * up wake-ups for deadlines that no longer stand.
   */
  private readonly callWakes = new Map<number, Scheduled>();
  private readonly healthWakes = new Map<number, Scheduled>();
  private readonly policyWakes = new Map<number, Scheduled>();
  readonly reofferIntervalUs: Micros;
  private solvencyDirty = false;
  private sweepDirty = false;

  constructor(name: string, options: CreditMarketOptions) {
    super(name);
    this.exchange = options.exchange;
    this.ledger = options.ledger;
    this.policy = options.policy;
    this.instruments = options.exchange.instruments;
    this.accrualIntervalUs = options.accrualIntervalUs ?? MICROS_PER_HOUR;
    this.callGracePeriodUs = options.callGracePeriodUs ?? MICROS_PER_MINUTE;
    this.reofferIntervalUs = options.reofferIntervalUs ?? 10 * MICROS_PER_SECOND;
    if (!Number.isSafeInteger(this.reofferIntervalUs) || this.reofferIntervalUs < 0) throw new RangeError('reofferIntervalUs must be a non-negative integer');
    if (!Number.isSafeInteger(this.accrualIntervalUs) || this.accrualIntervalUs < 0) throw new RangeError('accrualIntervalUs must be a non-negative integer');
    if (!Number.isSafeInteger(this.callGracePeriodUs) || this.callGracePeriodUs < 0) throw new RangeError('callGracePeriodUs must be a non-negative integer');
    this.minor = this.instruments.map((i) => i.minorPerTickLot);
    this.markHalfTicks = this.instruments.map((i) => halfTicks(options.exchange.markPrice(i.id)));
    this.book = new LoanBook(this.minor);
    options.exchange.addMarkListener(this);
  }

  override attach(kernel: Kernel, id: AgentId): void {
    super.attach(kernel, id);
    this.policy.attach(this);
  }

  // ------------------------------------------------------------- set-up

  /** Lets `agent` borrow, lend and liquidate for ledger account `account` (default: its exchange account). */
  bindAccount(agent: AgentId, account: number): void {
    this.accounts[agent] = account;
  }

  /** The ledger account of `agent` here, or -1. */
  accountOf(agent: AgentId): number {
    const own = this.accounts[agent];
    return own !== undefined ? own : this.exchange.accountOf(agent);
  }

  /**
   * Registers `agent` as a lender, recording its capital (cash − external
   * liabilities) now. A lender that posts terms without registering is
   * registered then, without external liabilities.
   *
   * @throws Error (set-up bug) when the agent has no account or is already registered
   */
  registerLender(agent: AgentId, options: LenderOptions = {}): void {
    const account = this.accountOf(agent);
    if (account < 0) throw new Error(`lender ${agent} has no ledger account`);
    if (this.lenders.has(agent)) throw new Error(`lender ${agent} is already registered`);
    const ext = options.externalLiabilities ?? 0;
    if (!Number.isSafeInteger(ext) || ext < 0) throw new RangeError('externalLiabilities must be a non-negative safe integer');
    const rec = new LenderRecord(agent, account, ext, this.ledger.cash(account) - ext);
    this.lenders.set(agent, rec);
    this.lenderList.push(rec);
  }

  // ---------------------------------------------------------- venue view

  get deliveryId(): number {
    return this.kernel.currentId;
  }

  get now(): Micros {
    return this.kernel.now;
  }

  get minorPerTickLot(): ArrayLike<number> {
    return this.minor;
  }

  get venueId(): AgentId {
    return this.id;
  }

  /** Last known mark of each instrument, half-ticks. */
  get marks2(): readonly number[] {
    return this.markHalfTicks;
  }

  // ------------------------------------------------------------ handlers

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    const m = message as CreditCommand | OrderReport;
    switch (m.type) {
      case 'SetCreditTerms':
        this.setTerms(now, m, from);
        break;
      case 'RequestLoan':
        this.requestLoan(now, m, from);
        break;
      case 'RepayLoan':
        this.repayLoan(now, m, from);
        break;
      case 'PledgeCollateral':
        this.pledge(now, m, from);
        break;
      case 'ReleaseCollateral':
        this.releaseCollateral(now, m, from);
        break;
      case 'CallLoan':
        this.callLoan(now, m, from);
        break;
      case 'LiquidateLoan':
        this.liquidateLoan(m, from);
        break;
      case 'SubscribeLiquidations':
        if (!this.subscribers.includes(from)) this.subscribers.push(from);
        break;
      case 'QueryLoans':
        this.queryLoans(m, from);
        break;
      case 'LendInterbank':
        this.lendInterbank(now, m, from);
        break;
      case 'OrderAccepted':
      case 'OrderRejected':
      case 'OrderFilled':
      case 'OrderCancelled':
      case 'OrderModified':
        if (from === this.exchange.id) this.policy.onOrderReport(this, m);
        break;
      default:
        break;
    }
    this.settleLosses();
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag === ACCRUAL_TAG) this.accrualTick(now);
    else if (tag === REOFFER_TAG) this.reoffer(now);
    else if (tag > 0) {
      this.delivered(this.callWakes, tag);
      this.delivered(this.healthWakes, tag);
      this.deadline(now, tag);
    } else {
      this.delivered(this.policyWakes, -tag);
      const loan = this.book.get(-tag);
      if (loan !== undefined) this.policy.onWakeup(this, loan);
    }
    this.settleLosses();
  }

  /** Forgets the wake-up of `loanId` in `wakes` if it is the one being delivered. */
  private delivered(wakes: Map<number, Scheduled>, loanId: number): void {
    if (wakes.get(loanId)?.id === this.kernel.currentId) wakes.delete(loanId);
  }

  /** Wakes this venue for `loanId` at `time` (tag: the loan id, negated for the policy), replacing the pending wake-up of that purpose. */
  private wakeForLoan(wakes: Map<number, Scheduled>, loanId: number, time: Micros, tag: number): void {
    this.cancelWake(wakes, loanId);
    wakes.set(loanId, this.kernel.wakeAt(this.id, time, tag));
  }

  /** Cancels the pending wake-up of `loanId` in `wakes`, if any. */
  private cancelWake(wakes: Map<number, Scheduled>, loanId: number): void {
    const pending = wakes.get(loanId);
    if (pending === undefined) return;
    this.kernel.cancel(pending);
    wakes.delete(loanId);
  }

  /**
   * Exchange hook, on every top-of-book change or trade: O(1) when no loan
   * crosses its trigger (no allocation), O(k log n) for k crossings, plus the
   * multi-instrument baskets on the instrument.
   */
  onMarkChanged(instrument: number, _now: Micros): void {
    const mark = this.exchange.markPrice(instrument);
    if (mark <= 0) return;
    const m2 = halfTicks(mark);
    if (m2 === this.markHalfTicks[instrument]) return;
    this.markHalfTicks[instrument] = m2;
    this.book.onMark(instrument, m2, this.markHalfTicks, this);
  }

  /** HealthSink: a loan crossed below maintenance. */
  onLoanUnhealthy(loan: Loan): void {
    this.becameUnhealthy(loan);
  }

  /** HealthSink: a loan is healthy again (a later crossing notifies again). */
  onLoanHealthy(_loan: Loan): void {}

  // ------------------------------------------------------------ commands

  private setTerms(now: Micros, m: SetCreditTerms, from: AgentId): void {
    const terms = termsFromCommand(m, this.instruments.length);
    if (terms === null) return this.reject(from, m.type, 0, 'INVALID_TERMS');
    let rec = this.lenders.get(from);
    if (rec === undefined) {
      if (this.accountOf(from) < 0) return this.reject(from, m.type, 0, 'UNKNOWN_ACCOUNT');
      this.registerLender(from);
      rec = this.lenders.get(from) as LenderRecord;
    }
    if (rec.defaulted) return this.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    rec.terms = terms;
    let repriced = 0;
    const live = this.book.live();
    for (let k = 0; k < live.length; k++) {
      const loan = live[k] as Loan;
      if (loan.kind !== 'margin' || loan.lender !== from || loan.status !== 'open') continue;
      this.accrue(loan);
      loan.setRate(now, terms.annualRate);
      for (let i = 0; i < loan.maintenanceHaircut.length; i++) loan.maintenanceHaircut[i] = terms.maintenanceHaircuts[i] as number;
      this.reindexAndNotify(loan);
      repriced++;
    }
    if (this.kernel.observes('CreditTermsChanged')) {
      const e: CreditTermsChanged = {
        ...this.stamp('CreditTermsChanged'),
        lender: from,
        haircuts: terms.haircuts.map(fraction),
        maintenanceHaircuts: terms.maintenanceHaircuts.map(fraction),
        annualRate: fraction(terms.annualRate),
        maxPerBorrower: terms.maxPerBorrower,
        maxTotal: terms.maxTotal,
        loansRepriced: repriced,
      };
      this.kernel.emit(e);
    }
  }

  private requestLoan(now: Micros, m: RequestLoan, from: AgentId): void {
    const rec = this.lenders.get(m.lender);
    if (rec === undefined) return this.reject(from, m.type, 0, 'UNKNOWN_LENDER');
    const terms = rec.terms;
    if (terms === null) return this.reject(from, m.type, 0, 'NO_TERMS');
    if (rec.defaulted) return this.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    const account = this.accountOf(from);
    if (account < 0) return this.reject(from, m.type, 0, 'UNKNOWN_ACCOUNT');
    // Lenders fund themselves interbank, not on margin (their equity counts no margin debt).
    if (account === rec.account || this.lenders.has(from)) return this.reject(from, m.type, 0, 'NOT_BORROWER');
    if (!isPositiveAmount(m.amount)) return this.reject(from, m.type, 0, 'INVALID_AMOUNT');
    const pledge = this.parseLegs(m.collateral, account);
    if (typeof pledge === 'string') return this.reject(from, m.type, 0, pledge);
    const existing = this.book.marginLoan(m.lender, from);
    const loanId = existing?.id ?? 0;
    if (existing !== undefined && (existing.status !== 'open' || existing.called)) return this.reject(from, m.type, loanId, 'LOAN_CALLED');
    const pending = existing === undefined ? 0 : existing.pendingInterest(now);
    const debtAfter = (existing === undefined ? 0 : existing.debt + pending) + m.amount;
    if (debtAfter > terms.maxPerBorrower) return this.reject(from, m.type, loanId, 'BEYOND_BORROWER_LIMIT');
    const lenderTotalAfter = rec.marginClaims + pending + m.amount;
    if (lenderTotalAfter > terms.maxTotal) return this.reject(from, m.type, loanId, 'BEYOND_LENDER_LIMIT');
    const lenderCashBefore = this.ledger.availableCash(rec.account);
    if (lenderCashBefore < m.amount) return this.reject(from, m.type, loanId, 'INSUFFICIENT_LENDER_CASH');
    const pledged = existing === undefined ? pledge : pledge.map((q, i) => q + (existing.qty[i] as number));
    const capacity = basketValueAfterHaircuts(pledged, this.markHalfTicks, this.minor, terms.haircuts);
    if (debtAfter > capacity) return this.reject(from, m.type, loanId, 'INSUFFICIENT_COLLATERAL');

    // Every check passed: book it.
    let loan = existing;
    if (loan === undefined) {
      loan = new Loan(this.book.nextId, 'margin', m.lender, from, rec.account, account, now, terms.annualRate, this.instruments.length);
      for (let i = 0; i < this.instruments.length; i++) loan.maintenanceHaircut[i] = terms.maintenanceHaircuts[i] as number;
      this.book.add(loan);
      this.emitOpened(loan);
      this.ensureAccrual(now);
    } else {
      this.accrue(loan);
    }
    const pledgedLegs = this.pledgeLegs(loan, pledge, terms);
    ok(this.ledger.transferCash(rec.account, account, m.amount));
    loan.draw(now, m.amount);
    this.adjust(loan, m.amount);
    if (loan.debt > terms.maxPerBorrower || rec.marginClaims > terms.maxTotal) rec.limitBreaches++;
    this.reindexAndNotify(loan);
    const state = this.stateOf(loan);
    this.tell(from, { type: 'LoanGranted', loan: state, drawn: m.amount });
    this.tell(m.lender, { type: 'LoanGranted', loan: state, drawn: m.amount });
    if (this.kernel.observes('LoanDrawn')) {
      const e: LoanDrawn = {
        ...this.stamp('LoanDrawn'),
        loanId: loan.id,
        lender: m.lender,
        borrower: from,
        amount: m.amount,
        pledged: pledgedLegs,
        debtAfter: loan.debt,
        lenderCashBefore,
        limits: { lenderTotalAfter: rec.marginClaims, capacity, maxPerBorrower: terms.maxPerBorrower, maxTotal: terms.maxTotal },
      };
      this.kernel.emit(e);
    }
  }

  private repayLoan(now: Micros, m: RepayLoan, from: AgentId): void {
    const loan = this.book.get(m.loanId);
    if (loan === undefined) return this.reject(from, m.type, m.loanId, 'UNKNOWN_LOAN');
    if (loan.borrower !== from) return this.reject(from, m.type, m.loanId, 'NOT_BORROWER');
    if (loan.status !== 'open') return this.reject(from, m.type, m.loanId, 'LOAN_CLOSED');
    if (!isPositiveAmount(m.amount)) return this.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    if (m.amount > loan.debtAt(now)) return this.reject(from, m.type, m.loanId, 'REPAY_EXCEEDS_DEBT');
    if (this.ledger.availableCash(loan.borrowerAccount) < m.amount) return this.reject(from, m.type, m.loanId, 'INSUFFICIENT_CASH');
    this.accrue(loan);
    this.repay(loan, from, loan.borrowerAccount, m.amount);
    const closed = loan.debt === 0;
    if (closed) this.close(loan, 'closed');
    else this.reindexAndNotify(loan);
    this.tell(from, { type: 'LoanRepaid', loan: this.stateOf(loan), amount: m.amount, closed });
  }

  private pledge(_now: Micros, m: PledgeCollateral, from: AgentId): void {
    const loan = this.book.get(m.loanId);
    if (loan === undefined || loan.kind !== 'margin') return this.reject(from, m.type, m.loanId, 'UNKNOWN_LOAN');
    if (loan.borrower !== from) return this.reject(from, m.type, m.loanId, 'NOT_BORROWER');
    if (loan.status !== 'open') return this.reject(from, m.type, m.loanId, 'LOAN_CLOSED');
    const pledge = this.parseLegs(m.collateral, loan.borrowerAccount);
    if (typeof pledge === 'string') return this.reject(from, m.type, m.loanId, pledge);
    if (!pledge.some((q) => q > 0)) return this.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    const terms = (this.lenders.get(loan.lender) as LenderRecord).terms as CreditTerms;
    this.accrue(loan);
    this.pledgeLegs(loan, pledge, terms);
    this.reindexAndNotify(loan);
    this.tell(from, { type: 'CollateralChanged', loan: this.stateOf(loan) });
  }

  private releaseCollateral(now: Micros, m: ReleaseCollateral, from: AgentId): void {
    const loan = this.book.get(m.loanId);
    if (loan === undefined || loan.kind !== 'margin') return this.reject(from, m.type, m.loanId, 'UNKNOWN_LOAN');
    if (loan.borrower !== from) return this.reject(from, m.type, m.loanId, 'NOT_BORROWER');
    if (loan.status !== 'open') return this.reject(from, m.type, m.loanId, 'LOAN_CLOSED');
    if (loan.called) return this.reject(from, m.type, m.loanId, 'LOAN_CALLED');
    const release = this.parseLegs(m.collateral, -1);
    if (typeof release === 'string') return this.reject(from, m.type, m.loanId, release);
    if (!release.some((q) => q > 0)) return this.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    const terms = (this.lenders.get(loan.lender) as LenderRecord).terms as CreditTerms;
    const kept = loan.qty.map((q, i) => q - (release[i] as number));
    if (kept.some((q) => q < 0)) return this.reject(from, m.type, m.loanId, 'INSUFFICIENT_COLLATERAL');
    if (loan.debtAt(now) > basketValueAfterHaircuts(kept, this.markHalfTicks, this.minor, terms.haircuts)) return this.reject(from, m.type, m.loanId, 'INSUFFICIENT_COLLATERAL');
    this.accrue(loan);
    for (let i = 0; i < release.length; i++) {
      const q = release[i] as number;
      if (q === 0) continue;
      ok(this.ledger.releasePosition(loan.borrowerAccount, i, q));
      loan.removeCollateral(i, q);
      this.emitCollateralMoved(loan, i, -q);
    }
    this.reindexAndNotify(loan);
    this.tell(from, { type: 'CollateralChanged', loan: this.stateOf(loan) });
  }

  private callLoan(now: Micros, m: CallLoan, from: AgentId): void {
    const loan = this.book.get(m.loanId);
    if (loan === undefined || loan.kind !== 'margin') return this.reject(from, m.type, m.loanId, 'UNKNOWN_LOAN');
    if (loan.lender !== from) return this.reject(from, m.type, m.loanId, 'NOT_LENDER');
    if (loan.status !== 'open') return this.reject(from, m.type, m.loanId, 'LOAN_CLOSED');
    if (!isPositiveAmount(m.amount)) return this.reject(from, m.type, m.loanId, 'INVALID_AMOUNT');
    if (loan.callRemaining > 0 || loan.overdue) return this.reject(from, m.type, m.loanId, 'LOAN_CALLED');
    this.accrue(loan);
    this.reindexAndNotify(loan);
    loan.callAll = m.amount >= loan.debt;
    loan.callRemaining = Math.min(m.amount, loan.debt);
    loan.callDeadline = now + this.callGracePeriodUs;
    this.wakeForLoan(this.callWakes, loan.id, loan.callDeadline, loan.id);
    this.sendMarginCall(loan, loan.callRemaining, loan.callDeadline, 'lender');
  }

  private liquidateLoan(m: LiquidateLoan, from: AgentId): void {
    const loan = this.book.get(m.loanId);
    if (loan === undefined || loan.kind !== 'margin') return this.reject(from, m.type, m.loanId, 'UNKNOWN_LOAN');
    if (loan.status !== 'open') return this.reject(from, m.type, m.loanId, 'LOAN_CLOSED');
    const reason = this.policy.liquidate(this, loan, from, m);
    if (reason !== null) this.reject(from, m.type, m.loanId, reason);
  }

  private queryLoans(m: QueryLoans, from: AgentId): void {
    const out: LoanState[] = [];
    const live = this.book.live();
    for (let k = 0; k < live.length; k++) {
      const loan = live[k] as Loan;
      if (m.unhealthyOnly && !(loan.kind === 'margin' && loan.status === 'open' && (loan.unhealthy || loan.overdue))) continue;
      out.push(this.stateOf(loan));
    }
    this.tell(from, { type: 'LoansReported', loans: out });
  }

  private lendInterbank(now: Micros, m: LendInterbank, from: AgentId): void {
    const lender = this.lenders.get(from);
    if (lender === undefined) return this.reject(from, m.type, 0, 'NOT_LENDER');
    if (lender.defaulted) return this.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    const borrower = this.lenders.get(m.borrower);
    if (borrower === undefined) return this.reject(from, m.type, 0, 'UNKNOWN_LENDER');
    if (borrower.defaulted) return this.reject(from, m.type, 0, 'LENDER_DEFAULTED');
    if (borrower === lender || !isPositiveAmount(m.amount)) return this.reject(from, m.type, 0, 'INVALID_AMOUNT');
    if (typeof m.annualRate !== 'number' || !Number.isFinite(m.annualRate) || m.annualRate < 0 || m.annualRate > 1000) return this.reject(from, m.type, 0, 'INVALID_TERMS');
    const cashBefore = this.ledger.availableCash(lender.account);
    if (cashBefore < m.amount) return this.reject(from, m.type, 0, 'INSUFFICIENT_LENDER_CASH');
    const loan = new Loan(this.book.nextId, 'interbank', from, m.borrower, lender.account, borrower.account, now, toRateUnits(m.annualRate), this.instruments.length);
    this.book.add(loan);
    this.emitOpened(loan);
    this.ensureAccrual(now);
    ok(this.ledger.transferCash(lender.account, borrower.account, m.amount));
    loan.draw(now, m.amount);
    this.adjust(loan, m.amount);
    const state = this.stateOf(loan);
    this.tell(from, { type: 'LoanGranted', loan: state, drawn: m.amount });
    this.tell(m.borrower, { type: 'LoanGranted', loan: state, drawn: m.amount });
    if (this.kernel.observes('LoanDrawn')) {
      const e: LoanDrawn = {
        ...this.stamp('LoanDrawn'),
        loanId: loan.id,
        lender: from,
        borrower: m.borrower,
        amount: m.amount,
        pledged: [],
        debtAfter: loan.debt,
        lenderCashBefore: cashBefore,
        limits: null,
      };
      this.kernel.emit(e);
    }
  }

  // ------------------------------------------------------------ wake-ups

  private accrualTick(now: Micros): void {
    const live = this.book.live();
    for (let k = 0; k < live.length; k++) {
      const loan = live[k] as Loan;
      if (loan.frozen) continue;
      this.accrue(loan);
      if (loan.kind === 'margin' && loan.status === 'open') this.reindexAndNotify(loan);
    }
    this.solvencyDirty = true;
    if (this.book.live().length > 0) this.wakeAt(now + this.accrualIntervalUs, ACCRUAL_TAG);
    else this.accrualScheduled = false;
  }

  private ensureAccrual(now: Micros): void {
    if (this.accrualIntervalUs === 0 || this.accrualScheduled) return;
    this.accrualScheduled = true;
    this.wakeAt(now + this.accrualIntervalUs, ACCRUAL_TAG);
  }

  /** A loan's deadline: a lender's call or the venue's health call may be due. */
  private deadline(now: Micros, loanId: number): void {
    const loan = this.book.get(loanId);
    if (loan === undefined || loan.status !== 'open') return;
    if (loan.callDeadline >= 0 && now >= loan.callDeadline && loan.callRemaining > 0 && !loan.overdue) {
      loan.callDeadline = -1;
      loan.overdue = true;
      // Re-index at the accrued debt; the policy's overdue handling is the notification.
      const was = loan.unhealthy;
      this.accrue(loan);
      this.book.reindex(loan, this.markHalfTicks);
      if (!was && loan.unhealthy) this.emitUnhealthy(loan);
      this.policy.onCallOverdue(this, loan);
    }
    if (loan.status === 'open' && loan.healthCallDeadline >= 0 && now >= loan.healthCallDeadline) this.policy.onHealthDeadline(this, loan);
  }

  // ------------------------------------------------- LiquidationVenue API

  liquidationValue(loan: Loan): number {
    return this.book.liquidationValue(loan, this.markHalfTicks);
  }

  refresh(loan: Loan): boolean {
    this.accrue(loan);
    this.reindexAndNotify(loan);
    return loan.unhealthy;
  }

  accrue(loan: Loan): void {
    const booked = loan.accrue(this.kernel.now);
    if (booked === 0) return;
    this.adjust(loan, booked);
    (this.lenders.get(loan.lender) as LenderRecord).interestEarned += booked;
    if (loan.kind === 'interbank') (this.lenders.get(loan.borrower) as LenderRecord).interestPaid += booked;
  }

  repay(loan: Loan, payer: AgentId, payerAccount: number, amount: number): void {
    ok(this.ledger.transferCash(payerAccount, loan.lenderAccount, amount));
    const interestBefore = loan.interest;
    const principalPaid = loan.applyRepayment(this.kernel.now, amount);
    this.adjust(loan, -amount);
    if (loan.callRemaining > 0) {
      loan.callRemaining = loan.callAll ? loan.debt : Math.max(0, loan.callRemaining - amount);
      if (loan.callRemaining === 0) this.endLenderCall(loan);
    }
    if ((this.lenders.get(loan.lender) as LenderRecord).defaulted) this.sweepDirty = true;
    if (this.kernel.observes('DebtRepaid')) {
      const e: DebtRepaid = {
        ...this.stamp('DebtRepaid'),
        loanId: loan.id,
        payer,
        amount,
        interestPaid: Math.min(amount, interestBefore),
        principalPaid,
        debtAfter: loan.debt,
      };
      this.kernel.emit(e);
    }
  }

  seize(loan: Loan, instrument: number, qty: number, toAccount: number): void {
    if (toAccount === loan.borrowerAccount) ok(this.ledger.releasePosition(toAccount, instrument, qty));
    else ok(this.ledger.transferPosition(loan.borrowerAccount, toAccount, instrument, qty, true));
    loan.removeCollateral(instrument, qty);
  }

  transferCash(from: number, to: number, amount: number): void {
    ok(this.ledger.transferCash(from, to, amount));
  }

  transferLots(from: number, to: number, instrument: number, qty: number): void {
    ok(this.ledger.transferPosition(from, to, instrument, qty));
  }

  writeOffBadDebt(loan: Loan): number {
    const amount = loan.debt;
    if (amount === 0) return 0;
    const rec = this.lenders.get(loan.lender) as LenderRecord;
    loan.writeOff(this.kernel.now, amount);
    this.adjust(loan, -amount);
    rec.badDebt += amount;
    this.badDebtTotal += amount;
    rec.lossSinceClearing = true;
    this.solvencyDirty = true;
    if (this.kernel.observes('BadDebtBooked')) {
      const e: BadDebtBooked = { ...this.stamp('BadDebtBooked'), loanId: loan.id, lender: loan.lender, borrower: loan.borrower, amount, lenderEquityAfter: this.equityOf(rec) };
      this.kernel.emit(e);
    }
    return amount;
  }

  settleAfterLiquidation(loan: Loan): void {
    if (loan.debt === 0) {
      this.close(loan, loan.writtenOff > 0 ? 'defaulted' : 'closed');
      return;
    }
    const was = loan.unhealthy;
    this.book.reindex(loan, this.markHalfTicks);
    if (loan.unhealthy || loan.overdue) {
      if (!was && loan.unhealthy) this.emitUnhealthy(loan);
      this.policy.onUnhealthy(this, loan, true);
    }
  }

  beginVenueLiquidation(loan: Loan): void {
    this.accrue(loan);
    loan.freeze();
    loan.status = 'liquidating';
    loan.healthCallDeadline = -1;
    loan.callDeadline = -1;
    this.book.reindex(loan, this.markHalfTicks);
  }

  finishVenueLiquidation(loan: Loan): void {
    if (loan.debt > 0) this.writeOffBadDebt(loan);
    this.close(loan, loan.writtenOff > 0 ? 'defaulted' : 'closed');
  }

  notifyLiquidatable(loan: Loan, maxRepay: number, bonus: number): void {
    if (this.subscribers.length === 0) return;
    const state = this.stateOf(loan);
    for (let k = 0; k < this.subscribers.length; k++) this.tell(this.subscribers[k] as AgentId, { type: 'LoanLiquidatable', loan: state, maxRepay, bonus });
  }

  issueMarginCall(loan: Loan, amount: number, deadline: Micros): void {
    loan.healthCallDeadline = deadline;
    this.wakeForLoan(this.healthWakes, loan.id, deadline, loan.id);
    this.sendMarginCall(loan, amount, deadline, 'health');
  }

  clearHealthCall(loan: Loan): void {
    if (loan.healthCallDeadline < 0) return;
    loan.healthCallDeadline = -1;
    this.cancelWake(this.healthWakes, loan.id);
    this.emitCallMet(loan, 'health');
  }

  reportLiquidation(loan: Loan, liquidator: AgentId, instrument: number, qty: number, protocolQty: number, price: number, debtRepaid: number, badDebt: number, step: LiquidationStep): void {
    const state = this.stateOf(loan);
    const msg = { type: 'LoanLiquidated', loan: state, liquidator, instrument, seizedQty: qty, protocolQty, debtRepaid, badDebt } as const;
    if (liquidator !== this.id) this.tell(liquidator, msg);
    this.tell(loan.borrower, msg);
    this.tell(loan.lender, msg);
    if (this.kernel.observes('PositionLiquidated')) {
      const e: PositionLiquidated = {
        ...this.stamp('PositionLiquidated'),
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
      };
      this.kernel.emit(e);
    }
  }

  placeSale(instrument: number, qty: number, clientOrderId: number): void {
    this.tell(this.exchange.id, { type: 'PlaceOrder', instrument, clientOrderId, side: 'sell', orderType: 'market', price: 0, qty });
  }

  /** One pending policy wake-up per loan: a request no earlier than the pending one is served by it. */
  wakeFor(loan: Loan, time: Micros): void {
    const pending = this.policyWakes.get(loan.id);
    if (pending !== undefined && pending.time <= time) return;
    this.wakeForLoan(this.policyWakes, loan.id, time, -loan.id);
  }

  // ----------------------------------------------------------- accessors

  /** The mark of `instrument` the venue uses, ticks (last known; 0 if never priced). */
  mark(instrument: number): number {
    return (this.markHalfTicks[instrument] as number) / 2;
  }

  /** A loan (read-only use), or undefined. */
  loan(loanId: number): Loan | undefined {
    return this.book.get(loanId);
  }

  /** Number of loans ever opened (ids are 1..count). */
  get loanCount(): number {
    return this.book.maxId;
  }

  /** States of every live loan, in id order. */
  loanStates(): LoanState[] {
    return this.book.live().map((l) => this.stateOf(l));
  }

  /** Health factor of a margin loan at booked debt (Infinity without debt). */
  healthFactor(loanId: number): number {
    const loan = this.book.get(loanId);
    if (loan === undefined || loan.kind !== 'margin') return Number.NaN;
    return healthFactor(this.liquidationValue(loan), loan.debt);
  }

  /** True when the index flags the loan below maintenance, or a lender's call on it is overdue. */
  isLiquidatable(loanId: number): boolean {
    const loan = this.book.get(loanId);
    return loan !== undefined && loan.status === 'open' && (loan.unhealthy || loan.overdue);
  }

  /** Ids of open loans the index flags unhealthy, ascending. */
  unhealthyLoanIds(): number[] {
    return this.book
      .live()
      .filter((l) => l.status === 'open' && l.unhealthy)
      .map((l) => l.id);
  }

  /** Ids of open margin loans whose liquidation value is below their booked debt, by a full scan (reference for the index). */
  scanUnhealthyLoanIds(): number[] {
    return this.book
      .live()
      .filter((l) => l.kind === 'margin' && l.status === 'open' && l.debt > 0 && this.liquidationValue(l) < l.debt)
      .map((l) => l.id);
  }

  /** A lender's balance sheet, or undefined. */
  lender(agent: AgentId): LenderView | undefined {
    const r = this.lenders.get(agent);
    if (r === undefined) return undefined;
    const cash = this.ledger.cash(r.account);
    return {
      agent: r.agent,
      account: r.account,
      cash,
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

  /** Registered lenders, in registration order. */
  lenderIds(): AgentId[] {
    return this.lenderList.map((r) => r.agent);
  }

  /** A lender's book equity, minor units (NaN if unknown). */
  lenderEquity(agent: AgentId): number {
    const r = this.lenders.get(agent);
    return r === undefined ? Number.NaN : this.equityOf(r);
  }

  /** Σ equity over lenders not in default, minor units. */
  totalLenderEquity(): number {
    let s = 0;
    for (const r of this.lenderList) if (!r.defaulted) s += this.equityOf(r);
    return s;
  }

  /** Lenders in default, in registration order. */
  defaultedLenders(): AgentId[] {
    return this.lenderList.filter((r) => r.defaulted).map((r) => r.agent);
  }

  /** What `agent` owes on its margin loans (booked), minor units. */
  borrowerDebt(agent: AgentId): number {
    return this.borrowerDebts.get(agent) ?? 0;
  }

  /** Σ booked debt of all margin loans, minor units. */
  totalDebt(): number {
    return this.marginDebt;
  }

  /** Σ bad debt written off so far, minor units. */
  totalBadDebt(): number {
    return this.badDebtTotal;
  }

  /**
   * Mean initial haircut on `instrument` over lenders that have posted terms
   * and are not in default (a plain fraction; NaN when there is none).
   */
  meanHaircut(instrument: number): number {
    let s = 0;
    let n = 0;
    for (const r of this.lenderList) {
      if (r.terms === null || r.defaulted) continue;
      s += r.terms.haircuts[instrument] as number;
      n++;
    }
    return n === 0 ? Number.NaN : s / n / RATE_SCALE;
  }

  /** Leverage of a borrower's account: gross exposure / (cash + positions − margin debt). */
  borrowerLeverage(agent: AgentId): number {
    const account = this.accountOf(agent);
    if (account < 0) return Number.NaN;
    const exposure = grossExposure(this.ledger, account, this.markHalfTicks, this.instruments);
    const equity = accountEquity(this.ledger, account, this.markHalfTicks, this.instruments, this.borrowerDebt(agent));
    return leverage(exposure, equity);
  }

  /**
   * Aggregate leverage of the borrowers with debt: Σ gross exposure / Σ
   * equity (0 without borrowers; Infinity when their total equity is ≤ 0).
   */
  aggregateLeverage(): number {
    let exposure = 0;
    let equity = 0;
    for (const [agent, debt] of this.borrowerDebts) {
      if (debt <= 0) continue;
      const account = this.accountOf(agent);
      exposure += grossExposure(this.ledger, account, this.markHalfTicks, this.instruments);
      equity += accountEquity(this.ledger, account, this.markHalfTicks, this.instruments, debt);
    }
    return leverage(exposure, equity);
  }

  /** `SubscribeLiquidations` subscribers, in order of subscription. */
  liquidationSubscribers(): readonly AgentId[] {
    return this.subscribers;
  }

  // ------------------------------------------------------------ self-check

  /**
   * Checks the venue's invariants (O(loans × instruments)):
   * - per loan: `lent − repaid + interestBooked − writtenOff = debt`, all parts
   *   non-negative safe integers; closed and liquidating loans pledge nothing;
   *   closed loans owe nothing;
   * - every pledged lot is held in the borrower's ledger account
   *   (Σ pledged ≤ held, per account and instrument);
   * - the aggregates (per lender, per borrower, total) equal the sums over loans;
   * - no draw was booked beyond a lender's limits;
   * - the health index agrees with an exact scan;
   * - the policy's own invariants, and the ledger's.
   *
   * @returns one message per violation; empty when sound
   */
  validateInvariants(): string[] {
    const errors: string[] = [];
    const pledged = new Map<number, number[]>();
    const lenderMargin = new Map<AgentId, number>();
    const lenderInterbank = new Map<AgentId, number>();
    const bankLiab = new Map<AgentId, number>();
    const borrower = new Map<AgentId, number>();
    let total = 0;
    for (let id = 1; id <= this.book.maxId; id++) {
      const loan = this.book.get(id) as Loan;
      const parts = [loan.principal, loan.interest, loan.lent, loan.repaid, loan.interestBooked, loan.writtenOff];
      if (!parts.every((x) => Number.isSafeInteger(x) && x >= 0)) errors.push(`loan ${id}: amounts ${parts.join(', ')} are not non-negative safe integers`);
      if (loan.lent - loan.repaid + loan.interestBooked - loan.writtenOff !== loan.debt) {
        errors.push(`loan ${id}: lent ${loan.lent} − repaid ${loan.repaid} + interest ${loan.interestBooked} − written off ${loan.writtenOff} ≠ debt ${loan.debt}`);
      }
      const pledges = loan.qty.some((q) => q !== 0);
      if (!loan.isLive && loan.debt !== 0) errors.push(`loan ${id}: ${loan.status} with debt ${loan.debt}`);
      if (loan.status !== 'open' && pledges) errors.push(`loan ${id}: ${loan.status} but still pledges collateral`);
      if (loan.qty.some((q) => !Number.isSafeInteger(q) || q < 0)) errors.push(`loan ${id}: bad collateral ${loan.qty.join(',')}`);
      if (loan.legCount !== loan.qty.filter((q) => q > 0).length) errors.push(`loan ${id}: leg count ${loan.legCount} is wrong`);
      if (loan.kind === 'margin') {
        if (pledges) {
          const row = pledged.get(loan.borrowerAccount) ?? new Array<number>(this.instruments.length).fill(0);
          for (let i = 0; i < row.length; i++) row[i] = (row[i] as number) + (loan.qty[i] as number);
          pledged.set(loan.borrowerAccount, row);
        }
        lenderMargin.set(loan.lender, (lenderMargin.get(loan.lender) ?? 0) + loan.debt);
        borrower.set(loan.borrower, (borrower.get(loan.borrower) ?? 0) + loan.debt);
        total += loan.debt;
      } else {
        lenderInterbank.set(loan.lender, (lenderInterbank.get(loan.lender) ?? 0) + loan.debt);
        bankLiab.set(loan.borrower, (bankLiab.get(loan.borrower) ?? 0) + loan.debt);
      }
    }
    for (const [account, row] of pledged) {
      for (let i = 0; i < row.length; i++) {
        const held = this.ledger.heldPosition(account, i);
        if ((row[i] as number) > held) errors.push(`account ${account}: ${row[i]} lots of ${i} pledged, only ${held} held`);
      }
    }
    for (const r of this.lenderList) {
      if ((lenderMargin.get(r.agent) ?? 0) !== r.marginClaims) errors.push(`lender ${r.agent}: margin claims ${r.marginClaims} ≠ Σ loans ${lenderMargin.get(r.agent) ?? 0}`);
      if ((lenderInterbank.get(r.agent) ?? 0) !== r.interbankClaims) errors.push(`lender ${r.agent}: interbank claims ${r.interbankClaims} ≠ Σ loans ${lenderInterbank.get(r.agent) ?? 0}`);
      if ((bankLiab.get(r.agent) ?? 0) !== r.interbankLiabilities) errors.push(`lender ${r.agent}: interbank liabilities ${r.interbankLiabilities} ≠ Σ loans ${bankLiab.get(r.agent) ?? 0}`);
      if (r.limitBreaches !== 0) errors.push(`lender ${r.agent}: ${r.limitBreaches} draws beyond its limits`);
    }
    for (const [agent, debt] of this.borrowerDebts) if ((borrower.get(agent) ?? 0) !== debt) errors.push(`borrower ${agent}: debt ${debt} ≠ Σ loans ${borrower.get(agent) ?? 0}`);
    if (total !== this.marginDebt) errors.push(`total debt ${this.marginDebt} ≠ Σ loans ${total}`);
    this.book.validate(this.markHalfTicks, errors);
    this.policy.validate(this, errors);
    for (const e of this.ledger.validateInvariants()) errors.push(`ledger: ${e}`);
    return errors;
  }

  /**
   * A deterministic 64-bit FNV-1a hash (16 hex digits) of the venue's state:
   * marks, every loan (amounts, accrual basis, rate, collateral, haircuts,
   * calls, status, health flag), every lender (terms, aggregates, counters,
   * default), the subscribers and the policy's digest.
   */
  stateHash(): string {
    const h = new StateHasher();
    for (const m of this.markHalfTicks) h.num(m);
    h.num(this.book.maxId);
    for (let id = 1; id <= this.book.maxId; id++) {
      const l = this.book.get(id) as Loan;
      h.str(l.kind);
      h.str(l.status);
      for (const x of [l.lender, l.borrower, l.lenderAccount, l.borrowerAccount, l.openedAt, l.principal, l.interest, l.rate, l.basisTime, l.bookedSinceBasis]) h.num(x);
      for (const x of [l.lent, l.repaid, l.interestBooked, l.writtenOff, l.callRemaining, l.callDeadline, l.healthCallDeadline]) h.num(x);
      h.num((l.frozen ? 1 : 0) + (l.callAll ? 2 : 0) + (l.overdue ? 4 : 0) + (l.unhealthy ? 8 : 0));
      for (let i = 0; i < l.qty.length; i++) {
        h.num(l.qty[i] as number);
        h.num(l.originHaircut[i] as number);
        h.num(l.maintenanceHaircut[i] as number);
      }
    }
    for (const r of this.lenderList) {
      for (const x of [r.agent, r.account, r.externalLiabilities, r.capital, r.marginClaims, r.interbankClaims, r.interbankLiabilities]) h.num(x);
      for (const x of [r.interestEarned, r.interestPaid, r.badDebt, r.claimsWrittenDown, r.liabilitiesForgiven, r.limitBreaches]) h.num(x);
      h.num(r.defaulted ? 1 : 0);
      h.str(String(r.recoveryRate));
      if (r.terms === null) h.num(-1);
      else {
        for (const x of r.terms.haircuts) h.num(x);
        for (const x of r.terms.maintenanceHaircuts) h.num(x);
        h.num(r.terms.annualRate);
        h.num(r.terms.maxPerBorrower);
        h.num(r.terms.maxTotal);
      }
    }
    for (const s of this.subscribers) h.num(s);
    for (const x of this.policy.stateDigest()) h.num(x);
    h.num(this.marginDebt);
    h.num(this.badDebtTotal);
    return h.hex();
  }

  // ------------------------------------------------------------- private

  /** Validates collateral legs into a dense per-instrument array; with `account ≥ 0`, checks its free lots. */
  private parseLegs(legs: readonly CollateralLeg[], account: number): number[] | CreditRejectReason {
    if (!Array.isArray(legs)) return 'INVALID_AMOUNT';
    const out = new Array<number>(this.instruments.length).fill(0);
    for (const leg of legs) {
      if (!this.ledger.hasInstrument(leg.instrument) || leg.instrument >= this.instruments.length) return 'UNKNOWN_INSTRUMENT';
      if (!isPositiveAmount(leg.qty)) return 'INVALID_AMOUNT';
      out[leg.instrument] = (out[leg.instrument] as number) + leg.qty;
      if (!Number.isSafeInteger(out[leg.instrument])) return 'INVALID_AMOUNT';
    }
    if (account >= 0) {
      for (let i = 0; i < out.length; i++) if ((out[i] as number) > 0 && this.ledger.availablePosition(account, i) < (out[i] as number)) return 'INSUFFICIENT_POSITION';
    }
    return out;
  }

  /** Holds the pledged lots in the borrower's account and adds them to the basket. */
  private pledgeLegs(loan: Loan, pledge: readonly number[], terms: CreditTerms): CollateralLeg[] {
    const legs: CollateralLeg[] = [];
    for (let i = 0; i < pledge.length; i++) {
      const q = pledge[i] as number;
      if (q === 0) continue;
      ok(this.ledger.holdPosition(loan.borrowerAccount, i, q));
      loan.addCollateral(i, q, terms.haircuts[i] as number, loan.maintenanceHaircut[i] as number);
      legs.push({ instrument: i, qty: q });
      this.emitCollateralMoved(loan, i, q);
    }
    return legs;
  }

  /** Adds `delta` to the loan's debt aggregates (lender, borrower, totals). */
  private adjust(loan: Loan, delta: number): void {
    const lender = this.lenders.get(loan.lender) as LenderRecord;
    if (loan.kind === 'margin') {
      lender.marginClaims += delta;
      this.marginDebt += delta;
      this.borrowerDebts.set(loan.borrower, (this.borrowerDebts.get(loan.borrower) ?? 0) + delta);
    } else {
      lender.interbankClaims += delta;
      (this.lenders.get(loan.borrower) as LenderRecord).interbankLiabilities += delta;
    }
  }

  private reindexAndNotify(loan: Loan): void {
    const was = loan.unhealthy;
    this.book.reindex(loan, this.markHalfTicks);
    if (!was && loan.unhealthy) this.becameUnhealthy(loan);
  }

  private becameUnhealthy(loan: Loan): void {
    this.emitUnhealthy(loan);
    this.policy.onUnhealthy(this, loan, false);
    this.scheduleReoffer(this.kernel.now);
  }

  private scheduleReoffer(now: Micros): void {
    if (this.reofferScheduled || this.reofferIntervalUs === 0) return;
    this.reofferScheduled = true;
    this.wakeAt(now + this.reofferIntervalUs, REOFFER_TAG);
  }

  /** Offers every loan still unhealthy again, and keeps doing so while any is. */
  private reoffer(now: Micros): void {
    this.reofferScheduled = false;
    const ids = this.unhealthyLoanIds();
    for (const id of ids) this.policy.onUnhealthy(this, this.book.get(id) as Loan, true);
    if (ids.length > 0) this.scheduleReoffer(now);
  }

  /** Closes a loan: returns its collateral, lapses its calls, frees the pair. */
  private close(loan: Loan, status: LoanStatus): void {
    for (let i = 0; i < loan.qty.length; i++) {
      const q = loan.qty[i] as number;
      if (q === 0) continue;
      ok(this.ledger.releasePosition(loan.borrowerAccount, i, q));
      loan.removeCollateral(i, q);
      this.emitCollateralMoved(loan, i, -q);
    }
    if (loan.callRemaining > 0 || loan.overdue) this.endLenderCall(loan);
    if (loan.healthCallDeadline >= 0) this.clearHealthCall(loan);
    loan.status = status;
    this.book.release(loan);
    if (this.kernel.observes('LoanClosed')) {
      const e: LoanClosed = { ...this.stamp('LoanClosed'), loanId: loan.id, status };
      this.kernel.emit(e);
    }
  }

  private endLenderCall(loan: Loan): void {
    this.cancelWake(this.callWakes, loan.id);
    loan.callRemaining = 0;
    loan.callAll = false;
    loan.callDeadline = -1;
    loan.overdue = false;
    this.emitCallMet(loan, 'lender');
  }

  private equityOf(r: LenderRecord): number {
    return this.ledger.cash(r.account) + r.marginClaims + r.interbankClaims - r.interbankLiabilities - r.externalLiabilities;
  }

  /** After each delivery: clears the network if a loss left a lender insolvent, then runs receivership sweeps. */
  private settleLosses(): void {
    if (this.solvencyDirty) {
      this.solvencyDirty = false;
      let trigger = false;
      for (const r of this.lenderList) {
        const equity = this.equityOf(r);
        if (equity < 0 && (!r.defaulted || r.lossSinceClearing)) trigger = true;
      }
      if (trigger) this.clearInterbank();
      for (const r of this.lenderList) r.lossSinceClearing = false;
    }
    if (this.sweepDirty) {
      this.sweepDirty = false;
      this.sweepAll();
    }
  }

  /**
   * Clears the lenders' network by Eisenberg–Noe: outside assets `e_i = cash
   * + margin claims`, obligations = interbank debts (accrued to now) and
   * external liabilities. Writes the defaulters' liabilities down to their
   * recovery rate.
   */
  private clearInterbank(): void {
    const now = this.kernel.now;
    const n = this.lenderList.length;
    const index = new Map<AgentId, number>();
    this.lenderList.forEach((r, i) => index.set(r.agent, i));
    const interbank = this.book.live().filter((l) => l.kind === 'interbank');
    for (const loan of interbank) this.accrue(loan);
    const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (const loan of interbank) {
      const row = L[index.get(loan.borrower) as number] as number[];
      const j = index.get(loan.lender) as number;
      row[j] = (row[j] as number) + loan.debt;
    }
    const result = clearingVector({
      liabilities: L,
      externalLiabilities: this.lenderList.map((r) => r.externalLiabilities),
      externalAssets: this.lenderList.map((r) => this.ledger.cash(r.account) + r.marginClaims),
    });
    for (let i = 0; i < n; i++) {
      if (!result.defaulted[i]) continue;
      const rec = this.lenderList[i] as LenderRecord;
      const r = result.recovery[i] as number;
      const equityBefore = this.equityOf(rec);
      rec.recoveryRate = r;
      if (!rec.defaulted) {
        rec.defaulted = true;
        if (this.kernel.observes('LenderDefaulted')) {
          const e: LenderDefaulted = { ...this.stamp('LenderDefaulted'), lender: rec.agent, recoveryRate: r, equityBefore, obligations: result.obligations[i] as number, round: result.defaultRound[i] as number };
          this.kernel.emit(e);
        }
      }
      for (const loan of interbank) {
        if (loan.borrower !== rec.agent || !loan.isLive) continue;
        loan.freeze();
        const target = recovered(loan.debt, r);
        const cut = loan.debt - target;
        if (cut > 0) {
          loan.writeOff(now, cut);
          this.adjust(loan, -cut);
          (this.lenders.get(loan.lender) as LenderRecord).claimsWrittenDown += cut;
          rec.liabilitiesForgiven += cut;
          if (this.kernel.observes('ClaimWrittenDown')) {
            const e: ClaimWrittenDown = { ...this.stamp('ClaimWrittenDown'), loanId: loan.id, creditor: loan.lender, debtor: loan.borrower, amount: cut };
            this.kernel.emit(e);
          }
        }
        if (loan.debt === 0) this.close(loan, 'defaulted');
      }
      const ext = rec.externalLiabilities;
      const extAfter = recovered(ext, r);
      rec.liabilitiesForgiven += ext - extAfter;
      rec.externalLiabilities = extAfter;
    }
    this.sweepDirty = true;
  }

  /** Pays the free cash of every defaulted lender out to its interbank creditors, pro rata, until nothing moves. */
  private sweepAll(): void {
    for (let round = 0; round <= this.lenderList.length; round++) {
      let moved = false;
      for (const rec of this.lenderList) if (rec.defaulted && this.sweep(rec)) moved = true;
      if (!moved) return;
    }
  }

  private sweep(rec: LenderRecord): boolean {
    const avail = this.ledger.availableCash(rec.account);
    if (avail <= 0) return false;
    const owed = this.book.live().filter((l) => l.kind === 'interbank' && l.borrower === rec.agent && l.debt > 0);
    let total = rec.externalLiabilities;
    for (const l of owed) total += l.debt;
    if (owed.length === 0 || total === 0) return false;
    let moved = false;
    for (const loan of owed) {
      const pay = Math.min(loan.debt, mulDiv(avail, loan.debt, total, 'floor'));
      if (pay <= 0) continue;
      this.repay(loan, rec.agent, rec.account, pay);
      moved = true;
      if (loan.debt === 0) this.close(loan, 'closed');
    }
    return moved;
  }

  private stateOf(loan: Loan): LoanState {
    const debt = loan.debtAt(this.kernel.now);
    const collateral: CollateralLeg[] = [];
    for (let i = 0; i < loan.qty.length; i++) if ((loan.qty[i] as number) > 0) collateral.push({ instrument: i, qty: loan.qty[i] as number });
    const hf = loan.kind === 'margin' ? healthFactor(this.liquidationValue(loan), debt) : debt > 0 ? 0 : Number.POSITIVE_INFINITY;
    return { loanId: loan.id, lender: loan.lender, borrower: loan.borrower, debt, collateral, healthFactor: hf, called: loan.called };
  }

  private sendMarginCall(loan: Loan, amount: number, deadline: Micros, reason: 'lender' | 'health'): void {
    const msg = { type: 'MarginCalled', loan: this.stateOf(loan), amount, deadline } as const;
    this.tell(loan.borrower, msg);
    this.tell(loan.lender, msg);
    if (this.kernel.observes('MarginCallIssued')) {
      const e: MarginCallIssued = { ...this.stamp('MarginCallIssued'), loanId: loan.id, borrower: loan.borrower, lender: loan.lender, amount, deadline, reason };
      this.kernel.emit(e);
    }
  }

  /** Sends a typed report (or the broker's sell order). */
  private tell(to: AgentId, message: CreditReport | PlaceOrder): void {
    this.send(to, message);
  }

  private reject(to: AgentId, command: string, loanId: number, reason: CreditRejectReason): void {
    this.tell(to, { type: 'CreditRejected', command, loanId, reason });
  }

  /** The common fields of an event (call only when observed). */
  private stamp<T extends string>(type: T): { type: T; id: number; causeId: number; time: Micros } {
    return { type, id: this.kernel.newId(), causeId: this.kernel.currentId, time: this.kernel.now };
  }

  private emitOpened(loan: Loan): void {
    if (!this.kernel.observes('LoanOpened')) return;
    const e: LoanOpened = { ...this.stamp('LoanOpened'), loanId: loan.id, kind: loan.kind, lender: loan.lender, borrower: loan.borrower, annualRate: fraction(loan.rate) };
    this.kernel.emit(e);
  }

  private emitUnhealthy(loan: Loan): void {
    if (!this.kernel.observes('LoanBecameUnhealthy')) return;
    const e: LoanBecameUnhealthy = { ...this.stamp('LoanBecameUnhealthy'), loanId: loan.id, borrower: loan.borrower, lender: loan.lender, healthFactor: healthFactor(this.liquidationValue(loan), loan.debt) };
    this.kernel.emit(e);
  }

  private emitCallMet(loan: Loan, reason: 'lender' | 'health'): void {
    if (!this.kernel.observes('MarginCallMet')) return;
    const e: MarginCallMet = { ...this.stamp('MarginCallMet'), loanId: loan.id, reason };
    this.kernel.emit(e);
  }

  private emitCollateralMoved(loan: Loan, instrument: number, qty: number): void {
    if (!this.kernel.observes('CollateralMoved')) return;
    const e: CollateralMoved = { ...this.stamp('CollateralMoved'), loanId: loan.id, instrument, qty };
    this.kernel.emit(e);
  }
}

/** A positive safe integer amount. */
function isPositiveAmount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}

/**
 * What is left of a claim of `face` minor units at recovery rate `r`:
 * `⌈face · r⌉` (up to a 1e-6 float tolerance), so the defaulting bank bears
 * the sub-unit remainder and a creditor that the clearing vector pays in
 * full is never pushed into default by rounding.
 */
function recovered(face: number, r: number): number {
  if (r >= 1) return face;
  return Math.min(face, Math.max(0, Math.ceil(face * r - 1e-6)));
}

/** Fixed point back to a plain fraction (for events). */
function fraction(units: number): number {
  return units / RATE_SCALE;
}

/** Ledger refusals after the venue's own checks are bugs. */
function ok(result: LedgerResult): void {
  if (result !== 'OK') throw new Error(`credit venue: ledger refused (${result}) after its checks passed`);
}


