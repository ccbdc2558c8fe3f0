import type { AgentId } from '../engine/latency-model.js';
import { ignoreUnlisted, type Message } from '../engine/message.js';
import type { Micros } from '../engine/time.js';
import type {
  CollateralLeg,
  CreditReport,
  LoanLiquidated,
  LoanState,
  MarginCalled,
  ReleaseCollateral,
  RepayLoan,
  RequestLoan,
} from '../market/credit-messages.js';
import { NO_PRICE, midOf, type MarketSnapshot } from '../market/market-data.js';
import type { OrderReport } from '../market/order-messages.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import type { CreditTermsView } from './credit-terms-view.js';
import { requireHaircut } from './haircut-policy.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** Options every leveraged trader shares. Cash in minor units, times in µs. */
export interface LeveragedTraderOptions extends TradingAgentOptions {
  /** The credit venue's agent id. Required. */
  credit: AgentId;
  /** The lender it borrows from (the `lender` of `RequestLoan`). Required. */
  lender: AgentId;
  /**
   * The lender's quoted terms, read before each decision (a repo dealer's
   * quote). Optional: without it the haircut is learnt from the venue's
   * replies (see {@link LeveragedTrader}).
   */
  terms?: CreditTermsView;
  /** Haircut believed before any information, in [0, 1] (learning mode). Default 0.5. */
  assumedHaircut?: number;
  /** Learning mode: how far the believed haircut moves after each reply (relative step, see {@link LeveragedTrader}), in [0, 1). Default 0.02. */
  haircutProbe?: number;
  /** Fraction of the borrowing capacity it uses, in (0, 1]; 1 loops to leverage 1/h exactly. Default 0.9. */
  utilisation?: number;
  /**
   * Extra collateral pledged beyond what the initial haircut requires, as a
   * fraction of it, ≥ 0: a draw pledges `⌈(D + amount)(1 + pledgeBuffer) / (p·m·(1 − h))⌉`
   * lots in all (at most what it holds); the other lots stay free to sell. Default 0.05.
   */
  pledgeBuffer?: number;
  /** Commands it may send in one decision cycle (or while meeting one margin call). Default 32. */
  maxActionsPerCycle?: number;
  /** Fee allowance when sizing buys, as a fraction of notional. Default 0.001. */
  feeAllowance?: number;
  /** `'market'` orders, or `'limit-ioc'` at the touch ± `crossTicks`. Default `'market'`. */
  orderType?: 'market' | 'limit-ioc';
  /** How far beyond the touch a `'limit-ioc'` order may trade, ticks. Default 2. */
  crossTicks?: number;
  /** A credit command unanswered for this long is given up at the next decision, µs. Default 60 000 000. */
  replyTimeoutUs?: Micros;
}

/** The credit command in flight (one at a time). */
type PendingCredit = 'RequestLoan' | 'RepayLoan' | 'ReleaseCollateral' | null;

/** Types of the credit venue's reports, to route them when venue and exchange are one agent. */
const CREDIT_REPORTS: ReadonlySet<string> = new Set(['CreditRejected', 'LoanGranted', 'LoanRepaid', 'CollateralChanged', 'MarginCalled', 'LoanLiquidatable', 'LoanLiquidated', 'LoansReported']);

