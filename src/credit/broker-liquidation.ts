/**
 * Liquidation by the venue itself, as a prime broker or a retail margin
 * account does it: margin call, grace period, then a forced sale.
 *
 * 1. When a loan falls below maintenance, the venue margin-calls the
 *    borrower (`MarginCalled`, amount = the deficiency `debt − LV`, deadline
 *    = now + grace period). The borrower may cure it by repaying or pledging.
 * 2. At the deadline (a wake-up) the venue re-checks: healthy again → the
 *    call is withdrawn; still unhealthy (or a lender's call is overdue) → the
 *    venue seizes the whole basket into its sale account (interest stops
 *    accruing) and sells it through the exchange as market sell orders (at
 *    most `maxLotsPerOrder` per order, one order in flight per instrument).
 * 3. Each fill's proceeds (notional − fee) repay the debt; what exceeds the
 *    debt goes to the borrower. Once the debt is repaid, selling stops and the
 *    unsold lots go back to the borrower. If the collateral is sold out with
 *    debt left, the rest is bad debt, a loss to the lender.
 *
 * An order that finds no bids (cancelled unfilled, or rejected) is retried
 * after `retryIntervalUs`. No liquidators are involved: `LiquidateLoan` is
 * refused with `VENUE_LIQUIDATES`.
 *
 * The venue must trade for the sale account: `attach` binds it on the
 * exchange (`Exchange.bindAccount(venue, saleAccount)`).
 *
 * @packageDocumentation
 */

import { MICROS_PER_SECOND, type Micros } from '../engine/time.js';
import type { CreditRejectReason } from './credit-messages.js';
import type { Exchange } from '../market/exchange.js';
import { notional, type Instrument } from '../market/instrument.js';
import { NO_COMMANDS, type LiquidationCommand, type LiquidationPolicy, type LiquidationView } from './liquidation-policy.js';
import type { LoanView } from './loan.js';
import type { OrderReport } from '../market/order-messages.js';

/** Options of {@link BrokerLiquidation}. */
export interface BrokerLiquidationOptions {
  /** The exchange the venue sells on. */
  readonly exchange: Exchange;
  /** Ledger account the venue seizes into and sells from (cash floor 0). */
  readonly saleAccount: number;
  /** Time the borrower has to cure a health call, µs (default 60 s). */
  readonly gracePeriodUs?: Micros;
  /** Delay before re-offering lots that found no bids, µs (default 1 s). */
  readonly retryIntervalUs?: Micros;
  /** Largest sell order, lots (default: the instrument's `maxOrderQty`). */
  readonly maxLotsPerOrder?: number;
}

/** A venue liquidation in progress. */
interface Sale {
  readonly loan: LoanView;
  /** Lots still to sell per instrument (in the sale account). */
  readonly remaining: number[];
  /** Client order id in flight per instrument (0: none). */
  readonly inFlight: number[];
}

/** One order of a sale. */
interface SaleOrder {
  readonly loanId: number;
  readonly instrument: number;
  /** The delivery that placed it (the anchor of its fills in cascade reconstruction). */
  readonly placedIn: number;
}

/**
 * The broker policy. Each hook reads the loan's debt once and follows it
 * through its own commands (a repayment lowers it by its amount, a write-off
 * to zero), so a decision never needs the venue's answer to an earlier command.
 */
export class BrokerLiquidation implements LiquidationPolicy {
  readonly name = 'broker';
  readonly saleAccount: number;
  readonly gracePeriodUs: Micros;
  readonly retryIntervalUs: Micros;
  private readonly exchange: Exchange;
  private readonly maxLotsPerOrder: number;
  private readonly sales = new Map<number, Sale>();
  private readonly orders = new Map<number, SaleOrder>();
  private nextClientOrderId = 1;

  constructor(options: BrokerLiquidationOptions) {
    this.exchange = options.exchange;
    this.saleAccount = options.saleAccount;
    this.gracePeriodUs = options.gracePeriodUs ?? 60 * MICROS_PER_SECOND;
    this.retryIntervalUs = options.retryIntervalUs ?? MICROS_PER_SECOND;
    this.maxLotsPerOrder = options.maxLotsPerOrder ?? Number.POSITIVE_INFINITY;
    if (!Number.isSafeInteger(this.gracePeriodUs) || this.gracePeriodUs < 0) throw new RangeError('gracePeriodUs must be a non-negative integer');
    if (!Number.isSafeInteger(this.retryIntervalUs) || this.retryIntervalUs <= 0) throw new RangeError('retryIntervalUs must be a positive integer');
    if (!(this.maxLotsPerOrder >= 1)) throw new RangeError('maxLotsPerOrder must be ≥ 1');
  }

