/**
 * The README's Thurner, Farmer & Geanakoplos (2012) table: runs the λ_max
 * sweep of `experiments/tfg-2012.yaml` (resumable: an interrupted table
 * picks up where it stopped), then prints, for each λ_max = 1/h, the
 * statistics of the per-period log returns (the last price at each period's
 * end, the first 10 % of periods dropped as burn-in) beside what the paper
 * reports: excess kurtosis, Hill tail index on the largest 5 % of |r|
 * (FACTS.md), the autocorrelation of |r| at lags 1, 10 and 100, the
 * extremes (the 0.1 % quantile of r and the worst period), and the
 * funds' bankruptcies and how they cluster (episodes: bankruptcies less
 * than 10 periods apart). Mean ± sd over the seeds, with each seed's value.
 *
 *   npm run tfg -- [--out out/tfg] [--workers 2] [--set path=value]...
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { autocorrelation } from '../src/stats/acf.js';
import { hillTailIndex } from '../src/stats/hill.js';
import { excessKurtosis } from '../src/stats/moments.js';
import { repoRoot } from './golden-outputs.js';
import { option, setArgs } from './script-args.js';

/** Share of the periods dropped at the start: the funds' wealth grows from its start for the first thousand or so. */
const BURN_IN = 0.1;

/** What one run gives the table. */
interface RunStats {
  readonly lambdaMax: number;
  readonly seed: number;
  readonly kurtosis: number;
  readonly hill: number;
  readonly absAcf: readonly [number, number, number];
  /** The 0.1 % quantile of r and its minimum. */
  readonly q001: number;
  readonly worst: number;
  readonly bankruptcies: number;
  readonly episodes: number;
  readonly largestEpisode: number;
}

/** A CSV's rows as records (levsim's own tables: no quoted commas). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = (head as string).split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/** Per-period log returns from a run's time series (its sampling interval is the period). */
function periodReturns(runDir: string): number[] {
  const prices = readCsv(join(runDir, 'timeseries.csv'))
    .map((r) => Number(r.last))
    .filter((p) => p > 0);
  const returns: number[] = [];
  for (let i = 1; i < prices.length; i++) returns.push(Math.log((prices[i] as number) / (prices[i - 1] as number)));
  return returns.slice(Math.floor(returns.length * BURN_IN));
}

function statsOf(sweepDir: string, row: Record<string, string>): RunStats {
  const runDir = join(sweepDir, row.run_id as string);
  const r = periodReturns(runDir);
  const abs = r.map(Math.abs);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { funds: { bankruptcies: number; bankruptcyEpisodes: number; largestBankruptcyEpisode: number } };
  return {
    lambdaMax: 1 / Number(row['agents.bank.params.h']),
    seed: Number(row.seed),
    kurtosis: excessKurtosis(r),
    hill: hillTailIndex(r),
    absAcf: [autocorrelation(abs, 1), autocorrelation(abs, 10), autocorrelation(abs, 100)],
    q001: quantile(r, 0.001),
    worst: Math.min(...r),
    bankruptcies: summary.funds.bankruptcies,
    episodes: summary.funds.bankruptcyEpisodes,
    largestEpisode: summary.funds.largestBankruptcyEpisode,
  };
}

/** The `q` quantile of `x` (the order statistic at ⌊q·(n − 1)⌋). */
function quantile(x: readonly number[], q: number): number {
  const sorted = [...x].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** Mean ± sd over the seeds, then each seed's value. */
function cell(values: readonly number[], digits = 2): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${fmt(mean, digits)} ± ${fmt(sd, digits)} (${values.map((v) => fmt(v, digits)).join(', ')})`;
}

function table(runs: readonly RunStats[], out: (line: string) => void): void {
  const lambdas = [...new Set(runs.map((r) => Math.round(r.lambdaMax * 100) / 100))].sort((a, b) => a - b);
  out('| λ_max | excess kurtosis | Hill (5 %) | ACF \\|r\\| lag 1 | lag 10 | lag 100 | r, 0.1 % quantile | worst r | bankruptcies | episodes (largest) |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const l of lambdas) {
    const at = runs.filter((r) => Math.round(r.lambdaMax * 100) / 100 === l);
    const bankruptcies = at.map((r) => r.bankruptcies).join(', ');
    const episodes = at.map((r) => `${r.episodes} (${r.largestEpisode})`).join(', ');
    out(
      `| ${l} | ${cell(at.map((r) => r.kurtosis))} | ${cell(at.map((r) => r.hill))} | ${cell(at.map((r) => r.absAcf[0]))} | ${cell(at.map((r) => r.absAcf[1]))} | ${cell(at.map((r) => r.absAcf[2]))} | ${cell(at.map((r) => r.q001), 3)} | ${cell(at.map((r) => r.worst), 3)} | ${bankruptcies} | ${episodes} |`,
    );
  }
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const out = option(args, '--out', 'out/tfg');
  const workers = option(args, '--workers', '2');
  const io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), tty: false };
  const sets = setArgs(args).flatMap((a) => ['--set', a]);
  const code = await main(['sweep', join(repoRoot(), 'experiments', 'tfg-2012.yaml'), ...sets, '--out', out, '--workers', workers, '--quiet'], io);
  if (code !== 0) return code;
  const sweepDir = join(out, 'tfg-2012');
  const runs = readCsv(join(sweepDir, 'runs.csv')).map((row) => statsOf(sweepDir, row));
  io.out(`tfg-2012: ${runs.length} runs, per-period log returns after a ${BURN_IN * 100} % burn-in; mean ± sd over seeds (each seed)`);
  table(runs, io.out);
  return 0;
}

process.exitCode = await run();
