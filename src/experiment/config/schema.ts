/**
 * The experiment file: its YAML shape as a zod schema, the defaults that fill
 * it, the cross-field checks, and the way back from a resolved
 * {@link ExperimentConfig} to a document (for `config.yaml` and for
 * re-validating a config after `--set`, a sweep or an intervention changed it).
 *
 * Two steps turn YAML data into a config:
 * 1. {@link documentSchema} checks shapes, types, ranges and unknown keys and
 *    turns durations into µs (the document stays sparse);
 * 2. {@link resolveDocument} fills every default from `defaults.ts`, checks
 *    what spans fields (agent types and parameters through the registry,
 *    symbols, names, totals) and builds the config.
 * Every problem is a {@link ConfigIssue} with the key path in the document;
 * `load-config.ts` maps paths to file, line and column.
 *
 * @module
 */

import * as z from 'zod';
import { makeInstrument } from '../../market/instrument.js';
import { STP_MODES, type StpMode } from '../../market/order-book-api.js';
import { checkParams } from '../registry/agent-params.js';
import type { AgentType } from '../registry/agent-registry.js';
import { AGENT_TYPES } from '../registry/agent-types.js';
import type { AgentGroupConfig, CreditConfig, ExperimentConfig, FundamentalConfig, InstrumentConfig, InterventionConfig, InterventionEvent, JumpConfig, LatencyConfig, ParamValue } from './experiment-config.js';
import { ConfigError, formatPath } from './config-error.js';
import { defaultCredit, defaultExperiment, defaultInstrument } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import { describeValue, formatDuration, parseDuration } from './duration.js';
import { sizeIssues } from './size-limits.js';
import { exactArithmeticIssues } from './exact-limits.js';

/** A key path in an experiment document, e.g. `['agents', 2, 'params', 'maxQty']`. */
export type KeyPath = (string | number)[];

/** One problem of an experiment document, at a key path. */
export interface ConfigIssue {
  readonly path: KeyPath;
  readonly message: string;
  /** True when the problem is the key itself (unknown, forbidden), not its value. */
  readonly atKey?: boolean;
}

/** Problems found in an experiment; `load-config.ts` adds file locations. */
export class ConfigIssues extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n'));
    this.name = 'ConfigIssues';
  }
}

// ---------------------------------------------------------------------------
// Limits: refuse what would exhaust memory rather than try it.

/** Most agents in one experiment (all groups together). */
export const MAX_AGENTS = 100_000;
/** Longest simulated horizon, µs (30 days). */
export const MAX_HORIZON_US = 30 * 86_400_000_000;
/** Most rows of timeseries.csv; with the other products of several fields, in `size-limits.ts`. */
export { MAX_SAMPLE_ROWS } from './size-limits.js';
/** Longest rolling window of the sampler's realised volatility (per instrument, kept in memory). */
export const MAX_VOL_WINDOW = 100_000;
/** Most instruments. */
export const MAX_INSTRUMENTS = 100;
/** Most runs in one sweep (parameter points × seeds). */
export const MAX_RUNS = 100_000;
/** Most scheduled interventions. */
export const MAX_INTERVENTIONS = 10_000;

/** Keys that would reach JavaScript's object machinery; refused everywhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names every JavaScript object answers to. As an instrument symbol or a
 * group name they would collide with them wherever names key a table (ours,
 * or a charting library's), so they are refused.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...FORBIDDEN_KEYS,
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Agent group names and experiment names: letters, digits, `-`, `_` (they become folder and agent names). */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;
/** Instrument symbols. */
export const SYMBOL_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;

/** Defaults of a GBM fundamental (an OU one takes those of `defaultInstrument()`). */
export const GBM_DEFAULTS = { mu: 0, sigma: 1e-4, dtUs: 1_000_000 } as const;
/** Defaults of a jittered latency. */
export const JITTERED_DEFAULTS = { baseUs: 100, meanJitterUs: 50 } as const;

// ---------------------------------------------------------------------------
// zod schema of the document (what the YAML file may say).

const UNKNOWN_KEYS = '\u0000unknown-keys:';

