import type { InterestClock } from '../../src/credit/loan.js';
import type { TermsClock } from '../../src/credit/terms-schedule.js';
import { BaseAgent } from '../../src/engine/agent.js';
import { Kernel } from '../../src/engine/kernel.js';
import { ConstantLatency, type LatencyModel } from '../../src/engine/latency-model.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import type { Message } from '../../src/engine/message.js';
import type { SimEvent } from '../../src/engine/sim-event.js';
import type { Micros } from '../../src/engine/time.js';
import { AaveLiquidation, type AaveLiquidationOptions } from '../../src/credit/aave-liquidation.js';
import { BrokerLiquidation, type BrokerLiquidationOptions } from '../../src/credit/broker-liquidation.js';
import type { CreditEvent } from '../../src/credit/credit-events.js';
import { CreditMarket } from '../../src/credit/credit-market.js';
import type { CollateralLeg, CreditCommand, CreditRejectReason, CreditReport, LoanState, TermsSchedule } from '../../src/credit/credit-messages.js';
import { Exchange } from '../../src/market/exchange.js';
import { ZeroFees, type FeeModel } from '../../src/market/fee-model.js';
import { makeInstrument, type Instrument, type InstrumentSpec } from '../../src/market/instrument.js';
import { Ledger } from '../../src/market/ledger.js';
import type { LiquidationPolicy } from '../../src/credit/liquidation-policy.js';
import type { OrderCommand, OrderReport } from '../../src/market/order-messages.js';

/** What an actor sends to: the credit venue or the exchange. */
export type Target = 'credit' | 'exchange';

/** What an actor sends. */
export type Outgoing = CreditCommand | OrderCommand;

/** One message an actor received. */
export interface Received {
  readonly time: Micros;
  readonly message: Message;
}

/**
 * A scripted agent: it sends what the test tells it to, when told, and
 * records everything it receives. It keeps track of its resting orders so a
 * market maker can be re-quoted.
 */
export class Actor extends BaseAgent {
  readonly received: Received[] = [];
  private readonly script = new Map<number, { to: () => AgentId; message: Outgoing | ((a: Actor) => Outgoing) }>();
  private nextTag = 1;
  /** Venue ids of this actor's orders that may still rest. */
  readonly resting = new Set<number>();
  /** Optional reaction to a message received: what to send, and to whom, at once (caused by that message). */
  react: ((message: Message) => { to: AgentId; message: Outgoing } | null) | null = null;

  /** Schedules `message` to `to` at `time`. */
  at(time: Micros, to: () => AgentId, message: Outgoing | ((a: Actor) => Outgoing)): void {
    const tag = this.nextTag++;
    this.script.set(tag, { to, message });
    this.kernel.wakeAt(this.id, time, tag);
  }

  override onWakeup(_now: Micros, tag: number): void {
    const step = this.script.get(tag);
    if (step === undefined) return;
    this.script.delete(tag);
    const message = typeof step.message === 'function' ? step.message(this) : step.message;
    this.kernel.send(this.id, step.to(), message);
  }

  override onMessage(now: Micros, message: Message): void {
    this.received.push({ time: now, message });
    const r = message as OrderReport;
    if (r.type === 'OrderAccepted') this.resting.add(r.orderId);
    else if (r.type === 'OrderCancelled' || (r.type === 'OrderFilled' && r.remaining === 0)) this.resting.delete(r.orderId);
    const reply = this.react?.(message) ?? null;
    if (reply !== null) this.kernel.send(this.id, reply.to, reply.message);
  }

  /** Credit reports of one type, narrowed. */
  credit<T extends CreditReport['type']>(type: T): Extract<CreditReport, { type: T }>[] {
    return this.received.map((r) => r.message).filter((m): m is Extract<CreditReport, { type: T }> => m.type === type);
  }

  /** The last message received (throws when none). */
  last(): Message {
    const r = this.received[this.received.length - 1];
    if (r === undefined) throw new Error(`${this.name} received nothing`);
    return r.message;
  }

  /** Reject reasons received so far. */
  rejections(): CreditRejectReason[] {
    return this.credit('CreditRejected').map((r) => r.reason);
  }
}

/** One actor: cash and lots deposited into its own account. */
export interface ActorSpec {
  readonly name: string;
  readonly cash?: number;
  readonly lots?: readonly number[];
}

