/**
 * Applies lenders' posted terms to their existing loans, when and as far as
 * each lender's schedule says (the rules: terms-schedule.ts): at the posting
 * (`immediate`), at each loan's roll (`roll`), or when a notice runs out
 * (`notice`), each time moving a loan's maintenance haircuts by at most the
 * lender's step cap. An application accrues the loan, sets its rate and
 * haircuts and re-indexes its health, so a loan that the new haircuts put
 * below maintenance is handed to the liquidation policy right there.
 *
 * ## Wake-ups
 *
 * No timer per loan or per posting: per lender, at most one pending roll
 * wake-up (at the earliest roll time of its {@link RollQueue}) and one
 * pending notice expiry (credit-timers.ts). A roll wake-up rolls every loan
 * due by then and re-arms itself at the next roll time.
 *
 * ## Causes
 *
 * What an application does — a loan found unhealthy, a liquidator told, the
 * liquidation that follows — takes the delivery being handled as its cause.
 * At a posting that is the posting itself. A roll or notice wake-up is made
 * to be caused by the lender's latest posting, whose terms it applies
 * (`Kernel.wakeAtCausedBy`), not by whatever scheduled it (a loan opening,
 * the previous roll): each lender's wake-ups are re-caused whenever it posts
 * again (cancelled and scheduled anew at the same time). So the causal chain
 * of a liquidation at a roll runs liquidation → wake-up → posting → what
 * moved the lender (its volatility estimate's market data), exactly.
 *
 * @packageDocumentation
 */

import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';
import type { LoansRepriced } from './credit-events.js';
import type { CreditReports } from './credit-reports.js';
import { fraction } from './credit-reports.js';
import type { CreditTerms } from './credit-terms.js';
import type { CreditTimers } from './credit-timers.js';
import type { HealthWatch } from './health-watch.js';
import type { LenderBooks, LenderRecord } from './lender-books.js';
import type { Loan } from './loan.js';
import type { LoanBook } from './loan-book.js';
import type { LoanPostings } from './loan-postings.js';
import { RollQueue } from './roll-queue.js';
import { nextRollAt, stepToward, type TermsClock } from './terms-schedule.js';

/** Loans an application reached, and those the cap left short of the posted haircuts. */
export interface Repricing {
  repriced: number;
  short: number;
}

/** What the application works with. */
export interface TermsApplicationOptions {
  readonly kernel: Kernel;
  readonly book: LoanBook;
  readonly lenders: LenderBooks;
  readonly postings: LoanPostings;
  readonly health: HealthWatch;
  readonly timers: CreditTimers;
  readonly reports: CreditReports;
  /** Calendar and trading time, for roll times. */
  readonly clock: TermsClock;
}

/** Lenders' terms reaching their loans. */
export class TermsApplication {
  private readonly o: TermsApplicationOptions;
  /** Reused counters (no allocation per application). */
  private readonly count: Repricing = { repriced: 0, short: 0 };

  constructor(options: TermsApplicationOptions) {
    this.o = options;
  }

  /**
   * The lender's posting was accepted (`rec.terms` holds it). Returns the
   * loans repriced now (only under `immediate`; the counters are reused).
   */
  posted(now: Micros, rec: LenderRecord): Readonly<Repricing> {
    const { timers } = this.o;
    const count = this.resetCount();
    switch (rec.schedule.apply) {
      case 'immediate':
        this.applyToAll(now, rec);
        break;
      case 'roll': {
        rec.lastPosting = this.o.kernel.currentDelivery;
        // The pending roll will apply this posting: it becomes its cause.
        const pending = timers.lenderTimer('roll', rec.agent);
        if (pending !== undefined) timers.setLenderTimer('roll', rec.agent, pending.time, rec.lastPosting);
        break;
      }
      case 'notice': {
        rec.lastPosting = this.o.kernel.currentDelivery;
        const pending = timers.lenderTimer('notice', rec.agent);
        // A running notice is superseded: same expiry, this posting's terms (and cause).
        if (pending !== undefined) timers.setLenderTimer('notice', rec.agent, pending.time, rec.lastPosting);
        // No loan predates the first posting; a posting that changes nothing loans carry gives no notice.
        else if (rec.applied === null) rec.applied = rec.terms;
        else if (!sameLoanTerms(rec.applied, rec.terms as CreditTerms)) timers.setLenderTimer('notice', rec.agent, now + rec.schedule.noticeUs, rec.lastPosting);
        break;
      }
    }
    return count;
  }

  /** A margin loan of the lender opened (at its posted terms): under `roll`, its first roll is booked. */
  opened(now: Micros, loan: Loan, rec: LenderRecord): void {
    if (rec.schedule.apply !== 'roll') return;
    const at = nextRollAt(loan.openedAt, now, rec.schedule.rollIntervalUs, this.o.clock);
    if (at === Number.POSITIVE_INFINITY) return;
    if (rec.rolls === null) rec.rolls = new RollQueue();
    rec.rolls.push(at, loan.id);
    this.armRoll(rec);
  }

