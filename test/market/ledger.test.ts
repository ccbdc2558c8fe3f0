import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ledger, type LedgerResult, type TradeSettlement } from '../../src/market/ledger.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** A settlement record with the legs a test rarely sets defaulted: instrument 0, no fees, nothing from holds. */
function settlement(s: Pick<TradeSettlement, 'buyer' | 'seller' | 'qty' | 'cash' | 'feeAccount'> & Partial<TradeSettlement>): TradeSettlement {
  return { instrument: 0, buyerFee: 0, sellerFee: 0, buyerHeldCash: 0, sellerHeldLots: 0, ...s };
}

/** fee, alice, bob: plain; shorty may short 10 lots; overdraft may go 100 below zero. */
function setUp() {
  const ledger = new Ledger({ instruments: 2 });
  const fee = ledger.openAccount('venue/fees');
  const alice = ledger.openAccount('alice');
  const bob = ledger.openAccount('bob');
  const shorty = ledger.openAccount('shorty', { positionFloor: -10 });
  const overdraft = ledger.openAccount('overdraft', { cashFloor: -100 });
  ledger.deposit(alice, 1_000);
  ledger.deposit(bob, 500);
  ledger.issue(bob, 0, 20);
  return { ledger, fee, alice, bob, shorty, overdraft };
}

/** Runs `op`, expects `code`, and checks that the state did not change. */
function expectRefused(ledger: Ledger, code: LedgerResult, op: () => LedgerResult): void {
  const before = ledger.stateHash();
  expect(op()).toBe(code);
  expect(ledger.stateHash()).toBe(before);
  expect(ledger.validateInvariants()).toEqual([]);
}

