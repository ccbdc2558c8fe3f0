/**
 * Checks the shipped market against issue 12's targets on the no-leverage
 * control: runs `experiments/no-leverage.yaml` and `experiments/impact-probe.yaml`
 * over seeds (a sweep each, resumable: an interrupted check picks up where
 * it stopped), then prints each target's mean, spread and range over the
 * seeds beside its bound, and whether every seed meets it. The bounds are
 * checks on the mechanism, not numbers anything was tuned to. Both run five
 * trading days, as issue 12 measures the market (the control's own horizon
 * is the flagship's year).
 *
 *   npm run targets -- [--seeds 10] [--out out/targets] [--workers 2] [--set path=value]...
 *
 * `--set` changes both experiments alike (a variant of the market checked
 * against the same targets).
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { repoRoot } from './golden-outputs.js';
import { option, setArgs } from './script-args.js';

type Json = Record<string, unknown>;

function field(o: unknown, path: string): number {
  let x: unknown = o;
  for (const k of path.split('.')) x = typeof x === 'object' && x !== null ? (x as Json)[k] : undefined;
  return typeof x === 'number' ? x : Number.NaN;
}

/** Each run's summary.json and timing.json in a sweep's output folder, by seed. */
function runsOf(dir: string): { seed: number; summary: Json; timing: Json }[] {
  const runs: { seed: number; summary: Json; timing: Json }[] = [];
  for (const name of readdirSync(dir)) {
    const base = join(dir, name);
    for (const id of readdirSync(base)) {
      const summaryFile = join(base, id, 'summary.json');
      if (!existsSync(summaryFile)) continue;
      const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Json;
      const timing = JSON.parse(readFileSync(join(base, id, 'timing.json'), 'utf8')) as Json;
      runs.push({ seed: field(summary, 'seed'), summary, timing });
    }
  }
  return runs.sort((a, b) => a.seed - b.seed);
}

interface Target {
  readonly label: string;
  /** The per-seed value. */
  readonly value: (r: { summary: Json; timing: Json }) => number;
  /** Whether one seed passes, and whether the mean over seeds passes. */
  readonly seedOk: (v: number) => boolean;
  readonly meanOk: (m: number) => boolean;
  readonly bound: string;
}

const impactAt = (s: Json, k: number): Json | undefined => {
  const points = (s.facts as Json | undefined)?.impact;
  return Array.isArray(points) ? (points[k] as Json | undefined) : undefined;
};

/** The probe sizes Q (lots) that have a 16 Q size beside them, smallest first. */
function concavitySizes(s: Json): number[] {
  const points = (s.facts as Json | undefined)?.impact;
  if (!Array.isArray(points)) return [];
  const qs = (points as Json[]).map((p) => field(p, 'qty'));
  return qs.filter((q) => qs.includes(16 * q)).sort((a, b) => a - b);
}

/** impact(16 Q) / impact(Q) at probe size `q`, 1 s after (`meanImpact`) or right after (`meanImmediateImpact`). */
function concavity(s: Json, q: number, which = 'meanImpact'): number {
  const points = ((s.facts as Json | undefined)?.impact ?? []) as Json[];
  const at = (x: number) => field(points.find((p) => field(p, 'qty') === x), which);
  return at(16 * q) / at(q);
}

