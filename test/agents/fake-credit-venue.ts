import { BaseAgent } from '../../src/engine/agent.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import { Kernel } from '../../src/engine/kernel.js';
import type { Message } from '../../src/engine/message.js';
import type { Micros } from '../../src/engine/time.js';
import type {
  CallLoan,
  CreditRejectReason,
  CreditReport,
  LiquidateLoan,
  LoanState,
  ReleaseCollateral,
  RepayLoan,
  RequestLoan,
  SetCreditTerms,
} from '../../src/credit/credit-messages.js';
import type { CashTransferred, TransferCash } from '../../src/market/cash-transfers.js';
import { NO_PRICE, NOTHING_CROSSES, type MarketSnapshot, type PriceAlert, type QueryMarket, type WatchPrice } from '../../src/market/market-data.js';
import type { OrderRejectReason, OrderReport, PlaceOrder } from '../../src/market/order-messages.js';
import type { Received } from './fake-exchange.js';

/** An account at the fake venue: cash (minor units) and lots of instrument 0. */
export interface FakeAccount {
  cash: number;
  position: number;
}

/** A credit line at the fake venue (instrument 0 collateral only). */
export interface FakeLoan {
  readonly loanId: number;
  readonly lender: AgentId;
  readonly borrower: AgentId;
  debt: number;
  pledged: number;
  called: boolean;
  callAmount: number;
}

export interface FakeCreditVenueOptions {
  /** Mid price, ticks. Default 1000. */
  mid?: number;
  /** Half the spread, ticks. Default 1. */
  halfSpread?: number;
  /** Minor units per tick per lot. Default 1. */
  minorPerTickLot?: number;
  /** Initial haircut until a lender posts terms. Default 1 (no credit). */
  haircut?: number;
  /** Maintenance haircut until a lender posts terms. Default = haircut. */
  maintenanceHaircut?: number;
  /** Liquidation bonus. Default 0.05. */
  bonus?: number;
}

/**
 * A stand-in for both the exchange and the credit venue in agent tests, one
 * agent answering both kinds of command by simple, exact rules:
 *
 * - market data: `QueryMarket` → a snapshot at `mid ± halfSpread`; subscribers get `pushQuotes()`;
 *   `WatchPrice` watches fire when `mid` is set at or through them;
 * - `TransferCash` moves cash in, or out while the account has it;
 * - orders: marketable orders fill in full at the touch (a market buy is cut
 *   to what the cash pays), GTC orders are not supported; buys need cash,
 *   sells need free (unpledged) lots;
 * - credit: one line per (lender, borrower); a draw is granted while
 *   `debt ≤ ⌊pledged · mid · m · (1 − h)⌋`; a release while the rest still
 *   covers the debt at `h` and the loan is not called; a repay while the
 *   borrower has the cash; a full repayment closes the loan and returns its
 *   collateral; `CallLoan` and `marginCall()` send `MarginCalled`;
 *   `LiquidateLoan` succeeds once per `announce()`, later calls see `LOAN_HEALTHY`.
 */
export class FakeCreditVenue extends BaseAgent {
  readonly received: Received[] = [];
  readonly accounts = new Map<AgentId, FakeAccount>();
  readonly loans = new Map<number, FakeLoan>();
  readonly mdSubscribers: AgentId[] = [];
  readonly liquidationSubscribers: AgentId[] = [];
  readonly terms: SetCreditTerms[] = [];
  private midPrice: number;
  /** Price watches (`WatchPrice`), fired when `mid` is set at or through them (as if a trade printed there). */
  readonly watches = new Map<AgentId, WatchPrice>();
  halfSpread: number;
  readonly m: number;
  haircut: number;
  maintenanceHaircut: number;
  bonus: number;
  /** When false, market orders are rejected (`NO_LIQUIDITY`) and IOC orders cancelled unfilled. */
  liquidity = true;
  /** When true, `TransferCash` deposits are refused (as a venue refusing an account's subscription). */
  refuseDeposits = false;
  /** Lots of each seizure paid to the protocol (as Aave's protocol fee) instead of the liquidator. */
  protocolLots = 0;
  /** Loans open to liquidation (set by `announce`, cleared by the first liquidation). */
  private readonly liquidatable = new Map<number, number>();
  private nextLoanId = 1;
  private nextOrderId = 1;

