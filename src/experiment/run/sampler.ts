import { BaseAgent } from '../../engine/agent.js';
import type { Micros } from '../../engine/time.js';
import type { Exchange } from '../../market/exchange.js';
import type { ValueProcess } from '../../market/value-process.js';
import { CLOSE_SAMPLE_PRIORITY } from '../../market/calendar.js';
import type { TimeSeries } from '../../stats/output-tables.js';
import { leverage } from '../../credit/margin.js';

/** Credit-side measurements taken at each sample (absent without a credit venue). */
export interface CreditProbe {
  /** The balance sheets of the agents that may borrow, at mark, into `out`. */
  balanceSheets(out: BorrowerBalanceSheets): void;
  /** Mean current initial haircut over lenders for an instrument. */
  meanHaircut(instrument: number): number;
  /** Σ outstanding debt, minor units. */
  totalDebt(): number;
  /** Σ lender equity, minor units. */
  lenderEquity(): number;
}

/** Sums over the agents that may borrow (minor units), filled by {@link CreditProbe.balanceSheets}. */
export interface BorrowerBalanceSheets {
  /** Σ gross exposure of all. */
  exposure: number;
  /** Σ assets (equity + debt) of those with debt. */
  leveredAssets: number;
  /** Σ equity of those with debt. */
  leveredEquity: number;
  /** Σ debt of all. */
  debt: number;
  /** Σ equity of all. */
  equity: number;
}

/** Half-width of the depth band around the mid, as a fraction (FACTS.md: ±1 %). */
export const DEPTH_BAND = 0.01;

/** Wake-ups at equal times run after every other delivery at that time (but a session's close: `CLOSE_SAMPLE_PRIORITY`). */
const LAST = 1_000_000;

/**
 * Measurement, declared by the experiment rather than scattered in agents
 * (Mesa's DataCollector): wakes every sampling interval, after everything
 * else at that time, and records one row per instrument. At a session
 * boundary it wakes before everything else instead: that row is the close of
 * the session ending there (its book, its volume, its fundamental). It only reads; it
 * sends nothing and draws no random numbers, so it changes no outcome.
 *
 * realized_vol is the square root of the sum of squared log mid returns over
 * the last `volWindow` intervals (the realised volatility of that window).
 */
export class Sampler extends BaseAgent {
  /** The rows, preallocated for the whole horizon (see the constructor); read through {@link series}. */
  private readonly columns: TimeSeries;
  /** Rows written so far. */
  private rows = 0;
  private readonly lastVolume: number[];
  private readonly lastMid: number[];
  /** Per instrument: ring buffer of squared returns and its running sum. */
  private readonly squares: Float64Array[];
  private readonly sums: number[];
  private samples = 0;
  private readonly sheets: BorrowerBalanceSheets = { exposure: 0, leveredAssets: 0, leveredEquity: 0, debt: 0, equity: 0 };

  constructor(
    private readonly exchange: Exchange,
    private readonly fundamentals: readonly ValueProcess[],
    private readonly intervalUs: Micros,
    private readonly horizonUs: Micros,
    private readonly volWindow: number,
    private readonly credit: CreditProbe | null,
    /** Sessions of the run: the sample at each session boundary is the close (taken before the exchange expires the day's orders). */
    private readonly sessions: { readonly sessionUs: Micros; readonly count: number } = { sessionUs: horizonUs, count: 1 },
  ) {
    super('sampler');
    const n = exchange.instruments.length;
    // Every row the horizon will need is allocated now, at its final size: a
    // long run's memory does not grow with its days (a column growing by push
    // reallocates to 1.5 times its length, and the copies' garbage is what
    // made a 250-day run's resident memory climb), and what the table costs
    // is paid, and bounded by the size limits, before the first event.
    const rows = n * (Math.floor(horizonUs / intervalUs) + 1);
    const column = (): number[] => new Array<number>(rows).fill(Number.NaN);
    this.columns = {
      timeUs: column(), instrument: new Array<string>(rows).fill(''), mid: column(), last: column(), bid: column(), ask: column(), bidDepth: column(), askDepth: column(), volume: column(),
      fundamental: column(), realizedVol: column(), aggregateLeverage: column(), leveredLeverage: column(), leveredAssets: column(), debtToEquity: column(), meanHaircut: column(), totalDebt: column(), lenderEquity: column(),
    };
    this.lastVolume = new Array<number>(n).fill(0);
    this.lastMid = new Array<number>(n).fill(Number.NaN);
    this.squares = Array.from({ length: n }, () => new Float64Array(volWindow));
    this.sums = new Array<number>(n).fill(0);
  }

