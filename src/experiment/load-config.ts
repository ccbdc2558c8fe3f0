/**
 * Loads an experiment file: YAML with node ranges kept, so that every problem
 * names `file:line:col`, the key path and what was expected; then the schema
 * (`schema.ts`), `--set` overrides, the paths of interventions and sweeps.
 * The result is a fully resolved {@link ExperimentConfig} and its sweep.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument } from 'yaml';
import { applySets, getIn, resolvePath } from './config-path.js';
import type { ExperimentConfig } from './config.js';
import { ConfigError, formatPath } from './config-error.js';
import { ConfigIssues, FORBIDDEN_KEYS, checkDocument, resolveDocument, toDocument, type ConfigIssue, type KeyPath, type SweepSpec } from './schema.js';
import { offsetOf } from './yaml-location.js';

/** A problem with an experiment, located as precisely as its source allows. */
export interface Problem {
  /** `file:line:col`, `--set path=value`, a file name alone, or null. */
  readonly where: string | null;
  /** The key path, e.g. `agents[2].params.maxQty`, or null. */
  readonly path: string | null;
  readonly message: string;
}

/** One line: `<where>: <path>: <message>`. */
export function formatProblem(p: Problem): string {
  return [p.where, p.path, p.message].filter((s) => s !== null && s !== '').join(': ');
}

/** User errors in an experiment: one {@link Problem} per line, exit code 2. */
export class ExperimentError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ExperimentError';
  }
}

/** Options of {@link loadExperiment}. */
export interface LoadOptions {
  /** `path=value` overrides; the value is read as YAML (`2h`, `0.5`, `[1, 2]`, `{dist: int, min: 1, max: 5}`). */
  readonly sets?: readonly string[];
  /** Overrides the master seed (after `sets`). */
  readonly seed?: number;
}

/** A loaded experiment: the resolved base config and its sweep. */
export interface LoadedExperiment {
  readonly file: string;
  readonly config: ExperimentConfig;
  readonly sweep: SweepSpec;
  /** Maps a document key path to `file:line:col` (for problems found later, e.g. while building). */
  locate(path: KeyPath): string;
}

/**
 * Reads and resolves an experiment file.
 *
 * @throws ExperimentError with every problem found (a missing file included)
 */
export function loadExperiment(file: string, options: LoadOptions = {}): LoadedExperiment {
  return loadExperimentText(readConfigFile(file, 'an experiment file'), file, options);
}

/**
 * The text of a configuration file (`what` names the kind in the message for a directory).
 *
 * @throws ExperimentError saying why it cannot be read
 */
export function readConfigFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? `is a directory, not ${what}` : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ExperimentError([{ where: file, path: null, message: why }]);
  }
}

/** Like {@link loadExperiment}, from text (`file` names it in messages). */
export function loadExperimentText(text: string, file: string, options: LoadOptions = {}): LoadedExperiment {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      // Indentation errors point at the start of the line; point at its first character instead.
      let offset = e.pos[0];
      while (offset < text.length && (text[offset] === ' ' || text[offset] === '\t') && e.code !== 'TAB_AS_INDENT') offset++;
      const indentation = e.code === 'BAD_INDENT' || e.code === 'TAB_AS_INDENT' || (e.code === 'MISSING_CHAR' && /indicator/.test(e.message));
      return { where: at(offset), path: null, message: `${indentation ? 'bad indentation: ' : 'YAML syntax: '}${oneLine(e.message)}` };
    });
    // One problem per line: later errors on a line are usually echoes of the first.
    throw new ExperimentError(problems.filter((p, i) => problems.findIndex((q) => q.where!.replace(/:\d+$/, '') === p.where!.replace(/:\d+$/, '')) === i));
  }
  const locate = (path: KeyPath, atKey = false) => at(offsetOf(doc, path, atKey));
  const located = (issues: readonly ConfigIssue[]): Problem[] =>
    sortByPosition(issues.map((i) => ({ where: locate(i.path, i.atKey === true), path: formatPath(i.path), message: i.message })));

  const forbidden = forbiddenKeys(doc.contents);
  if (forbidden.length > 0) throw new ExperimentError(located(forbidden));

  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new ExperimentError([{ where: locate([]), path: null, message: 'an experiment file must be a mapping of keys (name, horizon, agents, …)' }]);
  }
  const checked = checkDocument(data);
  if ('issues' in checked) throw new ExperimentError(located(checked.issues));
  const name = basename(file, extname(file));
  const resolved = resolveDocument(checked.doc, name);
  if ('issues' in resolved) throw new ExperimentError(located(resolved.issues));
  let { config } = resolved.resolved;
  const { sweep } = resolved.resolved;

  for (const raw of options.sets ?? []) config = applyCliSet(config, raw);
  if (options.seed !== undefined) config = { ...config, seed: options.seed };

  const problems: Problem[] = [];
  config = normaliseInterventions(config, (path, message, atKey) => problems.push({ where: locate(path, atKey), path: formatPath(path), message }));
  checkSweep(config, sweep, (path, message, atKey) => problems.push({ where: locate(path, atKey), path: formatPath(path), message }));
  if (problems.length > 0) throw new ExperimentError(sortByPosition(problems));
  return { file, config, sweep, locate: (path) => locate(path) };
}

