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
  /**
   * Present only during a call auction's call phase (the public book is
   * then empty): the indicative price, volume and imbalance the call would
   * uncross at now, as Xetra and Euronext publish them.
   */
  readonly auction?: AuctionIndication;
}

/** A call phase's indicative uncrossing. `price` is NO_PRICE while nothing crosses. */
export interface AuctionIndication {
  /** Ticks. */
  readonly price: number;
  /** Lots that would trade. */
  readonly volume: number;
  /** Buy minus sell interest at `price`, lots. */
  readonly imbalance: number;
}

/** The indication of a call in which nothing crosses yet. */
export const NOTHING_CROSSES: AuctionIndication = Object.freeze({ price: NO_PRICE, volume: 0, imbalance: 0 });

/** Mid price in ticks (may be fractional by half a tick); NaN when a side is empty. */
export function midOf(s: { bidPrice: number; askPrice: number }): number {
  return s.bidPrice === NO_PRICE || s.askPrice === NO_PRICE ? Number.NaN : (s.bidPrice + s.askPrice) / 2;
}

/**
 * Command: tell me once when a trade in `instrument` prints at or below
 * `below` or at or above `above` (ticks; `NO_PRICE` leaves that side
 * unwatched) — the triggers of a broker's stop-loss and take-profit, which
 * venues fire on the last sale price (Nasdaq Rule 4703 and NYSE Rule 7.31's
 * stop orders, CME's stop-market orders: elected by a trade at or through
 * the stop price). One watch per agent and instrument, one-cancels-other: a
 * new watch replaces the old, a watch with both sides `NO_PRICE` cancels it,
 * and the first side that fires removes both. `watchId` comes back in the
 * {@link PriceAlert}, so a late alert of a replaced watch can be told apart.
 */
export interface WatchPrice extends Message {
  readonly type: 'WatchPrice';
  readonly instrument: InstrumentId;
  readonly watchId: number;
  readonly below: number;
  readonly above: number;
}

/** Report: a watched price traded; `price` is the print that fired it (the lowest or highest of the command that traded). */
export interface PriceAlert extends Message {
  readonly type: 'PriceAlert';
  readonly instrument: InstrumentId;
  readonly watchId: number;
  readonly price: number;
}

/** Commands an exchange accepts about market data. */
export type MarketDataCommand = SubscribeMarketData | UnsubscribeMarketData | QueryMarket | WatchPrice;

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
