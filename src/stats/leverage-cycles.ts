/**
 * Leverage cycles: turning points of a leverage series, cycle counts and
 * periods, and the asymmetry of leverage changes.
 *
 * Leverage cycles (Geanakoplos 2010, "The leverage cycle", NBER Macro Annual
 * 24; Aymanns & Farmer 2015, "The dynamics of the leverage cycle", JEDC 50)
 * build up slowly and collapse fast. Turning points are dated with a
 * threshold zig-zag (hysteresis) rule, the same idea as the directional-change
 * dating of Pagan & Sossounov (2003, J. Applied Econometrics 18):
 *
 * - a **peak** is confirmed when the series has fallen from its running
 *   maximum since the last trough by at least the threshold; the peak is the
 *   index of that maximum (first one on ties);
 * - a **trough** is confirmed, symmetrically, when the series has risen from
 *   its running minimum since the last peak by at least the threshold;
 * - before the first confirmation both directions are watched, so the start
 *   of a series that first rises (falls) by θ is reported as a trough (peak).
 *
 * "At least the threshold" is v ≤ M·(1 − θ) / v ≥ m·(1 + θ) in `'relative'`
 * mode (for positive series such as leverage; a minimum of 0 is left by any
 * positive value) and v ≤ M − θ / v ≥ m + θ in `'absolute'` mode. Peaks and
 * troughs therefore alternate, and moves smaller than θ are ignored as noise.
 * An optional centred moving average (window `smoothWindow`) is applied first.
 * A turning point whose reversal is not yet θ at the end of the series is not
 * reported.
 *
 * @module
 */

import { movingAverage } from './smoothing.js';
import { skewness } from './moments.js';

/** Kind of turning point. */
export type TurningPointKind = 'peak' | 'trough';

/** A confirmed turning point. */
export interface TurningPoint {
  /** Index into the input series. */
  index: number;
  kind: TurningPointKind;
  /** Value of the (smoothed, when smoothing) series at `index`. */
  value: number;
}

/** How the reversal threshold θ is measured. */
export type ThresholdMode = 'relative' | 'absolute';

/** Options of {@link findTurningPoints}. */
export interface TurningPointOptions {
  /** Reversal threshold θ. Default 0.1 (a 10 % move in relative mode). */
  threshold?: number;
  /** Relative (default) or absolute threshold. */
  mode?: ThresholdMode;
  /** Centred moving-average window applied before dating. Default 1 (none). */
  smoothWindow?: number;
}

/**
 * Peaks and troughs by the threshold zig-zag rule (see module docs), in time
 * order, alternating. Non-finite values are skipped.
 */
export function findTurningPoints(values: ArrayLike<number>, options: TurningPointOptions = {}): TurningPoint[] {
  const theta = options.threshold ?? 0.1;
  if (!(theta > 0)) throw new RangeError(`threshold must be > 0, got ${theta}`);
  const relative = (options.mode ?? 'relative') === 'relative';
  const y = (options.smoothWindow ?? 1) > 1 ? movingAverage(values, options.smoothWindow ?? 1) : values;
  const fell = (max: number, v: number): boolean => (relative ? v <= max * (1 - theta) : v <= max - theta);
  const rose = (min: number, v: number): boolean => (relative ? v >= min * (1 + theta) && v > min : v >= min + theta);

  const out: TurningPoint[] = [];
  let dir: -1 | 0 | 1 = 0; // +1: rising, looking for a peak; −1: falling, looking for a trough
  let hi = -1;
  let lo = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) continue;
    if (hi < 0) {
      hi = lo = i;
      continue;
    }
    if (dir >= 0 && v > y[hi]) hi = i;
    if (dir <= 0 && v < y[lo]) lo = i;
    if (dir >= 0 && fell(y[hi], v)) {
      out.push({ index: hi, kind: 'peak', value: y[hi] });
      dir = -1;
      lo = i; // every value since the peak is above the trigger, so v is the minimum
    } else if (dir <= 0 && rose(y[lo], v)) {
      out.push({ index: lo, kind: 'trough', value: y[lo] });
      dir = 1;
      hi = i;
    }
  }
  return out;
}

/** Options of {@link leverageCycles}. */
export interface LeverageCycleOptions extends TurningPointOptions {
  /** Observation times (same length as the series), e.g. µs. Default: the indices. */
  times?: ArrayLike<number>;
}

/** Cycle measures of a leverage series. */
export interface LeverageCycles {
  turningPoints: TurningPoint[];
  /** Indices of the peaks. */
  peaks: number[];
  /** Indices of the troughs. */
  troughs: number[];
  /** Complete cycles measured peak to peak: max(0, peaks − 1). */
  cycles: number;
  /** Peak-to-peak periods, in the units of `times` (or index steps). */
  periods: number[];
  /** Mean of `periods`; NaN when there is no complete cycle. */
  meanPeriod: number;
}

/** Turning points, peak-to-peak cycle count and periods of a leverage series. */
export function leverageCycles(values: ArrayLike<number>, options: LeverageCycleOptions = {}): LeverageCycles {
  const { times } = options;
  if (times !== undefined && times.length !== values.length) {
    throw new RangeError(`times (${times.length}) and values (${values.length}) differ in length`);
  }
  const turningPoints = findTurningPoints(values, options);
  const peaks = turningPoints.filter((p) => p.kind === 'peak').map((p) => p.index);
  const troughs = turningPoints.filter((p) => p.kind === 'trough').map((p) => p.index);
  const at = (i: number): number => (times === undefined ? i : times[i]);
  const periods: number[] = [];
  for (let j = 1; j < peaks.length; j++) periods.push(at(peaks[j]) - at(peaks[j - 1]));
  const meanPeriod = periods.length === 0 ? Number.NaN : periods.reduce((a, b) => a + b, 0) / periods.length;
  return { turningPoints, peaks, troughs, cycles: periods.length, periods, meanPeriod };
}

/**
 * Skewness g1 of the first differences Δx_t = x_t − x_{t−1}: negative for
 * slow build-ups and fast collapses (the leverage-cycle asymmetry).
 */
export function changeSkewness(values: ArrayLike<number>): number {
  const d = new Float64Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) d[i - 1] = values[i] - values[i - 1];
  return skewness(d);
}

/** How long leverage took to build up and to collapse, cycle by cycle. */
export interface PhaseDurations {
  /** Trough to the next peak, in the units of `times` (or index steps). */
  buildUps: number[];
  /** Peak to the next trough. */
  collapses: number[];
}

/**
 * The durations of the phases between consecutive turning points: rises
 * (trough → peak) and falls (peak → trough). Geanakoplos (2010) and Aymanns
 * & Farmer (2015) describe leverage cycles as slow build-ups and fast
 * collapses; the ratio of the median phases measures that asymmetry.
 */
export function phaseDurations(turningPoints: readonly TurningPoint[], times?: ArrayLike<number>): PhaseDurations {
  const at = (i: number): number => (times === undefined ? i : (times[i] as number));
  const out: PhaseDurations = { buildUps: [], collapses: [] };
  for (let j = 1; j < turningPoints.length; j++) {
    const from = turningPoints[j - 1] as TurningPoint;
    const to = turningPoints[j] as TurningPoint;
    (from.kind === 'trough' ? out.buildUps : out.collapses).push(at(to.index) - at(from.index));
  }
  return out;
}
