import { BaseAgent } from '../engine/agent.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Scheduled } from '../engine/kernel.js';
import { ignoreUnlisted, type Message } from '../engine/message.js';
import type { Micros } from '../engine/time.js';
import type { CallLoan, CreditReport, LoanState, QueryLoans, SetCreditTerms, TermsSchedule } from '../credit/credit-messages.js';
import { scheduleFromCommand } from '../credit/terms-schedule.js';
import type { InstrumentId } from '../market/instrument.js';
import { RATE_SCALE } from '../market/rounding.js';
import { NO_PRICE, midOf, type MarketSnapshot, type QueryMarket, type SubscribeMarketData } from '../market/market-data.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import type { CreditTermsView } from './credit-terms-view.js';
import type { HaircutPolicy } from './haircut-policy.js';
import { RealizedVolEstimator } from './realized-vol-estimator.js';
import type { VolatilityEstimator } from './volatility-estimator.js';

const REPRICE = 1;
const SAMPLE = 2;
const REVIEW = 3;

/** Options of a {@link Lender}. Cash amounts in minor units, times in µs. */
export interface LenderOptions {
  /** The credit venue's agent id. Required. */
  credit: AgentId;
  /** The exchange's agent id (market data). Required. */
  exchange: AgentId;
  /** Instruments accepted as collateral (others get haircut 1). Required, non-empty. */
  instruments: readonly InstrumentId[];
  /** Length of the haircut arrays in `SetCreditTerms` (instruments of the venue). Default max(`instruments`) + 1. */
  instrumentCount?: number;
  /**
   * The initial-haircut rule: one policy (shared; it must then be
   * stateless), or a factory called once per accepted instrument. Required.
   */
  haircutPolicy: HaircutPolicy | ((instrument: InstrumentId) => HaircutPolicy);
  /** Maintenance haircut = initial × `maintenanceRatio`, in (0, 1]. Default 0.75. */
  maintenanceRatio?: number;
  /** Simple annual interest rate. Default 0.05. */
  annualRate?: number;
  /** Largest debt per borrower, minor units. Default `Number.MAX_SAFE_INTEGER`. */
  maxPerBorrower?: number;
  /** Largest total debt, minor units. Default `Number.MAX_SAFE_INTEGER`. */
  maxTotal?: number;
  /** Time between postings of terms, µs. Default 60 000 000 (1 min). */
  repriceIntervalUs?: Micros;
  /** First posting, µs. Default 0 (at the start). */
  startUs?: Micros;
  /** Price sampling interval of the volatility estimate, µs. Default 1 000 000 (1 s). */
  sampleIntervalUs?: Micros;
  /**
   * Length of a trading session, µs (the kernel's clock lays sessions end
   * to end): at each open the estimate's chain of returns starts again, so
   * the overnight move is not taken as one intraday return (see
   * {@link VolatilityEstimator.openSession}). Default +∞ (one session).
   */
  sessionUs?: Micros;
  /** Returns in the volatility window (of the default estimator). Default 60. */
  volWindow?: number;
  /** Returns needed before the estimate replaces `initialSigma` (default estimator). Default `volWindow`. */
  minReturns?: number;
  /**
   * Builds the volatility estimator of one accepted instrument, sampling
   * every `intervalUs` (the lender passes its `sampleIntervalUs`; the
   * estimator must keep it): {@link RealizedVolEstimator},
   * `EwmaVolEstimator`, `GarchVolEstimator`, with or without a prior.
   * Default: a `RealizedVolEstimator` of `volWindow` returns, ready after
   * `minReturns`, without a prior.
   */
  volEstimator?: (intervalUs: Micros) => VolatilityEstimator;
  /** `'subscribe'`: market-data pushes (throttled to `sampleIntervalUs`); `'query'`: a `QueryMarket` every `sampleIntervalUs`. Default `'subscribe'`. */
  marketData?: 'subscribe' | 'query';
  /** Volatility assumed until the estimate is ready, per √s; NaN lets the policy choose (its fallback). Default NaN. */
  initialSigma?: number;
  /** The capital the scenario deposits, minor units; 0 = unknown (never refuses credit). Default 0. */
  initialCapital?: number;
  /** Below this ratio of capital left (after bad debt) to `initialCapital`, credit is refused. Default 0.5. */
  minCapitalRatio?: number;
  /** Time between `QueryLoans` reviews that may call loans, µs; `Infinity` = never. Default `Infinity`. */
  loanReviewIntervalUs?: Micros;
  /**
   * Intraday repricing: besides the schedule, the lender posts new terms as
   * soon as an instrument's estimated volatility exceeds the volatility of its
   * last posting by this fraction (0.5: 50 % higher), as risk desks raise
   * margins intraday when volatility spikes; loosening waits for the
   * schedule. The new terms are then caused by the market data that moved
   * the estimate, so a margin spiral is an exact causal chain. 0 disables.
   * Default 0.
   */
  volTrigger?: number;
  /** A reviewed loan with a health factor below this is called. Default 1.05. */
  callHealthFactor?: number;
  /** A call asks for the repayment that lifts the health factor to this. Default 1.25. */
  callTargetHealthFactor?: number;
  /**
   * When its postings reach existing loans, at the venue: `'immediate'`
   * (every open loan at once), `'roll'` (each loan at its next roll, every
   * `rollIntervalUs` of calendar time after it opened) or `'notice'`
   * (`noticeUs` after the posting). Default `'immediate'`. See
   * credit/terms-schedule.ts.
   */
  termsApply?: TermsSchedule['apply'];
  /** `'roll'`: calendar time between a loan's rolls, µs, > 0. Default 86 400 000 000 (1 day). */
  rollIntervalUs?: Micros;
  /** `'notice'`: time from a posting to its application, µs, > 0. Default 86 400 000 000 (1 day). */
  noticeUs?: Micros;
  /** Largest change of a loan's maintenance haircut per application, in (0, 1]; 1: no cap. Default 1. */
  maxHaircutStep?: number;
}

