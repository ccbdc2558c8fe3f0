/**
 * The credit venue agent: margin loans (repo-style credit lines), collateral,
 * margin calls, liquidations, bad debt, interbank lending and lender default.
 * This file only receives — messages, wake-ups and the exchange's mark hook —
 * and hands each to the part of `src/credit` whose job it is:
 *
 * | arrives                                   | handled by                            |
 * | ----------------------------------------- | ------------------------------------- |
 * | `SetCreditTerms` … `LendInterbank`, calls | credit-lines.ts (terms: terms-application.ts) |
 * | `LiquidateLoan`, reports on its own sales | liquidation-venue.ts → the policy     |
 * | a mark change (`MarkListener`)            | health-watch.ts → liquidation-venue   |
 * | a wake-up ({@link CreditTimer})           | by purpose, see {@link CreditMarket.onWakeup} |
 * | end of every delivery                     | receivership.ts (default, clearing)   |
 *
 * ## The health trigger
 *
 * The exchange knows nothing of credit. It offers one hook, `MarkListener`
 * (market/exchange.ts): every listener is told synchronously, inside the
 * handler of the order that moved the price, when an instrument's top of
 * book or last trade changes. The venue registers itself at construction;
 * {@link CreditMarket.onMarkChanged} passes the change to the
 * {@link HealthWatch}, which re-checks exactly the loans whose trigger was
 * crossed. So anything a mark change causes — a `LoanLiquidatable`, a margin
 * call — has that order as its cause.
 *
 * ## Health, interest, liquidation
 *
 * - **Health.** `HF = Σ qty · mark · m · (1 − h_maint) / debt` (Aave v3's
 *   health factor, `LT = 1 − h_maint`); unhealthy when `< 1`. Health uses the
 *   *booked* debt: interest accrues lazily (on every touch and every
 *   `accrualIntervalUs`), so between bookings the index lags the accruing
 *   interest by at most one interval.
 * - **Interest**: simple, ACT/365, cumulative basis (loan.ts), capitalised
 *   into debt, paid first.
 * - **Liquidation**: a {@link LiquidationPolicy}, asked with a read-only view;
 *   it answers with commands that liquidation-venue.ts executes (one way).
 * - **Lenders**: lender-books.ts; **default and contagion**: receivership.ts.
 *
 * ## Causality
 *
 * Everything the venue does inside a handler takes that delivery as cause:
 * a `LiquidateLoan` command, a deadline wake-up, a sale's fill report, or —
 * inside {@link CreditMarket.onMarkChanged} — the order whose trade moved the mark.
 * A lender's roll or notice wake-up is itself caused by the lender's posting
 * whose terms it applies (terms-application.ts).
 *
 * @packageDocumentation
 */

import { BaseAgent } from '../engine/agent.js';
import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Message } from '../engine/message.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, type Micros } from '../engine/time.js';
import type { Exchange, MarkListener } from '../market/exchange.js';
import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import type { OrderReport } from '../market/order-messages.js';
import { CreditAudit } from './credit-audit.js';
import type { CreditContext } from './credit-context.js';
import { CreditLines } from './credit-lines.js';
import type { CreditCommand, LiquidateLoan, LoanState } from './credit-messages.js';
import { CreditMetrics } from './credit-metrics.js';
import { CreditReports } from './credit-reports.js';
import { CreditTimers, type CreditTimer } from './credit-timers.js';
import { HealthWatch } from './health-watch.js';
import { LenderBooks, type LenderOptions, type LenderView } from './lender-books.js';
import type { LiquidationPolicy } from './liquidation-policy.js';
import { LiquidationVenue } from './liquidation-venue.js';
import type { ClosedLoanTotals } from './closed-loans.js';
import { SIMULATION_CLOCK, type InterestClock, type Loan, type LoanStatus } from './loan.js';
import { loanRefusal } from './loan-access.js';
import { LoanBook } from './loan-book.js';
import { LoanPostings } from './loan-postings.js';
import { halfTicks } from './margin.js';
import { Receivership } from './receivership.js';
import { TermsApplication } from './terms-application.js';
import { SIMULATION_TERMS_CLOCK, type TermsClock } from './terms-schedule.js';

export type { LenderOptions, LenderView } from './lender-books.js';

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
  /** The time interest accrues over: the trading calendar's calendar time (default the simulation clock, for one session). */
  readonly interestClock?: InterestClock;
  /** The trading calendar, for lenders whose loans roll (roll intervals are calendar time; default: one session, no nights). */
  readonly calendar?: TermsClock;
}

