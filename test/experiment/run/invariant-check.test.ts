/**
 * The paranoid check skips a ledger or book whose revision has not moved, so
 * every way of changing them must move it, and a corrupted state must still
 * be caught on the next change.
 */
import { describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { InvariantWatch } from '../../../src/experiment/run/invariant-check.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { buildScenario } from '../../../src/experiment/run/scenario.js';
import { Ledger } from '../../../src/market/ledger.js';
import { MatchResult } from '../../../src/market/match-result.js';
import { OrderBook } from '../../../src/market/order-book.js';
import { smallExperimentText } from '../../helpers/small-experiment.js';

describe('revisions', () => {
  it('should move the book revision on every place, cancel and modify, refused or not', () => {
    const book = new OrderBook();
    const out = new MatchResult();
    const seen: number[] = [book.revision];
    const step = () => {
      expect(book.revision).toBeGreaterThan(seen[seen.length - 1]!);
      seen.push(book.revision);
    };
    book.place({ type: 'limit', side: 'buy', id: 1, owner: 1, price: 100, qty: 5 }, out);
    step();
    book.place({ type: 'limit', side: 'sell', id: 2, owner: 2, price: 100, qty: 2 }, out);
    step();
    book.modify(1, 99, 3, out);
    step();
    book.cancel(1, out);
    step();
    book.cancel(1, out); // unknown now: refused, still counted
    step();
    book.bestBid();
    book.validateInternalState();
    expect(book.revision).toBe(seen[seen.length - 1]);
  });

  it('should move the ledger revision on every change and on nothing else', () => {
    const ledger = new Ledger({ instruments: 1 });
    let last = ledger.revision;
    const changes = (f: () => unknown) => {
      f();
      expect(ledger.revision).toBeGreaterThan(last);
      last = ledger.revision;
    };
    const a = ledger.openAccount('a');
    const b = ledger.openAccount('b');
    const fee = ledger.openAccount('fee');
    last = ledger.revision;
    changes(() => ledger.deposit(a, 1000));
    changes(() => ledger.issue(b, 0, 10));
    changes(() => ledger.holdCash(a, 100));
    changes(() => ledger.releaseCash(a, 50));
    changes(() => ledger.holdPosition(b, 0, 4));
    changes(() => ledger.releasePosition(b, 0, 1));
    changes(() => ledger.settleTrade({ buyer: a, seller: b, instrument: 0, qty: 3, cash: 30, buyerFee: 0, sellerFee: 0, feeAccount: fee, buyerHeldCash: 30, sellerHeldLots: 3 }));
    changes(() => ledger.transferCash(b, a, 5));
    changes(() => ledger.transferPosition(a, b, 0, 1));
    changes(() => ledger.retire(b, 0, 1));
    changes(() => ledger.withdraw(a, 10));
    changes(() => ledger.addInstrument());
    expect(ledger.withdraw(a, 1e9)).toBe('BELOW_FLOOR');
    ledger.cash(a);
    ledger.validateInvariants();
    expect(ledger.revision).toBe(last);
  });
});

describe('InvariantWatch', () => {
  const config = loadExperimentText(smallExperimentText('watch'), 'watch.yaml').config;

  it('should catch a broken ledger at its next change, not before', () => {
    const s = buildScenario(config);
    const watch = new InvariantWatch(s);
    const acct = s.ledger.openAccount('victim');
    expect(watch.problems()).toEqual([]);
    // Money from nowhere, written behind the ledger's back: no revision moves.
    (s.ledger as unknown as { cashOf: number[] }).cashOf[acct] = 7;
    expect(watch.problems()).toEqual([]);
    s.ledger.holdCash(acct, 1);
    expect(watch.problems().join('\n')).toMatch(/Σ cash \d+ ≠ net external cash \d+/);
  });

  it('should walk the whole state once, the first time', () => {
    const s = buildScenario(config);
    (s.ledger as unknown as { cashOf: number[] }).cashOf[0] = 3;
    expect(new InvariantWatch(s).problems().join('\n')).toContain('≠ net external cash');
  });

  it('should leave a checked run identical to an unchecked one, with one check per event and one at the end', () => {
    const plain = runExperiment(config);
    const checked = runExperiment(config, { checkInvariants: 'every' });
    expect(checked.stateHash).toBe(plain.stateHash);
    expect(checked.summary.invariants).toMatchObject({ checks: checked.summary.events + 1, violations: 0 });
  });
});
