import { OrderFlowTrader } from '../../agents/order-flow-trader.js';
import type { DistanceLaw } from '../../agents/order-flow-trader.js';
import { MAX_OPEN_ORDERS, MIN_PERIOD_US, ORDERS_WHY, PERIOD_WHY, endOrInfinity, num, str, tradingCommon, tradingParams, type AgentType } from './agent-registry.js';

/**
 * The zero-intelligence order-flow trader (issue 12, item 1). Defaults:
 * shapes from the LSE estimates (distance tail ζ = 1.5, Zovko & Farmer 2002;
 * size tail 1.5, Gopikrishnan et al. 2000; sign Hurst 0.75 when memory is
 * on, Lillo & Farmer 2004); rates from Cont, Stoikov & Talreja (2010)'s
 * Tokyo calibration, per side: limit orders ≈ 6.1/s within 5 ticks, market
 * orders μ ≈ 0.94/s, cancellation θ ≈ 0.65/s per resting order. One agent
 * carries 1/61 of that flow (a limit order per 5 s, a market order per
 * 32 s, on either side), so about 60 agents make CST's book; choose `count`
 * for the venue's message rate.
 */
export const orderFlow: AgentType = {
  type: 'order-flow',
  summary: 'zero-intelligence order flow (Farmer, Patelli & Zovko 2005; Bouchaud, Mézard & Potters 2002): Poisson limit, market and cancel streams, heavy-tailed distances and sizes',
  params: {
    ...tradingParams,
    meanLimitInterArrivalUs: { default: 5_000_000, doc: 'mean time between limit orders, µs (Poisson; CST 2010: 61 agents give 12.2/s)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    meanMarketInterArrivalUs: { default: 32_000_000, doc: 'mean time between market orders, µs (Poisson; 0: none; CST 2010: market ≈ limit / 6.5)', min: 0 },
    meanOrderLifetimeUs: {
      default: 1_500_000,
      doc: 'mean life of a resting limit order placed at the same-side best before it is cancelled, µs (exponential: a cancel rate per order, CST 2010 θ ≈ 0.65/s; 0: never)',
      min: 0,
    },
    cancelDistanceExponent: {
      default: 0,
      doc: 'β: an order placed d ticks behind the best is cancelled at (1 + d)^−β times the touch rate (0: one rate, as Farmer, Patelli & Zovko 2005)',
      min: 0,
      max: 5,
    },
    distanceScaleTicks: { default: 2, doc: 'scale of the distance behind the same-side best quote, ticks (Lomax; mean scale / (ζ − 1))', min: 0.01 },
    distanceTailExponent: {
      default: 1.5,
      doc: 'tail exponent ζ of that distance, density ∝ d^−(1+ζ) (Zovko & Farmer 2002: ζ ≈ 1.5 on the LSE)',
      min: 1.01,
      max: 10,
      limitWhy: 'at or below 1 the mean distance is infinite (Bouchaud, Mézard & Potters’ Paris ζ ≈ 0.6 would put most depth at the cap)',
    },
    maxDistanceTicks: { default: 100, doc: 'farthest a limit order rests behind the same-side best, ticks', min: 0, max: 1_000_000, integer: true },
    distanceLaw: {
      default: 'lomax',
      doc: "law of the distance behind the best: 'lomax' (heavy-tailed, the flow near the touch) or 'linear' (density ∝ distance out to maxDistanceTicks: slow latent liquidity, whose x² depth gives √ impact; Tóth et al. 2011, Donier et al. 2015)",
      choices: ['lomax', 'linear'],
    },
    insideSpreadProb: { default: 0.2, doc: 'probability a limit order improves the quote when the spread is ≥ 2 ticks (an assumption)', min: 0, max: 1 },
    minQty: { default: 1, doc: 'smallest order, lots', min: 1, integer: true },
    maxQty: { default: 100, doc: 'largest order, lots', min: 1, integer: true },
    sizeTailExponent: { default: 1.5, doc: 'tail exponent of order sizes, P(size ≥ q) ∝ q^−tail (Gopikrishnan et al. 2000: ≈ 1.5)', min: 0.1, max: 10 },
    signHurst: { default: 0.5, doc: 'Hurst exponent of order signs: 0.5 independent; above, long memory by order splitting (Lillo, Mike & Farmer 2005; LSE ≈ 0.75)', min: 0.5, max: 0.95 },
    maxOpenOrders: { default: 5, doc: 'most limit orders resting at once; the oldest is cancelled to make room (raise it with longer lifetimes: about rate × lifetime rest)', min: 1, max: MAX_OPEN_ORDERS, integer: true, limitWhy: ORDERS_WHY },
    startUs: { default: 0, doc: 'no arrival before this time, µs', min: 0 },
    endUs: { default: 0, doc: 'no arrival after this time, µs (0: never stops)', min: 0 },
    valueTilt: {
      default: 0,
      doc: "κ: an order's side is the one toward the fundamental V with probability min(1, κ·|V − mid|/V) — public value reaching the flow (the fundamentalist term of Chiarella & Iori 2002; 0: pure zero intelligence)",
      min: 0,
      max: 10_000,
    },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new OrderFlowTrader(name, {
      ...c,
      meanLimitInterArrivalUs: num(p, 'meanLimitInterArrivalUs'),
      meanMarketInterArrivalUs: endOrInfinity(num(p, 'meanMarketInterArrivalUs')),
      meanOrderLifetimeUs: endOrInfinity(num(p, 'meanOrderLifetimeUs')),
      cancelDistanceExponent: num(p, 'cancelDistanceExponent'),
      distanceScaleTicks: num(p, 'distanceScaleTicks'),
      distanceTailExponent: num(p, 'distanceTailExponent'),
      maxDistanceTicks: num(p, 'maxDistanceTicks'),
      distanceLaw: str(p, 'distanceLaw') as DistanceLaw,
      insideSpreadProb: num(p, 'insideSpreadProb'),
      minQty: num(p, 'minQty'),
      maxQty: num(p, 'maxQty'),
      sizeTailExponent: num(p, 'sizeTailExponent'),
      signHurst: num(p, 'signHurst'),
      maxOpenOrders: num(p, 'maxOpenOrders'),
      startUs: num(p, 'startUs'),
      endUs: endOrInfinity(num(p, 'endUs')),
      valueTilt: num(p, 'valueTilt'),
    });
  },
};
