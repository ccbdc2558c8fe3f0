/** Slots a fresh index starts with (a book in a test stays small). */
const INITIAL_SLOTS = 1 << 10;
/** Most slots an index grows to: 1 MB of references, past any book's live orders at once. */
const MAX_SLOTS = 1 << 17;

/**
 * The order book's index from order id to resting order: a direct-mapped
 * table (slot `id mod S`) with a `Map` for the orders moved out of theirs.
 *
 * Venue ids are dense and rise (1, 2, 3, …), and most orders leave the book
 * within a few thousand newer ids, so nearly every order sits in its own
 * slot while it is busy: a lookup is one array load and an id compare, and
 * an insert of the next id touches the slot beside the last one (a `Map`
 * hashes every id to a random bucket and rehashes as deletions pile up).
 * A new order takes its slot even when an older one still rests there: the
 * older, resting since at least S ids, moves to the map, where it stays
 * until it leaves (few orders rest that long, and they are rarely looked up
 * meanwhile). Each slot's id is kept beside the orders, and how many of the
 * map's orders have that slot, so a miss (every new order's duplicate
 * check) loads neither an order nor the map. Any other id works, only
 * slower (through the map). The table doubles, up to {@link MAX_SLOTS},
 * when the map holds more than a quarter as many orders as it has slots.
 */
export class OrderIdIndex<T extends { readonly id: number }> {
  private items: (T | null)[];
  /** The id of each slot's order; NaN for a free slot (equal to no id). */
  private ids: Float64Array;
  /** Per slot, how many orders of that slot the map holds. */
  private mapped: Uint32Array;
  private mask: number;
  private readonly overflow = new Map<number, T>();
  private count = 0;

  /** @param initialSlots, maxSlots powers of two (small only in tests, to exercise the map and growth) */
  constructor(
    initialSlots: number = INITIAL_SLOTS,
    private readonly maxSlots: number = MAX_SLOTS,
  ) {
    if (!isPowerOfTwo(initialSlots) || !isPowerOfTwo(maxSlots) || maxSlots < initialSlots) throw new RangeError(`slots must be powers of two with initial ≤ max, got ${initialSlots} and ${maxSlots}`);
    this.items = new Array<T | null>(initialSlots).fill(null);
    this.ids = new Float64Array(initialSlots).fill(Number.NaN);
    this.mapped = new Uint32Array(initialSlots);
    this.mask = initialSlots - 1;
  }

  /** Number of orders indexed. */
  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    // `&` maps any number to a slot (NaN and fractions to one whose order cannot match).
    const i = id & this.mask;
    if (this.ids[i] === id) return this.items[i] as T;
    return this.mapped[i] === 0 ? undefined : this.overflow.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds `item` under its id, which must not be indexed already. */
  add(item: T): void {
    this.count++;
    const i = item.id & this.mask;
    const older = this.items[i] as T | null;
    this.items[i] = item;
    this.ids[i] = item.id;
    if (older === null) return;
    this.overflow.set(older.id, older);
    this.mapped[i]++;
    if (this.overflow.size > this.items.length >> 2 && this.items.length < this.maxSlots) this.grow();
  }

  /** Removes `item`, which must be indexed. */
  remove(item: T): void {
    this.count--;
    const i = item.id & this.mask;
    if (this.items[i] === item) {
      this.items[i] = null;
      this.ids[i] = Number.NaN;
    } else {
      this.overflow.delete(item.id);
      this.mapped[i]--;
    }
  }

  /** Puts `item` in its slot if the slot is free. */
  private place(item: T): boolean {
    const i = item.id & this.mask;
    if (this.items[i] !== null) return false;
    this.items[i] = item;
    this.ids[i] = item.id;
    return true;
  }

  /** Doubles the table and re-places every order (map entries whose new slot is free leave the map). */
  private grow(): void {
    const old = this.items;
    const slots = old.length * 2;
    this.items = new Array<T | null>(slots).fill(null);
    this.ids = new Float64Array(slots).fill(Number.NaN);
    this.mapped = new Uint32Array(slots);
    this.mask = slots - 1;
    for (let i = 0; i < old.length; i++) {
      const item = old[i] as T | null;
      if (item !== null) this.place(item);
    }
    for (const [id, item] of this.overflow) {
      if (this.place(item)) this.overflow.delete(id);
      else this.mapped[id & this.mask]++;
    }
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}
