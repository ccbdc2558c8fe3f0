import { NO_PRICE } from '../market/market-data.js';
import { buyHoldPerLot } from './_internals/buy-hold.js';
import type { TrackedLoan } from './tracked-loan.js';

/** What a leveraged trader sees when it plans its next command (see {@link planStep}). */
export interface LeverageStepView {
  /** Last mid (or last trade) seen, ticks; NaN before the first. */
  readonly mid: number;
  /** Last ask seen, ticks (NO_PRICE when none). */
  readonly ask: number;
  /** Desired position of the current cycle before the leverage clamp, lots (NaN: hold). */
  readonly desired: number;
  /** Lots held. */
  readonly position: number;
  /** Cash as believed, minor units. */
  readonly cash: number;
  /** Lots held and neither pledged nor offered for sale. */
  readonly freeLots: number;
  readonly loan: TrackedLoan;
  readonly utilisation: number;
  readonly feeAllowance: number;
  readonly pledgeBuffer: number;
  readonly minorPerTickLot: number;
  /** Borrow what the position allows before buying with cash (in a call, where trades wait for the next ladder). */
  readonly borrowAhead: boolean;
  /** The initial haircut acted on, in [0, 1]. */
  haircut(): number;
  /** Largest position the leverage limit allows at `price`, lots. */
  maxPositionAt(price: number): number;
}

/** The next command: its kind and size (lots, or minor units for `repay` and `borrow`). */
export interface LeverageStep {
  /**
   * - `none`: nothing to do now;
   * - `stop`: nothing possible: end the decision cycle;
   * - `call-over`: the margin call is taken as over (past its deadline): drop it and plan again;
   * - `sell`, `buy`, `release`: `qty` lots; `repay`: `amount`;
   * - `borrow`: `amount`, pledging `qty` more lots.
   */
  kind: 'none' | 'stop' | 'call-over' | 'sell' | 'buy' | 'repay' | 'release' | 'borrow';
  qty: number;
  amount: number;
}

/**
 * Plans the next command toward the desired position (the steps are
 * described on {@link LeveragedTrader}) into `out`, a record the caller
 * reuses. `meetingCall`: a margin call is outstanding and the trader chose
 * to meet it.
 */
export function planStep(t: LeverageStepView, meetingCall: boolean, now: number, out: LeverageStep): void {
  if (meetingCall && planMarginCall(t, now, out)) return;
  const p = t.mid;
  if (!(p > 0)) return set(out, 'none', 0, 0);
  const position = t.position;
  const desired = t.desired === t.desired ? Math.max(0, Math.floor(t.desired)) : position;
  const target = Math.min(desired, t.maxPositionAt(p));
  if (target < position) planDown(t, p, position - target, out);
  else if (target > position) planUp(t, p, target - position, out);
  else set(out, 'none', 0, 0);
}

/** One step toward meeting the call; false when there is none to take (then step as usual). */
function planMarginCall(t: LeverageStepView, now: number, out: LeverageStep): boolean {
  const loan = t.loan;
  const cash = Math.floor(t.cash);
  if (loan.debt > 0 && cash >= 1) {
    set(out, 'repay', 0, Math.min(cash, loan.debt));
    return true;
  }
  const p = t.mid;
  const lotValue = p > 0 ? p * t.minorPerTickLot : Number.NaN;
  // Lots whose sale covers what is left of the call (all of them when the price is unknown).
  const needed = lotValue === lotValue ? Math.ceil(loan.callAmount / lotValue) + 1 : Number.POSITIVE_INFINITY;
  const free = t.freeLots;
  if (free >= 1) {
    set(out, 'sell', Math.min(free, needed), 0);
    return true;
  }
  // Past the deadline the venue has either withdrawn the call (the loan is
  // healthy again; it does not say so) or is liquidating: act normally again.
  if (now > loan.callDeadline) set(out, 'call-over', 0, 0);
  // A called loan releases nothing: with every lot pledged and no cash, wait for the deadline.
  else set(out, 'stop', 0, 0);
  return true;
}

function planDown(t: LeverageStepView, p: number, excess: number, out: LeverageStep): void {
  const loan = t.loan;
  const free = t.freeLots;
  if (free >= 1) return set(out, 'sell', Math.min(free, excess), 0);
  const cash = Math.floor(t.cash);
  if (loan.debt > 0 && cash >= 1) return set(out, 'repay', 0, Math.min(cash, loan.debt));
  if (loan.pledged >= 1) {
    const k = Math.min(loan.debt > 0 ? releasable(t, p) : loan.pledged, excess);
    if (k >= 1) return set(out, 'release', k, 0);
  }
  set(out, 'stop', 0, 0); // locked in: cannot sell without the lender
}

function planUp(t: LeverageStepView, p: number, want: number, out: LeverageStep): void {
  const loan = t.loan;
  const m = t.minorPerTickLot;
  const ask = t.ask !== NO_PRICE ? t.ask : p;
  const perLot = buyHoldPerLot(ask, m, t.feeAllowance);
  const cash = t.cash;
  const affordable = Math.floor(cash / perLot);
  const h = t.haircut();
  const capacity = Math.floor(t.utilisation * t.position * p * m * (1 - h)) - loan.debt - 1;
  // In a call the buys wait for the next ladder: what the lots held can raise is borrowed first, so the ladder can spend it.
  const borrowFirst = t.borrowAhead && affordable < want && h < 1 && capacity >= perLot;
  if (affordable >= 1 && !borrowFirst) return set(out, 'buy', Math.min(want, affordable), 0);
  const need = Math.ceil(want * perLot - cash);
  const amount = Math.min(capacity, need);
  if (h >= 1 || cash + amount < perLot) return set(out, 'stop', 0, 0); // at the limit
  // Pledge only what the new debt needs at the initial haircut, plus the buffer; the rest stays free to sell.
  const needed = Math.ceil(((loan.debt + amount) * (1 + t.pledgeBuffer)) / (p * m * (1 - h)));
  set(out, 'borrow', Math.min(t.freeLots, Math.max(0, needed - loan.pledged)), amount);
}

/** Pledged lots the loan can spare while staying within the initial haircut. */
function releasable(t: LeverageStepView, p: number): number {
  const loan = t.loan;
  if (loan.debt <= 0) return loan.pledged;
  const h = t.haircut();
  if (!(p > 0) || h >= 1) return 0;
  const required = Math.ceil(loan.debt / (p * t.minorPerTickLot * (1 - h)));
  return Math.max(0, loan.pledged - required);
}

function set(out: LeverageStep, kind: LeverageStep['kind'], qty: number, amount: number): void {
  out.kind = kind;
  out.qty = qty;
  out.amount = amount;
}
