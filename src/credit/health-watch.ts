/**
 * The health trigger: keeps the venue's marks, re-checks loan health when a
 * mark moves or a loan changes, and hands every loan that crosses below
 * maintenance to the liquidation venue.
 *
 * The exchange calls {@link HealthWatch.onMarkChanged} through its
 * `MarkListener` hook (market/exchange.ts) on every top-of-book change or
 * trade, inside the handler of the order that moved the price. That path is
 * hot: O(1) when no loan crosses its trigger (no allocation), O(k log n) for
 * k crossings, plus the multi-instrument baskets on the instrument
 * (loan-book.ts). Marks are the exchange's `markPrice` (mid, else last
 * trade); when it has none, the last known mark is kept.
 *
 * Loans that stay unhealthy are offered to the policy again every
 * `reofferIntervalUs`: keepers rescan liquidatable positions, and without it
 * a loan skipped by every liquidator for lack of capital would never be
 * offered again.
 *
 * @packageDocumentation
 */

import type { Micros } from '../engine/time.js';
import type { Exchange } from '../market/exchange.js';
import type { CreditReports } from './credit-reports.js';
import type { CreditTimers } from './credit-timers.js';
import type { LiquidationVenue } from './liquidation-venue.js';
import type { Loan } from './loan.js';
import type { LiquidationTrigger } from '../stats/liquidation-triggers.js';
import type { HealthSink, LoanBook } from './loan-book.js';
import { halfTicks } from './margin.js';

/** Marks, re-indexing and the unhealthy notifications. */
export class HealthWatch implements HealthSink {
  constructor(
    private readonly exchange: Exchange,
    private readonly book: LoanBook,
    /** Last known mark of each instrument, half-ticks (shared with the venue). */
    private readonly marksHalfTicks: number[],
    private readonly liquidation: LiquidationVenue,
    private readonly reports: CreditReports,
    private readonly timers: CreditTimers,
    private readonly reofferIntervalUs: Micros,
  ) {}

  /** A new mark of `instrument` at the exchange: flags every loan that crossed. */
  onMarkChanged(instrument: number): void {
    const mark = this.exchange.markPrice(instrument);
    if (mark <= 0) return;
    const m2 = halfTicks(mark);
    if (m2 === this.marksHalfTicks[instrument]) return;
    this.marksHalfTicks[instrument] = m2;
    this.book.onMark(instrument, m2, this.marksHalfTicks, this);
  }

  /** HealthSink: a loan crossed below maintenance (only a new mark makes the index call this). */
  onLoanUnhealthy(loan: Loan): void {
    this.becameUnhealthy(loan, 'price');
  }

  /** HealthSink: a loan is healthy again (a later crossing notifies again). */
  onLoanHealthy(_loan: Loan): void {}

  /** Re-indexes a loan whose debt, collateral or haircuts changed (`trigger` says which), and notifies if it just crossed. */
  reindex(loan: Loan, trigger: LiquidationTrigger): void {
    const was = loan.unhealthy;
    this.book.reindex(loan, this.marksHalfTicks);
    if (!was && loan.unhealthy) this.becameUnhealthy(loan, trigger);
  }

  /** Offers every loan still unhealthy again, and keeps doing so while any is. */
  reoffer(now: Micros): void {
    const ids = this.unhealthyLoanIds();
    for (const id of ids) this.liquidation.onUnhealthy(this.book.get(id) as Loan, true);
    if (ids.length > 0) this.scheduleReoffer(now);
  }

  /** Ids of open loans the index flags unhealthy, ascending. */
  unhealthyLoanIds(): number[] {
    return this.book
      .live()
      .filter((l) => l.status === 'open' && l.unhealthy)
      .map((l) => l.id);
  }

  private becameUnhealthy(loan: Loan, trigger: LiquidationTrigger): void {
    loan.trigger = trigger;
    this.reports.emitUnhealthy(loan);
    this.liquidation.onUnhealthy(loan, false);
    this.scheduleReoffer(this.reports.kernel.now);
  }

  private scheduleReoffer(now: Micros): void {
    if (this.reofferIntervalUs === 0) return;
    this.timers.reofferAt(now + this.reofferIntervalUs);
  }
}
