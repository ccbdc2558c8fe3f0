import type { AgentId } from '../engine/agent-id.js';
import type { Side } from './side.js';

/** Default number of ring slots: at flagship rates (~10^6 orders a day) about 40 minutes of orders. */
export const REGISTRY_RING_SLOTS = 1 << 17;

/** What the registry keeps of an order that outlived its ring slot. */
interface Spilled {
  agent: AgentId;
  account: number;
  instrument: number;
  side: number;
  clientOrderId: number;
  price: number;
  held: number;
  /** `lastId` when its hold fell to 0 (the order left), -1 while it holds something. */
  doneAt: number;
}

/**
 * What the exchange remembers of each order the book knows only by id: who
 * sent it, its client id, the ledger account it trades for, its limit price
 * and what pre-trade risk holds for it.
 *
 * Venue order ids are dense (1, 2, 3, …) and never reused, but the memory
 * they use is: order `id` lives in ring slot `id mod R` of parallel typed
 * arrays (no object per order, O(1) lookup). When a new id needs the slot,
 * its previous occupant is dropped if it has left the book (its hold is 0),
 * or moved to a small map if it still rests; a spilled order is dropped in
 * turn R ids after it leaves. So memory follows the orders alive, not the
 * orders ever sent, and a finished order stays known for at least R newer
 * orders — far longer than any cancel can race its fill — after which the
 * venue answers UNKNOWN_ORDER for it, as it would for an id it never issued.
 */
export class OrderRegistry {
  private readonly mask: number;
  private readonly idAt: Float64Array;
  private readonly agentOf: Int32Array;
  private readonly accountOf: Int32Array;
  private readonly instrumentOf: Int32Array;
  private readonly sideOf: Uint8Array;
  private readonly clientIdOf: Float64Array;
  private readonly priceOf: Float64Array;
  private readonly heldOf: Float64Array;
  private readonly spilled = new Map<number, Spilled>();
  /** Spilled ids whose order has left, in the order they left (their `doneAt` rises). */
  private readonly leaving: number[] = [];
  private leavingHead = 0;
  private lastId = 0;

  /** @param slots ring size, a power of two (smaller only in tests, to exercise spilling) */
  constructor(slots: number = REGISTRY_RING_SLOTS) {
    if (!(Number.isInteger(slots) && slots >= 2 && (slots & (slots - 1)) === 0)) throw new RangeError(`ring slots must be a power of two ≥ 2, got ${slots}`);
    this.mask = slots - 1;
    this.idAt = new Float64Array(slots);
    this.agentOf = new Int32Array(slots);
    this.accountOf = new Int32Array(slots);
    this.instrumentOf = new Int32Array(slots);
    this.sideOf = new Uint8Array(slots);
    this.clientIdOf = new Float64Array(slots);
    this.priceOf = new Float64Array(slots);
    this.heldOf = new Float64Array(slots);
  }

  /** Allocates the next venue order id and records its owner. */
  open(agent: AgentId, account: number, instrument: number, side: Side, clientOrderId: number, price: number): number {
    const id = ++this.lastId;
    const slot = id & this.mask;
    const previous = this.idAt[slot];
    if (previous !== 0 && this.heldOf[slot] !== 0) this.spill(previous, slot);
    this.forgetLeft();
    this.idAt[slot] = id;
    this.agentOf[slot] = agent;
    this.accountOf[slot] = account;
    this.instrumentOf[slot] = instrument;
    this.sideOf[slot] = side === 'buy' ? 0 : 1;
    this.clientIdOf[slot] = clientOrderId;
    this.priceOf[slot] = price;
    this.heldOf[slot] = 0;
    return id;
  }

  /** The last id issued (0 before the first). */
  get lastIssued(): number {
    return this.lastId;
  }

  /** True for an id this registry issued and still remembers. */
  has(id: number): boolean {
    return Number.isSafeInteger(id) && id > 0 && id <= this.lastId && (this.idAt[id & this.mask] === id || this.spilled.has(id));
  }

  /** Orders remembered outside the ring (resting longer than R newer orders, or recently left after that). */
  get spilledCount(): number {
    return this.spilled.size;
  }

  agent(id: number): AgentId {
    const slot = id & this.mask;
    return this.idAt[slot] === id ? this.agentOf[slot] : (this.spilled.get(id)?.agent ?? 0);
  }
  account(id: number): number {
    const slot = id & this.mask;
    return this.idAt[slot] === id ? this.accountOf[slot] : (this.spilled.get(id)?.account ?? 0);
  }
  instrument(id: number): number {
    const slot = id & this.mask;
    return this.idAt[slot] === id ? this.instrumentOf[slot] : (this.spilled.get(id)?.instrument ?? 0);
  }
  side(id: number): Side {
    const slot = id & this.mask;
    const s = this.idAt[slot] === id ? this.sideOf[slot] : (this.spilled.get(id)?.side ?? 0);
    return s === 0 ? 'buy' : 'sell';
  }
  clientOrderId(id: number): number {
    const slot = id & this.mask;
    return this.idAt[slot] === id ? this.clientIdOf[slot] : (this.spilled.get(id)?.clientOrderId ?? 0);
  }
  /** Limit price in ticks (the protection price for a market buy). */
  price(id: number): number {
    const slot = id & this.mask;
    return this.idAt[slot] === id ? this.priceOf[slot] : (this.spilled.get(id)?.price ?? 0);
  }
  setPrice(id: number, price: number): void {
    const slot = id & this.mask;
    if (this.idAt[slot] === id) this.priceOf[slot] = price;
    else {
      const s = this.spilled.get(id);
      if (s !== undefined) s.price = price;
    }
  }

  /** What pre-trade risk holds for the order (0 once it has left, or for an id not remembered). */
  held(id: number): number {
    const slot = id & this.mask;
    return this.idAt[slot] === id ? this.heldOf[slot] : (this.spilled.get(id)?.held ?? 0);
  }
  /** Pre-trade risk's record of the order's hold; only pre-trade risk writes it. */
  setHeld(id: number, held: number): void {
    const slot = id & this.mask;
    if (this.idAt[slot] === id) {
      this.heldOf[slot] = held;
      return;
    }
    const s = this.spilled.get(id);
    if (s === undefined) throw new RangeError(`order ${id} is not remembered`);
    s.held = held;
    if (held === 0 && s.doneAt < 0) {
      s.doneAt = this.lastId;
      this.leaving.push(id);
    }
  }

  /** Moves a resting order out of the ring slot a new id needs. */
  private spill(id: number, slot: number): void {
    this.spilled.set(id, {
      agent: this.agentOf[slot],
      account: this.accountOf[slot],
      instrument: this.instrumentOf[slot],
      side: this.sideOf[slot],
      clientOrderId: this.clientIdOf[slot],
      price: this.priceOf[slot],
      held: this.heldOf[slot],
      doneAt: -1,
    });
  }

  /** Drops spilled orders that left at least R ids ago: the same grace a ring slot gives. */
  private forgetLeft(): void {
    const leaving = this.leaving;
    while (this.leavingHead < leaving.length) {
      const id = leaving[this.leavingHead] as number;
      const s = this.spilled.get(id) as Spilled;
      if (s.doneAt + this.mask + 1 > this.lastId) break;
      this.spilled.delete(id);
      this.leavingHead++;
    }
    if (this.leavingHead > 1024 && this.leavingHead * 2 > leaving.length) {
      leaving.splice(0, this.leavingHead);
      this.leavingHead = 0;
    }
  }
}
