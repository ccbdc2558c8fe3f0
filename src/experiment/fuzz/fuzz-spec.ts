/**
 * The fuzz file: an ordinary experiment (loaded by the normal loader, so the
 * same validation applies) plus a `fuzz:` section that says what to vary and
 * what must hold:
 *
 * ```yaml
 * fuzz:
 *   runs: 100            # scenarios drawn before shrinking (default 100)
 *   seed: 1              # fast-check seed (default 1); `--seed` overrides
 *   horizon: 2m          # cap on each run's simulated horizon (default: the experiment's)
 *   space:               # config path → a range or a list of choices
 *     agents.noise.count: { min: 1, max: 40 }                  # whole numbers: both ends are
 *     instruments.ABC.fundamental.sigma: { min: 0.5, max: 3 }  # decimals: an end is not whole
 *     agents.noise.params.marketOrderProb: { min: 0, max: 1, integer: false }  # whole ends, decimal values
 *     interventions.0.event.size: { min: -3000, max: -50, shrinkTowards: max }
 *     agents.lenders.params.policy: { choices: [volatility, fixed, countercyclical] }
 *   properties:          # every one must hold on every scenario
 *     - invariants
 *     - no-lender-default
 *     - bad-debt-at-most: 0
 *     - max-drawdown-at-most: 0.25
 *     - largest-cascade-at-most: 5
 *     - leverage-at-most: 10
 *     - expression: "trades < 5000 && cascades.maxLiquidations <= 3"
 * ```
 *
 * Paths are those of `--set` and sweeps (`config-path.ts`); values are
 * written as in the file, so a number for a duration (`horizon`,
 * `interventions.0.at`, `latency.us`) counts microseconds.
 *
 * **Which way is "smaller".** A failing scenario is shrunk: a range shrinks
 * toward `min` (or toward `max` with `shrinkTowards: max`), a list of choices
 * toward its earlier entries. Orient each dimension so that its shrink target is
 * the simplest, mildest setting: for "the smallest shock that breaks X", put
 * the mildest shock at the target (a price drop of −50 ticks is milder than
 * −3000, so `{min: -3000, max: -50, shrinkTowards: max}`).
 *
 * Every problem is reported at `file:line:col`, exit code 2: an unknown path
 * (with "did you mean"), an empty range or list, a value the experiment
 * refuses, an unknown property, an expression that does not parse (at the
 * column of the expression where it fails).
 *
 * @module
 */

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node as YamlNode } from 'yaml';
import * as z from 'zod';
import { applySets, resolvePath } from '../config/config-path.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { describeValue, parseDuration } from '../config/duration.js';
import { didYouMean } from '../config/did-you-mean.js';
import { FLAG_PROPERTIES, LIMIT_PROPERTIES, PROPERTY_NAMES, parseExpressionProperty, type FuzzProperty } from './fuzz-properties.js';
import { ExperimentError, forbiddenKeys, loadExperimentText, parseCliSets, problemsOf, readConfigFile, setInSection, setWriting, sortByPosition, type LoadOptions, type Problem } from '../config/load-config.js';
import { ExpressionError } from './property-expression.js';
import { hasSweep } from '../config/sweep-spec.js';
import { isPlainObject } from '../config/document-shape.js';
import { toDocument } from '../config/to-document.js';
import { aliasProblems } from '../config/yaml-aliases.js';
import { offsetOf, rangeStart } from '../config/yaml-location.js';

/** A numeric range of a fuzzed parameter. */
export interface RangeDimension {
  readonly kind: 'range';
  /** The config path as written. */
  readonly path: string;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only (default: when both ends are whole). */
  readonly integer: boolean;
  /** The end a failing value shrinks toward. */
  readonly shrinkTowards: 'min' | 'max';
}

/** A list of values of a fuzzed parameter; shrinks toward the first. */
export interface ChoiceDimension {
  readonly kind: 'choices';
  readonly path: string;
  readonly values: readonly unknown[];
}

/** One fuzzed parameter. */
export type FuzzDimension = RangeDimension | ChoiceDimension;

