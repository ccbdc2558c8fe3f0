import { ValueMaker, type FairValueSource } from '../../agents/value-maker.js';
import { MAX_LEVELS, ORDERS_WHY, num, str, tradingCommon, tradingParams, type AgentType } from './agent-registry.js';

/**
 * The value-anchored, risk-managed market maker (issue 12, item 2). Defaults
 * are an assumption for a liquid book at 1-tick spreads, not a calibration;
 * draw them per agent (`{dist: …}`) for heterogeneous makers.
 */
export const valueMaker: AgentType = {
  type: 'value-maker',
  summary:
    'post-only multi-level maker around the microprice (Stoikov 2018) or a trade EWMA, bounded tanh inventory skew (Avellaneda & Stoikov 2008), spread widening with short-term volatility and inventory, sizes shrinking toward the inventory limit',
  params: {
    ...tradingParams,
    fairValue: {
      default: 'microprice',
      doc: "fair value: 'microprice' (imbalance-weighted mid of the others' best quotes, Stoikov 2018), 'trade-ewma' (EWMA of trade prices) or 'fundamental' (its Kalman estimate of the fundamental seen with noise at each requote, a dealer quoting around its own value estimate: Glosten & Milgrom 1985, Das 2005); the fundamental when the book gives nothing",
      choices: ['microprice', 'trade-ewma', 'fundamental'],
    },
    observationSdTicks: { default: 5, doc: "fairValue 'fundamental': sd of the noise on each observation of the fundamental, ticks", min: 0 },
    valueSdTicksPerSqrtSecond: { default: 1, doc: "fairValue 'fundamental': the filter's belief of how fast the fundamental moves, ticks/√s", min: 0 },
    tradeEwmaWeight: { default: 0.2, doc: 'weight of each new trade price in the trade EWMA', min: 0.001, max: 1 },
    baseHalfSpreadTicks: { default: 1, doc: 'half-spread with no volatility and no inventory, ticks', min: 0, max: 10_000 },
    volSpreadMultiplier: { default: 1, doc: 'ticks of half-spread per tick of mid sd over volHorizonUs (the σ term of the Avellaneda–Stoikov spread)', min: 0, max: 1_000 },
    volHalfLifeUs: { default: 30_000_000, doc: 'half-life of the EWMA of squared mid changes (short-term volatility), µs', min: 1_000 },
    volHorizonUs: { default: 1_000_000, doc: 'horizon of the mid sd that widens the spread, µs', min: 0 },
    inventorySpreadTicks: { default: 2, doc: 'ticks added to the half-spread at |inventory| = maxInventory (linear in |q|)', min: 0, max: 10_000 },
    maxWideningTicks: { default: 20, doc: 'most the volatility and inventory terms add to the base half-spread, ticks (liquidity withdrawal under stress is only this widening)', min: 0, max: 100_000 },
    maxSkewTicks: { default: 3, doc: 'bound of the inventory skew, ticks: quotes move down by maxSkewTicks·tanh(skewSteepness·q/maxInventory)', min: 0, max: 10_000 },
    skewSteepness: { default: 2, doc: 'steepness of the tanh skew (slope near flat: maxSkewTicks·skewSteepness/maxInventory ticks per lot, the A–S γσ²(T−t))', min: 0, max: 100 },
    qty: { default: 10, doc: 'lots per level before shrinkage', min: 1, integer: true },
    levels: { default: 3, doc: 'price levels quoted per side', min: 1, max: MAX_LEVELS, integer: true, limitWhy: ORDERS_WHY },
    levelSpacingTicks: { default: 1, doc: 'distance between levels of one side, ticks', min: 1, max: 10_000, integer: true },
    maxInventory: { default: 1_000, doc: 'inventory limit, lots: sizes on the side that grows |q| shrink to 0 as |q| reaches it', min: 1, integer: true },
    sizeShrinkExponent: { default: 1, doc: 'p in the size factor (1 − |q|/maxInventory)^p on the side that grows |q| (0: no shrinkage before the limit)', min: 0, max: 10 },
    minIntervalUs: { default: 100_000, doc: 'throttle of the market-data subscription (requotes at most this often on updates), µs', min: 0 },
    refreshIntervalUs: { default: 1_000_000, doc: 'period of a requote even when the book is quiet, µs (0: off)', min: 0 },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new ValueMaker(name, {
      ...c,
      fairValue: str(p, 'fairValue') as FairValueSource,
      tradeEwmaWeight: num(p, 'tradeEwmaWeight'),
      observationSdTicks: num(p, 'observationSdTicks'),
      valueSdTicksPerSqrtSecond: num(p, 'valueSdTicksPerSqrtSecond'),
      baseHalfSpreadTicks: num(p, 'baseHalfSpreadTicks'),
      volSpreadMultiplier: num(p, 'volSpreadMultiplier'),
      volHalfLifeUs: Math.round(num(p, 'volHalfLifeUs')),
      volHorizonUs: Math.round(num(p, 'volHorizonUs')),
      inventorySpreadTicks: num(p, 'inventorySpreadTicks'),
      maxWideningTicks: num(p, 'maxWideningTicks'),
      maxSkewTicks: num(p, 'maxSkewTicks'),
      skewSteepness: num(p, 'skewSteepness'),
      qty: num(p, 'qty'),
      levels: num(p, 'levels'),
      levelSpacingTicks: num(p, 'levelSpacingTicks'),
      maxInventory: num(p, 'maxInventory'),
      sizeShrinkExponent: num(p, 'sizeShrinkExponent'),
      minIntervalUs: Math.round(num(p, 'minIntervalUs')),
      refreshIntervalUs: Math.round(num(p, 'refreshIntervalUs')),
    });
  },
};
