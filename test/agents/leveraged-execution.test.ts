/**
 * The leveraged traders' targets and how they reach them (issue 12, item 4):
 * the TFG demand, the trend follower's scaled leverage, trades worked as
 * limit-protected parent orders and re-targeted, retail stops executed at
 * the book's prices.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeveragedValueFund, valueFundDemand, type LeveragedValueFundOptions } from '../../src/agents/leveraged-value-fund.js';
import { trendLeverage } from '../../src/agents/leveraged-trend-follower.js';
import { RetailLeveragedTrader } from '../../src/agents/retail-leveraged-trader.js';
import { TargetExecution } from '../../src/agents/target-execution.js';
import { AaveLiquidation } from '../../src/credit/aave-liquidation.js';
import { CreditMarket } from '../../src/credit/credit-market.js';
import { Kernel } from '../../src/engine/kernel.js';
import { ConstantLatency } from '../../src/engine/latency-model.js';
import { Exchange } from '../../src/market/exchange.js';
import { ZeroFees } from '../../src/market/fee-model.js';
import { makeInstrument } from '../../src/market/instrument.js';
import { Ledger } from '../../src/market/ledger.js';
import type { PlaceOrder } from '../../src/market/order-messages.js';
import { Actor, UNIT_INSTRUMENT } from '../helpers/credit-harness.js';
import { FakeCreditVenue } from './fake-credit-venue.js';

const SECOND = 1_000_000;

describe('valueFundDemand (Thurner, Farmer & Geanakoplos 2012)', () => {
  it('should be β·m·W/p below the cap, λ_max·W/p above it, and 0 for m ≤ 0', () => {
    // m = (1000 − 990)/1000 = 0.01; β·m = 0.5 < λ_max = 5.
    expect(valueFundDemand(1000, 990, 50, 5, 99_000, 1)).toBeCloseTo((0.5 * 99_000) / 990, 9);
    // β·m = 10 > λ_max = 5: capped.
    expect(valueFundDemand(1000, 990, 1000, 5, 99_000, 1)).toBeCloseTo((5 * 99_000) / 990, 9);
    expect(valueFundDemand(1000, 1000, 50, 5, 99_000, 1)).toBe(0);
    expect(valueFundDemand(1000, 1010, 50, 5, 99_000, 1)).toBe(0);
    expect(valueFundDemand(1000, 990, 50, 5, 0, 1)).toBe(0);
  });

  it('should be proportional to β·m until the cap, never above λ_max·W/p, and zero without mispricing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 100_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 100 }),
        (v, p, beta, lambdaMax, w, mpt) => {
          const d = valueFundDemand(v, p, beta, lambdaMax, w, mpt);
          const m = (v - p) / v;
          if (m <= 0) return d === 0;
          const cap = (lambdaMax * w) / (p * mpt);
          const proportional = (beta * m * w) / (p * mpt);
          return d <= cap * (1 + 1e-12) && Math.abs(d - Math.min(proportional, cap)) <= 1e-9 * Math.max(1, cap);
        },
      ),
    );
  });
});

describe('trendLeverage', () => {
  it('should be monotone in the signal, bounded by the target leverage, and 0 without an up-trend', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), (a, b, max, scale) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const l = trendLeverage(lo, max, scale);
        const h = trendLeverage(hi, max, scale);
        return l <= h && l >= 0 && h <= max && (lo > 0 || l === 0);
      }),
    );
    // Strength matters: a weak trend takes a small position, a strong one nearly the target.
    expect(trendLeverage(0.1, 3, 1)).toBeCloseTo(3 * Math.tanh(0.1), 12);
    expect(trendLeverage(0.1, 3, 1)).toBeLessThan(0.31);
    expect(trendLeverage(4, 3, 1)).toBeGreaterThan(2.99);
  });
});

describe('TargetExecution', () => {
  const ex = new TargetExecution({ execution: 'twap', maxSlippage: 0.01, retargetThreshold: 0.25 }, 2);

  it('should protect a buy at mid·(1 + s), capped, and a sell at mid·(1 − s)', () => {
    expect(ex.limitFor('buy', 1000)).toBe(1010);
    expect(ex.limitFor('buy', 1000, 1005.7)).toBe(1005);
    expect(ex.limitFor('sell', 1000)).toBe(990);
    expect(ex.limitFor('sell', 0.5)).toBe(1);
  });

  it('should re-target when the target passes the position or moves by more than the threshold in leverage', () => {
    ex.target = 500;
    // Buying from 100 toward 500, equity 200 lots: 0.25 leverage = 50 lots.
    expect(ex.retarget('buy', 540, 100, 200)).toBe(false);
    expect(ex.retarget('buy', 560, 100, 200)).toBe(true);
    expect(ex.retarget('buy', 440, 100, 200)).toBe(true);
    expect(ex.retarget('buy', 90, 100, 200)).toBe(true); // flipped: now it should sell
    ex.target = 50;
    expect(ex.retarget('sell', 60, 100, 200)).toBe(false);
    expect(ex.retarget('sell', 120, 100, 200)).toBe(true); // flipped: now it should buy
  });
});

function fundSetup(options: Partial<LeveragedValueFundOptions> = {}) {
  const kernel = new Kernel({ seed: 1, latency: { delay: () => 100 } });
  const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000, haircut: 0.2, maintenanceHaircut: 0.15 }));
  const terms = { initialHaircut: () => venue.haircut, maintenanceHaircut: () => venue.maintenanceHaircut };
  const world = { value: 2000 };
  const fund = kernel.register(
    new LeveragedValueFund('fund', {
      exchange: venue.id,
      credit: venue.id,
      lender: venue.id,
      instrument: 0,
      initialCash: 100_000,
      fundamental: { valueAt: () => world.value },
      terms,
      beta: 100,
      intervalUs: 10 * SECOND,
      execution: 'twap',
      executionSlices: 5,
      executionIntervalUs: SECOND,
      maxSlippage: 0.01,
      ...options,
    }),
  );
  venue.deposit(fund.id, 100_000);
  const orders = () => venue.received.filter((r) => r.from === fund.id && r.message.type === 'PlaceOrder').map((r) => ({ time: r.time, order: r.message as PlaceOrder }));
  return { kernel, venue, fund, world, orders };
}

describe('a leveraged fund working its trades through a schedule', () => {
  it('should buy in IOC children one slice apart that sum to the parent, none beyond its slice or the limit', () => {
    const { kernel, venue, fund, orders } = fundSetup();
    kernel.runUntil(14 * SECOND + 500_000);
    // The first parent (decision at 10 s): what the cash pays at the limit ⌈1000·1.01⌉ = 1010, fee allowance included.
    const parent = Math.floor(100_000 / (1010 * 1.001 + 2));
    const children = orders();
    expect(children).toHaveLength(5);
    expect(children.reduce((s, c) => s + c.order.qty, 0)).toBe(parent);
    for (const c of children) {
      expect(c.order.orderType).toBe('limit-ioc');
      expect(c.order.side).toBe('buy');
      expect(c.order.qty).toBeLessThanOrEqual(Math.ceil(parent / 5));
      expect(c.order.price).toBeLessThanOrEqual(1010);
    }
    // The first child is priced on the decision's own snapshot; each later slice asks the venue
    // for the book, whose answer takes the 200 µs round trip, then the children are 1 s apart.
    expect(children[1]!.time - children[0]!.time).toBe(SECOND + 200);
    for (let i = 2; i < children.length; i++) expect(children[i]!.time - children[i - 1]!.time).toBe(SECOND);
    // The loop goes on parent after parent: nothing is ever sent as one block.
    kernel.runUntil(120 * SECOND);
    expect(fund.counts.parents).toBeGreaterThan(3);
    expect(Math.max(...orders().map((o) => o.order.qty))).toBeLessThanOrEqual(Math.ceil(parent / 5));
    expect(venue.debtOf(fund.id)).toBeGreaterThan(0);
  });

  it('should send no child while the touch is beyond the limit, let the parent expire, and re-plan at the new prices', () => {
    const { kernel, venue, fund, orders } = fundSetup();
    kernel.runUntil(10 * SECOND + 500_000); // first decision at 10 s; the first child went out
    expect(orders()).toHaveLength(1);
    venue.mid = 1020; // ask 1021 > limit 1010
    kernel.runUntil(15 * SECOND); // the parent's slices: 10 s … 14 s
    expect(orders()).toHaveLength(1);
    expect(fund.parentState).toBe('working');
    kernel.runUntil(15 * SECOND + 400); // closed at 15 s + latency, shortfall left to the next parent
    expect(fund.counts.parents).toBe(2);
    kernel.runUntil(16 * SECOND);
    const next = orders().slice(1);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((o) => o.order.price > 1010 && o.order.price <= Math.ceil(1020 * 1.01))).toBe(true);
  });

  it('should cancel the parent when the target flips, and then sell gradually instead of buying on', () => {
    const { kernel, world, fund, venue, orders } = fundSetup({ intervalUs: 3 * SECOND, executionSlices: 10 });
    kernel.runUntil(4 * SECOND + 500_000); // decision at 3 s; children at 3 s and 4 s
    const bought = venue.account(fund.id).position;
    expect(bought).toBeGreaterThan(0);
    expect(fund.parentState).toBe('working');
    world.value = 900; // p > V: the TFG demand is 0
    kernel.runUntil(6 * SECOND + 500_000); // decision at 6 s
    expect(fund.counts.retargets).toBe(1);
    // A child already in flight at the decision may still buy; after it, only sales.
    const firstSell = orders().findIndex((o) => o.order.side === 'sell');
    expect(firstSell).toBeGreaterThan(0);
    expect(orders().slice(firstSell).every((o) => o.order.side === 'sell')).toBe(true);
    expect(orders().filter((o) => o.order.side === 'buy' && o.time > 6 * SECOND + 500_000)).toHaveLength(0);
    kernel.runUntil(30 * SECOND);
    expect(venue.account(fund.id).position).toBe(0);
    const sells = orders().filter((o) => o.order.side === 'sell');
    expect(sells.length).toBeGreaterThan(1); // worked in slices, not dumped
    expect(Math.max(...sells.map((o) => o.order.qty))).toBeLessThan(bought);
  });

  it('should keep the parent when the target moves by less than the threshold', () => {
    const { kernel, world, fund } = fundSetup({ intervalUs: 3 * SECOND, executionSlices: 10, retargetThreshold: 0.5 });
    kernel.runUntil(4 * SECOND);
    world.value = 1990; // target leverage min(100·m, λ_max) stays at λ_max
    kernel.runUntil(9 * SECOND + 500_000);
    expect(fund.counts.retargets).toBe(0);
  });

  it('should pay no more than its estimate of value for a buy', () => {
    const { kernel, world, orders } = fundSetup({ maxSlippage: 0.5 });
    world.value = 1002; // ask 1001, limit min(⌈1500⌉, 1002)
    kernel.runUntil(20 * SECOND);
    expect(orders().length).toBeGreaterThan(0);
    expect(orders().every((o) => o.order.price <= 1002)).toBe(true);
  });
});

describe('a retail stop-loss', () => {
  it('should be executed at the prices the book gives, beyond the stop when the book has moved past it', () => {
    const instrument = makeInstrument(0, UNIT_INSTRUMENT);
    const kernel = new Kernel({ seed: 3, latency: new ConstantLatency(100) });
    const ledger = new Ledger({ instruments: 1 });
    const feeAccount = ledger.openAccount('exchange/fees');
    const exchange = kernel.register(new Exchange('exchange', { instruments: [instrument], ledger, fees: ZeroFees, feeAccount }));
    const credit = kernel.register(new CreditMarket('credit', { exchange, ledger, policy: new AaveLiquidation({}), accrualIntervalUs: 0 }));
    const mm = kernel.register(new Actor('mm'));
    const mmAccount = ledger.openAccount('mm');
    ledger.deposit(mmAccount, 1e10);
    ledger.issue(mmAccount, 0, 10_000);
    exchange.bindAccount(mm.id, mmAccount);
    const flow = kernel.register(new Actor('flow'));
    const flowAccount = ledger.openAccount('flow');
    ledger.issue(flowAccount, 0, 10);
    exchange.bindAccount(flow.id, flowAccount);
    const retail = kernel.register(
      new RetailLeveragedTrader('retail', {
        exchange: exchange.id,
        credit: credit.id,
        lender: mm.id,
        instrument: 0,
        initialCash: 1_000_000,
        meanEntryIntervalUs: SECOND,
        endUs: 15 * SECOND, // one round trip: no entry after the exit
        checkIntervalUs: SECOND,
        targetLeverage: 1, // cash only: the exit is one sale
        stopLoss: 0.05,
        takeProfit: 0.5,
      }),
    );
    const account = ledger.openAccount('retail');
    ledger.deposit(account, 1_000_000);
    exchange.bindAccount(retail.id, account);
    credit.bindAccount(retail.id, account);
    const place = (side: 'buy' | 'sell', price: number, qty: number) => mm.at(kernel.now, () => exchange.id, { type: 'PlaceOrder', instrument: 0, clientOrderId: 0, side, orderType: 'limit', price, qty });
    kernel.start();
    place('buy', 9999, 1000);
    place('sell', 10_001, 1000);
    kernel.run({ until: 20 * SECOND });
    expect(retail.phase).toBe('holding');
    expect(retail.position).toBe(99); // ⌊1 000 000 / (10 001 · 1.001 + 2)⌋
    // The book gaps down past the stop (9500): the bids left are at 9000 and 8990.
    for (const orderId of [...mm.resting]) mm.at(kernel.now, () => exchange.id, { type: 'CancelOrder', instrument: 0, orderId });
    place('buy', 9000, 50);
    place('buy', 8990, 1000);
    place('sell', 9010, 1000);
    // The stop is elected by a print at or below it, as a venue's stop order is: someone sells 1 lot at 9000.
    flow.at(kernel.now, () => exchange.id, { type: 'PlaceOrder', instrument: 0, clientOrderId: 1, side: 'sell', orderType: 'market', price: 0, qty: 1 });
    kernel.run({ until: 30 * SECOND });
    expect(retail.phase).toBe('flat');
    expect(retail.position).toBe(0);
    expect(retail.exitTriggerPrice).toBe(9000);
    expect(retail.exitSoldQty).toBe(99);
    // Not teleported to the stop price: the 49 lots left at 9000, then 50 at 8990.
    expect(retail.exitAveragePrice).toBeCloseTo((49 * 9000 + 50 * 8990) / 99, 9);
    expect(retail.exitAveragePrice).toBeLessThan(9500);
    expect(ledger.cash(account)).toBe(1_000_000 - 99 * 10_001 + 49 * 9000 + 50 * 8990);
  });
});
