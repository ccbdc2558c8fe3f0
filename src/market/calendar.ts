/**
 * The trading calendar: pure arithmetic between *trading time* (the kernel's
 * clock, integer µs with the sessions laid end to end, nothing simulated while
 * the market is closed) and *calendar time* (µs of wall-calendar time since
 * the first open, nights and weekends included).
 *
 * Session `d` covers trading time [d·L, (d+1)·L) for session length L. The
 * instant d·L (d ≥ 1) is the open of session d: whatever happens at it
 * happens after the night. The end of the run is the close of its last
 * session, so a time at or past it stays in that session (a one-session run
 * never crosses a night, which keeps it exactly as it was before sessions).
 *
 * Calendar: each trading day is one session followed by an overnight gap
 * (L + overnight = one calendar day, 24 h by default); after every
 * `tradingDaysPerWeek` sessions the market also stays shut for the
 * remaining `7 − tradingDaysPerWeek` days (a weekend). Holidays are not
 * modelled.
 *
 * @module
 */

import { isMicros, type Micros } from '../engine/time.js';

/**
 * Kernel priorities at a session boundary (lower runs first at equal times):
 * the close is sampled first, then the exchange expires the day's orders,
 * then everything else at that instant belongs to the new session.
 */
export const CLOSE_SAMPLE_PRIORITY = -2;
export const SESSION_CLOSE_PRIORITY = -1;

/** Days in a calendar week. */
export const DAYS_PER_WEEK = 7;

/** The shape of the calendar. */
export interface CalendarOptions {
  /** Length of one session, µs, > 0. */
  readonly sessionUs: Micros;
  /** Closed time between a close and the next day's open, µs, ≥ 0. */
  readonly overnightUs: Micros;
  /** Trading days per week, 1…7 (7: no weekend). */
  readonly tradingDaysPerWeek: number;
  /** Trading days of the first week already past at the first open (0: the run opens on the week's first trading day). */
  readonly startDay: number;
  /** Sessions in the run, ≥ 1. */
  readonly sessions: number;
}

/** Where a trading time falls. */
export interface SessionTime {
  /** Session (trading day) index, 0-based. */
  readonly day: number;
  /** Time since that session's open, µs. */
  readonly inSession: Micros;
}

/** The calendar of one run. */
export class Calendar {
  readonly sessionUs: Micros;
  readonly overnightUs: Micros;
  readonly tradingDaysPerWeek: number;
  readonly startDay: number;
  readonly sessions: number;
  /** One trading day in calendar time: a session and its night. */
  readonly dayUs: Micros;
  /** Extra closed calendar time of a weekend beyond the night. */
  readonly weekendUs: Micros;

  /** @throws RangeError on a parameter out of range */
  constructor(options: CalendarOptions) {
    const { sessionUs, overnightUs, tradingDaysPerWeek, startDay, sessions } = options;
    if (!isMicros(sessionUs) || sessionUs <= 0) throw new RangeError(`session length must be a positive integer of µs, got ${sessionUs}`);
    if (!isMicros(overnightUs)) throw new RangeError(`overnight gap must be a non-negative integer of µs, got ${overnightUs}`);
    if (!Number.isInteger(tradingDaysPerWeek) || tradingDaysPerWeek < 1 || tradingDaysPerWeek > DAYS_PER_WEEK) throw new RangeError(`trading days per week must be 1…7, got ${tradingDaysPerWeek}`);
    if (!Number.isInteger(startDay) || startDay < 0 || startDay >= tradingDaysPerWeek) throw new RangeError(`start day must be 0…${tradingDaysPerWeek - 1}, got ${startDay}`);
    if (!Number.isSafeInteger(sessions) || sessions < 1) throw new RangeError(`sessions must be a positive integer, got ${sessions}`);
    this.sessionUs = sessionUs;
    this.overnightUs = overnightUs;
    this.tradingDaysPerWeek = tradingDaysPerWeek;
    this.startDay = startDay;
    this.sessions = sessions;
    this.dayUs = sessionUs + overnightUs;
    this.weekendUs = (DAYS_PER_WEEK - tradingDaysPerWeek) * this.dayUs;
    if (!Number.isSafeInteger(this.calendarOpen(sessions))) throw new RangeError('the calendar span passes 2^53 µs');
  }

  /** Sessions a horizon of `horizonUs` trading µs touches (a partial last one counts), at least 1. */
  static sessionsIn(horizonUs: Micros, sessionUs: Micros): number {
    return Math.max(1, Math.ceil(horizonUs / sessionUs));
  }

  /** The session of trading time `t` (the last session for `t` at or past the end). */
  dayOf(t: Micros): number {
    const d = Math.floor(t / this.sessionUs);
    return d < this.sessions ? d : this.sessions - 1;
  }

  /** Session and time within it of trading time `t`. */
  locate(t: Micros): SessionTime {
    const day = this.dayOf(t);
    return { day, inSession: t - day * this.sessionUs };
  }

  /** Trading time of session `day`'s open. */
  openAt(day: number): Micros {
    return day * this.sessionUs;
  }

  /** Weekends passed before session `day` opens. */
  weekendsBefore(day: number): number {
    return Math.floor((this.startDay + day) / this.tradingDaysPerWeek);
  }

  /** Calendar time of session `day`'s open, µs since the first open. */
  calendarOpen(day: number): Micros {
    return day * this.dayUs + this.weekendsBefore(day) * this.weekendUs;
  }

  /** Calendar time of trading time `t`. Non-decreasing in `t`; jumps by the closed time at each open. */
  calendarUs(t: Micros): Micros {
    const day = this.dayOf(t);
    return this.calendarOpen(day) + (t - day * this.sessionUs);
  }

  /**
   * Trading time at calendar time `c`: within a session the same instant;
   * while the market is shut, the next open (trading time does not pass at
   * night). Past the last session's close, the end of the run.
   */
  tradingUs(c: Micros): Micros {
    // The session whose open is the last at or before c: a lower bound from the
    // mean day length, then a few steps (weekends make days uneven).
    let day = Math.min(this.sessions - 1, Math.floor(c / (this.dayUs + this.weekendUs / this.tradingDaysPerWeek)));
    while (day > 0 && this.calendarOpen(day) > c) day--;
    while (day + 1 < this.sessions && this.calendarOpen(day + 1) <= c) day++;
    const into = c - this.calendarOpen(day);
    if (into < this.sessionUs || day === this.sessions - 1) return day * this.sessionUs + Math.min(into, this.sessionUs);
    return (day + 1) * this.sessionUs;
  }

  /** Calendar time the market is shut between the close of session `day` and the next open, µs. */
  closedAfter(day: number): Micros {
    return this.calendarOpen(day + 1) - this.calendarOpen(day) - this.sessionUs;
  }

  /** True when session `day`'s close is followed by a weekend. */
  weekendAfter(day: number): boolean {
    return this.weekendsBefore(day + 1) > this.weekendsBefore(day);
  }

  /** Trading times of the session boundaries inside the run: the opens of sessions 1 … sessions−1. */
  boundaries(): Micros[] {
    const out: Micros[] = [];
    for (let d = 1; d < this.sessions; d++) out.push(d * this.sessionUs);
    return out;
  }
}
