/**
 * Scenario fuzzing: `levsim fuzz FILE` draws scenarios from a fuzz file's
 * space (`fuzz-spec.ts`), runs each to its (capped) horizon, checks the
 * properties (`fuzz-properties.ts`), and when one fails lets fast-check
 * shrink the scenario to the simplest one that still fails. It writes
 *
 * - `<out>/counterexample.yaml` — a runnable experiment: the full resolved
 *   config with the shrunk values, headed by a comment with the failed
 *   property, the measured value and the replay command
 *   (`levsim fuzz FILE --seed S --path P`); `levsim run counterexample.yaml`
 *   reproduces the failure (add `--check-invariants every` for `invariants`);
 * - `<out>/fuzz-report.json` — runs, failures, shrink steps, the
 *   counterexample's values and the measured value.
 *
 * Scenarios are fast-check arbitraries: `fc.record` of one arbitrary per
 * dimension. A range draws an offset from its shrink target (`min`, or `max`
 * with `shrinkTowards: max`) with `fc.integer` — whole numbers directly, a
 * decimal range on a uniform grid of 2^30 steps (12 significant digits) — so
 * shrinking always moves toward the target; a list of choices
 * draws an index, which shrinks toward the earlier entries. Each value is
 * applied to the base config with immer (`applySets`), and the result is
 * validated like a file; a combination the experiment refuses is skipped
 * (fast-check's precondition), not counted as a failure.
 *
 * The search is deterministic: the same file, seed and runs give the same
 * scenarios, failures and counterexample. Wall time is read only for
 * progress and `--timeout`.
 *
 * @module
 */

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { Document } from 'yaml';
import { applySets } from '../config/config-path.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { ConfigError } from '../config/config-error.js';
import { formatDuration, shorten } from '../config/duration.js';
import { checkProperties, describeProperty, firstFailure, needsEveryDeliveryCheck, type PropertyVerdict, type RunOutcome } from './fuzz-properties.js';
import { MAX_FUZZ_RUNS, MAX_FUZZ_SEED, loadFuzzSpec, type FuzzDimension, type FuzzSpec } from './fuzz-spec.js';
import { ExperimentError, problemsOf, formatProblem } from '../config/load-config.js';
import { runExperiment } from '../run/run.js';
import { InvariantViolation } from '../run/invariant-check.js';
import { ConfigIssues } from '../config/config-issues.js';
import { toDocument } from '../config/to-document.js';
import { summaryJson } from '../output/run-folder.js';
import { writeFileAtomically } from '../output/durable-write.js';
import { ensureWritableDir } from '../output/output-dir.js';

/** Options of {@link runFuzz}; each overrides the spec. */
export interface FuzzOptions {
  /** Scenarios drawn before shrinking. */
  readonly runs?: number;
  /** fast-check seed. */
  readonly seed?: number;
  /** fast-check replay path (`12:3:0`): re-runs that counterexample only. */
  readonly path?: string;
  /** Wall-clock budget of the whole search, seconds; the search stops gracefully and reports what it has. */
  readonly timeoutSeconds?: number;
  /** Called after every scenario. */
  readonly onProgress?: (progress: FuzzProgress) => void;
}

/** Where a search stands, after a scenario. */
export interface FuzzProgress {
  /** Scenarios run so far (searching and shrinking). */
  readonly runs: number;
  readonly failures: number;
  readonly skipped: number;
  /** True once a failure was found (the search is shrinking it). */
  readonly shrinking: boolean;
  /** The failed property of this scenario, or null when it passed or was skipped. */
  readonly failed: PropertyVerdict | null;
}

/** The smallest failing scenario found. */
export interface FuzzCounterexample {
  /** Config path (as written in the space) → the shrunk value. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The full resolved config of the scenario. */
  readonly config: ExperimentConfig;
  /** The property that failed on it and what was measured. */
  readonly verdict: PropertyVerdict;
}

