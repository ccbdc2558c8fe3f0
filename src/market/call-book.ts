import { AuctionLevels, type AuctionOrder, type AuctionPrice } from './auction-clearing.js';
import type { Side } from './side.js';

/** One order collected in a call phase. `qty` is what is still open. */
export interface CallEntry {
  readonly id: number;
  /** Ledger account. */
  readonly owner: number;
  readonly side: Side;
  price: number;
  qty: number;
  /** Time priority within the call: lower came first. */
  seq: number;
  /** True for an IOC or a collared market order: whatever the uncrossing leaves of it expires. */
  readonly expires: boolean;
}

/**
 * The orders of one instrument collected during an auction's call phase
 * (Xetra's and Euronext's "call phase": orders are entered, changed and
 * deleted, nothing trades). It keeps them in time priority, answers the
 * indicative auction price, and hands them to the uncrossing. Not on the
 * continuous hot path: a call lasts minutes, once or twice a session.
 */
export class CallBook {
  /** Insertion order is time priority: an amendment that loses priority re-inserts. */
  private readonly entries = new Map<number, CallEntry>();
  private nextSeq = 0;
  /** The open interest by price, kept with every change (the indicative price reads it). */
  private levels = new AuctionLevels();
  /** The indicative price last published, when, at which reference, and whether an entry changed since. */
  private published: AuctionPrice | undefined = undefined;
  private publishedAt = Number.NEGATIVE_INFINITY;
  private publishedReference = 0;
  private stale = true;

  get size(): number {
    return this.entries.size;
  }

  /** Adds an order at the back of the time priority. */
  add(id: number, owner: number, side: Side, price: number, qty: number, expires: boolean): void {
    this.entries.set(id, { id, owner, side, price, qty, seq: this.nextSeq++, expires });
    this.levels.add(side, price, qty);
    this.stale = true;
  }

  /** The entry of order `id`, or undefined (read it, do not keep it). */
  get(id: number): CallEntry | undefined {
    return this.entries.get(id);
  }

  /** Removes order `id`; returns its open lots (0 when it was not here). */
  remove(id: number): number {
    const e = this.entries.get(id);
    if (e === undefined) return 0;
    this.entries.delete(id);
    this.levels.add(e.side, e.price, -e.qty);
    this.stale = true;
    return e.qty;
  }

  /**
   * Changes an order's terms. As in the continuous book, a smaller size at
   * the same price keeps time priority; any other change loses it.
   * Returns whether priority was kept.
   */
  amend(id: number, price: number, qty: number): boolean {
    const e = this.entries.get(id);
    if (e === undefined) throw new RangeError(`order ${id} is not in the call`);
    const kept = price === e.price && qty <= e.qty;
    this.levels.add(e.side, e.price, -e.qty);
    this.levels.add(e.side, price, qty);
    e.price = price;
    e.qty = qty;
    if (!kept) {
      this.entries.delete(id);
      e.seq = this.nextSeq++;
      this.entries.set(id, e);
    }
    this.stale = true;
    return kept;
  }

  /** Takes `qty` lots off order `id` after a fill; returns what stays open. */
  reduce(id: number, qty: number): number {
    const e = this.entries.get(id) as CallEntry;
    e.qty -= qty;
    this.levels.add(e.side, e.price, -qty);
    this.stale = true;
    return e.qty;
  }

  /**
   * The price, volume and imbalance the call would uncross at, or undefined
   * when nothing crosses. Recomputed after a change at most once every
   * `minIntervalUs` of simulated time (`now`): in between, the figure last
   * published (venues disseminate it on a clock: Nasdaq's Net Order
   * Imbalance Indicator every second).
   */
  indicative(reference: number, now = Number.POSITIVE_INFINITY, minIntervalUs = 0): AuctionPrice | undefined {
    const fresh = !this.stale && this.publishedReference === reference;
    if (!fresh && (minIntervalUs === 0 || now - this.publishedAt >= minIntervalUs)) {
      this.published = this.entries.size === 0 ? undefined : this.levels.price(reference);
      this.publishedReference = reference;
      this.publishedAt = now;
      this.stale = false;
    }
    return this.published;
  }

  /** The open orders in time priority, in the shape the uncrossing takes. */
  orders(): AuctionOrder[] {
    const out: AuctionOrder[] = [];
    for (const e of this.entries.values()) if (e.qty > 0) out.push({ id: e.id, owner: e.owner, side: e.side, price: e.price, qty: e.qty, seq: e.seq });
    return out;
  }

  /** Empties the call; returns the orders still open, in time priority. */
  drain(): CallEntry[] {
    const out: CallEntry[] = [];
    for (const e of this.entries.values()) if (e.qty > 0) out.push(e);
    this.entries.clear();
    this.levels = new AuctionLevels();
    this.stale = true;
    this.published = undefined;
    this.publishedAt = Number.NEGATIVE_INFINITY;
    return out;
  }

  /**
   * After a batch uncrossing: drops the filled orders and takes out, in time
   * priority, the open ones that expire (IOC, market); the rest stay for the
   * next batch.
   */
  takeExpiring(): CallEntry[] {
    const out: CallEntry[] = [];
    for (const [id, e] of this.entries) {
      if (e.qty === 0) this.entries.delete(id);
      else if (e.expires) {
        out.push(e);
        this.entries.delete(id);
        this.levels.add(e.side, e.price, -e.qty);
      }
    }
    this.stale = true;
    return out;
  }
}