/** Construction options of a credit harness. */
export interface CreditHarnessOptions {
  readonly actors: readonly ActorSpec[];
  /** Actor names registered as lenders, with optional external liabilities. */
  readonly lenders?: readonly { name: string; externalLiabilities?: number }[];
  /** Default `'aave'`. */
  readonly policy?: 'aave' | 'broker';
  readonly aave?: AaveLiquidationOptions;
  readonly broker?: Partial<Omit<BrokerLiquidationOptions, 'exchange' | 'saleAccount'>>;
  /** Default: one instrument `XYZ`, tick 0.01, lot 1, cents (1 minor unit per tick·lot), maxOrderQty 1e6. */
  readonly instruments?: readonly InstrumentSpec[];
  readonly fees?: FeeModel;
  readonly latency?: LatencyModel;
  readonly seed?: string | number;
  /** Default 0 (accrue only on touch). */
  readonly accrualIntervalUs?: Micros;
  readonly callGracePeriodUs?: Micros;
  /** The time interest runs on (default the simulation clock). */
  readonly interestClock?: InterestClock;
  /** The trading calendar loans roll on (default one session, no nights). */
  readonly calendar?: TermsClock;
  /** Record every observed event (default true). */
  readonly observe?: boolean;
}

/** A kernel, ledger, exchange, credit venue and actors, wired together. Agent 0 is the exchange, 1 the credit venue. */
export interface CreditHarness {
  readonly kernel: Kernel;
  readonly ledger: Ledger;
  readonly exchange: Exchange;
  readonly credit: CreditMarket;
  readonly policy: LiquidationPolicy;
  readonly instruments: readonly Instrument[];
  readonly actors: readonly Actor[];
  readonly events: SimEvent[];
  readonly feeAccount: number;
  readonly protocolAccount: number;
  readonly saleAccount: number;
  /** Σ cash deposited. */
  readonly deposits: number;
  actor(name: string): Actor;
  id(name: string): AgentId;
  account(name: string): number;
  /** `actor` sends `message` to `target` now; then everything due up to now runs. */
  send(actor: string, target: Target, message: Outgoing | ((a: Actor) => Outgoing)): void;
  /** Runs the kernel up to `time` inclusive. */
  runUntil(time: Micros): void;
  /** Advances the clock by `dt` µs, running what is due. */
  advance(dt: Micros): void;
  /**
   * The market maker (actor `mm`, which must exist) cancels its resting
   * orders and quotes `bid`/`ask` (ticks) for `qty` lots on `instrument`.
   */
  quote(bid: number, ask: number, qty: number, instrument?: number): void;
  /** Credit events recorded, narrowed by type. */
  eventsOf<T extends CreditEvent['type']>(type: T): Extract<CreditEvent, { type: T }>[];
}

/** Default instrument: 1 minor unit per tick·lot, so notional = price · qty. */
export const UNIT_INSTRUMENT: InstrumentSpec = { symbol: 'XYZ', tickSize: 0.01, lotSize: 1, minorUnit: 0.01, maxOrderQty: 1_000_000 };

