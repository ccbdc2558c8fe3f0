/**
 * Simulated time: integer microseconds since the start of the run.
 * Never a float, never the wall clock.
 */
export type Micros = number;

export const MICROS_PER_MILLI = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

/** Whole microseconds from seconds, rounded to the nearest microsecond. */
export function seconds(s: number): Micros {
  return Math.round(s * MICROS_PER_SECOND);
}

/** True when t is a valid simulated time: a non-negative safe integer. */
export function isMicros(t: number): boolean {
  return Number.isSafeInteger(t) && t >= 0;
}
