/**
 * Loads an experiment file: YAML with node ranges kept, so that every problem
 * names `file:line:col`, the key path and what was expected; then the schema
 * (`document-shape.ts`, `resolve-document.ts`), `--set` overrides, the paths of interventions and sweeps.
 * The result is a fully resolved {@link ExperimentConfig} and its sweep.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { applySets, getIn, parsePath, resolvePath, setIn } from './config-path.js';
import type { ExperimentConfig } from './experiment-config.js';
import { ConfigError, formatPath } from './config-error.js';
import { describeValue, shorten } from './duration.js';
import { ConfigIssues, type ConfigIssue, type KeyPath } from './config-issues.js';
import { FORBIDDEN_KEYS, isPlainObject } from './document-shape.js';
import { checkDocument } from './document-issues.js';
import { parseExperiment, resolveDocument, type ResolvedExperiment } from './resolve-document.js';
import { toDocument } from './to-document.js';
import type { SweepSpec } from './sweep-spec.js';
import { aliasProblems } from './yaml-aliases.js';
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
  const located = (issues: readonly ConfigIssue[]): Problem[] => issues.map((i) => ({ where: locate(i.path, i.atKey === true), path: formatPath(i.path), message: i.message }));

  // Aliases first: until they are sound the document cannot safely become data.
  const aliases = aliasProblems(doc);
  if (aliases.length > 0) throw new ExperimentError(aliases.map((p) => ({ where: at(p.offset), path: null, message: p.message })));

  const forbidden = forbiddenKeys(doc.contents);
  if (forbidden.some((i) => i.atKey !== true)) throw new ExperimentError(sortByPosition(located(forbidden)));
  const problems = located(forbidden);
  // Reported above; dropped so that the rest of the file is checked without them.
  for (const i of forbidden) doc.deleteIn(i.path);

  const data = doc.toJS({ maxAliasCount: -1 }) as unknown;
  if (data !== null && data !== undefined && !isPlainObject(data)) {
    throw new ExperimentError([{ where: locate([]), path: null, message: 'an experiment file must be a mapping of keys (name, horizon, agents, …)' }]);
  }
  const checked = checkAll(data ?? {}, basename(file, extname(file)));
  problems.push(...located(checked.issues));
  if (problems.length > 0 || checked.resolved === null) throw new ExperimentError(sortByPosition(problems));
  let { config, sweep } = checked.resolved;

  const sets = parseCliSets(options.sets ?? []);
  const whereOf = (path: KeyPath, atKey: boolean) => setWriting(sets, path)?.where ?? locate(path, atKey);
  if (sets.length > 0) ({ config, sweep } = applyCliSets(config, data as Record<string, unknown> | undefined, sets));
  if (options.seed !== undefined) config = { ...config, seed: options.seed };

  config = normaliseInterventions(config, (path, message, atKey) => problems.push({ where: whereOf(path, atKey), path: formatPath(path), message }));
  checkSweep(config, sweep, (path, message, atKey) => problems.push({ where: whereOf(path, atKey), path: formatPath(path), message }));
  if (problems.length > 0) throw new ExperimentError(sortByPosition(problems));
  return { file, config, sweep, locate: (path) => locate(path) };
}

/**
 * Checks and resolves document data, finding as many problems as one pass
 * can: when the shape check fails, the values at fault are dropped (defaults
 * take their place) and the rest is checked again, then resolved, so that an
 * unknown key does not hide an unknown agent type further down. Problems of a
 * later round that concern a dropped value are echoes, and left out.
 */
function checkAll(data: unknown, name: string): { resolved: ResolvedExperiment | null; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const dropped: KeyPath[] = [];
  const fresh = (found: readonly ConfigIssue[]) => found.filter((i) => !dropped.some((d) => isPrefix(d, i.path) || isPrefix(i.path, d)));
  let current = data;
  // Each round drops at least one value, and nested shapes are few levels deep.
  for (let round = 0; round < 8; round++) {
    const checked = checkDocument(current);
    if ('doc' in checked) {
      const resolved = resolveDocument(checked.doc, name);
      if ('issues' in resolved) issues.push(...fresh(resolved.issues));
      return { resolved: issues.length === 0 && 'resolved' in resolved ? resolved.resolved : null, issues };
    }
    const found = fresh(checked.issues);
    if (found.length === 0) break;
    issues.push(...found);
    current = structuredClone(current);
    for (const i of found) {
      const at = droppable(current, i.path);
      if (at === null) return { resolved: null, issues };
      deleteAt(current, at);
      dropped.push(at);
    }
  }
  return { resolved: null, issues };
}

/**
 * The key to drop for a problem at `path`: the value itself, or, when it is
 * missing (a required key) or a list entry (dropping it would renumber the
 * others), the nearest enclosing mapping entry; null at the root.
 */
function droppable(root: unknown, path: KeyPath): KeyPath | null {
  let at = [...path];
  if (getIn(root, at) === undefined) at = at.slice(0, -1);
  while (at.length > 0 && !isPlainObject(getIn(root, at.slice(0, -1)))) at = at.slice(0, -1);
  return at.length === 0 ? null : at;
}

function deleteAt(root: unknown, path: KeyPath): void {
  const parent = getIn(root, path.slice(0, -1));
  if (isPlainObject(parent)) delete parent[String(path[path.length - 1])];
}

/** True when `prefix` is a prefix of `path` (segments compared as text). */
function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

// ---------------------------------------------------------------------------
// --set overrides.

/** Top-level keys that `--set` edits in the document as written (they are not part of a resolved config). */
const SECTION_KEYS: ReadonlySet<string> = new Set(['seeds', 'sweep', 'fuzz']);