/**
 * Base of the agents that trade one instrument with borrowed money: the
 * borrow / pledge / repay / release / meet-a-margin-call machinery, shared
 * by {@link LeveragedValueFund}, {@link LeveragedTrendFollower} and
 * {@link RetailLeveragedTrader}. A subclass only decides a desired position
 * (`decide`); this class moves toward it within the lender's limit, one
 * command at a time, by the credit venue's rules.
 *
 * ## Accounting (the agent's belief, built from reports)
 * Position `P` and cash `C` from fills (the {@link OrderTracker}); cash also
 * moves by `LoanGranted.drawn` (+) and `LoanRepaid.amount` (−). Debt `D`,
 * pledged lots `L` and health from every `LoanState` about its loan; seized
 * lots (`LoanLiquidated`) leave `P`. Free lots `F = P − L`. Equity at price
 * `p` (ticks) is `W = C + P·p·m − D` (m = minorPerTickLot).
 * Two gaps of the venue's reports under its own forced sale (broker
 * policy): the surplus of a sale beyond the debt reaches the borrower's
 * account unreported, so `C` then understates its cash (it errs on the
 * side of caution); and lots in the venue's sale account count in `P`
 * until each sale is reported (selling them meanwhile is refused, harmlessly).
 *
 * ## Haircut
 * With `terms`, `h` is the lender's quoted initial haircut. Without, it is
 * learnt from the venue's replies, starting at `assumedHaircut`:
 * - a refusal for `INSUFFICIENT_COLLATERAL` of a draw (or release) that
 *   would have left debt `D'` against `L'` lots proves
 *   `h > h' = 1 − D'/(L'·p·m)`: the belief becomes `max(belief, h')`
 *   plus `haircutProbe` of the way to 1;
 * - a granted draw proves `h ≤ 1 − D/(L·p·m)`: the belief becomes at most
 *   that, then falls by `haircutProbe` (relative) to probe for looser terms;
 * - it never goes below the maintenance haircut implied by the health
 *   factor of any loan report, `1 − HF·D/(L·p·m)` (the initial haircut is
 *   at least that).
 * So the belief brackets the lender's haircut from the two sides, at the
 * cost of an occasional refusal; a rise of the lender's haircut is learnt
 * at its next refusal or loan report (a margin call, a liquidation).
 *
 * ## Leverage limit
 * It never borrows beyond `u·(1 − h)` of the value of all its lots
 * (`u` = `utilisation`), so leverage `P·p·m / W` is at most
 * `λ_max = 1 / (1 − u·(1 − h))` — `1/h` when `u = 1` (Geanakoplos 2010;
 * the `λ_max` of Thurner, Farmer & Geanakoplos 2012). The desired position
 * is clamped to `⌊λ_max · W / (p·m)⌋` (0 when `W ≤ 0`), so a haircut rise
 * makes it sell: deleveraging into the market is the lender's rule at work.
 *
 * ## Collateral
 * A draw pledges only the lots the debt needs at the initial haircut plus
 * `pledgeBuffer`: `L = ⌈(D + amount)(1 + pledgeBuffer) / (p·m·(1 − h))⌉`
 * in all. The other lots stay free, so it can sell them to deleverage or to
 * meet a call without asking the lender; the venue releases pledged lots
 * only while the loan stays within the initial haircut and is not called.
 *
 * ## One step (the next command when nothing is in flight)
 * 1. Margin call outstanding (and it chose to meet it): repay from cash;
 *    else sell free lots (enough for the call); else wait for the deadline —
 *    a called loan releases nothing. After the deadline the call is taken as
 *    over (the venue withdraws a health call silently when the loan has
 *    recovered, or liquidates) and it steps as usual.
 * 2. Desired < P: sell free lots; else repay debt from cash; else release
 *    pledged lots the loan allows (`L − ⌈D / (p·m·(1 − h))⌉`) and sell them.
 * 3. Desired > P: buy with cash (sized at the ask with the fee allowance);
 *    out of cash, `RequestLoan` for `min(capacity, cash needed)` with
 *    capacity `⌊u·P·p·m·(1 − h)⌋ − D − 1`, pledging the newly bought lots
 *    the draw needs — buying, pledging and borrowing again is the "loop" of
 *    a leveraged buyer; each turn adds a factor ≈ `u(1 − h)`, so it converges.
 *
 * A decision cycle starts at each answered `QueryMarket` and at a margin
 * call, and ends when the desired position is reached, no step is possible,
 * `maxActionsPerCycle` commands were sent, an order traded nothing, or any
 * command was refused: the agent then waits for its next decision (no retry
 * loops). After a margin call is met the cycle ends as well, so it does not
 * re-lever before its next look at the market.
 *
 * Messages sent: `QueryMarket`, `PlaceOrder` (exchange); `RequestLoan`,
 * `RepayLoan`, `ReleaseCollateral` (credit venue).
 * Messages handled: `MarketSnapshot`, order reports; `LoanGranted`,
 * `LoanRepaid`, `CollateralChanged`, `MarginCalled`, `LoanLiquidated`,
 * `CreditRejected`.
 */
