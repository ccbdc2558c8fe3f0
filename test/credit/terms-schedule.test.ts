import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Message } from '../../src/engine/message.js';
import type { LoanLiquidatable, TermsSchedule } from '../../src/credit/credit-messages.js';
import { IMMEDIATE, nextRollAt, scheduleFromCommand, stepToward } from '../../src/credit/terms-schedule.js';
import { Calendar } from '../../src/market/calendar.js';
import { RATE_SCALE } from '../../src/market/rounding.js';
import { buildCreditHarness, leg, liquidate, requestLoan, terms, type CreditHarness } from '../helpers/credit-harness.js';

const MIN = 60_000_000;
const H = 60 * MIN;
const DAY = 24 * H;
const units = (h: number) => Math.round(h * RATE_SCALE);

const roll = (rollIntervalUs: number, maxHaircutStep = 1): TermsSchedule => ({ apply: 'roll', rollIntervalUs, noticeUs: 1, maxHaircutStep });
const notice = (noticeUs: number, maxHaircutStep = 1): TermsSchedule => ({ apply: 'notice', rollIntervalUs: 1, noticeUs, maxHaircutStep });
const immediate = (maxHaircutStep = 1): TermsSchedule => ({ apply: 'immediate', rollIntervalUs: 1, noticeUs: 1, maxHaircutStep });

/**
 * mm quotes 99/101 (mark 100, 1 minor unit per tick·lot); lender L; keeper Q
 * (1e9 cash); borrowers B0…B(n−1), each with 100 lots to pledge.
 */
function market(borrowers: number, options: { calendar?: Calendar } = {}): CreditHarness {
  const actors = [{ name: 'mm', cash: 1e12, lots: [1e6] }, { name: 'L', cash: 1e8 }, { name: 'Q', cash: 1e9 }];
  for (let i = 0; i < borrowers; i++) actors.push({ name: `B${i}`, cash: 1_000, lots: [100] });
  const h = buildCreditHarness({ actors, lenders: [{ name: 'L' }], ...(options.calendar !== undefined ? { calendar: options.calendar } : {}) });
  h.quote(99, 101, 100_000);
  return h;
}

/** B<i> borrows 8 500 against its 100 lots (LTV 85 %: at h_m = 10 % HF = 9 000 / 8 500; at h_m = 20 % HF = 8 000 / 8 500 < 1). */
function borrowAt(h: CreditHarness, time: number, i: number): void {
  h.runUntil(time);
  h.send(`B${i}`, 'credit', requestLoan(h.id('L'), 8_500, [leg(100)]));
}

/** Q liquidates every loan it is offered, at once (so each liquidation is caused by the offer). */
function keeper(h: CreditHarness): void {
  const q = h.actor('Q');
  q.react = (m: Message) => {
    if (m.type !== 'LoanLiquidatable') return null;
    const offer = m as LoanLiquidatable;
    return { to: h.credit.id, message: liquidate(offer.loan.loanId, offer.maxRepay) };
  };
  h.send('Q', 'credit', { type: 'SubscribeLiquidations' });
}

/** Time of the first liquidation of each loan, by loan id. */
function firstLiquidations(h: CreditHarness): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of h.eventsOf('PositionLiquidated')) if (!out.has(e.loanId)) out.set(e.loanId, e.time);
  return out;
}

