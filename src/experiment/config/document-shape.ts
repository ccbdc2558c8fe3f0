/**
 * The shape of an experiment file: what the YAML may say, as a zod schema
 * with its bounds, names and patterns. Parsing with it checks shapes, types,
 * ranges and unknown keys and turns durations into µs; the document stays
 * sparse (`resolve-document.ts` fills the defaults). Its zod issues become
 * ConfigIssues in `document-issues.ts`.
 *
 * @module
 */

import * as z from 'zod';
import { STP_MODES, type StpMode } from '../../market/order-book-api.js';
import { describeValue, formatDuration, parseDuration } from './duration.js';

// ---------------------------------------------------------------------------
// Limits: refuse what would exhaust memory rather than try it.

/** Most agents in one experiment (all groups together). */
export const MAX_AGENTS = 100_000;
/** Most trading sessions in a run: ten years of 252 trading days. */
export const MAX_SESSIONS = 2_520;
/** Longest simulated horizon (and any duration inside it), µs of trading time: {@link MAX_SESSIONS} sessions of at most 24 h. */
export const MAX_HORIZON_US = MAX_SESSIONS * 86_400_000_000;
/** Longest trading session, µs (a market open around the clock). */
export const MAX_SESSION_US = 86_400_000_000;
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
// ---------------------------------------------------------------------------
// zod schema of the document (what the YAML file may say).
/** Marks zod's unknown-key messages, which carry the known keys as JSON (read by `document-issues.ts`). */
export const UNKNOWN_KEYS = '\u0000unknown-keys:';

/** A strict object: unknown keys are refused, with the known keys recorded for "did you mean". */
function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? UNKNOWN_KEYS + JSON.stringify(known) : undefined),
  });
}

/**
 * A duration (see `duration.ts`) within bounds, in µs. `belowMin`, when
 * given, says in the key's own words why a value under `min` means nothing;
 * a negative value, which is not a duration at all, gets that sentence too.
 */
