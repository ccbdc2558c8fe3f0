import type { AgentId } from '../engine/agent-id.js';
import { NO_PRICE } from './market-data.js';

/** One side of a watch in a heap; `generation` tells a live entry from one its owner replaced. */
interface Trigger {
  readonly price: number;
  readonly agent: AgentId;
  readonly generation: number;
}

/** An agent's current watch on one instrument. */
interface Watch {
  watchId: number;
  generation: number;
}

/** Where a fired watch goes: its instrument, the watcher, its id and the print that fired it. */
export type FireAlert = (instrument: number, agent: AgentId, watchId: number, price: number) => void;

/**
 * The price watches of one instrument (market-data.ts, `WatchPrice`): the
 * venue's stop book. Triggers below sit in a max-heap by price, triggers
 * above in a min-heap, so a trade checks each heap's top only: nothing is
 * walked while no watch is near the print. A replaced or fired watch leaves
 * its entries behind, recognised as stale by their generation and dropped
 * when they reach the top.
 */
export class PriceAlerts {
  private readonly below: Trigger[] = [];
  private readonly above: Trigger[] = [];
  private readonly watches = new Map<AgentId, Watch>();
  private generation = 0;

  constructor(
    /** The instrument whose prints these watches wait for. */
    readonly instrument: number,
  ) {}

  /** Live watches. */
  get size(): number {
    return this.watches.size;
  }

  /** Sets `agent`'s watch (replacing any), or cancels it when both prices are `NO_PRICE`. */
  set(agent: AgentId, watchId: number, below: number, above: number): void {
    if (below === NO_PRICE && above === NO_PRICE) {
      this.watches.delete(agent);
      this.compactIfStale();
      return;
    }
    const generation = ++this.generation;
    this.watches.set(agent, { watchId, generation });
    if (below !== NO_PRICE) push(this.below, { price: below, agent, generation }, higher);
    if (above !== NO_PRICE) push(this.above, { price: above, agent, generation }, lower);
    this.compactIfStale();
  }

  /**
   * The watches a command's prints fire: every trigger below at or above
   * `low` (the lowest print) and above at or below `high` (the highest), in
   * the order a falling then a rising price would meet them. Each fired watch
   * is removed and reported through `fire`.
   */
  check(low: number, high: number, fire: FireAlert): void {
    let top = this.below[0];
    while (top !== undefined && top.price >= low) {
      pop(this.below, higher);
      this.fireIfLive(top, low, fire);
      top = this.below[0];
    }
    top = this.above[0];
    while (top !== undefined && top.price <= high) {
      pop(this.above, lower);
      this.fireIfLive(top, high, fire);
      top = this.above[0];
    }
  }

  private fireIfLive(t: Trigger, price: number, fire: FireAlert): void {
    const w = this.watches.get(t.agent);
    if (w === undefined || w.generation !== t.generation) return;
    this.watches.delete(t.agent);
    fire(this.instrument, t.agent, w.watchId, price);
  }

  /** Rebuilds the heaps from live entries once stale ones outnumber them, so replaced watches cannot pile up. */
  private compactIfStale(): void {
    if (this.below.length + this.above.length <= 4 * this.watches.size + 16) return;
    for (const heap of [this.below, this.above]) {
      const live = heap.filter((t) => this.watches.get(t.agent)?.generation === t.generation);
      heap.length = 0;
      const before = heap === this.below ? higher : lower;
      for (const t of live) push(heap, t, before);
    }
  }
}

const higher = (a: Trigger, b: Trigger): boolean => a.price > b.price || (a.price === b.price && a.generation < b.generation);
const lower = (a: Trigger, b: Trigger): boolean => a.price < b.price || (a.price === b.price && a.generation < b.generation);

function push(heap: Trigger[], t: Trigger, before: (a: Trigger, b: Trigger) => boolean): void {
  let i = heap.length;
  heap.push(t);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as Trigger;
    if (!before(t, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = t;
}

function pop(heap: Trigger[], before: (a: Trigger, b: Trigger) => boolean): void {
  const last = heap.pop() as Trigger;
  if (heap.length === 0) return;
  let i = 0;
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(heap[r] as Trigger, heap[l] as Trigger) ? r : l;
    if (!before(heap[c] as Trigger, last)) break;
    heap[i] = heap[c] as Trigger;
    i = c;
  }
  heap[i] = last;
}
