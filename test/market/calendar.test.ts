import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/market/calendar.js';

const H = 3_600_000_000;
const standard = (sessions: number, startDay = 0) => new Calendar({ sessionUs: 6.5 * H, overnightUs: 17.5 * H, tradingDaysPerWeek: 5, startDay, sessions });

describe('Calendar', () => {
  it('maps session opens to calendar days, with a 2-day weekend after each fifth session', () => {
    const c = standard(10);
    // Monday … Friday opens are 24 h apart; the next Monday is 3 × 24 h after Friday.
    expect([0, 1, 2, 3, 4, 5, 6].map((d) => c.calendarOpen(d) / (24 * H))).toEqual([0, 1, 2, 3, 4, 7, 8]);
    expect(c.closedAfter(0)).toBe(17.5 * H);
    expect(c.closedAfter(4)).toBe(17.5 * H + 48 * H);
    expect(c.weekendAfter(4)).toBe(true);
    expect(c.weekendAfter(3)).toBe(false);
  });

  it('starts the week on the configured trading day', () => {
    // A Thursday start: the weekend follows the second session.
    const c = standard(5, 3);
    expect(c.weekendAfter(1)).toBe(true);
    expect(c.calendarOpen(2) / (24 * H)).toBe(4);
  });

  it('keeps the end of the run in the last session (a one-session run is the identity)', () => {
    const one = standard(1);
    expect(one.calendarUs(6.5 * H)).toBe(6.5 * H);
    expect(one.dayOf(6.5 * H)).toBe(0);
    const two = standard(2);
    expect(two.locate(6.5 * H)).toEqual({ day: 1, inSession: 0 });
    expect(two.calendarUs(6.5 * H)).toBe(24 * H);
    expect(two.calendarUs(6.5 * H - 1)).toBe(6.5 * H - 1);
  });

  it('round-trips trading → calendar → trading, and calendar time is non-decreasing', () => {
    fc.assert(
      fc.property(
        fc.record({
          sessionUs: fc.integer({ min: 1, max: 24 * H }),
          overnightUs: fc.integer({ min: 0, max: 48 * H }),
          tradingDaysPerWeek: fc.integer({ min: 1, max: 7 }),
          sessions: fc.integer({ min: 1, max: 600 }),
        }).chain((o) => fc.record({ o: fc.constant(o), startDay: fc.integer({ min: 0, max: o.tradingDaysPerWeek - 1 }), a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }) })),
        ({ o, startDay, a, b }) => {
          const c = new Calendar({ ...o, startDay });
          const end = o.sessions * o.sessionUs;
          const t1 = Math.floor(a * (end - 1));
          const t2 = Math.floor(b * (end - 1));
          expect(c.tradingUs(c.calendarUs(t1))).toBe(t1);
          if (t1 <= t2) expect(c.calendarUs(t1)).toBeLessThanOrEqual(c.calendarUs(t2));
          // Calendar time runs at least as fast as trading time and never more than a week of closure per session.
          expect(c.calendarUs(t1)).toBeGreaterThanOrEqual(t1);
          // Weekends: exactly ⌊(startDay + day) / tradingDaysPerWeek⌋ of them before the session.
          const { day, inSession } = c.locate(t1);
          expect(c.calendarUs(t1) - inSession).toBe(day * (o.sessionUs + o.overnightUs) + Math.floor((startDay + day) / o.tradingDaysPerWeek) * (7 - o.tradingDaysPerWeek) * (o.sessionUs + o.overnightUs));
        },
      ),
    );
  });

  it('maps a calendar time while the market is shut to the next open', () => {
    const c = standard(10);
    expect(c.tradingUs(20 * H)).toBe(6.5 * H); // Monday night → Tuesday's open
    expect(c.tradingUs(5 * 24 * H)).toBe(5 * 6.5 * H); // Saturday → Monday's open
    expect(c.tradingUs(1000 * H)).toBe(10 * 6.5 * H); // past the run: its end
  });

  it('refuses impossible calendars', () => {
    expect(() => new Calendar({ sessionUs: 0, overnightUs: 0, tradingDaysPerWeek: 5, startDay: 0, sessions: 1 })).toThrow(RangeError);
    expect(() => new Calendar({ sessionUs: H, overnightUs: -1, tradingDaysPerWeek: 5, startDay: 0, sessions: 1 })).toThrow(RangeError);
    expect(() => new Calendar({ sessionUs: H, overnightUs: 0, tradingDaysPerWeek: 5, startDay: 5, sessions: 1 })).toThrow(RangeError);
    expect(() => new Calendar({ sessionUs: H, overnightUs: 0, tradingDaysPerWeek: 8, startDay: 0, sessions: 1 })).toThrow(RangeError);
  });
});
