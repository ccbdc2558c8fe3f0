#!/usr/bin/env node
/**
 * The `levsim` command.
 *
 * ```
 * levsim run FILE        run one experiment, print its headline statistics
 * levsim sweep FILE      run an experiment's sweep (grid, zip, random × seeds)
 * levsim validate FILE   check an experiment file (and its sweep) without running
 * levsim report DIR      re-render report.html of a run folder or a sweep folder
 * levsim merge DIR...    join the runs tables of sweep shards into one
 * levsim fuzz FILE       search for the smallest scenario that breaks a property
 * ```
 *
 * Exit codes: 0 success; 1 a runtime failure (a failed run, a violated
 * invariant, an output folder that cannot be written); 2 a user error (the
 * experiment file, an option). Every error is one line on stderr, never a stack
 * trace (unless LEVSIM_DEBUG=1).
 *
 * @module
 */

import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, formatPath } from '../experiment/config-error.js';
import type { FuzzFlags } from '../experiment/fuzz.js';
import { buildScenario } from '../experiment/scenario.js';
import { ExperimentError, formatProblem, loadExperiment, type LoadedExperiment } from '../experiment/load-config.js';
import type { ExperimentConfig } from '../experiment/config.js';
import { InvariantViolation, runExperiment, type InvariantChecking, type RunResult } from '../experiment/run.js';
import { mergeRunsTables, runsTablesIn } from '../experiment/runs-table.js';
import { ConfigIssues, hasSweep } from '../experiment/schema.js';
import { OutputError, isCompleteRun, makeDirs, readRunFolder, renderRunReportHtml, writeFileAtomically, writeRunFolder } from '../experiment/sinks.js';
import { describeFailure, expandSweep, parseShard, runIdOf, runSweep, writeSweepReport, type RunEvent } from '../experiment/sweep.js';
import { defaultWorkers } from '../experiment/worker-pool.js';
import { formatDuration } from '../experiment/duration.js';

/** Exit code of user errors (experiment file, options). */
export const EXIT_USAGE = 2;
/** Exit code of runtime failures. */
export const EXIT_FAILURE = 1;

/** Where the command writes; injectable for tests. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal (progress bar). */
  readonly tty: boolean;
}

const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY === true,
};

/** A user error that is not about the experiment file (an option, a folder). */
class UsageError extends Error {}

interface CommonOptions {
  seed?: string;
  out: string;
  set: string[];
  quiet?: boolean;
  checkInvariants: InvariantChecking;
  workers?: string;
  shard?: string;
}

