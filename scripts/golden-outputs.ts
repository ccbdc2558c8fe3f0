/**
 * Golden outputs: the SHA-256 of every file a run writes (all but
 * `timing.json`, the only one that depends on the machine) for every shipped
 * experiment at two seeds. Recorded before a refactoring and checked after
 * it, they prove that behaviour did not change, byte for byte.
 *
 *   npm run golden -- check            # full horizons up to 20 days (about 10 minutes)
 *   npm run golden -- record           # rewrite test/golden/outputs.json
 *   npm run golden -- check --horizon 25m --file test/golden/outputs-25m.json
 *
 * The test suite checks the 25-minute file (test/golden.test.ts).
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { parseDuration } from '../src/experiment/config/duration.js';
import { loadExperiment } from '../src/experiment/config/load-config.js';

/** Every experiment in `experiments/`, each at these seeds. */
export const GOLDEN_SEEDS = [1, 2] as const;

/**
 * Runs longer than this are cut to it: the year-long flagship and control
 * would add twenty minutes, and their first twenty days exercise every
 * mechanism their year does (the `year` benchmark runs the whole year).
 */
export const GOLDEN_MAX_HORIZON = '20d';

/** file name → SHA-256 (hex), per run `<experiment>@<seed>`, with the run id and the final state hash (from timing.json). */
export type GoldenOutputs = Record<string, { runId: string; stateHash: string; files: Record<string, string> }>;

/** The repository root, whether this runs from `scripts/` (vitest) or `dist/scripts/`. */
export function repoRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes(`${join('dist', 'scripts')}`) ? join(here, '..', '..') : join(here, '..');
}

/**
 * Runs every shipped experiment at {@link GOLDEN_SEEDS} (with `horizon`
 * overriding each file's when given, else cut to {@link GOLDEN_MAX_HORIZON})
 * and hashes what each run writes.
 */
export async function goldenOutputs(horizon: string | null): Promise<GoldenOutputs> {
  const base = repoRoot();
  const scratch = mkdtempSync(join(tmpdir(), 'levsim-golden-'));
  const errors: string[] = [];
  const quiet: Io = { out: () => undefined, err: (l) => errors.push(l), tty: false };
  const result: GoldenOutputs = {};
  const maxUs = (parseDuration(GOLDEN_MAX_HORIZON) as { us: number }).us;
  try {
    const files = readdirSync(join(base, 'experiments')).filter((f) => f.endsWith('.yaml')).sort();
    for (const file of files) {
      for (const seed of GOLDEN_SEEDS) {
        const out = join(scratch, `${file}@${seed}`);
        const args = ['run', join(base, 'experiments', file), '--seed', String(seed), '--out', out, '--quiet'];
        const cut = horizon ?? (loadExperiment(join(base, 'experiments', file)).config.horizonUs > maxUs ? GOLDEN_MAX_HORIZON : null);
        if (cut !== null) args.push('--set', `horizon=${cut}`);
        const code = await main(args, quiet);
        if (code !== 0) throw new Error(`levsim ${args.join(' ')} exited ${code}: ${errors.join('; ')}`);
        const [name] = readdirSync(out);
        const [runId] = readdirSync(join(out, name as string));
        const runDir = join(out, name as string, runId as string);
        const hashes: Record<string, string> = {};
        for (const f of readdirSync(runDir).sort()) {
          if (f === 'timing.json') continue;
          hashes[f] = createHash('sha256').update(readFileSync(join(runDir, f))).digest('hex');
        }
        const { stateHash } = JSON.parse(readFileSync(join(runDir, 'timing.json'), 'utf8')) as { stateHash: string };
        result[`${file}@${seed}`] = { runId: runId as string, stateHash, files: hashes };
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

/**
 * The runs and files whose hashes differ between `want` and `got`, one line
 * each: a recorded file missing or changed, a run id or state hash changed.
 * A file the recording does not have is an addition, not a difference (a new
 * output table leaves every recorded byte as it was): see {@link goldenAdditions}.
 */
export function goldenDifferences(want: GoldenOutputs, got: GoldenOutputs): string[] {
  const lines: string[] = [];
  for (const run of new Set([...Object.keys(want), ...Object.keys(got)])) {
    const a = want[run];
    const b = got[run];
    if (a === undefined || b === undefined) {
      lines.push(`${run}: ${a === undefined ? 'not recorded' : 'not run'}`);
      continue;
    }
    if (a.runId !== b.runId) lines.push(`${run}: run id ${a.runId} → ${b.runId} (the resolved config changed)`);
    if (a.stateHash !== b.stateHash) lines.push(`${run}: state hash ${a.stateHash} → ${b.stateHash}`);
    for (const f of Object.keys(a.files)) {
      if (b.files[f] === undefined) lines.push(`${run}: ${f} not written`);
      else if (a.files[f] !== b.files[f]) lines.push(`${run}: ${f} differs`);
    }
  }
  return lines;
}

/** Files written now that the recording does not have, each with the number of runs that wrote it. */
export function goldenAdditions(want: GoldenOutputs, got: GoldenOutputs): Map<string, number> {
  const added = new Map<string, number>();
  for (const [run, b] of Object.entries(got)) {
    const a = want[run];
    if (a === undefined) continue;
    for (const f of Object.keys(b.files)) if (a.files[f] === undefined) added.set(f, (added.get(f) ?? 0) + 1);
  }
  return added;
}

async function cli(argv: readonly string[]): Promise<number> {
  const mode = argv[0];
  const flag = (name: string): string | null => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] ?? null) : null;
  };
  if (mode !== 'record' && mode !== 'check') {
    process.stderr.write('usage: npm run golden -- record|check [--horizon DURATION] [--file PATH]\n');
    return 2;
  }
  const horizon = flag('--horizon');
  const file = join(repoRoot(), flag('--file') ?? join('test', 'golden', 'outputs.json'));
  const got = await goldenOutputs(horizon);
  if (mode === 'record') {
    writeFileSync(file, `${JSON.stringify(got, null, 1)}\n`);
    process.stdout.write(`recorded ${Object.keys(got).length} runs → ${file}\n`);
    return 0;
  }
  const want = JSON.parse(readFileSync(file, 'utf8')) as GoldenOutputs;
  const diff = goldenDifferences(want, got);
  for (const line of diff) process.stdout.write(`${line}\n`);
  for (const [f, runs] of goldenAdditions(want, got)) process.stdout.write(`new file ${f} in ${runs} runs (not in the recording; \`record\` adds it)\n`);
  process.stdout.write(diff.length === 0 ? `all ${Object.keys(got).length} runs byte-identical to ${file}\n` : `${diff.length} differences\n`);
  return diff.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await cli(process.argv.slice(2));
}