/**
 * The credit venue agent. It handles `CreditCommand` messages (and, for the
 * broker policy, the exchange's reports on its own sell orders), listens to
 * the exchange's marks, and notifies `SubscribeLiquidations` subscribers with
 * `LoanLiquidatable`. Its parts are wired when it joins the kernel; its
 * read-only accessors below are what samplers and tests use.
 */
export class CreditMarket extends BaseAgent implements MarkListener {
  readonly ledger: Ledger;
  readonly instruments: readonly Instrument[];
  readonly policy: LiquidationPolicy;
  readonly accrualIntervalUs: Micros;
  readonly callGracePeriodUs: Micros;
  readonly reofferIntervalUs: Micros;
  private readonly interestClock: InterestClock;
  private readonly calendar: TermsClock;
  private readonly exchange: Exchange;
  private readonly minor: number[];
  private readonly markHalfTicks: number[];
  private readonly accounts: number[] = [];
  private readonly book: LoanBook;
  private readonly lenders: LenderBooks;
  // Wired in `attach` (they speak through the kernel).
  private reports!: CreditReports;
  private timers!: CreditTimers;
  private postings!: LoanPostings;
  private liquidation!: LiquidationVenue;
  private health!: HealthWatch;
  private lines!: CreditLines;
  private terms!: TermsApplication;
  private receivership!: Receivership;
  private metrics!: CreditMetrics;
  private audit!: CreditAudit;

  constructor(name: string, options: CreditMarketOptions) {
    super(name);
    this.exchange = options.exchange;
    this.ledger = options.ledger;
    this.policy = options.policy;
    this.instruments = options.exchange.instruments;
    this.accrualIntervalUs = options.accrualIntervalUs ?? MICROS_PER_HOUR;
    this.callGracePeriodUs = options.callGracePeriodUs ?? MICROS_PER_MINUTE;
    this.reofferIntervalUs = options.reofferIntervalUs ?? 10 * MICROS_PER_SECOND;
    this.interestClock = options.interestClock ?? SIMULATION_CLOCK;
    this.calendar = options.calendar ?? SIMULATION_TERMS_CLOCK;
    if (!Number.isSafeInteger(this.reofferIntervalUs) || this.reofferIntervalUs < 0) throw new RangeError('reofferIntervalUs must be a non-negative integer');
    if (!Number.isSafeInteger(this.accrualIntervalUs) || this.accrualIntervalUs < 0) throw new RangeError('accrualIntervalUs must be a non-negative integer');
    if (!Number.isSafeInteger(this.callGracePeriodUs) || this.callGracePeriodUs < 0) throw new RangeError('callGracePeriodUs must be a non-negative integer');
    this.minor = this.instruments.map((i) => i.minorPerTickLot);
    this.markHalfTicks = this.instruments.map((i) => halfTicks(options.exchange.markPrice(i.id)));
    this.book = new LoanBook(this.minor);
    this.lenders = new LenderBooks(this.ledger);
    options.exchange.addMarkListener(this);
  }

  override attach(kernel: Kernel, id: AgentId): void {
    super.attach(kernel, id);
    const { ledger, instruments, book, lenders, policy } = this;
    const marksHalfTicks = this.markHalfTicks;
    const accountOf = (agent: AgentId): number => this.accountOf(agent);
    const reports = new CreditReports(kernel, id, book, marksHalfTicks);
    const timers = new CreditTimers(kernel, id);
    const postings = new LoanPostings(kernel, ledger, book, lenders, reports, timers);
    const context: CreditContext = { kernel, ledger, instruments, marksHalfTicks, minorPerTickLot: this.minor, book, postings, reports, timers, accountOf };
    const liquidation = new LiquidationVenue({ ...context, venueId: id, exchangeId: this.exchange.id, policy });
    const health = new HealthWatch(this.exchange, book, marksHalfTicks, liquidation, reports, timers, this.reofferIntervalUs);
    const terms = new TermsApplication({ kernel, book, lenders, postings, health, timers, reports, clock: this.calendar });
    this.terms = terms;
    this.lines = new CreditLines({
      ...context,
      lenders,
      health,
      liquidation,
      accrualIntervalUs: this.accrualIntervalUs,
      callGracePeriodUs: this.callGracePeriodUs,
      interestClock: this.interestClock,
      registerLender: (agent) => this.registerLender(agent),
      terms,
    });
    this.receivership = new Receivership(kernel, ledger, book, lenders, postings, reports);
    this.metrics = new CreditMetrics(ledger, instruments, marksHalfTicks, book, lenders, reports, accountOf);
    this.audit = new CreditAudit(ledger, instruments.length, marksHalfTicks, book, lenders, liquidation.subscribers, policy, liquidation);
    this.reports = reports;
    this.timers = timers;
    this.postings = postings;
    this.liquidation = liquidation;
    this.health = health;
    policy.attach(liquidation);
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
    this.lenders.register(agent, account, options);
  }