describe('terms schedule: roll', () => {
  it('should leave an existing loan at its haircuts until its roll, then reprice it to the latest posting', () => {
    const h = market(2);
    h.send('L', 'credit', terms(0.15, 0.1, { schedule: roll(H) }));
    borrowAt(h, 0, 0);
    const hf0 = h.credit.healthFactor(1);
    expect(hf0).toBeCloseTo(9_000 / 8_500, 12);
    h.runUntil(40 * MIN);
    h.send('L', 'credit', terms(0.3, 0.2, { schedule: roll(H) }));
    expect(h.eventsOf('CreditTermsChanged').at(-1)).toMatchObject({ loansRepriced: 0, loansShort: 0 });
    // A loan opened now opens at the posted terms: 100 · 100 · 0.7 = 7 000 of credit, h_m = 20 %.
    h.runUntil(45 * MIN);
    h.send('B1', 'credit', requestLoan(h.id('L'), 7_000, [leg(100)]));
    expect(h.credit.loan(2)?.maintenanceHaircut).toEqual([units(0.2)]);
    // A second posting before the roll: the roll applies it, and names it as cause.
    h.runUntil(50 * MIN);
    h.send('L', 'credit', terms(0.3, 0.2, { schedule: roll(H) }));
    const postingId = h.eventsOf('CreditTermsChanged').at(-1)!.causeId;
    h.runUntil(H - 1);
    expect(h.credit.loan(1)?.maintenanceHaircut).toEqual([units(0.1)]);
    expect(h.credit.healthFactor(1)).toBe(hf0);
    expect(h.credit.isLiquidatable(1)).toBe(false);
    h.runUntil(H);
    expect(h.credit.loan(1)?.maintenanceHaircut).toEqual([units(0.2)]);
    expect(h.credit.healthFactor(1)).toBeCloseTo(8_000 / 8_500, 12);
    expect(h.credit.isLiquidatable(1)).toBe(true);
    const rolled = h.eventsOf('LoansRepriced');
    expect(rolled).toHaveLength(1);
    expect(rolled[0]).toMatchObject({ time: H, reason: 'roll', postingId, loansRepriced: 1, loansShort: 0 });
    expect(h.kernel.causeOf(rolled[0]!.causeId)).toBe(postingId);
    const unhealthy = h.eventsOf('LoanBecameUnhealthy');
    expect(unhealthy.map((e) => [e.loanId, e.time])).toEqual([[1, H]]);
    // It rolls again a day… an hour later; loan 2 rolls an hour after it opened.
    h.runUntil(2 * H);
    expect(h.eventsOf('LoansRepriced').map((e) => [e.time, e.loansRepriced])).toEqual([
      [H, 1],
      [45 * MIN + H, 1],
      [2 * H, 1],
    ]);
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should spread the liquidations one posting causes over the loans’ roll times, each chained to the posting', () => {
    const run = (schedule: TermsSchedule | undefined) => {
      const h = market(4);
      keeper(h);
      h.send('L', 'credit', terms(0.15, 0.1, schedule !== undefined ? { schedule } : {}));
      for (let i = 0; i < 4; i++) borrowAt(h, i * 10 * MIN, i);
      h.runUntil(40 * MIN);
      h.send('L', 'credit', terms(0.3, 0.2, schedule !== undefined ? { schedule } : {}));
      const postingId = h.eventsOf('CreditTermsChanged').at(-1)!.causeId;
      h.runUntil(3 * H);
      expect(h.credit.validateInvariants()).toEqual([]);
      return { h, postingId };
    };
    // Today's rule: one posting, every loan liquidated at its instant.
    const now = run(undefined);
    expect([...firstLiquidations(now.h)]).toEqual([
      [1, 40 * MIN],
      [2, 40 * MIN],
      [3, 40 * MIN],
      [4, 40 * MIN],
    ]);
    // Hourly rolls: each loan at its own roll, an hour after it opened.
    const rolled = run(roll(H));
    expect([...firstLiquidations(rolled.h)]).toEqual([
      [1, H],
      [2, H + 10 * MIN],
      [3, H + 20 * MIN],
      [4, H + 30 * MIN],
    ]);
    // A new haircut, not a price move, put each loan under.
    for (const { h } of [now, rolled]) expect(new Set(h.eventsOf('PositionLiquidated').map((e) => e.trigger))).toEqual(new Set(['terms']));
    // Exact chains: liquidation → offer to the keeper → roll wake-up → the posting.
    for (const e of rolled.h.eventsOf('PositionLiquidated')) {
      const chain = rolled.h.kernel.causalChain(e.deliveryId);
      expect(chain).toContain(rolled.postingId);
      expect(chain.indexOf(rolled.postingId)).toBe(2);
    }
  });

  it('should roll at the next open when the roll time falls while the market is shut, keeping the time of day after', () => {
    const S = 6.5 * H;
    const cal = new Calendar({ sessionUs: S, overnightUs: 17.5 * H, tradingDaysPerWeek: 5, startDay: 0, sessions: 10 });
    // Tuesday 11:00 → Wednesday 11:00.
    expect(nextRollAt(S + 1.5 * H, S + 1.5 * H, DAY, cal)).toBe(2 * S + 1.5 * H);
    // Friday 11:00 → Monday's open (Saturday's and Sunday's roll times), then Monday 11:00, then Tuesday 11:00.
    const fri = 4 * S + 1.5 * H;
    expect(nextRollAt(fri, fri, DAY, cal)).toBe(5 * S);
    expect(nextRollAt(fri, 5 * S, DAY, cal)).toBe(5 * S + 1.5 * H);
    expect(nextRollAt(fri, 5 * S + 1.5 * H, DAY, cal)).toBe(6 * S + 1.5 * H);
    // 12 h after Tuesday 11:00 is 23:00, at night: Wednesday's open.
    expect(nextRollAt(S + 1.5 * H, S + 1.5 * H, 12 * H, cal)).toBe(2 * S);
    // Past the last close: never.
    expect(nextRollAt(9 * S + H, 9 * S + H, DAY, cal)).toBe(Number.POSITIVE_INFINITY);
    // The venue on that calendar: a loan opened on Friday 11:00 rolls at Monday's open.
    const h = market(1, { calendar: cal });
    h.runUntil(fri - MIN);
    h.send('L', 'credit', terms(0.15, 0.1, { schedule: roll(DAY) }));
    borrowAt(h, fri, 0);
    h.runUntil(fri + MIN);
    h.send('L', 'credit', terms(0.3, 0.2, { schedule: roll(DAY) }));
    h.runUntil(5 * S - 1);
    expect(h.credit.isLiquidatable(1)).toBe(false);
    h.runUntil(6 * S + 2 * H);
    expect(h.eventsOf('LoansRepriced').map((e) => e.time)).toEqual([5 * S, 5 * S + 1.5 * H, 6 * S + 1.5 * H]);
    expect(h.eventsOf('LoanBecameUnhealthy').map((e) => e.time)).toEqual([5 * S]);
  });

  it('should refuse a draw that the posted initial haircut allows but the loan’s own maintenance haircut does not', () => {
    const h = market(1);
    h.send('L', 'credit', terms(0.3, 0.25, { schedule: roll(H) }));
    h.send('B0', 'credit', requestLoan(h.id('L'), 5_000, [leg(100)]));
    h.runUntil(10 * MIN);
    // Haircuts fall; the loan keeps h_m = 25 % (LV 7 500) until it rolls.
    h.send('L', 'credit', terms(0.1, 0.075, { schedule: roll(H) }));
    h.send('B0', 'credit', requestLoan(h.id('L'), 3_000, []));
    expect(h.actor('B0').rejections()).toEqual(['INSUFFICIENT_COLLATERAL']);
    h.send('B0', 'credit', requestLoan(h.id('L'), 2_500, []));
    expect(h.credit.loan(1)?.debt).toBe(7_500);
    expect(h.credit.isLiquidatable(1)).toBe(false);
    // After the roll the lower haircuts are the loan's too.
    h.runUntil(H);
    h.send('B0', 'credit', requestLoan(h.id('L'), 1_000, []));
    expect(h.credit.loan(1)?.debt).toBe(8_500);
    expect(h.actor('B0').rejections()).toEqual(['INSUFFICIENT_COLLATERAL']);
  });
});

