import type { Micros } from '../engine/time.js';
import type { Side } from '../market/side.js';
import { requireAtLeast, requireInt, requireProbability } from './_internals/check.js';
import type { ExecutionPlan } from './execution/execution-plan.js';

/** How a trader that moves toward a target position sends its orders. */
export type TargetExecutionKind = 'immediate' | 'twap' | 'pov';

/** Options of the schedule a trader works its trades by. Times in µs. */
export interface TargetExecutionOptions {
  /**
   * `'immediate'`: each trade is one order (market or IOC, as the trader's
   * `orderType` says). `'twap'`: a parent of `executionSlices` IOC children,
   * one every `executionIntervalUs`. `'pov'`: children of
   * `participationRate` × the volume traded in the previous interval, with no
   * catch-up at the end (what is left is re-planned at the next decision).
   * Default `'immediate'`.
   */
  execution?: TargetExecutionKind;
  /** Slices (TWAP) or volume observations (POV) of a parent, ≥ 1. Default 10. */
  executionSlices?: number;
  /** Time between slices, µs ≥ 1. Default 1 000 000 (1 s). */
  executionIntervalUs?: Micros;
  /** POV: share of the market's volume, in (0, 1]. Default 0.1. */
  participationRate?: number;
  /**
   * Limit-price protection: no child buys above (sells below) the mid seen
   * when the parent starts × (1 ± maxSlippage), in [0, 1). Default 0.01.
   */
  maxSlippage?: number;
  /**
   * A working parent is cancelled and re-planned when the target position
   * moves by more than this many units of leverage (`|ΔD|·p·m / W`), ≥ 0, or
   * when the target passes the position (the parent would trade the wrong
   * way). Default 0.25.
   */
  retargetThreshold?: number;
}

/**
 * The execution settings of a trader that moves toward a target position
 * (the leveraged traders) and the one parent record it rewrites for each
 * trade: a trade of `qty` lots is worked by a `ParentOrderExecutor` instead
 * of being sent as one block (DESIGN: "large orders go through an execution
 * schedule"). Pure arithmetic; the trader owns the executor.
 */
export class TargetExecution {
  readonly kind: TargetExecutionKind;
  readonly slices: number;
  readonly intervalUs: Micros;
  readonly participationRate: number;
  readonly maxSlippage: number;
  readonly retargetThreshold: number;
  /** The parent being (or last) worked; rewritten by `prepare` only while no parent works. */
  readonly plan: { -readonly [K in keyof ExecutionPlan]: ExecutionPlan[K] };
  /** Target position (after the leverage clamp) the working parent moves toward, lots. */
  target = 0;
  /** The working parent sells to meet a margin call: it is not re-targeted. */
  forCall = false;

  constructor(options: TargetExecutionOptions, crossTicks: number) {
    this.kind = options.execution ?? 'immediate';
    if (this.kind !== 'immediate' && this.kind !== 'twap' && this.kind !== 'pov') throw new RangeError(`execution must be 'immediate', 'twap' or 'pov', got ${String(this.kind)}`);
    this.slices = requireInt('executionSlices', options.executionSlices ?? 10, 1);
    this.intervalUs = requireInt('executionIntervalUs', options.executionIntervalUs ?? 1_000_000, 1);
    this.participationRate = options.participationRate ?? 0.1;
    if (!(this.participationRate > 0 && this.participationRate <= 1)) throw new RangeError(`participationRate must be in (0, 1], got ${this.participationRate}`);
    this.maxSlippage = requireProbability('maxSlippage', options.maxSlippage ?? 0.01);
    if (this.maxSlippage >= 1) throw new RangeError(`maxSlippage must be below 1, got ${this.maxSlippage}`);
    this.retargetThreshold = requireAtLeast('retargetThreshold', options.retargetThreshold ?? 0.25, 0);
    this.plan = {
      side: 'buy',
      qty: 1,
      startUs: 0,
      endUs: 0,
      limitPrice: 1,
      crossTicks,
      schedule: this.kind === 'pov' ? 'pov' : 'twap',
      slices: this.slices,
      intervalUs: this.intervalUs,
      participationRate: this.participationRate,
      minChildQty: 1,
      // A last child for everything left would be the block the schedule exists to avoid.
      completeAtDeadline: false,
      kappaTau: 0,
    };
  }

  /** True when trades go through a schedule. */
  get scheduled(): boolean {
    return this.kind !== 'immediate';
  }

  /**
   * Rewrites the parent for `qty` lots from `now`: `slices` slices every
   * `intervalUs`, closing one interval after the last, limit-protected at
   * `limitPrice` (see {@link limitFor}).
   */
  prepare(side: Side, qty: number, now: Micros, limitPrice: number): ExecutionPlan {
    const plan = this.plan;
    plan.side = side;
    plan.qty = qty;
    plan.startUs = now;
    plan.endUs = now + this.slices * this.intervalUs;
    plan.limitPrice = limitPrice;
    return plan;
  }

  /**
   * The parent's limit price, ticks ≥ 1: `⌈mid·(1 + maxSlippage)⌉` for a
   * buy, at most `buyCap`; `⌊mid·(1 − maxSlippage)⌋` for a sell.
   */
  limitFor(side: Side, mid: number, buyCap = Number.POSITIVE_INFINITY): number {
    if (side === 'buy') return Math.max(1, Math.min(Math.ceil(mid * (1 + this.maxSlippage)), Math.floor(buyCap)));
    return Math.max(1, Math.floor(mid * (1 - this.maxSlippage)));
  }

  /**
   * Whether a new target `target` (lots, after the leverage clamp) calls for
   * cancelling the working `side` parent: it has passed the position
   * `position` (or reached it), or moved from the parent's target by more
   * than `retargetThreshold` × the equity in lots `equityLots` (W / (p·m)).
   */
  retarget(side: Side, target: number, position: number, equityLots: number): boolean {
    if (this.forCall) return false;
    if (side === 'buy' ? target <= position : target >= position) return true;
    return Math.abs(target - this.target) > this.retargetThreshold * Math.max(equityLots, 0);
  }
}
