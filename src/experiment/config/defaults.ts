import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../../engine/time.js';
import type { AgentGroupConfig, AuctionConfig, CalendarConfig, CreditConfig, ExperimentConfig, InstrumentConfig } from './experiment-config.js';

/** Defaults of a GBM fundamental (an OU one takes those of `defaultInstrument()`). */
export const GBM_DEFAULTS = { mu: 0, sigma: 1e-4, dtUs: 1_000_000 } as const;
/** Defaults of a jittered latency. */
export const JITTERED_DEFAULTS = { baseUs: 100, meanJitterUs: 50 } as const;

/** Defaults of an instrument: a $100.00 stock on a one-cent tick with an OU fundamental. */
export function defaultInstrument(symbol = 'ABC'): InstrumentConfig {
  return {
    symbol,
    tickSize: 0.01,
    lotSize: 1,
    minorUnit: 0.01,
    maxOrderQty: 1_000_000,
    initialPrice: 10_000,
    fundamental: { process: 'ou', mean: 10_000, kappa: 1e-4, sigma: 1, dtUs: MICROS_PER_SECOND, jumps: null },
  };
}

/** Defaults of the credit venue: Aave v3's close factor, 5 % bonus, 10 % protocol share. */
export function defaultCredit(): CreditConfig {
  return {
    policy: 'aave',
    closeFactor: 0.5,
    criticalHealth: 0.95,
    liquidationBonus: 0.05,
    protocolShare: 0.1,
    gracePeriodUs: 5 * MICROS_PER_MINUTE,
    accrualIntervalUs: MICROS_PER_HOUR,
  };
}

/**
 * Defaults of the trading calendar: a NYSE/Nasdaq regular session (09:30–16:00,
 * 6.5 h), the 17.5 h until the next open, five trading days a week from a
 * Monday. A quarter of a weekday's close-to-close variance arrives overnight,
 * the order measured for US equities (Hansen & Lunde 2005, J. Fin.
 * Econometrics 3(4); the range commonly quoted is 1/4–1/3).
 */
/** An auctions section's defaults: no call of any kind, time priority, a 10 % market-order collar. */
export function defaultAuctions(): AuctionConfig {
  return { openingUs: 0, closingUs: 0, batchUs: 0, allocation: 'time', collarBps: 1000 };
}

export function defaultCalendar(): CalendarConfig {
  return {
    sessionUs: 6.5 * MICROS_PER_HOUR,
    overnightUs: 17.5 * MICROS_PER_HOUR,
    tradingDaysPerWeek: 5,
    startWeekday: 'monday',
    overnightVarianceShare: 0.25,
    // Without an opening auction (the call-auction issue) day orders leave an empty book at every open.
    timeInForce: 'gtc',
  };
}

/** An experiment with every default and no agents. */
export function defaultExperiment(): ExperimentConfig {
  return {
    name: 'experiment',
    description: '',
    seed: 1,
    horizonUs: 6.5 * MICROS_PER_HOUR,
    samplingUs: MICROS_PER_MINUTE,
    volWindow: 30,
    // FACTS.md's default episode gap.
    episodeGapUs: MICROS_PER_MINUTE,
    outputs: { trades: true },
    latency: { model: 'constant', us: 100 },
    fees: { makerBps: 0, takerBps: 0 },
    stp: 'cancel-maker',
    instruments: [defaultInstrument()],
    agents: [],
    credit: defaultCredit(),
    interventions: [],
  };
}

function group(type: string, name: string, count: number, cash: number, lots: number, params: AgentGroupConfig['params'] = {}): AgentGroupConfig {
  return { type, name, count, cash, holdings: { ABC: lots }, params };
}

/**
 * The unleveraged baseline, `experiments/abides-rmsc04.yaml`: one 6.5-hour
 * trading day of ABIDES' rmsc04 configuration at matched activity — its
 * population (1,000 noise, 102 value, 12 momentum traders, 2 market makers),
 * its fundamental (OU around r_bar = $1,000 with kappa 1.67e-7 /s and
 * 1.58 cents/√s) and its agents' rates (one noise order per agent a day, a
 * value arrival per 175 s, a momentum check per 37 s, a market-maker requote
 * per 60 s), so that it sends about the order actions ABIDES' own day sends.
 * The YAML file's comments say how each parameter follows rmsc04.
 */
