import type { Agent } from '../../engine/kernel.js';
import { Kernel } from '../../engine/kernel.js';
import { ConstantLatency, JitteredLatency, type LatencyModel } from '../../engine/latency-model.js';
import type { AgentId } from '../../engine/agent-id.js';
import { RandomStream } from '../../engine/random-stream.js';
import { AaveLiquidation } from '../../credit/aave-liquidation.js';
import { BrokerLiquidation } from '../../credit/broker-liquidation.js';
import { CreditMarket } from '../../credit/credit-market.js';
import { Exchange } from '../../market/exchange.js';
import { BpsFeeModel } from '../../market/fee-model.js';
import { GeometricBrownianProcess } from '../../market/geometric-brownian.js';
import { makeInstrument, type Instrument } from '../../market/instrument.js';
import { Ledger } from '../../market/ledger.js';
import { OrnsteinUhlenbeckProcess } from '../../market/ornstein-uhlenbeck.js';
import { nightSeconds, type ValueProcess } from '../../market/value-process.js';
import { Calendar } from '../../market/calendar.js';
import { defaultCalendar } from '../config/defaults.js';
import { WEEKDAYS } from '../config/document-shape.js';
import type { AgentType, BuildContext, Scalar } from '../registry/agent-registry.js';
import { checkParams, drawParams } from '../registry/agent-params.js';
import { AGENT_TYPES, usesCredit } from '../registry/agent-types.js';
import type { CreditConfig, ExperimentConfig, InstrumentConfig, LatencyConfig } from '../config/experiment-config.js';
import { ConfigError } from '../config/config-error.js';
import { didYouMean } from '../config/did-you-mean.js';
import { checkInterventions, InterventionAgent } from './interventions.js';

/** One built agent group. */
export interface BuiltGroup {
  readonly name: string;
  readonly type: AgentType;
  readonly agents: readonly Agent[];
  readonly ids: readonly AgentId[];
  /** Ledger account of each agent. */
  readonly accounts: readonly number[];
}

/** Everything a run needs, wired and registered, not yet started. */
export interface Scenario {
  readonly config: ExperimentConfig;
  readonly kernel: Kernel;
  readonly ledger: Ledger;
  readonly instruments: readonly Instrument[];
  readonly fundamentals: readonly ValueProcess[];
  /** The run's trading calendar. */
  readonly calendar: Calendar;
  readonly exchange: Exchange;
  /** The credit venue, or null when no agent lends, borrows or liquidates. */
  readonly credit: CreditMarket | null;
  readonly feeAccount: number;
  readonly groups: readonly BuiltGroup[];
}

/**
 * Builds the market an experiment describes: kernel, ledger, instruments,
 * value processes, the exchange, and every agent with its funded account.
 * Registration order is fixed (venues first, then groups in file order), and
 * every random stream is keyed by name, so the build is deterministic.
 */