describe('terms schedule: notice', () => {
  it('should apply a posting exactly noticeUs after it was posted', () => {
    const h = market(1);
    h.send('L', 'credit', terms(0.15, 0.1, { schedule: notice(30 * MIN) }));
    borrowAt(h, 0, 0);
    h.runUntil(10 * MIN);
    h.send('L', 'credit', terms(0.3, 0.2, { schedule: notice(30 * MIN) }));
    const postingId = h.eventsOf('CreditTermsChanged').at(-1)!.causeId;
    h.runUntil(40 * MIN - 1);
    expect(h.credit.loan(1)?.maintenanceHaircut).toEqual([units(0.1)]);
    expect(h.credit.isLiquidatable(1)).toBe(false);
    h.runUntil(40 * MIN);
    expect(h.credit.loan(1)?.maintenanceHaircut).toEqual([units(0.2)]);
    expect(h.credit.isLiquidatable(1)).toBe(true);
    const applied = h.eventsOf('LoansRepriced');
    expect(applied).toEqual([expect.objectContaining({ time: 40 * MIN, reason: 'notice', postingId, loansRepriced: 1 })]);
    expect(h.kernel.causeOf(applied[0]!.causeId)).toBe(postingId);
    expect(h.eventsOf('LoanBecameUnhealthy')[0]!.causeId).toBe(applied[0]!.causeId);
  });

  it('should apply the latest posting when the notice runs out: a later posting within the notice wins', () => {
    const h = market(1);
    h.send('L', 'credit', terms(0.15, 0.1, { schedule: notice(30 * MIN) }));
    borrowAt(h, 0, 0);
    h.runUntil(10 * MIN);
    h.send('L', 'credit', terms(0.3, 0.2, { schedule: notice(30 * MIN) }));
    h.runUntil(20 * MIN);
    h.send('L', 'credit', terms(0.2, 0.12, { schedule: notice(30 * MIN) }));
    const latest = h.eventsOf('CreditTermsChanged').at(-1)!.causeId;
    h.runUntil(40 * MIN);
    expect(h.credit.loan(1)?.maintenanceHaircut).toEqual([units(0.12)]);
    expect(h.credit.isLiquidatable(1)).toBe(false);
    // Nothing more at 50 min (the later posting's own notice): it was applied. A new posting opens a new notice.
    h.runUntil(45 * MIN);
    h.send('L', 'credit', terms(0.2, 0.15, { schedule: notice(30 * MIN) }));
    h.runUntil(2 * H);
    expect(h.eventsOf('LoansRepriced').map((e) => [e.time, e.postingId === latest])).toEqual([
      [40 * MIN, true],
      [75 * MIN, false],
    ]);
    expect(h.credit.loan(1)?.maintenanceHaircut).toEqual([units(0.15)]);
  });
});

