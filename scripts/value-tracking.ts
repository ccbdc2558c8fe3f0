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

import { loadExperiment } from '../src/experiment/config/load-config.js';
import { buildScenario } from '../src/experiment/run/scenario.js';
import { TradingAgent } from '../src/agents/trading-agent.js';
import { option, setArgs } from './script-args.js';

const STEP_US = 10_000_000;
const SKIP_US = 600_000_000;
const MAX_LAG = 6;

function corr(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]! / n;
    my += y[i]! / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function run(): void {
  const args = process.argv.slice(2);
  const file = args[0];
  if (file === undefined || file.startsWith('--')) {
    process.stderr.write('usage: node dist/scripts/value-tracking.js FILE [--seed N] [--days D] [--group arb] [--set path=value]...\n');
    process.exitCode = 2;
    return;
  }
  const loaded = loadExperiment(file, { sets: setArgs(args) });
  const seed = Number(option(args, '--seed', String(loaded.config.seed)));
  const s = buildScenario({ ...loaded.config, seed });
  const days = Math.min(Number(option(args, '--days', '5')), s.calendar.sessions);
  const group = option(args, '--group', 'arb');
  const k = s.kernel;
  const book = s.exchange.book(0);
  const value = s.fundamentals[0]!;
  const carriers: TradingAgent[] = [];
  for (let i = 0; i < k.agentCount; i++) {
    const a = k.agent(i);
    if (a instanceof TradingAgent && a.name.startsWith(group)) carriers.push(a);
  }
  const inventory = () => carriers.reduce((sum, a) => sum + a.position, 0);
  k.start();
  const start = value.valueAt(0);
  const dMid: number[][] = [];
  const dValue: number[][] = [];
  const dayValue: number[] = [];
  const dayInventory: number[] = [];
  let far = 0;
  let samples = 0;
  for (let day = 0; day < days; day++) {
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
      mids.push(Math.log(mid));
      values.push(Math.log(v));
      sumGap += gap;
      maxGap = Math.max(maxGap, gap);
      samples++;
      if (gap > 10) far++;
    }
    dMid.push(mids.slice(1).map((m, i) => m - mids[i]!));
    dValue.push(values.slice(1).map((v, i) => v - values[i]!));
    const last = Math.exp(values[values.length - 1] ?? Math.log(start));
    dayValue.push((last / start - 1) * 100);
    dayInventory.push(inventory());
    process.stdout.write(`day ${day}: value ${dayValue[day]!.toFixed(1)} %, ${group} holds ${dayInventory[day]}, |mid/value − 1| mean ${(sumGap / Math.max(1, mids.length)).toFixed(1)} bp, max ${maxGap.toFixed(1)} bp\n`);
  }
  process.stdout.write(`samples more than 10 bp from value: ${((100 * far) / Math.max(1, samples)).toFixed(1)} % of ${samples}\n`);
  const lags: string[] = [];
  for (let lag = 0; lag <= MAX_LAG; lag++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let d = 0; d < days; d++) {
      const m = dMid[d]!;
      const v = dValue[d]!;
      for (let i = lag; i < m.length; i++) {
        x.push(m[i]!);
        y.push(v[i - lag]!);
      }
    }
    lags.push(`${lag * 10} s ${corr(x, y).toFixed(2)}`);
  }
  process.stdout.write(`corr(Δmid_t, Δvalue_t−k), 10-s changes: ${lags.join(', ')}\n`);
  if (days > 2) {
    const dv = dayValue.slice(1).map((v, i) => v - dayValue[i]!);
    const di = dayInventory.slice(1).map((q, i) => q - dayInventory[i]!);
    const c = corr(dv, di);
    const sd = (x: number[]) => Math.sqrt(x.reduce((a, b) => a + b * b, 0) / x.length - (x.reduce((a, b) => a + b, 0) / x.length) ** 2);
    process.stdout.write(`daily ${group} inventory change per 1 % of value: ${Math.round((c * sd(di)) / sd(dv))} lots (correlation ${c.toFixed(2)})\n`);
  }
}

run();