function duration(bounds: { min?: number; max?: number; belowMin?: string } = {}) {
  return z.unknown().transform((value, ctx) => {
    const negative = (typeof value === 'number' && value < 0) || (typeof value === 'string' && /^\s*-/.test(value));
    const parsed = negative && bounds.belowMin !== undefined ? null : parseDuration(value);
    if (parsed !== null && 'problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem, input: value });
      return z.NEVER;
    }
    if (bounds.min !== undefined && (parsed === null || parsed.us < bounds.min)) {
      const message = bounds.belowMin !== undefined ? `${bounds.belowMin}, got ${describeValue(value)}` : `must be at least ${formatDuration(bounds.min)}, got ${formatDuration((parsed as { us: number }).us)}`;
      ctx.addIssue({ code: 'custom', message, input: value });
      return z.NEVER;
    }
    const us = (parsed as { us: number }).us;
    if (bounds.max !== undefined && us > bounds.max) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(bounds.max)}, got ${formatDuration(us)}`, input: value });
      return z.NEVER;
    }
    return us;
  });
}

/**
 * The gap between consecutive liquidations that separates two episodes
 * (FACTS.md, "Cascades … episodes"): a duration longer than 0 — at 0 no two
 * liquidations could ever share an episode, and a negative gap means nothing.
 */
function episodeGap() {
  return duration({ min: 1, max: MAX_HORIZON_US, belowMin: 'the gap that separates liquidation episodes must be longer than 0 (liquidations closer than it in time form one episode)' });
}

/** What a horizon looks like, for error messages. */
export const HORIZON_HINT = "trading time (whole µs or a number with a unit: us, ms, s, m, h, e.g. '6.5h') or whole trading days (e.g. '5d')";

/** A horizon in trading days, `5d`: whole sessions (the file's `calendar.session` long each). */
const DAYS_PATTERN = /^\s*([0-9]+(?:\.[0-9]*)?)\s*d\s*$/;

/**
 * The horizon: a duration of trading time (µs), or `<n>d`, n whole trading
 * sessions — not n × 24 h, since nothing is simulated while the market is
 * shut. Sessions become µs once the calendar is known (`resolve-document.ts`).
 */
function horizon() {
  return z.unknown().transform((value, ctx): number | { sessions: number } => {
    const days = typeof value === 'string' ? DAYS_PATTERN.exec(value) : null;
    if (days === null) {
      const parsed = parseDuration(value);
      if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem.startsWith('expected') ? `expected ${HORIZON_HINT}, got ${describeValue(value)}` : parsed.problem, input: value });
      else if (parsed.us < 1) ctx.addIssue({ code: 'custom', message: 'must be at least 1us of trading time', input: value });
      else if (parsed.us > MAX_HORIZON_US) ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(MAX_HORIZON_US)} of trading time, got ${formatDuration(parsed.us)}`, input: value });
      else return parsed.us;
      return z.NEVER;
    }
    const n = Number(days[1]);
    if (!Number.isInteger(n) || n < 1) ctx.addIssue({ code: 'custom', message: `a horizon in days counts whole trading sessions, at least 1, got '${value as string}'`, input: value });
    else if (n > MAX_SESSIONS) ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_SESSIONS.toLocaleString('en-US')} trading days (ten years), got ${n}`, input: value });
    else return { sessions: n };
    return z.NEVER;
  });
}

/** Weekday names of `calendar.startWeekday`, Monday first. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

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
  strict({ dist: z.literal('each'), values: z.array(z.union([z.number(), z.string()])).min(1).max(10_000) }),
]);

const PARAM_VALUE_HINT = 'expected a number, a string, true/false or a distribution {dist: uniform|int|normal|lognormal|choice|each, …}';

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

const calendarSchema = strict({
  session: duration({ min: 1_000_000, max: MAX_SESSION_US }).optional(),
  overnight: duration({ max: 7 * MAX_SESSION_US }).optional(),
  tradingDaysPerWeek: z.number().int().min(1).max(7).optional(),
  startWeekday: z.enum(WEEKDAYS).optional(),
  overnightVarianceShare: z.number().min(0).max(0.95).optional(),
  timeInForce: z.enum(['day', 'gtc']).optional(),
});

const auctionsSchema = strict({
  opening: duration({ max: MAX_SESSION_US }).optional(),
  closing: duration({ max: MAX_SESSION_US }).optional(),
  batch: duration({ max: MAX_SESSION_US })
    .refine((us) => us !== 1, { message: 'a batch interval is 0 (none) or at least 2µs: each uncrossing falls 1 µs before the end of its interval, after the open' })
    .optional(),
  allocation: z.enum(['time', 'pro-rata']).optional(),
  collarBps: z.number().int().min(1).max(9999).optional(),
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
  horizon: horizon().optional(),
  sampling: duration({ min: 1, max: MAX_HORIZON_US }).optional(),
  volWindow: z.number().int().min(1).max(MAX_VOL_WINDOW).optional(),
  episodeGap: episodeGap().optional(),
  outputs: strict({ trades: z.boolean({ error: 'expected true or false' }).optional() }).optional(),
  latency: latencySchema.optional(),
  fees: feesSchema.optional(),
  stp: z.enum(STP_CHOICES).optional(),
  instruments: z.array(instrumentSchema).min(1).max(MAX_INSTRUMENTS).optional(),
  agents: z.array(agentSchema).max(MAX_AGENTS).optional(),
  credit: creditSchema.optional(),
  calendar: calendarSchema.optional(),
  auctions: auctionsSchema.optional(),
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
  calendar: calendarSchema.shape,
  auctions: auctionsSchema.shape,
  'interventions[]': interventionSchema.shape,
  sweep: sweepSchema.shape,
} as const;

/** True for a plain mapping (not null, not a list). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
