import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { almgrenChrissDue, twapDue } from '../../../src/agents/execution/schedule-sizes.js';
import type { ExecutionPlan } from '../../../src/agents/execution/execution-plan.js';
import { ParentOrderExecutor } from '../../../src/agents/execution/parent-order-executor.js';
import type { TrackedOrder } from '../../../src/agents/order-tracker.js';
import { TradingAgent } from '../../../src/agents/trading-agent.js';
import { ConstantLatency } from '../../../src/engine/latency-model.js';
import type { Micros } from '../../../src/engine/time.js';
import type { MarketSnapshot } from '../../../src/market/market-data.js';
import type { OrderType } from '../../../src/market/order-book-api.js';
import type { OrderFilled } from '../../../src/market/order-messages.js';
import type { Side } from '../../../src/market/side.js';
import { buildHarness, DEFAULT_INSTRUMENT, limit, place, type Harness } from '../../helpers/exchange-harness.js';

const SECOND = 1_000_000;
const EXEC_TAG = 7;
const CANCEL_TAG = 8;

/** A trading agent that owns one executor and records what it sends and gets. */
class ExecutingAgent extends TradingAgent {
  readonly exec: ParentOrderExecutor;
  readonly children: { time: Micros; side: Side; price: number; qty: number; orderType: string }[] = [];
  readonly fills: OrderFilled[] = [];
  /** Per child: the market volume the POV slice observed before it. */
  readonly observed: number[] = [];
  cancels = 0;
  queries = 0;
  private lastVolume = -1;
  private cancelAtUs = -1;

  constructor(name: string, exchange: number, lots: number) {
    super(name, { exchange, instrument: 0, initialPosition: lots, initialCash: 1e12, minorPerTickLot: 10 });
    this.exec = new ParentOrderExecutor(this.childOrderPort(), EXEC_TAG);
  }

  cancelParentAt(time: Micros): void {
    this.cancelAtUs = time;
    this.kernel.wakeAt(this.id, time, CANCEL_TAG);
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag === EXEC_TAG) this.exec.onWakeup(now);
    else if (tag === CANCEL_TAG && now === this.cancelAtUs) this.exec.cancel();
  }

  protected override onSnapshot(now: Micros, s: MarketSnapshot): void {
    const before = this.exec.childrenSent;
    const observed = this.lastVolume < 0 ? 0 : s.volume - this.lastVolume;
    this.lastVolume = s.volume;
    this.exec.onSnapshot(now, s);
    if (this.exec.childrenSent > before) this.observed.push(observed);
  }

  protected override onFilled(_now: Micros, fill: OrderFilled): void {
    this.fills.push(fill);
    this.exec.onFill(fill);
  }

  protected override placeLimit(side: Side, price: number, qty: number, orderType: Exclude<OrderType, 'market'> = 'limit'): TrackedOrder {
    this.children.push({ time: this.kernel.now, side, price, qty, orderType });
    return super.placeLimit(side, price, qty, orderType);
  }

  protected override cancel(order: TrackedOrder): void {
    this.cancels++;
    super.cancel(order);
  }

  protected override queryMarket(): void {
    this.queries++;
    super.queryMarket();
  }
}

function plan(over: Partial<ExecutionPlan>): ExecutionPlan {
  return {
    side: 'sell',
    qty: 500,
    startUs: 0,
    endUs: 10 * SECOND,
    limitPrice: 1,
    crossTicks: 10,
    schedule: 'twap',
    slices: 5,
    intervalUs: SECOND,
    participationRate: 0.1,
    minChildQty: 1,
    completeAtDeadline: false,
    kappaTau: 0,
    ...over,
  };
}

/** An exchange with a `maker` (deep pockets) and a `flow` client, and the executing agent holding `lots`. */
function setup(lots: number, latencyUs = 0): { h: Harness; agent: ExecutingAgent } {
  const h = buildHarness({
    instruments: [{ ...DEFAULT_INSTRUMENT, maxOrderQty: 10_000_000 }],
    latency: new ConstantLatency(latencyUs),
    clients: [
      { name: 'maker', cash: 1e15, lots: [10_000_000] },
      { name: 'flow', cash: 1e15, lots: [10_000_000] },
    ],
  });
  const agent = h.kernel.register(new ExecutingAgent('executor', h.exchange.id, lots));
  const account = h.ledger.openAccount('executor');
  h.exchange.bindAccount(agent.id, account);
  if (lots > 0 && h.ledger.issue(account, 0, lots) !== 'OK') throw new Error('issue refused');
  if (h.ledger.deposit(account, 1e12) !== 'OK') throw new Error('deposit refused');
  return { h, agent };
}

function start(h: Harness, agent: ExecutingAgent, p: ExecutionPlan): void {
  agent.exec.start(h.kernel.now, p);
}

