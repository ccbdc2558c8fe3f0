import type { AgentId } from '../engine/agent-id.js';
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
} from '../credit/credit-messages.js';
import type { CashTransferred } from '../market/cash-transfers.js';
import { NO_PRICE, midOf, type MarketSnapshot, type PriceAlert } from '../market/market-data.js';
import type { OrderReport } from '../market/order-messages.js';
import type { Side } from '../market/side.js';
import { buyHoldPerLot } from './_internals/buy-hold.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import type { CreditTermsView } from './credit-terms-view.js';
import { sendDemandLadder, type DemandSchedule, type LadderBounds, type LadderSink } from './demand-ladder.js';
import { HaircutBelief } from './haircut-belief.js';
import { ParentOrderExecutor, type ParentState } from './execution/parent-order-executor.js';
import { planStep, type LeverageStep } from './leverage-step.js';
import { TargetExecution, type TargetExecutionOptions } from './target-execution.js';
import { TrackedLoan } from './tracked-loan.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** Options every leveraged trader shares. Cash in minor units, times in µs. */
export interface LeveragedTraderOptions extends TradingAgentOptions, TargetExecutionOptions {
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
  /** `execution: 'immediate'`: `'market'` orders, or `'limit-ioc'` at the touch ± `crossTicks`. Default `'market'`. */
  orderType?: 'market' | 'limit-ioc';
  /** How far beyond the touch a `'limit-ioc'` order (or a schedule's child, within its limit) may trade, ticks. Default 2. */
  crossTicks?: number;
  /** A credit command unanswered for this long is given up at the next decision, µs. Default 60 000 000. */
  replyTimeoutUs?: Micros;
  /** In a call auction, its demand schedule goes in as a ladder of this many IOC limit orders a side; 0: one order as in continuous trading. Default 0. */
  callLadderLevels?: number;
  /** Spacing of the call ladder's first levels, ticks (level i lies this·i(i+1)/2 from the first). Default 1. */
  callLadderStepTicks?: number;
  /** No sell of a call ladder goes below the last price × (1 − this), in [0, 1) (a market order's collar; a fund selling out at any price sells there). Default 0.1. */
  callSellFloor?: number;
}

/** The credit command in flight (one at a time). */
type PendingCredit = 'RequestLoan' | 'RepayLoan' | 'ReleaseCollateral' | null;

/** Wake-up tag of the parent-order executor (subclasses' clocks use small tags). */
const EXECUTION_TAG = 1 << 20;

/** Types of the credit venue's reports, to route them when venue and exchange are one agent. */
const CREDIT_REPORTS: ReadonlySet<string> = new Set(['CreditRejected', 'LoanGranted', 'LoanRepaid', 'CollateralChanged', 'MarginCalled', 'LoanLiquidatable', 'LoanLiquidated', 'LoansReported']);

