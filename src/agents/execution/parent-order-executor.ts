import type { Scheduled } from '../../engine/kernel.js';
import type { Micros } from '../../engine/time.js';
import { NO_PRICE, type MarketSnapshot } from '../../market/market-data.js';
import type { OrderFilled } from '../../market/order-messages.js';
import type { Side } from '../../market/side.js';
import type { TrackedOrder } from '../order-tracker.js';
import { executionPlanProblem, type ExecutionPlan } from './execution-plan.js';
import { almgrenChrissDue, povChildQty, twapDue } from './schedule-sizes.js';

/**
 * What the executor needs from the agent that owns it: the agent's own order
 * path (children are tracked by the agent's `OrderTracker`, so its position,
 * cash and committed lots stay right), market queries and wake-ups.
 */
export interface ChildOrderPort {
  /** Sends an IOC limit order (`'limit-ioc'`) and returns its tracked record. */
  placeChild(side: Side, price: number, qty: number): TrackedOrder;
  cancelChild(order: TrackedOrder): void;
  /** Asks the venue for one snapshot; the answer is to be passed to `onSnapshot`. */
  queryMarket(): void;
  wakeAt(time: Micros, tag: number): Scheduled;
  cancelWake(handle: Scheduled): void;
}

/** Where a parent order stands. `expired`: the horizon passed with lots unfilled. */
export type ParentState = 'idle' | 'working' | 'done' | 'cancelled' | 'expired';

/**
 * Works one parent order at a time into IOC limit children on a schedule
 * (TWAP, POV or Almgren–Chriss; see `schedule-sizes.ts`). One record an
 * agent owns and reuses for parent after parent: `start` resets it.
 *
 * Each slice: query the market; on the answer, send one child for what the
 * schedule has made due and is not yet filled (so an IOC's unfilled part is
 * carried into the next slice), priced `crossTicks` through the touch but
 * never through `limitPrice` (nothing trades beyond it: an IOC cannot rest
 * and the book cannot fill a limit order at a worse price). No child is sent
 * while the touch is already beyond the limit, or while an earlier child is
 * still open. After the last slice, one wake-up at `endUs` closes the parent
 * (`done` or `expired`). At most one wake-up is ever pending.
 *
 * The owner routes to it: wake-ups with its `tag` (`onWakeup`), snapshots
 * (`onSnapshot`), fills (`onFill`, after its tracker booked them).
 */
export class ParentOrderExecutor {
  state: ParentState = 'idle';
  /** Lots filled on the current parent. */
  filledQty = 0;
  /** Σ price·qty of the fills, ticks·lots (for the average price). */
  filledNotional = 0;
  /** Children sent for the current parent. */
  childrenSent = 0;
  private plan: ExecutionPlan | null = null;
  /** Index of the next slice to fire; `slices` once only the close is left. */
  private nextSlice = 0;
  /** The slice whose quote is awaited (−1: none). */
  private quotedSlice = -1;
  private closeAfterQuote = false;
  private wake: Scheduled | null = null;
  private child: TrackedOrder | null = null;
  /** POV: the venue's cumulative volume at the previous observation (−1: none yet). */
  private lastVolume = -1;

  constructor(
    private readonly port: ChildOrderPort,
    /** The wake-up tag the owner routes to this executor. */
    readonly tag: number,
  ) {}

  /** Lots of the current parent not yet filled. */
  get remainingQty(): number {
    return this.plan === null ? 0 : this.plan.qty - this.filledQty;
  }

  /** Average fill price in ticks; NaN before any fill. */
  get averagePrice(): number {
    return this.filledQty === 0 ? Number.NaN : this.filledNotional / this.filledQty;
  }

  /**
   * Starts working `plan` (kept by reference: do not change it while
   * working). Throws on an impossible plan or while another parent works.
   * `quoteFollows`: the owner holds a snapshot taken now and passes it to
   * `onSnapshot` right after this call, so a plan that starts now prices its
   * first slice on it instead of waking up to ask for the same book.
   */
  start(now: Micros, plan: ExecutionPlan, quoteFollows = false): void {
    if (this.state === 'working') throw new Error('a parent order is already being worked; cancel it first');
    const problem = executionPlanProblem(plan);
    if (problem !== null) throw new RangeError(problem);
    this.plan = plan;
    this.state = 'working';
    this.filledQty = 0;
    this.filledNotional = 0;
    this.childrenSent = 0;
    this.nextSlice = 0;
    this.quotedSlice = -1;
    this.closeAfterQuote = false;
    this.child = null;
    this.lastVolume = -1;
    if (quoteFollows && plan.startUs <= now) {
      this.quotedSlice = this.nextSlice++;
      this.scheduleNext(now, plan);
    } else this.wake = this.port.wakeAt(Math.max(now, plan.startUs), this.tag);
  }

