import type { ExperimentConfig } from '../src/experiment/config/experiment-config.js';
import { baselineExperiment, leverageCycleExperiment } from '../src/experiment/config/defaults.js';
import { buildScenario } from '../src/experiment/run/scenario.js';

/** Figures of one simulated run without measurement or outputs. */
export interface ScenarioBenchResult {
  /** Kernel deliveries (messages and wake-ups). */
  messages: number;
  messagesPerSecond: number;
  orderActions: number;
  orderActionsPerSecond: number;
  trades: number;
  liquidations: number;
  wallSeconds: number;
  peakRssMb: number;
}

/** Runs a scenario as `levsim run` builds it, to its horizon, counting trades and liquidations only. */
export function benchScenario(config: ExperimentConfig): ScenarioBenchResult {
  const scenario = buildScenario(config);
  const { kernel, exchange } = scenario;
  let trades = 0;
  let liquidations = 0;
  kernel.eventsOf('TradeExecuted').subscribe(() => trades++);
  kernel.eventsOf('PositionLiquidated').subscribe(() => liquidations++);
  const started = process.hrtime.bigint();
  kernel.run({ until: config.horizonUs });
  kernel.stop();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const messages = kernel.stats.messages + kernel.stats.wakeups;
  return {
    messages,
    messagesPerSecond: messages / wallSeconds,
    orderActions: exchange.stats.orderActions,
    orderActionsPerSecond: exchange.stats.orderActions / wallSeconds,
    trades,
    liquidations,
    wallSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** The unleveraged baseline: one 6.5-hour day with ABIDES rmsc04's population (1,000 noise, 102 value, 12 momentum, 2 market makers). */
export function benchDay(seed = 1): ScenarioBenchResult {
  return benchScenario(baselineExperiment(seed));
}

/** The leveraged flagship (lenders, liquidators, leveraged traders) for comparison with the baseline. */
export function benchLeverage(seed = 1): ScenarioBenchResult {
  return benchScenario(leverageCycleExperiment(seed));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log({ day: benchDay(), leverage: benchLeverage() });
}
