import type { AgentId } from '../engine/agent-id.js';
import type { Side } from './side.js';

/**
 * What the exchange remembers of each order the book knows only by id: who
 * sent it, its client id, the ledger account it trades for and its limit
 * price (what is held for it is pre-trade risk's record). Venue order ids are dense (1, 2, 3, …), so the
 * registry is a set of parallel growable arrays indexed by id: no object per
 * order, O(1) lookup.
 */
export class OrderRegistry {
  private capacity = 1024;
  private agentOf = new Int32Array(this.capacity);
  private accountOf = new Int32Array(this.capacity);
  private instrumentOf = new Int32Array(this.capacity);
  private sideOf = new Uint8Array(this.capacity);
  private clientIdOf = new Float64Array(this.capacity);
  private priceOf = new Float64Array(this.capacity);
  private lastId = 0;

  /** Allocates the next venue order id and records its owner. */
  open(agent: AgentId, account: number, instrument: number, side: Side, clientOrderId: number, price: number): number {
    const id = ++this.lastId;
    if (id >= this.capacity) this.grow();
    this.agentOf[id] = agent;
    this.accountOf[id] = account;
    this.instrumentOf[id] = instrument;
    this.sideOf[id] = side === 'buy' ? 0 : 1;
    this.clientIdOf[id] = clientOrderId;
    this.priceOf[id] = price;
    return id;
  }

  /** The last id issued (0 before the first). */
  get lastIssued(): number {
    return this.lastId;
  }

  /** True for an id this registry issued. */
  has(id: number): boolean {
    return Number.isSafeInteger(id) && id > 0 && id <= this.lastId;
  }

  agent(id: number): AgentId {
    return this.agentOf[id];
  }
  account(id: number): number {
    return this.accountOf[id];
  }
  instrument(id: number): number {
    return this.instrumentOf[id];
  }
  side(id: number): Side {
    return this.sideOf[id] === 0 ? 'buy' : 'sell';
  }
  clientOrderId(id: number): number {
    return this.clientIdOf[id];
  }
  /** Limit price in ticks (the protection price for a market buy). */
  price(id: number): number {
    return this.priceOf[id];
  }
  setPrice(id: number, price: number): void {
    this.priceOf[id] = price;
  }

  private grow(): void {
    this.capacity *= 2;
    this.agentOf = growInt32(this.agentOf, this.capacity);
    this.accountOf = growInt32(this.accountOf, this.capacity);
    this.instrumentOf = growInt32(this.instrumentOf, this.capacity);
    const side = new Uint8Array(this.capacity);
    side.set(this.sideOf);
    this.sideOf = side;
    this.clientIdOf = growFloat64(this.clientIdOf, this.capacity);
    this.priceOf = growFloat64(this.priceOf, this.capacity);
  }
}

function growInt32(a: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}
