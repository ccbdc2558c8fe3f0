import fc from 'fast-check';
import { BaseAgent } from '../../src/engine/agent.js';
import { Kernel } from '../../src/engine/kernel.js';
import { ConstantLatency, type LatencyModel } from '../../src/engine/latency-model.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import type { Message } from '../../src/engine/message.js';
import type { Micros } from '../../src/engine/time.js';
import { Exchange, type ExchangeOptions } from '../../src/market/exchange.js';
import { BpsFeeModel, ZeroFees, type FeeModel } from '../../src/market/fee-model.js';
import { makeInstrument, type Instrument, type InstrumentSpec } from '../../src/market/instrument.js';
import { Ledger } from '../../src/market/ledger.js';
import type { MarketDataCommand, MarketSnapshot } from '../../src/market/market-data.js';
import type { OrderType, StpMode } from '../../src/market/order-book-api.js';
import type { CancelOrder, ModifyOrder, OrderCommand, OrderReport, PlaceOrder } from '../../src/market/order-messages.js';
import type { Side } from '../../src/market/side.js';

/** A command a client sends: a fixed message, or one built at send time from what the client has seen so far. */
export type Command = OrderCommand | MarketDataCommand | Message | ((client: ScriptedClient) => Message);

/** One message a client received, with its delivery time. */
export interface Received {
  readonly time: Micros;
  readonly message: Message;
  /** Id of the delivery (its cause is what the exchange reports as having caused it). */
  readonly deliveryId: number;
}

/** One message a client sent. */
export interface Sent {
  readonly time: Micros;
  readonly message: Message;
  /** Id of the wake-up that sent it (the cause of the send). */
  readonly wakeupId: number;
  /** Id of the scheduled delivery to the exchange (the cause of whatever the exchange does with it). */
  readonly deliveryId: number;
}

/**
 * A client agent that sends the commands scripted for it at given times and
 * records every message it receives (order reports, market data) with its
 * delivery time. Behaviour is nothing but the script.
 */
export class ScriptedClient extends BaseAgent {
  readonly received: Received[] = [];
  readonly sent: Sent[] = [];
  private readonly commands = new Map<number, Command>();
  private nextTag = 1;

  constructor(
    name: string,
    private readonly venue: () => AgentId,
  ) {
    super(name);
  }

  /** Schedules `command` to be sent at `time` (not before the kernel's now). */
  at(time: Micros, command: Command): this {
    const tag = this.nextTag++;
    this.commands.set(tag, command);
    this.kernel.wakeAt(this.id, time, tag);
    return this;
  }

  override onWakeup(now: Micros, tag: number): void {
    const command = this.commands.get(tag);
    if (command === undefined) return;
    this.commands.delete(tag);
    const message = typeof command === 'function' ? command(this) : command;
    const scheduled = this.kernel.send(this.id, this.venue(), message);
    this.sent.push({ time: now, message, wakeupId: this.kernel.currentId, deliveryId: scheduled.id });
  }

  override onMessage(now: Micros, message: Message): void {
    this.received.push({ time: now, message, deliveryId: this.kernel.currentId });
  }

  /** Order reports received, in order. */
  get reports(): OrderReport[] {
    return this.received.filter((r) => r.message.type !== 'MarketSnapshot').map((r) => r.message as OrderReport);
  }

  /** Market snapshots received, in order. */
  get snapshots(): Received[] {
    return this.received.filter((r) => r.message.type === 'MarketSnapshot');
  }

  /** Reports of one type, narrowed. */
  reportsOf<T extends OrderReport['type']>(type: T): Extract<OrderReport, { type: T }>[] {
    return this.reports.filter((r): r is Extract<OrderReport, { type: T }> => r.type === type);
  }

  /** The last report received (throws when there is none). */
  lastReport(): OrderReport {
    const reports = this.reports;
    const last = reports[reports.length - 1];
    if (last === undefined) throw new Error(`${this.name} received no report`);
    return last;
  }

  /** Venue ids of the orders accepted so far, in order of acceptance. */
  acceptedIds(): number[] {
    return this.reportsOf('OrderAccepted').map((r) => r.orderId);
  }

