/**
 * The long whole-stack fuzz behind `npm run fuzz`: hundreds of short
 * scenarios drawn over the leverage preset's space — population counts,
 * haircut policies and their parameters, the liquidation policy, latency,
 * interventions (a fundamental shock, an outside market sale, a haircut
 * shock, a halt and its end: sizes and times), the fundamental's jumps,
 * seeds — each
 * run with the ledger, book and credit invariants checked after every
 * delivery. Any broken invariant or crash is shrunk to its smallest scenario
 * and written as a runnable counterexample.
 *
 * ```
 * node dist/bench/fuzz-long.js [--runs 300] [--seed 1] [--horizon 300] [--timeout SECONDS] [--out out/fuzz/fuzz-long]
 * ```
 *
 * Prints the scenarios run, the total simulated events and the failures;
 * exits 1 when a property failed.
 *
 * @module
 */

import { join } from 'node:path';
import type { ExperimentConfig } from '../src/experiment/config/experiment-config.js';
import { leverageCycleExperiment } from '../src/experiment/config/defaults.js';
import { runFuzz, writeFuzzOutputs } from '../src/experiment/fuzz/fuzz.js';
import { fuzzSpecOf, type FuzzSpec } from '../src/experiment/fuzz/fuzz-spec.js';

/** The leverage preset, shortened to `horizonSeconds`, with a fundamental shock, an outside market sale, a haircut shock and a halt to fuzz. */
export function stackBase(horizonSeconds: number): ExperimentConfig {
  const preset = leverageCycleExperiment();
  return {
    ...preset,
    name: 'fuzz-long',
    horizonUs: horizonSeconds * 1_000_000,
    samplingUs: 5_000_000,
    volWindow: 12,
    interventions: [
      { atUs: Math.floor(horizonSeconds / 2) * 1_000_000, set: {}, event: { type: 'fundamental-jump', instrument: 'ABC', size: -100 } },
      { atUs: Math.floor(horizonSeconds / 3) * 1_000_000, set: {}, event: { type: 'market-sell', instrument: 'ABC', qty: 100 } },
      { atUs: Math.floor(horizonSeconds / 4) * 1_000_000, set: {}, event: { type: 'haircut-shock', add: 0 } },
      { atUs: Math.floor((horizonSeconds * 2) / 3) * 1_000_000, set: {}, event: { type: 'halt', instrument: 'ABC', halted: true } },
      { atUs: Math.floor((horizonSeconds * 3) / 4) * 1_000_000, set: {}, event: { type: 'halt', instrument: 'ABC', halted: false } },
    ],
  };
}

/** The fuzz space over the leverage preset (the preset's values lie inside every range). */
export function stackSection(runs: number, seed: number, horizonSeconds: number): Record<string, unknown> {
  const h = horizonSeconds * 1_000_000;
  return {
    runs,
    seed,
    space: {
      seed: { min: 1, max: 1_000_000 },
      'agents.mm.count': { min: 1, max: 3 },
      'agents.noise.count': { min: 1, max: 200 },
      'agents.value.count': { min: 0, max: 20 },
      'agents.lenders.count': { min: 1, max: 4 },
      'agents.liquidators.count': { min: 0, max: 4 },
      'agents.funds.count': { min: 0, max: 12 },
      'agents.trend.count': { min: 0, max: 6 },
      'agents.retail.count': { min: 0, max: 40 },
      'agents.lenders.params.policy': { choices: ['volatility', 'fixed', 'countercyclical', 'var'] },
      'agents.lenders.params.h': { min: 0.02, max: 0.6 },
      'agents.lenders.params.a': { min: 10, max: 600 },
      'agents.lenders.params.hMin': { min: 0.01, max: 0.3 },
      'agents.lenders.params.repriceIntervalUs': { min: 1_000_000, max: 60_000_000 },
      'agents.lenders.params.loanReviewIntervalUs': { choices: [0, 5_000_000, 30_000_000] },
      'agents.lenders.params.externalLiabilities': { choices: [0, 1_000_000_000, 1_900_000_000] },
      // minQty ≤ maxQty and shortWindow ≤ longWindow by construction: a crossed pair is refused
      // by the experiment (a located config error) and would only be skipped.
      'agents.noise.params.minQty': { min: 1, max: 5 },
      'agents.noise.params.maxQty': { min: 5, max: 50 },
      'agents.value.params.maxQty': { min: 1, max: 100 },
      'agents.mm.params.qty': { min: 1, max: 200 },
      'agents.mm.params.halfSpreadTicks': { min: 0, max: 10 },
      'agents.mm.params.maxInventory': { min: 1, max: 50_000 },
      'agents.funds.params.beta': { min: 0, max: 100 },
      'agents.funds.params.maxLeverage': { min: 0, max: 20 },
      'agents.trend.params.shortWindow': { min: 1, max: 10 },
      'agents.trend.params.longWindow': { min: 10, max: 60 },
      'agents.retail.params.meetCallProbability': { min: 0, max: 1, integer: false },
      'agents.retail.params.targetLeverage': { min: 1, max: 20 },
      'agents.trend.params.targetLeverage': { min: 0, max: 20 },
      'agents.liquidators.params.slices': { min: 1, max: 5 },
      'agents.liquidators.params.orderType': { choices: ['market', 'limit-ioc'] },
      'credit.policy': { choices: ['aave', 'broker'] },
      'credit.closeFactor': { min: 0.1, max: 1 },
      'credit.liquidationBonus': { min: 0, max: 0.2 },
      'credit.gracePeriod': { min: 0, max: 60_000_000 },
      'latency.us': { min: 1, max: 5_000 },
      'fees.takerBps': { min: 0, max: 10 },
      'interventions.0.event.size': { min: -3_000, max: 0, shrinkTowards: 'max' },
      'interventions.0.at': { min: 0, max: h },
      'interventions.1.event.qty': { min: 1, max: 50_000 },
      'interventions.1.at': { min: 0, max: h },
      'interventions.2.event.add': { min: -0.5, max: 0.5 },
      'interventions.3.at': { min: 0, max: h },
      'interventions.4.at': { min: 0, max: h },
      'instruments.ABC.fundamental.jumps.mean': { min: -1_000, max: 0, shrinkTowards: 'max' },
      'instruments.ABC.fundamental.jumps.ratePerSecond': { min: 0, max: 0.05 },
    },
    properties: ['invariants'],
  };
}

