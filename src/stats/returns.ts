/**
 * Returns of a price (or equity) series.
 *
 * Validity rule shared by every function here: a price is *valid* when it is
 * finite and strictly positive. Invalid prices (NaN, ±Infinity, 0, negative —
 * e.g. a mid price while the book is empty) are skipped, so the return after a
 * gap spans from the last valid price to the next valid one. Skipping, rather
 * than emitting NaN, keeps the returns telescoping:
 * Σ logReturns(p) = ln(p_last / p_first) over the valid prices.
 *
 * Reference: Campbell, Lo & MacKinlay (1997), *The Econometrics of Financial
 * Markets*, §1.4.
 *
 * @module
 */

/** True when `p` is a usable price: finite and > 0. */
export function isValidPrice(p: number): boolean {
  return Number.isFinite(p) && p > 0;
}

function validPrices(prices: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i];
    if (isValidPrice(p)) out.push(p);
  }
  return out;
}

/**
 * Log returns r_t = ln(p_t / p_{t−1}) of consecutive valid prices.
 *
 * @param prices - price series in any positive unit (ticks, currency).
 * @returns one return per pair of consecutive valid prices: length
 *   max(0, validCount − 1). Invalid prices are skipped (see module docs).
 */
export function logReturns(prices: ArrayLike<number>): number[] {
  const p = validPrices(prices);
  const out = new Array<number>(Math.max(0, p.length - 1));
  for (let i = 1; i < p.length; i++) out[i - 1] = Math.log(p[i] / p[i - 1]);
  return out;
}

/**
 * Simple (arithmetic) returns R_t = p_t / p_{t−1} − 1 of consecutive valid
 * prices. Same skipping rule and output length as {@link logReturns}.
 */
export function simpleReturns(prices: ArrayLike<number>): number[] {
  const p = validPrices(prices);
  const out = new Array<number>(Math.max(0, p.length - 1));
  for (let i = 1; i < p.length; i++) out[i - 1] = p[i] / p[i - 1] - 1;
  return out;
}

/** Options of {@link sampleAtInterval} and {@link intervalLogReturns}. */
export interface SamplingOptions {
  /** First grid boundary. Default: `times[0]`. */
  start?: number;
  /** Last time to sample (inclusive). Default: the last observation time. */
  end?: number;
}

/** A regularly sampled series: `values[j]` is the sample at `times[j]`. */
export interface SampledSeries {
  times: number[];
  values: number[];
}

function assertSamplingInputs(times: ArrayLike<number>, prices: ArrayLike<number>, interval: number): void {
  if (times.length !== prices.length) {
    throw new RangeError(`times (${times.length}) and prices (${prices.length}) differ in length`);
  }
  if (!(interval > 0) || !Number.isFinite(interval)) {
    throw new RangeError(`interval must be a positive finite number, got ${interval}`);
  }
  for (let i = 1; i < times.length; i++) {
    if (!(times[i] >= times[i - 1])) throw new RangeError(`times must be non-decreasing (index ${i})`);
  }
}

/**
 * Previous-tick sampling of an irregular (time, price) series on the regular
 * grid b_j = start + j·interval, j = 0, 1, … while b_j ≤ end.
 *
 * The sample at b_j is the last valid price observed at a time ≤ b_j (an
 * observation exactly on a boundary belongs to that boundary). Boundaries
 * before the first valid price are omitted.
 *
 * @param times - observation times, non-decreasing (e.g. integer µs).
 * @param prices - observed prices, same length as `times`.
 * @param interval - grid spacing in the units of `times`, > 0.
 * @throws RangeError on mismatched lengths, decreasing times or a bad interval
 *   (caller bugs).
 */
export function sampleAtInterval(
  times: ArrayLike<number>,
  prices: ArrayLike<number>,
  interval: number,
  options: SamplingOptions = {},
): SampledSeries {
  assertSamplingInputs(times, prices, interval);
  const out: SampledSeries = { times: [], values: [] };
  if (times.length === 0) return out;
  const start = options.start ?? times[0];
  const end = options.end ?? times[times.length - 1];
  let i = 0;
  let last = Number.NaN;
  for (let j = 0; ; j++) {
    const b = start + j * interval;
    if (b > end) break;
    while (i < times.length && times[i] <= b) {
      if (isValidPrice(prices[i])) last = prices[i];
      i++;
    }
    if (!Number.isNaN(last)) {
      out.times.push(b);
      out.values.push(last);
    }
  }
  return out;
}

/** Returns at a fixed sampling interval: `returns[j]` ends at `times[j]`. */
export interface IntervalReturns {
  times: number[];
  returns: number[];
}

/**
 * Log returns between consecutive grid samples of {@link sampleAtInterval}:
 * r_j = ln(P(b_j) / P(b_{j−1})). An interval without trades gives r = 0.
 */
export function intervalLogReturns(
  times: ArrayLike<number>,
  prices: ArrayLike<number>,
  interval: number,
  options: SamplingOptions = {},
): IntervalReturns {
  const s = sampleAtInterval(times, prices, interval, options);
  return { times: s.times.slice(1), returns: logReturns(s.values) };
}
