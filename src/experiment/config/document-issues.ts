/**
 * zod issues → {@link ConfigIssue}s: short messages that say what was
 * expected and what was found, unknown keys one by one with a "did you mean",
 * unions narrowed to the branch the user meant.
 *
 * @module
 */

import type * as z from 'zod';
import type { ConfigIssue, KeyPath } from './config-issues.js';
import { didYouMean } from './did-you-mean.js';
import { documentSchema, isPlainObject, UNKNOWN_KEYS, type ExperimentDocument } from './document-shape.js';
import { describeValue } from './duration.js';


const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
  nan: 'a number',
};

/** zod's per-parse error map: short messages that say what was expected and what was found. */
function errorMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const input = iss.input;
  switch (iss.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      if (iss.expected === 'number' && typeof input === 'number') return `expected a finite number, got ${input}`;
      return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}, got ${describeValue(input)}`;
    case 'too_small':
      if (iss.origin === 'array') return `needs at least ${String(iss.minimum)} entr${Number(iss.minimum) === 1 ? 'y' : 'ies'}`;
      if (iss.origin === 'string') return 'must not be empty';
      return `must be ${iss.inclusive === false ? '>' : '≥'} ${String(iss.minimum)}, got ${describeValue(input)}`;
    case 'too_big':
      if (iss.origin === 'array') return `has more than ${String(iss.maximum)} entries (the limit)`;
      if (iss.origin === 'string') return `is longer than ${String(iss.maximum)} characters`;
      return `must be ${iss.inclusive === false ? '<' : '≤'} ${String(iss.maximum)}, got ${describeValue(input)}`;
    case 'invalid_value': {
      const options = iss.values.map((v) => `'${String(v)}'`).join(', ');
      const hint = typeof input === 'string' ? didYouMean(input, iss.values.map(String)) : '';
      return `expected ${iss.values.length === 1 ? options : `one of ${options}`}${hint}, got ${describeValue(input)}`;
    }
    case 'invalid_union': {
      const disc = (iss as { discriminator?: string }).discriminator;
      const options = (iss as { options?: unknown[] }).options;
      if (disc !== undefined && options !== undefined && isPlainObject(input)) {
        const given = input[disc];
        const list = options.map((o) => `'${String(o)}'`).join(', ');
        if (given === undefined) return `is required: one of ${list}`;
        return `expected one of ${list}${typeof given === 'string' ? didYouMean(given, options.map(String)) : ''}, got ${describeValue(given)}`;
      }
      if (disc !== undefined) return `expected a mapping, got ${describeValue(input)}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Flattens zod issues into ConfigIssues: unknown keys one by one with suggestions, unions into their one plausible branch. */
function toConfigIssues(issues: readonly z.core.$ZodIssue[], prefix: KeyPath = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const iss of issues) {
    const path: KeyPath = [...prefix, ...(iss.path as KeyPath)];
    if (iss.code === 'unrecognized_keys') {
      const known: string[] = iss.message.startsWith(UNKNOWN_KEYS) ? JSON.parse(iss.message.slice(UNKNOWN_KEYS.length)) : [];
      for (const key of iss.keys) out.push({ path: [...path, key], message: `unknown key '${key}'${didYouMean(key, known)}`, atKey: true });
      continue;
    }
    if (iss.code === 'invalid_union' && iss.errors.length > 0) {
      // Keep the branches that got past the type check: the user meant one of those.
      const plausible = iss.errors.filter((branch) => !branch.every((b) => b.code === 'invalid_type' && b.path.length === 0));
      if (plausible.length === 1) {
        out.push(...toConfigIssues(plausible[0] as z.core.$ZodIssue[], path));
        continue;
      }
    }
    out.push({ path, message: iss.message });
  }
  return out;
}

/** Checks the shape of YAML data; the issues carry document paths. */
export function checkDocument(data: unknown): { doc: ExperimentDocument } | { issues: ConfigIssue[] } {
  const result = documentSchema.safeParse(data ?? {}, { error: errorMessage });
  if (result.success) return { doc: result.data };
  return { issues: toConfigIssues(result.error.issues) };
}