/** Builds a harness. */
export function buildCreditHarness(options: CreditHarnessOptions): CreditHarness {
  const specs = options.instruments ?? [UNIT_INSTRUMENT];
  const instruments = specs.map((s, i) => makeInstrument(i, s));
  const kernel = new Kernel({ seed: options.seed ?? 1, latency: options.latency ?? new ConstantLatency(0) });
  const ledger = new Ledger({ instruments: instruments.length });
  const feeAccount = ledger.openAccount('exchange/fees', { cashFloor: -1_000_000_000 });
  const protocolAccount = ledger.openAccount('credit/protocol');
  const saleAccount = ledger.openAccount('credit/sales');
  const exchange = kernel.register(new Exchange('exchange', { instruments, ledger, fees: options.fees ?? ZeroFees, feeAccount }));
  const policy: LiquidationPolicy =
    (options.policy ?? 'aave') === 'aave'
      ? new AaveLiquidation({ ...(options.aave ?? {}), ...(options.aave?.protocolFeeShare ? { protocolAccount } : {}) })
      : new BrokerLiquidation({ exchange, saleAccount, ...(options.broker ?? {}) });
  const credit = kernel.register(
    new CreditMarket('credit', {
      exchange,
      ledger,
      policy,
      accrualIntervalUs: options.accrualIntervalUs ?? 0,
      ...(options.callGracePeriodUs !== undefined ? { callGracePeriodUs: options.callGracePeriodUs } : {}),
      ...(options.interestClock !== undefined ? { interestClock: options.interestClock } : {}),
      ...(options.calendar !== undefined ? { calendar: options.calendar } : {}),
    }),
  );
  const actors: Actor[] = [];
  const byName = new Map<string, Actor>();
  const accounts = new Map<string, number>();
  let deposits = 0;
  for (const spec of options.actors) {
    const actor = kernel.register(new Actor(spec.name));
    const account = ledger.openAccount(spec.name);
    exchange.bindAccount(actor.id, account);
    if ((spec.cash ?? 0) > 0) {
      expectOk(ledger.deposit(account, spec.cash as number));
      deposits += spec.cash as number;
    }
    (spec.lots ?? []).forEach((q, i) => {
      if (q > 0) expectOk(ledger.issue(account, i, q));
    });
    actors.push(actor);
    byName.set(spec.name, actor);
    accounts.set(spec.name, account);
  }
  const find = (name: string): Actor => {
    const a = byName.get(name);
    if (a === undefined) throw new Error(`unknown actor ${name}`);
    return a;
  };
  for (const l of options.lenders ?? []) credit.registerLender(find(l.name).id, l.externalLiabilities !== undefined ? { externalLiabilities: l.externalLiabilities } : {});
  const events: SimEvent[] = [];
  if (options.observe ?? true) kernel.events$.subscribe((e) => events.push(e));
  kernel.start();

  const target = (t: Target) => (t === 'credit' ? () => credit.id : () => exchange.id);
  const h: CreditHarness = {
    kernel,
    ledger,
    exchange,
    credit,
    policy,
    instruments,
    actors,
    events,
    feeAccount,
    protocolAccount,
    saleAccount,
    deposits,
    actor: find,
    id: (name) => find(name).id,
    account: (name) => {
      const a = accounts.get(name);
      if (a === undefined) throw new Error(`unknown actor ${name}`);
      return a;
    },
    send(actor, t, message) {
      find(actor).at(kernel.now, target(t), message);
      kernel.run({ until: kernel.now });
    },
    runUntil(time) {
      kernel.run({ until: time });
    },
    advance(dt) {
      kernel.run({ until: kernel.now + dt });
    },
    quote(bid, ask, qty, instrument = 0) {
      const mm = find('mm');
      for (const orderId of [...mm.resting]) h.send('mm', 'exchange', { type: 'CancelOrder', instrument, orderId });
      if (bid > 0) h.send('mm', 'exchange', { type: 'PlaceOrder', instrument, clientOrderId: 0, side: 'buy', orderType: 'limit', price: bid, qty });
      if (ask > 0) h.send('mm', 'exchange', { type: 'PlaceOrder', instrument, clientOrderId: 0, side: 'sell', orderType: 'limit', price: ask, qty });
    },
    eventsOf<T extends CreditEvent['type']>(type: T) {
      return events.filter((e): e is Extract<CreditEvent, { type: T }> => e.type === type);
    },
  };
  return h;
}

function expectOk(result: string): void {
  if (result !== 'OK') throw new Error(`harness set-up refused: ${result}`);
}

// ---------------------------------------------------------------- builders

export function terms(h: number, hm: number, options: { rate?: number; maxPerBorrower?: number; maxTotal?: number; instruments?: number; schedule?: TermsSchedule } = {}) {
  const n = options.instruments ?? 1;
  return {
    type: 'SetCreditTerms' as const,
    haircuts: new Array<number>(n).fill(h),
    maintenanceHaircuts: new Array<number>(n).fill(hm),
    annualRate: options.rate ?? 0,
    maxPerBorrower: options.maxPerBorrower ?? 1e12,
    maxTotal: options.maxTotal ?? 1e13,
    ...(options.schedule !== undefined ? { schedule: options.schedule } : {}),
  };
}

export function requestLoan(lender: AgentId, amount: number, collateral: readonly CollateralLeg[] = []) {
  return { type: 'RequestLoan' as const, lender, amount, collateral };
}

export function repay(loanId: number, amount: number) {
  return { type: 'RepayLoan' as const, loanId, amount };
}

export function liquidate(loanId: number, repayAmount: number, instrument = 0) {
  return { type: 'LiquidateLoan' as const, loanId, instrument, repayAmount };
}

export function leg(qty: number, instrument = 0): CollateralLeg {
  return { instrument, qty };
}

/** The last loan state an actor was told about for `loanId` (LoanGranted/Repaid/…). */
export function lastState(actor: Actor, loanId: number): LoanState | undefined {
  let out: LoanState | undefined;
  for (const r of actor.received) {
    const m = r.message as { loan?: LoanState };
    if (m.loan !== undefined && m.loan.loanId === loanId) out = m.loan;
  }
  return out;
}
