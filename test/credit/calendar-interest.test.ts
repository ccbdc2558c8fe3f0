/**
 * Interest runs on calendar time: the kernel simulates trading hours only,
 * and a loan held over a night or a weekend owes what a repo borrower would
 * owe for those hours — through the venue's own accrual, not a second one.
 */
import { describe, expect, it } from 'vitest';
import { MICROS_PER_HOUR } from '../../src/engine/time.js';
import { Calendar } from '../../src/market/calendar.js';
import { interestCharge, toRateUnits } from '../../src/market/rounding.js';
import { buildCreditHarness, leg, requestLoan, terms } from '../helpers/credit-harness.js';

const H = MICROS_PER_HOUR;
const SESSION = 6.5 * H;

/** A Monday-start week of 6.5-h sessions and 17.5-h nights. */
const week = () => new Calendar({ sessionUs: SESSION, overnightUs: 17.5 * H, tradingDaysPerWeek: 5, startDay: 0, sessions: 10 });

function harness(calendar: Calendar | undefined) {
  const h = buildCreditHarness({
    actors: [
      { name: 'mm', cash: 1e13, lots: [1e7] },
      { name: 'L', cash: 1e12 },
      { name: 'B', cash: 1e9, lots: [1e7] },
    ],
    lenders: [{ name: 'L' }],
    accrualIntervalUs: H,
    observe: false,
    ...(calendar && { interestClock: calendar }),
  });
  h.quote(999, 1001, 1000);
  h.send('L', 'credit', terms(0.5, 0.4, { rate: 0.05 }));
  h.send('B', 'credit', requestLoan(h.id('L'), 1e9, [leg(5_000_000)]));
  return h;
}

describe('interest over nights and weekends', () => {
  it('charges a weekend (Friday close to Monday open) as 65.5 calendar hours, booked by the hourly accrual', () => {
    const h = harness(week());
    const cal = week();
    const loan = () => h.credit.loan(1)!;
    const rate = toRateUnits(0.05);
    const friClose = 5 * SESSION - 1;
    h.runUntil(friClose);
    const opened = loan().openedAt;
    // The pure view across the close: a weekend is 65.5 h (Friday 16:00 → Monday 09:30), three nights and two days.
    expect(cal.calendarUs(5 * SESSION) - cal.calendarUs(friClose)).toBe(65.5 * H + 1);
    const fridayDebt = loan().debtAt(friClose);
    const mondayDebt = loan().debtAt(5 * SESSION);
    expect(mondayDebt - fridayDebt).toBe(interestCharge(1e9, rate, cal.calendarUs(5 * SESSION) - cal.calendarUs(opened)) - interestCharge(1e9, rate, cal.calendarUs(friClose) - cal.calendarUs(opened)));
    expect(mondayDebt - fridayDebt).toBeGreaterThan(interestCharge(1e9, rate, 65 * H) - 1);
    // The hourly accrual tick (trading time) after the open books the weekend into the loan.
    const tick = opened + Math.floor((5 * SESSION + 2 * H - opened) / H) * H;
    h.runUntil(5 * SESSION + 2 * H);
    expect(tick).toBeGreaterThan(5 * SESSION);
    expect(loan().interest).toBe(interestCharge(1e9, rate, cal.calendarUs(tick) - cal.calendarUs(opened)));
  });

  it('charges more than the simulation clock alone would, by exactly the closed time', () => {
    const withCalendar = harness(week());
    const without = harness(undefined);
    const t = 5 * SESSION + 3 * H;
    withCalendar.runUntil(t);
    without.runUntil(t);
    const a = withCalendar.credit.loan(1)!;
    const b = without.credit.loan(1)!;
    const rate = toRateUnits(0.05);
    const cal = week();
    expect(b.debtAt(t) - 1e9).toBe(interestCharge(1e9, rate, t - b.openedAt));
    expect(a.debtAt(t) - 1e9).toBe(interestCharge(1e9, rate, cal.calendarUs(t) - cal.calendarUs(a.openedAt)));
    // Four weeknights of 17.5 h and a weekend of 65.5 h.
    expect(cal.calendarUs(t) - cal.calendarUs(a.openedAt) - (t - a.openedAt)).toBe((4 * 17.5 + 65.5) * H);
  });
});