export function baselineExperiment(seed = 1): ExperimentConfig {
  const stock = defaultInstrument();
  return {
    ...defaultExperiment(),
    name: 'baseline',
    description: 'Unleveraged baseline: one trading day of ABIDES rmsc04 at matched activity.',
    seed,
    instruments: [{ ...stock, initialPrice: 100_000, fundamental: { process: 'ou', mean: 100_000, kappa: 1.67e-7, sigma: 1.58, dtUs: MICROS_PER_SECOND, jumps: null } }],
    agents: [
      group('market-maker', 'mm', 2, 40_000_000_000, 200_000, {
        halfSpreadTicks: 1,
        qty: 100,
        levels: 10,
        levelSpacingTicks: 5,
        skewTicksPerLot: 0,
        maxInventory: 200_000,
        minIntervalUs: 60 * MICROS_PER_SECOND,
        refreshIntervalUs: 0,
      }),
      group('noise', 'noise', 1000, 30_000_000, 200, { once: true, endUs: 6.5 * MICROS_PER_HOUR, minQty: 1, maxQty: 200, marketOrderProb: 1 }),
      group('value', 'value', 102, 10_000_000_000, 20_000, { meanInterArrivalUs: 175 * MICROS_PER_SECOND, observationSdTicks: 31.6, valueSdTicksPerSqrtSecond: 1000, minQty: 1, maxQty: 200 }),
      group('momentum', 'momentum', 12, 10_000_000_000, 60_000, { intervalUs: 37 * MICROS_PER_SECOND, orderType: 'limit', qty: 100 }),
    ],
  };
}

/** Haircut policy of the lenders of a leverage preset (the lender's `params`). */
export type HaircutPolicyParams = Record<string, number | string>;

/** Seconds in one 6.5-hour trading day. */
const DAY_SECONDS = 6.5 * 3600;

/** One-sided 99 % normal quantile. */
const Z99 = 2.326;

/**
 * The procyclical haircut of the leverage presets: `h = clamp(a·σ, hMin, 1)`
 * with σ the lender's realised volatility per √s and `a = z₉₉·√(one trading
 * day)` ≈ 356, i.e. the haircut covers a 99 % one-day move at the current
 * volatility (a repo desk's VaR haircut over a one-day liquidation period).
 * A calm book (σ ≈ 1–2·10⁻⁴ /√s: one-tick bounces of a $100 stock) gives
 * a·σ ≈ 0.04–0.07, so the floor hMin = 0.1 (leverage ≤ 10, equity-repo
 * territory) binds; a 1.5 % jump inside the 10-minute window (σ ≈ 6·10⁻⁴)
 * gives h ≈ 0.22, a 3 % sell-off h ≈ 0.45, a crash h → 1.
 */
export function procyclicalHaircut(): HaircutPolicyParams {
  return { policy: 'volatility', a: Math.round(Z99 * Math.sqrt(DAY_SECONDS)), b: 1, hMin: 0.1, hMax: 1 };
}

/** A constant haircut at the procyclical policy's calm level (leverage ≤ 10 whatever the volatility). */
export function fixedHaircut(h = 0.1): HaircutPolicyParams {
  return { policy: 'fixed', h };
}

/**
 * Countercyclical: the procyclical rule with a through-the-cycle floor — the
 * haircut never falls below the worst level seen (hFloor 0.2 before stress
 * is seen), so leverage is not rebuilt in calm periods and not cut in a crisis.
 */
export function countercyclicalHaircut(): HaircutPolicyParams {
  return { ...procyclicalHaircut(), policy: 'countercyclical', hFloor: 0.2, countercyclicalMode: 'through-the-cycle', stressWindow: 0 };
}

/** What the leverage presets vary. */
export interface LeveragePresetOptions {
  seed?: number;
  name?: string;
  description?: string;
  /** The lenders' haircut policy. Default {@link procyclicalHaircut}. */
  haircut?: HaircutPolicyParams;
  /** Thin book: one small market maker and half the value traders (the cascade preset). */
  thin?: boolean;
}

