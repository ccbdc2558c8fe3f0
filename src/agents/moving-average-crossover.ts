/**
 * Short and long moving averages of a sampled price, for trend signals: a
 * ring buffer of the last `longWindow` samples with running sums of both
 * windows, so each sample costs O(1) and no array is ever copied.
 */
export class MovingAverageCrossover {
  private readonly ring: Float64Array;
  /** Next slot to write. */
  private head = 0;
  /** Samples recorded, capped at `longWindow`. */
  private count = 0;
  private shortSum = 0;
  private longSum = 0;
  /** Σ and Σ² of the long window's samples less `origin`: small numbers, so the variance does not cancel catastrophically. */
  private devSum = 0;
  private devSumSq = 0;
  /** The first sample (NaN before it). */
  private origin = Number.NaN;

  /** @param shortWindow samples in the short average, ≤ `longWindow` */
  constructor(
    readonly shortWindow: number,
    readonly longWindow: number,
  ) {
    this.ring = new Float64Array(longWindow);
  }

  /** True once `longWindow` samples are in. */
  get ready(): boolean {
    return this.count >= this.longWindow;
  }

  /** Short moving average (NaN until `shortWindow` samples). */
  get shortAverage(): number {
    return this.count >= this.shortWindow ? this.shortSum / this.shortWindow : Number.NaN;
  }

  /** Long moving average (NaN until `longWindow` samples). */
  get longAverage(): number {
    return this.count >= this.longWindow ? this.longSum / this.longWindow : Number.NaN;
  }

  /** Short minus long average (NaN until ready): positive in an up-trend. */
  get signal(): number {
    return this.ready ? this.shortSum / this.shortWindow - this.longSum / this.longWindow : Number.NaN;
  }

  /**
   * Standard deviation of the samples in the long window (population form;
   * NaN until ready): the price dispersion by which Baz et al. (2015) scale a
   * moving-average spread.
   */
  get longStd(): number {
    if (!this.ready) return Number.NaN;
    const n = this.longWindow;
    const mean = this.devSum / n;
    return Math.sqrt(Math.max(0, this.devSumSq / n - mean * mean));
  }

  /** Pushes one sample, updating the running sums. */
  record(x: number): void {
    const n = this.longWindow;
    const ring = this.ring;
    if (this.origin !== this.origin) this.origin = x;
    // The sample leaving the short window was written `shortWindow` steps ago.
    if (this.count >= this.shortWindow) this.shortSum -= ring[(this.head - this.shortWindow + n) % n];
    if (this.count >= n) {
      const old = ring[this.head] - this.origin;
      this.longSum -= ring[this.head];
      this.devSum -= old;
      this.devSumSq -= old * old;
    }
    ring[this.head] = x;
    const dev = x - this.origin;
    this.devSum += dev;
    this.devSumSq += dev * dev;
    this.shortSum += x;
    this.longSum += x;
    this.head = (this.head + 1) % n;
    if (this.count < n) this.count++;
  }
}
