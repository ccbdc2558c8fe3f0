/**
 * When a lender's new terms reach the loans it has already made, and how far
 * one application may move a loan's maintenance haircut: the rules, in fixed
 * point. terms-application.ts applies them.
 *
 * Posting terms and changing existing loans are different things in real
 * credit. A repo's haircut is agreed for the transaction and lasts its term:
 * the lender changes it when the trade rolls (overnight, daily), which is how
 * the 2007–08 rise in repo haircuts reached borrowers (Gorton & Metrick 2012,
 * "Securitized banking and the run on repo"). A margin lender announces a
 * new requirement and applies it after a notice period. A CCP must avoid
 * "disruptive or big step changes in margin requirements" and establish
 * "transparent and predictable procedures for adjusting margin requirements"
 * (Commission Delegated Regulation (EU) No 153/2013, art. 28(1), the EMIR
 * anti-procyclicality rule). Repricing every loan at the instant of a
 * posting — this venue's `immediate` rule, kept as the default — makes one
 * posting liquidate every loan at once.
 *
 * The modes (per lender, fixed by its first posting):
 *
 * - `immediate`: a posting is applied to every open loan when it arrives.
 * - `roll`: a loan rolls every `rollIntervalUs` of *calendar* time after it
 *   opened (nights and weekends count, as they do for a repo's term and for
 *   interest); at a roll it takes the lender's terms posted by then. A roll
 *   time that falls while the market is shut is rolled at the next open —
 *   the "following business day" convention — since nothing can happen at
 *   night; several roll times in one closure (a weekend) are one roll. The
 *   schedule stays anchored on the opening time, so a loan keeps its time of
 *   day, and loans opened at different times roll at different times. With
 *   the default calendar (6.5 h session + 17.5 h night = 24 h) and the
 *   default interval (1 d), a loan opened on Tuesday at 11:00 rolls on
 *   Wednesday at 11:00; one opened on Friday at 11:00 rolls on Monday at the
 *   open (its Saturday and Sunday roll times) and again at 11:00 (Monday's).
 *   A roll time past the run's last close never comes.
 * - `notice`: a posting that changes the maintenance haircuts or the rate
 *   last applied (the first posting's, to begin with), when no notice is
 *   running, opens one; the notice expires `noticeUs` later, and then the
 *   lender's latest terms are applied to every open loan. Postings made
 *   while a notice runs supersede it: they do not push the expiry back (a
 *   lender that reprices every minute would otherwise never reach its
 *   loans), and the one applied is the latest. So a change reaches existing
 *   loans at most `noticeUs` after it was posted, exactly `noticeUs` when no
 *   notice was running; a posting that repeats the terms in force gives no
 *   notice.
 *
 * In every mode a new loan opens at the lender's posted terms, and draws
 * and releases are checked against the posted initial haircuts; a draw or
 * release must also leave the loan healthy at its own maintenance haircuts
 * (credit-lines.ts), which may differ from the posted ones until the loan
 * rolls.
 *
 * The cap: at one application a loan's maintenance haircut on an instrument
 * moves toward the posted one by at most `maxStep` (RATE_SCALE units):
 * `h ← h + clamp(h_posted − h, −maxStep, +maxStep)`. A larger change is
 * approached over successive applications (rolls; notice expiries, a capped
 * one opening the next notice by itself; postings under `immediate`) and is
 * reached after ⌈|Δ| / maxStep⌉ of them. A loan's rate moves with its
 * haircuts (repo rolls at the new rate), uncapped.
 *
 * @packageDocumentation
 */

import type { Micros } from '../engine/time.js';
import { RATE_SCALE, toRateUnits } from '../market/rounding.js';
import type { TermsSchedule } from './credit-messages.js';

/** When posted terms reach existing loans. */
export type TermsApply = TermsSchedule['apply'];

/** A lender's schedule in fixed point; immutable once built. */
export interface ScheduleRules {
  readonly apply: TermsApply;
  /** `roll`: calendar µs between rolls (0 otherwise). */
  readonly rollIntervalUs: Micros;
  /** `notice`: µs from a posting to its application (0 otherwise). */
  readonly noticeUs: Micros;
  /** Largest change of a maintenance haircut per application, RATE_SCALE units in [1, RATE_SCALE]; RATE_SCALE: no cap. */
  readonly maxStep: number;
}