  constructor(name = 'venue', options: FakeCreditVenueOptions = {}) {
    super(name);
    this.midPrice = options.mid ?? 1000;
    this.halfSpread = options.halfSpread ?? 1;
    this.m = options.minorPerTickLot ?? 1;
    this.haircut = options.haircut ?? 1;
    this.maintenanceHaircut = options.maintenanceHaircut ?? this.haircut;
    this.bonus = options.bonus ?? 0.05;
  }

  get mid(): number {
    return this.midPrice;
  }

  /** Moves the price; watches it reaches fire (once each) as a print there would fire them at a venue. */
  set mid(price: number) {
    this.midPrice = price;
    for (const [agent, w] of [...this.watches]) {
      if ((w.below !== NO_PRICE && price <= w.below) || (w.above !== NO_PRICE && price >= w.above)) {
        this.watches.delete(agent);
        const alert: PriceAlert = { type: 'PriceAlert', instrument: w.instrument, watchId: w.watchId, price };
        this.send(agent, alert);
      }
    }
  }

  get bid(): number {
    return this.mid - this.halfSpread;
  }

  get ask(): number {
    return this.mid + this.halfSpread;
  }

  account(agent: AgentId): FakeAccount {
    let a = this.accounts.get(agent);
    if (a === undefined) {
      a = { cash: 0, position: 0 };
      this.accounts.set(agent, a);
    }
    return a;
  }

  deposit(agent: AgentId, cash: number, position = 0): void {
    const a = this.account(agent);
    a.cash += cash;
    a.position += position;
  }

  /** The open loan of a borrower (any lender), if any. */
  loanOf(borrower: AgentId): FakeLoan | undefined {
    for (const l of this.loans.values()) if (l.borrower === borrower) return l;
    return undefined;
  }

  pledgedBy(agent: AgentId): number {
    let s = 0;
    for (const l of this.loans.values()) if (l.borrower === agent) s += l.pledged;
    return s;
  }

  debtOf(agent: AgentId): number {
    return this.loanOf(agent)?.debt ?? 0;
  }

  equityOf(agent: AgentId): number {
    const a = this.account(agent);
    return a.cash + a.position * this.mid * this.m - this.debtOf(agent);
  }

  /** Position value / equity at the mid. */
  leverageOf(agent: AgentId): number {
    const a = this.account(agent);
    return (a.position * this.mid * this.m) / this.equityOf(agent);
  }

  /** Opens (or replaces) a loan directly, e.g. for a borrower that is not a real agent. */
  openLoan(lender: AgentId, borrower: AgentId, debt: number, pledged: number): FakeLoan {
    const loan: FakeLoan = { loanId: this.nextLoanId++, lender, borrower, debt, pledged, called: false, callAmount: 0 };
    this.loans.set(loan.loanId, loan);
    this.account(borrower);
    return loan;
  }

  state(loan: FakeLoan, collateralInstrument = 0): LoanState {
    const value = loan.pledged * this.mid * this.m * (1 - this.maintenanceHaircut);
    return {
      loanId: loan.loanId,
      lender: loan.lender,
      borrower: loan.borrower,
      debt: loan.debt,
      collateral: loan.pledged > 0 ? [{ instrument: collateralInstrument, qty: loan.pledged }] : [],
      healthFactor: loan.debt > 0 ? value / loan.debt : Number.POSITIVE_INFINITY,
      called: loan.called,
    };
  }

  /** Tells liquidation subscribers that `loan` is liquidatable, with this `maxRepay`. */
  announce(loan: FakeLoan, maxRepay: number, state: LoanState = this.state(loan)): void {
    this.liquidatable.set(loan.loanId, maxRepay);
    for (const s of this.liquidationSubscribers) this.credit(s, { type: 'LoanLiquidatable', loan: state, maxRepay, bonus: this.bonus });
  }

