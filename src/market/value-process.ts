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

/** Options every grid process shares. */
export interface GridOptions {
  /** Grid step, microseconds, positive integer. */
  dtUs: Micros;
  /** Optional compound-Poisson jumps. */
  jumps?: JumpOptions;
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

  protected constructor(
    protected readonly stream: RandomStream,
    readonly dtUs: Micros,
    initialState: number,
    jumps: JumpOptions | undefined,
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
    const shock = this.shocks.get(this.index);
    if (shock !== undefined) {
      x += shock;
      this.shocks.delete(this.index);
    }
    this.state = x;
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
