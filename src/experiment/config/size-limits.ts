/**
 * Limits on what a whole experiment asks of memory and time, checked at
 * validation so that no config within the schema's bounds can exhaust either:
 * timeseries rows (horizon / sampling × instruments), the agents' rolling
 * windows, their resting orders, and their scheduled wake-ups (agents ×
 * horizon / period). Each parameter alone is bounded in the agent registry;
 * these are the products of several.
 *
 * `timeseries.csv` is not streamed: the summary statistics, the facts by
 * sampling interval, the report and the Parquet writer all need whole
 * columns, so streaming rows to disk would only move the peak. The row limit
 * is sized to memory instead (measured: ~0.9 GB peak RSS per million rows,
 * writing included), so a run near it stays within Node's default heap.
 *
 * @module
 */

import { paramRange } from '../registry/agent-params.js';
import type { AgentType } from '../registry/agent-registry.js';
import { AGENT_TYPES } from '../registry/agent-types.js';
import type { AgentGroupConfig } from './experiment-config.js';
import { formatDuration } from './duration.js';
import type { ConfigIssue, KeyPath } from './config-issues.js';

/** Most rows of timeseries.csv (sampling intervals × instruments): ~1 GB at peak. */
export const MAX_SAMPLE_ROWS = 1_000_000;
/** Most numbers held in all agents' rolling windows together (~400 MB). */
export const MAX_WINDOW_ENTRIES = 50_000_000;
/** Most limit orders the agents may keep resting together (~1 GB of orders and book entries). */
export const MAX_RESTING_ORDERS = 5_000_000;
/** Most wake-ups the agents' own clocks may schedule over the horizon (hours of simulation each 10^9). */
export const MAX_SCHEDULED_WAKEUPS = 1_000_000_000;

/** What the size checks read of a config (a resolved config has all of it). */
export interface SizedExperiment {
  readonly horizonUs: number;
  readonly samplingUs: number;
  readonly instruments: readonly unknown[];
  readonly agents: readonly AgentGroupConfig[];
}

/**
 * The problems of an experiment's size, at the paths that set it.
 *
 * @param samplingGiven whether the document sets `sampling` (else the row problem is put on `horizon`)
 */
export function sizeIssues(e: SizedExperiment, samplingGiven: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = (Math.floor(e.horizonUs / e.samplingUs) + 1) * e.instruments.length;
  if (rows > MAX_SAMPLE_ROWS) {
    issues.push({
      path: [samplingGiven ? 'sampling' : 'horizon'],
      message: `${fmt(rows)} timeseries rows (horizon / sampling × instruments) exceed the limit of ${fmt(MAX_SAMPLE_ROWS)}, which keeps a run's tables within memory (~1 GB per million rows); sample less often (at least ${formatDuration(Math.ceil((e.horizonUs * e.instruments.length) / MAX_SAMPLE_ROWS))})`,
    });
  }
  const windows = new Tally();
  const orders = new Tally();
  const wakeups = new Tally();
  e.agents.forEach((g, i) => {
    const type = AGENT_TYPES.get(g.type);
    if (type === undefined) return;
    for (const key of Object.keys(type.params)) {
      const at: KeyPath = ['agents', i, 'params', key];
      if (key.endsWith('Window')) windows.add(g.count * largest(g, type, key), at);
      else if (key === 'levels') orders.add(g.count * 2 * largest(g, type, key), at);
      else if (key === 'maxOpenOrders') orders.add(g.count * largest(g, type, key), at);
      else if (isPeriod(key)) {
        const period = smallest(g, type, key);
        if (period > 0) wakeups.add((g.count * e.horizonUs) / period, at);
      }
    }
  });
  if (windows.total > MAX_WINDOW_ENTRIES) issues.push({ path: windows.top, message: `the agents' rolling windows hold ${fmt(windows.total)} numbers in all (count × window), over the limit of ${fmt(MAX_WINDOW_ENTRIES)} that keeps them within memory; shorten the windows or use fewer agents` });
  if (orders.total > MAX_RESTING_ORDERS) issues.push({ path: orders.top, message: `the agents may keep ${fmt(orders.total)} orders resting in all (count × levels × 2, count × maxOpenOrders), over the limit of ${fmt(MAX_RESTING_ORDERS)} that keeps the books within memory; quote fewer levels or use fewer agents` });
  if (wakeups.total > MAX_SCHEDULED_WAKEUPS) issues.push({ path: wakeups.top, message: `the agents' clocks schedule about ${fmt(wakeups.total)} wake-ups over the horizon (count × horizon / period), over the limit of ${fmt(MAX_SCHEDULED_WAKEUPS)} that keeps a run within hours; lengthen the periods, shorten the horizon or use fewer agents` });
  return issues;
}

/** Parameters that are the period of an agent's own clock or arrivals (0: off). The market-data throttle is not one. */
function isPeriod(key: string): boolean {
  return (key.endsWith('IntervalUs') || key.endsWith('InterArrivalUs')) && key !== 'minIntervalUs';
}

/** A sum over agent groups, remembering the parameter that contributed most (where a problem is reported). */
class Tally {
  total = 0;
  top: KeyPath = ['agents'];
  private most = -1;

  add(amount: number, at: KeyPath): void {
    this.total += amount;
    if (amount > this.most) {
      this.most = amount;
      this.top = at;
    }
  }
}

/** The largest value a group's parameter can take (its default when not given; a distribution's upper bound; 0 when unbounded). */
function largest(g: AgentGroupConfig, type: AgentType, key: string): number {
  return finiteOrZero(paramRange(type, g.params)(key)[1]);
}

/** The smallest value a group's parameter can take (0 when unbounded). */
function smallest(g: AgentGroupConfig, type: AgentType, key: string): number {
  return finiteOrZero(paramRange(type, g.params)(key)[0]);
}

/** Normal and lognormal draws are unbounded; their parameters are checked one by one. */
function finiteOrZero(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
