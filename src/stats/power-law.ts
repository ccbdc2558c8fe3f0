/**
 * Power-law fits after Clauset, Shalizi & Newman (2009), "Power-law
 * distributions in empirical data", SIAM Review 51(4):661–703.
 *
 * Model: p(x) ∝ x^{−α} for x ≥ x_min.
 * - continuous: p(x) = (α−1)/x_min · (x/x_min)^{−α}, CDF 1 − (x/x_min)^{1−α};
 *   MLE α̂ = 1 + n / Σ ln(x_i / x_min) (their eq. 3.1);
 * - discrete (integers ≥ 1): p(x) = x^{−α} / ζ(α, x_min), P(X ≥ x) =
 *   ζ(α, x)/ζ(α, x_min); α̂ is the exact MLE, maximising
 *   −n ln ζ(α, x_min) − α Σ ln x_i (their eq. 3.5) by golden-section search on
 *   (1, 50] (the log-likelihood is concave in α).
 *
 * x_min is the candidate (each distinct observed value) minimising the
 * Kolmogorov–Smirnov distance D = sup_x |S(x) − P(x)| between the empirical
 * and fitted CDFs of the tail (their §3.3); ties go to the smaller x_min.
 * Candidates need at least `minTail` tail points, not all equal to x_min
 * (otherwise α̂ is infinite). The optional goodness-of-fit p-value is their
 * semi-parametric bootstrap (§4.1).
 *
 * @module
 */

import { hurwitzZeta } from './zeta.js';

/** Continuous or discrete (integer-valued) power law. */
export type PowerLawKind = 'continuous' | 'discrete';

/** Options of {@link fitPowerLaw}. */
export interface PowerLawOptions {
  kind: PowerLawKind;
  /** Fix x_min instead of choosing it by KS distance. */
  xmin?: number;
  /** Minimum number of tail points for a candidate x_min. Default 10. */
  minTail?: number;
  /** Number of bootstrap data sets for the p-value. Default 0 (no p-value). */
  bootstrap?: number;
  /** Uniform random source in [0, 1); required when `bootstrap` > 0. */
  random?: () => number;
}

/** A fitted power law. */
export interface PowerLawFit {
  kind: PowerLawKind;
  /** Exponent α̂ (> 1). */
  alpha: number;
  /** Lower bound of the power-law tail. */
  xmin: number;
  /** Number of observations ≥ x_min (the tail). */
  n: number;
  /** KS distance between the tail's empirical CDF and the fit. */
  ks: number;
  /** Bootstrap goodness-of-fit p-value, when `bootstrap` > 0. */
  p?: number;
}

const ALPHA_LOW = 1 + 1e-9;
const ALPHA_HIGH = 50;

/**
 * Fit a power law to `data` (values that are not finite and > 0 are dropped).
 *
 * @returns the fit, or `null` when no x_min candidate qualifies (fewer than
 *   `minTail` tail points, or a tail all equal to x_min) — e.g. tiny samples.
 *   With bootstrap, `p` = share of synthetic data sets (among those that could
 *   be fitted) whose KS distance is ≥ the observed one; NaN if none could.
 * @throws RangeError for non-integer data in discrete mode, or TypeError when
 *   `bootstrap` > 0 without `random` (caller bugs).
 */
export function fitPowerLaw(data: ArrayLike<number>, options: PowerLawOptions): PowerLawFit | null {
  const sorted = prepare(data, options.kind);
  const fit = fitSorted(sorted, options);
  const reps = options.bootstrap ?? 0;
  if (fit === null || reps <= 0) return fit;
  if (options.random === undefined) throw new TypeError('fitPowerLaw: bootstrap needs a random source');
  return { ...fit, p: bootstrapPValue(sorted, fit, options, options.random, reps) };
}

/**
 * A sampler of the power law (kind, α, x_min): each call draws one value
 * using `random` (uniform in [0, 1)). Continuous: inverse transform
 * x = x_min (1 − u)^{−1/(α−1)}. Discrete: the exact inverse of
 * P(X ≥ x) = ζ(α, x)/ζ(α, x_min), found by search around Clauset et al.'s
 * approximation ⌊(x_min − ½)(1 − u)^{−1/(α−1)} + ½⌋ (their eq. D.6).
 */
export function powerLawSampler(kind: PowerLawKind, alpha: number, xmin: number): (random: () => number) => number {
  const e = -1 / (alpha - 1);
  if (kind === 'continuous') return (random) => xmin * (1 - random()) ** e;
  const z0 = hurwitzZeta(alpha, xmin);
  const tail = (x: number): number => hurwitzZeta(alpha, x) / z0;
  return (random) => {
    const u = 1 - random(); // (0, 1]; answer: the largest x with tail(x) ≥ u
    const approx = Math.floor((xmin - 0.5) * u ** e + 0.5);
    const guess = Number.isFinite(approx) ? Math.min(Math.max(xmin, approx), Number.MAX_SAFE_INTEGER / 4) : xmin;
    let lo: number;
    let hi: number;
    if (tail(guess) >= u) {
      lo = guess;
      let step = 1;
      while (tail(lo + step) >= u) {
        lo += step;
        step *= 2;
      }
      hi = lo + step;
    } else {
      hi = guess;
      let step = 1;
      lo = Math.max(xmin, hi - step);
      while (lo > xmin && tail(lo) < u) {
        hi = lo;
        step *= 2;
        lo = Math.max(xmin, hi - step);
      }
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (tail(mid) >= u) lo = mid;
      else hi = mid;
    }
    return lo;
  };
}