/** A strict object: unknown keys are refused, with the known keys recorded for "did you mean". */
function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? UNKNOWN_KEYS + JSON.stringify(known) : undefined),
  });
}

/** A duration (see `duration.ts`) within bounds, in µs. */
function duration(bounds: { min?: number; max?: number } = {}) {
  return z.unknown().transform((value, ctx) => {
    const parsed = parseDuration(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem, input: value });
      return z.NEVER;
    }
    if (bounds.min !== undefined && parsed.us < bounds.min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(bounds.min)}, got ${formatDuration(parsed.us)}`, input: value });
      return z.NEVER;
    }
    if (bounds.max !== undefined && parsed.us > bounds.max) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(bounds.max)}, got ${formatDuration(parsed.us)}`, input: value });
      return z.NEVER;
    }
    return parsed.us;
  });
}

const name = () => z.string().regex(NAME_PATTERN, { error: "expected a name of letters, digits, '-' and '_' (at most 64)" });
const reserved = (what: string) => ({ error: (iss: { input: unknown }) => `'${String(iss.input)}' is reserved (every JavaScript object has it); choose another ${what}` });
const symbol = () =>
  z
    .string()
    .regex(SYMBOL_PATTERN, { error: "expected a symbol of letters, digits, '.', '-' and '_' (at most 32)" })
    .refine((s) => !RESERVED_NAMES.has(s), reserved('symbol'));
const groupName = () => name().refine((s) => !RESERVED_NAMES.has(s), reserved('name'));
const fraction = () => z.number().min(0).max(1);
const bigInt = (min: number) => z.number().int().min(min).max(Number.MAX_SAFE_INTEGER);

const jumpsSchema = strict({
  ratePerSecond: z.number().min(0).max(1e6),
  mean: z.number().optional(),
  sd: z.number().min(0),
});

const ouSchema = strict({
  process: z.literal('ou'),
  mean: z.number().positive().optional(),
  kappa: z.number().min(0).optional(),
  sigma: z.number().min(0).optional(),
  dt: duration({ min: 1, max: MAX_HORIZON_US }).optional(),
  jumps: jumpsSchema.nullable().optional(),
});

const gbmSchema = strict({
  process: z.literal('gbm'),
  mu: z.number().optional(),
  sigma: z.number().min(0).optional(),
  dt: duration({ min: 1, max: MAX_HORIZON_US }).optional(),
  jumps: jumpsSchema.nullable().optional(),
});

const fundamentalSchema = z.preprocess(
  (v) => (isPlainObject(v) && !('process' in v) ? { process: 'ou', ...v } : v),
  z.discriminatedUnion('process', [ouSchema, gbmSchema]),
);

const instrumentSchema = strict({
  symbol: symbol().optional(),
  tickSize: z.number().positive().optional(),
  lotSize: z.number().positive().optional(),
  minorUnit: z.number().positive().optional(),
  maxOrderQty: z.number().int().min(1).max(1e12).optional(),
  initialPrice: z.number().int().min(1).max(1e12).optional(),
  fundamental: fundamentalSchema.optional(),
});

const distributionSchema = z.discriminatedUnion('dist', [
  strict({ dist: z.literal('uniform'), min: z.number(), max: z.number() }),
  strict({ dist: z.literal('int'), min: z.number().int(), max: z.number().int() }),
  strict({ dist: z.literal('normal'), mean: z.number(), sd: z.number().min(0) }),
  strict({ dist: z.literal('lognormal'), mu: z.number(), sigma: z.number().min(0) }),
  strict({ dist: z.literal('choice'), values: z.array(z.union([z.number(), z.string()])).min(1).max(10_000) }),
]);

const PARAM_VALUE_HINT = 'expected a number, a string, true/false or a distribution {dist: uniform|int|normal|lognormal|choice, …}';

const paramValueSchema = z.union([z.number(), z.string(), z.boolean(), distributionSchema], { error: PARAM_VALUE_HINT });