  /** The lender's roll wake-up: every loan due rolls onto its posted terms; the next roll is booked. */
  roll(now: Micros, lender: AgentId): void {
    const rec = this.o.lenders.get(lender);
    const rolls = rec?.rolls;
    if (rec === undefined || rolls === null || rolls === undefined) return;
    const { book } = this.o;
    const count = this.resetCount();
    const interval = rec.schedule.rollIntervalUs;
    while (rolls.size > 0 && rolls.topTime() <= now) {
      const loan = book.get(rolls.topId());
      rolls.pop();
      // A loan closed since is not searched for: its entry is dropped here.
      if (loan === undefined || !loan.isLive) continue;
      if (loan.status === 'open') this.applyTo(now, loan, rec);
      const next = nextRollAt(loan.openedAt, now, interval, this.o.clock);
      if (next !== Number.POSITIVE_INFINITY) rolls.push(next, loan.id);
    }
    this.armRoll(rec);
    this.emitRepriced(rec, 'roll', count);
  }

  /** The lender's notice ran out: its latest terms reach every open loan; a capped application opens the next notice. */
  notice(now: Micros, lender: AgentId): void {
    const rec = this.o.lenders.get(lender);
    if (rec === undefined) return;
    const count = this.resetCount();
    this.applyToAll(now, rec);
    rec.applied = rec.terms;
    if (count.short > 0) this.o.timers.setLenderTimer('notice', rec.agent, now + rec.schedule.noticeUs, rec.lastPosting);
    this.emitRepriced(rec, 'notice', count);
  }

  /** The reused counters, zeroed for a new application. */
  private resetCount(): Repricing {
    this.count.repriced = 0;
    this.count.short = 0;
    return this.count;
  }

  /** Applies the lender's terms to each of its open margin loans, into {@link count}. */
  private applyToAll(now: Micros, rec: LenderRecord): void {
    const live = this.o.book.live();
    for (let k = 0; k < live.length; k++) {
      const loan = live[k] as Loan;
      if (loan.kind !== 'margin' || loan.lender !== rec.agent || loan.status !== 'open') continue;
      this.applyTo(now, loan, rec);
    }
  }

  /** One application to one loan: accrue, new rate, haircuts one capped step toward the posted ones, re-index. */
  private applyTo(now: Micros, loan: Loan, rec: LenderRecord): void {
    const count = this.count;
    const terms = rec.terms as CreditTerms;
    const maxStep = rec.schedule.maxStep;
    this.o.postings.accrue(loan);
    loan.setRate(now, terms.annualRate);
    const hm = loan.maintenanceHaircut;
    const target = terms.maintenanceHaircuts;
    let short = false;
    for (let i = 0; i < hm.length; i++) {
      const h = stepToward(hm[i], target[i], maxStep);
      hm[i] = h;
      if (h !== target[i]) short = true;
    }
    this.o.health.reindex(loan, 'terms');
    count.repriced++;
    if (short) count.short++;
  }

  /** (Re)schedules the lender's roll wake-up at its earliest roll time, caused by its latest posting; none when no roll is due. */
  private armRoll(rec: LenderRecord): void {
    const { timers } = this.o;
    const rolls = rec.rolls;
    const pending = timers.lenderTimer('roll', rec.agent);
    if (rolls === null || rolls.size === 0) {
      if (pending !== undefined) timers.cancelLenderTimer('roll', rec.agent);
      return;
    }
    const at = rolls.topTime();
    if (pending !== undefined && pending.time === at) return;
    timers.setLenderTimer('roll', rec.agent, at, rec.lastPosting);
  }

  private emitRepriced(rec: LenderRecord, reason: 'roll' | 'notice', count: Repricing): void {
    const { kernel, reports } = this.o;
    if (!kernel.observes('LoansRepriced')) return;
    const terms = rec.terms as CreditTerms;
    const e: LoansRepriced = {
      ...reports.stamp('LoansRepriced'),
      lender: rec.agent,
      reason,
      postingId: rec.lastPosting === null ? 0 : rec.lastPosting.id,
      maintenanceHaircuts: terms.maintenanceHaircuts.map(fraction),
      loansRepriced: count.repriced,
      loansShort: count.short,
    };
    kernel.emit(e);
  }
}

/** True when two postings give loans the same maintenance haircuts and rate (what an application changes). */
function sameLoanTerms(a: CreditTerms, b: CreditTerms): boolean {
  if (a.annualRate !== b.annualRate) return false;
  const x = a.maintenanceHaircuts;
  const y = b.maintenanceHaircuts;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