/**
 * Runs the command line `argv` (without `node` and the script) and returns
 * the exit code. Errors are printed as one line each; nothing is thrown.
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return reportError(e, io);
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const program = new Command('levsim')
    .description('Agent-based market simulator of leverage dynamics: leverage cycles, fire sales and liquidation cascades.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(`levsim: ${s.replace(/^error: /, '').replace(/\n$/, '')}`),
    })
    .showSuggestionAfterError(true);

  const seedOpt = () => new Option('--seed <n>', 'master seed (overrides the file)');
  const setOpt = () => new Option('--set <path=value>', 'override a parameter, e.g. agents.noise.params.maxQty=20 (repeatable)').argParser((v: string, prev: string[] = []) => [...prev, v]).default([]);
  const outOpt = () => new Option('--out <dir>', 'output folder').default('out/');
  const quietOpt = () => new Option('--quiet', 'no progress output');
  const invOpt = () => new Option('--check-invariants <when>', 'check ledger and book invariants after every event or at the end').choices(['every', 'end']).default('end');

  program
    .command('run')
    .description('run one experiment and print its headline statistics')
    .argument('<file>', 'experiment YAML file')
    .addOption(seedOpt())
    .addOption(outOpt())
    .addOption(setOpt())
    .addOption(quietOpt())
    .addOption(invOpt())
    .action(async (file: string, opts: CommonOptions) => {
      code = await runCommand(file, opts, io);
    });

  program
    .command('sweep')
    .description('run the sweep of an experiment (grid, zip, random × seeds); resumes an interrupted sweep')
    .argument('<file>', 'experiment YAML file')
    .addOption(seedOpt())
    .addOption(outOpt())
    .addOption(new Option('--workers <n>', 'worker threads (default: available parallelism)'))
    .addOption(new Option('--shard <i/N>', 'run only runs with index % N == i (0-based: 0 ≤ i < N)'))
    .addOption(setOpt())
    .addOption(quietOpt())
    .addOption(invOpt())
    .action(async (file: string, opts: CommonOptions) => {
      code = await sweepCommand(file, opts, io);
    });

  program
    .command('fuzz')
    .description("search a fuzz file's space for the smallest scenario that breaks a property; writes counterexample.yaml and fuzz-report.json")
    .argument('<file>', "fuzz YAML file: an experiment plus a 'fuzz:' section (space, properties)")
    .addOption(new Option('--runs <n>', "scenarios drawn before shrinking (default: the file's fuzz.runs, else 100)"))
    .addOption(new Option('--seed <n>', "fast-check seed (default: the file's fuzz.seed, else 1)"))
    .addOption(new Option('--path <path>', 'replay one counterexample by its fast-check path (with its --seed), e.g. 12:3:0'))
    .addOption(new Option('--timeout <seconds>', 'wall-clock budget of the whole search; stops gracefully and reports what it found'))
    .addOption(new Option('--out <dir>', 'folder of counterexample.yaml and fuzz-report.json (default: out/fuzz/<name>)'))
    .addOption(setOpt())
    .addOption(quietOpt())
    .action(async (file: string, opts: FuzzFlags) => {
      // Loaded on demand: the search machinery is needed by this command only.
      const { fuzzCommand } = await import('../experiment/fuzz.js');
      code = await fuzzCommand(file, opts, io);
    });

  program
    .command('validate')
    .description('check an experiment file and its sweep without running it')
    .argument('<file>', 'experiment YAML file')
    .addOption(seedOpt())
    .addOption(setOpt())
    .action((file: string, opts: CommonOptions) => {
      code = validateCommand(file, opts, io);
    });

  program
    .command('report')
    .description('re-render report.html of a run folder or a sweep folder from its files')
    .argument('<dir>', 'a run folder (with summary.json) or a sweep folder (with runs.csv)')
    .action(async (dir: string) => {
      code = await reportCommand(dir, io);
    });

  program
    .command('merge')
    .description("join sweep shards' runs tables (deduplicated, sorted by run index) into one runs.csv and runs.parquet")
    .argument('<dirs...>', 'sweep folders holding runs.csv or runs.shard-*.csv')
    .addOption(new Option('--out <dir>', 'where to write runs.csv (default: the first folder)'))
    .action((dirs: string[], opts: { out?: string }) => {
      const out = opts.out ?? dirs[0]!;
      const merged = mergeRunsTables(dirs, out);
      io.out(`merged ${merged.inputs} runs table${merged.inputs === 1 ? '' : 's'}: ${merged.rows} runs → ${merged.path}`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      return EXIT_USAGE;
    }
    throw e;
  }
  return code;
}

// ---------------------------------------------------------------------------
// Commands.

/** Runs `fn`; a ConfigError it throws (found past the loader) is located in the file. */
function located<T>(loaded: LoadedExperiment, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw new ExperimentError([{ where: loaded.locate(e.path), path: formatPath(e.path), message: e.problem }]);
    throw e;
  }
}

function agentCount(config: ExperimentConfig): number {
  return config.agents.reduce((n, g) => n + g.count, 0);
}

function load(file: string, opts: CommonOptions): LoadedExperiment {
  return loadExperiment(file, { sets: opts.set, ...(opts.seed !== undefined && { seed: parseSeed(opts.seed) }) });
}

async function runCommand(file: string, opts: CommonOptions, io: Io): Promise<number> {
  const loaded = load(file, opts);
  const { config } = loaded;
  if (hasSweep(loaded.sweep) && opts.quiet !== true) io.err(`levsim: note: ${file} has a sweep; 'run' runs its base config only (use 'levsim sweep')`);
  const runId = runIdOf(config);
  const expDir = join(opts.out, config.name);
  ensureWritableDir(expDir);
  const runDir = join(expDir, runId);
  if (opts.quiet !== true) io.err(`levsim: running ${config.name} (seed ${config.seed}, ${agentCount(config)} agents, ${formatDuration(config.horizonUs)} simulated)…`);
  const result = located(loaded, () => runExperiment(config, { checkInvariants: opts.checkInvariants }));
  await writeRunFolder(result, runDir, { replace: true });
  printHeadline(result, runId, io);
  io.out(`report: ${join(runDir, 'report.html')}`);
  const violations = result.summary.invariants.violations;
  if (violations > 0) {
    io.err(`levsim: ${violations} invariant violation${violations === 1 ? '' : 's'}: ${result.summary.invariants.problems[0] ?? ''}`);
    return EXIT_FAILURE;
  }
  return 0;
}