const agentSchema = strict({
  type: z.string().min(1),
  name: groupName().optional(),
  count: z.number().int().min(0).max(MAX_AGENTS).optional(),
  cash: bigInt(0).optional(),
  holdings: z.record(z.string(), z.number().int().min(0).max(1e12)).optional(),
  params: z.record(z.string(), paramValueSchema).optional(),
});

const latencySchema = z.preprocess(
  (v) => (isPlainObject(v) && !('model' in v) ? { model: 'constant', ...v } : v),
  z.discriminatedUnion('model', [
    strict({ model: z.literal('constant'), us: duration({ max: 3_600_000_000 }).optional() }),
    strict({ model: z.literal('jittered'), baseUs: duration({ max: 3_600_000_000 }).optional(), meanJitterUs: duration({ max: 3_600_000_000 }).optional() }),
  ]),
);

const feesSchema = strict({
  makerBps: z.number().min(-1000).max(1000).optional(),
  takerBps: z.number().min(-1000).max(1000).optional(),
});

const creditSchema = strict({
  policy: z.enum(['aave', 'broker']).optional(),
  closeFactor: z.number().positive().max(1).optional(),
  criticalHealth: fraction().optional(),
  liquidationBonus: fraction().optional(),
  protocolShare: fraction().optional(),
  gracePeriod: duration({ max: MAX_HORIZON_US }).optional(),
  accrualInterval: duration({ min: 1, max: MAX_HORIZON_US }).optional(),
});

const eventSchema = z.discriminatedUnion('type', [
  strict({ type: z.literal('fundamental-jump'), instrument: symbol().optional(), size: z.number() }),
  strict({ type: z.literal('halt'), instrument: symbol().optional(), halted: z.boolean().optional() }),
  strict({ type: z.literal('market-sell'), instrument: symbol().optional(), qty: z.number().int().min(1).max(1e12) }),
  strict({ type: z.literal('haircut-shock'), add: z.number().min(-1).max(1) }),
]);

const interventionSchema = strict({
  at: duration({ max: MAX_HORIZON_US }),
  set: z.record(z.string(), z.unknown()).optional(),
  event: eventSchema.optional(),
});

/** Self-trade prevention modes a config may name ('none' cannot be settled by the ledger). */
export const STP_CHOICES = STP_MODES.filter((m): m is Exclude<StpMode, 'none'> => m !== 'none') as [Exclude<StpMode, 'none'>, ...Exclude<StpMode, 'none'>[]];

const sweepValues = () => z.array(z.unknown()).min(1).max(MAX_RUNS);

const rangeSchema = strict({ min: z.number(), max: z.number(), integer: z.boolean().optional(), log: z.boolean().optional() });

const sweepSchema = strict({
  grid: z.record(z.string(), sweepValues()).optional(),
  zip: z.record(z.string(), sweepValues()).optional(),
  random: strict({
    n: z.number().int().min(1).max(MAX_RUNS),
    seed: bigInt(0).optional(),
    space: z.record(z.string(), z.union([rangeSchema, sweepValues()], { error: 'expected a range {min, max[, integer, log]} or a list of choices' })),
  }).optional(),
});

const seedsSchema = z.union([z.number().int().min(1).max(MAX_RUNS), z.array(bigInt(0)).min(1).max(MAX_RUNS)], {
  error: 'expected a number of seeds or a list of seeds',
});

/** The zod schema of an experiment file (sparse: defaults are filled by {@link resolveDocument}). */
export const documentSchema = strict({
  name: name().optional(),
  description: z.string().optional(),
  seed: bigInt(0).optional(),
  horizon: duration({ min: 1, max: MAX_HORIZON_US }).optional(),
  sampling: duration({ min: 1, max: MAX_HORIZON_US }).optional(),
  volWindow: z.number().int().min(1).max(MAX_VOL_WINDOW).optional(),
  latency: latencySchema.optional(),
  fees: feesSchema.optional(),
  stp: z.enum(STP_CHOICES).optional(),
  instruments: z.array(instrumentSchema).min(1).max(MAX_INSTRUMENTS).optional(),
  agents: z.array(agentSchema).max(MAX_AGENTS).optional(),
  credit: creditSchema.optional(),
  interventions: z.array(interventionSchema).max(MAX_INTERVENTIONS).optional(),
  sweep: sweepSchema.optional(),
  seeds: seedsSchema.optional(),
  /** Read by `levsim fuzz` (fuzz-spec.ts), which validates it with its own locations; other commands ignore it. */
  fuzz: z.unknown().optional(),
});

