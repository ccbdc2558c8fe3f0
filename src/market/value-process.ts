import type { RandomStream } from '../engine/random-stream.js';
import { MICROS_PER_SECOND, isMicros, type Micros } from '../engine/time.js';

/**
 * The fundamental value of an instrument (the "oracle"), in integer ticks.
 *
 * Implementations are deterministic functions of their stream and parameters:
 * the path must not depend on when, or how often, it is queried, so adding an
 * agent that looks at the fundamental never changes what anyone else sees.
 * Queries must come in non-decreasing time order (the simulated clock only
 * moves forward); an earlier time is a bug and throws.
 */
export interface ValueProcess {
  /** Fundamental value at `t`, integer ticks ≥ 1. `t` non-decreasing across calls. */
  valueAt(t: Micros): number;
  /**
   * Applies an exogenous jump (an intervention) at the first grid point at or
   * after `t`. `jump` is in the process's own state units (ticks for a
   * level process, log units for a log process). Consumes no randomness, so
   * the rest of the path keeps its draws. `t` must not precede the last query.
   */
  shock(t: Micros, jump: number): void;
}

/**
 * Compound-Poisson (Merton) jumps added on each grid step: the number of
 * jumps in a step is Poisson(`rate` · dt), each jump Normal(`mean`, `sd`) in
 * the process's state units.
 */
export interface JumpOptions {
  /** Expected jumps per second, ≥ 0. */
  rate: number;
  /** Mean jump size, state units. */
  mean: number;
  /** Jump size standard deviation, state units, ≥ 0. */
  sd: number;
}

/**
 * Nights: the market shuts every `everyUs` of trading time, `count` times,
 * and each time the process takes one extra step as long as `seconds` of
 * trading-time diffusion (and jumps at their rate over the same time), at the
 * first grid point at or after the reopening. Trading time itself does not
 * pass at night (`calendar.ts`), so this step is all the night adds.
 */
export interface GapOptions {
  /** Trading time between reopenings (a session's length), µs, positive integer. */
  everyUs: Micros;
  /** Nights in the run (sessions − 1), ≥ 0. */
  count: number;
  /** Equivalent diffusion time of one night, seconds, ≥ 0. */
  seconds: number;
}

/** Options every grid process shares. */
export interface GridOptions {
  /** Grid step, microseconds, positive integer. */
  dtUs: Micros;
  /** Optional compound-Poisson jumps. */
  jumps?: JumpOptions;
  /** Optional nights between sessions. */
  gaps?: GapOptions;
}

/**
 * A night's equivalent trading time when a share `s` of a weekday's
 * close-to-close variance arrives overnight: with session variance ∝ L, the
 * night carries s/(1 − s) of it, so it is as long as L·s/(1 − s) of trading.
 */
export function nightSeconds(sessionUs: Micros, overnightVarianceShare: number): number {
  if (!(overnightVarianceShare >= 0 && overnightVarianceShare < 1)) throw new RangeError(`overnight variance share must be in [0, 1), got ${overnightVarianceShare}`);
  return ((sessionUs / MICROS_PER_SECOND) * overnightVarianceShare) / (1 - overnightVarianceShare);
}

/**
 * The shared grid: state advances on the fixed grid `k · dtUs`, one step at a
 * time, drawing from its own stream in order, lazily up to the queried time.
 * Between grid points the value is that of the last grid point at or before
 * the query, so the path is the same whatever the query pattern.
 *
 * A subclass supplies the diffusion step and the state → ticks map; jumps
 * and shocks are additive in state units and handled here.
 *
 * Cost: one step per grid point passed, whether or not anyone queries it
 * (that is what makes the path query-independent), so pick `dtUs` for the
 * resolution the experiment needs, not finer.
 */
export abstract class GridValueProcess implements ValueProcess {
  /** Grid step in seconds (the unit of all rates). */
  protected readonly dtSeconds: number;
  private readonly jumpMean: number;
  private readonly jumpSd: number;
  /** Expected jumps per grid step; 0 disables jump draws entirely. */
  private readonly jumpsPerStep: number;
  /** Current state, at grid point `index`. */
  private state: number;
  private index = 0;
  private lastQuery: Micros = 0;
  /** Pending shocks: grid index → summed jump, in registration order. */
  private readonly shocks = new Map<number, number>();
  /** A night's length in seconds of trading-time diffusion (0: no nights). */
  protected readonly gapSeconds: number;
  private readonly gapEveryUs: number;
  private readonly gapCount: number;
  /** Expected jumps over one night. */
  private readonly jumpsPerGap: number;
  /** Nights taken so far, and the grid index of the next one (Infinity: none left). */
  private gapsTaken = 0;
  private nextGapIndex = Number.POSITIVE_INFINITY;