  /** Venue id of the accepted order with `clientOrderId` (throws when none). */
  orderId(clientOrderId: number): number {
    const r = this.reportsOf('OrderAccepted').find((a) => a.clientOrderId === clientOrderId);
    if (r === undefined) throw new Error(`${this.name}: no accepted order with client id ${clientOrderId}`);
    return r.orderId;
  }
}

/** One client of a harness. */
export interface ClientSpec {
  readonly name: string;
  /** Cash deposited, minor units (default 0). */
  readonly cash?: number;
  /** Lots issued to the client per instrument (default none). */
  readonly lots?: readonly number[];
  /**
   * The ledger account it trades for: `'own'` (default) opens one, `'none'`
   * leaves the agent unbound, a name shares that earlier client's account.
   */
  readonly account?: 'own' | 'none' | string;
}

/** Construction options of a harness. */
export interface HarnessOptions {
  readonly clients: readonly ClientSpec[];
  /** Default: one instrument `XYZ` with tick 0.01, lot 10, cents (10 minor units per tick·lot), maxOrderQty 1000. */
  readonly instruments?: readonly InstrumentSpec[];
  readonly fees?: FeeModel;
  readonly latency?: LatencyModel;
  readonly seed?: string | number;
  readonly stp?: StpMode;
  readonly bookFactory?: ExchangeOptions['bookFactory'];
  readonly sessions?: ExchangeOptions['sessions'];
  readonly auctions?: ExchangeOptions['auctions'];
}

/** A kernel, a ledger, an exchange and scripted clients, wired together. */
export interface Harness {
  readonly kernel: Kernel;
  readonly ledger: Ledger;
  readonly exchange: Exchange;
  readonly instruments: readonly Instrument[];
  readonly feeAccount: number;
  readonly clients: readonly ScriptedClient[];
  /** Ledger account of each client (-1 when unbound), parallel to `clients`. */
  readonly accounts: readonly number[];
  /** Total cash deposited, minor units. */
  readonly deposits: number;
  /** Total lots issued per instrument. */
  readonly issued: readonly number[];
  client(name: string): ScriptedClient;
  account(name: string): number;
  /** Runs the kernel until `until` (default: until nothing is pending). */
  run(until?: Micros): void;
}

/** The default instrument of the harness. */
export const DEFAULT_INSTRUMENT: InstrumentSpec = { symbol: 'XYZ', tickSize: 0.01, lotSize: 10, minorUnit: 0.01, maxOrderQty: 1000 };

/** Builds a harness: the exchange is agent 0, clients follow in order; the fee account is ledger account 0. */
export function buildHarness(options: HarnessOptions): Harness {
  const specs = options.instruments ?? [DEFAULT_INSTRUMENT];
  const instruments = specs.map((s, i) => makeInstrument(i, s));
  const kernel = new Kernel({ seed: options.seed ?? 1, latency: options.latency ?? new ConstantLatency(0) });
  const ledger = new Ledger({ instruments: instruments.length });
  const feeAccount = ledger.openAccount('fees');
  const exchangeOptions: ExchangeOptions = {
    instruments,
    ledger,
    fees: options.fees ?? ZeroFees,
    feeAccount,
    ...(options.stp !== undefined ? { stp: options.stp } : {}),
    ...(options.bookFactory !== undefined ? { bookFactory: options.bookFactory } : {}),
    ...(options.sessions !== undefined ? { sessions: options.sessions } : {}),
    ...(options.auctions !== undefined ? { auctions: options.auctions } : {}),
  };
  const exchange = kernel.register(new Exchange('exchange', exchangeOptions));
  const clients: ScriptedClient[] = [];
  const accounts: number[] = [];
  const byName = new Map<string, number>();
  let deposits = 0;
  const issued = instruments.map(() => 0);
  for (const spec of options.clients) {
    const client = kernel.register(new ScriptedClient(spec.name, () => exchange.id));
    let account = -1;
    const mode = spec.account ?? 'own';
    if (mode === 'own') {
      account = ledger.openAccount(spec.name);
    } else if (mode !== 'none') {
      const shared = byName.get(mode);
      if (shared === undefined) throw new Error(`unknown client ${mode}`);
      account = accounts[shared] as number;
    }
    if (account >= 0) {
      exchange.bindAccount(client.id, account);
      if ((spec.cash ?? 0) > 0) {
        expectOk(ledger.deposit(account, spec.cash as number));
        deposits += spec.cash as number;
      }
      (spec.lots ?? []).forEach((qty, i) => {
        if (qty > 0) {
          expectOk(ledger.issue(account, i, qty));
          issued[i] = (issued[i] as number) + qty;
        }
      });
    }
    byName.set(spec.name, clients.length);
    clients.push(client);
    accounts.push(account);
  }
  const find = (name: string): number => {
    const i = byName.get(name);
    if (i === undefined) throw new Error(`unknown client ${name}`);
    return i;
  };
  return {
    kernel,
    ledger,
    exchange,
    instruments,
    feeAccount,
    clients,
    accounts,
    deposits,
    issued,
    client: (name) => clients[find(name)] as ScriptedClient,
    account: (name) => accounts[find(name)] as number,
    run: (until) => {
      kernel.run(until === undefined ? {} : { until });
    },
  };
}

