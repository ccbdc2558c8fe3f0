import { describe, expect, it } from 'vitest';
import { Liquidator } from '../../../src/agents/liquidator.js';
import { Kernel } from '../../../src/engine/kernel.js';
import { ConstantLatency } from '../../../src/engine/latency-model.js';
import type { SimEvent } from '../../../src/engine/sim-event.js';
import { reconstructCascades } from '../../../src/experiment/run/cascade-reconstruction.js';
import type { CascadeTable } from '../../../src/stats/output-tables.js';
import { LiquidationLog } from '../../../src/experiment/run/liquidation-log.js';
import { TradeLog } from '../../../src/experiment/run/trade-log.js';
import { AaveLiquidation } from '../../../src/credit/aave-liquidation.js';
import type { PositionLiquidated } from '../../../src/credit/credit-events.js';
import { CreditMarket } from '../../../src/credit/credit-market.js';
import { Exchange } from '../../../src/market/exchange.js';
import { ZeroFees } from '../../../src/market/fee-model.js';
import { makeInstrument } from '../../../src/market/instrument.js';
import { Ledger } from '../../../src/market/ledger.js';
import type { OrderCommand } from '../../../src/market/order-messages.js';
import { Actor, UNIT_INSTRUMENT, leg, requestLoan, terms } from '../../helpers/credit-harness.js';

/**
 * One small, fully scripted cascade, checked event by event (issue: "one
 * small deterministic scenario whose cascade tree is checked event by
 * event"). Real Kernel, Ledger, Exchange, CreditMarket (Aave policy) and
 * Liquidator; everything else is scripted. Latency is a constant 10 µs, so
 * every time below is exact.
 *
 * Units: one instrument, 1 minor unit per tick·lot (m = 1), so a lot at a
 * mark of P ticks is worth P minor units. Terms: h = h_m = 20 %, rate 0,
 * Aave bonus b = 5 %, close factor 50 % (100 % below HF 0.95).
 *
 * Book: mm asks 1000 lots at 1010 (never touched) and bids the levels given
 * below; the mark is the mid (bid + 1010) / 2.
 *
 * A borrower pledging q = 100 lots with debt D is unhealthy when
 * q · mark · 0.8 < D, i.e. below the trigger mark D / 80:
 *   B1: D = 80 160 → trigger 1002;  B2: D = 79 600 → trigger 995;  B3: D = 78 800 → trigger 985.
 * All are granted at the initial mark 1005 (capacity 100 · 1005 · 0.8 = 80 400 ≥ D).
 */

const LATENCY = 10;
const ASK = 1010;
/** The cascade book: thin levels, 10 + 40 + 40 + 40 lots above a deep 900. */
const THIN: readonly [number, number][] = [
  [1000, 10],
  [990, 40],
  [970, 40],
  [950, 40],
  [900, 1000],
];


interface WorldOptions {
  readonly bids: readonly [number, number][];
  /** Debts of B1, B2, … (each pledges 100 lots). */
  readonly debts: readonly number[];
  /** Lots the exogenous seller S market-sells at t = 1000. */
  readonly exogenousQty: number;
  /** The liquidator's `sliceIntervalUs` (default: its own, 1 s). */
  readonly sliceIntervalUs?: number;
}

