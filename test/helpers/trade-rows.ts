import { SELL, TradeStore } from '../../src/experiment/run/trade-store.js';

/** One trade of a test, with what the test cares about; the rest is filler. */
export interface TradeRow {
  readonly time: number;
  readonly price: number;
  readonly instrument?: number;
  readonly qty?: number;
  readonly cause?: number;
}

/**
 * The trades in a store of `chunkRows`-row chunks (two by default), so that
 * every reader under test reads across chunks, as it does a long run's.
 */
export function tradeStore(rows: readonly TradeRow[], chunkRows = 2): TradeStore {
  const store = new TradeStore(chunkRows);
  for (const r of rows) store.push(r.time, r.instrument ?? 0, r.price, r.qty ?? 1, 1, 2, SELL, r.cause ?? 0, 0);
  return store;
}
