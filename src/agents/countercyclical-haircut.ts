import { requireAtLeast, requireInt } from './_internals/check.js';
import { requireHaircut, type HaircutPolicy } from './haircut-policy.js';

/**
 * How {@link CountercyclicalHaircut} leans against the cycle:
 * - `'through-the-cycle'`: the base haircut is evaluated at the *stressed*
 *   volatility — the largest σ seen over the last `stressWindow`
 *   observations — so the haircut does not fall when markets calm down;
 * - `'buffer'`: a buffer is added on top of the base haircut; it builds while
 *   σ is at or below its long-run average and is released when σ exceeds it.
 */
export type CountercyclicalMode = 'through-the-cycle' | 'buffer';

/** Options of a {@link CountercyclicalHaircut}. */
export interface CountercyclicalHaircutOptions {
  /** The risk-sensitive haircut it is built around, e.g. a `VolatilityHaircut`. Required. */
  base: HaircutPolicy;
  /** Hard floor on the haircut, in [0, 1]. Default 0. */
  hFloor?: number;
  /** Default `'through-the-cycle'`. */
  mode?: CountercyclicalMode;
  /** Through-the-cycle: observations (repricings) over which the stressed σ is the maximum; `Infinity` never forgets. Default `Infinity`. */
  stressWindow?: number;
  /** Buffer: the largest buffer, haircut points in [0, 1]. Default 0.1. */
  bufferMax?: number;
  /** Buffer: added per calm observation, haircut points ≥ 0. Default 0.01. */
  buildRate?: number;
  /** Buffer: removed per stressed observation, haircut points ≥ 0. Default `bufferMax` (released at once). */
  releaseRate?: number;
  /** Buffer: half-life of the long-run average σ, in observations, ≥ 1. Default 50. */
  memory?: number;
}

/**
 * A counter-cyclical haircut: a floor/buffer variant of a risk-sensitive
 * policy that does not fall in calm times, so leverage cannot build up when
 * measured volatility is low, and (in `'buffer'` mode) rises less in stress.
 *
 * - `'through-the-cycle'`: `h = max(hFloor, base(max(σ, σ_stress)))` with
 *   `σ_stress` the largest σ of the last `stressWindow` observations. This
 *   is the stressed-period calibration of margins recommended by CGFS (2010),
 *   "The role of margin requirements and haircuts in procyclicality" (CGFS
 *   Papers 36), and used by EMIR's anti-procyclicality rules (a look-back
 *   that includes a stressed period).
 * - `'buffer'`: `h = clamp(base(σ) + B, hFloor, 1)`; the buffer `B` grows by
 *   `buildRate` (up to `bufferMax`) per observation with σ ≤ σ̄ and falls by
 *   `releaseRate` (down to 0) per observation with σ > σ̄, where σ̄ is an
 *   exponentially weighted average of past σ (half-life `memory`
 *   observations, updated after the comparison). After the Basel III
 *   countercyclical capital buffer (BCBS 2010) and EMIR's 25 % margin buffer
 *   released in stress.
 *
 * `hFloor` plays the role of the numerical haircut floors of FSB (2015),
 * "Regulatory framework for haircuts on non-centrally cleared securities
 * financing transactions". Aymanns, Caccioli, Farmer & Tan (2016), "Taming
 * the Basel leverage cycle", Journal of Financial Stability 27, show that
 * making leverage less sensitive to measured volatility damps the leverage
 * cycle of VaR-based rules; both modes do that.
 *
 * Stateful: each call to {@link haircut} is one observation at one
 * repricing date, so a lender keeps one instance per instrument. A NaN σ
 * (no estimate) is not recorded: through-the-cycle uses the stressed σ seen
 * so far (the base's fallback when there is none); buffer mode uses the
 * base's fallback plus the current buffer.
 */