function expectOk(result: string): void {
  if (result !== 'OK') throw new Error(`harness set-up refused: ${result}`);
}

// ------------------------------------------------------------ command builders

/** A `PlaceOrder` on instrument 0 unless told otherwise. */
export function place(side: Side, orderType: OrderType, price: number, qty: number, clientOrderId = 0, instrument = 0): PlaceOrder {
  return { type: 'PlaceOrder', instrument, clientOrderId, side, orderType, price, qty };
}

/** A GTC limit order. */
export function limit(side: Side, price: number, qty: number, clientOrderId = 0, instrument = 0): PlaceOrder {
  return place(side, 'limit', price, qty, clientOrderId, instrument);
}

export function cancel(orderId: number, instrument = 0): CancelOrder {
  return { type: 'CancelOrder', instrument, orderId };
}

export function modify(orderId: number, price: number, qty: number, instrument = 0): ModifyOrder {
  return { type: 'ModifyOrder', instrument, orderId, price, qty };
}

/** Cancels the client's own accepted order with `clientOrderId`, resolved at send time. */
export function cancelOwn(clientOrderId: number, instrument = 0): Command {
  return (c) => cancel(c.orderId(clientOrderId), instrument);
}

/** Modifies the client's own accepted order with `clientOrderId`, resolved at send time. */
export function modifyOwn(clientOrderId: number, price: number, qty: number, instrument = 0): Command {
  return (c) => modify(c.orderId(clientOrderId), price, qty, instrument);
}

/** Narrows a received message to a market snapshot. */
export function asSnapshot(r: Received): MarketSnapshot {
  return r.message as MarketSnapshot;
}

// ------------------------------------------------------------ random scenarios

/** One scripted action of a random scenario; ids are resolved at send time from what the client has seen. */
export type ScenarioOp =
  | { readonly kind: 'place'; readonly side: Side; readonly orderType: OrderType; readonly priceOffset: number; readonly qty: number }
  /** Cancels one of the client's accepted orders (`pick` modulo how many), or id 0 when it has none. */
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'modify'; readonly pick: number; readonly priceOffset: number; readonly qty: number }
  /** Cancels an order accepted by the next client (NOT_OWNER, or UNKNOWN_ORDER when there is none). */
  | { readonly kind: 'cancel-other'; readonly pick: number }
  /** One of a few malformed orders (see {@link BAD_ORDERS}). */
  | { readonly kind: 'bad'; readonly variant: number };

export interface ScenarioStep {
  readonly client: number;
  /** Microseconds after the previous step. */
  readonly gap: number;
  readonly op: ScenarioOp;
}

export interface ScenarioClient {
  readonly cash: number;
  readonly lots: number;
}

