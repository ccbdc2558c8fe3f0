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
import type { LiquidationPolicy, LiquidationVenue } from './liquidation-policy.js';
import type { Loan } from './loan.js';
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
  readonly loan: Loan;
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

/** The broker policy. */
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

  attach(venue: LiquidationVenue): void {
    this.exchange.bindAccount(venue.venueId, this.saleAccount);
  }

  /** Margin-calls the borrower for the deficiency, unless a health call is already running. */
  onUnhealthy(venue: LiquidationVenue, loan: Loan, _again: boolean): void {
    if (loan.status !== 'open' || loan.healthCallDeadline >= 0 || loan.overdue) return;
    const deficiency = Math.max(1, loan.debt - venue.liquidationValue(loan));
    venue.issueMarginCall(loan, deficiency, venue.now + this.gracePeriodUs);
  }

  onCallOverdue(venue: LiquidationVenue, loan: Loan): void {
    loan.overdue = true;
    this.startSale(venue, loan);
  }

  onHealthDeadline(venue: LiquidationVenue, loan: Loan): void {
    // Refresh while the call still stands, so a still-unhealthy loan does not get a second call.
    if (venue.refresh(loan)) this.startSale(venue, loan);
    else venue.clearHealthCall(loan);
  }

  liquidate(): CreditRejectReason | null {
    return 'VENUE_LIQUIDATES';
  }

  onOrderReport(venue: LiquidationVenue, report: OrderReport): void {
    if (report.type === 'OrderAccepted' || report.type === 'OrderModified') return;
    const order = this.orders.get(report.clientOrderId);
    if (order === undefined) return;
    const sale = this.sales.get(order.loanId) as Sale;
    const loan = sale.loan;
    const i = order.instrument;
    let done = false;
    if (report.type === 'OrderFilled') {
      const spec = venue.instruments[i] as Instrument;
      const proceeds = notional(spec, report.price, report.qty) - report.fee;
      const debtBefore = loan.debt;
      const toDebt = Math.min(Math.max(0, proceeds), debtBefore);
      if (toDebt > 0) venue.repay(loan, venue.venueId, this.saleAccount, toDebt);
      const surplus = proceeds - toDebt;
      if (surplus > 0) venue.transferCash(this.saleAccount, loan.borrowerAccount, surplus);
      sale.remaining[i] = (sale.remaining[i] as number) - report.qty;
      done = report.remaining === 0;
      if (done) sale.inFlight[i] = 0;
      const finishing = this.isFinished(sale);
      let badDebt = 0;
      if (finishing && loan.debt > 0) badDebt = venue.writeOffBadDebt(loan);
      venue.reportLiquidation(loan, venue.venueId, i, report.qty, 0, report.price, toDebt, badDebt, {
        lvBefore: 0,
        debtBefore,
        lvAfter: 0,
        debtAfter: loan.debt,
        exhausted: finishing && badDebt > 0,
        decidedIn: order.placedIn,
      });
      if (done) this.orders.delete(report.clientOrderId);
      if (finishing) return this.finish(venue, sale);
      if (done) this.next(venue, sale, i);
      return;
    }
    // Cancelled (no more bids) or rejected: the lots are free again in the sale account.
    this.orders.delete(report.clientOrderId);
    sale.inFlight[i] = 0;
    if (this.isFinished(sale)) return this.finish(venue, sale);
    venue.wakeFor(loan, venue.now + this.retryIntervalUs);
  }

  onWakeup(venue: LiquidationVenue, loan: Loan): void {
    const sale = this.sales.get(loan.id);
    if (sale === undefined) return;
    for (let i = 0; i < sale.remaining.length; i++) if ((sale.inFlight[i] as number) === 0) this.next(venue, sale, i);
  }

  stateDigest(): number[] {
    const out: number[] = [this.nextClientOrderId, this.sales.size, this.orders.size];
    for (const [id, sale] of [...this.sales].sort((a, b) => a[0] - b[0])) out.push(id, ...sale.remaining, ...sale.inFlight);
    return out;
  }

  validate(venue: LiquidationVenue, errors: string[]): void {
    for (let i = 0; i < venue.instruments.length; i++) {
      let selling = 0;
      for (const sale of this.sales.values()) selling += sale.remaining[i] as number;
      // Lots sold but not yet reported are gone from the account already.
      if (venue.ledger.position(this.saleAccount, i) > selling) errors.push(`broker: sale account holds ${venue.ledger.position(this.saleAccount, i)} lots of ${i}, sales expect at most ${selling}`);
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

  private startSale(venue: LiquidationVenue, loan: Loan): void {
    if (loan.status !== 'open') return;
    venue.beginVenueLiquidation(loan);
    const n = loan.qty.length;
    const sale: Sale = { loan, remaining: new Array<number>(n).fill(0), inFlight: new Array<number>(n).fill(0) };
    for (let i = 0; i < n; i++) {
      const q = loan.qty[i] as number;
      if (q === 0) continue;
      venue.seize(loan, i, q, this.saleAccount);
      sale.remaining[i] = q;
    }
    this.sales.set(loan.id, sale);
    if (this.isFinished(sale)) return this.finish(venue, sale);
    for (let i = 0; i < n; i++) this.next(venue, sale, i);
  }

  /** Offers the next chunk of instrument `i`, unless the debt is already covered. */
  private next(venue: LiquidationVenue, sale: Sale, i: number): void {
    const left = sale.remaining[i] as number;
    if (left === 0 || (sale.inFlight[i] as number) !== 0 || sale.loan.debt === 0) {
      if (this.isFinished(sale)) this.finish(venue, sale);
      return;
    }
    const spec = venue.instruments[i] as Instrument;
    const qty = Math.min(left, spec.maxOrderQty, this.maxLotsPerOrder);
    const clientOrderId = this.nextClientOrderId++;
    this.orders.set(clientOrderId, { loanId: sale.loan.id, instrument: i, placedIn: venue.deliveryId });
    sale.inFlight[i] = clientOrderId;
    venue.placeSale(i, qty, clientOrderId);
  }

  /** Done when nothing is in flight and either the debt is repaid or everything is sold. */
  private isFinished(sale: Sale): boolean {
    let left = 0;
    for (let i = 0; i < sale.remaining.length; i++) {
      if ((sale.inFlight[i] as number) !== 0) return false;
      left += sale.remaining[i] as number;
    }
    return left === 0 || sale.loan.debt === 0;
  }

  private finish(venue: LiquidationVenue, sale: Sale): void {
    if (!this.sales.has(sale.loan.id)) return;
    this.sales.delete(sale.loan.id);
    const loan = sale.loan;
    for (let i = 0; i < sale.remaining.length; i++) {
      const q = sale.remaining[i] as number;
      if (q > 0) venue.transferLots(this.saleAccount, loan.borrowerAccount, i, q);
      sale.remaining[i] = 0;
    }
    venue.finishVenueLiquidation(loan);
  }
}
