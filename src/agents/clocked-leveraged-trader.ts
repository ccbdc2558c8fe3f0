import type { Micros } from '../engine/time.js';
import { requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { LeveragedTrader, type LeveragedTraderOptions } from './leveraged-trader.js';

/** Options of a leveraged trader that decides on a fixed clock. */
export interface ClockedLeveragedTraderOptions extends LeveragedTraderOptions {
  /** Time between decisions, µs (each type has its own default). */
  intervalUs?: Micros;
  /** First decision, µs. Default `intervalUs`. */
  startUs?: Micros;
  /** No decision after this time, µs. Default +∞. */
  endUs?: Micros;
}

/**
 * A leveraged trader that queries the market every `intervalUs` from
 * `startUs` to `endUs` and decides on each answer: the leveraged value fund,
 * the trend follower and the leverage targeter. The decision clock runs on
 * tag 0; subclasses with other clocks route their own tags first.
 */
export abstract class ClockedLeveragedTrader extends LeveragedTrader {
  readonly intervalUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;

  protected constructor(name: string, options: ClockedLeveragedTraderOptions, defaultIntervalUs: Micros) {
    super(name, options);
    this.intervalUs = requireInt('intervalUs', options.intervalUs ?? defaultIntervalUs, 1);
    this.startUs = requireInt('startUs', options.startUs ?? this.intervalUs, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
  }

  override onStart(now: Micros): void {
    this.startClock(now, this.startUs, this.endUs);
  }

  protected override onClock(now: Micros, _tag: number): void {
    this.tick(now, this.intervalUs, this.endUs);
  }
}