export class CountercyclicalHaircut implements HaircutPolicy {
  readonly base: HaircutPolicy;
  readonly hFloor: number;
  readonly mode: CountercyclicalMode;
  readonly stressWindow: number;
  readonly bufferMax: number;
  readonly buildRate: number;
  readonly releaseRate: number;
  readonly memory: number;
  /** Current buffer, haircut points (buffer mode). */
  buffer = 0;
  /** Long-run average σ, per √s (buffer mode; NaN before the first observation). */
  averageSigma = Number.NaN;
  /** Ring of recent σ (through-the-cycle with a finite window). */
  private readonly ring: Float64Array | null;
  private head = 0;
  private count = 0;
  /** Largest σ in the window (through-the-cycle; −∞ before the first observation). */
  private stressed = Number.NEGATIVE_INFINITY;
  private readonly weight: number;

  constructor(options: CountercyclicalHaircutOptions) {
    if (options.base === undefined) throw new RangeError('CountercyclicalHaircut needs a base policy');
    this.base = options.base;
    this.hFloor = requireHaircut('hFloor', options.hFloor ?? 0);
    this.mode = options.mode ?? 'through-the-cycle';
    if (this.mode !== 'through-the-cycle' && this.mode !== 'buffer') throw new RangeError(`mode must be 'through-the-cycle' or 'buffer', got ${String(this.mode)}`);
    this.stressWindow = options.stressWindow ?? Number.POSITIVE_INFINITY;
    if (this.stressWindow !== Number.POSITIVE_INFINITY) requireInt('stressWindow', this.stressWindow, 1);
    this.bufferMax = requireHaircut('bufferMax', options.bufferMax ?? 0.1);
    this.buildRate = requireAtLeast('buildRate', options.buildRate ?? 0.01, 0);
    this.releaseRate = requireAtLeast('releaseRate', options.releaseRate ?? this.bufferMax, 0);
    this.memory = requireAtLeast('memory', options.memory ?? 50, 1);
    this.weight = 1 - Math.pow(2, -1 / this.memory);
    this.ring = this.mode === 'through-the-cycle' && this.stressWindow !== Number.POSITIVE_INFINITY ? new Float64Array(this.stressWindow) : null;
  }

  /** The stressed σ, per √s: the largest of the window (NaN before any observation). */
  get stressedSigma(): number {
    return this.stressed === Number.NEGATIVE_INFINITY ? Number.NaN : this.stressed;
  }

  haircut(sigma: number): number {
    const known = sigma >= 0;
    let h: number;
    if (this.mode === 'through-the-cycle') {
      if (known) this.recordStress(sigma);
      h = this.base.haircut(this.stressedSigma);
    } else {
      if (known) this.updateBuffer(sigma);
      h = this.base.haircut(known ? sigma : Number.NaN) + this.buffer;
    }
    return Math.min(1, Math.max(this.hFloor, h));
  }

  private updateBuffer(sigma: number): void {
    const avg = this.averageSigma;
    if (avg !== avg) {
      this.averageSigma = sigma;
      return;
    }
    if (sigma <= avg) this.buffer = Math.min(this.bufferMax, this.buffer + this.buildRate);
    else this.buffer = Math.max(0, this.buffer - this.releaseRate);
    this.averageSigma = avg + this.weight * (sigma - avg);
  }

  /** Pushes σ into the window; recomputes the maximum only when the maximum leaves it. */
  private recordStress(sigma: number): void {
    const ring = this.ring;
    if (ring === null) {
      if (sigma > this.stressed) this.stressed = sigma;
      return;
    }
    const n = ring.length;
    const leaving = this.count === n ? ring[this.head] : Number.NEGATIVE_INFINITY;
    ring[this.head] = sigma;
    this.head = (this.head + 1) % n;
    if (this.count < n) this.count++;
    if (sigma >= this.stressed) {
      this.stressed = sigma;
    } else if (leaving === this.stressed) {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < this.count; i++) if (ring[i] > max) max = ring[i];
      this.stressed = max;
    }
  }
}
