import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BpsFeeModel, ZeroFees } from '../../src/market/fee-model.js';
import { Ledger, type TradeSettlement } from '../../src/market/ledger.js';

/** A settlement record with the legs a test rarely sets defaulted: instrument 0, no fees, nothing from holds. */
function settlement(s: Pick<TradeSettlement, 'buyer' | 'seller' | 'qty' | 'cash' | 'feeAccount'> & Partial<TradeSettlement>): TradeSettlement {
  return { instrument: 0, buyerFee: 0, sellerFee: 0, buyerHeldCash: 0, sellerHeldLots: 0, ...s };
}

describe('BpsFeeModel', () => {
  it('should charge proportional fees rounded up', () => {
    const fees = new BpsFeeModel(1, 2.5);
    expect(fees.takerFee(10_000)).toBe(3); // 2.5 → 3
    expect(fees.takerFee(40_000)).toBe(10);
    expect(fees.makerFee(10_000)).toBe(1);
    expect(fees.makerFee(10_001)).toBe(2); // 1.0001 → 2
    expect(fees.takerFee(0)).toBe(0);
  });

  it('should pay maker rebates rounded toward zero', () => {
    const fees = new BpsFeeModel(-1, 2);
    expect(fees.makerFee(12_345)).toBe(-1); // −1.2345 → −1
    expect(fees.makerFee(9_999)).toBe(0); // −0.9999 → 0, never −0
    expect(Object.is(fees.makerFee(9_999), 0)).toBe(true);
  });

  it('should support fractional basis points exactly', () => {
    const fees = new BpsFeeModel(0.1, 0.3);
    expect(fees.makerFee(1_000_000)).toBe(10);
    expect(fees.takerFee(1_000_000)).toBe(30);
  });

  it('should refuse a rebate larger than the taker fee', () => {
    expect(() => new BpsFeeModel(-3, 2)).toThrow(RangeError);
    expect(() => new BpsFeeModel(Number.NaN, 2)).toThrow(RangeError);
    expect(() => new BpsFeeModel(0, 20_000)).toThrow(RangeError);
  });

  it('should never pay a larger rebate than the taker fee collected on the same fill', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (notional, takerBps, rebateShare) => {
          const fees = new BpsFeeModel(-takerBps * rebateShare, takerBps);
          expect(fees.takerFee(notional) + fees.makerFee(notional)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('should settle a rebate through the fee account without creating money', () => {
    const fees = new BpsFeeModel(-1, 3);
    const ledger = new Ledger({ instruments: 1 });
    const venue = ledger.openAccount('venue/fees');
    const maker = ledger.openAccount('maker');
    const taker = ledger.openAccount('taker');
    ledger.deposit(taker, 1_000_000);
    ledger.issue(maker, 0, 10);
    const notional = 500_000;
    const makerFee = fees.makerFee(notional); // rebate −50
    const takerFee = fees.takerFee(notional); // 150
    expect(ledger.settleTrade(settlement({ buyer: taker, seller: maker, qty: 10, cash: notional, buyerFee: takerFee, sellerFee: makerFee, feeAccount: venue }))).toBe('OK');
    expect(ledger.cash(venue)).toBe(100);
    expect(ledger.cash(maker)).toBe(500_050);
    expect(ledger.cash(taker)).toBe(1_000_000 - 500_150);
    expect(ledger.validateInvariants()).toEqual([]);
  });
});

describe('ZeroFees', () => {
  it('should charge nothing', () => {
    expect(ZeroFees.makerFee(123_456)).toBe(0);
    expect(ZeroFees.takerFee(123_456)).toBe(0);
  });
});