describe('terms schedule: step cap', () => {
  /** The loan's maintenance haircut (fraction) after each application. */
  const path = (h: CreditHarness) => h.credit.loan(1)!.maintenanceHaircut[0]! / RATE_SCALE;

  it('should move a haircut by at most the cap per posting under immediate, reaching the target after ⌈Δ/step⌉ postings, both ways', () => {
    const h = market(1);
    h.send('L', 'credit', terms(0.15, 0.1, { schedule: immediate(0.05) }));
    h.send('B0', 'credit', requestLoan(h.id('L'), 5_000, [leg(100)]));
    const seen: number[] = [];
    for (let k = 0; k < 5; k++) {
      h.send('L', 'credit', terms(0.3, 0.27, { schedule: immediate(0.05) }));
      seen.push(path(h));
    }
    // Δ = 0.17, step 0.05: ⌈3.4⌉ = 4 postings.
    expect(seen).toEqual([0.15, 0.2, 0.25, 0.27, 0.27]);
    expect(h.eventsOf('CreditTermsChanged').slice(1).map((e) => e.loansShort)).toEqual([1, 1, 1, 0, 0]);
    const down: number[] = [];
    for (let k = 0; k < 4; k++) {
      h.send('L', 'credit', terms(0.15, 0.1, { schedule: immediate(0.05) }));
      down.push(path(h));
    }
    expect(down).toEqual([0.22, 0.17, 0.12, 0.1]);
  });

  it('should step once per roll, and once per notice expiry (a capped expiry opening the next notice by itself)', () => {
    const r = market(1);
    r.send('L', 'credit', terms(0.15, 0.1, { schedule: roll(H, 0.05) }));
    r.send('B0', 'credit', requestLoan(r.id('L'), 5_000, [leg(100)]));
    r.send('L', 'credit', terms(0.3, 0.27, { schedule: roll(H, 0.05) }));
    const rolls: number[] = [];
    for (let k = 1; k <= 5; k++) {
      r.runUntil(k * H);
      rolls.push(path(r));
    }
    expect(rolls).toEqual([0.15, 0.2, 0.25, 0.27, 0.27]);
    const n = market(1);
    n.send('L', 'credit', terms(0.15, 0.1, { schedule: notice(10 * MIN, 0.05) }));
    n.send('B0', 'credit', requestLoan(n.id('L'), 5_000, [leg(100)]));
    n.send('L', 'credit', terms(0.3, 0.27, { schedule: notice(10 * MIN, 0.05) }));
    const postingId = n.eventsOf('CreditTermsChanged').at(-1)!.causeId;
    n.runUntil(H);
    expect(n.eventsOf('LoansRepriced').map((e) => [e.time, e.loansShort, e.postingId])).toEqual([
      [10 * MIN, 1, postingId],
      [20 * MIN, 1, postingId],
      [30 * MIN, 1, postingId],
      [40 * MIN, 0, postingId],
    ]);
    expect(path(n)).toBe(0.27);
  });

  it('should keep every maintenance haircut in [0, 1] and move it by at most the cap per application, whatever the postings (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('post' as const), h: fc.integer({ min: 0, max: 100 }), ratio: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ kind: fc.constant('open' as const), who: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('wait' as const), dt: fc.integer({ min: 1, max: 90 * MIN }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom<TermsSchedule['apply']>('immediate', 'roll', 'notice'), fc.integer({ min: 1, max: 100 }), fc.array(op, { maxLength: 25 }), (apply, stepPct, ops) => {
        const schedule: TermsSchedule = { apply, rollIntervalUs: 20 * MIN, noticeUs: 15 * MIN, maxHaircutStep: stepPct / 100 };
        const maxStep = units(stepPct / 100);
        const h = market(3);
        const seen = new Map<number, number[]>();
        const problems: string[] = [];
        h.kernel.setStepHook({
          afterStep: () => {
            for (const s of h.credit.loanStates()) {
              const hm = h.credit.loan(s.loanId)?.maintenanceHaircut;
              if (hm === undefined) continue;
              const before = seen.get(s.loanId);
              for (let i = 0; i < hm.length; i++) {
                if (!(hm[i]! >= 0 && hm[i]! <= RATE_SCALE)) problems.push(`loan ${s.loanId}: haircut ${hm[i]}`);
                if (before !== undefined && Math.abs(hm[i]! - before[i]!) > maxStep) problems.push(`loan ${s.loanId}: step ${hm[i]! - before[i]!}`);
              }
              seen.set(s.loanId, [...hm]);
            }
          },
        });
        h.send('L', 'credit', terms(0.5, 0.25, { schedule }));
        for (const o of ops) {
          if (o.kind === 'post') h.send('L', 'credit', terms(o.h / 100, ((o.h / 100) * o.ratio) / 100, { schedule }));
          else if (o.kind === 'open') h.send(`B${o.who}`, 'credit', requestLoan(h.id('L'), 1_000, h.credit.loanStates().some((s) => s.borrower === h.id(`B${o.who}`)) ? [] : [leg(50)]));
          else h.advance(o.dt);
        }
        h.advance(2 * H);
        expect(problems).toEqual([]);
        expect(h.credit.validateInvariants()).toEqual([]);
      }),
      { numRuns: 40, seed: 13 },
    );
  });
});