async function sweepCommand(file: string, opts: CommonOptions, io: Io): Promise<number> {
  const workers = opts.workers === undefined ? defaultWorkers() : parsePositiveInt('--workers', opts.workers);
  const shard = opts.shard === undefined ? null : parseShard(opts.shard);
  const loaded = load(file, opts);
  const variants = expandSweep(loaded.config, loaded.sweep);
  const sweepDir = join(opts.out, loaded.config.name);
  ensureWritableDir(sweepDir);
  const progress = progressReporter(io, opts.quiet === true);
  const outcome = await runSweep(variants, loaded.sweep, {
    sweepDir,
    workers,
    shard,
    checkInvariants: opts.checkInvariants,
    onStart: (info) => progress.start(info.total, info.skipped, info.executor === 'threads' ? `${info.concurrency} worker threads` : 'in-process'),
    onRun: (event) => progress.update(event),
  });
  progress.stop();
  const shardText = shard === null ? '' : ` (shard ${shard.index}/${shard.count} of ${variants.length})`;
  io.out(`sweep ${loaded.config.name}: ${outcome.total} runs${shardText}: ${outcome.ran} ran, ${outcome.skipped} already complete, ${outcome.failures.length} failed`);
  io.out(`runs table: ${outcome.tablePath}`);
  if (shard === null) io.out(`report: ${join(sweepDir, 'report.html')}`);
  if (outcome.failures.length > 0) {
    for (const f of outcome.failures.slice(0, 5)) io.err(`levsim: ${describeFailure(f)}`);
    if (outcome.failures.length > 5) io.err(`levsim: … and ${outcome.failures.length - 5} more failed runs`);
    return EXIT_FAILURE;
  }
  return 0;
}

function validateCommand(file: string, opts: CommonOptions, io: Io): number {
  const loaded = load(file, opts);
  const variants = expandSweep(loaded.config, loaded.sweep);
  const c = loaded.config;
  // Building the scenario checks what only the agent registry and the
  // interventions know (agent parameters, live paths), without running it.
  located(loaded, () => buildScenario(c));
  const agents = agentCount(c);
  io.out(`${file}: ok: ${c.name}: ${agents} agents in ${c.agents.length} group${c.agents.length === 1 ? '' : 's'}, ${c.instruments.length} instrument${c.instruments.length === 1 ? '' : 's'}, ${formatDuration(c.horizonUs)} horizon, ${variants.length} run${variants.length === 1 ? '' : 's'}`);
  return 0;
}

async function reportCommand(dir: string, io: Io): Promise<number> {
  if (isCompleteRun(dir)) {
    const data = readRunFolder(dir);
    const path = join(dir, 'report.html');
    writeFileAtomically(path, await renderRunReportHtml(data));
    io.out(`report: ${path}`);
    return 0;
  }
  let tables: string[] = [];
  try {
    tables = runsTablesIn(dir);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
  }
  if (tables.length === 0) throw new UsageError(`${dir}: neither a run folder (no summary.json) nor a sweep folder (no runs.csv)`);
  io.out(`report: ${await writeSweepReport(dir)}`);
  return 0;
}

// ---------------------------------------------------------------------------
// Output.

function printHeadline(result: RunResult, runId: string, io: Io): void {
  const s = result.summary;
  const t = result.timing;
  const r = s.returns;
  const rows: [string, string][] = [
    ['events', `${fmt(s.events)}  (${fmt(Math.round(t.eventsPerSecond))}/s, ${t.wallSeconds.toFixed(1)} s)`],
    ['trades', `${fmt(s.trades)}  (volume ${fmt(s.volume)} lots)`],
    ['return sd', fmt(r.std)],
    ['excess kurtosis', fmt(r.excessKurtosis)],
    ['Hill tail index', fmt(r.hillTailIndex)],
    ['acf |r| lag 1', fmt(r.absAcf[0] ?? Number.NaN)],
    ['leverage mean/max', `${fmt(s.leverage.mean)} / ${fmt(s.leverage.max)}  (${fmt(s.leverage.cycles)} cycles)`],
    ['cascades', `${fmt(s.cascades.count)}  (largest ${fmt(s.cascades.maxLiquidations)} liquidations)`],
    ['defaults', `${fmt(s.defaults.borrowers)} borrowers, ${fmt(s.defaults.lenders)} lenders`],
    ['bad debt', fmt(s.badDebt)],
    ['invariants', `${fmt(s.invariants.checks)} checks, ${fmt(s.invariants.violations)} violations`],
  ];
  io.out(`${result.config.name}  run ${runId}  seed ${result.config.seed}`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) io.out(`  ${k.padEnd(width)}  ${v}`);
}

