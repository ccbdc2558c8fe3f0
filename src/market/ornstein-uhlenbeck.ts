import type { RandomStream } from '../engine/random-stream.js';
import type { Micros } from '../engine/time.js';
import { GridValueProcess, clampToTicks, type GridOptions } from './value-process.js';

/**
 * Parameters of {@link OrnsteinUhlenbeckProcess}. Levels in ticks, rates per
 * second.
 */
export interface OrnsteinUhlenbeckOptions extends GridOptions {
  /** Level at t = 0, ticks (may be fractional). */
  initial: number;
  /** Long-run mean μ, ticks. */
  mean: number;
  /** Mean-reversion speed κ, per second, ≥ 0 (0: arithmetic Brownian motion). */
  kappa: number;
  /** Volatility σ, ticks per √second, ≥ 0. Stationary sd is σ / √(2κ). */
  sigma: number;
  // `jumps` (from GridOptions): sizes in ticks, added to the level.
}

/**
 * A mean-reverting fundamental on the price level, as ABIDES' sparse
 * mean-reverting oracle: dX = κ(μ − X)dt + σ dW, plus optional jumps in ticks.
 *
 * Uses the exact discretisation, so the grid step changes resolution only,
 * never the law of the path at grid points:
 * `X(t+dt) = μ + (X(t) − μ)·e^(−κ dt) + σ·√((1 − e^(−2κ dt)) / (2κ))·Z`.
 *
 * The state itself is unclamped (that keeps the process exactly OU); the
 * reported value is rounded to the nearest tick and floored at 1.
 */
export class OrnsteinUhlenbeckProcess extends GridValueProcess {
  readonly mean: number;
  readonly kappa: number;
  readonly sigma: number;
  /** e^(−κ dt): the fraction of the deviation from μ left after one step. */
  private readonly decay: number;
  /** Standard deviation of one step's innovation, ticks. */
  private readonly stepSd: number;
  /** The same over a night (`gapSeconds`). */
  private readonly gapDecay: number;
  private readonly gapSd: number;

  /**
   * @param stream this process's own stream, e.g. `new RandomStream(seed, 'oracle/ABC')`
   * @throws RangeError on a non-finite or negative parameter
   */
  constructor(stream: RandomStream, options: OrnsteinUhlenbeckOptions) {
    super(stream, options.dtUs, options.initial, options.jumps, options.gaps);
    const { mean, kappa, sigma } = options;
    if (!Number.isFinite(mean)) throw new RangeError(`mean must be finite, got ${mean}`);
    if (!(kappa >= 0) || !Number.isFinite(kappa)) throw new RangeError(`kappa must be ≥ 0, got ${kappa}`);
    if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`sigma must be ≥ 0, got ${sigma}`);
    this.mean = mean;
    this.kappa = kappa;
    this.sigma = sigma;
    this.decay = Math.exp(-kappa * this.dtSeconds);
    this.stepSd = sigma * Math.sqrt(ouVariancePerSigma2(kappa, this.dtSeconds));
    this.gapDecay = Math.exp(-kappa * this.gapSeconds);
    this.gapSd = sigma * Math.sqrt(ouVariancePerSigma2(kappa, this.gapSeconds));
  }

  /** Stationary standard deviation σ / √(2κ), ticks (Infinity when κ = 0). */
  get stationarySd(): number {
    return this.kappa > 0 ? this.sigma / Math.sqrt(2 * this.kappa) : Number.POSITIVE_INFINITY;
  }

  /** The unrounded level at `t`, ticks (same path and time rules as `valueAt`). */
  levelAt(t: Micros): number {
    return this.levelState(t);
  }

  protected diffuse(x: number): number {
    // Always draw, even when σ = 0, so the draw count per step is fixed by the grid.
    const z = this.stream.normal();
    return this.mean + (x - this.mean) * this.decay + this.stepSd * z;
  }

  protected diffuseGap(x: number): number {
    return this.mean + (x - this.mean) * this.gapDecay + this.gapSd * this.stream.normal();
  }

  protected toTicks(x: number): number {
    return clampToTicks(x);
  }
}

/** Variance of an OU innovation over `dt` seconds per unit σ²: (1 − e^(−2κdt)) / (2κ), whose κ → 0 limit is dt; -expm1 keeps precision for small κ·dt. */
function ouVariancePerSigma2(kappa: number, dt: number): number {
  return kappa > 0 ? -Math.expm1(-2 * kappa * dt) / (2 * kappa) : dt;
}
