import { baselineExperiment } from '../src/experiment/defaults.js';
import { buildScenario } from '../src/experiment/scenario.js';

/** Figures of one simulated trading day. */
export interface DayBenchResult {
  /** Kernel deliveries (messages and wake-ups). */
  messages: number;
  messagesPerSecond: number;
  orderActions: number;
  orderActionsPerSecond: number;
  trades: number;
  wallSeconds: number;
  peakRssMb: number;
}

/**
 * The unleveraged baseline for one 6.5-hour day with ABIDES rmsc04's
 * population (1,000 noise, 102 value, 12 momentum, 2 market makers): the
 * scenario as `levsim run` builds it, without measurement or outputs.
 */
export function benchDay(seed = 1): DayBenchResult {
  const config = baselineExperiment(seed);
  const scenario = buildScenario(config);
  const { kernel, exchange } = scenario;
  let trades = 0;
  const started = process.hrtime.bigint();
  kernel.eventsOf('TradeExecuted').subscribe(() => trades++);
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
    wallSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(benchDay());
}