/** A checked, still sparse experiment document (durations in µs). */
export type ExperimentDocument = z.output<typeof documentSchema>;

/** The shapes of the document's nested mappings, for the README reference and its test. */
export const DOCUMENT_SHAPES = {
  '': documentSchema.shape,
  latency: { model: 0, us: 0, baseUs: 0, meanJitterUs: 0 },
  fees: feesSchema.shape,
  'instruments[]': instrumentSchema.shape,
  'instruments[].fundamental': { ...ouSchema.shape, ...gbmSchema.shape },
  'instruments[].fundamental.jumps': jumpsSchema.shape,
  'agents[]': agentSchema.shape,
  credit: creditSchema.shape,
  'interventions[]': interventionSchema.shape,
  sweep: sweepSchema.shape,
} as const;

// ---------------------------------------------------------------------------
// zod issues → ConfigIssue.

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

// ---------------------------------------------------------------------------
// Resolution: defaults and cross-field checks.

/** One swept parameter: a config path and its values. */
export interface SweepAxis {
  /** The path as written (a key of `grid`, `zip` or `space`). */
  readonly path: string;
  readonly values: readonly unknown[];
}

/** A random dimension: a range (uniform, or log-uniform with `log`) or a list of choices. */
export interface RandomDimension {
  readonly path: string;
  readonly range: { min: number; max: number; integer: boolean; log: boolean } | null;
  readonly choices: readonly unknown[] | null;
}

/** The sweep of an experiment file; empty axes when the file has none. */
export interface SweepSpec {
  readonly grid: readonly SweepAxis[];
  readonly zip: readonly SweepAxis[];
  readonly random: { readonly n: number; readonly seed: number | null; readonly space: readonly RandomDimension[] } | null;
  /** `seeds: N` → N seeds from the base seed up; a list → those seeds; null → the base seed only. */
  readonly seeds: { readonly count: number } | { readonly list: readonly number[] } | null;
}

/** True when a sweep asks for more than the base run (any axis, or seeds). */
export function hasSweep(sweep: SweepSpec): boolean {
  return sweep.grid.length + sweep.zip.length > 0 || sweep.random !== null || sweep.seeds !== null;
}

/** The result of resolving a document. */
export interface ResolvedExperiment {
  readonly config: ExperimentConfig;
  readonly sweep: SweepSpec;
}

/**
 * Fills the defaults of `defaults.ts` into a checked document and runs the
 * checks that span fields. Agent parameters are checked through the agent
 * registry, so new agent types need no change here.
 *
 * @param defaultName the experiment name when the document has none (the file's base name)
 */
