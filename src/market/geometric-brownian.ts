import type { RandomStream } from '../engine/random-stream.js';
import type { Micros } from '../engine/time.js';
import { GridValueProcess, clampToTicks, type GridOptions } from './value-process.js';

/**
 * Parameters of {@link GeometricBrownianProcess}. Rates are per second of
 * simulated time (like the Ornstein–Uhlenbeck process), not annualised: for a
 * 365-day year, an annual drift μ_a is μ_a / 31 536 000 and an annual
 * volatility σ_a is σ_a / √31 536 000 ≈ σ_a / 5615.7.
 */
export interface GeometricBrownianOptions extends GridOptions {
  /** Value at t = 0, ticks, > 0. */
  initial: number;
  /** Drift μ of dS/S, per second. */
  mu: number;
  /** Volatility σ, per √second, ≥ 0. */
  sigma: number;
  // `jumps` (from GridOptions): sizes in log units, added to log S (Merton).
  // The drift is not compensated for jumps: E[dS/S] includes their mean effect.
}

/**
 * A geometric Brownian fundamental, simulated exactly on log value:
 * `log S(t+dt) = log S(t) + (μ − σ²/2)·dt + σ·√dt·Z`, plus optional Merton
 * jumps in log units. The state is log S; the reported value is S rounded to
 * the nearest tick, at least 1. `shock` jumps are in log units too
 * (`log(0.9)` is a 10 % drop).
 */
export class GeometricBrownianProcess extends GridValueProcess {
  readonly mu: number;
  readonly sigma: number;
  /** Deterministic log increment per step. */
  private readonly logDrift: number;
  /** Standard deviation of a step's log increment. */
  private readonly stepSd: number;
  /** The same over a night (`gapSeconds`). */
  private readonly gapDrift: number;
  private readonly gapSd: number;

  /**
   * @param stream this process's own stream, e.g. `new RandomStream(seed, 'oracle/ABC')`
   * @throws RangeError on a non-finite parameter, `initial ≤ 0` or `sigma < 0`
   */
  constructor(stream: RandomStream, options: GeometricBrownianOptions) {
    if (!(options.initial > 0) || !Number.isFinite(options.initial)) {
      throw new RangeError(`initial must be > 0, got ${options.initial}`);
    }
    super(stream, options.dtUs, Math.log(options.initial), options.jumps, options.gaps);
    const { mu, sigma } = options;
    if (!Number.isFinite(mu)) throw new RangeError(`mu must be finite, got ${mu}`);
    if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`sigma must be ≥ 0, got ${sigma}`);
    this.mu = mu;
    this.sigma = sigma;
    const dt = this.dtSeconds;
    this.logDrift = (mu - (sigma * sigma) / 2) * dt;
    this.stepSd = sigma * Math.sqrt(dt);
    this.gapDrift = (mu - (sigma * sigma) / 2) * this.gapSeconds;
    this.gapSd = sigma * Math.sqrt(this.gapSeconds);
  }

  /** The unrounded value at `t`, ticks (same path and time rules as `valueAt`). */
  levelAt(t: Micros): number {
    return Math.exp(this.levelState(t));
  }

  /** log S at `t` (same path and time rules as `valueAt`). */
  logLevelAt(t: Micros): number {
    return this.levelState(t);
  }

  protected diffuse(logS: number): number {
    // Always draw, even when σ = 0, so the draw count per step is fixed by the grid.
    return logS + this.logDrift + this.stepSd * this.stream.normal();
  }

  protected diffuseGap(logS: number): number {
    return logS + this.gapDrift + this.gapSd * this.stream.normal();
  }

  protected toTicks(logS: number): number {
    return clampToTicks(Math.exp(logS));
  }
}