describe('ParentOrderExecutor on a real book', () => {
  it('should send children whose sizes are the schedule and sum to the parent (random parents)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<'twap' | 'almgren-chriss'>('twap', 'almgren-chriss'),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (qty, slices, schedule, kappaTau) => {
          const { h, agent } = setup(qty);
          h.client('maker').at(0, limit('buy', 100, 1_000_000));
          h.run(1);
          start(h, agent, plan({ qty, slices, schedule, kappaTau, startUs: 1, endUs: 1 + slices * SECOND, limitPrice: 90 }));
          h.run();
          const due = (k: number): number => (schedule === 'twap' ? twapDue(qty, slices, k) : almgrenChrissDue(qty, slices, kappaTau, k));
          const expected: number[] = [];
          for (let k = 0, prev = 0; k < slices; prev = due(k), k++) if (due(k) - prev > 0) expected.push(due(k) - prev);
          expect(agent.children.map((c) => c.qty)).toEqual(expected);
          expect(agent.children.every((c) => c.orderType === 'limit-ioc')).toBe(true);
          expect(agent.exec.filledQty).toBe(qty);
          expect(agent.exec.state).toBe('done');
          expect(agent.position).toBe(0);
          expect(agent.exec.averagePrice).toBe(100);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('should never fill beyond the limit and carry unfilled lots to the next slice', () => {
    const { h, agent } = setup(500);
    const maker = h.client('maker');
    maker.at(0, limit('buy', 100, 60)).at(0, limit('buy', 97, 1000));
    // More bids at 99 arrive between slices 0 and 1.
    maker.at(SECOND / 2, limit('buy', 99, 140));
    h.run(1);
    start(h, agent, plan({ qty: 500, slices: 5, startUs: 1, endUs: 6 * SECOND, limitPrice: 98, crossTicks: 10 }));
    h.run();
    // Slice 0: 100 due, priced max(98, 100 − 10): 60 fill at 100, 40 are left by the IOC.
    // Slice 1: 200 due − 60 filled = 140, all at 99. Later slices: the bid (97) is below the limit, no child.
    expect(agent.children.map((c) => [c.qty, c.price])).toEqual([
      [100, 98],
      [140, 98],
    ]);
    expect(agent.fills.every((f) => f.price >= 98)).toBe(true);
    expect(agent.exec.filledQty).toBe(200);
    expect(agent.exec.remainingQty).toBe(300);
    expect(agent.exec.averagePrice).toBeCloseTo((60 * 100 + 140 * 99) / 200, 12);
    expect(agent.exec.state).toBe('expired');
    expect(agent.tracker.openCount).toBe(0);
  });

  it('should protect buys too: nothing bought above the limit', () => {
    const { h, agent } = setup(0);
    h.client('maker').at(0, limit('sell', 101, 30)).at(0, limit('sell', 103, 1000));
    h.run(1);
    start(h, agent, plan({ side: 'buy', qty: 90, slices: 3, startUs: 1, endUs: 3 * SECOND, limitPrice: 102, crossTicks: 5 }));
    h.run();
    expect(agent.children.map((c) => [c.qty, c.price])).toEqual([[30, 102]]);
    expect(agent.fills.every((f) => f.price <= 102)).toBe(true);
    expect(agent.position).toBe(30);
  });

  it('should stop the schedule and cancel the child in flight when the parent is cancelled', () => {
    const { h, agent } = setup(1000, 1000);
    const maker = h.client('maker');
    maker.at(0, limit('buy', 100, 1_000_000));
    h.run(1010); // the maker's bid has reached the book
    start(h, agent, plan({ qty: 1000, slices: 10, startUs: 1010, endUs: 20 * SECOND, limitPrice: 50 }));
    // Slice 1 at 1 s + 1010 µs: the book is read at once, the child sent then and reaching the venue 1 ms later.
    agent.cancelParentAt(SECOND + 1010 + 500);
    h.run();
    expect(agent.exec.state).toBe('cancelled');
    expect(agent.children).toHaveLength(2);
    expect(agent.cancels).toBe(1);
    expect(agent.queries).toBe(2);
    expect(agent.exec.filledQty).toBe(200); // the in-flight IOC still traded: the cancel came too late
    expect(agent.children.every((c) => c.time < SECOND + 1010 + 500)).toBe(true);
    expect(h.kernel.now).toBeLessThan(2 * SECOND); // nothing left scheduled
    expect(agent.tracker.openCount).toBe(0);
  });

  it('should cancel before the next slice and send nothing more', () => {
    const { h, agent } = setup(1000);
    h.client('maker').at(0, limit('buy', 100, 1_000_000));
    h.run(1);
    start(h, agent, plan({ qty: 1000, slices: 4, schedule: 'almgren-chriss', kappaTau: 0.5, startUs: 1, endUs: 4 * SECOND, limitPrice: 50 }));
    agent.cancelParentAt(SECOND / 2);
    h.run();
    expect(agent.children).toHaveLength(1);
    expect(agent.exec.state).toBe('cancelled');
    expect(h.kernel.now).toBe(SECOND / 2);
    // The executor can be reused for the next parent.
    start(h, agent, plan({ qty: 100, slices: 2, startUs: SECOND, endUs: 3 * SECOND, limitPrice: 50 }));
    h.run();
    expect(agent.exec.state).toBe('done');
    expect(agent.exec.filledQty).toBe(100);
  });

  it('should price the first slice on a snapshot the owner holds, without waking up or asking again', () => {
    const { h, agent } = setup(1000);
    h.client('maker').at(0, limit('buy', 100, 1_000_000));
    h.run(SECOND);
    const queries = agent.queries;
    const s = h.exchange.snapshotNow(0, 0);
    agent.exec.start(h.kernel.now, plan({ qty: 400, slices: 4, startUs: SECOND, endUs: 5 * SECOND, limitPrice: 50 }), true);
    expect(agent.children).toHaveLength(0);
    agent.exec.onSnapshot(h.kernel.now, s);
    // Slice 0 went out now, on the snapshot in hand; slices 1–3 each ask for the book a second apart.
    expect(agent.children.map((c) => [c.time, c.qty])).toEqual([[SECOND, 100]]);
    h.run();
    expect(agent.children.map((c) => c.time)).toEqual([SECOND, 2 * SECOND, 3 * SECOND, 4 * SECOND]);
    expect(agent.queries - queries).toBe(3);
    expect(agent.exec.state).toBe('done');
    // A plan that starts later ignores the promise and wakes up at its start.
    agent.exec.start(h.kernel.now, plan({ qty: 100, slices: 1, startUs: h.kernel.now + SECOND, endUs: h.kernel.now + 2 * SECOND, limitPrice: 50 }), true);
    expect(agent.exec.onSnapshot(h.kernel.now, s)).toBe(false);
    h.run();
    expect(agent.children).toHaveLength(5);
    expect(agent.exec.filledQty).toBe(100);
  });

  it('POV should never exceed its cap of the volume observed in the previous interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 3, maxLength: 12 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (flows, rate) => {
          const { h, agent } = setup(1_000_000);
          const maker = h.client('maker');
          maker.at(0, limit('buy', 100, 5_000_000)).at(0, limit('sell', 101, 5_000_000));
          // Others' market buys between observations.
          flows.forEach((q, i) => {
            if (q > 0) h.client('flow').at(i * SECOND + SECOND / 2, place('buy', 'market', 0, q));
          });
          h.run(1);
          const slices = flows.length + 1;
          start(h, agent, plan({ qty: 1_000_000, schedule: 'pov', participationRate: rate, slices, startUs: 1, endUs: slices * SECOND, limitPrice: 90 }));
          h.run();
          expect(agent.children.length).toBe(agent.observed.length);
          agent.children.forEach((c, i) => {
            expect(c.qty).toBeLessThanOrEqual(Math.floor(rate * (agent.observed[i] as number) + 1e-9));
          });
          expect(agent.exec.filledQty).toBe(agent.children.reduce((a, c) => a + c.qty, 0));
          expect(agent.exec.state).toBe('expired');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('POV should sell the rest at its completion deadline when told to', () => {
    const { h, agent } = setup(1000);
    h.client('maker').at(0, limit('buy', 100, 100_000)).at(0, limit('sell', 101, 100_000));
    h.client('flow').at(SECOND / 2, place('buy', 'market', 0, 2_000));
    h.run(1);
    start(h, agent, plan({ qty: 1000, schedule: 'pov', participationRate: 0.1, slices: 3, startUs: 1, endUs: 3 * SECOND, limitPrice: 90, completeAtDeadline: true }));
    h.run();
    // Observation 0: baseline. 1: 10 % of 2 000 = 200. 2 (the deadline): the 800 left.
    expect(agent.children.map((c) => c.qty)).toEqual([200, 800]);
    expect(agent.exec.state).toBe('done');
  });

  it('should refuse an impossible plan', () => {
    const { h, agent } = setup(10);
    expect(() => start(h, agent, plan({ slices: 20, intervalUs: SECOND, endUs: 5 * SECOND }))).toThrow(/longer than the horizon/);
    expect(() => start(h, agent, plan({ schedule: 'pov', participationRate: 0 }))).toThrow(/participation rate/);
    expect(() => start(h, agent, plan({ qty: 0 }))).toThrow(/quantity/);
    expect(agent.exec.state).toBe('idle');
  });
});