export function resolveDocument(doc: ExperimentDocument, defaultName = defaultExperiment().name): { resolved: ResolvedExperiment } | { issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const add = (path: KeyPath, message: string, atKey = false) => issues.push({ path, message, atKey });
  const base = defaultExperiment();

  const horizonUs = doc.horizon ?? base.horizonUs;
  const samplingUs = doc.sampling ?? base.samplingUs;
  if (samplingUs > horizonUs) add([doc.sampling !== undefined ? 'sampling' : 'horizon'], `sampling interval (${formatDuration(samplingUs)}) is longer than the horizon (${formatDuration(horizonUs)})`);

  const instruments = (doc.instruments ?? [{}]).map((spec, i) => instrumentOf(spec, i, add));
  const symbols = instruments.map((i) => i.symbol);
  symbols.forEach((s, i) => {
    if (symbols.indexOf(s) !== i) add(['instruments', i, 'symbol'], `duplicate symbol '${s}' (also instruments[${symbols.indexOf(s)}])`);
  });

  const agents = (doc.agents ?? []).map((g, i) => agentGroupOf(g, i, symbols, add));
  const names = agents.map((g) => g.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) {
      const named = doc.agents?.[i]?.name !== undefined;
      add(['agents', i, named ? 'name' : 'type'], `duplicate agent group name '${n}' (also agents[${names.indexOf(n)}])${named ? '' : "; give the group a 'name'"}`);
    }
  });
  const total = agents.reduce((s, g) => s + g.count, 0);
  if (total > MAX_AGENTS) add(['agents'], `${total.toLocaleString('en-US')} agents in all exceed the limit of ${MAX_AGENTS.toLocaleString('en-US')}`);
  if (total === 0) add(['agents'], agents.length === 0 ? "an experiment needs at least one agent: add a group under 'agents'" : 'an experiment needs at least one agent: every group has count 0');

  const credit: CreditConfig = { ...defaultCredit() };
  if (doc.credit !== undefined) {
    const c = doc.credit;
    if (c.policy !== undefined) credit.policy = c.policy;
    if (c.closeFactor !== undefined) credit.closeFactor = c.closeFactor;
    if (c.criticalHealth !== undefined) credit.criticalHealth = c.criticalHealth;
    if (c.liquidationBonus !== undefined) credit.liquidationBonus = c.liquidationBonus;
    if (c.protocolShare !== undefined) credit.protocolShare = c.protocolShare;
    if (c.gracePeriod !== undefined) credit.gracePeriodUs = c.gracePeriod;
    if (c.accrualInterval !== undefined) credit.accrualIntervalUs = c.accrualInterval;
  }

  const interventions = (doc.interventions ?? []).map((iv, i) => interventionOf(iv, i, horizonUs, symbols, add));
  exactArithmeticIssues(instruments, agents, interventions, add);

  const name = doc.name ?? (NAME_PATTERN.test(defaultName) ? defaultName : base.name);
  const config: ExperimentConfig = {
    name,
    description: doc.description ?? base.description,
    seed: doc.seed ?? base.seed,
    horizonUs,
    samplingUs,
    volWindow: doc.volWindow ?? base.volWindow,
    latency: latencyOf(doc.latency, base.latency),
    fees: { makerBps: doc.fees?.makerBps ?? base.fees.makerBps, takerBps: doc.fees?.takerBps ?? base.fees.takerBps },
    stp: doc.stp ?? base.stp,
    instruments,
    agents,
    credit,
    interventions,
  };
  const sweep = sweepOf(doc, add);
  issues.push(...sizeIssues(config, doc.sampling !== undefined));
  return issues.length > 0 ? { issues } : { resolved: { config, sweep } };
}

type Add = (path: KeyPath, message: string, atKey?: boolean) => void;

function latencyOf(doc: ExperimentDocument['latency'], fallback: LatencyConfig): LatencyConfig {
  if (doc === undefined) return { ...fallback };
  if (doc.model === 'constant') return { model: 'constant', us: doc.us ?? (fallback.model === 'constant' ? fallback.us : JITTERED_DEFAULTS.baseUs) };
  return { model: 'jittered', baseUs: doc.baseUs ?? JITTERED_DEFAULTS.baseUs, meanJitterUs: doc.meanJitterUs ?? JITTERED_DEFAULTS.meanJitterUs };
}

function instrumentOf(spec: NonNullable<ExperimentDocument['instruments']>[number], i: number, add: Add): InstrumentConfig {
  const d = defaultInstrument(spec.symbol ?? (i === 0 ? undefined : `ABC${i}`));
  const initialPrice = spec.initialPrice ?? d.initialPrice;
  const out: InstrumentConfig = {
    symbol: d.symbol,
    tickSize: spec.tickSize ?? d.tickSize,
    lotSize: spec.lotSize ?? d.lotSize,
    minorUnit: spec.minorUnit ?? d.minorUnit,
    maxOrderQty: spec.maxOrderQty ?? d.maxOrderQty,
    initialPrice,
    fundamental: fundamentalOf(spec.fundamental, initialPrice, d.fundamental),
  };
  if (spec.symbol === undefined && i > 0) add(['instruments', i], "every instrument after the first needs a 'symbol'");
  try {
    makeInstrument(i, out);
  } catch (e) {
    add(['instruments', i, 'tickSize'], (e as Error).message.replace(/^[^:]*: /, ''));
  }
  return out;
}