  /** Cancels the parent: its open child is cancelled and nothing more is scheduled. */
  cancel(): void {
    if (this.state !== 'working') return;
    this.state = 'cancelled';
    this.stopClock();
    if (this.child !== null && this.child.remaining > 0 && !this.child.cancelRequested) this.port.cancelChild(this.child);
  }

  /** The owner's wake-up with this executor's tag. */
  onWakeup(now: Micros): void {
    this.wake = null;
    const plan = this.plan;
    if (this.state !== 'working' || plan === null) return;
    if (this.nextSlice >= plan.slices) {
      if (this.quotedSlice >= 0) this.closeAfterQuote = true;
      else this.close();
      return;
    }
    this.quotedSlice = this.nextSlice++;
    this.port.queryMarket();
    this.scheduleNext(now, plan);
  }

  /** The wake-up for the slice after the one just fired (or for the close after the last). */
  private scheduleNext(now: Micros, plan: ExecutionPlan): void {
    const next = this.nextSlice < plan.slices ? plan.startUs + this.nextSlice * plan.intervalUs : plan.endUs;
    this.wake = this.port.wakeAt(Math.max(now, next), this.tag);
  }

  /** A snapshot of the instrument. Returns whether the executor was waiting for it. */
  onSnapshot(_now: Micros, s: MarketSnapshot): boolean {
    if (this.quotedSlice < 0 || this.state !== 'working') return false;
    const k = this.quotedSlice;
    this.quotedSlice = -1;
    this.sendChild(k, s);
    if (this.closeAfterQuote) this.close();
    return true;
  }

  /** A fill the owner's tracker has booked; ignored unless it is of the current child. */
  onFill(fill: OrderFilled): void {
    const child = this.child;
    if (child === null || fill.clientOrderId !== child.clientOrderId || this.plan === null) return;
    this.filledQty += fill.qty;
    this.filledNotional += fill.price * fill.qty;
    if (this.filledQty >= this.plan.qty && (this.state === 'working' || this.state === 'expired')) {
      this.state = 'done';
      this.stopClock();
    }
  }

  private sendChild(k: number, s: MarketSnapshot): void {
    const plan = this.plan as ExecutionPlan;
    const open = this.child !== null && this.child.remaining > 0 ? this.child.remaining : 0;
    const qty = this.childQty(plan, k, s, open);
    if (qty <= 0 || open > 0) return;
    const price = this.childPrice(plan, s);
    if (price === NO_PRICE) return;
    this.child = this.port.placeChild(plan.side, price, qty);
    this.childrenSent++;
  }

  /** Lots slice `k` makes due and not yet filled or open. */
  private childQty(plan: ExecutionPlan, k: number, s: MarketSnapshot, open: number): number {
    const left = plan.qty - this.filledQty - open;
    if (plan.schedule === 'pov') {
      const observed = this.lastVolume < 0 ? 0 : s.volume - this.lastVolume;
      this.lastVolume = s.volume;
      if (k === plan.slices - 1 && plan.completeAtDeadline) return left;
      return povChildQty(plan.participationRate, observed, left, plan.minChildQty);
    }
    const due = plan.schedule === 'twap' ? twapDue(plan.qty, plan.slices, k) : almgrenChrissDue(plan.qty, plan.slices, plan.kappaTau, k);
    return Math.min(left, due - this.filledQty - open);
  }

  /** `crossTicks` through the touch, capped at the limit; NO_PRICE when the touch is missing or beyond the limit. */
  private childPrice(plan: ExecutionPlan, s: MarketSnapshot): number {
    if (plan.side === 'sell') {
      if (s.bidPrice === NO_PRICE || s.bidPrice < plan.limitPrice) return NO_PRICE;
      return Math.max(plan.limitPrice, s.bidPrice - plan.crossTicks);
    }
    if (s.askPrice === NO_PRICE || s.askPrice > plan.limitPrice) return NO_PRICE;
    return Math.min(plan.limitPrice, s.askPrice + plan.crossTicks);
  }

  private close(): void {
    this.closeAfterQuote = false;
    this.state = this.filledQty >= (this.plan as ExecutionPlan).qty ? 'done' : 'expired';
  }

  private stopClock(): void {
    if (this.wake !== null) this.port.cancelWake(this.wake);
    this.wake = null;
    this.quotedSlice = -1;
    this.closeAfterQuote = false;
  }
}