/** Per accepted instrument. */
interface Book {
  readonly instrument: InstrumentId;
  readonly estimator: VolatilityEstimator;
  policy: HaircutPolicy;
  /** The session of the estimator's last price. */
  session: number;
  /** Lots traded before the session (cumulative volume at its first snapshot; −1 before it). */
  sessionVolume: number;
}

/**
 * Command (an exogenous intervention, e.g. a stress test): revise how the
 * lender lends from now on, and post new terms at once. Absent fields are
 * unchanged; `haircutAdd` is added to every haircut the policy gives
 * (clamped to [0, 1]) until revised again.
 */
export interface ReviseLending extends Message {
  readonly type: 'ReviseLending';
  readonly haircutPolicy?: HaircutPolicy | ((instrument: InstrumentId) => HaircutPolicy);
  readonly haircutAdd?: number;
  readonly maintenanceRatio?: number;
  readonly annualRate?: number;
  readonly maxPerBorrower?: number;
  readonly maxTotal?: number;
}

/**
 * A lender of margin (repo-style) credit against collateral.
 *
 * It estimates volatility per accepted instrument (a
 * {@link VolatilityEstimator}: realised by default, or EWMA or GARCH, from a
 * prior or not; fed by market-data pushes or periodic queries; mids, or the
 * last trade when a side is empty), and every `repriceIntervalUs` posts
 * `SetCreditTerms`:
 *
 * - initial haircut `h_i = policy(σ_i)` with σ per √s (until the estimate
 *   is ready: `policy(initialSigma)`; an estimator that starts from a prior
 *   is ready from the start, so there is no start-up transient);
 * - maintenance haircut `h_i · maintenanceRatio`: the gap is the borrower's
 *   buffer — a loan drawn to the initial limit starts with health factor
 *   `(1 − h·r)/(1 − h) > 1` (Aave's LTV vs liquidation threshold);
 * - `annualRate`, `maxPerBorrower`, `maxTotal`.
 *
 * The venue reprices existing loans to the new maintenance haircuts at once
 * (by default; `termsApply` and `maxHaircutStep` make them reach loans at
 * their roll or after notice, in capped steps), so a rise in volatility
 * under a procyclical policy pushes borrowers toward
 * health factor 1: the leverage cycle's margin spiral emerges from this rule,
 * nothing is scripted.
 *
 * Refusal: with `initialCapital` set, the lender tracks its capital as
 * `initialCapital − Σ badDebt` (bad debt from `LoanLiquidated` reports; the
 * accrued interest it is owed is not counted — a conservative view). Below
 * `minCapitalRatio` of the initial capital it posts initial haircut 1 on
 * everything (no new credit) and keeps the last maintenance haircuts, so
 * existing loans are not made unhealthy by the refusal itself.
 *
 * Causes: a posting is sent as caused by the market data that last moved
 * one of its estimates (the snapshot delivery, itself caused by the book
 * change it reports), not by the timer that happened to post it. A margin
 * spiral — fire sale, price move, higher estimate, higher haircut,
 * liquidation, fire sale — is then one causal chain (issue 13, item 3).
 *
 * Calls (optional): every `loanReviewIntervalUs` it sends `QueryLoans` and
 * sends `CallLoan` for each of its loans with health factor below
 * `callHealthFactor` and no call outstanding, for the repayment that lifts
 * the health factor to `callTargetHealthFactor`:
 * `debt · (1 − HF/target)`, rounded up.
 *
 * Messages sent: `SubscribeMarketData` or `QueryMarket` (exchange);
 * `SetCreditTerms`, `QueryLoans`, `CallLoan` (credit venue).
 * Messages handled: `MarketSnapshot`; `LoanGranted`, `MarginCalled`,
 * `LoanLiquidated`, `LoansReported`, `CreditRejected` (counted).
 */
