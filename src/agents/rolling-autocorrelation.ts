/**
 * The lag-1 sample autocorrelation of the last `window` values of a series,
 * updated in O(1) per value: R's `acf` convention (deviations from the window
 * mean, numerator and denominator both over the window),
 *
 *   ρ̂ = Σ_{t=2..n} (r_t − r̄)(r_{t−1} − r̄) / Σ_{t=1..n} (r_t − r̄)²,
 *
 * from running sums of r, r² and r_t·r_{t−1} over a ring buffer. The sums
 * are rebuilt from the buffer once per `window` values, so rounding cannot
 * accumulate over a long run (amortised O(1)). Memory: one Float64Array of
 * `window` values.
 */
export class RollingAutocorrelation {
  private readonly values: Float64Array;
  /** Index of the oldest value. */
  private head = 0;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  /** Σ r_t · r_{t−1} over consecutive pairs inside the window. */
  private sumLag = 0;
  private sinceRebuild = 0;

  /** @param window values kept, ≥ 3. */
  constructor(readonly window: number) {
    if (!Number.isSafeInteger(window) || window < 3) throw new RangeError(`window must be an integer ≥ 3, got ${window}`);
    this.values = new Float64Array(window);
  }

  /** Values in the window. */
  get count(): number {
    return this.n;
  }

  /** The newest value (NaN when empty). */
  get last(): number {
    return this.n === 0 ? Number.NaN : this.values[(this.head + this.n - 1) % this.window];
  }

  /** Adds a value, dropping the oldest when the window is full. */
  push(x: number): void {
    const w = this.window;
    if (this.n === w) {
      const oldest = this.values[this.head];
      const second = this.values[(this.head + 1) % w];
      this.sum -= oldest;
      this.sumSq -= oldest * oldest;
      this.sumLag -= oldest * second;
      this.head = (this.head + 1) % w;
      this.n--;
    }
    if (this.n > 0) this.sumLag += x * this.last;
    this.values[(this.head + this.n) % w] = x;
    this.n++;
    this.sum += x;
    this.sumSq += x * x;
    if (++this.sinceRebuild >= w) this.rebuild();
  }

  /** ρ̂ of the window; NaN with fewer than 3 values or no variation. */
  value(): number {
    const n = this.n;
    if (n < 3) return Number.NaN;
    const mean = this.sum / n;
    const den = this.sumSq - n * mean * mean;
    if (!(den > 0)) return Number.NaN;
    const first = this.values[this.head];
    const last = this.last;
    // Σ(r_t − m)(r_{t−1} − m) over the n − 1 pairs, expanded into the running sums.
    const num = this.sumLag - mean * (this.sum - first + (this.sum - last)) + (n - 1) * mean * mean;
    return num / den;
  }

  private rebuild(): void {
    this.sinceRebuild = 0;
    let s = 0;
    let q = 0;
    let lag = 0;
    let prev = 0;
    for (let i = 0; i < this.n; i++) {
      const x = this.values[(this.head + i) % this.window];
      s += x;
      q += x * x;
      if (i > 0) lag += x * prev;
      prev = x;
    }
    this.sum = s;
    this.sumSq = q;
    this.sumLag = lag;
  }
}