/** A checked fuzz: the base experiment, the space, the properties and the search budget. */
export interface FuzzSpec {
  /** The fuzz file, or null for a spec built in code. */
  readonly file: string | null;
  /** The base experiment, its horizon capped by `horizon`. */
  readonly base: ExperimentConfig;
  readonly space: readonly FuzzDimension[];
  readonly properties: readonly FuzzProperty[];
  /** Scenarios drawn before shrinking. */
  readonly runs: number;
  /** The fast-check seed. */
  readonly seed: number;
  /** The horizon cap, µs, or null. */
  readonly horizonCapUs: number | null;
  /** True when the base experiment has a sweep or seeds (a fuzz ignores them). */
  readonly ignoresSweep: boolean;
  /** The `--set` overrides it was loaded with (repeated in the replay command). */
  readonly sets?: readonly string[];
}

/** Default number of scenarios. */
export const DEFAULT_RUNS = 100;
/** Default fast-check seed (fixed, so that a fuzz is reproducible by default). */
export const DEFAULT_SEED = 1;
/** Most scenarios in one fuzz. */
export const MAX_FUZZ_RUNS = 1_000_000;
/** Largest fast-check seed. */
export const MAX_FUZZ_SEED = 2 ** 31 - 1;

// ---------------------------------------------------------------------------
// The zod schema of the section.

const sectionSchema = z.strictObject({
  runs: z.number().int().min(1).max(MAX_FUZZ_RUNS).optional(),
  seed: z.number().int().min(0).max(MAX_FUZZ_SEED).optional(),
  horizon: z.unknown().optional(),
  space: z.record(z.string(), z.unknown()),
  properties: z.array(z.unknown()),
});

const rangeSchema = z.strictObject({
  min: z.number(),
  max: z.number(),
  integer: z.boolean().optional(),
  shrinkTowards: z.enum(['min', 'max']).optional(),
});

const choicesSchema = z.strictObject({ choices: z.array(z.unknown()) });

const SECTION_KEYS = ['runs', 'seed', 'horizon', 'space', 'properties'];
const RANGE_KEYS = ['min', 'max', 'integer', 'shrinkTowards'];

/** Short messages for zod issues. */
function zodMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const input = iss.input;
  switch (iss.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      return `expected ${iss.expected === 'int' ? 'a whole number' : iss.expected === 'object' || iss.expected === 'record' ? 'a mapping' : iss.expected === 'array' ? 'a list' : `a ${iss.expected}`}, got ${describeValue(input)}`;
    case 'too_small':
      return `must be ≥ ${String(iss.minimum)}, got ${describeValue(input)}`;
    case 'too_big':
      return `must be ≤ ${String(iss.maximum)}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => `'${String(v)}'`).join(', ')}, got ${describeValue(input)}`;
    default:
      return undefined;
  }
}

/** A problem of the fuzz section, at a key path from the document root. */
interface Issue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly atKey?: boolean;
  /** 0-based offset into the scalar value (the column of an expression). */
  readonly offset?: number;
}

