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

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, formatPath } from '../experiment/config/config-error.js';
import type { FuzzFlags } from '../experiment/fuzz/fuzz.js';
import { buildScenario } from '../experiment/run/scenario.js';
import { ExperimentError, formatProblem, loadExperiment, type LoadedExperiment } from '../experiment/config/load-config.js';
import type { ExperimentConfig } from '../experiment/config/experiment-config.js';
import { runExperiment, type InvariantChecking } from '../experiment/run/run.js';
import { InvariantViolation } from '../experiment/run/invariant-check.js';
import { describeMissing, mergeSweeps } from '../experiment/sweep/merge.js';
import { runsTablesIn } from '../experiment/output/runs-table.js';
import { ConfigIssues } from '../experiment/config/config-issues.js';
import { hasSweep } from '../experiment/config/sweep-spec.js';
import { OutputError } from '../experiment/output/output-error.js';
import { isCompleteRun, removeStaleTemps, writeFileAtomically } from '../experiment/output/durable-write.js';
import { readRunFolder } from '../experiment/output/read-run-folder.js';
import { renderRunReportHtml, writeRunFolder } from '../experiment/output/run-folder.js';
import { describeFailure, expandSweep, parseShard, runIdOf, runSweep, writeSweepReport } from '../experiment/sweep/sweep.js';
import { defaultWorkers } from '../experiment/sweep/worker-pool.js';
import { ensureWritableDir } from '../experiment/output/output-dir.js';
import { formatDuration, shorten } from '../experiment/config/duration.js';
import { BudgetExceeded, DEFAULT_MAX_EVENTS, DEFAULT_MAX_WALL_SECONDS, HEAP_BUDGET_SHARE } from '../experiment/run/run-budget.js';
import { catchInterrupts } from './interrupt.js';
import { tuneHeap } from './heap-tuning.js';
import { printHeadline } from './headline.js';
import { EXIT_FAILURE, EXIT_USAGE, processIo, UsageError, type Io } from './io.js';
import { parseBudget, parsePositiveInt, parseSeed, tablesSets } from './option-parsers.js';
import { progressReporter } from './progress.js';

