import type { Agent } from '../../engine/kernel.js';
import type { AgentId } from '../../engine/agent-id.js';
import type { Instrument } from '../../market/instrument.js';
import type { ValueProcess } from '../../market/value-process.js';
import type { ParamValue } from '../config/experiment-config.js';

/** A scalar parameter value after distributions have been drawn. */
export type Scalar = number | string | boolean;

/** One documented parameter of an agent type. */
export interface ParamSpec {
  /** The default; its JavaScript type is the parameter's type. */
  readonly default: Scalar;
  /** Meaning and unit, shown in the README's YAML reference and in errors. */
  readonly doc: string;
  /** Allowed values of a string parameter. */
  readonly choices?: readonly string[];
  /** Smallest allowed value of a number parameter. */
  readonly min?: number;
  /** True when `min` itself is not allowed (a number parameter in an open interval, e.g. (0, 1]). */
  readonly exclusiveMin?: boolean;
  /** Largest allowed value of a number parameter. */
  readonly max?: number;
  /** True when the parameter must be a whole number. */
  readonly integer?: boolean;
  /** Why `min` or `max` is what it is when it guards memory or time (said in errors). */
  readonly limitWhy?: string;
}

// Bounds of the parameters that size an agent's memory or its event rate: a
// value inside the schema must not be able to exhaust either.

/** Shortest period of an agent's clock or arrivals, µs. */
export const MIN_PERIOD_US = 1_000;
/** Why periods are bounded below. */
export const PERIOD_WHY = 'shorter periods per agent flood the event queue (time); at most one wake-up per agent per ms';
/** Longest rolling window an agent keeps, samples. */
export const MAX_WINDOW = 100_000;
/** Why windows are bounded above. */
export const WINDOW_WHY = 'each agent keeps its whole window in memory';
/** Most price levels a market maker quotes per side. */
export const MAX_LEVELS = 1_000;
/** Most limit orders a noise trader keeps open. */
export const MAX_OPEN_ORDERS = 10_000;
/** Why order counts are bounded above. */
export const ORDERS_WHY = 'every resting order is held in the book and re-examined on each requote (memory and time)';

/** What a builder may use besides its own parameters. */
export interface BuildContext {
  readonly exchange: AgentId;
  /** The credit venue's id, or -1 when the scenario has none. */
  readonly credit: AgentId;
  readonly instruments: readonly Instrument[];
  /** Fundamental value process per instrument. */
  readonly fundamentals: readonly ValueProcess[];
  /** Length of a trading session, µs (the kernel's clock lays sessions end to end); +∞ for a one-session run. */
  readonly sessionUs: number;
  /** Instrument id of a symbol (validated before building). */
  instrument(symbol: string): number;
  /** Agent ids of the members of an agent group (e.g. the lenders a borrower may use). */
  group(name: string): readonly AgentId[];
  /** An agent already built (of an earlier group). */
  agent(id: AgentId): Agent;
  /** Starting cash and lots of the agent being built. */
  readonly cash: number;
  readonly holdings: Readonly<Record<string, number>>;
  /** Index of the agent within its group. */
  readonly index: number;
}

/**
 * The smallest and largest value a number parameter of an agent group can
 * take: its value, its default when not given, a distribution's bounds
 * (±∞ where a draw is unbounded).
 */
export type ParamRange = (key: string) => readonly [number, number];

/** The value a group's file writes for a parameter (a scalar or a distribution), undefined when it takes the default. */
export type ParamGiven = (key: string) => ParamValue | undefined;

/** What a group check may know of the run. */
export interface RunBounds {
  readonly horizonUs: number;
}

/** A problem that spans parameters of a group, or a parameter and the run, reported at `key`. */
export interface GroupIssue {
  readonly key: string;
  readonly message: string;
}

/** An agent type that experiments can instantiate by name. */
export interface AgentType {
  readonly type: string;
  /** One line: what the agent does and whom it follows. */
  readonly summary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** True for agents that borrow (their accounts make up aggregate leverage). */
  readonly borrower?: boolean;
  /** True for lenders (their equity makes up lender_equity). */
  readonly lender?: boolean;
  build(name: string, params: Readonly<Record<string, Scalar>>, context: BuildContext): Agent;
  /**
   * Checks that span parameters (an execution horizon against the run's),
   * at validation, on the ranges of a group whose parameters are each valid:
   * a group is refused when some draw within the bounds would be. Unbounded
   * draws (normal, lognormal) are left to the agent's own checks at build.
   */
  checkGroup?(range: ParamRange, run: RunBounds, given: ParamGiven): GroupIssue[];
}

/** Reads a number parameter (validated upstream). */
export function num(params: Readonly<Record<string, Scalar>>, key: string): number {
  return params[key] as number;
}

/** Reads a string parameter (validated upstream). */
export function str(params: Readonly<Record<string, Scalar>>, key: string): string {
  return params[key] as string;
}

/** Reads a boolean parameter (validated upstream). */
export function bool(params: Readonly<Record<string, Scalar>>, key: string): boolean {
  return params[key] as boolean;
}

/** Infinity is written as 0 in YAML for "no limit" time bounds. */
export function endOrInfinity(value: number): number {
  return value <= 0 ? Number.POSITIVE_INFINITY : value;
}

/** Parameters every trading agent takes. */
export const tradingParams: Record<string, ParamSpec> = {
  instrument: { default: '', doc: 'symbol traded; default: the first instrument' },
};

/** The options every trading agent is built with: its venue, instrument, endowment and the instrument's fundamental. */
export function tradingCommon(p: Readonly<Record<string, Scalar>>, ctx: BuildContext) {
  const symbol = str(p, 'instrument');
  const instrument = symbol === '' ? 0 : ctx.instrument(symbol);
  const spec = ctx.instruments[instrument]!;
  return {
    exchange: ctx.exchange,
    instrument,
    initialCash: ctx.cash,
    initialPosition: ctx.holdings[spec.symbol] ?? 0,
    minorPerTickLot: spec.minorPerTickLot,
    fundamental: ctx.fundamentals[instrument]!,
  };
}