export class Lender extends BaseAgent implements CreditTermsView {
  readonly credit: AgentId;
  readonly exchange: AgentId;
  readonly instrumentCount: number;
  maintenanceRatio: number;
  annualRate: number;
  maxPerBorrower: number;
  maxTotal: number;
  readonly repriceIntervalUs: Micros;
  readonly startUs: Micros;
  readonly sampleIntervalUs: Micros;
  readonly sessionUs: Micros;
  readonly marketData: 'subscribe' | 'query';
  readonly initialSigma: number;
  readonly initialCapital: number;
  readonly minCapitalRatio: number;
  readonly loanReviewIntervalUs: Micros;
  readonly callHealthFactor: number;
  readonly volTrigger: number;
  readonly callTargetHealthFactor: number;
  /** The schedule sent with every posting; null for the venue's default (immediate, uncapped), which is then left out. */
  readonly termsSchedule: TermsSchedule | null;
  /** The last terms sent (null before the first). */
  lastTerms: SetCreditTerms | null = null;
  /** Number of `SetCreditTerms` sent. */
  termsPosted = 0;
  /** The market-data delivery that last moved a volatility estimate (null: none yet; a posting is then caused by what posts it). */
  private estimateCause: Scheduled | null = null;
  /** Bad debt written off on this lender's loans, minor units. */
  badDebt = 0;
  /** Number of `CallLoan` sent. */
  callsSent = 0;
  /** Number of `CreditRejected` received. */
  rejections = 0;
  /** The lender's loans as last reported, by loan id (open ones only, as far as the reports tell). */
  readonly loans = new Map<number, LoanState>();
  /** Per borrower, the id of the newest loan reported (ids grow with time). */
  private readonly newestLoan = new Map<AgentId, number>();
  private readonly books: Book[];
  private readonly byInstrument: (Book | undefined)[] = [];
  private readonly sigmas: number[];
  /** Added to every haircut by a `ReviseLending` intervention. */
  private haircutAdd = 0;

