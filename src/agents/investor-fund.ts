import type { Micros } from '../engine/time.js';
import type { CashTransferred } from '../market/cash-transfers.js';
import type { MarketSnapshot } from '../market/market-data.js';
import { requireAtLeast, requireInt } from './_internals/check.js';
import { ClockedLeveragedTrader, type ClockedLeveragedTraderOptions } from './clocked-leveraged-trader.js';
import { InvestorFlows } from './investor-flows.js';

/** Options of an {@link InvestorFund}: its investors and its end. */
export interface InvestorFundOptions extends ClockedLeveragedTraderOptions {
  /** Investors' flows (TFG §2.3, {@link InvestorFlows}): sensitivity b, ≥ 0 (0: no flows). Default 0. */
  flowSensitivity?: number;
  /** Benchmark return r_b per flow period. Default 0.005 (TFG). */
  flowBenchmark?: number;
  /** Weight a of the latest return in the performance average, in (0, 1]. Default 0.1 (TFG). */
  flowWeight?: number;
  /** Time between investors' flows (the flow period), µs. Default 23 400 000 000 (a 6.5-hour trading day). */
  flowIntervalUs?: Micros;
  /** Bankrupt when its equity falls to this share of its starting equity, in [0, 1) (0: never). Default 0 (TFG: 0.1). */
  bankruptcyFloor?: number;
  /** After bankruptcy (sold out, loan repaid, what is left paid out), it re-enters with its starting cash this much later, µs (0: never). Default 0. */
  reentryDelayUs?: Micros;
}

/** Wake-up tags beside the decision clock's (0). */
const FLOW = 5;
const REENTRY = 6;

/** Where a fund stands: trading, unwinding after bankruptcy, or out of the market until it re-enters. */
export type FundPhase = 'active' | 'bankrupt' | 'dormant';

/**
 * A clocked leveraged trader whose capital belongs to investors, after
 * Thurner, Farmer & Geanakoplos (2012), §2.3: the value fund and the
 * leverage targeter share it, each deciding only its demand.
 *
 * With `flowSensitivity` > 0 its investors chase performance
 * ({@link InvestorFlows}): every `flowIntervalUs` the fund's return since the
 * last flow updates r_perf and F = max(−1, b(r_perf − r_b))·W moves through
 * its account (cash-transfers.ts; an external flow of the ledger).
 * Subscriptions arrive at once; redemptions are a liability of the fund
 * ("owed"), subtracted from W in its demand and paid out of cash whenever
 * it has no order open, so a fund facing outflows sells into the market.
 * With `bankruptcyFloor` > 0 it is bankrupt when W falls to that share of
 * its starting equity (TFG: 10 %): it sells out and repays, pays what is
 * left to its investors, stays out for `reentryDelayUs` and re-enters with
 * its starting cash from new investors (TFG: after 100 periods, with the
 * initial wealth), with no track record.
 */
export abstract class InvestorFund extends ClockedLeveragedTrader {
  readonly flows: InvestorFlows | null;
  readonly flowIntervalUs: Micros;
  readonly bankruptcyFloor: number;
  readonly reentryDelayUs: Micros;
  phase: FundPhase = 'active';
  /** Redemptions owed to investors and not yet paid, minor units. */
  owed = 0;
  /** Σ subscriptions and Σ redemptions paid (re-entry capital included), minor units. */
  inflows = 0;
  outflows = 0;
  /** Times it went bankrupt, and re-entered. */
  bankruptcies = 0;
  /** When it went bankrupt, µs (one entry per bankruptcy). */
  readonly bankruptcyTimes: Micros[] = [];
  reentries = 0;
  /** Equity after the last flow, minor units (the base of the next period's return). */
  private equityAfterFlow = Number.NaN;
  /** Equity at its first decision, minor units: the base of the bankruptcy floor and the capital it re-enters with. */
  startingEquity = Number.NaN;
  /** The id of the redemption payment in flight (0: none; one at a time). */
  private payment = 0;
  /** Investors' equity at the last decision, minor units, and the lots redemptions let it keep (its demand schedule's inputs). */
  private decisionEquity = 0;
  private keptLots = Number.POSITIVE_INFINITY;
  /** Subscriptions sent to the venue and not yet answered, by transfer id, minor units: investors' money already committed. */
  private readonly arriving = new Map<number, number>();

  protected constructor(name: string, options: InvestorFundOptions, defaultIntervalUs: Micros) {
    super(name, options, defaultIntervalUs);
    const b = options.flowSensitivity ?? 0;
    this.flows = b > 0 ? new InvestorFlows(b, options.flowBenchmark ?? 0.005, options.flowWeight ?? 0.1) : null;
    this.flowIntervalUs = requireInt('flowIntervalUs', options.flowIntervalUs ?? 23_400_000_000, 1);
    this.bankruptcyFloor = requireAtLeast('bankruptcyFloor', options.bankruptcyFloor ?? 0, 0);
    if (!(this.bankruptcyFloor < 1)) throw new RangeError(`bankruptcyFloor must be below 1, got ${this.bankruptcyFloor}`);
    this.reentryDelayUs = requireInt('reentryDelayUs', options.reentryDelayUs ?? 0, 0);
  }

  /** Observes what the fund reads at each decision, before anything else (a draw of observation noise, say). */
  protected observe(_now: Micros): void {}

  /**
   * The position the fund wants, lots, given the price and its investors'
   * equity `w` > 0 — or NaN to leave the position as it is.
   */
  protected abstract demand(now: Micros, p: number, w: number): number;

  /**
   * Its demand schedule: the position it would want at `price` with its
   * investors' equity `w` as marked at the decision, lots (must not rise with
   * the price); NaN: no schedule (the decision's position at every price).
   */
  protected demandAt(_price: number, _w: number): number {
    return Number.NaN;
  }