function zodIssues(error: z.ZodError, prefix: readonly (string | number)[], known: readonly string[]): Issue[] {
  const out: Issue[] = [];
  for (const iss of error.issues) {
    const path = [...prefix, ...(iss.path as (string | number)[])];
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) out.push({ path: [...path, key], message: `unknown key '${key}'${didYouMean(key, known)}; expected ${known.join(', ')}`, atKey: true });
    } else {
      out.push({ path, message: iss.message });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Checking a section against its base experiment.

/**
 * Checks a `fuzz:` section (as plain data) against its base experiment.
 * Issue paths start at `fuzz`.
 */
function checkSection(data: unknown, base: ExperimentConfig): { spec: Omit<FuzzSpec, 'file' | 'ignoresSweep'> } | { issues: Issue[] } {
  const at = (...p: (string | number)[]) => ['fuzz', ...p];
  const parsed = sectionSchema.safeParse(data, { error: zodMessage });
  if (!parsed.success) return { issues: zodIssues(parsed.error, ['fuzz'], SECTION_KEYS) };
  const section = parsed.data;
  const issues: Issue[] = [];

  let capped = base;
  let horizonCapUs: number | null = null;
  if (section.horizon !== undefined) {
    const d = parseDuration(section.horizon);
    if ('problem' in d) issues.push({ path: at('horizon'), message: d.problem });
    else if (d.us < 1) issues.push({ path: at('horizon'), message: 'must be at least 1us' });
    else {
      horizonCapUs = d.us;
      if (d.us < base.horizonUs) {
        try {
          capped = applySets(base, [{ path: 'horizon', value: d.us }]);
        } catch (e) {
          for (const p of problemsOf(e, null)) issues.push({ path: at('horizon'), message: `the capped experiment is invalid: ${p.path ?? ''}: ${p.message}` });
        }
      }
    }
  }

  const space: FuzzDimension[] = [];
  const doc = toDocument(capped);
  const canonical = new Map<string, string>();
  if (Object.keys(section.space).length === 0) issues.push({ path: at('space'), message: 'needs at least one parameter to vary, e.g. agents.noise.count: {min: 1, max: 40}' });
  for (const [path, raw] of Object.entries(section.space)) {
    const here = at('space', path);
    const n0 = issues.length;
    let dim: FuzzDimension | null = null;
    if (isPlainObject(raw) && 'choices' in raw) {
      const r = choicesSchema.safeParse(raw, { error: zodMessage });
      if (!r.success) issues.push(...zodIssues(r.error, here, ['choices']));
      else if (r.data.choices.length === 0) issues.push({ path: [...here, 'choices'], message: 'empty choices: list at least one value' });
      else dim = { kind: 'choices', path, values: r.data.choices };
    } else if (isPlainObject(raw)) {
      const r = rangeSchema.safeParse(raw, { error: zodMessage });
      if (!r.success) issues.push(...zodIssues(r.error, here, RANGE_KEYS));
      else {
        const { min, max } = r.data;
        const integer = r.data.integer ?? (Number.isInteger(min) && Number.isInteger(max));
        if (min > max) issues.push({ path: [...here, 'min'], message: `empty range: min (${min}) is above max (${max})${r.data.shrinkTowards === undefined ? "; to shrink toward the larger end write the range the right way round with 'shrinkTowards: max'" : ''}` });
        else if (integer && Math.ceil(min) > Math.floor(max)) issues.push({ path: [...here, 'min'], message: `empty range: no whole number between ${min} and ${max}` });
        else dim = { kind: 'range', path, min: integer ? Math.ceil(min) : min, max: integer ? Math.floor(max) : max, integer, shrinkTowards: r.data.shrinkTowards ?? 'min' };
      }
    } else {
      issues.push({ path: here, message: `expected a range {min, max[, integer, shrinkTowards]} or {choices: [...]}, got ${describeValue(raw)}` });
    }
    let resolved: string | null = null;
    try {
      resolved = resolvePath(doc, path).canonical;
    } catch (e) {
      for (const p of problemsOf(e, null)) issues.push({ path: here, message: p.path !== null && p.path !== path ? `${p.path}: ${p.message}` : p.message, atKey: true });
    }
    if (resolved !== null) {
      const other = canonical.get(resolved);
      if (other !== undefined) issues.push({ path: here, message: `'${path}' names the same parameter as '${other}'`, atKey: true });
      canonical.set(resolved, path);
    }
    if (dim === null || resolved === null || issues.length > n0) continue;
    // Each end (and a fractional value inside a decimal range) must be a value the experiment accepts.
    const probes: [unknown, (string | number)[]][] =
      dim.kind === 'choices'
        ? dim.values.map((v, j) => [v, [...here, 'choices', j]])
        : [
            [dim.min, [...here, 'min']],
            [dim.max, [...here, 'max']],
            ...(dim.integer || dim.min === dim.max ? [] : ([[dim.min + (dim.max - dim.min) * 0.37, here]] as [unknown, (string | number)[]][])),
          ];
    for (const [value, where] of probes) {
      try {
        applySets(capped, [{ path, value }]);
      } catch (e) {
        const inside = where === here;
        for (const p of problemsOf(e, null)) {
          const message = `${p.path ?? path}: ${p.message}`;
          issues.push({ path: where, message: inside ? `a value inside the range (${describeValue(value)}) is refused: ${message}${/whole number|integer/.test(message) ? "; this parameter takes whole numbers: give whole-number ends (or 'integer: true')" : ''}` : message, atKey: inside });
        }
        break;
      }
    }
    if (issues.length === n0) space.push(dim);
  }

  const properties: FuzzProperty[] = [];
  if (section.properties.length === 0) issues.push({ path: at('properties'), message: 'needs at least one property, e.g. - invariants' });
  section.properties.forEach((item, i) => {
    const here = at('properties', i);
    const known = PROPERTY_NAMES;
    if (typeof item === 'string') {
      if ((FLAG_PROPERTIES as readonly string[]).includes(item)) properties.push({ kind: item as (typeof FLAG_PROPERTIES)[number] });
      else if ((LIMIT_PROPERTIES as readonly string[]).includes(item)) issues.push({ path: here, message: `'${item}' needs a limit, e.g. '- ${item}: 0'` });
      else if (item === 'expression') issues.push({ path: here, message: "'expression' needs the expression, e.g. '- expression: \"trades < 50\"'" });
      else issues.push({ path: here, message: `unknown property '${item}'${didYouMean(item, known)}; properties: ${known.join(', ')}` });
      return;
    }
    if (!isPlainObject(item) || Object.keys(item).length !== 1) {
      issues.push({ path: here, message: `expected a property name (e.g. '- invariants') or one 'name: value' (e.g. '- bad-debt-at-most: 0'), got ${describeValue(item)}` });
      return;
    }
    const [name, value] = Object.entries(item)[0] as [string, unknown];
    if (name === 'expression') {
      if (typeof value !== 'string') {
        issues.push({ path: [...here, name], message: `expected the expression as a string, e.g. "trades < 50", got ${describeValue(value)}` });
        return;
      }
      try {
        properties.push(parseExpressionProperty(value, capped));
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        issues.push({ path: [...here, name], message: `cannot parse the expression at column ${e.column}: ${e.problem}: '${value}'`, offset: e.column - 1 });
      }
      return;
    }
    if ((LIMIT_PROPERTIES as readonly string[]).includes(name)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.push({ path: [...here, name], message: `expected a number, got ${describeValue(value)}` });
        return;
      }
      if (value < 0) {
        issues.push({ path: [...here, name], message: `must be ≥ 0, got ${value}` });
        return;
      }
      properties.push({ kind: name as (typeof LIMIT_PROPERTIES)[number], limit: value });
      return;
    }
    if ((FLAG_PROPERTIES as readonly string[]).includes(name)) {
      issues.push({ path: [...here, name], message: `'${name}' takes no value: write '- ${name}'`, atKey: true });
      return;
    }
    issues.push({ path: [...here, name], message: `unknown property '${name}'${didYouMean(name, known)}; properties: ${known.join(', ')}`, atKey: true });
  });

  if (issues.length > 0) return { issues };
  return {
    spec: {
      base: capped,
      space,
      properties,
      runs: section.runs ?? DEFAULT_RUNS,
      seed: section.seed ?? DEFAULT_SEED,
      horizonCapUs,
    },
  };
}