  protected constructor(
    protected readonly stream: RandomStream,
    readonly dtUs: Micros,
    initialState: number,
    jumps: JumpOptions | undefined,
    gaps?: GapOptions,
  ) {
    if (!isMicros(dtUs) || dtUs <= 0) throw new RangeError(`dtUs must be a positive integer, got ${dtUs}`);
    if (!Number.isFinite(initialState)) throw new RangeError(`initial state must be finite, got ${initialState}`);
    const rate = jumps?.rate ?? 0;
    const sd = jumps?.sd ?? 0;
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`jump rate must be ≥ 0, got ${rate}`);
    if (!(sd >= 0) || !Number.isFinite(sd)) throw new RangeError(`jump sd must be ≥ 0, got ${sd}`);
    this.dtSeconds = dtUs / MICROS_PER_SECOND;
    this.jumpsPerStep = rate * this.dtSeconds;
    this.jumpMean = jumps?.mean ?? 0;
    this.jumpSd = sd;
    if (!Number.isFinite(this.jumpMean)) throw new RangeError('jump mean must be finite');
    this.state = initialState;
    const count = gaps?.count ?? 0;
    this.gapSeconds = gaps?.seconds ?? 0;
    this.gapEveryUs = gaps?.everyUs ?? 1;
    this.gapCount = count;
    this.jumpsPerGap = rate * this.gapSeconds;
    if (gaps !== undefined) {
      if (!isMicros(gaps.everyUs) || gaps.everyUs <= 0) throw new RangeError(`gap spacing must be a positive integer of µs, got ${gaps.everyUs}`);
      if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`gap count must be a non-negative integer, got ${count}`);
      if (!(this.gapSeconds >= 0) || !Number.isFinite(this.gapSeconds)) throw new RangeError(`gap length must be ≥ 0 s, got ${this.gapSeconds}`);
    }
    if (count > 0) this.nextGapIndex = this.gapIndex(1);
  }

  /** Grid index of night `k` (1-based): the first grid point at or after the k-th reopening. */
  private gapIndex(k: number): number {
    return Math.ceil((k * this.gapEveryUs) / this.dtUs);
  }

  valueAt(t: Micros): number {
    return this.toTicks(this.levelState(t));
  }

  shock(t: Micros, jump: number): void {
    this.checkTime(t);
    if (!Number.isFinite(jump)) throw new RangeError(`jump must be finite, got ${jump}`);
    const k = Math.ceil(t / this.dtUs);
    if (k <= this.index) {
      // The grid point is the current one: apply now, as advancing would have.
      this.state += jump;
    } else {
      this.shocks.set(k, (this.shocks.get(k) ?? 0) + jump);
    }
  }

  /** The state (unrounded, state units) at the last grid point ≤ `t`. */
  protected levelState(t: Micros): number {
    this.checkTime(t);
    this.lastQuery = t;
    const target = Math.floor(t / this.dtUs);
    while (this.index < target) this.advance();
    return this.state;
  }

  /** One diffusion step of the state over `dtSeconds`, drawing from `stream`. */
  protected abstract diffuse(state: number): number;

  /** One diffusion step over a night, `gapSeconds` long, drawing from `stream`. */
  protected abstract diffuseGap(state: number): number;

  /** Maps a state to integer ticks ≥ 1. */
  protected abstract toTicks(state: number): number;

  private advance(): void {
    // Draw order per step is fixed: diffusion, jump count, jump sizes.
    let x = this.diffuse(this.state);
    if (this.jumpsPerStep > 0) {
      const n = this.stream.poisson(this.jumpsPerStep);
      for (let j = 0; j < n; j++) x += this.stream.normal(this.jumpMean, this.jumpSd);
    }
    this.index++;
    if (this.index === this.nextGapIndex) x = this.night(x);
    const shock = this.shocks.get(this.index);
    if (shock !== undefined) {
      x += shock;
      this.shocks.delete(this.index);
    }
    this.state = x;
  }

  /** The night before the reopening at this grid point: diffusion, then jumps, as a step draws them. */
  private night(state: number): number {
    let x = this.diffuseGap(state);
    if (this.jumpsPerGap > 0) {
      const n = this.stream.poisson(this.jumpsPerGap);
      for (let j = 0; j < n; j++) x += this.stream.normal(this.jumpMean, this.jumpSd);
    }
    this.gapsTaken++;
    this.nextGapIndex = this.gapsTaken < this.gapCount ? this.gapIndex(this.gapsTaken + 1) : Number.POSITIVE_INFINITY;
    return x;
  }

  private checkTime(t: Micros): void {
    if (!isMicros(t)) throw new RangeError(`time must be non-negative integer microseconds, got ${t}`);
    if (t < this.lastQuery) {
      throw new RangeError(`value process queried at ${t} µs after ${this.lastQuery} µs: time must not go back`);
    }
  }
}

/**
 * Rounds a level in ticks to the nearest integer tick, at least 1 (a price
 * cannot be zero or negative even when the unrounded process is).
 *
 * @throws RangeError when the level has left the safe-integer range (the
 *   process parameters are unusable, a bug in the configuration)
 */
export function clampToTicks(level: number): number {
  const ticks = Math.round(level);
  if (ticks < 1) return 1;
  if (!Number.isSafeInteger(ticks)) throw new RangeError(`fundamental value ${level} is beyond safe-integer ticks`);
  return ticks;
}