  constructor(name: string, options: LenderOptions) {
    super(name);
    this.credit = requireInt('credit', options.credit, 0);
    this.exchange = requireInt('exchange', options.exchange, 0);
    const instruments = options.instruments ?? [];
    if (instruments.length === 0) throw new RangeError('Lender needs at least one accepted instrument');
    for (const i of instruments) requireInt('instrument', i, 0);
    this.instrumentCount = requireInt('instrumentCount', options.instrumentCount ?? Math.max(...instruments) + 1, Math.max(...instruments) + 1);
    if (options.haircutPolicy === undefined) throw new RangeError('Lender needs a haircut policy');
    const policy = options.haircutPolicy;
    this.maintenanceRatio = options.maintenanceRatio ?? 0.75;
    if (!(this.maintenanceRatio > 0 && this.maintenanceRatio <= 1)) throw new RangeError(`maintenanceRatio must be in (0, 1], got ${this.maintenanceRatio}`);
    this.annualRate = requireAtLeast('annualRate', options.annualRate ?? 0.05, 0);
    this.maxPerBorrower = requireInt('maxPerBorrower', options.maxPerBorrower ?? Number.MAX_SAFE_INTEGER, 0);
    this.maxTotal = requireInt('maxTotal', options.maxTotal ?? Number.MAX_SAFE_INTEGER, 0);
    this.repriceIntervalUs = requireInt('repriceIntervalUs', options.repriceIntervalUs ?? 60_000_000, 1);
    this.startUs = requireInt('startUs', options.startUs ?? 0, 0);
    this.sampleIntervalUs = requireInt('sampleIntervalUs', options.sampleIntervalUs ?? 1_000_000, 1);
    this.sessionUs = requireTimeOrInfinity('sessionUs', options.sessionUs ?? Number.POSITIVE_INFINITY);
    if (this.sessionUs === 0) throw new RangeError('sessionUs must be > 0');
    this.marketData = options.marketData ?? 'subscribe';
    if (this.marketData !== 'subscribe' && this.marketData !== 'query') throw new RangeError(`marketData must be 'subscribe' or 'query', got ${String(this.marketData)}`);
    this.initialSigma = options.initialSigma ?? Number.NaN;
    if (this.initialSigma === this.initialSigma) requireAtLeast('initialSigma', this.initialSigma, 0);
    this.initialCapital = requireInt('initialCapital', options.initialCapital ?? 0, 0);
    this.minCapitalRatio = requireAtLeast('minCapitalRatio', options.minCapitalRatio ?? 0.5, 0);
    this.loanReviewIntervalUs = requireTimeOrInfinity('loanReviewIntervalUs', options.loanReviewIntervalUs ?? Number.POSITIVE_INFINITY);
    if (this.loanReviewIntervalUs === 0) throw new RangeError('loanReviewIntervalUs must be > 0');
    this.callHealthFactor = requireAtLeast('callHealthFactor', options.callHealthFactor ?? 1.05, 0);
    this.volTrigger = requireAtLeast('volTrigger', options.volTrigger ?? 0, 0);
    this.callTargetHealthFactor = requireAtLeast('callTargetHealthFactor', options.callTargetHealthFactor ?? 1.25, this.callHealthFactor);
    this.termsSchedule = termsScheduleOf(options);
    const volWindow = options.volWindow ?? 60;
    const minReturns = options.minReturns ?? volWindow;
    const makeEstimator = options.volEstimator ?? ((intervalUs: Micros) => new RealizedVolEstimator({ intervalUs, window: volWindow, minReturns }));
    this.books = instruments.map((instrument) => ({
      instrument,
      estimator: makeEstimator(this.sampleIntervalUs),
      policy: typeof policy === 'function' ? policy(instrument) : policy,
      session: 0,
      sessionVolume: -1,
    }));
    for (const b of this.books) {
      if (b.estimator.intervalUs !== this.sampleIntervalUs) throw new RangeError(`the volatility estimator samples every ${b.estimator.intervalUs} µs, the lender every ${this.sampleIntervalUs} µs: they must agree`);
      if (this.byInstrument[b.instrument] !== undefined) throw new RangeError(`instrument ${b.instrument} listed twice`);
      this.byInstrument[b.instrument] = b;
    }
    this.sigmas = new Array<number>(this.instrumentCount).fill(Number.NaN);
  }

