/**
 * The reference price of a price drop: for each of a set of spans (a
 * cascade, an episode), the last trade price on its instrument strictly
 * before its start, taken while the trades stream past in time order (they
 * are not held: `TradeSource`). Shared by cascades.csv's and episodes.csv's
 * `price_drop_pct`, which differ only in which trades count toward the low.
 *
 * @module
 */

/** Last prices before each span's start, filled as trades are shown in time order. */
export class PricesBefore {
  /** Per span, the last price before its start (NaN: no trade before it, or not reached yet). */
  readonly before: number[];
  private readonly byStart: number[];
  private readonly last = new Map<number, number>();
  private next = 0;

  /** Span k starts at `starts[k]` on `instruments[k]`. */
  constructor(
    private readonly starts: readonly number[],
    private readonly instruments: readonly number[],
  ) {
    const k = starts.length;
    this.before = new Array<number>(k).fill(Number.NaN);
    this.byStart = Array.from({ length: k }, (_, c) => c).sort((a, b) => (starts[a] as number) - (starts[b] as number) || a - b);
  }

  /** Spans starting at or before `time` take the last prices of the trades before it; then this trade is its instrument's last. */
  see(time: number, instrument: number, price: number): void {
    this.open(time);
    this.last.set(instrument, price);
  }

  /** Spans started by now (in start order, the last one opened last): `started - 1` is the span the latest trade falls in, if any. */
  get started(): number {
    return this.next;
  }

  /** The span opened `k`-th by start time. */
  spanAt(k: number): number {
    return this.byStart[k] as number;
  }

  /** Closes the pass: spans after the last trade take the last prices. */
  finish(): readonly number[] {
    this.open(Number.POSITIVE_INFINITY);
    return this.before;
  }

  private open(time: number): void {
    const k = this.byStart.length;
    while (this.next < k && (this.starts[this.byStart[this.next] as number] as number) <= time) {
      const c = this.byStart[this.next++] as number;
      this.before[c] = this.last.get(this.instruments[c] as number) ?? Number.NaN;
    }
  }
}

/** The fall from `before` to `low`, in percent; 0 when it did not fall or either is missing. */
export function dropPct(before: number, low: number): number {
  return before > 0 && low !== Number.POSITIVE_INFINITY ? Math.max(0, ((before - low) / before) * 100) : 0;
}