/** `fuzz.space."agents.noise.count".min`: key paths for messages (space keys quoted, they hold dots). */
function formatIssuePath(path: readonly (string | number)[]): string {
  let out = '';
  path.forEach((part, i) => {
    if (typeof part === 'number') out += `[${part}]`;
    else if (i === 2 && path[1] === 'space' && path[0] === 'fuzz') out += `."${part}"`;
    else out += out === '' ? part : `.${part}`;
  });
  return out;
}

/**
 * Builds a fuzz spec in code (tests, benchmarks): the same checks as a file,
 * with problems unlocated. `section` has the shape of the YAML `fuzz:` mapping.
 *
 * @throws ExperimentError with every problem
 */
export function fuzzSpecOf(base: ExperimentConfig, section: unknown): FuzzSpec {
  const checked = checkSection(section, base);
  if ('issues' in checked) throw new ExperimentError(checked.issues.map((i) => ({ where: null, path: formatIssuePath(i.path), message: i.message })));
  return { ...checked.spec, file: null, ignoresSweep: false };
}

/**
 * Reads a fuzz file.
 *
 * @throws ExperimentError with every problem, located at `file:line:col`
 */
export function loadFuzzSpec(file: string, options: LoadOptions = {}): FuzzSpec {
  return loadFuzzSpecText(readConfigFile(file, 'a fuzz file'), file, options);
}

/**
 * Like {@link loadFuzzSpec}, from text. The experiment part goes through the
 * normal loader with the `fuzz:` section blanked out (spaces, line breaks
 * kept), so every location in the file stays exact.
 */