  /** Capital left after bad debt, minor units (`initialCapital − badDebt`). */
  get capital(): number {
    return this.initialCapital - this.badDebt;
  }

  /** True while credit is refused for lack of capital. */
  get refusing(): boolean {
    return this.initialCapital > 0 && this.capital < this.minCapitalRatio * this.initialCapital;
  }

  /** Total debt owed to this lender as last reported, minor units. */
  get exposure(): number {
    let s = 0;
    for (const l of this.loans.values()) s += l.debt;
    return s;
  }

  /** Volatility used at the last repricing, per √s (NaN: none yet or not accepted). */
  sigmaOf(instrument: InstrumentId): number {
    return this.sigmas[instrument] ?? Number.NaN;
  }

  /** The volatility estimator of an accepted instrument. */
  estimatorOf(instrument: InstrumentId): VolatilityEstimator | undefined {
    return this.byInstrument[instrument]?.estimator;
  }

  initialHaircut(instrument: InstrumentId): number {
    return this.lastTerms?.haircuts[instrument] ?? 1;
  }

  maintenanceHaircut(instrument: InstrumentId): number {
    return this.lastTerms?.maintenanceHaircuts[instrument] ?? 1;
  }

  override onStart(now: Micros): void {
    if (this.marketData === 'subscribe') {
      for (const b of this.books) {
        const m: SubscribeMarketData = { type: 'SubscribeMarketData', instrument: b.instrument, depth: 0, minIntervalUs: this.sampleIntervalUs };
        this.send(this.exchange, m);
      }
    } else {
      this.wakeAt(now, SAMPLE);
    }
    this.wakeAt(Math.max(now, this.startUs), REPRICE);
    if (this.loanReviewIntervalUs !== Number.POSITIVE_INFINITY) this.wakeAt(now + this.loanReviewIntervalUs, REVIEW);
  }

  override onWakeup(now: Micros, tag: number): void {
    switch (tag) {
      case REPRICE:
        // The clock only decides when: the posting is caused by what moved the estimates.
        this.reprice(now, this.estimateCause);
        this.wakeAt(now + this.repriceIntervalUs, REPRICE);
        return;
      case SAMPLE:
        for (const b of this.books) {
          const q: QueryMarket = { type: 'QueryMarket', instrument: b.instrument, depth: 0 };
          this.send(this.exchange, q);
        }
        this.wakeAt(now + this.sampleIntervalUs, SAMPLE);
        return;
      case REVIEW: {
        const q: QueryLoans = { type: 'QueryLoans', unhealthyOnly: false };
        this.send(this.credit, q);
        this.wakeAt(now + this.loanReviewIntervalUs, REVIEW);
        return;
      }
      default:
        return;
    }
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    if (from === this.exchange && message.type === 'MarketSnapshot') {
      const s = message as MarketSnapshot;
      const b = this.byInstrument[s.instrument];
      if (b === undefined) return;
      const mid = midOf(s);
      const before = b.estimator.ready ? b.estimator.sigma : Number.NaN;
      this.openSessionOf(b, now);
      if (b.sessionVolume < 0) b.sessionVolume = s.volume;
      // In a call auction's collection the price is the last uncrossing's once the session has
      // traded (a batch market); before that, none: the last close is not a new observation, the
      // indicative price not a trade, so an opening call's chain starts at its uncrossing.
      const traded = s.volume > b.sessionVolume && s.lastPrice !== NO_PRICE;
      const price = s.auction !== undefined ? (traded ? s.lastPrice : Number.NaN) : mid === mid ? mid : s.lastPrice !== NO_PRICE ? s.lastPrice : Number.NaN;
      b.estimator.observe(now, price);
      const after = b.estimator.ready ? b.estimator.sigma : Number.NaN;
      if (after === after && after !== before) this.estimateCause = this.kernel.currentDelivery;
      if (this.volTrigger > 0 && this.volatilitySpiked(b)) this.reprice(now, null);
      return;
    }
    if (message.type === 'ReviseLending') {
      this.revise(now, message as ReviseLending);
      return;
    }
    if (from !== this.credit) return;
    const m = message as CreditReport;
    switch (m.type) {
      case 'LoanGranted':
      case 'MarginCalled':
        this.remember(m.loan);
        return;
      case 'LoanLiquidated':
        if (m.loan.lender !== this.id) return;
        this.badDebt += m.badDebt;
        this.remember(m.loan);
        return;
      case 'LoansReported':
        this.review(m.loans);
        return;
      case 'CreditRejected':
        this.rejections++;
        return;
      case 'LoanRepaid':
      case 'CollateralChanged':
      case 'LoanLiquidatable':
        return;
      default:
        ignoreUnlisted(m);
        return;
    }
  }

