import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BpsFeeModel } from '../../src/market/fee-model.js';
import type { OrderView } from '../../src/market/order-book-api.js';
import type { TradeExecuted } from '../../src/market/market-events.js';
import type { OrderFilled } from '../../src/market/order-messages.js';
import { buildScenario, scenarioArbitrary, type Harness, type Scenario } from '../helpers/exchange-harness.js';

/**
 * Runs a scenario and checks everything that must hold whatever the clients
 * did: ledger invariants, exact conservation, holds equal to what the resting
 * orders need, an uncrossed book, reports that add up to the ledger, and no
 * exception out of the exchange.
 */
function runAndCheck(s: Scenario): void {
  const h = buildScenario(s);
  // The ledger and the book must be sound after every delivery, not only at the end.
  h.kernel.setStepHook({
    afterStep: (_kernel, id) => {
      const problems = [...h.ledger.validateInvariants(), ...h.exchange.book(0).validateInternalState()];
      if (problems.length > 0) throw new Error(`after delivery ${id}: ${problems.join('; ')}`);
    },
  });
  expect(() => h.run()).not.toThrow();

  const L = h.ledger;
  const book = h.exchange.book(0);
  const fees = new BpsFeeModel(s.makerBps, s.takerBps);
  const mptl = (h.instruments[0] as { minorPerTickLot: number }).minorPerTickLot;
  const buyHold = (price: number, qty: number): number => {
    const n = price * qty * mptl;
    return n + Math.max(0, fees.takerFee(n), fees.makerFee(n)) + 2 * qty;
  };

  expect(L.validateInvariants()).toEqual([]);
  expect(book.validateInternalState()).toEqual([]);

  // Conservation, exactly: clients + fee account hold what was deposited / issued.
  let cash = 0;
  let lots = 0;
  for (let a = 0; a < L.accountCount; a++) {
    cash += L.cash(a);
    lots += L.position(a, 0);
  }
  expect(cash).toBe(h.deposits);
  expect(L.netExternalCash).toBe(h.deposits);
  expect(lots).toBe(h.issued[0]);

  let restingCount = 0;
  let feesReported = 0;
  h.clients.forEach((client, i) => {
    const account = h.accounts[i] as number;
    const start = s.clients[i]!;

    // Holds equal what the still-resting orders need.
    const resting = client.acceptedIds().map((id) => h.exchange.openOrder(0, id)).filter((o): o is OrderView => o !== undefined);
    restingCount += resting.length;
    let sellQty = 0;
    let buyNotional = 0;
    let buyHolds = 0;
    for (const o of resting) {
      expect(o.owner).toBe(account);
      if (o.side === 'sell') sellQty += o.qty;
      else {
        buyNotional += o.price * o.qty * mptl;
        buyHolds += buyHold(o.price, o.qty);
      }
    }
    expect(L.heldPosition(account, 0), `${client.name} held lots`).toBe(sellQty);
    expect(L.heldCash(account), `${client.name} held cash`).toBeGreaterThanOrEqual(buyNotional);
    expect(L.heldCash(account), `${client.name} held cash`).toBe(buyHolds);

    // Every command got exactly one primary answer.
    const primary = client.reports.filter(
      (r) => r.type === 'OrderAccepted' || r.type === 'OrderRejected' || r.type === 'OrderModified' || (r.type === 'OrderCancelled' && r.reason === 'requested'),
    );
    expect(primary).toHaveLength(client.sent.length);

    // The fills reported add up to the ledger, fees included, and fees follow the model.
    let expectedCash = start.cash;
    let expectedLots = start.lots;
    for (const f of client.reportsOf('OrderFilled')) {
      const n = f.price * f.qty * mptl;
      // Auction fills pay the maker fee without a rebate: neither side took resting liquidity.
      expect(f.fee).toBe(f.liquidity === 'taker' ? fees.takerFee(n) : f.liquidity === 'maker' ? fees.makerFee(n) : Math.max(0, fees.makerFee(n)));
      expectedCash += (f.side === 'sell' ? n : -n) - f.fee;
      expectedLots += f.side === 'sell' ? -f.qty : f.qty;
      feesReported += f.fee;
    }
    expect(L.cash(account)).toBe(expectedCash);
    expect(L.position(account, 0)).toBe(expectedLots);

    // Each order's reports tell a consistent story that ends where the book is.
    const open = new Map<number, number>();
    for (const r of client.reports) {
      switch (r.type) {
        case 'OrderAccepted':
          expect(open.has(r.orderId)).toBe(false);
          open.set(r.orderId, r.qty);
          break;
        case 'OrderFilled': {
          const left = (open.get(r.orderId) ?? Number.NaN) - r.qty;
          expect(r.remaining).toBe(left);
          open.set(r.orderId, left);
          break;
        }
        case 'OrderModified':
          expect(open.get(r.orderId)).toBeGreaterThan(0);
          open.set(r.orderId, r.qty);
          break;
        case 'OrderCancelled':
          expect(r.qty).toBe(open.get(r.orderId));
          expect(r.qty).toBeGreaterThan(0);
          open.set(r.orderId, 0);
          break;
        case 'OrderRejected':
          break;
      }
    }
    for (const [id, qty] of open) expect(h.exchange.openOrder(0, id)?.qty ?? 0, `order ${id} open qty`).toBe(qty);
  });
  expect(book.size + h.exchange.collected(0)).toBe(restingCount);
  expect(L.cash(h.feeAccount)).toBe(feesReported);
  expect(L.cash(h.feeAccount)).toBeGreaterThanOrEqual(0);
}

