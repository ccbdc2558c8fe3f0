import type { Micros } from '../../engine/time.js';
import type { Side } from '../../market/side.js';

/** The schedules a parent order can be worked by. */
export type ScheduleKind = 'twap' | 'pov' | 'almgren-chriss';

/**
 * A parent order and how to work it. Times in µs, prices in ticks, sizes in
 * lots. Children are IOC limit orders at `limitPrice` or better, one per
 * slice, at `startUs + k·intervalUs` for k = 0 … `slices` − 1; the parent
 * closes at `endUs` with whatever is unfilled reported as a shortfall.
 */
export interface ExecutionPlan {
  readonly side: Side;
  /** Parent quantity, lots ≥ 1. */
  readonly qty: number;
  readonly startUs: Micros;
  /** The horizon: no child is sent after it. */
  readonly endUs: Micros;
  /** Limit-price protection: no child buys above (sells below) it, ticks ≥ 1. */
  readonly limitPrice: number;
  /**
   * Children are priced this many ticks through the touch seen just before
   * (bid − crossTicks for a sell), but never through `limitPrice`; with no
   * quote on the side hit, at `limitPrice`. ≥ 0.
   */
  readonly crossTicks: number;
  readonly schedule: ScheduleKind;
  /** Number of slices (POV: of volume observations), ≥ 1. */
  readonly slices: number;
  /** Time between slices, µs ≥ 1. */
  readonly intervalUs: Micros;
  /** POV: share of the previous interval's market volume, in (0, 1]. */
  readonly participationRate: number;
  /** POV: smaller children are not sent (lots ≥ 1). */
  readonly minChildQty: number;
  /** POV: the last slice sends everything left (the completion deadline), ignoring the cap. */
  readonly completeAtDeadline: boolean;
  /** Almgren–Chriss: κτ per slice (see `almgrenChrissKappaTau`), ≥ 0; 0 is TWAP. */
  readonly kappaTau: number;
}

/**
 * Why a plan is impossible, or null when it is sound. The experiment layer
 * calls it with the YAML node's position to refuse the file at validation.
 */
export function executionPlanProblem(p: ExecutionPlan): string | null {
  if (!Number.isSafeInteger(p.qty) || p.qty < 1) return `parent quantity must be an integer ≥ 1 lot, got ${p.qty}`;
  if (!Number.isSafeInteger(p.startUs) || p.startUs < 0) return `start must be a time ≥ 0 µs, got ${p.startUs}`;
  if (!Number.isSafeInteger(p.endUs) || p.endUs < p.startUs) return `end (${p.endUs} µs) must not be before start (${p.startUs} µs)`;
  if (!Number.isSafeInteger(p.limitPrice) || p.limitPrice < 1) return `limit price must be an integer ≥ 1 tick, got ${p.limitPrice}`;
  if (!Number.isSafeInteger(p.crossTicks) || p.crossTicks < 0) return `crossTicks must be an integer ≥ 0, got ${p.crossTicks}`;
  return scheduleProblem(p.schedule, p.slices, p.intervalUs, p.endUs - p.startUs, p.qty, p);
}

/** The schedule parameters alone (for a config that fixes them before any parent exists). */
export function scheduleProblem(
  schedule: ScheduleKind,
  slices: number,
  intervalUs: number,
  horizonUs: number,
  qty: number,
  p: Pick<ExecutionPlan, 'participationRate' | 'minChildQty' | 'kappaTau'>,
): string | null {
  if (!Number.isSafeInteger(slices) || slices < 1) return `slices must be an integer ≥ 1, got ${slices}`;
  if (!Number.isSafeInteger(intervalUs) || intervalUs < 1) return `interval must be a positive whole number of µs, got ${intervalUs}`;
  // The last slice goes out (slices − 1) intervals after the start; later than the horizon it could not be sent.
  const span = (slices - 1) * intervalUs;
  if (span > horizonUs) return `schedule of ${slices} slices every ${intervalUs} µs spans ${span} µs, longer than the horizon of ${horizonUs} µs`;
  if (2 * qty * slices + slices > Number.MAX_SAFE_INTEGER) return `quantity × slices (${qty} × ${slices}) is too large for exact sizes (2·q·n must stay below 2^53)`;
  if (schedule === 'pov') {
    if (!(p.participationRate > 0 && p.participationRate <= 1)) return `participation rate must be in (0, 1], got ${p.participationRate}`;
    if (!Number.isSafeInteger(p.minChildQty) || p.minChildQty < 1) return `minimum child must be an integer ≥ 1 lot, got ${p.minChildQty}`;
  }
  if (schedule === 'almgren-chriss' && !(Number.isFinite(p.kappaTau) && p.kappaTau >= 0)) return `Almgren–Chriss κτ must be finite and ≥ 0, got ${p.kappaTau}`;
  return null;
}

/** Refuses a bad Almgren–Chriss parameter triple (λ ≥ 0, σ > 0, η > 0), or null. */
export function almgrenChrissParamsProblem(riskAversion: number, volatility: number, temporaryImpact: number): string | null {
  if (!(Number.isFinite(riskAversion) && riskAversion >= 0)) return `risk aversion λ must be finite and ≥ 0, got ${riskAversion}`;
  if (!(Number.isFinite(volatility) && volatility > 0)) return `volatility σ must be finite and > 0, got ${volatility}`;
  if (!(Number.isFinite(temporaryImpact) && temporaryImpact > 0)) return `temporary impact η must be finite and > 0, got ${temporaryImpact}`;
  return null;
}