/** The outcome of a search. */
export interface FuzzReport {
  readonly file: string | null;
  readonly seed: number;
  /** Scenarios drawn before shrinking (the budget). */
  readonly budget: number;
  /** Scenarios run in all, shrinking included. */
  readonly runs: number;
  /** Scenarios run up to and including the first failure (all of them when none failed). */
  readonly searchRuns: number;
  /** Scenarios that failed a property (the first one and those found while shrinking). */
  readonly failures: number;
  /** Successful shrink steps from the first failure to the counterexample. */
  readonly shrinkSteps: number;
  /** Scenarios the experiment refused (an invalid combination of values), skipped. */
  readonly skipped: number;
  /** The first refusal, for the user to fix the space. */
  readonly firstSkipReason: string | null;
  /** True when `timeoutSeconds` stopped the search. */
  readonly interrupted: boolean;
  /** Simulated events over every completed scenario. */
  readonly events: number;
  /** fast-check path of the counterexample (replay with the seed), or null. */
  readonly path: string | null;
  readonly counterexample: FuzzCounterexample | null;
}

/** The config of one scenario: the base with the values applied (horizon capped), validated like a file. */
export function scenarioConfig(spec: FuzzSpec, values: Readonly<Record<string, unknown>>): ExperimentConfig {
  let config = applySets(spec.base, spec.space.map((d) => ({ path: d.path, value: values[d.path] })));
  if (spec.horizonCapUs !== null && config.horizonUs > spec.horizonCapUs) config = applySets(config, [{ path: 'horizon', value: spec.horizonCapUs }]);
  return config;
}

/** The arbitrary of one dimension; see the module comment for the shrink direction. */
export function dimensionArbitrary(d: FuzzDimension): fc.Arbitrary<unknown> {
  // An index rather than fc.constantFrom, which only ever tries the first entry when shrinking:
  // this walks back through the earlier entries too.
  if (d.kind === 'choices') return fc.integer({ min: 0, max: d.values.length - 1 }).map((i) => d.values[i]);
  const from = d.shrinkTowards === 'min' ? d.min : d.max;
  const sign = d.shrinkTowards === 'min' ? 1 : -1;
  const span = d.max - d.min;
  const clamp = (x: number) => Math.min(d.max, Math.max(d.min, x));
  if (d.integer) {
    const offsets = span <= 0x7fffffff ? fc.integer({ min: 0, max: span }) : fc.bigInt({ min: 0n, max: BigInt(span) }).map(Number);
    return offsets.map((k) => from + sign * k);
  }
  // Not fc.double: it draws uniformly over float bit patterns, so nearly every draw of [0, span]
  // lands within 1e-20 of 0 or at span. A uniform grid of 2^30 steps explores the range evenly and
  // still shrinks (toward 0) by halving.
  return fc.integer({ min: 0, max: DECIMAL_STEPS }).map((k) => clamp(Number((from + (sign * span * k) / DECIMAL_STEPS).toPrecision(12))));
}

/** Grid steps of a decimal range. */
const DECIMAL_STEPS = 2 ** 30;

/** The scenario arbitrary of a spec: a record keyed by the space's paths. */
export function scenarioArbitrary(spec: FuzzSpec): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const d of spec.space) model[d.path] = dimensionArbitrary(d);
  return fc.record(model);
}

/** Runs one scenario and returns how it ended; a config the experiment refuses is returned as `refused`. */
export function runScenario(config: ExperimentConfig, every: boolean): RunOutcome | { kind: 'refused'; reason: string } {
  try {
    return { kind: 'ran', result: runExperiment(config, { checkInvariants: every ? 'every' : 'end' }) };
  } catch (e) {
    if (e instanceof InvariantViolation) return { kind: 'invariant-violation', error: e };
    if (e instanceof ConfigError) return { kind: 'refused', reason: e.message };
    return { kind: 'crash', error: e };
  }
}

/**
 * Searches the spec's space for a scenario that breaks a property, and
 * shrinks it.
 *
 * @throws Error only for a bug of the fuzzer itself (a crashing scenario is a result, not an exception)
 */