function world(o: WorldOptions) {
  const instruments = [makeInstrument(0, UNIT_INSTRUMENT)];
  const kernel = new Kernel({ seed: 1, latency: new ConstantLatency(LATENCY), causeWindow: Number.POSITIVE_INFINITY });
  // Recorded exactly as a run records them: subscribed before anything happens.
  const liquidationLog = new LiquidationLog(kernel);
  const tradeLog = new TradeLog(kernel);
  const events: SimEvent[] = [];
  kernel.events$.subscribe((e) => events.push(e));

  const ledger = new Ledger({ instruments: 1 });
  const feeAccount = ledger.openAccount('exchange/fees', { cashFloor: -1_000_000_000 });
  const exchange = kernel.register(new Exchange('exchange', { instruments, ledger, fees: ZeroFees, feeAccount }));
  const credit = kernel.register(new CreditMarket('credit', { exchange, ledger, policy: new AaveLiquidation({ bonus: 0.05 }), accrualIntervalUs: 0 }));
  const fund = (agent: { id: number; name: string }, cash: number, lots: number): void => {
    const account = ledger.openAccount(agent.name);
    exchange.bindAccount(agent.id, account);
    if (cash > 0) expect(ledger.deposit(account, cash)).toBe('OK');
    if (lots > 0) expect(ledger.issue(account, 0, lots)).toBe('OK');
  };
  const mm = kernel.register(new Actor('mm'));
  fund(mm, 1_000_000_000, 10_000);
  const L = kernel.register(new Actor('L'));
  fund(L, 1_000_000, 0);
  const S = kernel.register(new Actor('S'));
  fund(S, 0, 1_000);
  const borrowers = o.debts.map((_, i) => {
    const b = kernel.register(new Actor(`B${i + 1}`));
    fund(b, 0, 100);
    return b;
  });
  const liq = kernel.register(
    new Liquidator('liq', { credit: credit.id, exchange: exchange.id, initialCash: LIQ_CASH, ...(o.sliceIntervalUs !== undefined ? { sliceIntervalUs: o.sliceIntervalUs } : {}) }),
  );
  fund(liq, LIQ_CASH, 0);
  credit.registerLender(L.id);

  // Labels every delivery by id ("time from→to type"), to read causal chains event by event.
  const label = new Map<number, string>();
  for (let id = 0; id < kernel.agentCount; id++) {
    const agent = kernel.agent(id);
    const onMessage = agent.onMessage.bind(agent);
    const onWakeup = agent.onWakeup.bind(agent);
    agent.onMessage = (now, message, from) => {
      label.set(kernel.currentId, `${now} ${kernel.agent(from).name}→${agent.name} ${message.type}`);
      onMessage(now, message, from);
    };
    agent.onWakeup = (now, tag) => {
      label.set(kernel.currentId, `${now} wake ${agent.name}`);
      onWakeup(now, tag);
    };
  }
  const chain = (id: number): string[] => kernel.causalChain(id).map((c) => label.get(c) ?? `?${c}`);

  const toExchange = () => exchange.id;
  const toCredit = () => credit.id;
  const order = (side: 'buy' | 'sell', orderType: 'limit' | 'market', price: number, qty: number): OrderCommand => ({
    type: 'PlaceOrder',
    instrument: 0,
    clientOrderId: 0,
    side,
    orderType,
    price,
    qty,
  });
  // t = 0: the book; t = 100: terms; t = 200 + i: the loans; t = 1000: the exogenous sale.
  mm.at(0, toExchange, order('sell', 'limit', ASK, 1_000));
  for (const [price, qty] of o.bids) mm.at(0, toExchange, order('buy', 'limit', price, qty));
  L.at(100, toCredit, terms(0.2, 0.2));
  borrowers.forEach((b, i) => b.at(200 + i, toCredit, requestLoan(L.id, o.debts[i] as number, [leg(100)])));
  S.at(1_000, toExchange, order('sell', 'market', 0, o.exogenousQty));

  kernel.runUntil(999);
  // Before the shock: every loan granted, healthy, at the mark (bid + ask) / 2 = (1000 + 1010) / 2.
  expect(credit.mark(0)).toBe(1005);
  borrowers.forEach((b, i) => expect(credit.loan(i + 1)).toMatchObject({ borrower: b.id, debt: o.debts[i], unhealthy: false }));
  expect(liquidationLog.table.loanId).toEqual([]);
  kernel.runUntil(5_000_000);

  const cascades: CascadeTable = reconstructCascades(liquidationLog.table, liquidationLog.deliveryId, (id) => kernel.causeOf(id), tradeLog.store, 'causes');
  // What a run reads instead of the full causal record: the marked lineage alone gives the same cascades.
  const copy = structuredClone(liquidationLog.table);
  const byLineage = reconstructCascades(copy, liquidationLog.deliveryId, (id) => kernel.markedAncestorOf(id), tradeLog.store);
  expect(byLineage).toEqual(cascades);
  expect(copy.cascadeId).toEqual(liquidationLog.table.cascadeId);
  const liquidations = events.filter((e): e is PositionLiquidated => e.type === 'PositionLiquidated');
  expect(credit.validateInvariants()).toEqual([]);
  return { kernel, exchange, credit, ledger, mm, L, S, borrowers, liq, liquidationLog, tradeLog, cascades, liquidations, label, chain };
}

