import type { Scheduled } from '../engine/kernel.js';
import { BaseAgent } from '../engine/agent.js';
import type { AgentId } from '../engine/agent-id.js';
import { ignoreUnlisted, type Message } from '../engine/message.js';
import type { Micros } from '../engine/time.js';
import type { CollateralLeg, CreditReport, LiquidateLoan, LoanLiquidatable, LoanLiquidated, SubscribeLiquidations } from '../credit/credit-messages.js';
import type { InstrumentId } from '../market/instrument.js';
import { NO_PRICE, type MarketSnapshot, type QueryMarket } from '../market/market-data.js';
import type { CancelOrder, OrderReport, PlaceOrder } from '../market/order-messages.js';
import { requireAtLeast, requireInt, requireProbability } from './_internals/check.js';
import type { ExecutionPlan } from './execution/execution-plan.js';
import { ParentOrderExecutor, type ChildOrderPort } from './execution/parent-order-executor.js';
import { OrderTracker, type TrackedOrder } from './order-tracker.js';

/** Options of a {@link Liquidator}. Cash in minor units, times in µs. */
export interface LiquidatorOptions {
  /** The credit venue's agent id. Required. */
  credit: AgentId;
  /** The exchange's agent id (where seized lots are sold). Required. */
  exchange: AgentId;
  /** Cash the scenario deposits for it, minor units (its belief; the ledger is the truth). Default 0. */
  initialCash?: number;
  /** Fraction of its available cash it commits to one liquidation, in (0, 1]. Default 1. */
  capitalFraction?: number;
  /** Smallest repayment worth sending, minor units; below it the opportunity is skipped. Default 1. */
  minRepay?: number;
  /** Opportunities with a smaller liquidation bonus are skipped. Default 0. */
  minBonus?: number;
  /** Seized lots are sold in this many orders. Default 1 (one order at once). */
  slices?: number;
  /** Time between slices, µs. Default 1 000 000 (1 s). */
  sliceIntervalUs?: Micros;
  /** `'market'` orders, or `'limit-ioc'` priced at the bid (from a fresh `QueryMarket`) − `crossTicks`. Default `'market'`. */
  orderType?: 'market' | 'limit-ioc';
  /** How far below the bid an IOC slice may sell, ticks. Default 0. */
  crossTicks?: number;
  /** `Instrument.minorPerTickLot`: one for all instruments, or one per instrument id. Default 1. */
  minorPerTickLot?: number | readonly number[];
  /**
   * How seized lots are sold. `'sliced'` (default): the slicer above.
   * `'twap'`: a TWAP parent of `slices` IOC children every `sliceIntervalUs`.
   * `'pov'`: children of `participationRate` × the volume traded in the
   * previous interval, `slices` observations every `sliceIntervalUs`, the
   * rest at the last one. Schedules use limit-price protection
   * (`maxDiscount`) and the `ParentOrderExecutor`; a new seizure during a
   * sale restarts the parent with everything unsold.
   */
  execution?: 'sliced' | 'twap' | 'pov';
  /** POV: share of the market's volume, in (0, 1]. Default 0.1. */
  participationRate?: number;
  /** Schedules: no child sells below (1 − maxDiscount) × the last price seen at the seizure, in [0, 1). Default 0.1. */
  maxDiscount?: number;
}

/** Wake-up tags of the executors: this plus the instrument id (plain tags are instrument ids). */
const EXECUTOR_TAG = 1 << 20;

/** Seized lots of one instrument and their sale. */
interface Inventory {
  readonly instrument: InstrumentId;
  readonly tracker: OrderTracker;
  /** Slices left in the current sale schedule. */
  slicesLeft: number;
  /** The pending look-again wake-up, to cancel when a new seizure sells at once. */
  wake: Scheduled | null;
  /** Lots of an IOC slice waiting for its quote (0: none). */
  awaitingQuote: number;
  /** Last price seen (fills, quotes), ticks; NaN when none. */
  lastPrice: number;
  /** The schedule working its sale (`execution` other than `'sliced'`), else null. */
  executor: ParentOrderExecutor | null;
  /** The executor's parent, rewritten for each sale (one record per inventory). */
  readonly plan: { -readonly [K in keyof ExecutionPlan]: ExecutionPlan[K] };
}