/** Today's rule and the default: every posting reaches every open loan at once, uncapped. */
export const IMMEDIATE: ScheduleRules = Object.freeze({ apply: 'immediate', rollIntervalUs: 0, noticeUs: 0, maxStep: RATE_SCALE });

/**
 * The rules of a posting's schedule (absent: {@link IMMEDIATE}), or null when
 * it is malformed: an unknown mode, a roll interval or notice that is not a
 * positive safe integer where the mode uses it, a step outside (0, 1] or
 * below one RATE_SCALE unit.
 */
export function scheduleFromCommand(s: TermsSchedule | undefined): ScheduleRules | null {
  if (s === undefined) return IMMEDIATE;
  if (typeof s !== 'object' || s === null) return null;
  const { apply, maxHaircutStep } = s;
  if (apply !== 'immediate' && apply !== 'roll' && apply !== 'notice') return null;
  if (typeof maxHaircutStep !== 'number' || !(maxHaircutStep > 0 && maxHaircutStep <= 1)) return null;
  const maxStep = toRateUnits(maxHaircutStep);
  if (maxStep < 1) return null;
  const rollIntervalUs = apply === 'roll' ? s.rollIntervalUs : 0;
  const noticeUs = apply === 'notice' ? s.noticeUs : 0;
  if (apply === 'roll' && !isPositiveTime(rollIntervalUs)) return null;
  if (apply === 'notice' && !isPositiveTime(noticeUs)) return null;
  return apply === 'immediate' && maxStep === RATE_SCALE ? IMMEDIATE : { apply, rollIntervalUs, noticeUs, maxStep };
}

/** True for the same rules. */
export function sameRules(a: ScheduleRules, b: ScheduleRules): boolean {
  return a.apply === b.apply && a.rollIntervalUs === b.rollIntervalUs && a.noticeUs === b.noticeUs && a.maxStep === b.maxStep;
}

/** True when loans always carry the posted maintenance haircuts (today's rule): no extra checks needed. */
export function isImmediateUncapped(r: ScheduleRules): boolean {
  return r.apply === 'immediate' && r.maxStep >= RATE_SCALE;
}

/**
 * One application of the cap: `current` moved toward `target` by at most
 * `maxStep` (all RATE_SCALE units). Between two haircuts in [0, RATE_SCALE]
 * the result stays between them, so within [0, RATE_SCALE].
 */
export function stepToward(current: number, target: number, maxStep: number): number {
  const d = target - current;
  if (d > maxStep) return current + maxStep;
  if (d < -maxStep) return current - maxStep;
  return target;
}

/**
 * Trading time and calendar time (market/calendar.ts's `Calendar` is one):
 * roll intervals run on calendar time, the venue acts on trading time.
 */
export interface TermsClock {
  /** Calendar time of trading time `t`, non-decreasing. */
  calendarUs(t: Micros): Micros;
  /** Trading time of calendar time `c`: the same instant in a session, the next open while shut, the last close past the end. */
  tradingUs(c: Micros): Micros;
}

/** One session, no nights: calendar time is trading time. */
export const SIMULATION_TERMS_CLOCK: TermsClock = Object.freeze({ calendarUs: (t: Micros) => t, tradingUs: (c: Micros) => c });

/**
 * Trading time of the next roll of a loan opened at `openedAt`, strictly
 * after `now`: the first nominal roll time `cal(openedAt) + k · intervalUs`
 * later than `cal(now)`, at the next open when it falls while the market is
 * shut; Infinity when it falls past the calendar's last close.
 */
export function nextRollAt(openedAt: Micros, now: Micros, intervalUs: Micros, clock: TermsClock): Micros {
  const opened = clock.calendarUs(openedAt);
  const k = Math.floor((clock.calendarUs(now) - opened) / intervalUs) + 1;
  const nominal = opened + k * intervalUs;
  if (!Number.isSafeInteger(nominal)) return Number.POSITIVE_INFINITY;
  const t = clock.tradingUs(nominal);
  // Within a session the calendar maps back to the nominal time, while shut to the next open (later); only past the last close does it fall short.
  return clock.calendarUs(t) < nominal ? Number.POSITIVE_INFINITY : t;
}

function isPositiveTime(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}
