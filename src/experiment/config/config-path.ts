/**
 * Dotted paths into an experiment, as `--set`, sweeps and interventions name
 * the parameter they change: `horizon`, `credit.closeFactor`,
 * `agents.1.params.maxQty` or `agents[1].params.maxQty`, and agent groups and
 * instruments by name: `agents.noise.params.maxQty`,
 * `instruments.ABC.fundamental.sigma`.
 *
 * Paths address the experiment *document* (the YAML shape, see `document-shape.ts`),
 * so a value is written as in the file (`horizon=2h`) and the edited document
 * is validated again like a file. The resolved config's names (`horizonUs`,
 * `credit.gracePeriodUs`) are accepted as aliases. An agent group's `params`
 * accept every parameter of its type (from the registry), set or not.
 *
 * @module
 */

import { produce } from 'immer';
import { AGENT_TYPES } from '../registry/agent-types.js';
import type { ExperimentConfig } from './experiment-config.js';
import { ConfigError } from './config-error.js';
import { didYouMean } from './did-you-mean.js';
import { describeValue } from './duration.js';
import { FORBIDDEN_KEYS, isPlainObject } from './document-shape.js';
import { parseExperiment } from './resolve-document.js';
import { auctionsDocument, calendarDocument, toDocument } from './to-document.js';
import { defaultAuctions, defaultCalendar } from './defaults.js';

/** Document key → resolved config key, where they differ. */
const CONFIG_NAMES: Readonly<Record<string, string>> = {
  horizon: 'horizonUs',
  sampling: 'samplingUs',
  episodeGap: 'episodeGapUs',
  dt: 'dtUs',
  gracePeriod: 'gracePeriodUs',
  accrualInterval: 'accrualIntervalUs',
  at: 'atUs',
  session: 'sessionUs',
  overnight: 'overnightUs',
  opening: 'openingUs',
  closing: 'closingUs',
  batch: 'batchUs',
};
const DOCUMENT_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CONFIG_NAMES).map(([d, c]) => [c, d]));

/** A path resolved against an experiment. */
export interface ResolvedPath {
  /** The path as given. */
  readonly text: string;
  /** Segments into the document (YAML names, numeric indices). */
  readonly doc: readonly (string | number)[];
  /** Segments into the resolved {@link ExperimentConfig}. */
  readonly config: readonly (string | number)[];
  /** The canonical dotted config path, e.g. `agents.1.params.maxQty`, `credit.gracePeriodUs`. */
  readonly canonical: string;
}

/**
 * Splits a path into tokens: `agents[1].params.maxQty` and
 * `agents.1.params.maxQty` both give `agents, 1, params, maxQty`.
 *
 * @throws ConfigError on an empty path or segment
 */
export function parsePath(path: string): string[] {
  const dotted = path.trim().replace(/\[([^\]]*)\]/g, '.$1');
  if (/[[\]]/.test(dotted)) throw new ConfigError([path], 'malformed path: unbalanced brackets');
  const tokens = (dotted.startsWith('.') && path.trim().startsWith('[') ? dotted.slice(1) : dotted).split('.').map((t) => t.trim());
  if (tokens.length === 1 && tokens[0] === '') throw new ConfigError([path], 'empty path');
  if (tokens.some((t) => t === '')) throw new ConfigError([path], 'empty segment in path');
  return tokens;
}

/**
 * Resolves a path against a full experiment document (as made by
 * `toDocument`).
 *
 * @throws ConfigError naming the longest valid prefix and, for an unknown
 *   key, the closest known key
 */