  attach(view: LiquidationView): void {
    this.exchange.bindAccount(view.venueId, this.saleAccount);
  }

  /** Margin-calls the borrower for the deficiency, unless a health call is already running. */
  onUnhealthy(view: LiquidationView, loan: LoanView, _again: boolean): readonly LiquidationCommand[] {
    if (loan.status !== 'open' || loan.healthCallDeadline >= 0 || loan.overdue) return NO_COMMANDS;
    const deficiency = Math.max(1, loan.debt - view.liquidationValue(loan));
    return [{ type: 'IssueMarginCall', loanId: loan.id, amount: deficiency, deadline: view.now + this.gracePeriodUs }];
  }

  onCallOverdue(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[] {
    const out: LiquidationCommand[] = [];
    this.startSale(view, loan, out);
    return out;
  }

  /** The venue has refreshed the loan while the call still stands, so a still-unhealthy loan got no second call. */
  onHealthDeadline(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[] {
    if (!loan.unhealthy) return [{ type: 'ClearHealthCall', loanId: loan.id }];
    const out: LiquidationCommand[] = [];
    this.startSale(view, loan, out);
    return out;
  }

  liquidate(): CreditRejectReason {
    return 'VENUE_LIQUIDATES';
  }

  onOrderReport(view: LiquidationView, report: OrderReport): readonly LiquidationCommand[] {
    if (report.type === 'OrderAccepted' || report.type === 'OrderModified') return NO_COMMANDS;
    const order = this.orders.get(report.clientOrderId);
    if (order === undefined) return NO_COMMANDS;
    const sale = this.sales.get(order.loanId) as Sale;
    const loan = sale.loan;
    const loanId = loan.id;
    const i = order.instrument;
    const out: LiquidationCommand[] = [];
    if (report.type === 'OrderFilled') {
      const spec = view.instruments[i] as Instrument;
      const proceeds = notional(spec, report.price, report.qty) - report.fee;
      const debtBefore = loan.debt;
      const toDebt = Math.min(Math.max(0, proceeds), debtBefore);
      if (toDebt > 0) out.push({ type: 'Repay', loanId, payer: view.venueId, payerAccount: this.saleAccount, amount: toDebt });
      let debt = debtBefore - toDebt;
      const surplus = proceeds - toDebt;
      if (surplus > 0) out.push({ type: 'TransferCash', from: this.saleAccount, to: loan.borrowerAccount, amount: surplus });
      sale.remaining[i] = sale.remaining[i] - report.qty;
      const done = report.remaining === 0;
      if (done) sale.inFlight[i] = 0;
      const finishing = this.isFinished(sale, debt);
      let badDebt = 0;
      if (finishing && debt > 0) {
        badDebt = debt;
        debt = 0;
        out.push({ type: 'WriteOffBadDebt', loanId });
      }
      const step = { lvBefore: 0, debtBefore, lvAfter: 0, debtAfter: debt, exhausted: finishing && badDebt > 0, decidedIn: order.placedIn };
      out.push({ type: 'ReportLiquidation', loanId, liquidator: view.venueId, instrument: i, qty: report.qty, protocolQty: 0, price: report.price, debtRepaid: toDebt, badDebt, step });
      if (done) this.orders.delete(report.clientOrderId);
      if (finishing) this.finish(sale, out);
      else if (done) this.next(view, sale, i, debt, out);
      return out;
    }
    // Cancelled (no more bids) or rejected: the lots are free again in the sale account.
    this.orders.delete(report.clientOrderId);
    sale.inFlight[i] = 0;
    if (this.isFinished(sale, loan.debt)) this.finish(sale, out);
    else out.push({ type: 'WakePolicy', loanId, time: view.now + this.retryIntervalUs });
    return out;
  }

  onWakeup(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[] {
    const sale = this.sales.get(loan.id);
    if (sale === undefined) return NO_COMMANDS;
    const out: LiquidationCommand[] = [];
    for (let i = 0; i < sale.remaining.length; i++) if (sale.inFlight[i] === 0) this.next(view, sale, i, loan.debt, out);
    return out;
  }

  stateDigest(): number[] {
    const out: number[] = [this.nextClientOrderId, this.sales.size, this.orders.size];
    for (const [id, sale] of [...this.sales].sort((a, b) => a[0] - b[0])) out.push(id, ...sale.remaining, ...sale.inFlight);
    return out;
  }

  validate(view: LiquidationView, errors: string[]): void {
    for (let i = 0; i < view.instruments.length; i++) {
      let selling = 0;
      for (const sale of this.sales.values()) selling += sale.remaining[i];
      // Lots sold but not yet reported are gone from the account already.
      if (view.ledger.position(this.saleAccount, i) > selling) errors.push(`broker: sale account holds ${view.ledger.position(this.saleAccount, i)} lots of ${i}, sales expect at most ${selling}`);
    }
    for (const sale of this.sales.values()) {
      if (sale.loan.status !== 'liquidating') errors.push(`broker: sale of loan ${sale.loan.id} in status ${sale.loan.status}`);
    }
  }

  /** Lots still to sell for a loan (for tests and measurement). */
  pendingSale(loanId: number): readonly number[] | undefined {
    return this.sales.get(loanId)?.remaining;
  }

  // ---------------------------------------------------------------- private

  /** Seizes the whole basket into the sale account (interest stops at the debt accrued to now) and offers it. */
  private startSale(view: LiquidationView, loan: LoanView, out: LiquidationCommand[]): void {
    if (loan.status !== 'open') return;
    const debt = loan.debtAt(view.now);
    out.push({ type: 'BeginVenueLiquidation', loanId: loan.id });
    const n = loan.qty.length;
    const sale: Sale = { loan, remaining: new Array<number>(n).fill(0), inFlight: new Array<number>(n).fill(0) };
    for (let i = 0; i < n; i++) {
      const q = loan.qty[i];
      if (q === 0) continue;
      out.push({ type: 'Seize', loanId: loan.id, instrument: i, qty: q, toAccount: this.saleAccount });
      sale.remaining[i] = q;
    }
    this.sales.set(loan.id, sale);
    if (this.isFinished(sale, debt)) return this.finish(sale, out);
    for (let i = 0; i < n; i++) this.next(view, sale, i, debt, out);
  }

  /** Offers the next chunk of instrument `i`, unless the debt (`debt`, as of this decision) is already covered. */
  private next(view: LiquidationView, sale: Sale, i: number, debt: number, out: LiquidationCommand[]): void {
    const left = sale.remaining[i];
    if (left === 0 || sale.inFlight[i] !== 0 || debt === 0) {
      if (this.isFinished(sale, debt)) this.finish(sale, out);
      return;
    }
    const spec = view.instruments[i] as Instrument;
    const qty = Math.min(left, spec.maxOrderQty, this.maxLotsPerOrder);
    const clientOrderId = this.nextClientOrderId++;
    this.orders.set(clientOrderId, { loanId: sale.loan.id, instrument: i, placedIn: view.deliveryId });
    sale.inFlight[i] = clientOrderId;
    out.push({ type: 'PlaceSale', instrument: i, qty, clientOrderId });
  }

  /** Done when nothing is in flight and either the debt is repaid or everything is sold. */
  private isFinished(sale: Sale, debt: number): boolean {
    let left = 0;
    for (let i = 0; i < sale.remaining.length; i++) {
      if (sale.inFlight[i] !== 0) return false;
      left += sale.remaining[i];
    }
    return left === 0 || debt === 0;
  }

  /** Returns the unsold lots to the borrower and ends the venue liquidation (once per sale). */
  private finish(sale: Sale, out: LiquidationCommand[]): void {
    if (!this.sales.has(sale.loan.id)) return;
    this.sales.delete(sale.loan.id);
    const loan = sale.loan;
    for (let i = 0; i < sale.remaining.length; i++) {
      const q = sale.remaining[i];
      if (q > 0) out.push({ type: 'TransferLots', from: this.saleAccount, to: loan.borrowerAccount, instrument: i, qty: q });
      sale.remaining[i] = 0;
    }
    out.push({ type: 'FinishVenueLiquidation', loanId: loan.id });
  }
}