  // ------------------------------------------------------------ handlers

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    const m = message as CreditCommand | OrderReport;
    const lines = this.lines;
    switch (m.type) {
      case 'SetCreditTerms':
        lines.setTerms(now, m, from);
        break;
      case 'RequestLoan':
        lines.requestLoan(now, m, from);
        break;
      case 'RepayLoan':
        lines.repayLoan(now, m, from);
        break;
      case 'PledgeCollateral':
        lines.pledge(m, from);
        break;
      case 'ReleaseCollateral':
        lines.releaseCollateral(now, m, from);
        break;
      case 'CallLoan':
        lines.callLoan(now, m, from);
        break;
      case 'QueryLoans':
        lines.queryLoans(m, from);
        break;
      case 'LendInterbank':
        lines.lendInterbank(now, m, from);
        break;
      case 'LiquidateLoan':
        this.liquidateLoan(m, from);
        break;
      case 'SubscribeLiquidations':
        this.liquidation.subscribe(from);
        break;
      case 'OrderAccepted':
      case 'OrderRejected':
      case 'OrderFilled':
      case 'OrderCancelled':
      case 'OrderModified':
        if (from === this.exchange.id) this.liquidation.onOrderReport(m);
        break;
      default: {
        const never: never = m;
        void never;
        break;
      }
    }
    this.receivership.settleLosses();
    this.book.forgetClosed();
  }

  /** Wake-ups by purpose (credit-timers.ts). */
  override onWakeup(now: Micros, _tag: number): void {
    const timer = this.timers.take();
    if (timer !== undefined) this.onTimer(now, timer);
    this.receivership.settleLosses();
    this.book.forgetClosed();
  }

  private onTimer(now: Micros, timer: CreditTimer): void {
    switch (timer.purpose) {
      case 'accrual':
        return this.accrualTick(now);
      case 'reoffer':
        return this.health.reoffer(now);
      case 'lender-call':
      case 'health-call':
        // Either deadline re-checks both: a loan's calls fall due together when their times coincide.
        return this.lines.deadline(now, timer.loanId);
      case 'policy': {
        // A loan forgotten since has closed: no policy acts on a closed loan, so its wake-up has nothing to do.
        const loan = this.book.get(timer.loanId);
        if (loan !== undefined) this.liquidation.onWakeup(loan);
        return;
      }
      case 'roll':
        return this.terms.roll(now, timer.lender);
      case 'notice':
        return this.terms.notice(now, timer.lender);
      default: {
        const never: never = timer;
        throw new Error(`credit venue: unknown timer ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * The exchange's mark hook (`MarkListener`), on every top-of-book change or
   * trade: O(1) when no loan crosses its trigger (no allocation), O(k log n)
   * for k crossings, plus the multi-instrument baskets on the instrument.
   */
  onMarkChanged(instrument: number, _now: Micros): void {
    this.health.onMarkChanged(instrument);
  }

  private liquidateLoan(m: LiquidateLoan, from: AgentId): void {
    const refusal = loanRefusal(this.book, m.loanId, from, 'anyone', true);
    if (refusal !== null) return this.reports.reject(from, m.type, m.loanId, refusal);
    const loan = this.book.get(m.loanId) as Loan;
    const reason = this.liquidation.liquidate(loan, from, m);
    if (reason !== null) this.reports.reject(from, m.type, m.loanId, reason);
  }

  /** Accrues every live loan, re-checks health, and ticks again while any loan lives. */
  private accrualTick(now: Micros): void {
    const live = this.book.live();
    for (let k = 0; k < live.length; k++) {
      const loan = live[k] as Loan;
      if (loan.frozen) continue;
      this.postings.accrue(loan);
      if (loan.kind === 'margin' && loan.status === 'open') this.health.reindex(loan, 'interest');
    }
    this.lenders.solvencyDirty = true;
    if (this.book.live().length > 0) this.timers.accrualAt(now + this.accrualIntervalUs);
  }

  // ----------------------------------------------------------- accessors

  /** Last known mark of each instrument, half-ticks. */
  get marksHalfTicks(): readonly number[] {
    return this.markHalfTicks;
  }

  /** The mark of `instrument` the venue uses, ticks (last known; 0 if never priced). */
  mark(instrument: number): number {
    return this.markHalfTicks[instrument] / 2;
  }

  /**
   * A live loan (read-only use), or undefined. A loan that closes is
   * forgotten at the end of the venue's delivery that closed it (loan-book.ts):
   * ask {@link loanStatus} how it ended, {@link closedLoans} for totals.
   */
  loan(loanId: number): Loan | undefined {
    return this.book.get(loanId);
  }

  /** Status of any loan ever opened, closed ones included (undefined: no such id). */
  loanStatus(loanId: number): LoanStatus | undefined {
    return this.book.status(loanId);
  }

  /** Number of loans ever opened (ids are 1..count). */
  get loanCount(): number {
    return this.book.maxId;
  }

  /** Loans the venue holds in memory: the live ones, and any closed in the delivery under way (for tests and measurement). */
  get loansHeld(): number {
    return this.book.size;
  }

  /** Totals over the loans closed and forgotten so far, per kind (read-only use). */
  closedLoans(): { readonly margin: Readonly<ClosedLoanTotals>; readonly interbank: Readonly<ClosedLoanTotals> } {
    return { margin: this.book.closed.margin, interbank: this.book.closed.interbank };
  }

  /** States of every live loan, in id order. */
  loanStates(): LoanState[] {
    return this.metrics.loanStates();
  }

  /** Health factor of a margin loan at booked debt (Infinity without debt). */
  healthFactor(loanId: number): number {
    return this.metrics.healthFactor(loanId);
  }

  /** True when the index flags the loan below maintenance, or a lender's call on it is overdue. */
  isLiquidatable(loanId: number): boolean {
    return this.metrics.isLiquidatable(loanId);
  }

  /** Ids of open loans the index flags unhealthy, ascending. */
  unhealthyLoanIds(): number[] {
    return this.health.unhealthyLoanIds();
  }

  /** Ids of open margin loans whose liquidation value is below their booked debt, by a full scan (reference for the index). */
  scanUnhealthyLoanIds(): number[] {
    return this.metrics.scanUnhealthyLoanIds();
  }

  /** A lender's balance sheet, or undefined. */
  lender(agent: AgentId): LenderView | undefined {
    return this.lenders.view(agent);
  }

  /** Registered lenders, in registration order. */
  lenderIds(): AgentId[] {
    return this.lenders.list.map((r) => r.agent);
  }

  /** A lender's book equity, minor units (NaN if unknown). */
  lenderEquity(agent: AgentId): number {
    return this.lenders.equity(agent);
  }

  /** Σ equity over lenders not in default, minor units. */
  totalLenderEquity(): number {
    return this.lenders.totalEquity();
  }

  /** Lenders in default, in registration order. */
  defaultedLenders(): AgentId[] {
    return this.lenders.list.filter((r) => r.defaulted).map((r) => r.agent);
  }

  /** What `agent` owes on its margin loans (booked), minor units. */
  borrowerDebt(agent: AgentId): number {
    return this.lenders.borrowerDebts.get(agent) ?? 0;
  }

  /** Σ booked debt of all margin loans, minor units. */
  totalDebt(): number {
    return this.lenders.marginDebt;
  }

  /** Σ bad debt written off so far, minor units. */
  totalBadDebt(): number {
    return this.lenders.badDebtTotal;
  }

  /** Mean initial haircut on `instrument` over lenders with terms, not in default (a fraction; NaN when none). */
  meanHaircut(instrument: number): number {
    return this.lenders.meanHaircut(instrument);
  }

  /** Leverage of a borrower's account: gross exposure / (cash + positions − margin debt). */
  borrowerLeverage(agent: AgentId): number {
    return this.metrics.borrowerLeverage(agent);
  }

  /** Aggregate leverage of the borrowers with debt (0 without; Infinity when their equity is ≤ 0). */
  aggregateLeverage(): number {
    return this.metrics.aggregateLeverage();
  }

  /** `SubscribeLiquidations` subscribers, in order of subscription. */
  liquidationSubscribers(): readonly AgentId[] {
    return this.liquidation.subscribers;
  }

  /** The venue's invariants (credit-audit.ts): one message per violation, empty when sound. */
  validateInvariants(): string[] {
    return this.audit.validateInvariants();
  }

  /** A deterministic 64-bit FNV-1a hash of the venue's state (credit-audit.ts). */
  stateHash(): string {
    return this.audit.stateHash();
  }
}