function jumpsOf(j: { ratePerSecond: number; mean?: number | undefined; sd: number } | null | undefined): JumpConfig | null {
  return j == null ? null : { ratePerSecond: j.ratePerSecond, mean: j.mean ?? 0, sd: j.sd };
}

function fundamentalOf(f: NonNullable<NonNullable<ExperimentDocument['instruments']>[number]['fundamental']> | undefined, initialPrice: number, d: FundamentalConfig): FundamentalConfig {
  const ou = d.process === 'ou' ? d : null;
  if (f === undefined || f.process === 'ou') {
    return {
      process: 'ou',
      mean: f?.mean ?? initialPrice,
      kappa: f?.kappa ?? ou?.kappa ?? 1e-4,
      sigma: f?.sigma ?? ou?.sigma ?? 1,
      dtUs: f?.dt ?? d.dtUs,
      jumps: jumpsOf(f?.jumps),
    };
  }
  return { process: 'gbm', mu: f.mu ?? GBM_DEFAULTS.mu, sigma: f.sigma ?? GBM_DEFAULTS.sigma, dtUs: f.dt ?? GBM_DEFAULTS.dtUs, jumps: jumpsOf(f.jumps) };
}

/** Parameters whose name ends in `Us` take durations (`meanInterArrivalUs: 30s`). */
function isDurationParam(type: AgentType, key: string): boolean {
  return key.endsWith('Us') && typeof type.params[key]?.default === 'number';
}

function agentGroupOf(g: NonNullable<ExperimentDocument['agents']>[number], i: number, symbols: readonly string[], add: Add): AgentGroupConfig {
  const path: KeyPath = ['agents', i];
  const params: Record<string, ParamValue> = {};
  const type = AGENT_TYPES.get(g.type);
  if (type === undefined) {
    add([...path, 'type'], `unknown agent type '${g.type}'${didYouMean(g.type, [...AGENT_TYPES.keys()])}; known types: ${[...AGENT_TYPES.keys()].join(', ')}`);
  }
  for (const [key, raw] of Object.entries(g.params ?? {})) {
    let value = raw as ParamValue;
    const at: KeyPath = [...path, 'params', key];
    if (type !== undefined && typeof value === 'string' && isDurationParam(type, key)) {
      const parsed = parseDuration(value);
      if ('problem' in parsed) {
        add(at, parsed.problem);
        continue;
      }
      value = parsed.us;
    }
    params[key] = value;
    if (type === undefined) continue;
    const problem = paramProblem(type, key, value);
    if (problem !== null) add(at, problem, problem.startsWith('unknown parameter'));
    if (key === 'instrument' && typeof value === 'string' && value !== '' && !symbols.includes(value)) {
      add(at, `unknown instrument '${value}'${didYouMean(value, symbols)}`);
    }
  }
  const holdings: Record<string, number> = {};
  for (const [symbol, lots] of Object.entries(g.holdings ?? {})) {
    if (!symbols.includes(symbol)) add([...path, 'holdings', symbol], `unknown instrument '${symbol}'${didYouMean(symbol, symbols)}; instruments: ${symbols.join(', ')}`, true);
    holdings[symbol] = lots;
  }
  return {
    type: g.type,
    name: g.name ?? g.type,
    count: g.count ?? 1,
    cash: g.cash ?? 0,
    holdings,
    params,
  };
}