export abstract class LeveragedTrader extends TradingAgent {
  readonly credit: AgentId;
  readonly lender: AgentId;
  readonly utilisation: number;
  readonly maxActionsPerCycle: number;
  readonly feeAllowance: number;
  readonly orderType: 'market' | 'limit-ioc';
  readonly crossTicks: number;
  readonly replyTimeoutUs: Micros;
  readonly haircutProbe: number;
  readonly pledgeBuffer: number;
  protected readonly terms: CreditTermsView | undefined;
  protected readonly minorPerTickLot: number;
  /** The open loan's id, 0 when none. */
  loanId = 0;
  /** Debt (principal + interest) as last reported, minor units. */
  debt = 0;
  /** Lots of its instrument pledged, as last reported. */
  pledged = 0;
  /** Health factor as last reported (Infinity without debt). */
  healthFactor = Number.POSITIVE_INFINITY;
  /** A margin call is outstanding. */
  called = false;
  /** What is left to repay of the outstanding call, minor units. */
  callAmount = 0;
  /** Deadline of the outstanding call, µs. */
  callDeadline = 0;
  /** Believed initial haircut (learning mode). */
  haircutBelief: number;
  /** Last mid (or last trade) seen, ticks; NaN before the first. */
  mid = Number.NaN;
  /** Last ask seen, ticks (NO_PRICE when none). */
  ask: number = NO_PRICE;
  /** Last bid seen, ticks (NO_PRICE when none). */
  bid: number = NO_PRICE;
  /** Desired position of the current cycle before the leverage clamp, lots (NaN: hold). */
  desired = Number.NaN;
  /** Counters. */
  readonly counts = { loansRequested: 0, repayments: 0, releases: 0, marginCalls: 0, liquidations: 0, seizedLots: 0, creditRejections: 0 };
  private meetingCall = false;
  private actionsLeft = 0;
  private pendingCredit: PendingCredit = null;
  private pendingSince: Micros = 0;
  /** Debt and pledged lots the credit command in flight would leave (for learning from a refusal). */
  private requestedDebt = 0;
  private requestedLots = 0;
  /** Lots filled on the order in flight. */
  private filledOnOrder = 0;

  protected constructor(name: string, options: LeveragedTraderOptions) {
    super(name, options, 0);
    this.credit = requireInt('credit', options.credit, 0);
    this.lender = requireInt('lender', options.lender, 0);
    this.terms = options.terms;
    this.haircutBelief = requireHaircut('assumedHaircut', options.assumedHaircut ?? 0.5);
    this.haircutProbe = options.haircutProbe ?? 0.02;
    if (!(this.haircutProbe >= 0 && this.haircutProbe < 1)) throw new RangeError(`haircutProbe must be in [0, 1), got ${this.haircutProbe}`);
    this.utilisation = options.utilisation ?? 0.9;
    if (!(this.utilisation > 0 && this.utilisation <= 1)) throw new RangeError(`utilisation must be in (0, 1], got ${this.utilisation}`);
    this.pledgeBuffer = requireAtLeast('pledgeBuffer', options.pledgeBuffer ?? 0.05, 0);
    this.maxActionsPerCycle = requireInt('maxActionsPerCycle', options.maxActionsPerCycle ?? 32, 1);
    this.feeAllowance = requireAtLeast('feeAllowance', options.feeAllowance ?? 0.001, 0);
    this.orderType = options.orderType ?? 'market';
    if (this.orderType !== 'market' && this.orderType !== 'limit-ioc') throw new RangeError(`orderType must be 'market' or 'limit-ioc', got ${String(this.orderType)}`);
    this.crossTicks = requireInt('crossTicks', options.crossTicks ?? 2, 0);
    this.replyTimeoutUs = requireInt('replyTimeoutUs', options.replyTimeoutUs ?? 60_000_000, 1);
    this.minorPerTickLot = requireInt('minorPerTickLot', options.minorPerTickLot ?? 1, 1);
  }