  /** True when the book's volatility estimate is ready and well above the one last posted (or none was). */
  private volatilitySpiked(b: Book): boolean {
    const est = b.estimator;
    if (!est.ready) return false;
    const posted = this.sigmas[b.instrument];
    return posted !== posted || est.sigma > posted * (1 + this.volTrigger);
  }

  /** Applies an intervention's revision and reprices now. */
  private revise(now: Micros, m: ReviseLending): void {
    const policy = m.haircutPolicy;
    if (policy !== undefined) for (const b of this.books) b.policy = typeof policy === 'function' ? policy(b.instrument) : policy;
    if (m.haircutAdd !== undefined) this.haircutAdd += m.haircutAdd;
    if (m.maintenanceRatio !== undefined) this.maintenanceRatio = m.maintenanceRatio;
    if (m.annualRate !== undefined) this.annualRate = m.annualRate;
    if (m.maxPerBorrower !== undefined) this.maxPerBorrower = m.maxPerBorrower;
    if (m.maxTotal !== undefined) this.maxTotal = m.maxTotal;
    this.reprice(now, null);
  }

  /** At the first time it sees of a new session, the book's estimator starts the session's own chain of returns. */
  private openSessionOf(b: Book, now: Micros): void {
    const session = Math.floor(now / this.sessionUs);
    if (session === b.session) return;
    b.session = session;
    b.sessionVolume = -1;
    b.estimator.openSession(session * this.sessionUs);
  }

  /** Posts terms from the current volatility estimates, caused by `cause` (null: the delivery being handled). */
  private reprice(now: Micros, cause: Scheduled | null): void {
    const n = this.instrumentCount;
    const haircuts = new Array<number>(n).fill(1);
    const maintenance = new Array<number>(n).fill(1);
    const refusing = this.refusing;
    const previous = this.lastTerms;
    for (const b of this.books) {
      const est = b.estimator;
      this.openSessionOf(b, now);
      est.advanceTo(now);
      const sigma = est.ready ? est.sigma : this.initialSigma;
      this.sigmas[b.instrument] = sigma;
      const h = Math.min(1, Math.max(0, b.policy.haircut(sigma) + this.haircutAdd));
      if (refusing) {
        haircuts[b.instrument] = 1;
        maintenance[b.instrument] = previous !== null ? previous.maintenanceHaircuts[b.instrument] : h * this.maintenanceRatio;
      } else {
        haircuts[b.instrument] = h;
        maintenance[b.instrument] = h * this.maintenanceRatio;
      }
    }
    const terms: SetCreditTerms = {
      type: 'SetCreditTerms',
      haircuts,
      maintenanceHaircuts: maintenance,
      annualRate: this.annualRate,
      maxPerBorrower: this.maxPerBorrower,
      maxTotal: this.maxTotal,
      ...(this.termsSchedule !== null ? { schedule: this.termsSchedule } : {}),
    };
    this.lastTerms = terms;
    this.termsPosted++;
    if (cause === null) this.send(this.credit, terms);
    else this.kernel.sendCausedBy(this.id, this.credit, terms, cause);
  }

