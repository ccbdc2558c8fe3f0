import type { Message } from '../engine/message.js';
import type { InstrumentId } from './instrument.js';

/** Price of an empty side in snapshots: no bid / no ask. */
export const NO_PRICE = 0;

/**
 * Command: send me market data on `instrument` whenever the book or the last
 * trade changes, at most once per `minIntervalUs` (the last state is sent at
 * the end of a throttled interval). `depth` 0 means L1 only.
 */
export interface SubscribeMarketData extends Message {
  readonly type: 'SubscribeMarketData';
  readonly instrument: InstrumentId;
  readonly depth: number;
  readonly minIntervalUs: number;
}

/** Command: stop the subscription. */
export interface UnsubscribeMarketData extends Message {
  readonly type: 'UnsubscribeMarketData';
  readonly instrument: InstrumentId;
}

/** Command: send me one snapshot now (like ABIDES' QuerySpread). */
export interface QueryMarket extends Message {
  readonly type: 'QueryMarket';
  readonly instrument: InstrumentId;
  readonly depth: number;
}

/**
 * Report: the state of a book. Prices in ticks, quantities in lots;
 * `NO_PRICE` (0) for an empty side or no trade yet. `bids`/`asks` hold L2
 * levels as flat `[price, qty, price, qty, …]`, best first (empty for L1).
 */
export interface MarketSnapshot extends Message {
  readonly type: 'MarketSnapshot';
  readonly instrument: InstrumentId;
  readonly bidPrice: number;
  readonly bidQty: number;
  readonly askPrice: number;
  readonly askQty: number;
  readonly lastPrice: number;
  /** Cumulative traded lots since the start. */
  readonly volume: number;
  readonly bids: readonly number[];
  readonly asks: readonly number[];
  /** True when sent because of a subscription, false when answering a query. */
  readonly update: boolean;
}

/** Mid price in ticks (may be fractional by half a tick); NaN when a side is empty. */
export function midOf(s: { bidPrice: number; askPrice: number }): number {
  return s.bidPrice === NO_PRICE || s.askPrice === NO_PRICE ? Number.NaN : (s.bidPrice + s.askPrice) / 2;
}

/** Commands an exchange accepts about market data. */
export type MarketDataCommand = SubscribeMarketData | UnsubscribeMarketData | QueryMarket;

/**
 * A venue whose public book an agent in the same kernel may read at once
 * (its market data, without a query round trip); orders still travel with
 * the latency model's delay. Venues that do not offer it are asked by
 * `QueryMarket`.
 */
export interface PublicBook {
  /**
   * The public book of `instrument` now, L2 to `depth` levels (0: L1 only).
   * The answer may be a view the venue refills at its next call (no object
   * per look): read it at once and keep no reference to it or its arrays.
   */
  snapshotNow(instrument: InstrumentId, depth: number): MarketSnapshot;
}

/** Whether `venue` offers {@link PublicBook} reads. */
export function isPublicBook(venue: unknown): venue is PublicBook {
  return typeof (venue as Partial<PublicBook> | null)?.snapshotNow === 'function';
}
