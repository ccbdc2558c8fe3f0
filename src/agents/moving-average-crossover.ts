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

  /** Pushes one sample, updating both running sums. */
  record(x: number): void {
    const n = this.longWindow;
    const ring = this.ring;
    // The sample leaving the short window was written `shortWindow` steps ago.
    if (this.count >= this.shortWindow) this.shortSum -= ring[(this.head - this.shortWindow + n) % n];
    if (this.count >= n) this.longSum -= ring[this.head];
    ring[this.head] = x;
    this.shortSum += x;
    this.longSum += x;
    this.head = (this.head + 1) % n;
    if (this.count < n) this.count++;
  }
}