/**
 * The population shared by the leverage presets. Cash in cents, holdings in
 * lots of one share; the stock is $100 (10 000 ticks of one cent). The float
 * held by unleveraged agents is 240 000 shares ($24 M); leveraged equity is
 * $4.4 M, so at the calm haircut floor (λ_max ≈ 5 at 90 % utilisation) the
 * leveraged long is at most ~$15–20 M and typically a few $M: a modest share
 * of the float and of the ~1–2 M shares traded a day.
 */
function leveragePopulation(haircut: HaircutPolicyParams, thin: boolean): AgentGroupConfig[] {
  return [
    // Two dealers quoting 5 levels of 100 shares a side ($10k a level, $50k
    // a side each) with $5 M and 20 000 shares each: a retail account's
    // forced sale (a few hundred shares) goes through within a few ticks; an
    // inventory limit of 10 000 shares and a skew of 0.002 ticks/share (20
    // ticks at the limit) so a one-sided flow moves their quotes.
    // Thin: one dealer quoting 2 levels of 20.
    thin
      ? group('market-maker', 'mm', 1, 500_000_000, 20_000, { halfSpreadTicks: 3, qty: 20, levels: 2, maxInventory: 5_000, skewTicksPerLot: 0.004, minIntervalUs: 500_000 })
      : group('market-maker', 'mm', 2, 500_000_000, 20_000, { halfSpreadTicks: 2, qty: 100, levels: 5, maxInventory: 10_000, skewTicksPerLot: 0.002, minIntervalUs: 500_000 }),
    // 200 zero-intelligence accounts of $100k and 1 000 shares ($100k: symmetric, so neither side runs out first), one order per
    // 20 s each (10 orders/s in all) of up to 20 shares: the liquidity flow.
    group('noise', 'noise', 200, 10_000_000, 1_000, { meanInterArrivalUs: 20 * MICROS_PER_SECOND, maxQty: 20 }),
    // Unleveraged fundamental investors ($1 M and 10 000 shares each: a
    // balanced book, so they can both sell an overpriced stock and buy a
    // fire sale for hours) arriving every 10 s with up to 100 shares (~100
    // shares/s together, far above the noise flow's imbalance): they anchor
    // the price to V. With 5 000 shares and 30 s arrivals they ran out of
    // shares within two hours of an early overshoot and the price stayed
    // 5–10 % above V for the rest of the day. Thin: half as many.
    group('value', 'value', thin ? 10 : 20, 100_000_000, 10_000, { meanInterArrivalUs: 10 * MICROS_PER_SECOND, maxQty: 100 }),
    // Three repo lenders with $20 M each (enough that credit is limited by
    // haircuts, not by lender cash), repricing every minute on a 10-minute
    // realised-volatility window sampled every 10 s (less bid-ask bounce than
    // 1 s sampling), maintenance haircut 75 % of the initial one.
    group('lender', 'lenders', 3, 2_000_000_000, 0, { ...haircut, repriceIntervalUs: 60 * MICROS_PER_SECOND, sampleIntervalUs: 10 * MICROS_PER_SECOND, volWindow: 60 }),
    // Three liquidation bots with $500k each (finite: a large sell-off can
    // exhaust them until their inventory is sold), selling each seizure in
    // 4 market orders 1 s apart, as bots split fire sales.
    group('liquidator', 'liquidators', 3, 50_000_000, 0, { slices: 4, sliceIntervalUs: MICROS_PER_SECOND }),
    // Ten leveraged value funds (TFG 2012) of $200k: β = 20 means 5 %
    // under-pricing asks for leverage 1, 25 % for 5; 90 % utilisation of
    // what the lender allows (a 10 % buffer, λ_max ≈ 5.3 at h = 0.1).
    group('leveraged-fund', 'funds', 10, 20_000_000, 0, { lender: 'lenders', beta: 20, utilisation: 0.9 }),
    // Five leveraged trend followers of $100k at target leverage 3 on a
    // 10 s / 50 s moving-average crossover, sampled every 5 s.
    group('trend-follower', 'trend', 5, 10_000_000, 0, { lender: 'lenders', targetLeverage: 3, utilisation: 0.9, intervalUs: 5 * MICROS_PER_SECOND }),
    // Forty retail margin accounts of $20k entering every ~20 min at 4×
    // (broker margin accounts allow 4× intraday), using all the credit the
    // lender allows; half meet a margin call, half ignore it and are liquidated.
    group('retail', 'retail', 40, 2_000_000, 0, { lender: 'lenders', targetLeverage: 4, utilisation: 1, meanEntryIntervalUs: 20 * 60 * MICROS_PER_SECOND, stopLoss: 0.05, takeProfit: 0.05 }),
  ];
}