const LIQ_CASH = 10_000_000;

/** Builds a world on first use (inside a test, so its set-up checks count as the test's). */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** Trades as [time, price, qty, seller] rows. */
function tradeRows(w: ReturnType<typeof world>): [number, number, number, number][] {
  const t = w.tradeLog.store.toTable();
  return t.timeUs.map((time, i) => [time, t.price[i] as number, t.qty[i] as number, t.seller[i] as number]);
}

describe('a scripted three-loan liquidation cascade', () => {
  // A fast liquidator (slice interval 30 µs): its look-again wake-up after a
  // sale (sale at 1040 → wake at 1070) has passed before the next
  // LoanLiquidated (1080), so each liquidation's lots are sold at once.
  const scenario = once(() => world({ bids: THIN, debts: [80_160, 79_600, 78_800], exogenousQty: 10, sliceIntervalUs: 30 }));

  it('should liquidate B1, then B2, then B3, each pushed under its trigger by the previous fire sale', () => {
    const w = scenario();
    const [B1, B2, B3] = w.borrowers.map((b) => b.id) as [number, number, number];
    const liq = w.liq.id;
    const [d1, d2, d3] = w.liquidationLog.deliveryId as [number, number, number];
    // t = 1010  S sells 10 at market: 10 @ 1000; best bid 990 → mark (990 + 1010)/2 = 1000 < 1002: B1 unhealthy.
    // t = 1020  liq told LoanLiquidatable; t = 1030 its LiquidateLoan executes:
    //   L1: HF = 100·1000·0.8 / 80 160 = 80 000 / 80 160 = 0.998 ≥ 0.95 → close factor 50 %: cap ⌈80 160/2⌉ = 40 080;
    //       lots ⌊40 080 · 1.05 / 1000⌋ = ⌊42.08⌋ = 42; repaid ⌈42 · 1000 / 1.05⌉ = 40 000; left 58 lots, debt 40 160.
    // t = 1050  liq sells 42 at market: 40 @ 990, 2 @ 970; best bid 970 → mark 990 < 995: B2 unhealthy.
    // t = 1070  L2: HF = 79 200 / 79 600 = 0.995 → cap 39 800; lots ⌊39 800 · 1.05 / 990⌋ = ⌊42.2⌋ = 42;
    //       repaid ⌈42 · 990 / 1.05⌉ = 39 600; left 58 lots, debt 40 000.
    // t = 1090  liq sells 42: 38 @ 970, 4 @ 950; best bid 950 → mark 980 < 985: B3 unhealthy.
    // t = 1110  L3: HF = 78 400 / 78 800 = 0.995 → cap 39 400; lots ⌊39 400 · 1.05 / 980⌋ = ⌊42.2⌋ = 42;
    //       repaid ⌈42 · 980 / 1.05⌉ = 39 200; left 58 lots, debt 39 600.
    // t = 1130  liq sells 42: 36 @ 950, 6 @ 900; best bid 900 → mark 955. The loans' new triggers
    //       (40 160, 40 000, 39 600)/(58 · 0.8) = 865.5, 862.1, 853.4 are all below 955: the cascade stops.
    expect(w.liquidations.map((e) => ({ ...e }))).toEqual([
      expect.objectContaining({ time: 1030, loanId: 1, borrower: B1, lender: w.L.id, liquidator: liq, instrument: 0, qty: 42, protocolQty: 0, price: 1000, debtRepaid: 40_000, badDebt: 0, lvBefore: 80_000, debtBefore: 80_160, lvAfter: 46_400, debtAfter: 40_160, exhausted: false, deliveryId: d1, causeId: d1 }),
      expect.objectContaining({ time: 1070, loanId: 2, borrower: B2, lender: w.L.id, liquidator: liq, instrument: 0, qty: 42, protocolQty: 0, price: 990, debtRepaid: 39_600, badDebt: 0, lvBefore: 79_200, debtBefore: 79_600, lvAfter: 45_936, debtAfter: 40_000, exhausted: false, deliveryId: d2, causeId: d2 }),
      expect.objectContaining({ time: 1110, loanId: 3, borrower: B3, lender: w.L.id, liquidator: liq, instrument: 0, qty: 42, protocolQty: 0, price: 980, debtRepaid: 39_200, badDebt: 0, lvBefore: 78_400, debtBefore: 78_800, lvAfter: 45_472, debtAfter: 39_600, exhausted: false, deliveryId: d3, causeId: d3 }),
    ]);
    // The liquidation log holds the same rows, now with their cascade ids.
    expect(w.liquidationLog.table).toEqual({
      timeUs: [1030, 1070, 1110],
      loanId: [1, 2, 3],
      borrower: [B1, B2, B3],
      lender: [w.L.id, w.L.id, w.L.id],
      liquidator: [liq, liq, liq],
      instrument: [0, 0, 0],
      qty: [42, 42, 42],
      price: [1000, 990, 980],
      debtRepaid: [40_000, 39_600, 39_200],
      badDebt: [0, 0, 0],
      cascadeId: [1, 1, 1],
      causeId: [d1, d2, d3],
      // Each loan went under when a fire sale moved the mark.
      trigger: ['price', 'price', 'price'],
    });
    // Every trade: the exogenous sale, then the three fire sales, each one delivery after its LoanLiquidated.
    expect(tradeRows(w)).toEqual([
      [1010, 1000, 10, w.S.id],
      [1050, 990, 40, liq],
      [1050, 970, 2, liq],
      [1090, 970, 38, liq],
      [1090, 950, 4, liq],
      [1130, 950, 36, liq],
      [1130, 900, 6, liq],
    ]);
    expect(w.credit.mark(0)).toBe(955);
    expect([1, 2, 3].map((id) => w.credit.loan(id)).map((l) => ({ debt: l?.debt, qty: l?.qty[0], unhealthy: l?.unhealthy }))).toEqual([
      { debt: 40_160, qty: 58, unhealthy: false },
      { debt: 40_000, qty: 58, unhealthy: false },
      { debt: 39_600, qty: 58, unhealthy: false },
    ]);
    // The liquidator sold all it seized: cash 10 000 000 − 118 800 repaid + 121 800 proceeds
    // (40·990 + 2·970 + 38·970 + 4·950 + 36·950 + 6·900).
    expect(w.liq).toMatchObject({ wins: 3, losses: 0, attempts: 3, lotsSeized: 126, debtRepaid: 118_800, lotsSold: 126, cash: LIQ_CASH + 3_000 });
    expect(w.liq.inventory(0)).toBe(0);
    expect(w.ledger.cash(w.exchange.accountOf(liq))).toBe(LIQ_CASH + 3_000);
  });

  it('should chain each liquidation to the previous one through the liquidator’s sale', () => {
    const w = scenario();
    const [d1, d2, d3] = w.liquidationLog.deliveryId as [number, number, number];
    const chain1 = [
      '1020 credit→liq LoanLiquidatable', // sent inside the exchange's handling of S's order (mark listener)
      '1010 S→exchange PlaceOrder',
      '1000 wake S', // scripted before the start: a root
    ];
    expect(w.label.get(d1)).toBe('1030 liq→credit LiquidateLoan');
    expect(w.chain(d1)).toEqual(chain1);
    expect(w.kernel.causeOf(w.kernel.causalChain(d1).at(-1) as number)).toBe(0);

    expect(w.label.get(d2)).toBe('1070 liq→credit LiquidateLoan');
    const chain2 = w.kernel.causalChain(d2);
    expect(w.chain(d2)).toEqual([
      '1060 credit→liq LoanLiquidatable',
      '1050 liq→exchange PlaceOrder', // the fire sale of L1's 42 lots
      '1040 credit→liq LoanLiquidated',
      '1030 liq→credit LiquidateLoan', // = L1
      ...chain1,
    ]);
    expect(chain2[3]).toBe(d1);
    // The sale delivery is the cause of the liquidator's first trades.
    const t = w.tradeLog.store.toTable();
    expect(chain2[1]).toBe(t.causeId[1]);
    expect(t.causeId[2]).toBe(t.causeId[1]);
    expect(w.label.get(t.causeId[1] as number)).toBe('1050 liq→exchange PlaceOrder');

    expect(w.label.get(d3)).toBe('1110 liq→credit LiquidateLoan');
    const chain3 = w.kernel.causalChain(d3);
    expect(w.chain(d3)).toEqual([
      '1100 credit→liq LoanLiquidatable',
      '1090 liq→exchange PlaceOrder', // the fire sale of L2's 42 lots
      '1080 credit→liq LoanLiquidated',
      '1070 liq→credit LiquidateLoan', // = L2
      ...w.chain(d2),
    ]);
    expect(chain3[3]).toBe(d2);
    expect(chain3[1]).toBe(t.causeId[3]);
  });

  it('should reconstruct one cascade of depth 3', () => {
    const w = scenario();
    expect(w.liquidationLog.table.cascadeId).toEqual([1, 1, 1]);
    expect(w.cascades).toEqual({
      cascadeId: [1],
      startUs: [1030],
      endUs: [1110],
      liquidations: [3],
      depth: [3], // L1 → L2 → L3
      notional: [118_800], // Σ debtRepaid 40 000 + 39 600 + 39 200, no bad debt
      // Last trade before 1030: 1000 (S's sale); lowest trade the cascade caused: 900 (L3's fire sale at 1130) → 10 %.
      priceDropPct: [10],
    });
  });
});

