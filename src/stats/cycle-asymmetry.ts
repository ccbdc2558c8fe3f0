/**
 * Is leverage slower to build up than to collapse — more than noise of the
 * same spectrum would be?
 *
 * Leverage cycles build up slowly and collapse fast (Geanakoplos 2010;
 * Aymanns & Farmer 2015). The statistic is the ratio of the median
 * trough-to-peak phase to the median peak-to-trough phase, in samples, with
 * turning points dated by the threshold zig-zag of `leverage-cycles.ts`.
 *
 * The null is time-reversible: phase-randomised Fourier surrogates of log
 * leverage (Theiler, Eubank, Longtin, Galdrikian & Farmer 1992, "Testing for
 * nonlinearity in time series: the method of surrogate data", Physica D 58)
 * keep the series' mean and power spectrum — so its autocorrelation at every
 * lag, every timescale of its variation — but are Gaussian and linear, so
 * rises and falls are alike in law. An asymmetry beyond theirs is evidence of
 * the nonlinear build-up-and-collapse shape, which the red-noise count test
 * (`red-noise-null.ts`) cannot see. (The count test needs a null without the
 * series' spectral peaks, so it keeps red noise.)
 *
 * The ratio is measured on the series as tested: thinned to at most
 * `maxSamples` samples (build-ups and collapses last hours; a year of 30-s
 * samples thinned to every 3rd still resolves them to 90 seconds).
 *
 * Deterministic: the surrogates' phases come from a fixed-seed generator.
 *
 * @module
 */

import { Dft } from './fourier.js';
import { findTurningPoints, phaseDurations, type TurningPointOptions } from './leverage-cycles.js';
import { quantile } from './microstructure.js';
import { positiveLevels, splitMixUniform, surrogateCount } from './surrogates.js';

/** Options of {@link cycleAsymmetry}: the dating rule, and the surrogates. */
export interface CycleAsymmetryOptions extends TurningPointOptions {
  /** Number of surrogates. Default 99 (a p-value resolution of 1 %). */
  surrogates?: number;
  /** Seed of the surrogates' phases. Default 1. */
  seed?: number;
  /** Longest series tested: a longer one is thinned to every k-th sample (k = ⌈n / maxSamples⌉), so a year of 30-s samples costs seconds, not a minute. Default 65,536. */
  maxSamples?: number;
}

/** The observed build-up/collapse ratio beside the surrogates'. */
export interface CycleAsymmetryTest {
  /** Median build-up / median collapse, in samples; NaN without both phases. */
  ratio: number;
  /** Mean ratio over the surrogates that have both phases (NaN when none has, or no surrogate can be made). */
  nullMean: number;
  /** (1 + surrogates whose ratio is at least the observed, or undefined) / (1 + surrogates); NaN when the observed ratio is. */
  pValue: number;
}

/** The asymmetry of a leverage series against phase-randomised surrogates. Non-finite and non-positive values are left out. */
export function cycleAsymmetry(values: ArrayLike<number>, options: CycleAsymmetryOptions = {}): CycleAsymmetryTest {
  const n = surrogateCount(options.surrogates);
  const cap = options.maxSamples ?? 65_536;
  if (!Number.isInteger(cap) || cap < 3) throw new RangeError(`maxSamples must be an integer ≥ 3, got ${cap}`);
  const stride = Math.max(1, Math.ceil(values.length / cap));
  const observed = positiveLevels(values, stride);
  // Without both phases there is no ratio (fewer than three levels included).
  const ratio = asymmetryOf(observed, options);
  if (!(ratio === ratio)) return { ratio, nullMean: Number.NaN, pValue: Number.NaN };
  const make = phaseRandomizer(observed.map(Math.log), splitMixUniform(options.seed ?? 1));
  const levels = new Array<number>(observed.length);
  let atLeast = 0;
  let sum = 0;
  let defined = 0;
  for (let s = 0; s < n; s++) {
    const y = make();
    for (let t = 0; t < y.length; t++) levels[t] = Math.exp(y[t] as number);
    const r = asymmetryOf(levels, options);
    if (r === r) {
      sum += r;
      defined++;
    }
    // A surrogate without both phases counts against the series (the conservative side).
    if (!(r < ratio)) atLeast++;
  }
  return { ratio, nullMean: defined > 0 ? sum / defined : Number.NaN, pValue: (1 + atLeast) / (1 + n) };
}

/** Median build-up over median collapse of `levels`, in samples. */
function asymmetryOf(levels: readonly number[], options: TurningPointOptions): number {
  const phases = phaseDurations(findTurningPoints(levels, options));
  return quantile(phases.buildUps, 0.5) / quantile(phases.collapses, 0.5);
}

/**
 * A generator of phase-randomised surrogates of `x`: the same mean and
 * Fourier amplitudes, independent uniform phases (conjugate-symmetric, so
 * the surrogate is real; the Nyquist term of an even length keeps its sign).
 * The returned array is reused by the next call.
 */
export function phaseRandomizer(x: readonly number[], uniform: () => number): () => Float64Array {
  const n = x.length;
  const dft = new Dft(n);
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  const amp = new Float64Array(n);
  const re = Float64Array.from(x, (v) => v - mean);
  const im = new Float64Array(n);
  dft.transform(re, im, false);
  for (let k = 0; k < n; k++) amp[k] = Math.hypot(re[k] as number, im[k] as number);
  const nyquist = n % 2 === 0 ? (re[n / 2] as number) : 0;
  const out = new Float64Array(n);
  return () => {
    re.fill(0);
    im.fill(0);
    for (let k = 1; 2 * k < n; k++) {
      const phase = 2 * Math.PI * uniform();
      const a = amp[k] as number;
      re[k] = a * Math.cos(phase);
      im[k] = a * Math.sin(phase);
      re[n - k] = re[k] as number;
      im[n - k] = -(im[k] as number);
    }
    if (n % 2 === 0) re[n / 2] = nyquist;
    dft.transform(re, im, true);
    for (let t = 0; t < n; t++) out[t] = mean + (re[t] as number) / n;
    return out;
  };
}