export function buildScenario(config: ExperimentConfig): Scenario {
  const kernel = new Kernel({ seed: config.seed, latency: latencyModel(config.latency, config.seed) });
  const instruments = config.instruments.map((spec, i) => instrumentOf(spec, i));
  const ledger = new Ledger({ instruments: instruments.length });
  const feeAccount = ledger.openAccount('venue/fees');
  const calendar = runCalendar(config);
  const fundamentals = config.instruments.map((spec) => fundamentalOf(spec, kernel, calendar, config));
  const exchange = kernel.register(
    new Exchange('exchange', {
      instruments,
      ledger,
      fees: new BpsFeeModel(config.fees.makerBps, config.fees.takerBps),
      feeAccount,
      stp: config.stp,
      sessions: { sessionUs: calendar.sessionUs, count: calendar.sessions, expireAtClose: (config.calendar ?? defaultCalendar()).timeInForce === 'day' },
      ...(config.auctions !== undefined && {
        auctions: { ...config.auctions, referencePrices: config.instruments.map((i) => i.initialPrice) },
      }),
    }),
  );
  const credit = needsCredit(config) ? kernel.register(creditVenue(config.credit, exchange, ledger, calendar)) : null;
  const symbols = new Map(instruments.map((i) => [i.symbol, i.id]));
  const groupIds = new Map<string, AgentId[]>();
  const groups: BuiltGroup[] = [];
  config.agents.forEach((group, g) => {
    const path = ['agents', g];
    const type = AGENT_TYPES.get(group.type);
    if (type === undefined) throw new ConfigError([...path, 'type'], `unknown agent type '${group.type}'${didYouMean(group.type, [...AGENT_TYPES.keys()])}`);
    checkParams(type, group.params, [...path, 'params']);
    for (const symbol of Object.keys(group.holdings)) {
      if (!symbols.has(symbol)) throw new ConfigError([...path, 'holdings', symbol], `unknown instrument${didYouMean(symbol, [...symbols.keys()])}`);
    }
    const agents: Agent[] = [];
    const ids: AgentId[] = [];
    const accounts: number[] = [];
    for (let i = 0; i < group.count; i++) {
      const name = group.count === 1 ? group.name : `${group.name}/${i}`;
      const params = drawParams(type, group.params, new RandomStream(config.seed, `params/${name}`), i, [...path, 'params']);
      const context: BuildContext = {
        exchange: exchange.id,
        credit: credit === null ? -1 : credit.id,
        instruments,
        fundamentals,
        sessionUs: calendar.sessions > 1 ? calendar.sessionUs : Number.POSITIVE_INFINITY,
        instrument(symbol) {
          const id = symbols.get(symbol);
          if (id === undefined) throw new ConfigError([...path, 'params', 'instrument'], `unknown instrument '${symbol}'${didYouMean(symbol, [...symbols.keys()])}`);
          return id;
        },
        group(groupName) {
          const found = groupIds.get(groupName);
          if (found === undefined) throw new ConfigError([...path, 'params'], `no agent group named '${groupName}' before this one${didYouMean(groupName, [...groupIds.keys()])}`);
          return found;
        },
        agent: (id) => kernel.agent(id),
        cash: group.cash,
        holdings: group.holdings,
        index: i,
      };
      const agent = kernel.register(buildAgent(type, name, params, context, [...path, 'params']));
      const id = kernel.idOf(name) as AgentId;
      const account = fund(ledger, name, group.cash, group.holdings, symbols, path);
      exchange.bindAccount(id, account);
      if (credit !== null) credit.bindAccount(id, account);
      if (credit !== null && type.lender === true) credit.registerLender(id, { externalLiabilities: params['externalLiabilities'] as number });
      agents.push(agent);
      ids.push(id);
      accounts.push(account);
    }
    groupIds.set(group.name, ids);
    groups.push({ name: group.name, type, agents, ids, accounts });
  });
  if (config.interventions.length > 0) {
    checkInterventions(config, groups.map((g) => g.type));
    kernel.register(new InterventionAgent({ config, exchange, ledger, fundamentals, groups }));
  }
  return { config, kernel, ledger, instruments, fundamentals, calendar, exchange, credit, feeAccount, groups };
}

/** The trading calendar of a run: its `calendar:` section (or the defaults) over its horizon. */
export function runCalendar(config: ExperimentConfig): Calendar {
  const c = config.calendar ?? defaultCalendar();
  return new Calendar({
    sessionUs: c.sessionUs,
    overnightUs: c.overnightUs,
    tradingDaysPerWeek: c.tradingDaysPerWeek,
    startDay: WEEKDAYS.indexOf(c.startWeekday),
    sessions: Calendar.sessionsIn(config.horizonUs, c.sessionUs),
  });
}

/**
 * Builds one agent. An agent refuses inconsistent options with a RangeError
 * (say minQty above maxQty); that is the user's configuration at fault, so it
 * becomes a ConfigError located at the group's parameters.
 */
function buildAgent(type: AgentType, name: string, params: Readonly<Record<string, Scalar>>, context: BuildContext, path: (string | number)[]): Agent {
  try {
    return type.build(name, params, context);
  } catch (e) {
    if (e instanceof RangeError) throw new ConfigError(path, `${name}: ${e.message}`);
    throw e;
  }
}

function needsCredit(config: ExperimentConfig): boolean {
  return config.agents.some((g) => {
    const type = AGENT_TYPES.get(g.type);
    return type !== undefined && usesCredit(type) && g.count > 0;
  });
}