  /** Calls `amount` of a loan and tells its borrower. */
  marginCall(loan: FakeLoan, amount: number, deadline = this.kernel.now + 60_000_000): void {
    loan.called = true;
    loan.callAmount = amount;
    this.credit(loan.borrower, { type: 'MarginCalled', loan: this.state(loan), amount, deadline });
  }

  /** While true, snapshots are those of a call auction's collection (empty book, `auction` set). */
  inCall = false;

  pushQuotes(): void {
    for (const s of this.mdSubscribers) this.send(s, this.snapshot(true));
  }

  /** Every command of a type (optionally from one agent), in order. */
  of<T extends Message>(type: string, from?: AgentId): T[] {
    return this.received.filter((r) => r.message.type === type && (from === undefined || r.from === from)).map((r) => r.message as T);
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    this.received.push({ time: now, from, message });
    switch (message.type) {
      case 'QueryMarket':
        this.send(from, this.snapshot(false, (message as QueryMarket).instrument));
        return;
      case 'SubscribeMarketData':
        this.mdSubscribers.push(from);
        return;
      case 'TransferCash': {
        const t = message as TransferCash;
        const a = this.account(from);
        const booked = Number.isSafeInteger(t.amount) && t.amount !== 0 && a.cash + t.amount >= 0 && !(t.amount > 0 && this.refuseDeposits);
        if (booked) a.cash += t.amount;
        const report: CashTransferred = { type: 'CashTransferred', transferId: t.transferId, amount: booked ? t.amount : 0, booked };
        this.send(from, report);
        return;
      }
      case 'WatchPrice': {
        const w = message as WatchPrice;
        if (w.below === NO_PRICE && w.above === NO_PRICE) this.watches.delete(from);
        else this.watches.set(from, w);
        return;
      }
      case 'PlaceOrder':
        this.place(message as PlaceOrder, from);
        return;
      case 'SetCreditTerms': {
        const t = message as SetCreditTerms;
        this.terms.push(t);
        this.haircut = t.haircuts[0] as number;
        this.maintenanceHaircut = t.maintenanceHaircuts[0] as number;
        return;
      }
      case 'RequestLoan':
        this.requestLoan(message as RequestLoan, from);
        return;
      case 'RepayLoan':
        this.repay(message as RepayLoan, from);
        return;
      case 'ReleaseCollateral':
        this.release(message as ReleaseCollateral, from);
        return;
      case 'CallLoan': {
        const c = message as CallLoan;
        const loan = this.loans.get(c.loanId);
        if (loan === undefined) return this.creditReject(from, 'CallLoan', c.loanId, 'UNKNOWN_LOAN');
        this.marginCall(loan, c.amount);
        return;
      }
      case 'SubscribeLiquidations':
        this.liquidationSubscribers.push(from);
        return;
      case 'LiquidateLoan':
        this.liquidate(message as LiquidateLoan, from);
        return;
      case 'QueryLoans':
        this.credit(from, { type: 'LoansReported', loans: [...this.loans.values()].map((l) => this.state(l)) });
        return;
      default:
        return;
    }
  }

  private snapshot(update: boolean, instrument = 0): MarketSnapshot {
    // In a call auction the book shows nothing and the last price is the previous trade.
    if (this.inCall) return { type: 'MarketSnapshot', instrument, bidPrice: NO_PRICE, bidQty: 0, askPrice: NO_PRICE, askQty: 0, lastPrice: this.mid, volume: 0, bids: [], asks: [], update, auction: NOTHING_CROSSES };
    return { type: 'MarketSnapshot', instrument, bidPrice: this.bid, bidQty: 1_000_000, askPrice: this.ask, askQty: 1_000_000, lastPrice: this.mid, volume: 0, bids: [], asks: [], update };
  }