/** The largest share of probes that emptied the side they hit, over the sizes of at most 1 % of a day's volume. */
function worstEmptied(s: Json): number {
  const daily = field(s, 'facts.microstructure.dailyVolume');
  let worst = Number.NaN;
  for (let k = 0; impactAt(s, k) !== undefined; k++) {
    if (!(field(impactAt(s, k), 'qty') <= 0.01 * daily)) continue;
    const e = field(impactAt(s, k), 'emptiedShare');
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

const CONTROL: readonly Target[] = [
  { label: '|ACF r(1)| at 1 min', value: (r) => Math.abs(field(r.summary, 'facts.intervals.1m.acf1')), seedOk: (v) => v <= 0.15, meanOk: (m) => m <= 0.05, bound: 'mean ≤ 0.05, each ≤ 0.15' },
  { label: '|ACF r(1)| at 5 min', value: (r) => Math.abs(field(r.summary, 'facts.intervals.5m.acf1')), seedOk: (v) => v <= 0.15, meanOk: (m) => m <= 0.05, bound: 'mean ≤ 0.05, each ≤ 0.15' },
  { label: 'VR(15 min / 1 min)', value: (r) => field(r.summary, 'facts.varianceRatio.value'), seedOk: (v) => v >= 0.8 && v <= 1.25, meanOk: (m) => m >= 0.8 && m <= 1.25, bound: 'in [0.8, 1.25]' },
  { label: 'median quoted spread, ticks', value: (r) => field(r.summary, 'facts.microstructure.spreadTicks.median'), seedOk: (v) => v <= 5, meanOk: (m) => m <= 5, bound: '≤ 5' },
  { label: 'share of samples with a side empty', value: (r) => field(r.summary, 'facts.microstructure.oneSidedShare'), seedOk: (v) => v < 0.001, meanOk: (m) => m < 0.001, bound: '< 0.1 %' },
  { label: 'sd(mid) / sd(fundamental), 5 min', value: (r) => field(r.summary, 'facts.volRatio5m'), seedOk: (v) => v >= 0.8 && v <= 3, meanOk: (m) => m >= 0.8 && m <= 3, bound: 'in [0.8, 3]' },
  { label: 'excess kurtosis, 5 min (reported, no bound)', value: (r) => field(r.summary, 'facts.intervals.5m.excessKurtosis'), seedOk: () => true, meanOk: () => true, bound: '—' },
  { label: 'ACF |r|(1), 5 min (reported, no bound)', value: (r) => field(r.summary, 'facts.intervals.5m.absAcf.1'), seedOk: () => true, meanOk: () => true, bound: '—' },
  { label: 'wall time per simulated day, s', value: (r) => field(r.timing, 'wallSeconds') / Math.max(1, field(r.summary, 'facts.sessions')), seedOk: () => true, meanOk: () => true, bound: '(flagship ≤ 1.2: npm run bench)' },
];

/**
 * The probe's targets: the emptied share, and impact(16 Q) / impact(Q) at
 * every Q with a 16 Q size beside it (the bound holds for every such
 * pair; the experiment's sizes lie within 0.01 % to 1 % of a day's volume).
 */
function probeTargets(sizes: readonly number[]): Target[] {
  const targets: Target[] = [
    { label: 'probes of ≤ 1 % of daily volume that emptied a side (worst size)', value: (r) => worstEmptied(r.summary), seedOk: (v) => v === 0, meanOk: (m) => m === 0, bound: '0' },
  ];
  for (const q of sizes) {
    const value = (r: { summary: Json }) => concavity(r.summary, q);
    targets.push({ label: `impact(16 Q) / impact(Q), Q = ${q} lots`, value, seedOk: (v) => v >= 2 && v <= 8, meanOk: (m) => m >= 2 && m <= 8, bound: 'in [2, 8] (√ law: 4)' });
    const immediate = (r: { summary: Json }) => concavity(r.summary, q, 'meanImmediateImpact');
    targets.push({ label: `… right after the order (the book's static response; reported)`, value: immediate, seedOk: () => true, meanOk: () => true, bound: '—' });
  }
  targets.push({ label: `share of daily volume of the smallest and largest probes (reported)`, value: (r) => sizeShare(r.summary, 0), seedOk: () => true, meanOk: () => true, bound: '—' });
  targets.push({ label: `… largest`, value: (r) => sizeShare(r.summary, -1), seedOk: () => true, meanOk: () => true, bound: '—' });
  return targets;
}

/** The smallest (k = 0) or largest (k = −1) probe size as a share of the run's daily volume. */
function sizeShare(s: Json, k: number): number {
  const points = ((s.facts as Json | undefined)?.impact ?? []) as Json[];
  const p = k < 0 ? points[points.length + k] : points[k];
  return field(p, 'qty') / field(s, 'facts.microstructure.dailyVolume');
}

function describe(values: number[]): { mean: number; sd: number; min: number; max: number } {
  const ok = values.filter(Number.isFinite);
  const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
  const sd = Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, ok.length - 1));
  return { mean, sd, min: Math.min(...ok), max: Math.max(...ok) };
}

const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(4)) : '—');

function report(title: string, targets: readonly Target[], runs: { seed: number; summary: Json; timing: Json }[], out: (l: string) => void): boolean {
  out(`${title}: ${runs.length} seeds (${runs.map((r) => r.seed).join(', ')})`);
  let all = true;
  for (const t of targets) {
    const values = runs.map((r) => t.value(r));
    const d = describe(values);
    const failing = runs.filter((_, i) => !(Number.isFinite(values[i]) && t.seedOk(values[i] as number))).map((r) => r.seed);
    const ok = failing.length === 0 && t.meanOk(d.mean);
    if (!ok) all = false;
    const why = failing.length === 0 ? '' : ` (seeds ${failing.join(', ')} outside)`;
    out(`  ${ok ? 'pass' : 'FAIL'}  ${t.label}: ${fmt(d.mean)} ± ${fmt(d.sd)} [${fmt(d.min)}, ${fmt(d.max)}]  target ${t.bound}${why}`);
  }
  return all;
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const seeds = option(args, '--seeds', '10');
  const out = option(args, '--out', 'out/targets');
  const workers = option(args, '--workers', '2');
  const io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), tty: false };
  const root = repoRoot();
  const dirs: Record<string, string> = {};
  for (const name of ['no-leverage', 'impact-probe']) {
    const dir = join(out, name);
    dirs[name] = dir;
    const fixed = ['--set', `seeds=${seeds}`, '--set', 'horizon=5d', ...setArgs(args).flatMap((a) => ['--set', a])];
    const code = await main(['sweep', join(root, 'experiments', `${name}.yaml`), ...fixed, '--out', dir, '--workers', workers, '--quiet'], io);
    if (code !== 0) return code;
  }
  const a = report('no-leverage control', CONTROL, runsOf(dirs['no-leverage'] as string), io.out);
  const probeRuns = runsOf(dirs['impact-probe'] as string);
  const sizes = probeRuns[0] === undefined ? [] : concavitySizes(probeRuns[0].summary);
  const b = report('impact probe on the control', probeTargets(sizes), probeRuns, io.out);
  io.out(a && b ? 'all targets met' : 'some targets not met (FAIL above)');
  return a && b ? 0 : 1;
}

process.exitCode = await run();