/** Mappings whose keys are themselves config paths: past them, the rest of a `--set` path is one key. */
const PATH_KEYED: readonly (readonly string[])[] = [
  ['sweep', 'grid'],
  ['sweep', 'zip'],
  ['sweep', 'random', 'space'],
  ['fuzz', 'space'],
];

/** One parsed `--set path=value`. */
export interface CliSet {
  /** `--set path=value`, the value shortened, for messages. */
  readonly where: string;
  readonly path: string;
  /** Key path into the document: resolved against it for config keys, as written for `seeds`, `sweep.*`, `fuzz.*`. */
  segments: KeyPath;
  readonly value: unknown;
  /** True for `seeds`, `sweep.*` and `fuzz.*`. */
  readonly section: boolean;
}

/**
 * Parses `--set path=value` overrides; the value is read as YAML (`2h`,
 * `0.5`, `[1, 2]`, `{dist: int, min: 1, max: 5}`) with the file's rules
 * (no `__proto__` keys, sound aliases).
 *
 * @throws ExperimentError with every malformed override
 */
export function parseCliSets(raws: readonly string[]): CliSet[] {
  const problems: Problem[] = [];
  const sets: CliSet[] = [];
  for (const raw of raws) {
    const eq = raw.indexOf('=');
    const path = eq <= 0 ? '' : raw.slice(0, eq).trim();
    const where = eq <= 0 ? `--set ${shorten(raw)}` : `--set ${shorten(path)}=${shorten(raw.slice(eq + 1))}`;
    if (eq <= 0) {
      problems.push({ where, path: null, message: 'expected path=value, e.g. --set agents.noise.params.maxQty=20' });
      continue;
    }
    let tokens: string[];
    try {
      tokens = parsePath(path);
    } catch (e) {
      problems.push(...problemsOf(e, where));
      continue;
    }
    const bad = tokens.findIndex((t) => FORBIDDEN_KEYS.has(t));
    if (bad >= 0) {
      problems.push({ where, path: shorten(tokens.slice(0, bad + 1).join('.')), message: `'${tokens[bad]}' is not an allowed key` });
      continue;
    }
    const doc = parseDocument(raw.slice(eq + 1), { strict: true, uniqueKeys: true, prettyErrors: false });
    const valueProblems = [
      ...doc.errors.map((e) => `the value is not valid YAML: ${oneLine(e.message)}`),
      ...aliasProblems(doc).map((p) => p.message),
      ...forbiddenKeys(doc.contents).map((i) => `${formatPath(i.path)}: ${i.message}`),
    ];
    if (valueProblems.length > 0) {
      problems.push({ where, path: shorten(path), message: valueProblems[0] as string });
      continue;
    }
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    const section = SECTION_KEYS.has(tokens[0] as string);
    sets.push({ where, path, segments: section ? sectionSegments(tokens) : tokens, value, section });
  }
  if (problems.length > 0) throw new ExperimentError(problems);
  return sets;
}

/** The `--set` that wrote the value at `path` (or a value containing it), if any: where a problem with it is reported. */
export function setWriting(sets: readonly CliSet[], path: readonly (string | number)[]): CliSet | undefined {
  return sets.find((s) => isPrefix(s.segments, path));
}

/** `sweep.grid.agents.noise.count` → `sweep, grid, agents.noise.count`. */
function sectionSegments(tokens: readonly string[]): KeyPath {
  for (const prefix of PATH_KEYED) {
    if (tokens.length > prefix.length && isPrefix(prefix, tokens)) return [...prefix, tokens.slice(prefix.length).join('.')];
  }
  return [...tokens];
}

/**
 * Sets a `seeds`, `sweep.*` or `fuzz.*` override in a document, creating the
 * mappings on its way.
 *
 * @throws ConfigError when a part of the path holds something other than a mapping
 */
export function setInSection(root: Record<string, unknown>, set: CliSet): void {
  let node: Record<string, unknown> = root;
  const segs = set.segments;
  for (let i = 0; i < segs.length - 1; i++) {
    const key = String(segs[i]);
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    else if (!isPlainObject(next)) throw new ConfigError(segs.slice(0, i + 1), `is ${describeValue(next)}, it has no key '${String(segs[i + 1])}'`);
    node = node[key] as Record<string, unknown>;
  }
  node[String(segs[segs.length - 1])] = set.value;
}

/**
 * Applies every override to the experiment's full document, then checks the
 * result once, like a file: their order does not matter (`horizon=1s` and
 * `sampling=100ms` together are valid whichever comes first). `seeds`,
 * `sweep.*` and `fuzz.*` edit the file's own sections.
 *
 * @throws ExperimentError with every problem, each at the override it concerns
 */
function applyCliSets(config: ExperimentConfig, data: Record<string, unknown> | undefined, sets: readonly CliSet[]): ResolvedExperiment {
  const full: Record<string, unknown> = toDocument(config);
  for (const key of SECTION_KEYS) if (data?.[key] !== undefined) full[key] = data[key];
  const problems: Problem[] = [];
  for (const set of sets) {
    try {
      if (set.section) {
        setInSection(full, set);
      } else {
        set.segments = [...resolvePath(full, set.path).doc];
        setIn(full, set.segments, set.value);
      }
    } catch (e) {
      problems.push(...problemsOf(e, set.where).map((p) => ({ ...p, path: p.path === null ? null : shorten(p.path) })));
    }
  }
  if (problems.length > 0) throw new ExperimentError(problems);
  try {
    return parseExperiment(full, config.name);
  } catch (e) {
    if (!(e instanceof ConfigIssues)) throw e;
    const all = sets.map((s) => s.where).join(' ');
    throw new ExperimentError(e.issues.map((i) => ({ where: sets.find((s) => isPrefix(s.segments, i.path) || isPrefix(i.path, s.segments))?.where ?? all, path: formatPath(i.path), message: i.message })));
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