describe('with the default 1 s slice interval', () => {
  // After the first sale the liquidator schedules a look-again wake-up one
  // slice interval later; L2's seizure must not wait for it. It cancels the
  // wake-up and sells at once, so the timings equal the short-interval case
  // and L2's sale is caused by L2 (regression: it used to wait for L1's
  // wake-up, selling at 1 001 050 and filing L3 under L1, depth 2).
  const scenario = once(() => world({ bids: THIN, debts: [80_160, 79_600, 78_800], exogenousQty: 10 }));

  it('should sell each seizure at once, not at a pending wake-up of an earlier one', () => {
    const w = scenario();
    expect(w.liquidationLog.table).toMatchObject({ timeUs: [1030, 1070, 1110], loanId: [1, 2, 3], qty: [42, 42, 42], price: [1000, 990, 980], debtRepaid: [40_000, 39_600, 39_200], cascadeId: [1, 1, 1] });
    expect(tradeRows(w).map((r) => r[0]).slice(0, 5)).toEqual([1010, 1050, 1050, 1090, 1090]);
  });

  it('should attribute L3 to L2 (the liquidation whose lots were sold)', () => {
    const w = scenario();
    const [d1, d2, d3] = w.liquidationLog.deliveryId as [number, number, number];
    expect(w.kernel.causalChain(d2)).toContain(d1);
    expect(w.kernel.causalChain(d3)).toContain(d2);
    expect(w.cascades.depth).toEqual([3]);
  });
});