/**
 * A liquidation bot, as on Aave/Compound: it competes with other
 * liquidators (each with its own capital and the latency the scenario's
 * latency model gives it) to repay part of unhealthy loans and seize their
 * collateral at a bonus, then sells the seized lots into the book — the
 * fire sale through which one liquidation moves the price and can make the
 * next loan liquidatable (a cascade).
 *
 * - At start: `SubscribeLiquidations`.
 * - On `LoanLiquidatable`: unless it already has a call in flight for that
 *   loan or the bonus is below `minBonus`, it picks the collateral leg of
 *   largest value (lots × the last price it has seen × minorPerTickLot; by
 *   lots when a leg's price is unknown) and sends `LiquidateLoan` with
 *   `repayAmount = min(maxRepay, ⌊available cash · capitalFraction⌋)`. The
 *   amount is reserved until the venue answers; with less than `minRepay`
 *   available it skips the opportunity (out of capital).
 * - The venue lets the first valid call win; a loser gets `CreditRejected`
 *   (`LOAN_HEALTHY`, `LOAN_CLOSED`, …), which just releases the reservation.
 * - On its own `LoanLiquidated`: cash −= `debtRepaid`, inventory +=
 *   `seizedQty − protocolQty` (the protocol's share of the bonus goes
 *   to the venue's account, not to it), and a sale starts: `slices` orders spaced by
 *   `sliceIntervalUs`, each for ⌈unsold / slices left⌉ lots, as market
 *   orders or IOC limits at the bid − `crossTicks`. Unfilled lots (IOC
 *   remainders, rejections) are offered again one interval later, one slice
 *   at a time, until sold.
 *
 * Inventory and cash are built from fills (an {@link OrderTracker} per
 * instrument) and the venue's liquidation reports. Work per event is O(1)
 * (O(legs) to pick a leg).
 *
 * Messages sent: `SubscribeLiquidations`, `LiquidateLoan` (credit venue);
 * `PlaceOrder`, `QueryMarket` (exchange).
 * Messages handled: `LoanLiquidatable`, `LoanLiquidated`, `CreditRejected`,
 * order reports, `MarketSnapshot` (IOC quotes).
 */
export class Liquidator extends BaseAgent {
  readonly credit: AgentId;
  readonly exchange: AgentId;
  readonly capitalFraction: number;
  readonly minRepay: number;
  readonly minBonus: number;
  readonly slices: number;
  readonly sliceIntervalUs: Micros;
  readonly orderType: 'market' | 'limit-ioc';
  readonly crossTicks: number;
  readonly execution: 'sliced' | 'twap' | 'pov';
  readonly participationRate: number;
  readonly maxDiscount: number;
  /** Cash in minor units as the liquidator knows it. */
  cash: number;
  /** Cash reserved for `LiquidateLoan` calls in flight, minor units. */
  reserved = 0;
  /** `LiquidateLoan` sent. */
  attempts = 0;
  /** Liquidations won. */
  wins = 0;
  /** `LiquidateLoan` refused (lost races and others). */
  losses = 0;
  /** Opportunities skipped for lack of capital. */
  skippedNoCapital = 0;
  /** Opportunities skipped for a small bonus. */
  skippedBonus = 0;
  /** Debt repaid in liquidations, minor units. */
  debtRepaid = 0;
  /** Lots seized, all instruments. */
  lotsSeized = 0;
  private readonly minorPerTickLot: number | readonly number[];
  /** Calls in flight: loan id → reserved repayment. */
  private readonly pending = new Map<number, number>();
  private readonly inventories: (Inventory | undefined)[] = [];