/** The registry's verdict on one parameter value (scalar, or each bound/choice of a distribution). */
function paramProblem(type: AgentType, key: string, value: ParamValue): string | null {
  const check = (v: ParamValue): string | null => {
    try {
      checkParams(type, { [key]: v }, []);
      return null;
    } catch (e) {
      if (e instanceof ConfigError) return e.problem;
      throw e;
    }
  };
  const first = check(value);
  if (first !== null || typeof value !== 'object') return first;
  const spec = type.params[key]!;
  switch (value.dist) {
    case 'uniform':
    case 'int':
      if (value.min > value.max) return `distribution min (${value.min}) is above max (${value.max})`;
      if (spec.integer === true && value.dist === 'uniform') return `'${key}' is a whole number: use {dist: int, …} or {dist: choice, …}`;
      return check(value.min) ?? check(value.max);
    case 'normal':
    case 'lognormal':
      return spec.integer === true ? `'${key}' is a whole number: use {dist: int, …} or {dist: choice, …}` : null;
    case 'choice':
      for (const v of value.values) {
        const p = check(v);
        if (p !== null) return `choice ${JSON.stringify(v)}: ${p}`;
      }
      return null;
  }
}

function interventionOf(iv: NonNullable<ExperimentDocument['interventions']>[number], i: number, horizonUs: number, symbols: readonly string[], add: Add): InterventionConfig {
  const path: KeyPath = ['interventions', i];
  if (iv.at > horizonUs) add([...path, 'at'], `is after the horizon (${formatDuration(horizonUs)})`);
  if ((iv.set === undefined) === (iv.event === undefined)) add(path, "needs exactly one of 'set' or 'event'");
  for (const key of Object.keys(iv.set ?? {})) {
    if (key.split(/[.[\]]/).some((part) => FORBIDDEN_KEYS.has(part))) add([...path, 'set', key], `'${key}' is not an allowed path`);
  }
  let event: InterventionEvent | null = null;
  if (iv.event !== undefined) {
    const e = iv.event;
    if (e.type !== 'haircut-shock') {
      const instrument = e.instrument ?? symbols[0] ?? '';
      if (!symbols.includes(instrument)) add([...path, 'event', 'instrument'], `unknown instrument '${instrument}'${didYouMean(instrument, symbols)}`);
      if (e.type === 'fundamental-jump') event = { type: e.type, instrument, size: e.size };
      else if (e.type === 'halt') event = { type: e.type, instrument, halted: e.halted ?? true };
      else event = { type: e.type, instrument, qty: e.qty };
    } else {
      event = { type: 'haircut-shock', add: e.add };
    }
  }
  return { atUs: iv.at, set: { ...(iv.set ?? {}) }, event };
}

function sweepOf(doc: ExperimentDocument, add: Add): SweepSpec {
  const s = doc.sweep;
  const axes = (rec: Record<string, unknown[]> | undefined): SweepAxis[] => Object.entries(rec ?? {}).map(([path, values]) => ({ path, values }));
  const grid = axes(s?.grid);
  const zip = axes(s?.zip);
  const lengths = new Set(zip.map((a) => a.values.length));
  if (lengths.size > 1) add(['sweep', 'zip'], `the lists of 'zip' must have one length; got ${zip.map((a) => `${a.path}: ${a.values.length}`).join(', ')}`);
  let random: SweepSpec['random'] = null;
  if (s?.random !== undefined) {
    const space: RandomDimension[] = [];
    for (const [path, dim] of Object.entries(s.random.space)) {
      if (Array.isArray(dim)) {
        space.push({ path, range: null, choices: dim });
        continue;
      }
      const range = { min: dim.min, max: dim.max, integer: dim.integer ?? false, log: dim.log ?? false };
      if (range.min > range.max) add(['sweep', 'random', 'space', path, 'min'], `min (${range.min}) is above max (${range.max})`);
      if (range.log && range.min <= 0) add(['sweep', 'random', 'space', path, 'min'], 'a log range needs min > 0');
      space.push({ path, range, choices: null });
    }
    if (space.length === 0) add(['sweep', 'random', 'space'], 'needs at least one parameter');
    random = { n: s.random.n, seed: s.random.seed ?? null, space };
  }
  const swept = [...grid.map((a) => ['grid', a.path]), ...zip.map((a) => ['zip', a.path]), ...(random?.space.map((d) => ['random', d.path]) ?? [])];
  swept.forEach(([where, path], i) => {
    const first = swept.findIndex((e) => e[1] === path);
    if (first !== i) add(where === 'random' ? ['sweep', 'random', 'space', path as string] : ['sweep', where as string, path as string], `'${path}' is swept twice (also in ${swept[first]![0]})`, true);
  });
  const seeds: SweepSpec['seeds'] = doc.seeds === undefined ? null : typeof doc.seeds === 'number' ? { count: doc.seeds } : { list: doc.seeds };
  if (seeds !== null && 'list' in seeds && new Set(seeds.list).size !== seeds.list.length) add(['seeds'], 'seeds must be distinct');
  const points = grid.reduce((n, a) => n * a.values.length, 1) * (zip[0]?.values.length ?? 1) * (random?.n ?? 1);
  const runs = points * (seeds === null ? 1 : 'count' in seeds ? seeds.count : seeds.list.length);
  if (runs > MAX_RUNS) add(['sweep'], `${runs.toLocaleString('en-US')} runs exceed the limit of ${MAX_RUNS.toLocaleString('en-US')}`);
  return { grid, zip, random, seeds };
}