/**
 * Base of the agents that trade one instrument with borrowed money: the
 * borrow / pledge / repay / release / meet-a-margin-call machinery, shared
 * by {@link LeveragedValueFund}, {@link LeveragedTrendFollower} and
 * {@link RetailLeveragedTrader}. A subclass only decides a desired position
 * (`decide`); this class moves toward it within the lender's limit, one
 * command at a time, by the credit venue's rules. It routes reports and
 * sends commands; its loan as it knows it is a {@link TrackedLoan}, its
 * haircut belief a {@link HaircutBelief}, and the choice of the next command
 * {@link planStep} (leverage-step.ts).
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
 * learnt from the venue's replies, starting at `assumedHaircut` and moving
 * by `haircutProbe` (see {@link HaircutBelief}): a refusal for want of
 * collateral bounds it from below, a grant from above, and the health
 * factor of every loan report sets a floor.
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
 * ## Execution
 * With `execution: 'immediate'` each buy or sell above is one order (market,
 * or IOC at the touch ± `crossTicks`). With `'twap'` or `'pov'` it is a
 * parent order worked by a {@link ParentOrderExecutor}: IOC children over
 * `executionSlices × executionIntervalUs`, never beyond the limit price
 * `mid·(1 ± maxSlippage)` fixed when the parent starts (a buy also never
 * above {@link buyLimitCap}); what is unfilled when the schedule ends is
 * left to the next step, planned at the prices then. A sale to meet a
 * margin call is scheduled too, without a price limit (the alternative is
 * the lender's forced sale). While a parent works the agent sends no other
 * command; at each decision it keeps the parent unless the target position
 * has passed the position, or moved by more than `retargetThreshold` units
 * of leverage from the target the parent was started for: then the parent
 * is cancelled and the next step planned afresh. A margin call or a seizure
 * cancels a working parent too.
 *
 * ## In a call auction
 * With `callLadderLevels` > 0, a decision taken while the market is in a
 * call (a batch market, or an opening call) sends the agent's demand
 * schedule as a ladder of IOC limit orders instead of one order
 * ({@link sendDemandLadder}): the position it wants at each price the call
 * might clear at ({@link desiredAt}), within the leverage limit at the
 * equity marked at the last price, buys within its cash and sells within its
 * free lots. A call auction takes only schedules that fall with the price,
 * so the margin-call sales a lower clearing price would force (Thurner,
 * Farmer & Geanakoplos 2012 clear them in the same period) come at the next
 * decision, at the new mark. After the uncrossing only credit commands
 * follow (pledge and borrow, repay, release): trades wait for the next
 * decision's ladder, except a sale to meet a margin call.
 *
 * A decision cycle starts at each answered `QueryMarket` and at a margin
 * call, and ends when the desired position is reached, no step is possible,
 * `maxActionsPerCycle` commands were sent, an order traded nothing, or any
 * command was refused (with a schedule: a parent traded nothing or a child was
 * refused): the agent then waits for its next decision (no retry
 * loops). After a margin call is met the cycle ends as well, so it does not
 * re-lever before its next look at the market.
 *
 * Messages sent: `QueryMarket`, `PlaceOrder`, `CancelOrder` (exchange); `RequestLoan`,
 * `RepayLoan`, `ReleaseCollateral` (credit venue).
 * Messages handled: `MarketSnapshot`, order reports; `LoanGranted`,
 * `LoanRepaid`, `CollateralChanged`, `MarginCalled`, `LoanLiquidated`,
 * `CreditRejected`.
 */
export abstract class LeveragedTrader extends TradingAgent implements DemandSchedule, LadderSink {
  readonly credit: AgentId;
  readonly lender: AgentId;
  readonly utilisation: number;
  readonly maxActionsPerCycle: number;
  readonly feeAllowance: number;
  readonly orderType: 'market' | 'limit-ioc';
  readonly crossTicks: number;
  readonly replyTimeoutUs: Micros;
  readonly pledgeBuffer: number;
  /** How its trades are sent, and the parent record of a scheduled one. */
  readonly execution: TargetExecution;
  protected readonly terms: CreditTermsView | undefined;
  readonly minorPerTickLot: number;
  /** Its loan, as the venue's reports tell it. */
  readonly loan: TrackedLoan;
  /** Believed initial haircut (learning mode: without `terms`). */
  readonly belief: HaircutBelief;
  /** Last mid (or last trade) seen, ticks; NaN before the first. */
  mid = Number.NaN;
  /** Last ask seen, ticks (NO_PRICE when none). */
  ask: number = NO_PRICE;
  /** Last bid seen, ticks (NO_PRICE when none). */
  bid: number = NO_PRICE;
  /** Desired position of the current cycle before the leverage clamp, lots (NaN: hold). */
  desired = Number.NaN;
  /** Counters. */
  readonly counts = { loansRequested: 0, repayments: 0, releases: 0, marginCalls: 0, liquidations: 0, seizedLots: 0, creditRejections: 0, parents: 0, retargets: 0 };
  /** Works scheduled trades (`execution` other than `'immediate'`). */
  protected readonly executor: ParentOrderExecutor;
  /** A parent order is working, or its last child is still open. */
  private parentActive = false;
  /** Own `QueryMarket`s not yet answered: answers beyond them are a cancelled parent's quotes. */
  private decisionQueries = 0;
  private meetingCall = false;
  /** A decision's snapshot is in hand (onSnapshot passes it to a parent started on it). */
  private quoteInHand = false;
  private actionsLeft = 0;
  private pendingCredit: PendingCredit = null;
  private pendingSince: Micros = 0;
  /** Debt and pledged lots the credit command in flight would leave (for learning from a refusal). */
  private requestedDebt = 0;
  private requestedLots = 0;
  /** Lots filled on the order in flight. */
  private filledOnOrder = 0;
  /** The next command, replanned at every step. */
  private readonly plan: LeverageStep = { kind: 'none', qty: 0, amount: 0 };
  readonly callLadderLevels: number;
  readonly callSellFloor: number;
  /** The last decision was taken in a call (and ladders are on). */
  private inCall = false;
  /** That decision's ladder is still to be sent. */
  private ladderDue = false;
  /** Equity marked at the last price when the ladder was built, minor units (its leverage limit). */
  private ladderEquity = 0;
  private readonly ladderBounds: LadderBounds;
  /** Ladders sent into calls. */
  laddersSent = 0;

