import { describe, expect, it } from 'vitest';
import type { CashTransferred, TransferCash } from '../../src/market/cash-transfers.js';
import { buildHarness, limit } from '../helpers/exchange-harness.js';

const transfer = (transferId: number, amount: number): TransferCash => ({ type: 'TransferCash', transferId, amount });

describe('cash transfers through the venue (investors’ subscriptions and redemptions)', () => {
  it('books deposits and withdrawals as external flows, refuses a withdrawal of cash held for an order, and keeps the ledger whole', () => {
    const h = buildHarness({ clients: [{ name: 'fund', cash: 10_000, lots: [0] }] });
    const fund = h.client('fund');
    const account = h.account('fund');
    const external = h.ledger.totals().netExternalCash;
    // A resting buy of 50 lots at 100 ticks holds 5 000 of its 10 000 (one minor unit per tick·lot here).
    fund.at(0, transfer(1, 2_500)).at(10, limit('buy', 100, 50)).at(20, transfer(2, -7_000)).at(30, transfer(3, -6_000)).at(40, transfer(4, 0));
    h.run();
    const reports = fund.received.map((r) => r.message).filter((m): m is CashTransferred => m.type === 'CashTransferred');
    expect(reports.map((r) => [r.transferId, r.booked, r.amount])).toEqual([
      [1, true, 2_500],
      [2, true, -7_000],
      [3, false, 0], // 5 500 left, 5 000 of it held for the order: 6 000 cannot go
      [4, false, 0],
    ]);
    expect(h.ledger.cash(account)).toBe(10_000 + 2_500 - 7_000);
    expect(h.ledger.totals().netExternalCash).toBe(external + 2_500 - 7_000);
  });
});