  private place(o: PlaceOrder, from: AgentId): void {
    const a = this.account(from);
    const reject = (reason: OrderRejectReason) => this.report(from, { type: 'OrderRejected', instrument: o.instrument, orderId: 0, clientOrderId: o.clientOrderId, reason });
    if (!this.liquidity && o.orderType === 'market') return reject('NO_LIQUIDITY');
    const buy = o.side === 'buy';
    const touch = buy ? this.ask : this.bid;
    const marketable = this.liquidity && (o.orderType === 'market' || (buy ? o.price >= touch : o.price <= touch));
    let qty = o.qty;
    if (buy) {
      if (o.orderType === 'market') qty = Math.min(qty, Math.floor(a.cash / (touch * this.m)));
      if (qty < 1 || a.cash < qty * touch * this.m) return reject('INSUFFICIENT_CASH');
    } else if (qty > a.position - this.pledgedBy(from)) {
      return reject('INSUFFICIENT_POSITION');
    }
    const orderId = this.nextOrderId++;
    this.report(from, { type: 'OrderAccepted', instrument: o.instrument, orderId, clientOrderId: o.clientOrderId, side: o.side, price: o.price, qty });
    if (!marketable) {
      this.report(from, { type: 'OrderCancelled', instrument: o.instrument, orderId, clientOrderId: o.clientOrderId, qty, reason: 'unfilled-ioc' });
      return;
    }
    a.cash += (buy ? -1 : 1) * qty * touch * this.m;
    a.position += buy ? qty : -qty;
    this.report(from, { type: 'OrderFilled', instrument: o.instrument, orderId, clientOrderId: o.clientOrderId, side: o.side, price: touch, qty, remaining: 0, fee: 0, liquidity: 'taker' });
  }

  private requestLoan(r: RequestLoan, from: AgentId): void {
    const a = this.account(from);
    let loan: FakeLoan | undefined;
    for (const l of this.loans.values()) if (l.borrower === from && l.lender === r.lender) loan = l;
    const extra = r.collateral.reduce((s, l) => s + l.qty, 0);
    if (!(r.amount >= 0) || !Number.isSafeInteger(r.amount)) return this.creditReject(from, 'RequestLoan', loan?.loanId ?? 0, 'INVALID_AMOUNT');
    if (loan?.called) return this.creditReject(from, 'RequestLoan', loan.loanId, 'LOAN_CALLED');
    if (extra > a.position - this.pledgedBy(from)) return this.creditReject(from, 'RequestLoan', loan?.loanId ?? 0, 'INSUFFICIENT_POSITION');
    const pledged = (loan?.pledged ?? 0) + extra;
    const debt = (loan?.debt ?? 0) + r.amount;
    if (this.haircut >= 1 || debt > Math.floor(pledged * this.mid * this.m * (1 - this.haircut))) {
      return this.creditReject(from, 'RequestLoan', loan?.loanId ?? 0, 'INSUFFICIENT_COLLATERAL');
    }
    if (loan === undefined) loan = this.openLoan(r.lender, from, 0, 0);
    loan.pledged = pledged;
    loan.debt = debt;
    a.cash += r.amount;
    this.credit(from, { type: 'LoanGranted', loan: this.state(loan), drawn: r.amount });
  }

  private repay(r: RepayLoan, from: AgentId): void {
    const loan = this.loans.get(r.loanId);
    if (loan === undefined || loan.borrower !== from) return this.creditReject(from, 'RepayLoan', r.loanId, 'UNKNOWN_LOAN');
    const a = this.account(from);
    if (!(r.amount > 0)) return this.creditReject(from, 'RepayLoan', r.loanId, 'INVALID_AMOUNT');
    if (r.amount > loan.debt) return this.creditReject(from, 'RepayLoan', r.loanId, 'REPAY_EXCEEDS_DEBT');
    if (r.amount > a.cash) return this.creditReject(from, 'RepayLoan', r.loanId, 'INSUFFICIENT_CASH');
    a.cash -= r.amount;
    loan.debt -= r.amount;
    loan.callAmount -= r.amount;
    if (loan.callAmount <= 0) loan.called = false;
    const closed = loan.debt === 0;
    if (closed) {
      loan.pledged = 0;
      loan.called = false;
      this.loans.delete(loan.loanId);
    }
    this.credit(from, { type: 'LoanRepaid', loan: this.state(loan), amount: r.amount, closed });
  }