export function loadFuzzSpecText(text: string, file: string, options: LoadOptions = {}): FuzzSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  // Syntax errors: the normal loader reports them exactly as it does for any experiment.
  if (doc.errors.length > 0) loadExperimentText(text, file, options);
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  // The whole file, the fuzz section included, before any of it becomes data.
  const aliases = aliasProblems(doc);
  if (aliases.length > 0) throw new ExperimentError(aliases.map((p) => ({ where: at(p.offset), path: null, message: p.message })));
  const contents = doc.contents;
  const pair = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === 'fuzz') : undefined;
  if (pair === undefined) {
    throw new ExperimentError([{ where: at(rangeStart(contents) ?? 0), path: null, message: "no 'fuzz' section: a fuzz file is an experiment plus a 'fuzz:' mapping with 'space' and 'properties'" }]);
  }
  const forbidden = forbiddenKeys(pair.value, ['fuzz']);
  if (forbidden.length > 0) throw new ExperimentError(forbidden.map((i) => ({ where: at(offsetOf(doc, i.path, true)), path: formatIssuePath(i.path), message: i.message })));

  const loaded = loadExperimentText(withoutFuzz(text, doc, pair), file, options);
  // `--set fuzz.…` edits the section as written, before it is checked.
  const sets = parseCliSets(options.sets ?? []).filter((s) => s.section && s.segments[0] === 'fuzz');
  const holder: Record<string, unknown> = { fuzz: toPlain(doc, pair.value) };
  const problems: Problem[] = [];
  for (const set of sets) {
    try {
      setInSection(holder, set);
    } catch (e) {
      problems.push(...problemsOf(e, set.where));
    }
  }
  if (problems.length > 0) throw new ExperimentError(problems);
  const checked = checkSection(holder.fuzz, loaded.config);
  if ('issues' in checked) {
    for (const i of checked.issues) problems.push({ where: setWriting(sets, i.path)?.where ?? at(issueOffset(doc, text, i)), path: formatIssuePath(i.path), message: i.message });
    throw new ExperimentError(sortByPosition(problems));
  }
  const sweep = loaded.sweep;
  const ignoresSweep = hasSweep(sweep);
  return { ...checked.spec, file, ignoresSweep, sets: options.sets ?? [] };
}

/** The fuzz node as plain data. */
function toPlain(doc: Document, node: unknown): unknown {
  if (node === null || node === undefined) return undefined;
  if (isScalar(node)) return node.value;
  // Aliases were checked (aliasProblems) before this.
  return (node as { toJS(doc: Document, opts?: unknown): unknown }).toJS(doc, { maxAliasCount: -1 });
}

/** The text with the `fuzz:` pair replaced by blanks (line breaks kept), or, for a flow mapping, the document without it. */
function withoutFuzz(text: string, doc: Document, pair: { key: unknown; value: unknown }): string {
  const contents = doc.contents as { flow?: boolean } | null;
  const start = rangeStart(pair.key);
  const value = pair.value as YamlNode | null;
  const end = value?.range?.[2] ?? value?.range?.[1] ?? (pair.key as YamlNode).range?.[2];
  if (contents?.flow === true || start === undefined || end === undefined) {
    const copy = doc.clone();
    copy.delete('fuzz');
    return copy.toString();
  }
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n\r]/g, ' ') + text.slice(end);
}

/** Source offset of an issue: its key or value, or a character inside an expression. */
function issueOffset(doc: Document, text: string, issue: Issue): number {
  const base = offsetOf(doc, issue.path, issue.atKey === true);
  if (issue.offset === undefined) return base;
  const node = nodeAt(doc, issue.path);
  if (!isScalar(node) || node.range == null || typeof node.value !== 'string') return base;
  const [start, end] = node.range;
  const source = text.slice(start, end);
  const value = node.value;
  // Exact only when the source spells the value character for character (no escapes, no folding).
  if (node.type === Scalar.PLAIN && source === value) return start + issue.offset;
  if ((node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && source.slice(1, -1) === value) return start + 1 + issue.offset;
  return base;
}

function nodeAt(doc: Document, path: readonly (string | number)[]): unknown {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return undefined;
    }
  }
  return node;
}

