/** Slots a fresh index starts with (a book in a test stays small). */
const INITIAL_SLOTS = 1 << 10;
/** Most slots an index grows to: 1 MB of references, past any book's live orders at once. */
const MAX_SLOTS = 1 << 17;

/**
 * The order book's index from order id to resting order: a direct-mapped
 * table (slot `id mod S`) with a `Map` for the ids whose slot is taken.
 *
 * Venue ids are dense and rise (1, 2, 3, …), and most orders leave the book
 * within a few thousand newer ids, so nearly every resting order sits in its
 * own slot: a lookup is one array load and an id compare, and an insert of
 * the next id touches the slot beside the last one (a `Map` hashes every id
 * to a random bucket and rehashes as deletions pile up). Any other id works,
 * only slower (through the map). The table doubles, up to {@link MAX_SLOTS},
 * when the map holds more than a quarter as many orders as it has slots.
 */
export class OrderIdIndex<T extends { readonly id: number }> {
  private slots: (T | null)[];
  private mask: number;
  private readonly overflow = new Map<number, T>();
  private count = 0;

  /** @param initialSlots, maxSlots powers of two (small only in tests, to exercise the map and growth) */
  constructor(
    initialSlots: number = INITIAL_SLOTS,
    private readonly maxSlots: number = MAX_SLOTS,
  ) {
    if (!isPowerOfTwo(initialSlots) || !isPowerOfTwo(maxSlots) || maxSlots < initialSlots) throw new RangeError(`slots must be powers of two with initial ≤ max, got ${initialSlots} and ${maxSlots}`);
    this.slots = new Array<T | null>(initialSlots).fill(null);
    this.mask = initialSlots - 1;
  }

  /** Number of orders indexed. */
  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    // `&` maps any number to a slot (NaN and fractions to one whose order cannot match).
    const s = this.slots[id & this.mask] as T | null;
    if (s !== null && s.id === id) return s;
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds `item` under its id, which must not be indexed already. */
  add(item: T): void {
    this.count++;
    if (!this.place(item)) {
      this.overflow.set(item.id, item);
      if (this.overflow.size > this.slots.length >> 2 && this.slots.length < this.maxSlots) this.grow();
    }
  }

  /** Removes `item`, which must be indexed. */
  remove(item: T): void {
    this.count--;
    const i = item.id & this.mask;
    if (this.slots[i] === item) this.slots[i] = null;
    else this.overflow.delete(item.id);
  }

  /** Puts `item` in its slot if the slot is free. */
  private place(item: T): boolean {
    const i = item.id & this.mask;
    if (this.slots[i] !== null) return false;
    this.slots[i] = item;
    return true;
  }

  /** Doubles the table and re-places every order (map entries whose new slot is free leave the map). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Array<T | null>(old.length * 2).fill(null);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const item = old[i] as T | null;
      if (item !== null) this.place(item);
    }
    for (const [id, item] of this.overflow) if (this.place(item)) this.overflow.delete(id);
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}
