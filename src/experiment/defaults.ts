import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../engine/time.js';
import type { AgentGroupConfig, CreditConfig, ExperimentConfig, InstrumentConfig } from './config.js';

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

/** An experiment with every default and no agents. */
export function defaultExperiment(): ExperimentConfig {
  return {
    name: 'experiment',
    description: '',
    seed: 1,
    horizonUs: 6.5 * MICROS_PER_HOUR,
    samplingUs: MICROS_PER_MINUTE,
    volWindow: 30,
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
 * The unleveraged baseline: one 6.5-hour trading day with the population of
 * ABIDES' rmsc04 configuration (1,000 noise, 102 value, 12 momentum traders
 * and 2 market makers) on one stock.
 */
export function baselineExperiment(seed = 1): ExperimentConfig {
  return {
    ...defaultExperiment(),
    name: 'baseline',
    description: "Unleveraged baseline: one trading day with ABIDES rmsc04's population.",
    seed,
    agents: [
      group('market-maker', 'mm', 2, 1_000_000_000, 50_000, { halfSpreadTicks: 2, qty: 100, levels: 5, maxInventory: 5_000, skewTicksPerLot: 0.002 }),
      group('noise', 'noise', 1000, 10_000_000, 100, { meanInterArrivalUs: 60 * MICROS_PER_SECOND, maxQty: 20 }),
      group('value', 'value', 102, 100_000_000, 1_000, { meanInterArrivalUs: 30 * MICROS_PER_SECOND, maxQty: 20 }),
      group('momentum', 'momentum', 12, 100_000_000, 1_000, { intervalUs: 10 * MICROS_PER_SECOND, qty: 5, maxPosition: 2_000 }),
    ],
  };
}

/**
 * The flagship: one stock whose fundamental jumps, noise and value traders,
 * market makers, leveraged value funds, trend followers and retail traders
 * borrowing from three lenders under a procyclical (volatility-targeting)
 * haircut policy, and three liquidators, over one trading day.
 */
export function leverageCycleExperiment(seed = 1): ExperimentConfig {
  const base = defaultExperiment();
  return {
    ...base,
    name: 'leverage-cycle',
    description: 'Procyclical haircuts: leverage builds up in calm periods and collapses in crashes through margin calls, liquidations and fire sales.',
    seed,
    samplingUs: 30 * MICROS_PER_SECOND,
    instruments: [
      {
        ...defaultInstrument(),
        fundamental: { process: 'ou', mean: 10_000, kappa: 2e-4, sigma: 1.5, dtUs: MICROS_PER_SECOND, jumps: { ratePerSecond: 1 / 3600, mean: -150, sd: 150 } },
      },
    ],
    agents: [
      group('market-maker', 'mm', 2, 500_000_000, 50_000, { halfSpreadTicks: 2, qty: 50, levels: 5, maxInventory: 20_000, skewTicksPerLot: 0.001 }),
      group('noise', 'noise', 200, 10_000_000, 1_000, { meanInterArrivalUs: 20 * MICROS_PER_SECOND, maxQty: 20 }),
      group('value', 'value', 20, 50_000_000, 5_000, { meanInterArrivalUs: 30 * MICROS_PER_SECOND, maxQty: 50 }),
      group('lender', 'lenders', 3, 2_000_000_000, 0, { policy: 'volatility', a: 300, b: 1, hMin: 0.1, repriceIntervalUs: 60 * MICROS_PER_SECOND }),
      group('liquidator', 'liquidators', 3, 200_000_000, 0),
      group('leveraged-fund', 'funds', 10, 100_000_000, 0, { lender: 'lenders', beta: 50, utilisation: 1 }),
      group('trend-follower', 'trend', 5, 20_000_000, 0, { lender: 'lenders', targetLeverage: 4, utilisation: 1 }),
      group('retail', 'retail', 40, 2_000_000, 0, { lender: 'lenders', targetLeverage: 5, utilisation: 1 }),
    ],
  };
}
