import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Instrument } from '../../src/market/instrument.js';
import type { StpMode } from '../../src/market/order-book-api.js';
import { ReferenceOrderBook } from '../helpers/reference-order-book.js';
import { buildScenario, scenarioArbitrary, traceOf, type Harness, type Scenario } from '../helpers/exchange-harness.js';

const referenceBooks = (i: Instrument, stp: StpMode) => new ReferenceOrderBook({ stp, maxOrderQty: i.maxOrderQty });

function run(s: Scenario, reference = false): Harness {
  const h = buildScenario(s, reference ? referenceBooks : undefined);
  h.run();
  return h;
}

function fingerprint(h: Harness): { trace: string; ledger: string; book: number; now: number } {
  return { trace: traceOf(h), ledger: h.ledger.stateHash(), book: h.exchange.book(0).stateHash(), now: h.kernel.now };
}

describe('Exchange — determinism', () => {
  // One fixed random session, long enough to trade a lot.
  const [scenario] = fc.sample(scenarioArbitrary({ minSteps: 60, maxSteps: 80 }), { numRuns: 1, seed: 20_240_601 }) as [Scenario];

  it('should give identical report traces and ledger hashes when one scenario runs twice', () => {
    const a = run(scenario);
    const b = run(scenario);
    expect(fingerprint(b)).toEqual(fingerprint(a));
    // Not vacuous: the session traded and left orders resting.
    const fills = a.clients.reduce((n, c) => n + c.reportsOf('OrderFilled').length, 0);
    expect(fills).toBeGreaterThan(5);
    expect(a.exchange.volume(0)).toBeGreaterThan(0);
  });

  it('should give the same trace through the naive reference book as through the fast book (bookFactory)', () => {
    expect(fingerprint(run(scenario, true))).toEqual(fingerprint(run(scenario)));
  });

  it('should agree with the reference book on random sessions, report for report', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (s) => {
        const fast = run(s);
        const reference = run(s, true);
        expect(fingerprint(reference)).toEqual(fingerprint(fast));
        expect(reference.exchange.book(0).validateInternalState()).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
