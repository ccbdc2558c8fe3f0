/**
 * What every market maker does the same way: it subscribes to the book with
 * a throttle, asks again on a refresh clock (one pending wake-up), requotes on
 * every snapshot, and reads the book without its own quotes so that it never
 * chases itself. The makers differ only in how they quote.
 *
 * @module
 */

import type { Micros } from '../engine/time.js';
import { NO_PRICE, type SubscribeMarketData } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import { requireInt } from './_internals/check.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** The options every quoting agent takes. */
export interface QuotingAgentOptions extends TradingAgentOptions {
  /** Throttle of the market-data subscription, µs. Default 100 000 (0.1 s). */
  minIntervalUs?: Micros;
  /** Period of the refresh query (a requote even when the book is quiet), µs; 0 disables it. Default 1 000 000 (1 s). */
  refreshIntervalUs?: Micros;
  /** L2 depth asked for, levels per side (used to tell the maker's own quotes from others'). Default `levels + 5`. */
  bookDepth?: number;
}

const REFRESH = 1;

/** A trading agent that keeps quotes in the book. */
export abstract class QuotingAgent extends TradingAgent {
  readonly minIntervalUs: Micros;
  readonly refreshIntervalUs: Micros;
  readonly bookDepth: number;
  /** Lots at the others' best price found by the last {@link othersBest} call. */
  protected othersTopQty = 0;

  protected constructor(name: string, options: QuotingAgentOptions, levels: number) {
    const bookDepth = requireInt('bookDepth', options.bookDepth ?? levels + 5, 0);
    super(name, options, bookDepth);
    this.bookDepth = bookDepth;
    this.minIntervalUs = requireInt('minIntervalUs', options.minIntervalUs ?? 100_000, 0);
    this.refreshIntervalUs = requireInt('refreshIntervalUs', options.refreshIntervalUs ?? 1_000_000, 0);
  }

  override onStart(now: Micros): void {
    const subscribe: SubscribeMarketData = { type: 'SubscribeMarketData', instrument: this.instrument, depth: this.bookDepth, minIntervalUs: this.minIntervalUs };
    this.send(this.exchange, subscribe);
    this.queryMarket();
    if (this.refreshIntervalUs > 0) this.wakeAt(now + this.refreshIntervalUs, REFRESH);
  }

  override onWakeup(now: Micros, tag: number): void {
    if (tag !== REFRESH) return;
    this.queryMarket();
    this.wakeAt(now + this.refreshIntervalUs, REFRESH);
  }

  /**
   * Best price of one side once the agent's own open orders are taken out:
   * from the L2 levels when the snapshot has them, else from L1 alone; its
   * quantity left in {@link othersTopQty}. `NO_PRICE` when none.
   */
  protected othersBest(side: Side, levels: readonly number[], l1Price: number, l1Qty: number): number {
    if (levels.length >= 2) {
      for (let i = 0; i + 1 < levels.length; i += 2) {
        const price = levels[i];
        const others = levels[i + 1] - this.ownQtyAt(side, price);
        if (others > 0) {
          this.othersTopQty = others;
          return price;
        }
      }
      this.othersTopQty = 0;
      return NO_PRICE;
    }
    const others = l1Price === NO_PRICE ? 0 : l1Qty - this.ownQtyAt(side, l1Price);
    this.othersTopQty = others > 0 ? others : 0;
    return others > 0 ? l1Price : NO_PRICE;
  }

  /** Lots of the agent's own open orders at `price` on `side` (including those being cancelled). */
  private ownQtyAt(side: Side, price: number): number {
    return this.tracker.openQtyAt(side, price);
  }
}
