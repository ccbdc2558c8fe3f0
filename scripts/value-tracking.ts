/**
 * How closely an experiment's mid tracks its fundamental, and who carries the
 * inventory that keeps it there: runs one experiment in this process and
 * samples the mid and the value every 10 s inside sessions (from 10 minutes
 * after each open, so the opening's price discovery is left out).
 *
 *   node dist/scripts/value-tracking.js FILE [--seed N] [--days D] [--group arb] [--set path=value]...
 *
 * Prints, per trading day: the value's change since the start, the summed
 * position of the agents whose name starts with `--group`, and the mean and
 * largest |mid / value − 1| in basis points. Then: the share of samples more
 * than 10 bp from value; corr(Δmid_t, Δvalue_t−k) of 10-s changes for lags
 * 0 to 60 s (how long the mid takes to follow value); the slope and
 * correlation of the group's daily inventory change on the value's daily
 * change in percent (how much stale liquidity it absorbs per 1 % of value).
 *
 * @module
 */

import { fileURLToPath } from 'node:url';
import { TradingAgent } from '../src/agents/trading-agent.js';
import type { ExperimentConfig } from '../src/experiment/config/experiment-config.js';
import { loadExperiment } from '../src/experiment/config/load-config.js';
import { buildScenario } from '../src/experiment/run/scenario.js';
import { pearsonCorrelation } from '../src/stats/correlation.js';
import { std } from '../src/stats/moments.js';
import { logReturns } from '../src/stats/returns.js';
import { option, setArgs } from './script-args.js';

const STEP_US = 10_000_000;
const SKIP_US = 600_000_000;
const MAX_LAG = 6;
/** A sample this far from value, basis points, counts as loose. */
const FAR_BP = 10;

/** One trading day of {@link trackValue}. */
export interface TrackedDay {
  /** Value at the day's last sample against the start, %. */
  readonly valueChangePct: number;
  /** The group's summed position at the day's last sample, lots. */
  readonly inventory: number;
  /** Mean and largest |mid / value − 1| over the day's samples, bp. */
  readonly meanGapBp: number;
  readonly maxGapBp: number;
}

/** What {@link trackValue} measured. */
export interface ValueTracking {
  readonly days: readonly TrackedDay[];
  readonly samples: number;
  /** Share of samples more than 10 bp from value. */
  readonly farShare: number;
  /** corr(Δmid_t, Δvalue_t−k) of 10-s changes, k = 0, 10 s, …, 60 s. */
  readonly lagCorrelation: readonly number[];
  /** Daily change of the group's inventory per 1 % daily change of value (lots), and the correlation of the two; NaN under three days. */
  readonly lotsPerPercent: number;
  readonly inventoryCorrelation: number;
}

/** First differences of a series. */
const changes = (xs: readonly number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]!);

/** Runs `config` for `days` sessions (at most its own) and measures how its mid tracks value and what `group` holds. */
export function trackValue(config: ExperimentConfig, days: number, group: string): ValueTracking {
  const s = buildScenario(config);
  const sessions = Math.min(days, s.calendar.sessions);
  const k = s.kernel;
  const book = s.exchange.book(0);
  const value = s.fundamentals[0]!;
  const carriers: TradingAgent[] = [];
  for (let i = 0; i < k.agentCount; i++) {
    const a = k.agent(i);
    if (a instanceof TradingAgent && a.name.startsWith(group)) carriers.push(a);
  }
  k.start();
  const start = value.valueAt(0);
  const dMid: number[][] = [];
  const dValue: number[][] = [];
  const out: TrackedDay[] = [];
  let far = 0;
  let samples = 0;
  for (let day = 0; day < sessions; day++) {
    const mids: number[] = [];
    const values: number[] = [];
    let sumGap = 0;
    let maxGap = 0;
    for (let t = SKIP_US; t < s.calendar.sessionUs; t += STEP_US) {
      const at = day * s.calendar.sessionUs + t;
      k.runUntil(at);
      const bid = book.bestBid();
      const ask = book.bestAsk();
      if (bid === undefined || ask === undefined) continue;
      const mid = (bid + ask) / 2;
      const v = value.valueAt(at);
      const gap = Math.abs(mid / v - 1) * 1e4;
      mids.push(mid);
      values.push(v);
      sumGap += gap;
      maxGap = Math.max(maxGap, gap);
      samples++;
      if (gap > FAR_BP) far++;
    }
    dMid.push(logReturns(mids));
    dValue.push(logReturns(values));
    const last = values.length > 0 ? values[values.length - 1]! : start;
    const inventory = carriers.reduce((sum, a) => sum + a.position, 0);
    out.push({ valueChangePct: (last / start - 1) * 100, inventory, meanGapBp: sumGap / Math.max(1, mids.length), maxGapBp: maxGap });
  }
  k.stop();
  const lagCorrelation: number[] = [];
  for (let lag = 0; lag <= MAX_LAG; lag++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let d = 0; d < sessions; d++) {
      const m = dMid[d]!;
      const v = dValue[d]!;
      for (let i = lag; i < m.length; i++) {
        x.push(m[i]!);
        y.push(v[i - lag]!);
      }
    }
    lagCorrelation.push(pearsonCorrelation(x, y));
  }
  let lotsPerPercent = Number.NaN;
  let inventoryCorrelation = Number.NaN;
  if (sessions > 2) {
    const dv = changes(out.map((d) => d.valueChangePct));
    const di = changes(out.map((d) => d.inventory));
    inventoryCorrelation = pearsonCorrelation(dv, di);
    lotsPerPercent = (inventoryCorrelation * std(di)) / std(dv);
  }
  return { days: out, samples, farShare: far / Math.max(1, samples), lagCorrelation, lotsPerPercent, inventoryCorrelation };
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args[0];
  if (file === undefined || file.startsWith('--')) {
    process.stderr.write('usage: node dist/scripts/value-tracking.js FILE [--seed N] [--days D] [--group arb] [--set path=value]...\n');
    process.exitCode = 2;
    return;
  }
  const loaded = loadExperiment(file, { sets: setArgs(args) });
  const seed = Number(option(args, '--seed', String(loaded.config.seed)));
  const group = option(args, '--group', 'arb');
  const r = trackValue({ ...loaded.config, seed }, Number(option(args, '--days', '5')), group);
  r.days.forEach((d, i) => {
    process.stdout.write(`day ${i}: value ${d.valueChangePct.toFixed(1)} %, ${group} holds ${d.inventory}, |mid/value − 1| mean ${d.meanGapBp.toFixed(1)} bp, max ${d.maxGapBp.toFixed(1)} bp\n`);
  });
  process.stdout.write(`samples more than ${FAR_BP} bp from value: ${(100 * r.farShare).toFixed(1)} % of ${r.samples}\n`);
  process.stdout.write(`corr(Δmid_t, Δvalue_t−k), 10-s changes: ${r.lagCorrelation.map((c, lag) => `${lag * 10} s ${c.toFixed(2)}`).join(', ')}\n`);
  if (r.days.length > 2) {
    process.stdout.write(`daily ${group} inventory change per 1 % of value: ${Math.round(r.lotsPerPercent)} lots (correlation ${r.inventoryCorrelation.toFixed(2)})\n`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
