import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aaveParams, planAaveLiquidation, type LiquidationInput } from '../../src/credit/aave-liquidation.js';
import { isLessHealthy, legValueAfterHaircut } from '../../src/credit/margin.js';
import { RATE_SCALE, toRateUnits } from '../../src/market/rounding.js';
import { buildCreditHarness, leg, liquidate, requestLoan, terms, type CreditHarness } from '../helpers/credit-harness.js';

/** mm quotes 99/101 (mark 100); L lends at h = 20 %, h_m = 10 %; B borrows 8 000 on 100 lots; Q and R are liquidators. */
function setUp(options: { bonus?: number; protocolFeeShare?: number; hm?: number; h?: number; debt?: number } = {}): CreditHarness {
  const h = buildCreditHarness({
    actors: [
      { name: 'mm', cash: 1e12, lots: [1e6] },
      { name: 'L', cash: 1e9 },
      { name: 'B', lots: [100] },
      { name: 'Q', cash: 1e9 },
      { name: 'R', cash: 1e9 },
      { name: 'poor', cash: 100 },
    ],
    lenders: [{ name: 'L' }],
    aave: { bonus: options.bonus ?? 0.05, ...(options.protocolFeeShare !== undefined ? { protocolFeeShare: options.protocolFeeShare } : {}) },
    callGracePeriodUs: 1_000,
  });
  h.quote(99, 101, 100_000);
  h.send('L', 'credit', terms(options.h ?? 0.2, options.hm ?? 0.1));
  h.send('Q', 'credit', { type: 'SubscribeLiquidations' });
  h.send('B', 'credit', requestLoan(h.id('L'), options.debt ?? 8_000, [leg(100)]));
  expect(h.credit.loan(1)?.debt).toBe(options.debt ?? 8_000);
  return h;
}

/** Runs `act` and expects it to be refused with `reason`, changing neither the ledger nor the venue. */
function expectRefused(h: CreditHarness, who: string, reason: string, act: () => void): void {
  const before = [h.ledger.stateHash(), h.credit.stateHash()];
  act();
  expect(h.actor(who).rejections().at(-1)).toBe(reason);
  expect([h.ledger.stateHash(), h.credit.stateHash()]).toEqual(before);
}