  /** What its investors' equity ≤ 0 leaves it wanting, lots (nothing, by default). */
  protected onNoEquity(): number {
    return 0;
  }

  override onStart(now: Micros): void {
    super.onStart(now);
    if (this.flows !== null) this.wakeAt(now + this.flowIntervalUs, FLOW);
  }

  protected override onClock(now: Micros, tag: number): void {
    if (tag === FLOW) return this.onFlowPeriod(now);
    if (tag === REENTRY) return this.reenter();
    super.onClock(now, tag);
  }

  /** Equity less redemptions owed, plus subscriptions on their way: what the fund's investors have in it, minor units. */
  netEquityAt(price: number): number {
    let arriving = 0;
    for (const amount of this.arriving.values()) arriving += amount;
    return this.equityAt(price) - this.owed + arriving;
  }

  protected override decide(now: Micros, _s: MarketSnapshot): number {
    this.observe(now);
    const p = this.mid;
    if (!(p > 0)) return Number.NaN;
    if (this.phase === 'dormant') return Number.NaN;
    if (this.startingEquity !== this.startingEquity) this.startingEquity = this.equityAt(p);
    const w = this.netEquityAt(p);
    if (this.phase === 'active' && this.bankruptcyFloor > 0 && w <= this.bankruptcyFloor * this.startingEquity) this.goBankrupt(now);
    if (this.phase === 'bankrupt') return 0;
    this.decisionEquity = w;
    if (!(w > 0)) return this.onNoEquity();
    const lots = this.demand(now, p, w);
    const kept = this.positionAfterRedemptions(p);
    this.keptLots = kept;
    // A fund that would hold still must still sell what its redemptions need.
    if (lots !== lots) return kept < this.tracker.position ? kept : Number.NaN;
    return Math.min(lots, kept);
  }

  /** In a call: its demand schedule at the decision's equity, never more than redemptions let it keep. */
  protected override desiredAt(price: number): number {
    if (this.phase !== 'active' || !(this.decisionEquity > 0)) return this.desired;
    const lots = this.demandAt(price, this.decisionEquity);
    return lots !== lots ? this.desired : Math.min(lots, this.keptLots);
  }

  /**
   * Redemptions are paid in cash: while cash does not cover what is owed,
   * the position the fund may keep is its position less the lots whose sale
   * raises the difference (and it keeps selling until it does).
   */
  private positionAfterRedemptions(p: number): number {
    const short = this.owed - Math.max(0, this.tracker.cash);
    if (!(short > 0)) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.tracker.position - Math.ceil(short / (p * this.minorPerTickLot)));
  }

  /** After each decision: pay redemptions owed, or close a bankruptcy once sold out and repaid. */
  protected override onDecided(now: Micros): void {
    if (this.phase === 'bankrupt') {
      if (this.busy || this.tracker.position !== 0 || this.loan.debt !== 0 || this.payment !== 0) return;
      // Sold out and repaid: what is left goes to the investors, and the fund is out of the market.
      this.owed = Math.max(0, this.tracker.cash);
      this.phase = 'dormant';
      if (this.reentryDelayUs > 0) this.wakeAt(now + this.reentryDelayUs, REENTRY);
    }
    this.payOwed();
  }

  protected override onCashTransferred(_now: Micros, report: CashTransferred): void {
    const subscribed = this.arriving.get(report.transferId);
    if (subscribed !== undefined) {
      // Booked or refused, it is no longer on its way.
      this.arriving.delete(report.transferId);
      this.inflows += report.amount;
      return;
    }
    if (report.transferId !== this.payment) return;
    this.payment = 0;
    if (!report.booked) return; // cash was held after all: the next decision tries again
    this.owed += report.amount;
    this.outflows -= report.amount;
    this.payOwed();
  }

  /** The flow period's end: the return since the last flow sets this period's subscriptions or redemptions. */
  private onFlowPeriod(now: Micros): void {
    if (now + this.flowIntervalUs <= this.endUs) this.wakeAt(now + this.flowIntervalUs, FLOW);
    const flows = this.flows;
    const p = this.mid;
    if (flows === null || this.phase !== 'active' || !(p > 0)) return;
    const w = this.netEquityAt(p);
    const before = this.equityAfterFlow;
    this.equityAfterFlow = w;
    if (!(before > 0) || !(w > 0)) return;
    const f = Math.trunc(flows.next(w / before - 1) * w);
    if (f > 0) this.subscribe(f);
    else if (f < 0) this.owed += -f;
    this.equityAfterFlow = w + f;
    this.payOwed();
  }

  /** Pays what is owed out of cash, when no order holds any of it (one payment in flight at a time). */
  private payOwed(): void {
    if (this.owed <= 0 || this.payment !== 0 || this.tracker.openCount > 0) return;
    const amount = Math.min(this.owed, Math.max(0, this.tracker.cash));
    if (amount <= 0) return;
    this.payment = this.transferCash(-amount);
  }

  private goBankrupt(now: Micros): void {
    this.phase = 'bankrupt';
    this.bankruptcies++;
    this.bankruptcyTimes.push(now);
    this.onBankrupt();
  }

  /** What a subclass forgets when it goes bankrupt. */
  protected onBankrupt(): void {}

  /** New investors bring the starting cash; the fund trades again with no track record. */
  private reenter(): void {
    if (this.phase !== 'dormant') return;
    this.phase = 'active';
    this.reentries++;
    this.owed = 0;
    this.flows?.reset();
    this.equityAfterFlow = Number.NaN;
    this.subscribe(this.startingEquity);
  }

  private subscribe(amount: number): void {
    this.arriving.set(this.transferCash(amount), amount);
  }
}