/** Every kind of report (with its cancel reason or fill liquidity) and reject reason the scenarios produced. */
function reportKinds(scenarios: readonly Scenario[]): Set<string> {
  const seen = new Set<string>();
  for (const s of scenarios) {
    const h: Harness = buildScenario(s);
    h.run();
    for (const c of h.clients) {
      for (const r of c.reports) {
        seen.add(r.type === 'OrderCancelled' ? `${r.type}:${r.reason}` : r.type === 'OrderFilled' ? `${r.type}:${r.liquidity}` : r.type);
        if (r.type === 'OrderRejected') seen.add(r.reason);
      }
    }
  }
  return seen;
}

describe('Exchange — properties of random sessions', () => {
  it('should conserve cash and lots, keep holds exact and the book uncrossed, whatever 3–4 clients send', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (s) => {
        runAndCheck(s);
      }),
      { numRuns: 100 },
    );
  });

  it('should keep every one of those properties with call auctions: opening, closing, both, or a batch market, with day or GTC orders', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ auctions: true }), (s) => {
        runAndCheck(s);
        const h = buildScenario(s);
        const prices = new Map<number, Set<number>>();
        h.kernel.events$.subscribe((e) => {
          if (e.type !== 'TradeExecuted') return;
          const t = e as TradeExecuted;
          (prices.get(t.time) ?? prices.set(t.time, new Set()).get(t.time)!).add(t.price);
        });
        h.run();
        const uncrossings = new Set<number>();
        for (const c of h.clients) for (const r of c.received) if (r.message.type === 'OrderFilled' && (r.message as OrderFilled).liquidity === 'auction') uncrossings.add(r.time - s.latency);
        // An uncrossing trades at one price (continuous fills at other instants may not).
        for (const time of uncrossings) expect(prices.get(time)?.size, `prints at ${time}`).toBe(1);
      }),
      { numRuns: 100 },
    );
  });

  it('should uncross, collect, collar, refuse fill-or-kill and expire IOC remainders in the auction sessions (not vacuous)', () => {
    const seen = reportKinds(fc.sample(scenarioArbitrary({ auctions: true }), { numRuns: 60, seed: 11 }));
    for (const kind of ['OrderFilled:auction', 'OrderFilled:taker', 'OrderModified', 'OrderCancelled:requested', 'OrderCancelled:unfilled-ioc', 'OrderCancelled:expired', 'NOT_IN_CALL_PHASE', 'INSUFFICIENT_CASH']) {
      expect(seen, kind).toContain(kind);
    }
  });

  it('should actually trade, rest, cancel, modify and reject in the generated sessions (the property is not vacuous)', () => {
    const seen = reportKinds(fc.sample(scenarioArbitrary(), { numRuns: 40, seed: 7 }));
    for (const kind of [
      'OrderAccepted',
      'OrderFilled:maker',
      'OrderFilled:taker',
      'OrderModified',
      'OrderCancelled:requested',
      'OrderCancelled:unfilled-ioc',
      'OrderCancelled:self-trade',
      'INSUFFICIENT_CASH',
      'INSUFFICIENT_POSITION',
      'NOT_OWNER',
      'UNKNOWN_ORDER',
      'INVALID_PRICE',
      'INVALID_QTY',
      'QTY_ABOVE_LIMIT',
    ]) {
      expect(seen, kind).toContain(kind);
    }
  });
});