export async function runFuzz(spec: FuzzSpec, options: FuzzOptions = {}): Promise<FuzzReport> {
  const budget = options.runs ?? spec.runs;
  const seed = options.seed ?? spec.seed;
  const every = needsEveryDeliveryCheck(spec.properties);
  let runs = 0;
  let failures = 0;
  let skipped = 0;
  let events = 0;
  let searchRuns: number | null = null;
  let firstSkipReason: string | null = null;
  let last: FuzzCounterexample | null = null;

  const skip = (reason: string): never => {
    skipped++;
    firstSkipReason ??= reason;
    options.onProgress?.({ runs, failures, skipped, shrinking: searchRuns !== null, failed: null });
    fc.pre(false);
    throw new Error('unreachable');
  };

  const property = fc.property(scenarioArbitrary(spec), (values) => {
    runs++;
    let config: ExperimentConfig;
    try {
      config = scenarioConfig(spec, values);
    } catch (e) {
      if (e instanceof ConfigIssues || e instanceof ConfigError || e instanceof ExperimentError) {
        return skip(`${describeValues(values)}: ${problemsOf(e, null).map((p) => formatProblem(p)).join('; ')}`);
      }
      throw e;
    }
    const outcome = runScenario(config, every);
    if (outcome.kind === 'refused') return skip(`${describeValues(values)}: ${outcome.reason}`);
    if (outcome.kind === 'ran') events += outcome.result.summary.events;
    const failed = firstFailure(checkProperties(spec.properties, outcome));
    if (failed !== null) {
      failures++;
      searchRuns ??= runs;
      last = { values: { ...values }, config, verdict: failed };
    }
    options.onProgress?.({ runs, failures, skipped, shrinking: searchRuns !== null, failed });
    return failed === null;
  });

  await Promise.resolve();
  const details = fc.check(property, {
    numRuns: budget,
    seed,
    ...(options.path !== undefined && { path: options.path, endOnFailure: true }),
    ...(options.timeoutSeconds !== undefined && { interruptAfterTimeLimit: Math.max(1, Math.round(options.timeoutSeconds * 1000)) }),
    markInterruptAsFailure: false,
  });
  const found = details.failed && details.counterexample !== null;
  if (found && last === null) throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
  return {
    file: spec.file,
    seed,
    budget,
    runs,
    searchRuns: searchRuns ?? runs,
    failures,
    shrinkSteps: found ? details.numShrinks : 0,
    skipped,
    firstSkipReason,
    interrupted: details.interrupted,
    events,
    path: found ? details.counterexamplePath : null,
    counterexample: found ? last : null,
  };
}