/**
 * Applies one `--set path=value` to a config.
 *
 * @throws ExperimentError naming the override
 */
export function applyCliSet(config: ExperimentConfig, raw: string): ExperimentConfig {
  const where = `--set ${raw}`;
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new ExperimentError([{ where, path: null, message: "expected path=value, e.g. --set agents.noise.params.maxQty=20" }]);
  const path = raw.slice(0, eq).trim();
  let value: unknown;
  try {
    value = parseYaml(raw.slice(eq + 1), { strict: true, uniqueKeys: true });
  } catch (e) {
    throw new ExperimentError([{ where, path, message: `the value is not valid YAML: ${oneLine((e as Error).message)}` }]);
  }
  try {
    return applySets(config, [{ path, value }]);
  } catch (e) {
    throw new ExperimentError(problemsOf(e, where));
  }
}

/** Problems from a ConfigError or ConfigIssues, placed at `where`. */
export function problemsOf(e: unknown, where: string | null): Problem[] {
  if (e instanceof ConfigError) return [{ where, path: formatPath(e.path), message: e.problem }];
  if (e instanceof ConfigIssues) return e.issues.map((i) => ({ where, path: formatPath(i.path), message: i.message }));
  if (e instanceof ExperimentError) return [...e.problems];
  throw e;
}

type Report = (path: KeyPath, message: string, atKey: boolean) => void;

/**
 * Checks each intervention's `set` paths and values against the config, and
 * rewrites them canonically: config paths (`credit.gracePeriodUs`,
 * `agents.1.params.maxQty`) and resolved values (durations in µs), so the
 * runtime needs no parsing.
 */
function normaliseInterventions(config: ExperimentConfig, report: Report): ExperimentConfig {
  if (config.interventions.every((iv) => Object.keys(iv.set).length === 0)) return config;
  const doc = toDocument(config);
  const interventions = config.interventions.map((iv, i) => {
    const set: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(iv.set)) {
      const keyPath: KeyPath = ['interventions', i, 'set', path];
      try {
        const resolved = resolvePath(doc, path);
        const changed = applySets(config, [{ path, value }]);
        set[resolved.canonical] = getIn(changed, resolved.config);
      } catch (e) {
        for (const p of problemsOf(e, null)) report(keyPath, p.path === path || p.path === null ? p.message : `${p.path}: ${p.message}`, e instanceof ConfigError);
      }
    }
    return { ...iv, set };
  });
  return { ...config, interventions };
}

/** Checks that every swept path exists and that each listed value (and each range end) is valid on its own. */
function checkSweep(config: ExperimentConfig, sweep: SweepSpec, report: Report): void {
  const doc = toDocument(config);
  const check = (keyPath: KeyPath, path: string, values: readonly unknown[], valuePath: (j: number) => KeyPath) => {
    try {
      resolvePath(doc, path);
    } catch (e) {
      for (const p of problemsOf(e, null)) report(keyPath, p.message, true);
      return;
    }
    values.forEach((value, j) => {
      try {
        applySets(config, [{ path, value }]);
      } catch (e) {
        for (const p of problemsOf(e, null)) report(valuePath(j), `${p.path}: ${p.message}`, false);
      }
    });
  };
  for (const axis of sweep.grid) check(['sweep', 'grid', axis.path], axis.path, axis.values, (j) => ['sweep', 'grid', axis.path, j]);
  for (const axis of sweep.zip) check(['sweep', 'zip', axis.path], axis.path, axis.values, (j) => ['sweep', 'zip', axis.path, j]);
  for (const dim of sweep.random?.space ?? []) {
    const base: KeyPath = ['sweep', 'random', 'space', dim.path];
    if (dim.choices !== null) check(base, dim.path, dim.choices, (j) => [...base, j]);
    else if (dim.range !== null) check(base, dim.path, [dim.range.min, dim.range.max], (j) => [...base, j === 0 ? 'min' : 'max']);
  }
}

function oneLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Problems in file order (line, then column), duplicates dropped. */
export function sortByPosition(problems: Problem[]): Problem[] {
  const key = (p: Problem) => {
    const m = /:(\d+):(\d+)$/.exec(p.where ?? '');
    return m === null ? [Number.MAX_SAFE_INTEGER, 0] : [Number(m[1]), Number(m[2])];
  };
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0]! - b.k[0]! || a.k[1]! - b.k[1]! || a.i - b.i)
    .map((e) => e.p)
    .filter((e, i, all) => i === 0 || formatProblem(e) !== formatProblem(all[i - 1]!));
}

/**
 * Keys that must never reach an object (`__proto__`, `constructor`,
 * `prototype`), anywhere under `node`, also as a part of a dotted path key.
 */
export function forbiddenKeys(node: unknown, path: KeyPath = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const walk = (n: unknown, at: KeyPath) => {
    if (isMap(n)) {
      for (const pair of n.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === null) {
          out.push({ path: at, message: 'keys must be plain names' });
          continue;
        }
        if (key.split(/[.[\]]/).some((k) => FORBIDDEN_KEYS.has(k))) out.push({ path: [...at, key], message: `key '${key}' is not allowed`, atKey: true });
        else walk(pair.value, [...at, key]);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, [...at, i]));
    }
  };
  walk(node, path);
  return out;
}