  protected constructor(name: string, options: LeveragedTraderOptions) {
    super(name, options, 0);
    this.credit = requireInt('credit', options.credit, 0);
    this.lender = requireInt('lender', options.lender, 0);
    this.terms = options.terms;
    this.belief = new HaircutBelief(options.assumedHaircut ?? 0.5, options.haircutProbe ?? 0.02);
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
    this.loan = new TrackedLoan(options.instrument);
    this.execution = new TargetExecution(options, this.crossTicks);
    const port = this.childOrderPort();
    // The executor's quotes are not decisions: they bypass the count of decision queries.
    port.queryMarket = () => {
      super.queryMarket();
    };
    this.executor = new ParentOrderExecutor(port, EXECUTION_TAG);
    this.callLadderLevels = requireInt('callLadderLevels', options.callLadderLevels ?? 0, 0);
    this.callSellFloor = requireAtLeast('callSellFloor', options.callSellFloor ?? 0.1, 0);
    if (!(this.callSellFloor < 1)) throw new RangeError(`callSellFloor must be below 1, got ${this.callSellFloor}`);
    const mpt = this.minorPerTickLot;
    const fee = this.feeAllowance;
    this.ladderBounds = {
      levels: Math.max(1, this.callLadderLevels),
      stepTicks: requireInt('callLadderStepTicks', options.callLadderStepTicks ?? 1, 1),
      minPrice: 1,
      maxPrice: 1,
      cash: 0,
      holdPerLot: (price: number) => buyHoldPerLot(price, mpt, fee),
      sellable: 0,
    };
  }

  // ------------------------------------------------------------ the state

  /** In a call, it borrows what its lots allow before buying (the ladder spends it at the next decision). */
  get borrowAhead(): boolean {
    return this.inCall;
  }

  /** Cash as the agent believes it, minor units. */
  get cash(): number {
    return this.tracker.cash;
  }

  /** Lots held and neither pledged nor offered for sale. */
  get freeLots(): number {
    return this.tracker.position - this.loan.pledged - this.tracker.committedSellQty;
  }

  /** The initial haircut the agent acts on, in [0, 1]. */
  haircut(): number {
    return this.terms !== undefined ? this.terms.initialHaircut(this.instrument) : this.belief.value;
  }

  /** Largest leverage the lender allows at the utilisation used, `1 / (1 − u(1 − h))`. */
  maxLeverage(): number {
    return 1 / (1 - this.utilisation * (1 - this.haircut()));
  }