  /**
   * Keeps the last report of each open loan. A repayment is told to the
   * borrower only, so a loan repaid in full is never reported closed here;
   * but a borrower has one open margin loan per lender, so a newer loan id
   * for the same borrower means the older loan has closed: it is dropped, and
   * late reports of it are ignored. (Else the map would keep every loan ever
   * granted: memory growing with finished credit work.)
   */
  private remember(loan: LoanState): void {
    if (loan.lender !== this.id) return;
    const newest = this.newestLoan.get(loan.borrower) ?? 0;
    if (loan.loanId < newest) return;
    if (loan.loanId > newest) {
      this.loans.delete(newest);
      this.newestLoan.set(loan.borrower, loan.loanId);
    }
    if (loan.debt > 0) this.loans.set(loan.loanId, loan);
    else this.loans.delete(loan.loanId);
  }

  /** A full loan report: replaces the lender's view and calls weak loans. */
  private review(loans: readonly LoanState[]): void {
    this.loans.clear();
    for (const loan of loans) {
      if (loan.lender !== this.id || loan.debt <= 0) continue;
      this.loans.set(loan.loanId, loan);
      if (loan.loanId > (this.newestLoan.get(loan.borrower) ?? 0)) this.newestLoan.set(loan.borrower, loan.loanId);
      if (this.loanReviewIntervalUs === Number.POSITIVE_INFINITY || loan.called || !(loan.healthFactor < this.callHealthFactor)) continue;
      const amount = Math.ceil(loan.debt * (1 - loan.healthFactor / this.callTargetHealthFactor));
      if (amount < 1) continue;
      const call: CallLoan = { type: 'CallLoan', loanId: loan.loanId, amount: Math.min(amount, loan.debt) };
      this.callsSent++;
      this.send(this.credit, call);
    }
  }
}

/** One day, µs: the default roll interval and notice. */
const DAY_US = 86_400_000_000;

/** The schedule a lender's options ask for; null for the venue's default (immediate, uncapped). */
function termsScheduleOf(options: LenderOptions): TermsSchedule | null {
  const apply = options.termsApply ?? 'immediate';
  if (apply !== 'immediate' && apply !== 'roll' && apply !== 'notice') throw new RangeError(`termsApply must be 'immediate', 'roll' or 'notice', got ${String(apply)}`);
  const rollIntervalUs = requireInt('rollIntervalUs', options.rollIntervalUs ?? DAY_US, 1);
  const noticeUs = requireInt('noticeUs', options.noticeUs ?? DAY_US, 1);
  const maxHaircutStep = options.maxHaircutStep ?? 1;
  if (!(maxHaircutStep > 0 && maxHaircutStep <= 1)) throw new RangeError(`maxHaircutStep must be in (0, 1], got ${maxHaircutStep}`);
  if (apply === 'immediate' && maxHaircutStep === 1) return null;
  const schedule: TermsSchedule = { apply, rollIntervalUs, noticeUs, maxHaircutStep };
  // The venue's own check, so a lender never posts terms it would refuse (a step that rounds to 0 rate units).
  if (scheduleFromCommand(schedule) === null) throw new RangeError(`maxHaircutStep ${maxHaircutStep} is below the venue's smallest haircut step (1 / ${RATE_SCALE})`);
  return schedule;
}