export function resolvePath(doc: Readonly<Record<string, unknown>>, path: string): ResolvedPath {
  const tokens = parsePath(path);
  const docSegs: (string | number)[] = [];
  const configSegs: (string | number)[] = [];
  let node: unknown = doc;
  let group: Record<string, unknown> | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const here = tokens.slice(0, i + 1);
    const prefix = tokens.slice(0, i).join('.') || '(root)';
    if (FORBIDDEN_KEYS.has(token)) throw new ConfigError(here, `'${token}' is not an allowed key`);
    const parentKey = docSegs[docSegs.length - 1];
    if (Array.isArray(node)) {
      let index: number;
      if (/^[0-9]+$/.test(token)) {
        index = Number(token);
        if (index >= node.length) throw new ConfigError(here, `no entry ${index}: '${prefix}' has ${node.length}`);
      } else {
        const field = parentKey === 'agents' ? 'name' : parentKey === 'instruments' ? 'symbol' : null;
        if (field === null) throw new ConfigError(here, `'${prefix}' is a list: use an index 0..${node.length - 1}`);
        const names = node.map((e) => String((e as Record<string, unknown>)[field]));
        index = names.indexOf(token);
        const what = field === 'name' ? 'agent group' : 'instrument';
        if (index < 0) throw new ConfigError(here, `no ${what} named '${token}'${didYouMean(token, names)}; ${what}s: ${names.join(', ') || 'none'}`);
      }
      if (parentKey === 'agents') group = node[index] as Record<string, unknown>;
      docSegs.push(index);
      configSegs.push(index);
      node = node[index];
      continue;
    }
    if (isPlainObject(node) && node === doc && (token === 'calendar' || token === 'auctions') && !(token in node)) {
      // A file without a calendar or auctions section has the default one; a path into it opens the section.
      docSegs.push(token);
      configSegs.push(token);
      node = token === 'calendar' ? calendarDocument(defaultCalendar()) : auctionsDocument(defaultAuctions());
      continue;
    }
    if (isPlainObject(node)) {
      let key = token;
      let allowed = Object.keys(node);
      let what = (t: string) => `unknown key '${t}'`;
      if (parentKey === 'params' && group !== null) {
        const type = AGENT_TYPES.get(String(group.type));
        if (type !== undefined) allowed = Object.keys(type.params);
        what = (t) => `unknown parameter '${t}' of '${String(group!.type)}'`;
      } else if (parentKey === 'holdings') {
        allowed = ((doc.instruments as Record<string, unknown>[] | undefined) ?? []).map((s) => String(s.symbol));
        what = (t) => `unknown instrument '${t}' in holdings`;
      } else if (!(key in node) && DOCUMENT_NAMES[key] !== undefined && DOCUMENT_NAMES[key] in node) {
        key = DOCUMENT_NAMES[key] as string;
      }
      if (!allowed.includes(key)) throw new ConfigError(here, `${what(token)}${didYouMean(token, allowed)}`);
      docSegs.push(key);
      configSegs.push(CONFIG_NAMES[key] ?? key);
      node = node[key];
      continue;
    }
    if (node === null && parentKey === 'jumps') {
      throw new ConfigError(here, `'${prefix}' is null (no jumps); set it whole, e.g. ${prefix}={ratePerSecond: 0.01, mean: 0, sd: 50}`);
    }
    throw new ConfigError(here, `'${prefix}' is ${describeValue(node)}, it has no key '${token}'`);
  }
  return { text: path, doc: docSegs, config: configSegs, canonical: configSegs.join('.') };
}

/** The value at a segment path (undefined when absent). */
export function getIn(root: unknown, segments: readonly (string | number)[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

/** Sets the value at a resolved segment path; a missing `calendar` or `auctions` section is opened, every other parent must exist (use inside immer's `produce`). */
export function setIn(root: unknown, segments: readonly (string | number)[], value: unknown): void {
  const section = segments[0];
  if ((section === 'calendar' || section === 'auctions') && segments.length > 1 && isPlainObject(root) && root[section] === undefined) root[section] = {};
  const parent = getIn(root, segments.slice(0, -1));
  if (parent === null || typeof parent !== 'object') throw new Error(`no parent at ${segments.join('.')}`);
  (parent as Record<string | number, unknown>)[segments[segments.length - 1] as string | number] = value;
}

/** One change: a path and a value written as in the experiment file. */
export interface PathValue {
  readonly path: string;
  readonly value: unknown;
}

/**
 * A config with changes applied, derived with immer from its full document
 * and validated again like a file.
 *
 * @throws ConfigError for an unknown path; ConfigIssues for an invalid result
 */
export function applySets(config: ExperimentConfig, sets: readonly PathValue[]): ExperimentConfig {
  if (sets.length === 0) return config;
  const next = produce(toDocument(config), (draft) => {
    for (const s of sets) setIn(draft, resolvePath(draft, s.path).doc, s.value);
  });
  return parseExperiment(next, config.name).config;
}

/** The resolved value at a path of a config (durations in µs). */
export function getConfigValue(config: ExperimentConfig, path: string): unknown {
  const filled = config.calendar === undefined ? { ...config, calendar: defaultCalendar() } : config;
  return getIn(filled, resolvePath(toDocument(config), path).config);
}