describe('AaveLiquidation', () => {
  it('should liquidate half the debt with the bonus, rounding lots down and the repayment up', () => {
    const h = setUp();
    h.quote(87, 89, 100_000); // mark 88: LV = ⌊100 · 88 · 0.9⌋ = 7 920 < 8 000, HF 0.99
    const notice = h.actor('Q').credit('LoanLiquidatable');
    expect(notice).toHaveLength(1);
    expect(notice[0]?.loan.healthFactor).toBeCloseTo(0.99, 12);
    expect(notice[0]?.bonus).toBe(0.05);
    // HF ≥ 0.95: close factor 50 %, cap 4 000 → ⌊4 000 · 1.05 / 88⌋ = 47 lots, repaid ⌈47 · 88 / 1.05⌉ = 3 940.
    expect(notice[0]?.maxRepay).toBe(3_940);
    const qBefore = h.ledger.cash(h.account('Q'));
    h.send('Q', 'credit', liquidate(1, 1e9));
    const done = h.actor('Q').credit('LoanLiquidated');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ seizedQty: 47, debtRepaid: 3_940, badDebt: 0, instrument: 0 });
    expect(h.ledger.cash(h.account('Q'))).toBe(qBefore - 3_940);
    expect(h.ledger.position(h.account('Q'), 0)).toBe(47);
    expect(h.credit.loan(1)?.debt).toBe(4_060);
    expect(h.credit.loan(1)?.qty[0]).toBe(53);
    expect(h.ledger.heldPosition(h.account('B'), 0)).toBe(53);
    // Lender: cash back, claim down, equity unchanged.
    const l = h.credit.lender(h.id('L'))!;
    expect(l.equity).toBe(l.capital);
    const ev = h.eventsOf('PositionLiquidated')[0]!;
    expect(ev).toMatchObject({ loanId: 1, liquidator: h.id('Q'), qty: 47, price: 88, debtRepaid: 3_940, badDebt: 0, lvBefore: 7_920, debtBefore: 8_000, lvAfter: 4_197, debtAfter: 4_060 });
    // The quote moved the mark below the loan's trigger.
    expect(ev.trigger).toBe('price');
    // deliveryId is the LiquidateLoan delivery, itself caused by Q's wake-up.
    expect(ev.deliveryId).toBe(ev.causeId);
    expect(h.kernel.causeOf(ev.deliveryId)).toBeGreaterThan(0);
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should let the first valid liquidation win and refuse the later one on the healthier loan', () => {
    const h = setUp();
    h.quote(87, 89, 100_000);
    h.actor('Q').at(h.kernel.now, () => h.credit.id, liquidate(1, 1e9));
    h.actor('R').at(h.kernel.now, () => h.credit.id, liquidate(1, 1e9));
    h.runUntil(h.kernel.now);
    expect(h.actor('Q').credit('LoanLiquidated')).toHaveLength(1);
    expect(h.actor('R').rejections()).toEqual(['LOAN_HEALTHY']);
  });

  it('should use a 100 % close factor below HF 0.95 and pay the protocol its share of the bonus', () => {
    const h = setUp({ protocolFeeShare: 0.5 });
    h.quote(83, 85, 100_000); // mark 84: LV 7 560, HF 0.945 < 0.95
    const notice = h.actor('Q').credit('LoanLiquidatable')[0]!;
    // cap = 8 000 → ⌊8 000 · 1.05 / 84⌋ = 100 lots (all), repaid ⌈100 · 84 / 1.05⌉ = 8 000 exactly.
    expect(notice.maxRepay).toBe(8_000);
    h.send('Q', 'credit', liquidate(1, 1e9));
    // Bonus lots: 100 − ⌈100 / 1.05⌉ = 4; protocol share ⌊4 · 0.5⌋ = 2.
    expect(h.ledger.position(h.protocolAccount, 0)).toBe(2);
    expect(h.ledger.position(h.account('Q'), 0)).toBe(98);
    // The report says which of the seized lots went to the protocol, so the liquidator can tell what it holds.
    expect(h.actor('Q').credit('LoanLiquidated')[0]).toMatchObject({ seizedQty: 100, protocolQty: 2 });
    expect(h.credit.loanStatus(1)).toBe('closed');
    expect(h.eventsOf('PositionLiquidated')[0]?.protocolQty).toBe(2);
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should book bad debt when the collateral runs out', () => {
    const h = setUp();
    h.quote(49, 51, 100_000); // mark 50: collateral worth 5 000 against 8 000
    h.send('Q', 'credit', liquidate(1, 1e9));
    // All 100 lots: repaid ⌈5 000 / 1.05⌉ = 4 762, bad debt 3 238.
    expect(h.actor('Q').credit('LoanLiquidated')[0]).toMatchObject({ seizedQty: 100, debtRepaid: 4_762, badDebt: 3_238 });
    expect(h.eventsOf('BadDebtBooked').map((e) => e.amount)).toEqual([3_238]);
    expect(h.credit.loanStatus(1)).toBe('defaulted');
    const l = h.credit.lender(h.id('L'))!;
    expect(l.badDebt).toBe(3_238);
    expect(l.equity).toBe(l.capital - 3_238);
    expect(h.credit.totalBadDebt()).toBe(3_238);
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should close the loan out instead of a partial liquidation that would lower its health', () => {
    // h_m = 2 %, bonus 5 %: (1 + b)(1 − h_m) = 1.029 > HF, so any partial liquidation lowers HF.
    const h = setUp({ h: 0.1, hm: 0.02, debt: 9_000 });
    h.quote(91, 93, 100_000); // mark 92: LV = ⌊100 · 92 · 0.98⌋ = 9 016 ≥ 9 000: healthy
    expect(h.credit.isLiquidatable(1)).toBe(false);
    h.quote(90, 92, 100_000); // mark 91: LV 8 918 < 9 000, HF 0.9909
    const notice = h.actor('Q').credit('LoanLiquidatable')[0]!;
    // Close-out: ⌊9 000 · 1.05 / 91⌋ = 103 > 100 lots → all 100, repaid ⌈9 100 / 1.05⌉ = 8 667, bad debt 333.
    expect(notice.maxRepay).toBe(8_667);
    expectRefused(h, 'R', 'REPAY_BELOW_MINIMUM', () => h.send('R', 'credit', liquidate(1, 4_000)));
    h.send('Q', 'credit', liquidate(1, notice.maxRepay));
    const ev = h.eventsOf('PositionLiquidated');
    expect(ev.map((e) => [e.qty, e.debtRepaid, e.badDebt, e.exhausted])).toEqual([[100, 8_667, 333, true]]);
    expect(h.credit.loanStatus(1)).toBe('defaulted');
  });

  it('should make an overdue called loan liquidatable whatever its health', () => {
    const h = setUp();
    expectRefused(h, 'Q', 'LOAN_HEALTHY', () => h.send('Q', 'credit', liquidate(1, 1e9)));
    h.send('L', 'credit', { type: 'CallLoan', loanId: 1, amount: 2_000 });
    expect(h.actor('B').credit('MarginCalled')[0]).toMatchObject({ amount: 2_000, deadline: h.kernel.now + 1_000 });
    h.advance(1_000);
    expect(h.credit.isLiquidatable(1)).toBe(true);
    expect(h.actor('Q').credit('LoanLiquidatable')).toHaveLength(1);
    h.send('Q', 'credit', liquidate(1, 1e9));
    // Overdue: close factor 100 %; HF 1.125 > 1.05 · 0.9, so partial liquidation raises HF; cap 8 000 buys ⌊8 400 / 100⌋ = 84 lots.
    expect(h.actor('Q').credit('LoanLiquidated')[0]).toMatchObject({ seizedQty: 84, debtRepaid: 8_000 });
    expect(h.eventsOf('PositionLiquidated')[0]?.trigger).toBe('call');
    expect(h.credit.loanStatus(1)).toBe('closed');
    expect(h.ledger.position(h.account('B'), 0)).toBe(16);
    expect(h.ledger.heldPosition(h.account('B'), 0)).toBe(0);
    expect(h.eventsOf('MarginCallMet').map((e) => e.reason)).toEqual(['lender']);
  });

  it('should refuse a liquidator without the capital, changing nothing', () => {
    const h = setUp();
    h.quote(87, 89, 100_000);
    expectRefused(h, 'poor', 'INSUFFICIENT_CAPITAL', () => h.send('poor', 'credit', liquidate(1, 1e9)));
    expectRefused(h, 'B', 'SELF_LIQUIDATION', () => h.send('B', 'credit', liquidate(1, 1e9)));
    expectRefused(h, 'Q', 'UNKNOWN_INSTRUMENT', () => h.send('Q', 'credit', liquidate(1, 1e9, 5)));
    expectRefused(h, 'Q', 'UNKNOWN_LOAN', () => h.send('Q', 'credit', liquidate(7, 1e9)));
    expectRefused(h, 'Q', 'INVALID_AMOUNT', () => h.send('Q', 'credit', liquidate(1, -3)));
    expectRefused(h, 'Q', 'REPAY_BELOW_MINIMUM', () => h.send('Q', 'credit', liquidate(1, 50)));
  });

  it('should close out a two-instrument basket across its legs', () => {
    const h = buildCreditHarness({
      actors: [
        { name: 'mm', cash: 1e12, lots: [1e6, 1e6] },
        { name: 'L', cash: 1e9 },
        { name: 'B', lots: [100, 100] },
        { name: 'Q', cash: 1e9 },
      ],
      lenders: [{ name: 'L' }],
      instruments: [
        { symbol: 'X', tickSize: 0.01, lotSize: 1, minorUnit: 0.01 },
        { symbol: 'Y', tickSize: 0.01, lotSize: 1, minorUnit: 0.01 },
        { symbol: 'Z', tickSize: 0.01, lotSize: 1, minorUnit: 0.01 },
      ],
    });
    h.quote(99, 101, 100_000, 0);
    h.quote(99, 101, 100_000, 1);
    h.send('L', 'credit', terms(0.1, 0.02, { instruments: 3 }));
    // Capacity 2 · 100 · 100 · 0.9 = 18 000.
    h.send('B', 'credit', requestLoan(h.id('L'), 17_000, [leg(100, 0), leg(100, 1)]));
    h.quote(79, 81, 100_000, 1); // LV = 9 800 + 7 840 = 17 640: healthy
    expect(h.credit.isLiquidatable(1)).toBe(false);
    h.quote(69, 71, 100_000, 1); // LV = 9 800 + 6 860 = 16 660 < 17 000
    expect(h.credit.isLiquidatable(1)).toBe(true);
    expectRefused(h, 'Q', 'NOTHING_TO_SEIZE', () => h.send('Q', 'credit', liquidate(1, 1e9, 2)));
    // (1 + b)(1 − h_m) > HF: only a close-out is allowed. Y first (asked for), all 100 at 70 repay
    // ⌈7 000 / 1.05⌉ = 6 667; then X: ⌊10 333 · 1.05 / 100⌋ = 108 > 100 → all 100, ⌈10 000 / 1.05⌉ = 9 524.
    // Collateral exhausted with 17 000 − 16 191 = 809 left: bad debt.
    h.send('Q', 'credit', liquidate(1, 1e9, 1));
    const ev = h.eventsOf('PositionLiquidated');
    expect(ev.map((e) => [e.instrument, e.qty, e.debtRepaid, e.badDebt])).toEqual([
      [1, 100, 6_667, 0],
      [0, 100, 9_524, 809],
    ]);
    expect(h.credit.loanStatus(1)).toBe('defaulted');
    expect(h.credit.validateInvariants()).toEqual([]);
  });

  it('should never leave a loan less healthy unless the collateral is exhausted and bad debt booked (planner)', () => {
    const params = (b: number) => aaveParams({ bonus: b });
    const input = fc.record({
      bonus: fc.integer({ min: 0, max: 20 }).map((x) => x / 100),
      qty: fc.array(fc.nat(500), { minLength: 1, maxLength: 3 }),
      marks: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 3, maxLength: 3 }),
      hm: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 3, maxLength: 3 }),
      debt: fc.integer({ min: 1, max: 200_000 }),
      instrument: fc.nat(2),
      requested: fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.constant(Number.MAX_SAFE_INTEGER)),
      overdue: fc.boolean(),
    });
    fc.assert(
      fc.property(input, (x) => {
        const n = x.qty.length;
        const inp: LiquidationInput = {
          debt: x.debt,
          qty: x.qty,
          marksHalfTicks: x.marks.slice(0, n),
          minorPerTickLot: new Array<number>(n).fill(1),
          maintenanceHaircut: x.hm.slice(0, n).map((p) => toRateUnits(p / 100)),
          instrument: x.instrument,
          requested: x.requested,
          overdue: x.overdue,
        };
        const p = planAaveLiquidation(params(x.bonus), inp);
        if (p.reason !== null) return;
        const lv = (q: number[]) => q.reduce((s, qi, i) => s + legValueAfterHaircut(qi, inp.marksHalfTicks[i] as number, 1, inp.maintenanceHaircut[i] as number), 0);
        const after = [...x.qty];
        for (const l of p.legs) after[l.instrument] = (after[l.instrument] as number) - l.lots;
        expect(after.every((q) => q >= 0)).toBe(true);
        expect(p.repaid).toBeLessThanOrEqual(x.requested);
        expect(p.repaid).toBeLessThanOrEqual(x.debt);
        expect(p.lvBefore).toBe(lv(x.qty));
        expect(p.lvAfter).toBe(lv(after));
        expect(p.debtAfter).toBe(x.debt - p.repaid - p.badDebt);
        const exhausted = after.every((q) => q === 0);
        expect(p.exhausted).toBe(exhausted);
        if (p.badDebt > 0) expect(exhausted).toBe(true);
        if (exhausted) expect(p.debtAfter).toBe(0);
        else expect(isLessHealthy(p.lvAfter, p.debtAfter, p.lvBefore, p.debtBefore)).toBe(false);
        // No value created: each leg's lots are worth at most its repayment plus the bonus,
        // except the close-out's last lot bought under the dust rule.
        for (const l of p.legs) {
          const value2S = BigInt(l.lots) * BigInt(inp.marksHalfTicks[l.instrument] as number) * BigInt(RATE_SCALE);
          const paid2SB = BigInt(l.repaid) * 2n * BigInt(RATE_SCALE + params(x.bonus).bonus);
          if (!p.closeOut) expect(value2S <= paid2SB).toBe(true);
          else {
            const oneLessLot = BigInt(l.lots - 1) * BigInt(inp.marksHalfTicks[l.instrument] as number) * BigInt(RATE_SCALE);
            expect(oneLessLot <= paid2SB).toBe(true);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('should never leave a loan less healthy in a venue run with random crashes and liquidators', () => {
    let liquidations = 0;
    let badDebts = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 0, max: 15 }),
        fc.array(fc.tuple(fc.integer({ min: 20, max: 110 }), fc.integer({ min: 1, max: 20_000 })), { minLength: 3, maxLength: 12, size: 'max' }),
        (hmPct, bonusPct, path) => {
          const hm = hmPct / 100;
          const h = setUp({ h: hm + 0.05, hm, debt: Math.floor(10_000 * (0.95 - hm)), protocolFeeShare: 0.2, bonus: bonusPct / 100 });
          for (const [mid, offer] of path) {
            h.quote(mid - 1, mid + 1, 100_000);
            if (h.credit.isLiquidatable(1)) h.send('Q', 'credit', liquidate(1, offer));
            if (h.credit.isLiquidatable(1)) h.send('R', 'credit', liquidate(1, 1e9));
            expect(h.credit.validateInvariants()).toEqual([]);
          }
          for (const e of h.eventsOf('PositionLiquidated')) {
            if (e.exhausted) expect(e.debtAfter).toBe(0);
            else expect(isLessHealthy(e.lvAfter, e.debtAfter, e.lvBefore, e.debtBefore)).toBe(false);
          }
          const bad = h.eventsOf('BadDebtBooked').reduce((s, e) => s + e.amount, 0);
          const l = h.credit.lender(h.id('L'))!;
          expect(l.badDebt).toBe(bad);
          expect(l.equity).toBe(l.capital - bad);
          expect(h.ledger.validateInvariants()).toEqual([]);
          liquidations += h.eventsOf('PositionLiquidated').length;
          badDebts += h.eventsOf('BadDebtBooked').length;
        },
      ),
      { numRuns: 60 },
    );
    // The scenarios did exercise liquidations and write-offs.
    expect(liquidations).toBeGreaterThan(40);
    expect(badDebts).toBeGreaterThan(5);
  });
});
