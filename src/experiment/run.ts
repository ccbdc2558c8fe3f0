import type { StepHook } from '../engine/kernel.js';
import type { Kernel } from '../engine/kernel.js';
import { emptyCascades, emptyLiquidations, type CascadeTable, type LiquidationTable } from './cascade-tables.js';
import type { ExperimentConfig } from './config.js';
import { Sampler, type TimeSeries } from './sampler.js';
import { buildScenario, type Scenario } from './scenario.js';
import { summarize, type RunSummary } from './run-summary.js';
import { TradeLog, type TradeTable } from './trade-log.js';

/** When the kernel checks ledger and book invariants. */
export type InvariantChecking = 'end' | 'every';

/** Options of one run. */
export interface RunOptions {
  /** `every`: after every delivery (paranoid, slow); `end`: once at the end. Default `end`. */
  checkInvariants?: InvariantChecking;
}

/** Wall-clock figures of a run: the only output allowed to differ between two runs of one config and seed. */
export interface RunTiming {
  wallSeconds: number;
  events: number;
  eventsPerSecond: number;
  peakRssMb: number;
}

/** Everything a run produces, before it is written anywhere. */
export interface RunResult {
  readonly config: ExperimentConfig;
  readonly summary: RunSummary;
  readonly timeseries: TimeSeries;
  readonly trades: TradeTable;
  readonly liquidations: LiquidationTable;
  readonly cascades: CascadeTable;
  /** Agent name by agent id. */
  readonly agentNames: readonly string[];
  readonly timing: RunTiming;
  readonly stateHash: string;
}

/** A violated invariant found by the paranoid check, with the event that broke it. */
export class InvariantViolation extends Error {
  constructor(
    readonly deliveryId: number,
    readonly causes: number[],
    readonly problems: string[],
  ) {
    super(`invariant violated after delivery ${deliveryId} (causes: ${causes.join(' ← ') || 'none'}): ${problems.join('; ')}`);
    this.name = 'InvariantViolation';
  }
}

/** Ledger and book invariants of a scenario; empty when all hold. */
export function invariantProblems(s: Scenario): string[] {
  const problems = s.ledger.validateInvariants();
  for (let i = 0; i < s.instruments.length; i++) {
    for (const p of s.exchange.book(i).validateInternalState()) problems.push(`${s.instruments[i]!.symbol}: ${p}`);
  }
  return problems;
}

/**
 * Runs one experiment to its horizon in this thread and returns its tables
 * and summary. Deterministic: the same config gives the same result, except
 * `timing`. The wall clock is read here only, for timing.
 */
export function runExperiment(config: ExperimentConfig, options: RunOptions = {}): RunResult {
  const started = process.hrtime.bigint();
  const scenario = buildScenario(config);
  const { kernel } = scenario;
  const sampler = kernel.register(new Sampler(scenario.exchange, scenario.fundamentals, config.samplingUs, config.horizonUs, config.volWindow, null));
  const trades = new TradeLog(kernel);
  let checks = 0;
  if (options.checkInvariants === 'every') {
    const hook: StepHook = {
      afterStep(k: Kernel, deliveryId: number) {
        checks++;
        const problems = invariantProblems(scenario);
        if (problems.length > 0) throw new InvariantViolation(deliveryId, k.causalChain(deliveryId), problems);
      },
    };
    kernel.setStepHook(hook);
  }
  kernel.run({ until: config.horizonUs });
  kernel.stop();
  const finalProblems = invariantProblems(scenario);
  checks++;
  const events = kernel.stats.messages + kernel.stats.wakeups;
  const summary = summarize(config, sampler.series, trades.table, events, { checks, violations: finalProblems.length, problems: finalProblems });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const agentNames = Array.from({ length: kernel.agentCount }, (_, i) => kernel.agent(i).name);
  return {
    config,
    summary,
    timeseries: sampler.series,
    trades: trades.table,
    liquidations: emptyLiquidations(),
    cascades: emptyCascades(),
    agentNames,
    timing: { wallSeconds, events, eventsPerSecond: events / wallSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024 },
    stateHash: scenario.ledger.stateHash(),
  };
}