/** Numbers for people: integers with separators, others with 4 significant digits, NaN as '—'. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '—' : x > 0 ? '∞' : '-∞';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}

interface Progress {
  start(total: number, skipped: number, how: string): void;
  update(event: RunEvent): void;
  stop(): void;
}

/** A progress bar with ETA on a terminal; one line per finished run otherwise; nothing with --quiet. */
function progressReporter(io: Io, quiet: boolean): Progress {
  let bar: SingleBar | null = null;
  let done = 0;
  let total = 0;
  let failed = 0;
  return {
    start(n, skipped, how) {
      total = n;
      if (quiet) return;
      io.err(`levsim: ${n} runs (${skipped} already complete) on ${how}`);
      if (io.tty) {
        bar = new SingleBar({ stream: process.stderr, format: 'levsim |{bar}| {value}/{total} runs | {percentage}% | ETA {eta_formatted} | {failed} failed', hideCursor: true, etaBuffer: 16, clearOnComplete: false });
        bar.start(n, 0, { failed: 0 });
      }
    },
    update(event) {
      done++;
      if (event.kind === 'failed') failed++;
      if (quiet) return;
      if (bar !== null) {
        bar.update(done, { failed });
        return;
      }
      const v = event.variant;
      const what = event.kind === 'skipped' ? 'already complete' : event.kind === 'done' ? `done in ${event.wallSeconds.toFixed(1)} s (${fmt(event.events)} events)` : `FAILED: ${event.message}`;
      io.err(`levsim: [${done}/${total}] run ${v.index} ${v.runId} seed ${v.seed}: ${what}`);
    },
    stop() {
      bar?.stop();
    },
  };
}

// ---------------------------------------------------------------------------
// Options and errors.

function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`--seed ${text}: expected a whole number ≥ 0`);
  return n;
}

function parsePositiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n < 1 || n > 1024) throw new UsageError(`${flag} ${text}: expected a whole number from 1 to 1024`);
  return n;
}

/** Creates the folder if needed and checks that it can be written, before hours of simulation. */
function ensureWritableDir(dir: string): void {
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'not a directory' : code === 'EROFS' ? 'read-only file system' : code === 'ENOENT' ? 'it cannot be created there' : (code ?? (e as Error).message);
    throw new OutputError(dir, `cannot write the output folder (${why})`);
  }
}

/** Prints an error as one line per problem and returns its exit code. */
function reportError(e: unknown, io: Io): number {
  if (e instanceof ExperimentError) {
    for (const p of e.problems) io.err(`levsim: ${formatProblem(p)}`);
    return EXIT_USAGE;
  }
  if (e instanceof ConfigIssues) {
    for (const i of e.issues) io.err(`levsim: ${formatPath(i.path)}: ${i.message}`);
    return EXIT_USAGE;
  }
  if (e instanceof ConfigError) {
    io.err(`levsim: ${e.message}`);
    return EXIT_USAGE;
  }
  if (e instanceof UsageError) {
    io.err(`levsim: ${e.message}`);
    return EXIT_USAGE;
  }
  if (e instanceof OutputError) {
    io.err(`levsim: ${e.message}`);
    return EXIT_FAILURE;
  }
  if (e instanceof InvariantViolation) {
    io.err(`levsim: ${e.message.split('\n')[0]}`);
    return EXIT_FAILURE;
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (process.env.LEVSIM_DEBUG === '1' && e instanceof Error && e.stack !== undefined) io.err(e.stack);
  io.err(`levsim: ${message} (internal error; run with LEVSIM_DEBUG=1 for the stack)`);
  return EXIT_FAILURE;
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(resolve(script))).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`levsim: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (internal error; run with LEVSIM_DEBUG=1 for the stack)\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