interface CommonOptions {
  seed?: string;
  out: string;
  set?: string[];
  tables?: string;
  quiet?: boolean;
  checkInvariants: InvariantChecking;
  workers?: string;
  shard?: string;
  maxEvents?: string;
  maxWall?: string;
  maxHeap?: string;
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
      outputError: (s, write) => write(shorten(`levsim: ${s.replace(/^error: /, '').replace(/\n$/, '')}`, MAX_ERROR_LINE)),
    })
    .showSuggestionAfterError(true)
    .version(packageVersion(), '-v, --version', 'print the levsim version');

  const seedOpt = () => new Option('--seed <n>', 'master seed (overrides the file)');
  // No .default([]): help would show "(default: [])".
  const setOpt = () => new Option('--set <path=value>', 'override a parameter, e.g. agents.noise.params.maxQty=20 (repeatable)').argParser((v: string, prev: string[] = []) => [...prev, v]);
  const outOpt = () => new Option('--out <dir>', 'output folder: runs go to <dir>/<name>/<run id>/').default('out/');
  const tablesOpt = () => new Option('--tables <list>', "optional tables to write, comma-separated (trades), or none; overrides the file's outputs");
  const quietOpt = () => new Option('--quiet', 'no progress output');
  const invOpt = () => new Option('--check-invariants <when>', 'check ledger and book invariants after every event or at the end').choices(['every', 'end']).default('end');
  const maxEventsOpt = () => new Option('--max-events <n>', `stop a run after this many events (default ${DEFAULT_MAX_EVENTS.toExponential()})`);
  const maxWallOpt = () => new Option('--max-wall <duration>', `stop a run after this much wall time, e.g. 30m (default ${formatDuration(DEFAULT_MAX_WALL_SECONDS * 1e6)})`);
  const maxHeapOpt = () => new Option('--max-heap <MB>', `stop a run whose JavaScript heap passes this many MB (default ${HEAP_BUDGET_SHARE * 100} % of the V8 heap limit)`);

  program
    .command('run')
    .description('run one experiment and print its headline statistics')
    .argument('<file>', 'experiment YAML file')
    .addOption(seedOpt())
    .addOption(outOpt())
    .addOption(setOpt())
    .addOption(tablesOpt())
    .addOption(quietOpt())
    .addOption(invOpt())
    .addOption(maxEventsOpt())
    .addOption(maxWallOpt())
    .addOption(maxHeapOpt())
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
    .addOption(tablesOpt())
    .addOption(quietOpt())
    .addOption(invOpt())
    .addOption(maxEventsOpt())
    .addOption(maxWallOpt())
    .addOption(maxHeapOpt())
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
      const { fuzzCommand } = await import('../experiment/fuzz/fuzz.js');
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
    .description("join the runs tables of a sweep's shards into one runs.csv, runs.parquet and report; refuses tables of different sweeps, and missing runs unless --allow-partial")
    .argument('<dirs...>', 'sweep folders holding runs.csv or runs.shard-*.csv')
    .addOption(new Option('--out <dir>', 'where to write the merged table (default: the first folder)'))
    .addOption(new Option('--allow-partial', 'merge even when runs are missing (they are listed)'))
    .action(async (dirs: string[], opts: MergeFlags) => {
      code = await mergeCommand(dirs, opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // `levsim` alone: the help goes to stderr, and it is a usage error.
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : EXIT_USAGE;
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
  return loadExperiment(file, { sets: overridesOf(opts), ...(opts.seed !== undefined && { seed: parseSeed(opts.seed) }) });
}

/** The `--set` overrides, then those `--tables` stands for (so it wins over a `--set` of the same key). */
function overridesOf(opts: CommonOptions): string[] | undefined {
  if (opts.tables === undefined) return opts.set;
  return [...(opts.set ?? []), ...tablesSets(opts.tables)];
}

async function runCommand(file: string, opts: CommonOptions, io: Io): Promise<number> {
  const budget = parseBudget(opts);
  const loaded = load(file, opts);
  const { config } = loaded;
  if (hasSweep(loaded.sweep) && opts.quiet !== true) io.err(`levsim: note: ${file} has a sweep; 'run' runs its base config only (use 'levsim sweep')`);
  const runId = runIdOf(config);
  const expDir = join(opts.out, config.name);
  ensureWritableDir(expDir);
  const runDir = join(expDir, runId);
  removeStaleTemps(expDir, new Set([runId]));
  if (opts.quiet !== true) io.err(`levsim: running ${config.name} (seed ${config.seed}, ${agentCount(config)} agents, ${formatDuration(config.horizonUs)} simulated)…`);
  const result = located(loaded, () => runExperiment(config, { checkInvariants: opts.checkInvariants, budget }));
  try {
    await writeRunFolder(result, runDir, { replace: true });
  } finally {
    result.trades.dispose();
  }
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
  const budget = parseBudget(opts);
  const loaded = load(file, opts);
  const variants = expandSweep(loaded.config, loaded.sweep);
  const sweepDir = join(opts.out, loaded.config.name);
  ensureWritableDir(sweepDir);
  const progress = progressReporter(io, opts.quiet === true);
  const interrupt = catchInterrupts(io.signals);
  // The terminal comes back at once, not when the workers have stopped.
  interrupt.signal.addEventListener('abort', () => progress.stop());
  let outcome;
  try {
    outcome = await runSweep(variants, loaded.sweep, {
      sweepDir,
      workers,
      shard,
      checkInvariants: opts.checkInvariants,
      budget,
      overrides: overridesOf(opts),
      signal: interrupt.signal,
      onStart: (info) => progress.start(info.total, info.skipped, info.executor === 'threads' ? `${info.concurrency} worker thread${info.concurrency === 1 ? '' : 's'}` : 'in-process'),
      onRun: (event) => progress.update(event),
    });
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  if (outcome.interrupted) {
    io.err(`levsim: interrupted (${interrupt.received()}): ${outcome.complete} of ${outcome.total} runs complete; run the same command again to resume`);
    return interrupt.exitCode();
  }
  const shardText = shard === null ? '' : ` (shard ${shard.index}/${shard.count} of ${variants.length})`;
  io.out(`sweep ${loaded.config.name}: ${outcome.total} runs${shardText}: ${outcome.ran} ran, ${outcome.skipped} already complete, ${outcome.failures.length} failed`);
  io.out(`runs table: ${outcome.tablePath ?? ''}`);
  if (shard === null) io.out(`report: ${join(sweepDir, 'report.html')}`);
  else io.out(`when every shard is done: levsim merge ${sweepDir}`);
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

interface MergeFlags {
  out?: string;
  allowPartial?: boolean;
}

async function mergeCommand(dirs: readonly string[], opts: MergeFlags, io: Io): Promise<number> {
  const out = opts.out ?? (dirs[0] as string);
  ensureWritableDir(out);
  const merged = mergeSweeps(dirs, out, { allowPartial: opts.allowPartial === true });
  if (merged.path === null) {
    io.err(`levsim: ${dirs.join(' ')}: ${describeMissing(merged)}. Run the missing shards, or the same sweep command again to retry failed runs; --allow-partial merges what is there`);
    return EXIT_FAILURE;
  }
  if (merged.missing.length > 0) io.err(`levsim: note: ${describeMissing(merged)} (merged anyway: --allow-partial)`);
  const runs = merged.missing.length > 0 ? `${merged.rows} of ${merged.manifest.runs}` : `${merged.rows}`;
  io.out(`merged ${merged.inputs} runs table${merged.inputs === 1 ? '' : 's'}: ${runs} runs → ${merged.path}`);
  io.out(`report: ${(await writeSweepReport(out)).path}`);
  return 0;
}

async function reportCommand(dir: string, io: Io): Promise<number> {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder; give a run folder or a sweep folder`);
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
  const { path, coverage } = await writeSweepReport(dir);
  io.out(`report: ${path}`);
  // A report drawn from some shards only must not pass for the whole sweep.
  if (coverage !== null && coverage.missing.length > 0) io.err(`levsim: note: the report covers ${coverage.rows} of ${coverage.manifest.runs} runs: ${describeMissing(coverage)}`);
  return 0;
}

// ---------------------------------------------------------------------------
// Options and errors.

/** Longest error line: a problem quotes a short prefix of a huge value, not the value. */
const MAX_ERROR_LINE = 500;

/** Prints an error as one line per problem and returns its exit code. */
function reportError(e: unknown, ioOut: Io): number {
  // Every line shortened, whatever built it.
  const io = { err: (line: string) => ioOut.err(line.includes('\n') ? line : shorten(line, MAX_ERROR_LINE)) };
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
  if (e instanceof BudgetExceeded) {
    io.err(`levsim: ${e.message}`);
    return EXIT_FAILURE;
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (process.env.LEVSIM_DEBUG === '1' && e instanceof Error && e.stack !== undefined) io.err(e.stack);
  io.err(`levsim: ${message} (internal error; run with LEVSIM_DEBUG=1 for the stack)`);
  return EXIT_FAILURE;
}

/** The version in levsim's package.json, found upward from this file (it runs from src/ and from dist/src/). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'levsim' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not here: one level up.
    }
  }
  return 'unknown';
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

/**
 * `levsim … | head` or `| true` closes the pipe early: writing then fails
 * with EPIPE, which Node reports as an unhandled stream error with a stack
 * trace. The reader wanted no more, so stop quietly with the exit code so far.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`levsim: cannot write output (${e.code ?? e.message})\n`);
    process.exit(e.code === 'EPIPE' ? Number(process.exitCode ?? 0) : EXIT_FAILURE);
  });
}

if (isMain()) {
  tuneHeap();
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
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