function describeValues(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

// ---------------------------------------------------------------------------
// Output.

/** The replay command of a counterexample. */
export function replayCommand(file: string | null, report: FuzzReport, sets: readonly string[] = []): string | null {
  if (report.path === null) return null;
  const overrides = sets.map((s) => ` --set ${/^[\w.[\]=+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`}`).join('');
  return `levsim fuzz ${file ?? 'FILE'}${overrides} --seed ${report.seed} --path ${report.path}`;
}

/** counterexample.yaml: a runnable experiment with the shrunk values and a comment header. */
export function counterexampleYaml(report: FuzzReport, spec: FuzzSpec): string {
  const c = report.counterexample;
  if (c === null) throw new Error('no counterexample');
  const config: ExperimentConfig = {
    ...c.config,
    name: `${c.config.name}-counterexample`.slice(0, 64),
    description: `Counterexample of '${c.verdict.property}' found by levsim fuzz${spec.file === null ? '' : ` ${spec.file}`}: ${Object.entries(c.values).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')}.`,
  };
  const doc = new Document(toDocument(config));
  const replay = replayCommand(spec.file, report, spec.sets);
  const invariants = c.verdict.property === 'invariants';
  doc.commentBefore = [
    ` Counterexample found by levsim fuzz${spec.file === null ? '' : ` ${spec.file}`}.`,
    ` Property that failed: ${c.verdict.property}`,
    ` Measured: ${oneLine(c.verdict.measured)}`,
    ' Shrunk values:',
    ...Object.entries(c.values).map(([k, v]) => `   ${k}: ${JSON.stringify(v)}`),
    ` Found after ${plural(report.searchRuns, 'scenario')}, shrunk in ${plural(report.shrinkSteps, 'step')} (${plural(report.runs, 'scenario')} in all), fast-check seed ${report.seed}, path ${report.path}.`,
    ...(replay === null ? [] : [` Replay the search: ${replay}`]),
    ` Reproduce: levsim run counterexample.yaml${invariants ? ' --check-invariants every' : ''}`,
    '',
    ' The fully resolved config of the scenario (defaults filled in, seed included).',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** fuzz-report.json. */
export function fuzzReportJson(report: FuzzReport, spec: FuzzSpec): string {
  const c = report.counterexample;
  return summaryJson({
    file: spec.file,
    seed: report.seed,
    budget: report.budget,
    runs: report.runs,
    searchRuns: report.searchRuns,
    failures: report.failures,
    shrinkSteps: report.shrinkSteps,
    skipped: report.skipped,
    firstSkipReason: report.firstSkipReason,
    interrupted: report.interrupted,
    events: report.events,
    properties: spec.properties.map(describeProperty),
    space: spec.space,
    failed: c === null ? null : c.verdict.property,
    measured: c === null ? null : c.verdict.measured,
    value: c === null ? null : c.verdict.value,
    counterexample: c === null ? null : c.values,
    path: report.path,
    replay: replayCommand(spec.file, report, spec.sets),
  });
}

/** Paths of the files written by {@link writeFuzzOutputs}. */
export interface FuzzOutputs {
  readonly report: string;
  /** Null when no property failed (an old counterexample.yaml there is removed). */
  readonly counterexample: string | null;
}

/**
 * Writes fuzz-report.json and, when a property failed, counterexample.yaml
 * into `dir`, each atomically (temporary name, then rename). The report goes
 * last and an earlier one is removed first, so a report is never beside a
 * counterexample of another search (a kill or a failed write in between).
 */
export function writeFuzzOutputs(report: FuzzReport, spec: FuzzSpec, dir: string): FuzzOutputs {
  const counterexample = join(dir, 'counterexample.yaml');
  const path = join(dir, 'fuzz-report.json');
  rmSync(path, { force: true });
  if (report.counterexample !== null) writeFileAtomically(counterexample, counterexampleYaml(report, spec));
  else rmSync(counterexample, { force: true });
  writeFileAtomically(path, fuzzReportJson(report, spec));
  return { report: path, counterexample: report.counterexample === null ? null : counterexample };
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

// ---------------------------------------------------------------------------
// The command.

/** The options of `levsim fuzz` as commander gives them (strings). */
export interface FuzzFlags {
  /** Scenarios before shrinking (default: the file's `runs`). */
  readonly runs?: string;
  /** fast-check seed (default: the file's `seed`). */
  readonly seed?: string;
  /** fast-check replay path of a counterexample. */
  readonly path?: string;
  /** Wall-clock budget of the search, seconds. */
  readonly timeout?: string;
  /** No progress on stderr. */
  readonly quiet?: boolean;
  /** Folder of counterexample.yaml and fuzz-report.json (default `out/fuzz/<name>`). */
  readonly out?: string;
  /** `path=value` overrides of the base experiment. */
  readonly set?: readonly string[];
}

/** Where the command prints (the CLI's `Io` fits). */
export interface FuzzIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: FuzzIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit code when a property failed (a counterexample was written). */
export const EXIT_PROPERTY_FAILED = 1;

function flagError(flag: string, value: string, expected: string): ExperimentError {
  return new ExperimentError([{ where: `${flag} ${shorten(value)}`, path: null, message: `expected ${expected}` }]);
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw flagError(flag, value, `a whole number from ${min} to ${max}`);
  return n;
}

/**
 * `levsim fuzz FILE`: loads the fuzz file, searches, prints the outcome and
 * writes the outputs. Progress (scenarios run, failures) goes to stderr
 * unless `quiet`.
 *
 * @returns the exit code: 0 when every property held (also when `--timeout`
 *   stopped the search first), 1 when one failed
 * @throws ExperimentError for a bad file or option (exit code 2); OutputError when the outputs cannot be written
 */
export async function fuzzCommand(file: string, flags: FuzzFlags = {}, io: FuzzIo = stdio): Promise<number> {
  const runs = flags.runs === undefined ? undefined : wholeNumber('--runs', flags.runs, 1, MAX_FUZZ_RUNS);
  const seed = flags.seed === undefined ? undefined : wholeNumber('--seed', flags.seed, 0, MAX_FUZZ_SEED);
  if (flags.path !== undefined && !/^[0-9]+(:[0-9]+)*$/.test(flags.path.trim())) throw flagError('--path', flags.path, "a fast-check path such as '12:3:0' (from counterexample.yaml)");
  let timeoutSeconds: number | undefined;
  if (flags.timeout !== undefined) {
    timeoutSeconds = Number(flags.timeout);
    if (!/^[0-9]+(\.[0-9]*)?$/.test(flags.timeout.trim()) || !(timeoutSeconds > 0)) throw flagError('--timeout', flags.timeout, 'a number of seconds > 0');
  }
  const spec = loadFuzzSpec(file, { sets: flags.set ?? [] });
  const out = flags.out ?? join('out', 'fuzz', spec.base.name);
  // Before the search: a search that cannot write its findings is wasted.
  ensureWritableDir(out);
  const quiet = flags.quiet === true;
  const budget = runs ?? spec.runs;
  const every = needsEveryDeliveryCheck(spec.properties);
  if (!quiet) {
    if (spec.ignoresSweep) io.err(`levsim: note: ${file} has a sweep or seeds; 'fuzz' varies its base config over the fuzz space only`);
    const what = flags.path === undefined ? `${budget} scenarios` : `the counterexample at path ${flags.path}`;
    io.err(`levsim: fuzzing ${spec.base.name}: ${what} over ${spec.space.length} parameter${spec.space.length === 1 ? '' : 's'} (seed ${seed ?? spec.seed}, ${formatDuration(spec.base.horizonUs)} simulated each${every ? ', invariants checked after every event' : ''})…`);
  }
  let lastPrint = process.hrtime.bigint();
  let announced = false;
  const report = await runFuzz(spec, {
    ...(runs !== undefined && { runs }),
    ...(seed !== undefined && { seed }),
    ...(flags.path !== undefined && { path: flags.path.trim() }),
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    onProgress: quiet
      ? undefined
      : (p) => {
          const now = process.hrtime.bigint();
          if (p.failed !== null && !announced) {
            announced = true;
            io.err(`levsim: scenario ${p.runs} fails ${p.failed.property} (${oneLine(p.failed.measured)}); shrinking…`);
            lastPrint = now;
            return;
          }
          if (now - lastPrint < 2_000_000_000n) return;
          lastPrint = now;
          io.err(p.shrinking ? `levsim: shrinking: ${p.runs} scenarios run, ${p.failures} failures` : `levsim: [${p.runs}/${budget}] scenarios run, ${p.failures} failures${p.skipped > 0 ? `, ${p.skipped} skipped` : ''}`);
        },
  });
  const written = writeFuzzOutputs(report, spec, out);
  const c = report.counterexample;
  io.out(
    `fuzz ${spec.base.name}: ${plural(report.runs, 'scenario')} (${report.searchRuns} searched${c === null ? '' : `, ${report.runs - report.searchRuns} shrinking`}), ${plural(report.failures, 'failure')}, ${plural(report.shrinkSteps, 'shrink step')}, ${report.events.toLocaleString('en-US')} events${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}${report.interrupted ? ' (stopped by --timeout)' : ''}`,
  );
  if (report.skipped > 0 && report.firstSkipReason !== null) io.err(`levsim: note: ${report.skipped} scenario${report.skipped === 1 ? ' was' : 's were'} refused by the experiment and skipped; first: ${report.firstSkipReason}`);
  if (c === null) {
    io.out(report.interrupted ? 'no property failed before the time limit' : `every property held on every scenario: ${spec.properties.map(describeProperty).join(', ')}`);
    io.out(`report: ${written.report}`);
    return 0;
  }
  io.out(`FAILED ${c.verdict.property}: ${oneLine(c.verdict.measured)}`);
  for (const [k, v] of Object.entries(c.values)) io.out(`  ${k}: ${JSON.stringify(v)}`);
  io.out(`counterexample: ${written.counterexample}`);
  io.out(`replay: ${replayCommand(file, report, flags.set ?? [])}`);
  io.out(`report: ${written.report}`);
  return EXIT_PROPERTY_FAILED;
}