  // ------------------------------------------------------------ the state

  /** Cash as the agent believes it, minor units. */
  get cash(): number {
    return this.tracker.cash;
  }

  /** Lots held and neither pledged nor offered for sale. */
  get freeLots(): number {
    return this.tracker.position - this.pledged - this.tracker.committedSellQty;
  }

  /** The initial haircut the agent acts on, in [0, 1]. */
  haircut(): number {
    return this.terms !== undefined ? this.terms.initialHaircut(this.instrument) : this.haircutBelief;
  }

  /** Largest leverage the lender allows at the utilisation used, `1 / (1 − u(1 − h))`. */
  maxLeverage(): number {
    return 1 / (1 - this.utilisation * (1 - this.haircut()));
  }

  /** Equity at `price` ticks, `C + P·p·m − D`, minor units. */
  equityAt(price: number): number {
    return this.tracker.cash + this.tracker.position * price * this.minorPerTickLot - this.debt;
  }

  /** Leverage at `price`: position value / equity (Infinity when equity ≤ 0 with a position, 0 without). */
  leverageAt(price: number): number {
    const value = this.tracker.position * price * this.minorPerTickLot;
    if (value === 0) return 0;
    const w = this.equityAt(price);
    return w > 0 ? value / w : Number.POSITIVE_INFINITY;
  }

  /** Largest position the limit allows at `price`, lots: `⌊λ_max·W/(p·m)⌋`, 0 when W ≤ 0. */
  maxPositionAt(price: number): number {
    const w = this.equityAt(price);
    if (!(w > 0) || !(price > 0)) return 0;
    return Math.floor((this.maxLeverage() * w) / (price * this.minorPerTickLot));
  }

  // -------------------------------------------------------- for subclasses

  /**
   * The desired position in lots (≥ 0; fractions are floored) on an
   * answered `QueryMarket`, or NaN to hold the current one. The base clamps
   * it to the leverage limit and moves toward it.
   */
  protected abstract decide(now: Micros, snapshot: MarketSnapshot): number;

  /** Called on a margin call; return false to ignore it (and be liquidated). Default: meet it. */
  protected onMarginCall(_now: Micros, _call: MarginCalled): boolean {
    return true;
  }

  /** Called after its collateral was seized (its state is already updated). */
  protected onLiquidated(_now: Micros, _report: LoanLiquidated): void {}

  /** True while an order or a credit command is in flight. */
  protected get busy(): boolean {
    return this.tracker.openCount > 0 || this.pendingCredit !== null;
  }