describe('terms schedule: immediate, uncapped (the default)', () => {
  it('should reprice every open loan to the posted haircuts at the posting, and equal a posting without a schedule', () => {
    const run = (schedule: TermsSchedule | undefined) => {
      const h = market(3);
      const opts = (hh: number, hm: number) => terms(hh, hm, schedule !== undefined ? { schedule } : {});
      h.send('L', 'credit', opts(0.15, 0.1));
      for (let i = 0; i < 3; i++) borrowAt(h, i * MIN, i);
      const hashes: string[] = [];
      for (const [hh, hm] of [
        [0.3, 0.2],
        [0.12, 0.05],
        [0.5, 0.5],
      ] as const) {
        h.advance(MIN);
        h.send('L', 'credit', opts(hh, hm));
        for (const s of h.credit.loanStates()) if (h.credit.loan(s.loanId)!.status === 'open') expect(h.credit.loan(s.loanId)!.maintenanceHaircut).toEqual([units(hm)]);
        expect(h.eventsOf('CreditTermsChanged').at(-1)!.loansRepriced).toBe(h.credit.loanStates().filter((s) => h.credit.loan(s.loanId)!.status === 'open').length);
        hashes.push(h.credit.stateHash());
      }
      expect(h.eventsOf('LoansRepriced')).toEqual([]);
      return { hashes, events: h.events.map((e) => `${e.type}@${e.time}#${e.id}<${e.causeId}`) };
    };
    const none = run(undefined);
    expect(run(immediate(1))).toEqual(none);
  });
});

