import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reconstructCascades } from '../../src/experiment/run/cascade-reconstruction.js';
import { emptyLiquidations } from '../../src/stats/output-tables.js';
import type { BrokerLiquidation } from '../../src/credit/broker-liquidation.js';
import { buildCreditHarness, leg, liquidate, repay, requestLoan, terms, type CreditHarness } from '../helpers/credit-harness.js';

const GRACE = 1_000;
const RETRY = 500;

/** mm quotes 99/101 (mark 100); L lends 8 000 to B on 100 lots at h = 20 %, h_m = 10 %; grace 1 ms. */
function setUp(maxLotsPerOrder?: number): CreditHarness {
  const h = buildCreditHarness({
    actors: [
      { name: 'mm', cash: 1e12, lots: [1e6] },
      { name: 'L', cash: 1e9 },
      { name: 'B', cash: 1_000, lots: [100] },
      { name: 'Q', cash: 1e9 },
    ],
    lenders: [{ name: 'L' }],
    policy: 'broker',
    broker: { gracePeriodUs: GRACE, retryIntervalUs: RETRY, ...(maxLotsPerOrder !== undefined ? { maxLotsPerOrder } : {}) },
    callGracePeriodUs: GRACE,
  });
  h.quote(99, 101, 100_000);
  h.send('L', 'credit', terms(0.2, 0.1));
  h.send('B', 'credit', requestLoan(h.id('L'), 8_000, [leg(100)]));
  return h;
}

function checkClean(h: CreditHarness): void {
  expect(h.credit.validateInvariants()).toEqual([]);
  expect(h.ledger.position(h.saleAccount, 0)).toBe(0);
  expect(h.ledger.cash(h.saleAccount)).toBe(0);
  let cash = 0;
  for (let a = 0; a < h.ledger.accountCount; a++) cash += h.ledger.cash(a);
  expect(cash).toBe(h.deposits);
}