/** A random market session on one instrument. */
export interface Scenario {
  readonly clients: readonly ScenarioClient[];
  readonly makerBps: number;
  readonly takerBps: number;
  readonly lotSize: number;
  readonly stp: StpMode;
  readonly latency: number;
  readonly steps: readonly ScenarioStep[];
  /** Sessions with call auctions (absent: one continuous session). */
  readonly calls?: { readonly sessions: NonNullable<ExchangeOptions['sessions']>; readonly auctions: NonNullable<ExchangeOptions['auctions']> };
}

/** Prices are drawn around this many ticks. */
export const SCENARIO_MID = 1000;
/** `maxOrderQty` of the scenario instrument. */
export const SCENARIO_MAX_QTY = 40;

/** Malformed orders a scenario may send; each must be rejected and change nothing. */
export const BAD_ORDERS: readonly PlaceOrder[] = [
  place('buy', 'limit', SCENARIO_MID + 0.5, 1),
  place('sell', 'limit', Number.NaN, 1),
  place('buy', 'limit', 0, 1),
  place('buy', 'limit', SCENARIO_MID, 0),
  place('sell', 'limit', SCENARIO_MID, -2),
  place('buy', 'limit-ioc', SCENARIO_MID, 1.5),
  place('buy', 'limit', SCENARIO_MID, SCENARIO_MAX_QTY + 1),
  place('sell', 'market', 0, SCENARIO_MAX_QTY + 1),
  place('buy', 'limit', SCENARIO_MID, 1, 0, 3),
];

export interface ScenarioConstraints {
  readonly minClients?: number;
  readonly maxClients?: number;
  readonly minSteps?: number;
  readonly maxSteps?: number;
  /** STP modes to draw from (default: the three that never let an account trade with itself). */
  readonly stpModes?: readonly StpMode[];
  /** Draw sessions with call auctions (opening, closing, both, or a batch market; day or GTC orders). */
  readonly auctions?: boolean;
}

/** Call-auction set-ups for random scenarios: sessions of 400 µs over the scenario's at most 1,600 µs of commands. */
const CALL_SETUPS: fc.Arbitrary<NonNullable<Scenario['calls']>> = fc.record({
  sessions: fc.record({ sessionUs: fc.constant(400), count: fc.constant(5), expireAtClose: fc.boolean() }),
  auctions: fc.oneof(
    fc.record({ openingUs: fc.integer({ min: 20, max: 150 }), allocation: fc.constantFrom<'time' | 'pro-rata'>('time', 'pro-rata'), collarBps: fc.constantFrom(50, 1000) }),
    fc.record({ closingUs: fc.integer({ min: 20, max: 150 }), allocation: fc.constantFrom<'time' | 'pro-rata'>('time', 'pro-rata') }),
    fc.record({ openingUs: fc.integer({ min: 20, max: 150 }), closingUs: fc.integer({ min: 20, max: 150 }) }),
    fc.record({ batchUs: fc.integer({ min: 2, max: 200 }), allocation: fc.constantFrom<'time' | 'pro-rata'>('time', 'pro-rata'), referencePrices: fc.constant([SCENARIO_MID]) }),
  ),
});