describe('terms schedule: the rules', () => {
  it('should refuse malformed schedules, and a schedule other than the one of the lender’s first posting', () => {
    expect(scheduleFromCommand(undefined)).toBe(IMMEDIATE);
    expect(scheduleFromCommand(immediate(1))).toBe(IMMEDIATE);
    for (const bad of [
      { ...roll(0) },
      { ...roll(-5) },
      { ...roll(1.5) },
      { ...notice(0) },
      { ...immediate(0) },
      { ...immediate(1.5) },
      { ...immediate(Number.NaN) },
      { ...immediate(1e-9) },
      { ...immediate(), apply: 'weekly' as 'roll' },
    ]) {
      expect(scheduleFromCommand(bad)).toBeNull();
    }
    const h = market(0);
    h.send('L', 'credit', terms(0.2, 0.1, { schedule: { ...roll(0) } }));
    expect(h.actor('L').rejections()).toEqual(['INVALID_TERMS']);
    h.send('L', 'credit', terms(0.2, 0.1, { schedule: roll(H) }));
    h.send('L', 'credit', terms(0.2, 0.1, { schedule: roll(H) }));
    h.send('L', 'credit', terms(0.2, 0.1));
    h.send('L', 'credit', terms(0.2, 0.1, { schedule: roll(2 * H) }));
    expect(h.actor('L').rejections()).toEqual(['INVALID_TERMS', 'INVALID_TERMS', 'INVALID_TERMS']);
  });

  it('should step toward a target by at most the cap, within the two haircuts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: RATE_SCALE }), fc.integer({ min: 0, max: RATE_SCALE }), fc.integer({ min: RATE_SCALE / 1_000, max: RATE_SCALE }), (from, to, step) => {
        let h = from;
        let n = 0;
        let ok = true;
        while (h !== to && n <= 1_000) {
          const next = stepToward(h, to, step);
          ok &&= Math.abs(next - h) <= step && next >= Math.min(from, to) && next <= Math.max(from, to);
          h = next;
          n++;
        }
        expect(ok).toBe(true);
        expect(n).toBe(Math.ceil(Math.abs(to - from) / step));
      }),
      { numRuns: 300 },
    );
  });
});
