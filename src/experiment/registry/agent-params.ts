import type { RandomStream } from '../../engine/random-stream.js';
import type { AgentType, ParamRange, Scalar } from './agent-registry.js';
import type { ParamValue } from '../config/experiment-config.js';
import { ConfigError } from '../config/config-error.js';
import { didYouMean } from '../config/did-you-mean.js';

/**
 * Checks a group's parameters against its agent type: unknown names are
 * refused with a suggestion, values must have the default's type and lie in
 * range. Distributions are checked for shape only.
 */
export function checkParams(type: AgentType, params: Readonly<Record<string, ParamValue>>, path: (string | number)[]): void {
  for (const [key, value] of Object.entries(params)) {
    const spec = type.params[key];
    if (spec === undefined) {
      throw new ConfigError([...path, key], `unknown parameter of '${type.type}'${didYouMean(key, Object.keys(type.params))}`);
    }
    if (typeof value === 'object' && value !== null) {
      if (typeof spec.default !== 'number' && value.dist !== 'choice' && value.dist !== 'each') throw new ConfigError([...path, key], `a distribution needs a number parameter; '${key}' is a ${typeof spec.default}`);
      continue;
    }
    checkScalar(type, key, value, [...path, key]);
  }
}

/**
 * The parameters of one agent: defaults, overridden by the group's values,
 * distributions drawn from the agent's own parameter stream (so adding an
 * agent to a group changes no other agent's draws); `{dist: each}` gives
 * member `member` of the group its own value.
 */
export function drawParams(type: AgentType, params: Readonly<Record<string, ParamValue>>, stream: RandomStream, member: number, path: (string | number)[]): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [key, spec] of Object.entries(type.params)) {
    const given = params[key];
    const value = given === undefined ? spec.default : draw(given, stream, member);
    checkScalar(type, key, value, [...path, key]);
    out[key] = value;
  }
  return out;
}

function draw(value: ParamValue, stream: RandomStream, member: number): Scalar {
  if (typeof value !== 'object' || value === null) return value;
  switch (value.dist) {
    case 'uniform':
      return stream.uniformIn(value.min, value.max);
    case 'int':
      return stream.int(value.min, value.max);
    case 'normal':
      return stream.normal(value.mean, value.sd);
    case 'lognormal':
      return stream.lognormal(value.mu, value.sigma);
    case 'choice':
      return value.values[stream.int(0, value.values.length - 1)] as number | string;
    case 'each':
      return value.values[member % value.values.length] as number | string;
  }
}

function checkScalar(type: AgentType, key: string, value: Scalar, path: (string | number)[]): void {
  const spec = type.params[key]!;
  const expected = typeof spec.default;
  if (typeof value !== expected) throw new ConfigError(path, `expected a ${expected} (${spec.doc}), got ${JSON.stringify(value)}`);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConfigError(path, `expected a finite number, got ${value}`);
    if (spec.integer === true && !Number.isInteger(value)) throw new ConfigError(path, `expected a whole number (${spec.doc}), got ${value}`);
    const why = spec.limitWhy === undefined ? '' : `; ${spec.limitWhy}`;
    if (spec.min !== undefined && spec.exclusiveMin === true && value <= spec.min) throw new ConfigError(path, `must be > ${spec.min} (${spec.doc}${why}), got ${value}`);
    if (spec.min !== undefined && value < spec.min) throw new ConfigError(path, `must be ≥ ${spec.min} (${spec.doc}${why}), got ${value}`);
    if (spec.max !== undefined && value > spec.max) throw new ConfigError(path, `must be ≤ ${spec.max} (${spec.doc}${why}), got ${value}`);
  }
  if (typeof value === 'string' && spec.choices !== undefined && !spec.choices.includes(value)) {
    throw new ConfigError(path, `expected one of ${spec.choices.join(', ')}${didYouMean(value, spec.choices)}, got '${value}'`);
  }
}

/** The {@link ParamRange} of a group's parameters (number parameters; others give NaN). */
export function paramRange(type: AgentType, params: Readonly<Record<string, ParamValue>>): ParamRange {
  return (key) => {
    const v = params[key] ?? (type.params[key]?.default as ParamValue | undefined);
    if (typeof v === 'number') return [v, v];
    if (typeof v !== 'object' || v === null) return [Number.NaN, Number.NaN];
    switch (v.dist) {
      case 'uniform':
      case 'int':
        return [v.min, v.max];
      case 'normal':
        return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
      case 'lognormal':
        return [0, Number.POSITIVE_INFINITY];
      case 'choice':
      case 'each': {
        const nums = v.values.filter((x): x is number => typeof x === 'number');
        return nums.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...nums), Math.max(...nums)];
      }
    }
  };
}