  constructor(name: string, options: LiquidatorOptions) {
    super(name);
    this.credit = requireInt('credit', options.credit, 0);
    this.exchange = requireInt('exchange', options.exchange, 0);
    this.cash = requireInt('initialCash', options.initialCash ?? 0, 0);
    this.capitalFraction = options.capitalFraction ?? 1;
    if (!(this.capitalFraction > 0 && this.capitalFraction <= 1)) throw new RangeError(`capitalFraction must be in (0, 1], got ${this.capitalFraction}`);
    this.minRepay = requireInt('minRepay', options.minRepay ?? 1, 1);
    this.minBonus = requireAtLeast('minBonus', options.minBonus ?? 0, 0);
    this.slices = requireInt('slices', options.slices ?? 1, 1);
    this.sliceIntervalUs = requireInt('sliceIntervalUs', options.sliceIntervalUs ?? 1_000_000, 1);
    this.orderType = options.orderType ?? 'market';
    if (this.orderType !== 'market' && this.orderType !== 'limit-ioc') throw new RangeError(`orderType must be 'market' or 'limit-ioc', got ${String(this.orderType)}`);
    this.crossTicks = requireInt('crossTicks', options.crossTicks ?? 0, 0);
    const m = options.minorPerTickLot ?? 1;
    if (typeof m === 'number') requireInt('minorPerTickLot', m, 1);
    else for (const x of m) requireInt('minorPerTickLot', x, 1);
    this.minorPerTickLot = m;
    this.execution = options.execution ?? 'sliced';
    if (this.execution !== 'sliced' && this.execution !== 'twap' && this.execution !== 'pov') throw new RangeError(`execution must be 'sliced', 'twap' or 'pov', got ${String(this.execution)}`);
    this.participationRate = options.participationRate ?? 0.1;
    if (!(this.participationRate > 0 && this.participationRate <= 1)) throw new RangeError(`participationRate must be in (0, 1], got ${this.participationRate}`);
    this.maxDiscount = requireProbability('maxDiscount', options.maxDiscount ?? 0.1);
    if (this.maxDiscount >= 1) throw new RangeError(`maxDiscount must be below 1, got ${this.maxDiscount}`);
  }

  /** Cash not reserved for calls in flight, minor units. */
  get availableCash(): number {
    return this.cash - this.reserved;
  }

  /** Lots of `instrument` held (seized and not yet sold). */
  inventory(instrument: InstrumentId): number {
    return this.inventories[instrument]?.tracker.position ?? 0;
  }

  /** Lots sold so far, all instruments. */
  get lotsSold(): number {
    let s = 0;
    for (const inv of this.inventories) if (inv !== undefined) s += inv.tracker.tradedQty;
    return s;
  }