  private release(r: ReleaseCollateral, from: AgentId): void {
    const loan = this.loans.get(r.loanId);
    if (loan === undefined || loan.borrower !== from) return this.creditReject(from, 'ReleaseCollateral', r.loanId, 'UNKNOWN_LOAN');
    if (loan.called) return this.creditReject(from, 'ReleaseCollateral', r.loanId, 'LOAN_CALLED');
    const k = r.collateral.reduce((s, l) => s + l.qty, 0);
    if (k > loan.pledged) return this.creditReject(from, 'ReleaseCollateral', r.loanId, 'INSUFFICIENT_POSITION');
    if (loan.debt > Math.floor((loan.pledged - k) * this.mid * this.m * (1 - this.haircut))) return this.creditReject(from, 'ReleaseCollateral', r.loanId, 'INSUFFICIENT_COLLATERAL');
    loan.pledged -= k;
    this.credit(from, { type: 'CollateralChanged', loan: this.state(loan) });
  }

  private liquidate(l: LiquidateLoan, from: AgentId): void {
    const loan = this.loans.get(l.loanId);
    if (loan === undefined) return this.creditReject(from, 'LiquidateLoan', l.loanId, 'LOAN_CLOSED');
    const maxRepay = this.liquidatable.get(loan.loanId);
    if (maxRepay === undefined) return this.creditReject(from, 'LiquidateLoan', l.loanId, 'LOAN_HEALTHY');
    const liq = this.account(from);
    const repay = Math.min(l.repayAmount, maxRepay, loan.debt);
    if (liq.cash < repay) return this.creditReject(from, 'LiquidateLoan', l.loanId, 'INSUFFICIENT_CASH');
    const seized = Math.min(loan.pledged, Math.floor((repay * (1 + this.bonus)) / (this.mid * this.m)));
    this.liquidatable.delete(loan.loanId);
    const protocolQty = Math.min(this.protocolLots, seized);
    liq.cash -= repay;
    liq.position += seized - protocolQty;
    this.account(loan.borrower).position -= seized;
    loan.pledged -= seized;
    loan.debt -= repay;
    const report: CreditReport = { type: 'LoanLiquidated', loan: this.state(loan, l.instrument), liquidator: from, instrument: l.instrument, seizedQty: seized, protocolQty, debtRepaid: repay, badDebt: 0 };
    this.credit(from, report);
    if (loan.borrower !== from) this.credit(loan.borrower, report);
  }

  private creditReject(to: AgentId, command: string, loanId: number, reason: CreditRejectReason): void {
    this.credit(to, { type: 'CreditRejected', command, loanId, reason });
  }

  /** Sends a credit report (typed, so its fields are checked). */
  credit(to: AgentId, r: CreditReport): void {
    if (to < this.kernel.agentCount) this.send(to, r); // loans of made-up borrowers have nobody to tell
  }

  private report(to: AgentId, r: OrderReport): void {
    this.send(to, r);
  }
}

/**
 * A kernel (100 µs latency) with a fake venue at mid 1 000, haircut 0.2 and
 * maintenance haircut 0.15, and the quoted-terms view a borrower reads: the
 * world most borrower tests start from.
 */
export function fakeCreditWorld(seed: number | string) {
  const kernel = new Kernel({ seed, latency: { delay: () => 100 } });
  const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000, haircut: 0.2, maintenanceHaircut: 0.15 }));
  const terms = { initialHaircut: () => venue.haircut, maintenanceHaircut: () => venue.maintenanceHaircut };
  return { kernel, venue, terms };
}
