import { describe, expect, it } from 'vitest';
import { emptyLiquidations } from '../../../src/stats/output-tables.js';
import type { TradeStore } from '../../../src/experiment/run/trade-store.js';
import { tradeStore } from '../../helpers/trade-rows.js';
import { priceDrops, reconstructCascades } from '../../../src/experiment/run/cascade-reconstruction.js';
import { EpisodePriceDrops, episodePriceDrops } from '../../../src/stats/episode-price-drops.js';

/** Trades as [time, price, cause] rows, in chunks of two (so the reconstruction reads across chunks). */
function trades(rows: [number, number, number?][]): TradeStore {
  return tradeStore(rows.map(([time, price, cause]) => ({ time, price, cause })));
}

function liquidationsAt(times: number[]) {
  const t = emptyLiquidations();
  for (const time of times) {
    t.timeUs.push(time);
    t.loanId.push(1);
    t.borrower.push(1);
    t.lender.push(2);
    t.liquidator.push(3);
    t.instrument.push(0);
    t.qty.push(10);
    t.price.push(100);
    t.debtRepaid.push(1000);
    t.badDebt.push(0);
    t.cascadeId.push(0);
    t.causeId.push(0);
  }
  return t;
}

describe('reconstructCascades', () => {
  it('should link liquidations through their causal chains into exact trees', () => {
    // Causal record (id -> cause). Liquidation A executes in delivery 10 (root chain 10 <- 5 <- 0).
    // B executes in 20: 20 <- 19 <- 15 <- 12 <- 10 (A's sale moved the price): child of A.
    // C executes in 30: 30 <- 25 <- 21 <- 20: child of B (depth 3).
    // D executes in 40: 40 <- 35 <- 7 <- 0: unrelated, its own cascade.
    // E executes in 50: 50 <- 45 <- 12: caused by A's sale too: sibling of B.
    const causes = new Map<number, number>([
      [5, 0], [10, 5], [12, 10], [15, 12], [19, 15], [20, 19], [21, 20], [25, 21], [30, 25], [7, 0], [35, 7], [40, 35], [45, 12], [50, 45],
    ]);
    const liq = liquidationsAt([100, 200, 300, 400, 500]);
    const table = reconstructCascades(liq, [10, 20, 30, 40, 50], (id) => causes.get(id) ?? -1, trades([[50, 1000], [150, 990], [350, 950], [450, 940]]), 'causes');
    expect(liq.cascadeId).toEqual([1, 1, 1, 2, 1]);
    expect(table.cascadeId).toEqual([1, 2]);
    expect(table.liquidations).toEqual([4, 1]);
    expect(table.depth).toEqual([3, 1]);
    expect(table.startUs).toEqual([100, 400]);
    expect(table.endUs).toEqual([500, 400]);
    expect(table.notional).toEqual([4000, 1000]);
  });

  it('should put rows executed in one delivery (legs of one step) in one cascade, under the first', () => {
    const causes = new Map<number, number>([[10, 5], [5, 0], [20, 7], [7, 0]]);
    const liq = liquidationsAt([100, 100, 200]);
    const table = reconstructCascades(liq, [10, 10, 20], (id) => causes.get(id) ?? -1, trades([]), 'causes');
    expect(liq.cascadeId).toEqual([1, 1, 2]);
    expect(table.liquidations).toEqual([2, 1]);
    expect(table.depth).toEqual([2, 1]);
  });

  it('should treat a liquidation with no liquidation among its causes as a root', () => {
    const liq = liquidationsAt([1, 2]);
    const table = reconstructCascades(liq, [3, 4], () => 0, trades([]), 'causes');
    expect(liq.cascadeId).toEqual([1, 2]);
    expect(table.depth).toEqual([1, 1]);
  });
});

describe('priceDrops', () => {
  it('should measure the fall from the last trade before the start to the lowest trade the cascade caused', () => {
    const t = trades([[1, 1000], [5, 990], [10, 950], [12, 900], [20, 800]]);
    // Cascade 1 (from 10) caused the trades at 10 and 12; cascade 2 (from 10 too) the 800 at 20,
    // after its last liquidation: what matters is the cause, not a window. Cascade 3 starts at 0: no trade before it.
    const cascadeOfTrade = [0, 0, 1, 1, 2];
    let next = 0;
    const drops = priceDrops(t, [0, 0, 0], [10, 10, 0], { of: () => cascadeOfTrade[next++] as number });
    expect(drops[0]).toBeCloseTo(((990 - 900) / 990) * 100, 10);
    expect(drops[1]).toBeCloseTo(((990 - 800) / 990) * 100, 10);
    expect(drops[2]).toBe(0);
  });

  it("should show every trade of its one pass to another observer: the episodes' drops, as in a pass of their own", () => {
    const causes = new Map<number, number>([[5, 0], [10, 5], [20, 10], [30, 20], [40, 5]]);
    const liq = liquidationsAt([100, 130, 400]);
    const rows: [number, number, number?][] = [[50, 1000], [110, 900, 30], [160, 700, 40], [300, 980], [420, 950], [900, 10]];
    const seen: number[] = [];
    const drops = new EpisodePriceDrops(liq, 60);
    reconstructCascades(liq, [10, 20, 30], (id) => causes.get(id) ?? -1, trades(rows), 'causes', {
      see: (chunk, row) => {
        seen.push(chunk.timeUs[row] as number);
        drops.see(chunk, row);
      },
    });
    expect(seen).toEqual(rows.map((r) => r[0]));
    // Episode 1: 1000 → 700 in [100, 190); episode 2: 980 → 950 in [400, 460).
    expect(drops.drops()).toEqual([30, ((980 - 950) / 980) * 100]);
    expect(drops.drops()).toEqual(episodePriceDrops(trades(rows), liq, 60));
  });

  it('should count the trades a cascade caused through the causal chain in the cascade table', () => {
    // Liquidation in delivery 10; trade 1's cause chain 30 <- 20 <- 10 reaches it, trade 2's (40 <- 5) does not.
    const causes = new Map<number, number>([[5, 0], [10, 5], [20, 10], [30, 20], [40, 5]]);
    const liq = liquidationsAt([100]);
    const t = trades([[50, 1000], [150, 900, 30], [160, 700, 40]]);
    const table = reconstructCascades(liq, [10], (id) => causes.get(id) ?? -1, t, 'causes');
    expect(table.priceDropPct[0]).toBeCloseTo(10, 10);
  });
});