/** Checks YAML data and resolves it; throws {@link ConfigIssues}. */
export function parseExperiment(data: unknown, defaultName?: string): ResolvedExperiment {
  const checked = checkDocument(data);
  if ('issues' in checked) throw new ConfigIssues(checked.issues);
  const resolved = resolveDocument(checked.doc, defaultName);
  if ('issues' in resolved) throw new ConfigIssues(resolved.issues);
  return resolved.resolved;
}

// ---------------------------------------------------------------------------
// The way back: a resolved config as a full document.

/**
 * The full document of a resolved config: every key present, durations in
 * their shortest exact spelling. Parsing it gives back the same config; it is
 * what `config.yaml` holds, and what `--set`, sweeps and interventions edit.
 */
export function toDocument(config: ExperimentConfig): Record<string, unknown> {
  return {
    name: config.name,
    description: config.description,
    seed: config.seed,
    horizon: formatDuration(config.horizonUs),
    sampling: formatDuration(config.samplingUs),
    volWindow: config.volWindow,
    latency: config.latency.model === 'constant'
      ? { model: 'constant', us: formatDuration(config.latency.us) }
      : { model: 'jittered', baseUs: formatDuration(config.latency.baseUs), meanJitterUs: formatDuration(config.latency.meanJitterUs) },
    fees: { makerBps: config.fees.makerBps, takerBps: config.fees.takerBps },
    stp: config.stp,
    instruments: config.instruments.map((i) => ({
      symbol: i.symbol,
      tickSize: i.tickSize,
      lotSize: i.lotSize,
      minorUnit: i.minorUnit,
      maxOrderQty: i.maxOrderQty,
      initialPrice: i.initialPrice,
      fundamental: fundamentalDoc(i.fundamental),
    })),
    agents: config.agents.map((g) => ({
      type: g.type,
      name: g.name,
      count: g.count,
      cash: g.cash,
      holdings: { ...g.holdings },
      params: structuredClone(g.params),
    })),
    credit: {
      policy: config.credit.policy,
      closeFactor: config.credit.closeFactor,
      criticalHealth: config.credit.criticalHealth,
      liquidationBonus: config.credit.liquidationBonus,
      protocolShare: config.credit.protocolShare,
      gracePeriod: formatDuration(config.credit.gracePeriodUs),
      accrualInterval: formatDuration(config.credit.accrualIntervalUs),
    },
    interventions: config.interventions.map((iv) => (iv.event === null ? { at: formatDuration(iv.atUs), set: structuredClone(iv.set) } : { at: formatDuration(iv.atUs), event: { ...iv.event } })),
  };
}

function fundamentalDoc(f: FundamentalConfig): Record<string, unknown> {
  const jumps = f.jumps === null ? null : { ...f.jumps };
  if (f.process === 'ou') return { process: 'ou', mean: f.mean, kappa: f.kappa, sigma: f.sigma, dt: formatDuration(f.dtUs), jumps };
  return { process: 'gbm', mu: f.mu, sigma: f.sigma, dt: formatDuration(f.dtUs), jumps };
}

/** True for a plain mapping (not null, not a list). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