describe('BrokerLiquidation', () => {
  it('should margin-call an unhealthy loan and withdraw the call when the borrower cures it', () => {
    const h = setUp();
    h.quote(87, 89, 100_000); // mark 88: LV 7 920 < 8 000
    const call = h.actor('B').credit('MarginCalled');
    expect(call).toHaveLength(1);
    expect(call[0]).toMatchObject({ amount: 80, deadline: GRACE });
    expect(h.actor('L').credit('MarginCalled')).toHaveLength(1);
    h.send('B', 'credit', repay(1, 100));
    h.advance(GRACE);
    expect(h.eventsOf('MarginCallMet').map((e) => e.reason)).toEqual(['health']);
    expect(h.credit.loan(1)?.status).toBe('open');
    expect(h.eventsOf('PositionLiquidated')).toEqual([]);
    checkClean(h);
  });

  it('should seize and sell the collateral at the deadline, repay the debt and return the surplus', () => {
    const h = setUp();
    h.quote(87, 89, 100_000);
    const bCash = h.ledger.cash(h.account('B'));
    h.advance(GRACE);
    // 100 lots sold at the bid 87: 8 700; 8 000 to the lender, 700 back to the borrower.
    const ev = h.eventsOf('PositionLiquidated');
    expect(ev.map((e) => [e.liquidator, e.qty, e.price, e.debtRepaid, e.badDebt])).toEqual([[h.credit.id, 100, 87, 8_000, 0]]);
    expect(h.ledger.cash(h.account('B'))).toBe(bCash + 700);
    expect(h.ledger.position(h.account('B'), 0)).toBe(0);
    expect(h.credit.loanStatus(1)).toBe('closed');
    expect(h.actor('B').credit('LoanLiquidated')[0]).toMatchObject({ liquidator: h.credit.id, seizedQty: 100, debtRepaid: 8_000, badDebt: 0 });
    const l = h.credit.lender(h.id('L'))!;
    expect(l.equity).toBe(l.capital);
    // Causality: the liquidation is anchored at the delivery that placed the sale (the deadline wake-up), which has causes of its own.
    const saleDelivery = ev[0]!.deliveryId;
    expect(h.kernel.causalChain(saleDelivery).length).toBeGreaterThan(1);
    checkClean(h);
  });

  it('should anchor every fill of one sale order at the delivery that placed it, so the sale is one cascade', () => {
    const h = setUp();
    h.quote(87, 89, 100_000);
    // A better bid for 40 lots: the market sale fills against two levels, in two reports.
    h.send('Q', 'exchange', { type: 'PlaceOrder', instrument: 0, clientOrderId: 1, side: 'buy', orderType: 'limit', price: 88, qty: 40 });
    h.advance(GRACE);
    const ev = h.eventsOf('PositionLiquidated');
    expect(ev.map((e) => [e.qty, e.price])).toEqual([
      [40, 88],
      [60, 87],
    ]);
    expect(ev[1]!.deliveryId).toBe(ev[0]!.deliveryId);
    const rows = emptyLiquidations();
    for (const e of ev) {
      rows.timeUs.push(e.time);
      rows.instrument.push(e.instrument);
      rows.debtRepaid.push(e.debtRepaid);
      rows.badDebt.push(e.badDebt);
      rows.cascadeId.push(0);
    }
    const noTrades = { length: 0, volume: 0, chunks: () => [] };
    const cascades = reconstructCascades(rows, ev.map((e) => e.deliveryId), (id) => h.kernel.causeOf(id), noTrades, 'causes');
    expect(rows.cascadeId).toEqual([1, 1]);
    expect(cascades.liquidations).toEqual([2]);
    checkClean(h);
  });

  it('should book bad debt when the proceeds fall short', () => {
    const h = setUp();
    h.quote(49, 51, 100_000);
    h.advance(GRACE);
    // 100 lots at 49 = 4 900 against 8 000: bad debt 3 100.
    expect(h.eventsOf('PositionLiquidated').map((e) => [e.debtRepaid, e.badDebt, e.exhausted])).toEqual([[4_900, 3_100, true]]);
    expect(h.eventsOf('BadDebtBooked').map((e) => e.amount)).toEqual([3_100]);
    expect(h.credit.loanStatus(1)).toBe('defaulted');
    const l = h.credit.lender(h.id('L'))!;
    expect(l.equity).toBe(l.capital - 3_100);
    checkClean(h);
  });

  it('should retry lots that found no bids', () => {
    const h = setUp();
    h.quote(87, 89, 100_000);
    h.quote(0, 89, 100_000); // the bids vanish
    h.advance(GRACE);
    expect(h.eventsOf('PositionLiquidated')).toEqual([]);
    expect((h.policy as BrokerLiquidation).pendingSale(1)).toEqual([100]);
    expect(h.ledger.position(h.saleAccount, 0)).toBe(100);
    h.quote(80, 89, 100_000);
    h.advance(RETRY);
    expect(h.eventsOf('PositionLiquidated').map((e) => [e.qty, e.price, e.debtRepaid])).toEqual([[100, 80, 8_000]]);
    checkClean(h);
  });

  it('should liquidate when a lender call is unmet, selling only what repays the debt', () => {
    const h = setUp(30);
    h.send('L', 'credit', { type: 'CallLoan', loanId: 1, amount: 1e9 });
    expect(h.actor('B').credit('MarginCalled')[0]).toMatchObject({ amount: 8_000 });
    h.advance(GRACE);
    // Chunks of 30 at the bid 99: 2 970, 2 970, 2 970 ≥ 8 000 − 5 940; then selling stops.
    const ev = h.eventsOf('PositionLiquidated');
    expect(ev.map((e) => [e.qty, e.debtRepaid])).toEqual([
      [30, 2_970],
      [30, 2_970],
      [30, 2_060],
    ]);
    // 10 unsold lots and the 910 surplus went back to the borrower.
    expect(h.ledger.position(h.account('B'), 0)).toBe(10);
    expect(h.ledger.cash(h.account('B'))).toBe(1_000 + 8_000 + 910);
    expect(h.credit.loanStatus(1)).toBe('closed');
    checkClean(h);
  });

  it('should refuse liquidators', () => {
    const h = setUp();
    h.quote(87, 89, 100_000);
    const before = [h.ledger.stateHash(), h.credit.stateHash()];
    h.send('Q', 'credit', liquidate(1, 1e9));
    expect(h.actor('Q').rejections()).toEqual(['VENUE_LIQUIDATES']);
    expect([h.ledger.stateHash(), h.credit.stateHash()]).toEqual(before);
  });

  it('should end every liquidation with the debt repaid, or the collateral exhausted and bad debt booked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ mid: fc.integer({ min: 30, max: 110 }), depth: fc.integer({ min: 1, max: 200 }), cure: fc.nat(300), wait: fc.integer({ min: 0, max: 2 * GRACE }) }), { minLength: 1, maxLength: 10 }),
        (path) => {
          const h = setUp();
          // Held from the start: the venue forgets the loan once it closes, the test keeps it to read how it ended.
          const loan = h.credit.loan(1)!;
          for (const s of path) {
            h.quote(s.mid - 1, s.mid + 1, s.depth);
            if (loan.status === 'open' && s.cure > 0 && s.cure <= loan.debt) h.send('B', 'credit', repay(1, Math.min(s.cure, h.ledger.availableCash(h.account('B')))));
            h.advance(s.wait);
            expect(h.credit.validateInvariants()).toEqual([]);
          }
          h.quote(29, 31, 1_000);
          h.advance(10 * GRACE);
          // At 30 the collateral (3 000) cannot carry the debt: the loan must have ended (and left the venue's memory).
          expect(h.credit.loan(1)).toBeUndefined();
          expect(h.credit.loanStatus(1)).toBe(loan.status);
          expect(['closed', 'defaulted']).toContain(loan.status);
          expect(loan.debt).toBe(0);
          expect(loan.qty[0]).toBe(0);
          if (loan.status === 'defaulted') {
            expect(h.eventsOf('BadDebtBooked').map((e) => e.amount)).toEqual([loan.writtenOff]);
            expect(h.eventsOf('PositionLiquidated').at(-1)?.exhausted).toBe(true);
          }
          const l = h.credit.lender(h.id('L'))!;
          expect(l.equity).toBe(l.capital - l.badDebt);
          checkClean(h);
        },
      ),
      { numRuns: 40 },
    );
  });
});