  /** Equity at `price` ticks, `C + P·p·m − D`, minor units. */
  equityAt(price: number): number {
    return this.tracker.cash + this.tracker.position * price * this.minorPerTickLot - this.loan.debt;
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

  /** After a decision and the commands it started (a subclass may look at `busy`). */
  protected onDecided(_now: Micros): void {}

  /** The agent's own clock (every wake-up whose tag is not the executor's). */
  protected abstract onClock(now: Micros, tag: number): void;

  /**
   * The position wanted if a call cleared at `price`, lots, before the
   * leverage limit: its demand schedule, which must not rise with the price.
   * Default: the decision's desired position at every price.
   */
  protected desiredAt(_price: number): number {
    return this.desired;
  }

  /** The call ladder's schedule: {@link desiredAt} within the leverage limit at the equity of the last mark (the position itself when holding). */
  positionAt(price: number): number {
    const d = this.desiredAt(price);
    if (d !== d) return this.tracker.position;
    const cap = this.ladderEquity > 0 ? (this.maxLeverage() * this.ladderEquity) / (price * this.minorPerTickLot) : 0;
    return Math.max(0, Math.min(d, cap));
  }

  ladderOrder(side: Side, price: number, qty: number): void {
    this.placeLimit(side, price, qty, 'limit-ioc');
  }

  /** The price it marks at while the market has neither a book nor a trade (a batch market before its first uncrossing), ticks; NaN (the default): none, it waits. */
  protected markBeforeTrades(_now: Micros): number {
    return Number.NaN;
  }

  /** Highest price a scheduled buy may pay, ticks (a value investor's estimate of value). Default +∞. */
  protected buyLimitCap(): number {
    return Number.POSITIVE_INFINITY;
  }

  /** Called on a margin call; return false to ignore it (and be liquidated). Default: meet it. */
  protected onMarginCall(_now: Micros, _call: MarginCalled): boolean {
    return true;
  }

  /** Called after its collateral was seized (its state is already updated). */
  protected onLiquidated(_now: Micros, _report: LoanLiquidated): void {}

  /** True while an order or a credit command is in flight. */
  protected get busy(): boolean {
    return this.tracker.openCount > 0 || this.pendingCredit !== null || this.parentActive;
  }

  /** Where the current (or last) scheduled parent stands. */
  get parentState(): ParentState {
    return this.executor.state;
  }

  /** A decision's query: its answer runs `decide`. */
  protected override queryMarket(): void {
    this.decisionQueries++;
    super.queryMarket();
  }

  // ------------------------------------------------------------- handlers

  override onWakeup(now: Micros, tag: number): void {
    if (tag === EXECUTION_TAG) {
      this.executor.onWakeup(now);
      this.afterParent();
      return;
    }
    this.onClock(now, tag);
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const mid = midOf(s);
    this.bid = s.bidPrice;
    this.ask = s.askPrice;
    if (mid === mid) this.mid = mid;
    else if (s.lastPrice !== NO_PRICE) this.mid = s.lastPrice;
    else if (!(this.mid > 0)) this.mid = this.markBeforeTrades(now);
    if (this.executor.onSnapshot(now, s)) {
      this.afterParent();
      return;
    }
    if (this.decisionQueries === 0) return; // the quote of a parent cancelled meanwhile
    this.decisionQueries--;
    if (this.pendingCredit !== null && now - this.pendingSince > this.replyTimeoutUs) this.pendingCredit = null;
    this.inCall = s.auction !== undefined && this.callLadderLevels > 0;
    this.ladderDue = this.inCall;
    this.desired = this.decide(now, s);
    this.actionsLeft = this.maxActionsPerCycle;
    // A parent started on this decision prices its first slice on this snapshot.
    this.quoteInHand = true;
    if (this.parentActive) this.retargetParent();
    else this.step();
    this.quoteInHand = false;
    if (this.executor.onSnapshot(now, s)) this.afterParent();
    this.onDecided(now);
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    if (from === this.credit && CREDIT_REPORTS.has(message.type)) {
      this.onCreditReport(now, message as CreditReport);
      return;
    }
    super.onMessage(now, message, from);
    if (from !== this.exchange) return;
    const m = message as OrderReport | MarketSnapshot | PriceAlert | CashTransferred;
    if (this.parentActive) {
      this.onParentReport(m);
      return;
    }
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
      case 'PriceAlert':
      case 'CashTransferred':
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
        this.loan.repaid(m.amount);
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
        this.loan.call(m);
        this.meetingCall = this.onMarginCall(now, m);
        if (this.meetingCall) {
          this.actionsLeft = this.maxActionsPerCycle;
          if (!this.execution.forCall) this.cancelParent();
          this.step();
        }
        return;
      case 'LoanLiquidated':
        if (m.loan.borrower !== this.id) return;
        this.counts.liquidations++;
        this.counts.seizedLots += m.instrument === this.instrument ? m.seizedQty : 0;
        if (m.instrument === this.instrument) this.tracker.position -= m.seizedQty;
        this.applyLoan(m.loan);
        // The position the parent was planned on is gone: no trading until the next decision.
        this.actionsLeft = 0;
        this.cancelParent();
        this.onLiquidated(now, m);
        return;
      case 'CreditRejected':
        this.counts.creditRejections++;
        if (m.command !== this.pendingCredit) return;
        if (m.reason === 'LOAN_CLOSED' || m.reason === 'UNKNOWN_LOAN') this.closeLoan(null);
        if (m.reason === 'INSUFFICIENT_COLLATERAL' && this.terms === undefined) this.belief.afterRefusal(this.requestedDebt, this.requestedLots * this.mid * this.minorPerTickLot);
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
    const callLifted = this.loan.apply(loan);
    if (this.terms === undefined) this.belief.floor(loan.healthFactor, loan.debt, this.pledgedValue());
    if (callLifted) {
      this.meetingCall = false;
      this.actionsLeft = 0; // call met: no re-levering before the next look at the market
      if (this.execution.forCall) this.cancelParent();
    }
  }

  private closeLoan(loan: LoanState | null): void {
    this.loan.close(loan);
  }

  /** Learning mode: a grant bounds the haircut from above; then probe lower. */
  private learnFromGrant(loan: LoanState): void {
    if (this.terms !== undefined) return;
    this.belief.afterGrant(loan.debt, this.pledgedValue());
    this.belief.floor(loan.healthFactor, loan.debt, this.pledgedValue());
  }

  /** Value of the pledged lots at the last mid, minor units (NaN before a mid). */
  private pledgedValue(): number {
    return this.loan.pledged * this.mid * this.minorPerTickLot;
  }

  // ------------------------------------------------------------- stepping

  /** Sends the next command toward the desired position, if any is due and possible. */
  private step(): void {
    if (this.busy || this.actionsLeft <= 0) return;
    const plan = this.plan;
    planStep(this, this.loan.called && this.meetingCall, this.kernel.now, plan);
    if (plan.kind === 'call-over') {
      this.loan.dropCall();
      this.meetingCall = false;
      planStep(this, false, this.kernel.now, plan);
    }
    if (this.inCall && !(this.loan.called && this.meetingCall) && plan.kind !== 'repay' && plan.kind !== 'release' && plan.kind !== 'borrow') {
      // In a call: the decision's trades go in as one ladder; the rest waits for the next decision.
      if (this.ladderDue) this.sendCallLadder();
      else if (plan.kind !== 'none') this.actionsLeft = 0;
      return;
    }
    switch (plan.kind) {
      case 'sell':
        return this.execution.scheduled ? this.startParent('sell', plan.qty) : this.sell(plan.qty);
      case 'buy':
        return this.execution.scheduled ? this.startParent('buy', plan.qty) : this.buy(plan.qty);
      case 'repay':
        return this.repay(plan.amount);
      case 'release':
        return this.release(plan.qty);
      case 'borrow':
        return this.borrow(plan.amount, plan.qty);
      case 'stop':
        this.actionsLeft = 0;
        return;
      case 'none':
      case 'call-over':
        return;
    }
  }

  /** Sends the decision's demand schedule into the call as IOC limit orders (see "In a call auction"). */
  private sendCallLadder(): void {
    this.ladderDue = false;
    const p = this.mid;
    if (!(p > 0)) return;
    const b = this.ladderBounds;
    this.ladderEquity = this.equityAt(p);
    b.minPrice = Math.max(1, Math.ceil(p * (1 - this.callSellFloor)));
    b.maxPrice = Math.max(2, Math.ceil(4 * p));
    b.cash = this.cash;
    b.sellable = Math.max(0, this.freeLots);
    this.filledOnOrder = 0;
    if (sendDemandLadder(this, this.tracker.position, b, this) > 0) {
      this.actionsLeft--;
      this.laddersSent++;
    }
  }

  // ------------------------------------------------------------ schedules

  /**
   * Starts a parent of `qty` lots: limit-protected at `mid·(1 ± maxSlippage)`
   * (a buy also at most `buyLimitCap()` and no more lots than the cash pays
   * at the limit), except a sale to meet a margin call (limit 1 tick).
   */
  private startParent(side: Side, qty: number): void {
    const now = this.kernel.now;
    const ex = this.execution;
    const forCall = this.loan.called && this.meetingCall;
    const limit = forCall && side === 'sell' ? 1 : ex.limitFor(side, this.mid, this.buyLimitCap());
    const lots = side === 'buy' ? Math.min(qty, Math.floor(this.cash / buyHoldPerLot(limit, this.minorPerTickLot, this.feeAllowance))) : qty;
    if (lots < 1) {
      this.actionsLeft = 0;
      return;
    }
    this.actionsLeft--;
    ex.forCall = forCall;
    ex.target = this.targetPosition();
    this.parentActive = true;
    this.counts.parents++;
    this.executor.start(now, ex.prepare(side, lots, now, limit), this.quoteInHand);
  }

  /** The desired position after the leverage clamp, lots (the position itself when holding). */
  private targetPosition(): number {
    const d = this.desired;
    const p = this.mid;
    if (d !== d || !(p > 0)) return this.tracker.position;
    return Math.min(Math.max(0, Math.floor(d)), this.maxPositionAt(p));
  }

  /** At a decision while a parent works: cancel it when the target moved materially (see {@link TargetExecution.retarget}). */
  private retargetParent(): void {
    const p = this.mid;
    if (this.desired !== this.desired || !(p > 0) || this.executor.state !== 'working') return;
    const equityLots = this.equityAt(p) / (p * this.minorPerTickLot);
    if (!this.execution.retarget(this.execution.plan.side, this.targetPosition(), this.tracker.position, equityLots)) return;
    this.counts.retargets++;
    this.cancelParent();
  }

  /** Cancels the working parent (its open child too); the next step follows when nothing is open. */
  private cancelParent(): void {
    if (!this.parentActive) return;
    this.executor.cancel();
    this.afterParent();
  }

  /** An order report while a parent is active. */
  private onParentReport(m: OrderReport | MarketSnapshot | PriceAlert | CashTransferred): void {
    switch (m.type) {
      case 'OrderFilled':
        this.executor.onFill(m);
        break;
      case 'OrderRejected':
        // The venue refuses what the agent believed possible: stop, wait for the next decision.
        this.actionsLeft = 0;
        this.executor.cancel();
        break;
      case 'OrderCancelled':
        break;
      case 'OrderAccepted':
      case 'OrderModified':
      case 'MarketSnapshot':
      case 'PriceAlert':
      case 'CashTransferred':
        return;
      default:
        ignoreUnlisted(m);
        return;
    }
    this.afterParent();
  }

  /**
   * Once the parent has ended (done, expired or cancelled) and its last child
   * is closed: the next step. A parent that traded nothing (not cancelled)
   * ends the cycle, as an order that traded nothing does.
   */
  private afterParent(): void {
    if (!this.parentActive || this.executor.state === 'working' || this.tracker.openCount > 0) return;
    this.parentActive = false;
    this.execution.forCall = false;
    if (this.executor.state !== 'cancelled' && this.executor.filledQty === 0) this.actionsLeft = 0;
    this.step();
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
    this.requestedDebt = this.loan.debt + amount;
    this.requestedLots = this.loan.pledged + pledge;
    this.counts.loansRequested++;
    this.sendCredit(m, 'RequestLoan');
  }

  private repay(amount: number): void {
    const m: RepayLoan = { type: 'RepayLoan', loanId: this.loan.loanId, amount };
    this.counts.repayments++;
    this.sendCredit(m, 'RepayLoan');
  }

  private release(qty: number): void {
    const m: ReleaseCollateral = { type: 'ReleaseCollateral', loanId: this.loan.loanId, collateral: [{ instrument: this.instrument, qty }] };
    this.requestedDebt = this.loan.debt;
    this.requestedLots = this.loan.pledged - qty;
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