/** Valid values, ascending; integers are enforced in discrete mode. */
function prepare(data: ArrayLike<number>, kind: PowerLawKind): Float64Array {
  const out = new Float64Array(data.length);
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(Number.isFinite(v) && v > 0)) continue;
    if (kind === 'discrete' && !Number.isInteger(v)) throw new RangeError(`discrete power law needs integers, got ${v}`);
    out[m++] = v;
  }
  return out.subarray(0, m).sort();
}

/** The KS-optimal (or fixed-x_min) fit of sorted valid data. */
function fitSorted(sorted: Float64Array, options: PowerLawOptions): PowerLawFit | null {
  const N = sorted.length;
  const minTail = Math.max(2, options.minTail ?? 10);
  const logs = sorted.map(Math.log);
  const suffixLog = new Float64Array(N + 1); // suffixLog[s] = Σ_{i ≥ s} ln x_i
  for (let i = N - 1; i >= 0; i--) suffixLog[i] = suffixLog[i + 1] + logs[i];
  const candidates: number[] = [];
  if (options.xmin !== undefined) {
    if (options.kind === 'discrete' && !(Number.isInteger(options.xmin) && options.xmin >= 1)) {
      throw new RangeError(`discrete x_min must be an integer ≥ 1, got ${options.xmin}`);
    }
    let s = 0;
    while (s < N && sorted[s] < options.xmin) s++;
    candidates.push(s);
  } else {
    for (let s = 0; s < N; s++) if (s === 0 || sorted[s] !== sorted[s - 1]) candidates.push(s);
  }
  let best: PowerLawFit | null = null;
  for (const s of candidates) {
    const n = N - s;
    const xmin = options.xmin ?? sorted[s];
    if (n < minTail || !(sorted[N - 1] > xmin)) continue;
    const logSum = suffixLog[s];
    const fit =
      options.kind === 'continuous'
        ? continuousFit(sorted, logs, s, xmin, logSum)
        : discreteFit(sorted, s, xmin, logSum);
    if (best === null || fit.ks < best.ks) best = fit;
  }
  return best;
}

function continuousFit(sorted: Float64Array, logs: Float64Array, s: number, xmin: number, logSum: number): PowerLawFit {
  const n = sorted.length - s;
  const logXmin = Math.log(xmin);
  const alpha = 1 + n / (logSum - n * logXmin);
  let ks = 0;
  forEachDistinct(sorted, s, (i, before, after) => {
    const F = 1 - Math.exp((1 - alpha) * (logs[i] - logXmin)); // 1 − (x/x_min)^{1−α}
    ks = Math.max(ks, Math.abs(F - before / n), Math.abs(F - after / n));
  });
  return { kind: 'continuous', alpha, xmin, n, ks };
}

function discreteFit(sorted: Float64Array, s: number, xmin: number, logSum: number): PowerLawFit {
  const n = sorted.length - s;
  const logLik = (a: number): number => -n * Math.log(hurwitzZeta(a, xmin)) - a * logSum;
  const alpha = goldenSectionMax(logLik, ALPHA_LOW, ALPHA_HIGH, 1e-9);
  const z0 = hurwitzZeta(alpha, xmin);
  const cdf = (x: number): number => 1 - hurwitzZeta(alpha, x + 1) / z0; // P(X ≤ x)
  let ks = 0;
  let prev = xmin - 1;
  forEachDistinct(sorted, s, (i, before, after) => {
    const v = sorted[i];
    // The empirical CDF is flat on (prev, v) while the model's rises: check its last integer.
    if (v - 1 > prev) ks = Math.max(ks, Math.abs(cdf(v - 1) - before / n));
    ks = Math.max(ks, Math.abs(cdf(v) - after / n));
    prev = v;
  });
  return { kind: 'discrete', alpha, xmin, n, ks };
}

/**
 * Visit each distinct value of sorted[s..] (by the index of its first
 * occurrence) with the numbers of tail points below it and up to it.
 */
function forEachDistinct(sorted: Float64Array, s: number, visit: (i: number, before: number, after: number) => void): void {
  let i = s;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    visit(i, i - s, j - s);
    i = j;
  }
}

/** Argmax of a unimodal function on [a, b] to tolerance `tol`. */
function goldenSectionMax(f: (x: number) => number, a: number, b: number, tol: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Clauset et al. §4.1: each synthetic data set has the observed size N; each
 * point is drawn from the fitted power law with probability n/N, else
 * resampled uniformly from the observed values below x_min. It is fitted by
 * the same procedure (x_min scan or fixed x_min).
 */
function bootstrapPValue(
  sorted: Float64Array,
  fit: PowerLawFit,
  options: PowerLawOptions,
  random: () => number,
  reps: number,
): number {
  const N = sorted.length;
  let bodyCount = 0;
  while (bodyCount < N && sorted[bodyCount] < fit.xmin) bodyCount++;
  const pTail = fit.n / N;
  const draw = powerLawSampler(fit.kind, fit.alpha, fit.xmin);
  let fitted = 0;
  let atLeast = 0;
  const synth = new Float64Array(N);
  for (let b = 0; b < reps; b++) {
    for (let j = 0; j < N; j++) {
      synth[j] = bodyCount === 0 || random() < pTail ? draw(random) : sorted[Math.floor(random() * bodyCount)];
    }
    const f = fitSorted(synth.slice().sort(), options);
    if (f === null) continue;
    fitted++;
    if (f.ks >= fit.ks) atLeast++;
  }
  return fitted === 0 ? Number.NaN : atLeast / fitted;
}