/** The spec of the long fuzz. */
export function stackSpec(runs: number, seed: number, horizonSeconds: number): FuzzSpec {
  return fuzzSpecOf(stackBase(horizonSeconds), stackSection(runs, seed, horizonSeconds));
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} ${process.argv[i + 1]}: expected a positive number`);
  return v;
}

async function main(): Promise<number> {
  const runs = option('runs', 300);
  const seed = option('seed', 1);
  const horizon = option('horizon', 300);
  const timeout = process.argv.includes('--timeout') ? option('timeout', 0) : undefined;
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex < 0 ? join('out', 'fuzz', 'fuzz-long') : (process.argv[outIndex + 1] as string);
  const spec = stackSpec(runs, seed, horizon);
  const started = process.hrtime.bigint();
  let lastPrint = started;
  console.error(`fuzz-long: ${runs} scenarios of ${horizon} s over ${spec.space.length} parameters of the leverage preset, invariants after every delivery (seed ${seed})`);
  const report = await runFuzz(spec, {
    ...(timeout !== undefined && { timeoutSeconds: timeout }),
    onProgress: (p) => {
      const now = process.hrtime.bigint();
      if (p.failed !== null && p.failures === 1) console.error(`  scenario ${p.runs} fails ${p.failed.property}: ${p.failed.measured}; shrinking…`);
      if (now - lastPrint < 10_000_000_000n) return;
      lastPrint = now;
      console.error(`  ${p.runs} scenarios, ${p.failures} failures${p.skipped > 0 ? `, ${p.skipped} skipped` : ''}`);
    },
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const written = writeFuzzOutputs(report, spec, out);
  console.log(`scenarios run: ${report.runs} (${report.searchRuns} searched${report.skipped > 0 ? `, ${report.skipped} skipped` : ''})${report.interrupted ? ' — stopped by --timeout' : ''}`);
  console.log(`total events:  ${report.events.toLocaleString('en-US')} (${wall.toFixed(1)} s wall, ${Math.round(report.events / wall).toLocaleString('en-US')} events/s)`);
  console.log(`failures:      ${report.failures}${report.counterexample === null ? '' : ` (shrunk in ${report.shrinkSteps} steps)`}`);
  if (report.firstSkipReason !== null) console.log(`first skipped: ${report.firstSkipReason}`);
  const c = report.counterexample;
  if (c !== null) {
    console.log(`FAILED ${c.verdict.property}: ${c.verdict.measured}`);
    for (const [k, v] of Object.entries(c.values)) console.log(`  ${k}: ${JSON.stringify(v)}`);
    console.log(`counterexample: ${written.counterexample}`);
    console.log(`replay: node dist/bench/fuzz-long.js --runs ${runs} --seed ${seed} --horizon ${horizon} (fast-check path ${report.path})`);
  }
  console.log(`report: ${written.report}`);
  return c === null ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exitCode = 2;
    },
  );
}