describe('Ledger', () => {
  describe('set-up and accessors', () => {
    it('should open accounts with dense ids, names and zero balances', () => {
      const ledger = new Ledger({ instruments: 1 });
      expect(ledger.openAccount('a')).toBe(0);
      expect(ledger.openAccount('b', { cashFloor: -5, positionFloor: -7 })).toBe(1);
      expect(ledger.accountCount).toBe(2);
      expect(ledger.accountName(1)).toBe('b');
      expect(ledger.cash(1)).toBe(0);
      expect(ledger.availableCash(1)).toBe(5);
      expect(ledger.availablePosition(1, 0)).toBe(7);
      expect(ledger.cashFloor(1)).toBe(-5);
      expect(ledger.positionFloor(1)).toBe(-7);
    });

    it('should give accounts opened before addInstrument a zero position in it', () => {
      const ledger = new Ledger();
      const a = ledger.openAccount('a');
      const i = ledger.addInstrument();
      expect(i).toBe(0);
      expect(ledger.instrumentCount).toBe(1);
      expect(ledger.position(a, i)).toBe(0);
      expect(ledger.issue(a, i, 3)).toBe('OK');
      expect(ledger.supply(i)).toBe(3);
      expect(ledger.validateInvariants()).toEqual([]);
    });

    it('should throw on bugs: positive floors and unknown ids in accessors', () => {
      const ledger = new Ledger({ instruments: 1 });
      expect(() => ledger.openAccount('x', { cashFloor: 1 })).toThrow(RangeError);
      expect(() => ledger.openAccount('x', { positionFloor: 0.5 })).toThrow(RangeError);
      expect(() => ledger.cash(0)).toThrow(RangeError);
      const a = ledger.openAccount('a');
      expect(() => ledger.position(a, 1)).toThrow(RangeError);
      expect(() => ledger.heldPosition(a, -1)).toThrow(RangeError);
    });

    it('should track totals of external flows', () => {
      const { ledger, alice } = setUp();
      expect(ledger.withdraw(alice, 100)).toBe('OK');
      expect(ledger.totals()).toEqual({ netExternalCash: 1_400, supply: [20, 0] });
      expect(ledger.netExternalCash).toBe(1_400);
    });
  });

  describe('refusals change nothing', () => {
    it('should refuse unknown accounts and instruments', () => {
      const { ledger, alice, bob, fee } = setUp();
      expectRefused(ledger, 'UNKNOWN_ACCOUNT', () => ledger.deposit(99, 1));
      expectRefused(ledger, 'UNKNOWN_ACCOUNT', () => ledger.deposit(0.5, 1));
      expectRefused(ledger, 'UNKNOWN_ACCOUNT', () => ledger.transferCash(alice, 99, 1));
      expectRefused(ledger, 'UNKNOWN_ACCOUNT', () => ledger.transferPosition(bob, -1, 0, 1));
      expectRefused(ledger, 'UNKNOWN_ACCOUNT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, feeAccount: 99 })));
      expectRefused(ledger, 'UNKNOWN_INSTRUMENT', () => ledger.issue(alice, 2, 1));
      expectRefused(ledger, 'UNKNOWN_INSTRUMENT', () => ledger.holdPosition(bob, -1, 1));
      expectRefused(ledger, 'UNKNOWN_INSTRUMENT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, instrument: 7, qty: 1, cash: 10, feeAccount: fee })));
    });

    it('should refuse amounts that are not safe integers', () => {
      const { ledger, alice, bob, fee } = setUp();
      expectRefused(ledger, 'NOT_SAFE_INTEGER', () => ledger.deposit(alice, 1.5));
      expectRefused(ledger, 'NOT_SAFE_INTEGER', () => ledger.deposit(alice, Number.NaN));
      expectRefused(ledger, 'NOT_SAFE_INTEGER', () => ledger.deposit(alice, 2 ** 53));
      expectRefused(ledger, 'NOT_SAFE_INTEGER', () => ledger.holdCash(alice, Infinity));
      expectRefused(ledger, 'NOT_SAFE_INTEGER', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, buyerFee: 0.1, feeAccount: fee })));
    });

    it('should refuse zero and negative amounts', () => {
      const { ledger, alice, bob, fee } = setUp();
      expectRefused(ledger, 'NON_POSITIVE_AMOUNT', () => ledger.deposit(alice, 0));
      expectRefused(ledger, 'NON_POSITIVE_AMOUNT', () => ledger.withdraw(alice, -1));
      expectRefused(ledger, 'NON_POSITIVE_AMOUNT', () => ledger.transferCash(alice, bob, -5));
      expectRefused(ledger, 'NON_POSITIVE_AMOUNT', () => ledger.releasePosition(bob, 0, 0));
      expectRefused(ledger, 'NON_POSITIVE_AMOUNT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 0, cash: 10, feeAccount: fee })));
      expectRefused(ledger, 'NON_POSITIVE_AMOUNT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 0, feeAccount: fee })));
      expectRefused(ledger, 'NEGATIVE_AMOUNT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, feeAccount: fee, buyerHeldCash: -1 })));
      expectRefused(ledger, 'NEGATIVE_AMOUNT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, feeAccount: fee, sellerHeldLots: -1 })));
    });

    it('should refuse transfers to oneself and trades that reuse a role', () => {
      const { ledger, alice, bob, fee } = setUp();
      expectRefused(ledger, 'SAME_ACCOUNT', () => ledger.transferCash(alice, alice, 1));
      expectRefused(ledger, 'SAME_ACCOUNT', () => ledger.transferPosition(bob, bob, 0, 1));
      expectRefused(ledger, 'SAME_ACCOUNT', () => ledger.settleTrade(settlement({ buyer: bob, seller: bob, qty: 1, cash: 10, feeAccount: fee })));
      expectRefused(ledger, 'SAME_ACCOUNT', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, feeAccount: alice })));
    });

    it('should refuse anything that would go below a floor', () => {
      const { ledger, fee, alice, bob, shorty, overdraft } = setUp();
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.withdraw(alice, 1_001));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.transferCash(alice, bob, 1_001));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.holdCash(alice, 1_001));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.retire(bob, 0, 21));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.transferPosition(alice, bob, 0, 1));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.transferPosition(shorty, bob, 0, 11));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.withdraw(overdraft, 101));
      // Held cash is not available.
      expect(ledger.holdCash(alice, 900)).toBe('OK');
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.transferCash(alice, bob, 101));
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.withdraw(alice, 101));
      // Held lots are not available.
      expect(ledger.holdPosition(bob, 0, 15)).toBe('OK');
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.transferPosition(bob, alice, 0, 6));
      // Settlement: buyer cannot pay (100 available, cost 101).
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 100, buyerFee: 1, feeAccount: fee })));
      // Settlement: fee account cannot fund a rebate.
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, sellerFee: -1, feeAccount: fee })));
      // Settlement: seller's free position is 5.
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 6, cash: 10, feeAccount: fee })));
      // Settlement: a fee larger than the seller's cash plus proceeds.
      expectRefused(ledger, 'BELOW_FLOOR', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 10, sellerFee: 511, feeAccount: fee })));
    });

    it('should refuse consuming or releasing more than is held', () => {
      const { ledger, fee, alice, bob } = setUp();
      expect(ledger.holdCash(alice, 100)).toBe('OK');
      expect(ledger.holdPosition(bob, 0, 2)).toBe('OK');
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.releaseCash(alice, 101));
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.releasePosition(bob, 0, 3));
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.releasePosition(bob, 1, 1));
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.transferCash(alice, bob, 101, true));
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.transferPosition(bob, alice, 0, 3, true));
      // A hold asked to pay the cash and a positive fee: 100 + 1 > 100.
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 1, cash: 100, buyerFee: 1, feeAccount: fee, buyerHeldCash: 101 })));
      expectRefused(ledger, 'INSUFFICIENT_HELD', () => ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 3, cash: 100, feeAccount: fee, sellerHeldLots: 3 })));
    });

    it('should refuse balances beyond the safe-integer range', () => {
      const ledger = new Ledger({ instruments: 1 });
      const a = ledger.openAccount('a');
      const b = ledger.openAccount('b');
      expect(ledger.deposit(a, MAX)).toBe('OK');
      expectRefused(ledger, 'OVERFLOW', () => ledger.deposit(b, 1));
      expect(ledger.issue(a, 0, MAX)).toBe('OK');
      expectRefused(ledger, 'OVERFLOW', () => ledger.issue(b, 0, 1));
    });
  });

  describe('operations that succeed', () => {
    it('should let an overdraft account go down to its floor and a short account down to its floor', () => {
      const { ledger, bob, shorty, overdraft } = setUp();
      expect(ledger.withdraw(overdraft, 100)).toBe('OK');
      expect(ledger.cash(overdraft)).toBe(-100);
      expect(ledger.availableCash(overdraft)).toBe(0);
      expect(ledger.transferPosition(shorty, bob, 0, 10)).toBe('OK');
      expect(ledger.position(shorty, 0)).toBe(-10);
      expect(ledger.validateInvariants()).toEqual([]);
    });

    it('should settle a fill from holds with a taker fee and a maker rebate', () => {
      const { ledger, fee, alice, bob } = setUp();
      ledger.deposit(fee, 10);
      // Alice's resting bid: 5 lots at 30 = 150, plus a worst-case fee of 2.
      expect(ledger.holdCash(alice, 152)).toBe('OK');
      // Bob's resting ask, partly filled.
      expect(ledger.holdPosition(bob, 0, 8)).toBe('OK');
      // Alice takes (fee 2), Bob makes (rebate 1).
      expect(ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 5, cash: 150, buyerFee: 2, sellerFee: -1, feeAccount: fee, buyerHeldCash: 152, sellerHeldLots: 5 }))).toBe('OK');
      expect(ledger.cash(alice)).toBe(848);
      expect(ledger.heldCash(alice)).toBe(0);
      expect(ledger.position(alice, 0)).toBe(5);
      expect(ledger.cash(bob)).toBe(651);
      expect(ledger.position(bob, 0)).toBe(15);
      expect(ledger.heldPosition(bob, 0)).toBe(3);
      expect(ledger.availablePosition(bob, 0)).toBe(12);
      expect(ledger.cash(fee)).toBe(11);
      expect(ledger.validateInvariants()).toEqual([]);
    });

    it('should let a buyer consume only the cash leg from its hold when it earns a rebate', () => {
      const { ledger, fee, alice, bob } = setUp();
      ledger.deposit(fee, 10);
      expect(ledger.holdCash(alice, 150)).toBe('OK');
      expect(ledger.settleTrade(settlement({ buyer: alice, seller: bob, qty: 5, cash: 150, buyerFee: -3, sellerFee: 4, feeAccount: fee, buyerHeldCash: 150 }))).toBe('OK');
      expect(ledger.cash(alice)).toBe(853);
      expect(ledger.heldCash(alice)).toBe(0);
      expect(ledger.cash(bob)).toBe(646);
      expect(ledger.cash(fee)).toBe(11);
      expect(ledger.validateInvariants()).toEqual([]);
    });

    it('should let the seller pay its fee out of its proceeds', () => {
      const ledger = new Ledger({ instruments: 1 });
      const fee = ledger.openAccount('fee');
      const buyer = ledger.openAccount('buyer');
      const seller = ledger.openAccount('seller');
      ledger.deposit(buyer, 100);
      ledger.issue(seller, 0, 1);
      expect(ledger.settleTrade(settlement({ buyer, seller, qty: 1, cash: 100, sellerFee: 5, feeAccount: fee }))).toBe('OK');
      expect(ledger.cash(seller)).toBe(95);
      expect(ledger.cash(fee)).toBe(5);
    });

    it('should hash deterministically and differently for different states', () => {
      const a = setUp();
      const b = setUp();
      expect(a.ledger.stateHash()).toBe(b.ledger.stateHash());
      expect(a.ledger.stateHash()).toMatch(/^[0-9a-f]{16}$/);
      b.ledger.transferCash(b.alice, b.bob, 1);
      expect(a.ledger.stateHash()).not.toBe(b.ledger.stateHash());
      b.ledger.transferCash(b.bob, b.alice, 1);
      expect(a.ledger.stateHash()).toBe(b.ledger.stateHash());
      b.ledger.holdCash(b.alice, 1);
      expect(a.ledger.stateHash()).not.toBe(b.ledger.stateHash());
    });
  });

  describe('conservation under any sequence of operations', () => {
    const ACCOUNTS = 5; // id 5 is unknown on purpose
    const acct = fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max: ACCOUNTS - 1 }) },
      { weight: 1, arbitrary: fc.constant(ACCOUNTS) },
    );
    const instrument = fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max: 1 }) },
      { weight: 1, arbitrary: fc.constant(2) }, // unknown
    );
    const amount = fc.oneof(
      { weight: 16, arbitrary: fc.integer({ min: 1, max: 300 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 0 }) },
      { weight: 1, arbitrary: fc.constantFrom(1.5, Number.NaN, 2 ** 53, MAX, -MAX) },
    );
    const lots = fc.oneof(
      { weight: 16, arbitrary: fc.integer({ min: 1, max: 30 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 0 }) },
      { weight: 1, arbitrary: fc.constantFrom(1.5, Number.NaN, 2 ** 53, MAX, -MAX) },
    );
    const fee = fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: -20, max: 20 }) },
      { weight: 1, arbitrary: fc.constant(0.5) },
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant('deposit' as const), a: acct, x: amount }),
      fc.record({ kind: fc.constant('withdraw' as const), a: acct, x: amount }),
      fc.record({ kind: fc.constant('issue' as const), a: acct, i: instrument, x: lots }),
      fc.record({ kind: fc.constant('retire' as const), a: acct, i: instrument, x: lots }),
      fc.record({ kind: fc.constant('transferCash' as const), a: acct, b: acct, x: amount, held: fc.boolean() }),
      fc.record({
        kind: fc.constant('transferPosition' as const),
        a: acct,
        b: acct,
        i: instrument,
        x: lots,
        held: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('holdCash' as const), a: acct, x: amount }),
      fc.record({ kind: fc.constant('releaseCash' as const), a: acct, x: amount }),
      fc.record({ kind: fc.constant('holdPosition' as const), a: acct, i: instrument, x: lots }),
      fc.record({ kind: fc.constant('releasePosition' as const), a: acct, i: instrument, x: lots }),
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('settleTrade' as const),
          a: acct,
          b: acct,
          f: acct,
          i: instrument,
          x: lots,
          y: amount,
          fa: fee,
          fb: fee,
          ha: fc.boolean(),
          hb: fc.boolean(),
        }),
      },
    );
    type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

    function apply(l: Ledger, o: Op): LedgerResult {
      switch (o.kind) {
        case 'deposit':
          return l.deposit(o.a, o.x);
        case 'withdraw':
          return l.withdraw(o.a, o.x);
        case 'issue':
          return l.issue(o.a, o.i, o.x);
        case 'retire':
          return l.retire(o.a, o.i, o.x);
        case 'transferCash':
          return l.transferCash(o.a, o.b, o.x, o.held);
        case 'transferPosition':
          return l.transferPosition(o.a, o.b, o.i, o.x, o.held);
        case 'holdCash':
          return l.holdCash(o.a, o.x);
        case 'releaseCash':
          return l.releaseCash(o.a, o.x);
        case 'holdPosition':
          return l.holdPosition(o.a, o.i, o.x);
        case 'releasePosition':
          return l.releasePosition(o.a, o.i, o.x);
        case 'settleTrade':
          return l.settleTrade({
            buyer: o.a,
            seller: o.b,
            instrument: o.i,
            qty: o.x,
            cash: o.y,
            buyerFee: o.fa,
            sellerFee: o.fb,
            feeAccount: o.f,
            // As the exchange settles: a buyer's hold pays the cash and a positive fee, a seller's the lots.
            buyerHeldCash: o.ha ? o.y + Math.max(0, o.fa) : 0,
            sellerHeldLots: o.hb ? o.x : 0,
          });
      }
    }

    it('should keep every invariant, refuse without side effects, and conserve cash and supply exactly', () => {
      fc.assert(
        fc.property(fc.array(op, { minLength: 20, maxLength: 120 }), (ops) => {
          const l = new Ledger({ instruments: 2 });
          l.openAccount('fees', { cashFloor: -50 });
          l.openAccount('a');
          l.openAccount('b', { positionFloor: -30 });
          l.openAccount('c', { cashFloor: -100, positionFloor: -5 });
          l.openAccount('d');
          // Fund everyone so that most operations can succeed.
          for (let a = 0; a < ACCOUNTS; a++) {
            l.deposit(a, 1_000);
            l.issue(a, 0, 50);
            l.issue(a, 1, 50);
          }
          let external = BigInt(ACCOUNTS * 1_000);
          const supply = [BigInt(ACCOUNTS * 50), BigInt(ACCOUNTS * 50)];
          for (const o of ops) {
            const before = l.stateHash();
            const cashBefore = sumCash(l);
            const result = apply(l, o);
            if (result !== 'OK') {
              expect(l.stateHash()).toBe(before);
              continue;
            }
            if (o.kind === 'deposit') external += BigInt(o.x);
            if (o.kind === 'withdraw') external -= BigInt(o.x);
            if (o.kind === 'issue') supply[o.i] = (supply[o.i] as bigint) + BigInt(o.x);
            if (o.kind === 'retire') supply[o.i] = (supply[o.i] as bigint) - BigInt(o.x);
            if (o.kind !== 'deposit' && o.kind !== 'withdraw') expect(sumCash(l)).toBe(cashBefore);
            expect(l.validateInvariants()).toEqual([]);
          }
          expect(sumCash(l)).toBe(external);
          expect(BigInt(l.netExternalCash)).toBe(external);
          for (let i = 0; i < 2; i++) {
            let s = 0n;
            for (let a = 0; a < l.accountCount; a++) s += BigInt(l.position(a, i));
            expect(s).toBe(supply[i]);
            expect(BigInt(l.supply(i))).toBe(supply[i]);
          }
        }),
        { numRuns: 200 },
      );
    });

    function sumCash(l: Ledger): bigint {
      let s = 0n;
      for (let a = 0; a < l.accountCount; a++) s += BigInt(l.cash(a));
      return s;
    }
  });
});