describe('control cases', () => {
  it('should not liquidate B2 when deeper bids absorb the first fire sale', () => {
    // 1000 lots bid at 990: L1's 42 lots all sell at 990, the best bid stays 990, the mark stays 1000 ≥ 995.
    const w = world({ bids: [[1000, 10], [990, 1_000], [970, 40], [950, 40], [900, 1_000]], debts: [80_160, 79_600], exogenousQty: 10, sliceIntervalUs: 30 });
    const [B1, B2] = w.borrowers.map((b) => b.id) as [number, number];
    expect(w.liquidationLog.table).toMatchObject({ timeUs: [1030], loanId: [1], borrower: [B1], qty: [42], price: [1000], debtRepaid: [40_000], badDebt: [0], cascadeId: [1] });
    expect(tradeRows(w)).toEqual([
      [1010, 1000, 10, w.S.id],
      [1050, 990, 42, w.liq.id],
    ]);
    expect(w.credit.mark(0)).toBe(1000);
    expect(w.credit.loan(2)).toMatchObject({ borrower: B2, debt: 79_600, unhealthy: false });
    // Its own fire sale (990 at 1050) counts, though after its last liquidation: 1000 → 990 is 1 %.
    expect(w.cascades).toEqual({ cascadeId: [1], startUs: [1030], endUs: [1030], liquidations: [1], depth: [1], notional: [40_000], priceDropPct: [1] });
  });

  it('should make two cascades (two roots) when one exogenous sale crosses both triggers', () => {
    // S sells 50: 10 @ 1000, 40 @ 990; best bid 970 → mark 990, below both 1002 and 995.
    // Both loans are offered in the same delivery (higher trigger first) and liquidated at 1030:
    //   L1: HF = 79 200 / 80 160 = 0.988 → cap 40 080; lots ⌊40 080 · 1.05 / 990⌋ = ⌊42.5⌋ = 42; repaid ⌈42 · 990 / 1.05⌉ = 39 600.
    //   L2: as in the cascade, 42 lots, 39 600.
    const w = world({ bids: THIN, debts: [80_160, 79_600], exogenousQty: 50, sliceIntervalUs: 30 });
    const [B1, B2] = w.borrowers.map((b) => b.id) as [number, number];
    const [d1, d2] = w.liquidationLog.deliveryId as [number, number];
    expect(w.liquidationLog.table).toMatchObject({
      timeUs: [1030, 1030],
      loanId: [1, 2],
      borrower: [B1, B2],
      qty: [42, 42],
      price: [990, 990],
      debtRepaid: [39_600, 39_600],
      badDebt: [0, 0],
      cascadeId: [1, 2],
    });
    const s = '1010 S→exchange PlaceOrder';
    expect(w.chain(d1).slice(0, 2)).toEqual(['1020 credit→liq LoanLiquidatable', s]);
    expect(w.chain(d2).slice(0, 2)).toEqual(['1020 credit→liq LoanLiquidatable', s]);
    expect(w.kernel.causalChain(d2)).not.toContain(d1);
    // Last trade before 1030 at 990; no trade in [1030, 1030] → 0.
    // Before: 990 (S's last fill). Each cascade's own fire sale: the first reaches 950 (4.04 %), the second 900 (9.09 %).
    expect(w.cascades).toMatchObject({ cascadeId: [1, 2], startUs: [1030, 1030], endUs: [1030, 1030], liquidations: [1, 1], depth: [1, 1], notional: [39_600, 39_600] });
    expect(w.cascades.priceDropPct[0]).toBeCloseTo(((990 - 950) / 990) * 100, 10);
    expect(w.cascades.priceDropPct[1]).toBeCloseTo(((990 - 900) / 990) * 100, 10);
  });
});