  override onStart(_now: Micros): void {
    const m: SubscribeLiquidations = { type: 'SubscribeLiquidations' };
    this.send(this.credit, m);
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag >= EXECUTOR_TAG) {
      this.inventories[tag - EXECUTOR_TAG]?.executor?.onWakeup(now);
      return;
    }
    const inv = this.inventories[tag];
    if (inv === undefined) return;
    inv.wake = null;
    if (this.unsold(inv) > 0) {
      if (inv.slicesLeft <= 0) inv.slicesLeft = 1;
      this.sellSlice(inv, now);
    } else if (inv.tracker.openCount > 0 || inv.awaitingQuote > 0) {
      this.scheduleSlice(inv, now);
    }
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    if (from === this.credit) {
      const m = message as CreditReport;
      switch (m.type) {
        case 'LoanLiquidatable':
          this.onLiquidatable(m);
          return;
        case 'LoanLiquidated':
          if (m.liquidator === this.id) this.onLiquidated(now, m);
          return;
        case 'CreditRejected': {
          if (m.command !== 'LiquidateLoan') return;
          const amount = this.pending.get(m.loanId);
          if (amount === undefined) return;
          this.pending.delete(m.loanId);
          this.reserved -= amount;
          this.losses++;
          return;
        }
        case 'LoanGranted':
        case 'LoanRepaid':
        case 'CollateralChanged':
        case 'MarginCalled':
        case 'LoansReported':
          break;
        default:
          // Not a credit report: the credit venue may also be the exchange.
          ignoreUnlisted(m);
          break;
      }
    }
    if (from !== this.exchange) return;
    if (message.type === 'MarketSnapshot') {
      this.onQuote(message as MarketSnapshot);
      return;
    }
    const r = message as OrderReport;
    const inv = this.inventories[r.instrument];
    if (inv === undefined) return;
    const before = inv.tracker.cash;
    const order = inv.tracker.apply(r);
    this.cash += inv.tracker.cash - before;
    if (r.type === 'OrderFilled') {
      inv.lastPrice = r.price;
      inv.executor?.onFill(r);
    } else if (r.type === 'OrderAccepted' && order !== undefined) {
      // A child whose parent was cancelled before the venue accepted it.
      const owed = inv.tracker.takeOwedCancel(order);
      if (owed !== 0) this.sendCancel(inv.instrument, owed);
    }
  }

  private onLiquidatable(m: LoanLiquidatable): void {
    const loanId = m.loan.loanId;
    if (this.pending.has(loanId)) return;
    if (m.bonus < this.minBonus) {
      this.skippedBonus++;
      return;
    }
    const leg = this.largestLeg(m.loan.collateral);
    if (leg === undefined) return;
    const repay = Math.min(m.maxRepay, Math.floor(this.availableCash * this.capitalFraction));
    if (!(repay >= this.minRepay)) {
      this.skippedNoCapital++;
      return;
    }
    this.pending.set(loanId, repay);
    this.reserved += repay;
    this.attempts++;
    const call: LiquidateLoan = { type: 'LiquidateLoan', loanId, instrument: leg.instrument, repayAmount: repay };
    this.send(this.credit, call);
  }

  private onLiquidated(now: Micros, m: LoanLiquidated): void {
    const reserved = this.pending.get(m.loan.loanId);
    if (reserved !== undefined) {
      this.pending.delete(m.loan.loanId);
      this.reserved -= reserved;
    }
    this.wins++;
    this.cash -= m.debtRepaid;
    this.debtRepaid += m.debtRepaid;
    // The protocol's share of the bonus lots never reaches this account.
    const received = m.seizedQty - m.protocolQty;
    if (received <= 0) return;
    this.lotsSeized += received;
    const inv = this.inventoryOf(m.instrument);
    inv.tracker.position += received;
    if (inv.executor !== null) {
      this.startSale(inv, now);
      return;
    }
    inv.slicesLeft = this.slices;
    if (inv.awaitingQuote > 0) return; // the quote on its way prices this sale too
    // Sell at once, caused by this liquidation: a pending look-again wake-up
    // belongs to an earlier seizure, and waiting for it would both delay the
    // sale and file its price impact under the wrong liquidation.
    if (inv.wake !== null) {
      this.kernel.cancel(inv.wake);
      inv.wake = null;
    }
    this.sellSlice(inv, now);
  }

  /** Offers one slice of the unsold lots, and schedules the next look. */
  private sellSlice(inv: Inventory, now: Micros): void {
    const unsold = this.unsold(inv);
    if (unsold > 0 && inv.awaitingQuote === 0) {
      const qty = Math.ceil(unsold / Math.max(1, inv.slicesLeft));
      inv.slicesLeft--;
      if (this.orderType === 'market') {
        this.placeSell(inv, 'market', Number.isFinite(inv.lastPrice) ? inv.lastPrice : NO_PRICE, qty);
      } else {
        inv.awaitingQuote = qty;
        const q: QueryMarket = { type: 'QueryMarket', instrument: inv.instrument, depth: 0 };
        this.send(this.exchange, q);
      }
    }
    this.scheduleSlice(inv, now);
  }

  private onQuote(s: MarketSnapshot): void {
    if (s.update) return;
    const inv = this.inventories[s.instrument];
    if (inv !== undefined && inv.executor !== null) {
      if (s.bidPrice !== NO_PRICE) inv.lastPrice = s.bidPrice;
      inv.executor.onSnapshot(this.kernel.now, s);
      return;
    }
    if (inv === undefined || inv.awaitingQuote === 0) return;
    const qty = Math.min(inv.awaitingQuote, this.unsold(inv));
    inv.awaitingQuote = 0;
    if (s.bidPrice === NO_PRICE || qty <= 0) return; // nobody to sell to now; the next slice retries
    inv.lastPrice = s.bidPrice;
    this.placeSell(inv, 'limit-ioc', Math.max(1, s.bidPrice - this.crossTicks), qty);
  }

  private placeSell(inv: Inventory, orderType: 'market' | 'limit-ioc', price: number, qty: number): TrackedOrder {
    const order = inv.tracker.track('sell', price, qty, this.kernel.now);
    const m: PlaceOrder = { type: 'PlaceOrder', instrument: inv.instrument, clientOrderId: order.clientOrderId, side: 'sell', orderType, price, qty };
    this.send(this.exchange, m);
    return order;
  }

  private sendCancel(instrument: InstrumentId, orderId: number): void {
    const m: CancelOrder = { type: 'CancelOrder', instrument, orderId };
    this.send(this.exchange, m);
  }

  /**
   * (Re)starts the scheduled sale of everything held and not in an open
   * child, protected at (1 − maxDiscount) × the last price seen (1 tick
   * when it has seen none).
   */
  private startSale(inv: Inventory, now: Micros): void {
    const executor = inv.executor as ParentOrderExecutor;
    executor.cancel();
    let open = 0;
    for (const o of inv.tracker.openOrders()) open += o.remaining;
    const qty = inv.tracker.position - open;
    if (qty <= 0) return;
    const plan = inv.plan;
    plan.qty = qty;
    plan.startUs = now;
    plan.endUs = now + this.slices * this.sliceIntervalUs;
    plan.limitPrice = Number.isFinite(inv.lastPrice) ? Math.max(1, Math.floor(inv.lastPrice * (1 - this.maxDiscount))) : 1;
    executor.start(now, plan);
  }

  /** The liquidator's order path for one inventory's executor. */
  private portOf(inv: Inventory): ChildOrderPort {
    return {
      placeChild: (_side, price, qty) => this.placeSell(inv, 'limit-ioc', price, qty),
      cancelChild: (order) => {
        const orderId = inv.tracker.requestCancel(order);
        if (orderId !== 0) this.sendCancel(inv.instrument, orderId);
      },
      queryMarket: () => {
        const q: QueryMarket = { type: 'QueryMarket', instrument: inv.instrument, depth: 0 };
        this.send(this.exchange, q);
      },
      wakeAt: (time, tag) => this.kernel.wakeAt(this.id, time, tag),
      cancelWake: (handle) => {
        this.kernel.cancel(handle);
      },
    };
  }

  private scheduleSlice(inv: Inventory, now: Micros): void {
    if (inv.wake !== null) return;
    inv.wake = this.kernel.wakeAt(this.id, now + this.sliceIntervalUs, inv.instrument);
  }

  private unsold(inv: Inventory): number {
    return inv.tracker.position - inv.tracker.committedSellQty;
  }

  private inventoryOf(instrument: InstrumentId): Inventory {
    let inv = this.inventories[instrument];
    if (inv === undefined) {
      const plan: Inventory['plan'] = {
        side: 'sell',
        qty: 1,
        startUs: 0,
        endUs: 0,
        limitPrice: 1,
        crossTicks: this.crossTicks,
        schedule: this.execution === 'pov' ? 'pov' : 'twap',
        slices: this.slices,
        intervalUs: this.sliceIntervalUs,
        participationRate: this.participationRate,
        minChildQty: 1,
        completeAtDeadline: true,
        kappaTau: 0,
      };
      const scheduled = this.execution !== 'sliced';
      // Built as a variable first: the executor's port refers to this record.
      inv = { instrument, tracker: new OrderTracker({ minorPerTickLot: this.minorOf(instrument) }), slicesLeft: 0, wake: null, awaitingQuote: 0, lastPrice: Number.NaN, executor: null, plan };
      if (scheduled) inv.executor = new ParentOrderExecutor(this.portOf(inv), EXECUTOR_TAG + instrument);
      this.inventories[instrument] = inv;
    }
    return inv;
  }

  private minorOf(instrument: InstrumentId): number {
    const m = this.minorPerTickLot;
    return typeof m === 'number' ? m : (m[instrument] ?? 1);
  }

  /** The leg of largest value (by lots when a price is missing); ties go to the first listed. */
  private largestLeg(legs: readonly CollateralLeg[]): CollateralLeg | undefined {
    let priced = true;
    for (const leg of legs) if (!Number.isFinite(this.inventories[leg.instrument]?.lastPrice ?? Number.NaN)) priced = false;
    let best: CollateralLeg | undefined;
    let bestValue = 0;
    for (const leg of legs) {
      if (!(leg.qty > 0)) continue;
      const value = priced ? leg.qty * (this.inventories[leg.instrument]?.lastPrice as number) * this.minorOf(leg.instrument) : leg.qty;
      if (best === undefined || value > bestValue) {
        best = leg;
        bestValue = value;
      }
    }
    return best;
  }
}
