import type { StepHook, Kernel } from '../../engine/kernel.js';
import { accountEquity, grossExposure } from '../../credit/margin.js';
import type { CascadeTable, EpisodeTable, LiquidationTable, TimeSeries, RunSummary } from '../../stats/output-tables.js';
import { EpisodePriceDrops } from '../../stats/episode-price-drops.js';
import { groupEpisodes } from '../../stats/episodes.js';
import type { TradeStore } from './trade-store.js';
import { reconstructCascades } from './cascade-reconstruction.js';
import { LiquidationLog } from './liquidation-log.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { defaultRunBudget, runWithinBudget, type RunBudget } from './run-budget.js';
import { Sampler, type BorrowerBalanceSheets, type CreditProbe } from './sampler.js';
import { buildScenario, type Scenario } from './scenario.js';
import { summarize } from './run-summary.js';
import { TradeLog } from './trade-log.js';
import { ImpactProbe } from '../../agents/impact-probe.js';
import { InvestorFund } from '../../agents/investor-fund.js';
import { InvariantViolation, InvariantWatch, invariantProblems } from './invariant-check.js';

/** When the kernel checks ledger and book invariants. */
export type InvariantChecking = 'end' | 'every';

/** Options of one run. */
export interface RunOptions {
  /** `every`: after every delivery (paranoid, slow); `end`: once at the end. Default `end`. */
  checkInvariants?: InvariantChecking;
  /** Events, wall time and heap the run may use (`run-budget.ts`); what is not given takes {@link defaultRunBudget}. */
  budget?: Partial<RunBudget>;
}

/** Wall-clock figures of a run: the only output allowed to differ between two runs of one config and seed. */
export interface RunTiming {
  wallSeconds: number;
  events: number;
  eventsPerSecond: number;
  peakRssMb: number;
  /** Most kernel deliveries pending at once: flat when no wake-up leaks. */
  peakPendingEvents: number;
  /** Most JavaScript heap in use, MB, sampled between slices of the run. */
  peakHeapMb: number;
  /**
   * Order commands the venue handled: places (limit, IOC, market, …),
   * cancels and modifies, accepted or not, and its rejections. Deterministic,
   * but kept here beside the speed they explain (wall time per order action)
   * rather than in summary.json.
   */
  orderActions: { total: number; places: number; cancels: number; modifies: number; rejections: number };
  /** Kernel deliveries (messages and wake-ups) each agent group handled, and the exchange and credit venue: the events' budget by role. */
  eventsByGroup: Record<string, number>;
}

/** A run's data: what its folder holds and its report is drawn from (a result, or a folder read back). */
export interface RunData {
  readonly config: ExperimentConfig;
  readonly summary: RunSummary;
  readonly timeseries: TimeSeries;
  /** Streamed from disk past the first chunk (`trade-store.ts`); `toTable()` for small runs. */
  readonly trades: TradeStore;
  readonly liquidations: LiquidationTable;
  readonly cascades: CascadeTable;
  /** Liquidations grouped by time gap (`config.episodeGapUs`), beside the cascades. */
  readonly episodes: EpisodeTable;
  /** Agent name by agent id. */
  readonly agentNames: readonly string[];
}

/** Everything a run produces, before it is written anywhere. */
export interface RunResult extends RunData {
  readonly timing: RunTiming;
  readonly stateHash: string;
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
  const sampler = kernel.register(new Sampler(scenario.exchange, scenario.fundamentals, config.samplingUs, config.horizonUs, config.volWindow, creditProbe(scenario), { sessionUs: scenario.calendar.sessionUs, count: scenario.calendar.sessions }));
  const trades = new TradeLog(kernel);
  const liquidations = new LiquidationLog(kernel);
  let checks = 0;
  if (options.checkInvariants === 'every') {
    const watch = new InvariantWatch(scenario);
    const hook: StepHook = {
      afterStep(k: Kernel, deliveryId: number) {
        checks++;
        const problems = watch.problems();
        if (problems.length > 0) throw new InvariantViolation(deliveryId, k.causalChain(deliveryId), problems);
      },
    };
    kernel.setStepHook(hook);
  }
  const sessionUs = scenario.calendar.sessions > 1 ? scenario.calendar.sessionUs : 0;
  const measures = runWithinBudget(kernel, config.horizonUs, defaultRunBudget(options.budget), started, sessionUs);
  kernel.stop();
  const finalProblems = invariantProblems(scenario);
  checks++;
  const events = kernel.stats.messages + kernel.stats.wakeups;
  // The episodes' price drops are measured in the cascades' pass over the trades.
  const episodeDrops = new EpisodePriceDrops(liquidations.table, config.episodeGapUs);
  const cascades = reconstructCascades(liquidations.table, liquidations.deliveryId, (id) => kernel.markedAncestorOf(id), trades.store, 'anchors', episodeDrops);
  const episodes = groupEpisodes(liquidations.table, config.episodeGapUs, episodeDrops.drops(), episodeDrops.spans);
  const credit = scenario.credit;
  const systemic = {
    defaults: { borrowers: borrowersWithBadDebt(liquidations.table), lenders: credit === null ? 0 : credit.defaultedLenders().length },
    badDebt: credit === null ? 0 : credit.totalBadDebt(),
    funds: fundFlows(kernel),
  };
  const summary = summarize(config, sampler.series, trades.store, liquidations.table, cascades, episodes, systemic, events, { checks, violations: finalProblems.length, problems: finalProblems }, impactProbes(kernel, config));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const agentNames = Array.from({ length: kernel.agentCount }, (_, i) => kernel.agent(i).name);
  return {
    config,
    summary,
    timeseries: sampler.series,
    trades: trades.store,
    liquidations: liquidations.table,
    cascades,
    episodes,
    agentNames,
    timing: { wallSeconds, events, eventsPerSecond: events / wallSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, peakPendingEvents: measures.peakPendingEvents, peakHeapMb: Math.round(measures.peakHeapMb), orderActions: orderActionsOf(scenario), eventsByGroup: eventsByGroup(scenario) },
    stateHash: scenario.ledger.stateHash() + (credit === null ? '' : `/${credit.stateHash()}`),
  };
}

