/**
 * Investors who chase performance, after Thurner, Farmer & Geanakoplos
 * (2012), §2.3: each period the fund's return `r` enters a moving average
 * of performance, r_perf ← (1 − a)·r_perf + a·r (TFG: a = 0.1), and the
 * investors add or withdraw
 *
 *   F = max(−1, b·(r_perf − r_b)) · W
 *
 * (TFG: b = 0.15, r_b = 0.005 a period): money flows to funds that beat the
 * benchmark and leaves those that lag it, at most the whole of W.
 */
export class InvestorFlows {
  /** The moving average of the fund's returns. */
  performance = 0;

  constructor(
    /** Sensitivity b of the flows to performance above the benchmark, ≥ 0. */
    readonly sensitivity: number,
    /** Benchmark return r_b per period. */
    readonly benchmark: number,
    /** Weight a of the latest return in the average, in (0, 1]. */
    readonly weight: number,
  ) {
    if (!(sensitivity >= 0) || !Number.isFinite(sensitivity)) throw new RangeError(`flowSensitivity must be a finite number ≥ 0, got ${sensitivity}`);
    if (!Number.isFinite(benchmark)) throw new RangeError(`flowBenchmark must be finite, got ${benchmark}`);
    if (!(weight > 0 && weight <= 1)) throw new RangeError(`flowWeight must be in (0, 1], got ${weight}`);
  }

  /** Records the period's return and gives the flow as a fraction of equity, ≥ −1. */
  next(periodReturn: number): number {
    this.performance = (1 - this.weight) * this.performance + this.weight * periodReturn;
    return Math.max(-1, this.sensitivity * (this.performance - this.benchmark));
  }

  /** A fresh start (a fund re-entering after bankruptcy has no track record). */
  reset(): void {
    this.performance = 0;
  }
}