/** Random scenarios: 3–4 clients, random fees (maker ∈ [−1, 5] bp, taker ∈ [max(1, −maker), 10] bp), short command sequences. */
export function scenarioArbitrary(constraints: ScenarioConstraints = {}): fc.Arbitrary<Scenario> {
  const minClients = constraints.minClients ?? 3;
  const maxClients = constraints.maxClients ?? 4;
  const minSteps = constraints.minSteps ?? 8;
  const maxSteps = constraints.maxSteps ?? 40;
  const stpModes = constraints.stpModes ?? ['cancel-maker', 'cancel-taker', 'cancel-both'];
  // Mostly funded clients, so that orders trade; now and then a poor one, so that funds checks bite.
  const client = fc.record({
    cash: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 50_000 }) }, { weight: 5, arbitrary: fc.integer({ min: 200_000, max: 3_000_000 }) }),
    lots: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 4, arbitrary: fc.integer({ min: 20, max: 150 }) }),
  });
  const offset = fc.integer({ min: -8, max: 8 });
  const qty = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: SCENARIO_MAX_QTY }) });
  const op: fc.Arbitrary<ScenarioOp> = fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('place' as const), side: fc.constantFrom<Side>('buy', 'sell'), orderType: fc.constantFrom<OrderType>('limit', 'limit', 'limit-ioc', 'limit-fok', 'post-only', 'market'), priceOffset: offset, qty }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(20) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(20), priceOffset: offset, qty }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel-other' as const), pick: fc.nat(20) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), variant: fc.nat(BAD_ORDERS.length - 1) }) },
  );
  // Maker rebates (negative) often, since they take their own path through the holds.
  const makerBps = fc.oneof(fc.constantFrom(-1, -0.5, 0), fc.integer({ min: -10, max: 50 }).map((x) => x / 10));
  return fc
    .tuple(fc.array(client, { minLength: minClients, maxLength: maxClients }), makerBps)
    .chain(([clients, maker]) =>
      fc.record({
        clients: fc.constant(clients),
        makerBps: fc.constant(maker),
        takerBps: fc.integer({ min: Math.round(10 * Math.max(1, -maker)), max: 100 }).map((x) => x / 10),
        lotSize: fc.constantFrom(1, 10, 100),
        stp: fc.constantFrom(...stpModes),
        latency: fc.constantFrom(0, 3, 50),
        steps: fc.array(
          fc.record({ client: fc.nat(clients.length - 1), gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })), op }),
          { minLength: Math.min(minSteps, maxSteps), maxLength: maxSteps, size: 'max' },
        ),
        ...(constraints.auctions === true ? { calls: CALL_SETUPS } : {}),
      }),
    );
}

/** Builds the harness of a scenario (clients `c0`, `c1`, …) and schedules its steps. */
export function buildScenario(s: Scenario, bookFactory?: ExchangeOptions['bookFactory']): Harness {
  const h = buildHarness({
    clients: s.clients.map((c, i) => ({ name: `c${i}`, cash: c.cash, lots: [c.lots] })),
    instruments: [{ symbol: 'XYZ', tickSize: 0.01, lotSize: s.lotSize, minorUnit: 0.01, maxOrderQty: SCENARIO_MAX_QTY }],
    fees: new BpsFeeModel(s.makerBps, s.takerBps),
    latency: new ConstantLatency(s.latency),
    stp: s.stp,
    ...(bookFactory !== undefined ? { bookFactory } : {}),
    ...(s.calls !== undefined ? { sessions: s.calls.sessions, auctions: s.calls.auctions } : {}),
  });
  let time = 0;
  s.steps.forEach((step, i) => {
    time += step.gap;
    const client = h.clients[step.client] as ScriptedClient;
    client.at(time, commandOf(h, step, i));
  });
  return h;
}

function commandOf(h: Harness, step: ScenarioStep, index: number): Command {
  const op = step.op;
  const pickFrom = (ids: readonly number[], pick: number): number => (ids.length === 0 ? 0 : (ids[pick % ids.length] as number));
  switch (op.kind) {
    case 'place':
      return place(op.side, op.orderType, SCENARIO_MID + op.priceOffset, op.qty, index + 1);
    case 'cancel':
      return (c) => cancel(pickFrom(c.acceptedIds(), op.pick));
    case 'modify':
      return (c) => modify(pickFrom(c.acceptedIds(), op.pick), SCENARIO_MID + op.priceOffset, op.qty);
    case 'cancel-other':
      return () => cancel(pickFrom((h.clients[(step.client + 1) % h.clients.length] as ScriptedClient).acceptedIds(), op.pick));
    case 'bad': {
      const bad: PlaceOrder = { ...(BAD_ORDERS[op.variant] as PlaceOrder), clientOrderId: index + 1 };
      return bad;
    }
  }
}

/** Everything the clients saw and sent, with times: equal traces mean equal runs. */
export function traceOf(h: Harness): string {
  return JSON.stringify(
    h.clients.map((c) => ({
      name: c.name,
      received: c.received,
      sent: c.sent.map((s) => ({ time: s.time, message: s.message })),
    })),
  );
}