  /** The rows sampled so far (the columns cut to them: a run stopped early has fewer than its horizon's). */
  get series(): TimeSeries {
    const c = this.columns;
    if (c.timeUs.length !== this.rows) for (const column of Object.values(c) as unknown[][]) column.length = this.rows;
    return c;
  }

  override onStart(now: Micros): void {
    this.kernel.wakeAt(this.id, now, 0, LAST);
  }

  override onWakeup(now: Micros): void {
    this.sample(now);
    const next = now + this.intervalUs;
    if (next <= this.horizonUs) this.kernel.wakeAt(this.id, next, 0, this.isClose(next) ? CLOSE_SAMPLE_PRIORITY : LAST);
  }

  /** True at the end of a session that another follows: its row is that session's close. */
  private isClose(t: Micros): boolean {
    const { sessionUs, count } = this.sessions;
    return count > 1 && t > 0 && t % sessionUs === 0 && t < count * sessionUs;
  }

  /**
   * Top of book and the depth within ±1 % of the mark (FACTS.md,
   * "Microstructure"): resting lots at prices no further than 1 % from it,
   * the band over which depth is usually quoted (e.g. Kyle & Obizhaeva's
   * "market depth", exchanges' "±1 % depth"). Reads the book, allocates nothing.
   */
  private sampleBook(row: number, instrument: number, mark: number): void {
    const s = this.columns;
    const book = this.exchange.book(instrument);
    s.bid[row] = book.bestBid() ?? Number.NaN;
    s.ask[row] = book.bestAsk() ?? Number.NaN;
    const valid = mark > 0;
    // Integer tick bounds inside the band: a level exactly 1 % away counts.
    s.bidDepth[row] = valid ? book.qtyWithin('buy', Math.ceil(mark * (1 - DEPTH_BAND))) : 0;
    s.askDepth[row] = valid ? book.qtyWithin('sell', Math.floor(mark * (1 + DEPTH_BAND))) : 0;
  }

  private sample(now: Micros): void {
    const s = this.columns;
    // The instant before the open: the fundamental at the close, before the night's step.
    const valueTime = this.isClose(now) ? now - 1 : now;
    const afterClose = this.isClose(now - this.intervalUs);
    const credit = this.credit;
    const b = this.sheets;
    if (credit !== null) credit.balanceSheets(b);
    // Aggregate leverage: Σ gross exposure / Σ equity of every agent that may borrow.
    const aggregate = credit === null ? 1 : leverage(b.exposure, b.equity);
    // Balance-sheet leverage of those who owe (Adrian & Shin 2010: assets / equity); undefined while nobody does.
    const levered = credit === null || b.leveredAssets === 0 ? Number.NaN : b.leveredEquity > 0 ? b.leveredAssets / b.leveredEquity : Number.POSITIVE_INFINITY;
    const debtToEquity = credit === null ? 0 : b.equity > 0 ? b.debt / b.equity : Number.NaN;
    const debt = credit === null ? 0 : credit.totalDebt();
    const equity = credit === null ? 0 : credit.lenderEquity();
    const slot = this.samples % this.volWindow;
    for (let i = 0; i < this.exchange.instruments.length; i++) {
      const mark = this.exchange.markPrice(i);
      const mid = mark > 0 ? mark : Number.NaN;
      const prev = this.lastMid[i];
      // The return from a close to the next day's first sample spans the night: intraday realised
      // volatility leaves it out (Andersen, Bollerslev, Diebold & Labys 2001 measure open to close).
      const r = mid > 0 && prev > 0 && !afterClose ? Math.log(mid / prev) : 0;
      const sq = this.squares[i] as Float64Array;
      this.sums[i] = Math.max(0, this.sums[i] - sq[slot] + r * r);
      sq[slot] = r * r;
      if (mid > 0) this.lastMid[i] = mid;
      const volume = this.exchange.volume(i);
      const row = this.rows++;
      s.timeUs[row] = now;
      s.instrument[row] = (this.exchange.instruments[i] as { symbol: string }).symbol;
      s.mid[row] = mid;
      s.last[row] = this.exchange.lastPrice(i) || Number.NaN;
      this.sampleBook(row, i, mark);
      s.volume[row] = volume - this.lastVolume[i];
      s.fundamental[row] = (this.fundamentals[i] as ValueProcess).valueAt(valueTime);
      s.realizedVol[row] = Math.sqrt(this.sums[i]);
      s.aggregateLeverage[row] = aggregate;
      s.leveredLeverage[row] = levered;
      s.leveredAssets[row] = credit === null ? 0 : b.leveredAssets;
      s.debtToEquity[row] = debtToEquity;
      s.meanHaircut[row] = credit === null ? 0 : credit.meanHaircut(i);
      s.totalDebt[row] = debt;
      s.lenderEquity[row] = equity;
      this.lastVolume[i] = volume;
    }
    this.samples++;
  }
}