/** The credit venue with its liquidation policy; its protocol and sale accounts are venue accounts of the ledger. */
function creditVenue(config: CreditConfig, exchange: Exchange, ledger: Ledger, calendar: Calendar): CreditMarket {
  // Interest runs on calendar time: a night or a weekend costs what it costs a repo borrower.
  // Loans roll on calendar time too, at the next open when a roll falls while the market is shut.
  const interestClock = calendar;
  if (config.policy === 'aave') {
    const protocolAccount = ledger.openAccount('credit/protocol');
    const policy = new AaveLiquidation({
      bonus: config.liquidationBonus,
      closeFactor: config.closeFactor,
      fullLiquidationBelow: config.criticalHealth,
      protocolFeeShare: config.protocolShare,
      protocolAccount,
    });
    return new CreditMarket('credit', { exchange, ledger, policy, accrualIntervalUs: config.accrualIntervalUs, callGracePeriodUs: config.gracePeriodUs, interestClock, calendar });
  }
  const saleAccount = ledger.openAccount('credit/sales');
  const policy = new BrokerLiquidation({ exchange, saleAccount, gracePeriodUs: config.gracePeriodUs });
  return new CreditMarket('credit', { exchange, ledger, policy, accrualIntervalUs: config.accrualIntervalUs, callGracePeriodUs: config.gracePeriodUs, interestClock, calendar });
}

/**
 * Opens an agent's account with its cash and lots. Validation keeps the
 * totals exact (`exact-limits.ts`); should the ledger still refuse, the
 * group's own key is at fault, so the refusal is located there.
 */
function fund(ledger: Ledger, name: string, cash: number, holdings: Readonly<Record<string, number>>, symbols: ReadonlyMap<string, number>, path: (string | number)[]): number {
  const account = ledger.openAccount(name);
  if (cash > 0) expectOk(ledger.deposit(account, cash), name, [...path, 'cash']);
  for (const [symbol, qty] of Object.entries(holdings)) {
    if (qty > 0) expectOk(ledger.issue(account, symbols.get(symbol) as number, qty), name, [...path, 'holdings', symbol]);
  }
  return account;
}

function expectOk(result: string, name: string, path: (string | number)[]): void {
  if (result === 'OK') return;
  const why = result === 'OVERFLOW' ? 'the total would pass 2^53, the largest exact integer' : `the ledger refused it (${result})`;
  throw new ConfigError(path, `cannot fund ${name}: ${why}`);
}

function instrumentOf(spec: InstrumentConfig, id: number): Instrument {
  try {
    return makeInstrument(id, spec);
  } catch (e) {
    throw new ConfigError(['instruments', id], (e as Error).message);
  }
}

/** An instrument's fundamental; over each night of a multi-session run it takes one step of the night's equivalent length. */
function fundamentalOf(spec: InstrumentConfig, kernel: Kernel, calendar: Calendar, config: ExperimentConfig): ValueProcess {
  const f = spec.fundamental;
  const stream = kernel.random(`fundamental/${spec.symbol}`);
  const jumps = f.jumps === null ? undefined : { rate: f.jumps.ratePerSecond, mean: f.jumps.mean, sd: f.jumps.sd };
  const share = (config.calendar ?? defaultCalendar()).overnightVarianceShare;
  const gaps = calendar.sessions > 1 ? { everyUs: calendar.sessionUs, count: calendar.sessions - 1, seconds: nightSeconds(calendar.sessionUs, share) } : undefined;
  if (f.process === 'ou') {
    return new OrnsteinUhlenbeckProcess(stream, { initial: spec.initialPrice, mean: f.mean, kappa: f.kappa, sigma: f.sigma, dtUs: f.dtUs, ...(jumps && { jumps }), ...(gaps && { gaps }) });
  }
  return new GeometricBrownianProcess(stream, { initial: spec.initialPrice, mu: f.mu, sigma: f.sigma, dtUs: f.dtUs, ...(jumps && { jumps }), ...(gaps && { gaps }) });
}

function latencyModel(config: LatencyConfig, seed: number): LatencyModel {
  return config.model === 'constant' ? new ConstantLatency(config.us) : new JitteredLatency(config.baseUs, config.meanJitterUs, new RandomStream(seed, 'latency'));
}