/**
 * The stock of the leverage presets: $100 with an OU fundamental of
 * σ = 1 tick/√s (1 % per √day-hour: ~1.5 % a day, a large-cap stock),
 * mean reversion κ = 10⁻⁴ /s (half-life ≈ 2 h) and news jumps once an hour
 * on average of mean −1.5 % and sd 1 % (mostly bad news: the shocks that
 * start sell-offs; the mean reversion later recovers them).
 */
function leverageInstrument(): InstrumentConfig {
  return {
    ...defaultInstrument(),
    fundamental: { process: 'ou', mean: 10_000, kappa: 1e-4, sigma: 1, dtUs: MICROS_PER_SECOND, jumps: { ratePerSecond: 1 / 3600, mean: -150, sd: 100 } },
  };
}

/** A leverage experiment: one trading day of the shared population under a haircut policy. */
export function leverageExperiment(options: LeveragePresetOptions = {}): ExperimentConfig {
  const base = defaultExperiment();
  return {
    ...base,
    name: options.name ?? 'leverage',
    description: options.description ?? '',
    seed: options.seed ?? 1,
    samplingUs: 30 * MICROS_PER_SECOND,
    instruments: [leverageInstrument()],
    agents: leveragePopulation(options.haircut ?? procyclicalHaircut(), options.thin ?? false),
  };
}

/**
 * The earlier flagship population, in code: one stock whose fundamental
 * jumps, noise and value traders, market makers, leveraged value funds,
 * trend followers and retail traders borrowing from three lenders under a
 * procyclical (volatility-targeting) haircut policy, and three liquidators,
 * over one trading day. `cascade.yaml` and `policy-comparison.yaml` still
 * build on this thinner market, and tests and the fuzz benchmark use it as a
 * rich config; the shipped `experiments/leverage-cycle.yaml` is the market
 * of issue 12 (order flow, value-makers, arbitrage capital, five days).
 */
export function leverageCycleExperiment(seed = 1): ExperimentConfig {
  return leverageExperiment({
    seed,
    name: 'leverage-cycle',
    description: 'Procyclical haircuts: leverage builds up in calm periods and collapses in crashes through margin calls, liquidations and fire sales.',
  });
}

/**
 * The control of {@link leverageCycleExperiment}: the same population and
 * shocks, but lenders post haircut 1 (no credit), so every borrower's
 * maximum leverage is 1. The shipped `experiments/no-leverage.yaml` is the
 * control of the shipped flagship instead.
 */
export function noLeverageExperiment(seed = 1): ExperimentConfig {
  return leverageExperiment({ seed, name: 'no-leverage', description: 'Control: the leverage-cycle population with haircut 1 (no credit, maximum leverage 1).', haircut: fixedHaircut(1) });
}

/**
 * Cascades: the flagship under a thin book (one small dealer, half the
 * value investors), so a liquidator's market sale moves the mark further
 * toward other loans' triggers.
 */
export function cascadeExperiment(seed = 1): ExperimentConfig {
  return leverageExperiment({ seed, name: 'cascade', description: 'Thin liquidity: fire sales move the price, liquidations trigger liquidations.', thin: true });
}

/** The policy comparison: one config per haircut policy, same population, shocks and seed. */
export function policyComparison(seed = 1): Record<'fixed' | 'procyclical' | 'countercyclical' | 'none', ExperimentConfig> {
  return {
    fixed: leverageExperiment({ seed, name: 'policy-fixed', description: 'Fixed haircut 0.1.', haircut: fixedHaircut(0.1) }),
    procyclical: leverageCycleExperiment(seed),
    countercyclical: leverageExperiment({ seed, name: 'policy-countercyclical', description: 'Countercyclical haircut (through-the-cycle floor).', haircut: countercyclicalHaircut() }),
    none: noLeverageExperiment(seed),
  };
}