/** The venue's order-command counts, for timing.json. */
/** Kernel deliveries handled by each agent group and by the venues: where a run's events go (the speed budget by role). */
function eventsByGroup(s: Scenario): Record<string, number> {
  const groupOf = new Map<number, string>();
  for (const g of s.groups) for (const id of g.ids) groupOf.set(id, g.name);
  const out: Record<string, number> = {};
  for (let id = 0; id < s.kernel.agentCount; id++) {
    // Venues and helpers outside the groups (exchange, credit, sampler) by their own name.
    const key = groupOf.get(id) ?? s.kernel.agent(id).name;
    out[key] = (out[key] ?? 0) + s.kernel.deliveriesTo(id);
  }
  return out;
}

function orderActionsOf(s: Scenario): RunTiming['orderActions'] {
  const x = s.exchange.stats;
  return { total: x.orderActions, places: x.places, cancels: x.cancels, modifies: x.modifies, rejections: x.rejections };
}

/** The funds' investor flows and bankruptcies (value funds and leverage targeters), summed; null when none ran. */
function fundFlows(kernel: Kernel): RunSummary['funds'] {
  let found = false;
  const out = { bankruptcies: 0, reentries: 0, inflows: 0, outflows: 0, bankruptcyEpisodes: 0, largestBankruptcyEpisode: 0 };
  const times: number[] = [];
  let gapUs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < kernel.agentCount; i++) {
    const a = kernel.agent(i);
    if (!(a instanceof InvestorFund)) continue;
    found = true;
    out.bankruptcies += a.bankruptcies;
    out.reentries += a.reentries;
    out.inflows += a.inflows;
    out.outflows += a.outflows;
    times.push(...a.bankruptcyTimes);
    gapUs = Math.min(gapUs, 10 * a.flowIntervalUs);
  }
  if (!found) return null;
  times.sort((x, y) => x - y);
  let size = 0;
  for (let k = 0; k < times.length; k++) {
    if (k === 0 || (times[k] as number) - (times[k - 1] as number) >= gapUs) {
      out.bankruptcyEpisodes++;
      size = 0;
    }
    size++;
    out.largestBankruptcyEpisode = Math.max(out.largestBankruptcyEpisode, size);
  }
  return out;
}

/** The records of the impact probes trading the first instrument (summary.json's facts are the first instrument's). */
function impactProbes(kernel: Kernel, config: ExperimentConfig): ImpactProbe['record'][] {
  if (!config.agents.some((a) => a.type === 'impact-probe')) return [];
  const records: ImpactProbe['record'][] = [];
  for (let i = 0; i < kernel.agentCount; i++) {
    const a = kernel.agent(i);
    if (a instanceof ImpactProbe && a.instrument === 0) records.push(a.record);
  }
  return records;
}

/**
 * The sampler's view of the credit venue; null without one. The borrowing
 * agents' balance sheets are summed in one pass per sample; the sampler's
 * aggregate leverage is their Σ gross exposure / Σ equity at mark over every agent of a
 * borrowing type (levered or not at the moment, insolvent ones included), so
 * it falls to 0 when they all deleverage and stays finite through defaults
 * unless the whole group is bankrupt.
 */
export function creditProbe(s: Scenario): CreditProbe | null {
  const credit = s.credit;
  if (credit === null) return null;
  const borrowers = s.groups.filter((g) => g.type.borrower === true);
  const ids = borrowers.flatMap((g) => g.ids);
  const accounts = borrowers.flatMap((g) => g.accounts);
  const balanceSheets = (out: BorrowerBalanceSheets): void => {
    out.exposure = out.leveredAssets = out.leveredEquity = out.debt = out.equity = 0;
    for (let k = 0; k < ids.length; k++) {
      const debt = credit.borrowerDebt(ids[k]);
      const equity = accountEquity(s.ledger, accounts[k], credit.marksHalfTicks, s.instruments, debt);
      out.exposure += grossExposure(s.ledger, accounts[k], credit.marksHalfTicks, s.instruments);
      out.debt += debt;
      out.equity += equity;
      if (debt <= 0) continue;
      out.leveredAssets += equity + debt;
      out.leveredEquity += equity;
    }
  };
  return {
    balanceSheets,
    meanHaircut: (i) => credit.meanHaircut(i),
    totalDebt: () => credit.totalDebt(),
    lenderEquity: () => credit.totalLenderEquity(),
  };
}

/** Borrowers some of whose debt was written off: they defaulted. */
function borrowersWithBadDebt(t: LiquidationTable): number {
  const set = new Set<number>();
  for (let i = 0; i < t.badDebt.length; i++) if (t.badDebt[i] > 0) set.add(t.borrower[i]);
  return set.size;
}