  // ------------------------------------------------------------- handlers

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const mid = midOf(s);
    this.bid = s.bidPrice;
    this.ask = s.askPrice;
    if (mid === mid) this.mid = mid;
    else if (s.lastPrice !== NO_PRICE) this.mid = s.lastPrice;
    if (this.pendingCredit !== null && now - this.pendingSince > this.replyTimeoutUs) this.pendingCredit = null;
    this.desired = this.decide(now, s);
    this.actionsLeft = this.maxActionsPerCycle;
    this.step();
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    if (from === this.credit && CREDIT_REPORTS.has(message.type)) {
      this.onCreditReport(now, message as CreditReport);
      return;
    }
    super.onMessage(now, message, from);
    if (from !== this.exchange) return;
    const m = message as OrderReport | MarketSnapshot;
    switch (m.type) {
      case 'OrderFilled':
        this.filledOnOrder += m.qty;
        break;
      case 'OrderRejected':
        this.actionsLeft = 0;
        break;
      case 'OrderCancelled':
        break;
      case 'OrderAccepted':
      case 'OrderModified':
      case 'MarketSnapshot':
        return;
      default:
        ignoreUnlisted(m);
        return;
    }
    if (this.tracker.openCount === 0) {
      if (this.filledOnOrder === 0) this.actionsLeft = 0; // nothing traded: wait for fresh prices
      this.step();
    }
  }

  private onCreditReport(now: Micros, m: CreditReport): void {
    switch (m.type) {
      case 'LoanGranted':
        if (m.loan.borrower !== this.id) return;
        this.tracker.cash += m.drawn;
        this.applyLoan(m.loan);
        this.learnFromGrant(m.loan);
        this.settle('RequestLoan');
        return;
      case 'LoanRepaid':
        if (m.loan.borrower !== this.id) return;
        this.tracker.cash -= m.amount;
        this.callAmount = Math.max(0, this.callAmount - m.amount);
        this.applyLoan(m.loan);
        if (m.closed) this.closeLoan(m.loan);
        this.settle('RepayLoan');
        return;
      case 'CollateralChanged':
        if (m.loan.borrower !== this.id) return;
        this.applyLoan(m.loan);
        this.settle('ReleaseCollateral');
        return;
      case 'MarginCalled':
        if (m.loan.borrower !== this.id) return;
        this.counts.marginCalls++;
        this.applyLoan(m.loan);
        this.called = true;
        this.callAmount = m.amount;
        this.callDeadline = m.deadline;
        this.meetingCall = this.onMarginCall(now, m);
        if (this.meetingCall) {
          this.actionsLeft = this.maxActionsPerCycle;
          this.step();
        }
        return;
      case 'LoanLiquidated':
        if (m.loan.borrower !== this.id) return;
        this.counts.liquidations++;
        this.counts.seizedLots += m.instrument === this.instrument ? m.seizedQty : 0;
        if (m.instrument === this.instrument) this.tracker.position -= m.seizedQty;
        this.applyLoan(m.loan);
        this.onLiquidated(now, m);
        return;
      case 'CreditRejected':
        this.counts.creditRejections++;
        if (m.command !== this.pendingCredit) return;
        if (m.reason === 'LOAN_CLOSED' || m.reason === 'UNKNOWN_LOAN') this.closeLoan(null);
        if (m.reason === 'INSUFFICIENT_COLLATERAL') this.learnFromRefusal();
        this.pendingCredit = null;
        this.actionsLeft = 0; // back off until the next decision
        return;
      case 'LoanLiquidatable':
      case 'LoansReported':
        return;
      default:
        ignoreUnlisted(m);
        return;
    }
  }

  /** A reply to the command in flight arrived: take the next step. */
  private settle(command: Exclude<PendingCredit, null>): void {
    if (this.pendingCredit !== command) return;
    this.pendingCredit = null;
    this.step();
  }

  private applyLoan(loan: LoanState): void {
    if (loan.lender !== this.lender) return;
    this.loanId = loan.loanId;
    this.debt = loan.debt;
    let pledged = 0;
    for (const leg of loan.collateral) if (leg.instrument === this.instrument) pledged += leg.qty;
    this.pledged = pledged;
    this.healthFactor = loan.healthFactor;
    if (this.terms === undefined) this.floorBelief(loan);
    const wasCalled = this.called;
    this.called = loan.called;
    if (!loan.called) {
      this.callAmount = 0;
      if (wasCalled) {
        this.meetingCall = false;
        this.actionsLeft = 0; // call met: no re-levering before the next look at the market
      }
    }
  }

  private closeLoan(loan: LoanState | null): void {
    this.loanId = 0;
    this.debt = 0;
    if (loan === null || loan.collateral.length === 0) this.pledged = 0;
    this.healthFactor = Number.POSITIVE_INFINITY;
    this.called = false;
    this.callAmount = 0;
  }

  /** Learning mode: a grant bounds the haircut from above; then probe lower. */
  private learnFromGrant(loan: LoanState): void {
    if (this.terms !== undefined) return;
    const p = this.mid;
    const value = this.pledged * p * this.minorPerTickLot;
    if (value > 0 && loan.debt > 0) this.haircutBelief = Math.min(this.haircutBelief, 1 - loan.debt / value);
    this.haircutBelief = Math.max(0, this.haircutBelief * (1 - this.haircutProbe));
    this.floorBelief(loan);
  }

  /** Learning mode: a refusal for want of collateral bounds the haircut from below. */
  private learnFromRefusal(): void {
    if (this.terms !== undefined) return;
    const value = this.requestedLots * this.mid * this.minorPerTickLot;
    const bound = value > 0 ? 1 - this.requestedDebt / value : this.haircutBelief;
    const h = Math.min(1, Math.max(this.haircutBelief, bound));
    this.haircutBelief = h + (1 - h) * this.haircutProbe;
  }

  /** The initial haircut is at least the maintenance haircut a reported health factor implies. */
  private floorBelief(loan: LoanState): void {
    const p = this.mid;
    if (!(this.pledged > 0 && loan.debt > 0 && p > 0 && Number.isFinite(loan.healthFactor))) return;
    const implied = 1 - (loan.healthFactor * loan.debt) / (this.pledged * p * this.minorPerTickLot);
    if (implied > this.haircutBelief) this.haircutBelief = Math.min(1, implied);
  }

  // ------------------------------------------------------------- stepping

  /** Sends the next command toward the desired position, if any is due and possible. */
  private step(): void {
    if (this.busy || this.actionsLeft <= 0) return;
    if (this.called && this.meetingCall && this.stepMarginCall()) return;
    const p = this.mid;
    if (!(p > 0)) return;
    const position = this.tracker.position;
    const desired = this.desired === this.desired ? Math.max(0, Math.floor(this.desired)) : position;
    const target = Math.min(desired, this.maxPositionAt(p));
    if (target < position) this.stepDown(p, position - target);
    else if (target > position) this.stepUp(p, target - position);
  }

  /** One step toward meeting the call; false when the call is over as far as the agent can tell. */
  private stepMarginCall(): boolean {
    const cash = Math.floor(this.tracker.cash);
    if (this.debt > 0 && cash >= 1) {
      this.repay(Math.min(cash, this.debt));
      return true;
    }
    const p = this.mid;
    const lotValue = p > 0 ? p * this.minorPerTickLot : Number.NaN;
    // Lots whose sale covers what is left of the call (all of them when the price is unknown).
    const needed = lotValue === lotValue ? Math.ceil(this.callAmount / lotValue) + 1 : Number.POSITIVE_INFINITY;
    const free = this.freeLots;
    if (free >= 1) {
      this.sell(Math.min(free, needed));
      return true;
    }
    if (this.kernel.now > this.callDeadline) {
      // Past the deadline the venue has either withdrawn the call (the loan is
      // healthy again; it does not say so) or is liquidating: act normally again.
      this.called = false;
      this.meetingCall = false;
      this.callAmount = 0;
      return false;
    }
    // A called loan releases nothing: with every lot pledged and no cash, wait for the deadline.
    this.actionsLeft = 0;
    return true;
  }

  private stepDown(p: number, excess: number): void {
    const free = this.freeLots;
    if (free >= 1) {
      this.sell(Math.min(free, excess));
      return;
    }
    const cash = Math.floor(this.tracker.cash);
    if (this.debt > 0 && cash >= 1) {
      this.repay(Math.min(cash, this.debt));
      return;
    }
    if (this.pledged >= 1) {
      const k = Math.min(this.debt > 0 ? this.releasable(p) : this.pledged, excess);
      if (k >= 1) {
        this.release(k);
        return;
      }
    }
    this.actionsLeft = 0; // locked in: cannot sell without the lender
  }

  private stepUp(p: number, want: number): void {
    const m = this.minorPerTickLot;
    const ask = this.ask !== NO_PRICE ? this.ask : p;
    const perLot = ask * m * (1 + this.feeAllowance) + 2;
    const cash = this.tracker.cash;
    const affordable = Math.floor(cash / perLot);
    if (affordable >= 1) {
      this.buy(Math.min(want, affordable));
      return;
    }
    const h = this.haircut();
    const capacity = Math.floor(this.utilisation * this.tracker.position * p * m * (1 - h)) - this.debt - 1;
    const need = Math.ceil(want * perLot - cash);
    const amount = Math.min(capacity, need);
    if (h >= 1 || cash + amount < perLot) {
      this.actionsLeft = 0; // at the limit
      return;
    }
    // Pledge only what the new debt needs at the initial haircut, plus the buffer; the rest stays free to sell.
    const needed = Math.ceil(((this.debt + amount) * (1 + this.pledgeBuffer)) / (p * m * (1 - h)));
    this.borrow(amount, Math.min(this.freeLots, Math.max(0, needed - this.pledged)));
  }

  /** Pledged lots the loan can spare while staying within the initial haircut. */
  private releasable(p: number): number {
    if (this.debt <= 0) return this.pledged;
    const h = this.haircut();
    if (!(p > 0) || h >= 1) return 0;
    const required = Math.ceil(this.debt / (p * this.minorPerTickLot * (1 - h)));
    return Math.max(0, this.pledged - required);
  }

  // ------------------------------------------------------------- commands

  private buy(qty: number): void {
    this.actionsLeft--;
    this.filledOnOrder = 0;
    if (this.orderType === 'market') this.placeMarket('buy', qty, this.ask !== NO_PRICE ? this.ask : Math.round(this.mid));
    else this.placeLimit('buy', (this.ask !== NO_PRICE ? this.ask : Math.round(this.mid)) + this.crossTicks, qty, 'limit-ioc');
  }

  private sell(qty: number): void {
    this.actionsLeft--;
    this.filledOnOrder = 0;
    const bid = this.bid !== NO_PRICE ? this.bid : Math.max(1, Math.round(this.mid));
    if (this.orderType === 'market') this.placeMarket('sell', qty, bid);
    else this.placeLimit('sell', Math.max(1, bid - this.crossTicks), qty, 'limit-ioc');
  }

  private borrow(amount: number, pledge: number): void {
    const collateral: CollateralLeg[] = pledge >= 1 ? [{ instrument: this.instrument, qty: pledge }] : [];
    const m: RequestLoan = { type: 'RequestLoan', lender: this.lender, amount, collateral };
    this.requestedDebt = this.debt + amount;
    this.requestedLots = this.pledged + pledge;
    this.counts.loansRequested++;
    this.sendCredit(m, 'RequestLoan');
  }

  private repay(amount: number): void {
    const m: RepayLoan = { type: 'RepayLoan', loanId: this.loanId, amount };
    this.counts.repayments++;
    this.sendCredit(m, 'RepayLoan');
  }

  private release(qty: number): void {
    const m: ReleaseCollateral = { type: 'ReleaseCollateral', loanId: this.loanId, collateral: [{ instrument: this.instrument, qty }] };
    this.requestedDebt = this.debt;
    this.requestedLots = this.pledged - qty;
    this.counts.releases++;
    this.sendCredit(m, 'ReleaseCollateral');
  }

  private sendCredit(m: RequestLoan | RepayLoan | ReleaseCollateral, kind: Exclude<PendingCredit, null>): void {
    this.actionsLeft--;
    this.pendingCredit = kind;
    this.pendingSince = this.kernel.now;
    this.send(this.credit, m);
  }
}
