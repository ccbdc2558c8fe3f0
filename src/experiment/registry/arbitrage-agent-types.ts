import { FundamentalArbitrageur } from '../../agents/fundamental-arbitrageur.js';
import { SentimentTrader } from '../../agents/sentiment-trader.js';
import { StatArbitrageur } from '../../agents/stat-arbitrageur.js';
import type { TargetSchedule } from '../../agents/target-position-trader.js';
import { formatDuration } from '../config/duration.js';
import { MAX_WINDOW, MIN_PERIOD_US, PERIOD_WHY, WINDOW_WHY, endOrInfinity, num, str, tradingCommon, tradingParams, type AgentType, type GroupIssue, type ParamRange, type ParamSpec, type RunBounds, type Scalar } from './agent-registry.js';

/**
 * The arbitrage capital of issue 12, item 3: a fundamental arbitrageur and a
 * statistical arbitrageur, both moving toward a target position through the
 * execution layer. Defaults are assumptions for a liquid stock at a
 * 10 000-tick price, not a calibration; draw them per agent (`{dist: …}`)
 * for heterogeneous capital.
 */

/** The execution parameters both types share (`TargetPositionTrader`). */
const executionParams: Record<string, ParamSpec> = {
  maxPosition: { default: 1_000, doc: 'largest deviation from the neutral position (the lots it starts with), lots', min: 1, integer: true },
  schedule: { default: 'twap', doc: "parent schedule toward the target: 'twap' or 'pov' (participation-capped)", choices: ['twap', 'pov'] },
  executionHorizonUs: { default: 30_000_000, doc: 'time a parent has to reach the target, µs (within the run horizon)', min: 1_000 },
  sliceIntervalUs: { default: 5_000_000, doc: 'time between child orders, µs (at most executionHorizonUs)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
  participationRate: { default: 0.1, doc: 'pov: share of the market volume of the previous interval a child may take', min: 0.001, max: 1 },
  crossTicks: { default: 1, doc: 'children are priced this many ticks through the touch, never beyond the limit', min: 0, max: 10_000, integer: true },
  limitEdgeTicks: { default: 1, doc: 'limit protection: buys pay at most value − this, sells receive at least value + this, ticks', min: 0, max: 100_000 },
  minTradeQty: { default: 10, doc: 'smallest trade worth a parent, lots; a working parent within this of the new trade is kept', min: 1, integer: true },
  callLadderLevels: { default: 10, doc: 'in a call auction (no touch to trade at): limit orders a side of the demand ladder it sends, out to where its target stops growing; 0: it stays out of calls (only the fundamental arbitrageur has a demand curve to send)', min: 0, max: 1_000, integer: true },
};

/** Where `a` can exceed `b` (both finite: unbounded draws are the agent's to refuse). */
function canExceed(a: number, b: number): boolean {
  return Number.isFinite(a) && Number.isFinite(b) && a > b;
}

/** The execution parameters against each other and against the run. */
function executionIssues(range: ParamRange, run: RunBounds): GroupIssue[] {
  const issues: GroupIssue[] = [];
  const [horizonMin, horizonMax] = range('executionHorizonUs');
  const [, sliceMax] = range('sliceIntervalUs');
  if (canExceed(horizonMax, run.horizonUs)) {
    issues.push({ key: 'executionHorizonUs', message: `an execution horizon of ${formatDuration(horizonMax)} is longer than the run (${formatDuration(run.horizonUs)}): no parent could finish` });
  }
  if (canExceed(sliceMax, horizonMin)) {
    issues.push({ key: 'sliceIntervalUs', message: `slices ${formatDuration(sliceMax)} apart do not fit in an execution horizon of ${formatDuration(horizonMin)}: shorten the interval or lengthen executionHorizonUs` });
  }
  return issues;
}

/** The options of the execution layer, from the drawn parameters. */
function executionOptions(p: Readonly<Record<string, Scalar>>) {
  return {
    maxPosition: num(p, 'maxPosition'),
    schedule: str(p, 'schedule') as TargetSchedule,
    executionHorizonUs: Math.round(num(p, 'executionHorizonUs')),
    sliceIntervalUs: Math.round(num(p, 'sliceIntervalUs')),
    participationRate: num(p, 'participationRate'),
    crossTicks: num(p, 'crossTicks'),
    limitEdgeTicks: num(p, 'limitEdgeTicks'),
    minTradeQty: num(p, 'minTradeQty'),
    callLadderLevels: num(p, 'callLadderLevels'),
  };
}

export const fundamentalArbitrageur: AgentType = {
  type: 'fundamental-arbitrageur',
  summary:
    'arbitrage capital with a demand linear in mispricing, k·(V̂ − mid)/V̂ · equity/price (Thurner, Farmer & Geanakoplos 2012; Kyle 1985), from a Kalman-filtered noisy view of the fundamental, worked by TWAP/POV parents limited at V̂',
  params: {
    ...tradingParams,
    gain: { default: 100, doc: 'demand gain k: target deviation = k · (V̂ − mid)/V̂ · equity / price, lots (100: a 1 % mispricing asks for the whole equity)', min: 0, max: 1_000_000 },
    meanInterArrivalUs: { default: 5_000_000, doc: 'mean time between observations of the fundamental (each re-evaluates the target), µs (Poisson)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    observationSdTicks: { default: 5, doc: 'sd of the noise on each observation of the fundamental, ticks', min: 0 },
    valueSdTicksPerSqrtSecond: { default: 1, doc: "the filter's belief of how fast the fundamental moves, ticks/√s", min: 0 },
    ...executionParams,
    minIntervalUs: { default: 0, doc: 'throttle of a market-data subscription that re-evaluates the target on book changes, µs (0: on its own clock only)', min: 0 },
    startUs: { default: 0, doc: 'no observation before this time, µs', min: 0 },
    endUs: { default: 0, doc: 'no observation after this time, µs (0: never stops)', min: 0 },
  },
  checkGroup: executionIssues,
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new FundamentalArbitrageur(name, {
      ...c,
      ...executionOptions(p),
      gain: num(p, 'gain'),
      meanInterArrivalUs: num(p, 'meanInterArrivalUs'),
      observationSdTicks: num(p, 'observationSdTicks'),
      valueSdTicksPerSqrtSecond: num(p, 'valueSdTicksPerSqrtSecond'),
      minIntervalUs: Math.round(num(p, 'minIntervalUs')),
      startUs: num(p, 'startUs'),
      endUs: endOrInfinity(num(p, 'endUs')),
    });
  },
};

export const statArbitrageur: AgentType = {
  type: 'stat-arb',
  summary:
    'statistical arbitrageur on the mid alone (Lo & MacKinlay 1990; Avellaneda & Lee 2010): rolling lag-1 autocorrelation ρ̂ of sampled mid returns, forecast ρ̂·r, target linear in the forecast move beyond the half-spread, worked by TWAP/POV parents limited at the forecast price',
  params: {
    ...tradingParams,
    gain: { default: 100, doc: 'demand gain k: target deviation = k · (|forecast move| − cost)/mid · equity / price, lots', min: 0, max: 1_000_000 },
    sampleIntervalUs: { default: 60_000_000, doc: 'interval of the mid returns it forecasts (its clock), µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    returnWindow: { default: 120, doc: 'returns in the rolling autocorrelation estimate', min: 3, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    minSamples: { default: 30, doc: 'returns needed before it trades (at most returnWindow)', min: 3, max: MAX_WINDOW, integer: true },
    costMultiplier: { default: 1, doc: 'the forecast move must exceed this many quoted half-spreads to trade (its cost)', min: 0, max: 1_000 },
    ...executionParams,
    startUs: { default: 0, doc: 'first sample at this time, µs', min: 0 },
    endUs: { default: 0, doc: 'no sample after this time, µs (0: never stops)', min: 0 },
  },
  checkGroup(range, run) {
    const issues = executionIssues(range, run);
    const [, horizonMax] = range('executionHorizonUs');
    const [sampleMin] = range('sampleIntervalUs');
    const [, minSamplesMax] = range('minSamples');
    const [windowMin] = range('returnWindow');
    if (canExceed(horizonMax, sampleMin)) {
      issues.push({ key: 'executionHorizonUs', message: `an execution horizon of ${formatDuration(horizonMax)} outlasts the sample interval (${formatDuration(sampleMin)}) its forecast is for` });
    }
    if (canExceed(minSamplesMax, windowMin)) issues.push({ key: 'minSamples', message: `${minSamplesMax} returns cannot be gathered in a window of ${windowMin}` });
    // A window that does not fill within the run is allowed: a shortened run (`--set horizon=…`) keeps the agent, which then never trades.
    return issues;
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new StatArbitrageur(name, {
      ...c,
      ...executionOptions(p),
      gain: num(p, 'gain'),
      sampleIntervalUs: Math.round(num(p, 'sampleIntervalUs')),
      returnWindow: num(p, 'returnWindow'),
      minSamples: num(p, 'minSamples'),
      costMultiplier: num(p, 'costMultiplier'),
      startUs: num(p, 'startUs'),
      endUs: endOrInfinity(num(p, 'endUs')),
    });
  },
};

/** Both arbitrage types. */
/** Persistent uninformed demand (not arbitrage: it shares the execution layer). */
export const sentimentTrader: AgentType = {
  type: 'sentiment-trader',
  summary: 'uninformed demand that persists for days: position scaleLots·x(t), x an Ornstein–Uhlenbeck sentiment of unit sd (De Long, Shleifer, Summers & Waldmann 1990; the AR(1) noise demand of Thurner, Farmer & Geanakoplos 2012), worked by TWAP/POV parents',
  params: {
    ...tradingParams,
    scaleLots: { default: 1_000, doc: 'lots of position per unit of sentiment (its stationary sd is 1)', min: 0 },
    halfLifeUs: { default: 46_800_000_000, doc: 'half-life of the sentiment, µs (two 6.5-hour days)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    intervalUs: { default: 300_000_000, doc: 'time between sentiment steps and re-evaluations, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    maxSlippage: { default: 0.02, doc: 'its parents trade up to this fraction beyond the mid', min: 0, max: 0.99 },
    ...executionParams,
    maxPosition: { default: 100_000, doc: 'largest deviation from the neutral position (the lots it starts with), lots', min: 1, integer: true },
    endUs: { default: 0, doc: 'no evaluation after this time, µs (0: never stops)', min: 0 },
  },
  checkGroup: executionIssues,
  build(name, p, ctx) {
    return new SentimentTrader(name, {
      ...tradingCommon(p, ctx),
      ...executionOptions(p),
      scaleLots: num(p, 'scaleLots'),
      halfLifeUs: num(p, 'halfLifeUs'),
      intervalUs: num(p, 'intervalUs'),
      maxSlippage: num(p, 'maxSlippage'),
      endUs: endOrInfinity(num(p, 'endUs')),
    });
  },
};

export const ARBITRAGE_AGENT_TYPES: readonly AgentType[] = [fundamentalArbitrageur, statArbitrageur, sentimentTrader];
