/**
 * Evidence for the "Leverage" issue: runs the leverage presets over seeds,
 * sequentially, and prints per-policy statistics (mean ± sd over seeds) and
 * the raw per-run figures as JSON. Not part of the tests.
 *
 *   npx tsc -p tsconfig.build.json
 *   node dist/bench/evidence.js [--policies procyclical,none] [--seeds 10] [--first 1] [--json out.json]
 *
 * Policies: procyclical (leverageCycleExperiment), none (noLeverageExperiment),
 * fixed, countercyclical (policyComparison), cascade (cascadeExperiment).
 * Everything is measured on the sampled series and the reconstructed
 * cascade table of each run; nothing is tuned here.
 */
import { writeFileSync } from 'node:fs';
import type { ExperimentConfig } from '../src/experiment/config/experiment-config.js';
import { cascadeExperiment, policyComparison } from '../src/experiment/config/defaults.js';
import { runExperiment } from '../src/experiment/run/run.js';
import { corrLaggedRange } from '../src/stats/correlation.js';
import { mean, std } from '../src/stats/moments.js';

const LAGS = 10;

type Policy = 'procyclical' | 'none' | 'fixed' | 'countercyclical' | 'cascade';

function configOf(policy: Policy, seed: number): ExperimentConfig {
  if (policy === 'cascade') return cascadeExperiment(seed);
  return policyComparison(seed)[policy];
}

/** The figures of one run. */
interface RunEvidence {
  policy: Policy;
  seed: number;
  wallSeconds: number;
  cycles: number;
  meanLeverage: number;
  maxLeverage: number;
  /** corr(leverage_t, realised vol_{t−k}), k = 1..LAGS samples. */
  corrLevVol: number[];
  liquidations: number;
  cascades: number;
  /** Cascades of more than one liquidation. */
  multiCascades: number;
  largestCascade: number;
  maxDepth: number;
  /** Cascade size → count. */
  sizeDistribution: Record<string, number>;
  excessKurtosis: number;
  hillTailIndex: number;
  returnStd: number;
  minMidOverFundamental: number;
  maxMidOverFundamental: number;
  badDebt: number;
  borrowerDefaults: number;
  lenderDefaults: number;
  invariantViolations: number;
}

function evidenceOf(policy: Policy, seed: number): RunEvidence {
  const r = runExperiment(configOf(policy, seed));
  const ts = r.timeseries;
  const corr = corrLaggedRange(ts.aggregateLeverage, ts.realizedVol, 1, LAGS).map((c) => c.corr);
  const sizes = r.cascades.liquidations;
  const dist: Record<string, number> = {};
  for (const s of sizes) dist[s] = (dist[s] ?? 0) + 1;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ts.mid.length; i++) {
    const x = (ts.mid[i] as number) / (ts.fundamental[i] as number);
    if (Number.isFinite(x)) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  const s = r.summary;
  return {
    policy,
    seed,
    wallSeconds: r.timing.wallSeconds,
    cycles: s.leverage.cycles,
    meanLeverage: s.leverage.mean,
    maxLeverage: s.leverage.max,
    corrLevVol: corr,
    liquidations: r.liquidations.timeUs.length,
    cascades: sizes.length,
    multiCascades: sizes.filter((x) => x > 1).length,
    largestCascade: sizes.length === 0 ? 0 : Math.max(...sizes),
    maxDepth: r.cascades.depth.length === 0 ? 0 : Math.max(...r.cascades.depth),
    sizeDistribution: dist,
    excessKurtosis: s.returns.excessKurtosis,
    hillTailIndex: s.returns.hillTailIndex,
    returnStd: s.returns.std,
    minMidOverFundamental: lo,
    maxMidOverFundamental: hi,
    badDebt: s.badDebt,
    borrowerDefaults: s.defaults.borrowers,
    lenderDefaults: s.defaults.lenders,
    invariantViolations: s.invariants.violations,
  };
}

function meanSd(xs: readonly number[]): string {
  const v = xs.filter((x) => Number.isFinite(x));
  if (v.length === 0) return 'n/a';
  const m = mean(v);
  const sd = v.length > 1 ? std(v) : 0;
  const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));
  return `${f(m)} ± ${f(sd)}${v.length < xs.length ? ` (n=${v.length})` : ''}`;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? (process.argv[i + 1] as string) : fallback;
}

function main(): void {
  const policies = arg('policies', 'procyclical,none').split(',') as Policy[];
  const seeds = Number(arg('seeds', '10'));
  const first = Number(arg('first', '1'));
  const out = arg('json', '');
  const runs: RunEvidence[] = [];
  for (const policy of policies) {
    for (let seed = first; seed < first + seeds; seed++) {
      const e = evidenceOf(policy, seed);
      runs.push(e);
      process.stderr.write(`${policy} seed ${seed}: ${e.wallSeconds.toFixed(1)} s, ${e.liquidations} liquidations, ${e.cascades} cascades (largest ${e.largestCascade}), ${e.cycles} cycles\n`);
    }
  }
  const rows: [string, (e: RunEvidence) => number][] = [
    ['leverage cycles', (e) => e.cycles],
    ['mean leverage', (e) => e.meanLeverage],
    ['max leverage', (e) => e.maxLeverage],
    ...Array.from({ length: LAGS }, (_, k) => [`corr(lev_t, vol_t-${k + 1})`, (e: RunEvidence) => e.corrLevVol[k] as number] as [string, (e: RunEvidence) => number]),
    ['liquidations', (e) => e.liquidations],
    ['cascades', (e) => e.cascades],
    ['cascades of size > 1', (e) => e.multiCascades],
    ['largest cascade', (e) => e.largestCascade],
    ['max cascade depth', (e) => e.maxDepth],
    ['excess kurtosis (30 s)', (e) => e.excessKurtosis],
    ['Hill tail index', (e) => e.hillTailIndex],
    ['return sd (30 s)', (e) => e.returnStd],
    ['min mid / V', (e) => e.minMidOverFundamental],
    ['max mid / V', (e) => e.maxMidOverFundamental],
    ['bad debt (cents)', (e) => e.badDebt],
    ['borrower defaults', (e) => e.borrowerDefaults],
    ['lender defaults', (e) => e.lenderDefaults],
    ['invariant violations', (e) => e.invariantViolations],
  ];
  const header = ['statistic', ...policies];
  const table = rows.map(([name, f]) => [name, ...policies.map((p) => meanSd(runs.filter((e) => e.policy === p).map(f)))]);
  const dists = policies.map((p) => {
    const d: Record<string, number> = {};
    for (const e of runs.filter((r) => r.policy === p)) for (const [k, v] of Object.entries(e.sizeDistribution)) d[k] = (d[k] ?? 0) + v;
    return d;
  });
  table.push(['cascade sizes (pooled size:count)', ...dists.map((d) => Object.entries(d).map(([k, v]) => `${k}:${v}`).join(' ') || '-')]);
  const widths = header.map((_, j) => Math.max(...[header, ...table].map((r) => (r[j] as string).length)));
  const line = (r: string[]) => r.map((c, j) => c.padEnd(widths[j] as number)).join(' | ');
  console.log(`${seeds} seeds (${first}..${first + seeds - 1}) per policy; mean ± sd over seeds\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of table) console.log(line(r));
  const json = JSON.stringify({ seeds, first, policies, runs }, null, 0);
  if (out !== '') writeFileSync(out, json);
  else console.log(`\n${json}`);
}

main();
