import { MarketMaker } from '../../agents/market-maker.js';
import { MomentumTrader } from '../../agents/momentum-trader.js';
import { NoiseTrader } from '../../agents/noise-trader.js';
import { ValueTrader } from '../../agents/value-trader.js';
import { ARBITRAGE_AGENT_TYPES } from './arbitrage-agent-types.js';
import { cashDemand } from './cash-demand-agent-type.js';
import { CREDIT_AGENT_TYPES } from './credit-agent-types.js';
import { impactProbe } from './impact-probe-agent-type.js';
import { orderFlow } from './order-flow-agent-type.js';
import { valueMaker } from './value-maker-agent-type.js';
import { MAX_LEVELS, MAX_OPEN_ORDERS, MAX_WINDOW, MIN_PERIOD_US, ORDERS_WHY, PERIOD_WHY, WINDOW_WHY, bool, endOrInfinity, num, str, tradingCommon, tradingParams, type AgentType } from './agent-registry.js';

const noise: AgentType = {
  type: 'noise',
  summary: 'zero-intelligence trader (Gode & Sunder 1993; ABIDES NoiseAgent): Poisson arrivals, random side, limit around the mid',
  params: {
    ...tradingParams,
    meanInterArrivalUs: { default: 1_000_000, doc: 'mean time between arrivals, µs (Poisson process)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    startUs: { default: 0, doc: 'no arrival before this time, µs', min: 0 },
    endUs: { default: 0, doc: 'no arrival after this time, µs (0: never stops)', min: 0 },
    minQty: { default: 1, doc: 'smallest order, lots', min: 1, integer: true },
    maxQty: { default: 10, doc: 'largest order, lots', min: 1, integer: true },
    offsetSdTicks: { default: 5, doc: 'sd of the limit price offset from the mid, ticks (normal)', min: 0 },
    marketOrderProb: { default: 0.05, doc: 'probability that an arrival sends a market order', min: 0, max: 1 },
    maxOpenOrders: { default: 5, doc: 'most limit orders open at once; the oldest is cancelled', min: 1, max: MAX_OPEN_ORDERS, integer: true, limitWhy: ORDERS_WHY },
    orderLifetimeUs: { default: 0, doc: 'orders older than this are cancelled at the next arrival, µs (0: keep)', min: 0 },
    once: { default: false, doc: 'one arrival only, at a uniform time in [startUs, endUs] (ABIDES NoiseAgent: one order a day); needs endUs' },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new NoiseTrader(name, {
      ...c,
      meanInterArrivalUs: num(p, 'meanInterArrivalUs'),
      startUs: num(p, 'startUs'),
      endUs: endOrInfinity(num(p, 'endUs')),
      minQty: num(p, 'minQty'),
      maxQty: num(p, 'maxQty'),
      offset: { kind: 'normal', sdTicks: num(p, 'offsetSdTicks') },
      marketOrderProb: num(p, 'marketOrderProb'),
      maxOpenOrders: num(p, 'maxOpenOrders'),
      orderLifetimeUs: num(p, 'orderLifetimeUs'),
      once: bool(p, 'once'),
    });
  },
};

const value: AgentType = {
  type: 'value',
  summary: 'fundamental trader (ABIDES ValueAgent): noisy observations of the fundamental, Kalman-filtered, trades toward it',
  params: {
    ...tradingParams,
    meanInterArrivalUs: { default: 10_000_000, doc: 'mean time between arrivals, µs (Poisson process)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    startUs: { default: 0, doc: 'no arrival before this time, µs', min: 0 },
    endUs: { default: 0, doc: 'no arrival after this time, µs (0: never stops)', min: 0 },
    observationSdTicks: { default: 5, doc: 'sd of the noise on each observation of the fundamental, ticks', min: 0 },
    valueSdTicksPerSqrtSecond: { default: 1, doc: "the filter's belief of how fast the fundamental moves, ticks/√s", min: 0 },
    minQty: { default: 1, doc: 'smallest order, lots', min: 1, integer: true },
    maxQty: { default: 10, doc: 'largest order, lots', min: 1, integer: true },
    crossTicks: { default: 0, doc: 'how far beyond the touch an aggressive order may be priced, ticks', min: 0, integer: true },
    passiveDepthTicks: { default: 2, doc: 'passive orders rest up to this many ticks behind the best price', min: 0, integer: true },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new ValueTrader(name, {
      ...c,
      meanInterArrivalUs: num(p, 'meanInterArrivalUs'),
      startUs: num(p, 'startUs'),
      endUs: endOrInfinity(num(p, 'endUs')),
      observationSdTicks: num(p, 'observationSdTicks'),
      valueSdTicksPerSqrtSecond: num(p, 'valueSdTicksPerSqrtSecond'),
      minQty: num(p, 'minQty'),
      maxQty: num(p, 'maxQty'),
      crossTicks: num(p, 'crossTicks'),
      passiveDepthTicks: num(p, 'passiveDepthTicks'),
    });
  },
};

const marketMaker: AgentType = {
  type: 'market-maker',
  summary: 'two-sided quotes around the mid with inventory skew and limits (Avellaneda–Stoikov-style skew)',
  params: {
    ...tradingParams,
    halfSpreadTicks: { default: 2, doc: 'distance from the skewed centre to each best quote, ticks', min: 0 },
    qty: { default: 10, doc: 'size quoted at each level of each side, lots', min: 1, integer: true },
    levels: { default: 1, doc: 'price levels quoted per side', min: 1, max: MAX_LEVELS, integer: true, limitWhy: ORDERS_WHY },
    levelSpacingTicks: { default: 1, doc: 'distance between levels of one side, ticks', min: 1 },
    skewTicksPerLot: { default: 0.05, doc: 'both quotes move down by this many ticks per lot of inventory', min: 0 },
    maxInventory: { default: 100, doc: 'no bids above this inventory, no asks below its negative, lots', min: 1, integer: true },
    minIntervalUs: { default: 100_000, doc: 'throttle of the market-data subscription, µs', min: 0 },
    refreshIntervalUs: { default: 1_000_000, doc: 'period of a requote even when the book is quiet, µs (0: off)', min: 0 },
    postOnly: { default: false, doc: 'send quotes post-only (never take liquidity)' },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new MarketMaker(name, {
      ...c,
      halfSpreadTicks: num(p, 'halfSpreadTicks'),
      qty: num(p, 'qty'),
      levels: num(p, 'levels'),
      levelSpacingTicks: num(p, 'levelSpacingTicks'),
      skewTicksPerLot: num(p, 'skewTicksPerLot'),
      maxInventory: num(p, 'maxInventory'),
      minIntervalUs: num(p, 'minIntervalUs'),
      refreshIntervalUs: num(p, 'refreshIntervalUs'),
      postOnly: bool(p, 'postOnly'),
    });
  },
};

const momentum: AgentType = {
  type: 'momentum',
  summary: 'moving-average crossover trader (ABIDES MomentumAgent)',
  params: {
    ...tradingParams,
    intervalUs: { default: 1_000_000, doc: 'time between wake-ups, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    shortWindow: { default: 20, doc: 'samples in the short moving average', min: 1, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    longWindow: { default: 50, doc: 'samples in the long moving average', min: 1, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    qty: { default: 1, doc: 'lots per order', min: 1, integer: true },
    orderType: { default: 'market', doc: 'market orders, or marketable IOC limits', choices: ['market', 'limit'] },
    thresholdTicks: { default: 0, doc: 'trade only when |short MA − long MA| exceeds this, ticks', min: 0 },
    maxPosition: { default: 0, doc: 'position limit, lots (0: none)', min: 0, integer: true },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new MomentumTrader(name, {
      ...c,
      intervalUs: num(p, 'intervalUs'),
      shortWindow: num(p, 'shortWindow'),
      longWindow: num(p, 'longWindow'),
      qty: num(p, 'qty'),
      orderType: str(p, 'orderType') as 'market' | 'limit',
      thresholdTicks: num(p, 'thresholdTicks'),
      maxPosition: endOrInfinity(num(p, 'maxPosition')),
    });
  },
};

/** Every agent type experiments can name, by type. */
export const AGENT_TYPES: ReadonlyMap<string, AgentType> = new Map([noise, value, marketMaker, momentum, orderFlow, valueMaker, impactProbe, cashDemand, ...ARBITRAGE_AGENT_TYPES, ...CREDIT_AGENT_TYPES].map((t) => [t.type, t]));

/** True for types that need the credit venue (lenders, borrowers, liquidators). */
export function usesCredit(type: AgentType): boolean {
  return type.lender === true || type.borrower === true || type.type === 'liquidator';
}
