import { CashDemandTrader } from '../../agents/cash-demand-trader.js';
import { MAX_LEVELS, MIN_PERIOD_US, ORDERS_WHY, PERIOD_WHY, endOrInfinity, num, tradingCommon, tradingParams, type AgentType } from './agent-registry.js';

/** The noise trader of Thurner, Farmer & Geanakoplos (2012): an AR(1) cash demand, sent into a call auction as its demand schedule. */
export const cashDemand: AgentType = {
  type: 'cash-demand',
  summary: 'noise trader of Thurner, Farmer & Geanakoplos (2012): wants stock worth ξ_t in cash, log ξ an AR(1) around log(meanCash); sends ξ_t/p as a ladder of limit orders into each call (a batch market)',
  params: {
    ...tradingParams,
    meanCash: { default: 0, doc: 'mean of its cash demand ξ, minor units (0: its holdings valued at the fundamental at the start — TFG: V·N, so that alone it clears around V)', min: 0 },
    rho: { default: 0.99, doc: 'persistence ρ of log ξ per period (TFG 0.99)', min: 0, max: 0.999999 },
    sigma: { default: 0.035, doc: 'sd σ of the shocks to log ξ per period (TFG 0.035)', min: 0 },
    dispersion: { default: 0, doc: 'the members of the group share one ξ path (its common factor); each wants meanCash·exp(x_t + η_t) with its own η_t ~ N(0, dispersion²) a period, so that they trade with each other and a price forms in every call even when nobody else trades (0: identical demands)', min: 0, max: 1 },
    intervalUs: { default: 60_000_000, doc: 'time between its ladders, µs (the batch interval)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    periodUs: { default: 0, doc: 'the period: time between draws of ξ, µs, a multiple of intervalUs (0: intervalUs); several auctions a period let leveraged buyers loop and margin calls be met within it', min: 0 },
    startUs: { default: 0, doc: 'first period, µs (0: one interval after the start)', min: 0 },
    endUs: { default: 0, doc: 'no period after this time, µs (0: never stops)', min: 0 },
    ladderLevels: { default: 60, doc: 'limit orders of its ladder a side', min: 1, max: MAX_LEVELS, integer: true, limitWhy: ORDERS_WHY },
    ladderStepTicks: { default: 1, doc: 'spacing of the ladder’s first levels, ticks; level i lies step·i(i+1)/2 from the first', min: 1, integer: true },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    const given = num(p, 'meanCash');
    const interval = num(p, 'intervalUs');
    const start = num(p, 'startUs');
    return new CashDemandTrader(name, {
      ...c,
      meanCash: given > 0 ? given : c.initialPosition * c.fundamental.valueAt(0) * c.minorPerTickLot,
      rho: num(p, 'rho'),
      sigma: num(p, 'sigma'),
      dispersion: num(p, 'dispersion'),
      // One factor per group: the group's name is the agent's without its index.
      factorStream: `cash-demand/${name.replace(/\/\d+$/, '')}`,
      intervalUs: interval,
      periodUs: num(p, 'periodUs') > 0 ? num(p, 'periodUs') : interval,
      startUs: start > 0 ? start : interval,
      endUs: endOrInfinity(num(p, 'endUs')),
      ladderLevels: num(p, 'ladderLevels'),
      ladderStepTicks: num(p, 'ladderStepTicks'),
    });
  },
};
