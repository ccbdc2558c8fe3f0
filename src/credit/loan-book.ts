/**
 * The credit venue's loans and its health index.
 *
 * ## The trigger-price index
 *
 * Health must be re-checked on every mark change (every top-of-book change
 * or trade), so the check may not scan the loans. For a loan whose basket
 * holds one instrument, health is monotone in that instrument's mark:
 * it is unhealthy exactly when `markHalfTicks < trigger`, with the integer trigger
 * `⌈2S · debt / (qty · m · (S − h_m))⌉` (margin.ts). Per instrument, two
 * binary heaps keyed by trigger hold these loans:
 *
 * - a max-heap of healthy loans (trigger ≤ mark): on a mark fall, pop while
 *   the top's trigger is above the new mark — each popped loan has just
 *   crossed into unhealthiness;
 * - a min-heap of unhealthy loans (trigger > mark): on a mark rise, pop while
 *   the top's trigger is at or below the mark — each popped loan is healthy
 *   again (the next crossing will notify again).
 *
 * So a mark change costs O(1) when nothing crosses (a peek at each top; no
 * allocation, no closure) and O(k log n) for k loans crossing.
 *
 * Invalidation is lazy: a loan's entry carries the loan's `indexVersion`;
 * every change of debt, collateral or haircut re-indexes the loan (bumping
 * the version and pushing a fresh entry) and older entries are discarded when
 * they surface. A heap is rebuilt when stale entries outnumber live ones.
 *
 * Multi-instrument baskets are not monotone in one mark, so a per-instrument
 * trigger would be stale as soon as another leg's mark moved. Such loans sit
 * in a per-instrument basket list instead and are re-checked exactly on every
 * mark change of any instrument they hold: O(b_i) for b_i basket loans on the
 * instrument. (Looping leverage on one asset — the common case — uses the heaps.)
 *
 * ## Closed loans leave
 *
 * The book holds live loans only, by id in a `Map`, so its memory follows
 * the live loans, not every loan ever opened. A loan that closes
 * ({@link LoanBook.release}) stays until the venue's delivery ends — the rest
 * of that delivery (a liquidation's report, a repayment's answer) still finds
 * it — and is then forgotten ({@link LoanBook.forgetClosed}): folded into
 * {@link ClosedLoans} (its hash, audit and totals) and dropped, while the
 * {@link LoanRoster} keeps its kind and parties so a command naming it gets
 * the answer it always got. Heap entries of forgotten loans are stale like
 * any other and are discarded when they surface.
 *
 * @packageDocumentation
 */

import { ClosedLoans } from './closed-loans.js';
import { IndexSlot, type Loan, type LoanStatus, type LoanView } from './loan.js';
import { checkUnindexed } from './loan-checks.js';
import { LoanRoster } from './loan-roster.js';
import { legValueAfterHaircut, triggerMarkHalfTicks } from './margin.js';
import { RATE_SCALE } from '../market/rounding.js';

/** Told by {@link LoanBook.onMark} of every crossing. Must not re-index loans while told. */
export interface HealthSink {
  onLoanUnhealthy(loan: Loan): void;
  onLoanHealthy(loan: Loan): void;
}

/** A binary max-heap of (key, loan id, version) in parallel arrays: no allocation per entry. */
class TriggerHeap {
  private keys: number[] = [];
  private ids: number[] = [];
  private vers: number[] = [];
  /** Entries in the heap, live or stale. */
  size = 0;
  /** Entries still current (maintained by the book). */
  live = 0;

  push(key: number, id: number, ver: number): void {
    let i = this.size++;
    const keys = this.keys;
    const ids = this.ids;
    const vers = this.vers;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk >= key) break;
      keys[i] = pk;
      ids[i] = ids[parent];
      vers[i] = vers[parent];
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
    vers[i] = ver;
  }

  /** The largest key, or -Infinity when empty. */
  topKey(): number {
    return this.size > 0 ? this.keys[0] : Number.NEGATIVE_INFINITY;
  }

  topId(): number {
    return this.ids[0];
  }

  topVer(): number {
    return this.vers[0];
  }

  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const keys = this.keys;
    const ids = this.ids;
    const vers = this.vers;
    const key = keys[n];
    const id = ids[n];
    const ver = vers[n];
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && keys[right] > keys[left]) child = right;
      if (keys[child] <= key) break;
      keys[i] = keys[child];
      ids[i] = ids[child];
      vers[i] = vers[child];
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
    vers[i] = ver;
  }

  /** Keeps only the entries `keep` accepts, then restores the heap order (O(size)). */
  compact(keep: (id: number, ver: number) => boolean): void {
    const keys = this.keys;
    const ids = this.ids;
    const vers = this.vers;
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if (!keep(ids[i], vers[i])) continue;
      keys[n] = keys[i];
      ids[n] = ids[i];
      vers[n] = vers[i];
      n++;
    }
    this.keys = keys.slice(0, n);
    this.ids = ids.slice(0, n);
    this.vers = vers.slice(0, n);
    const entries = this.keys.map((k, i) => [k, this.ids[i], this.vers[i]] as const);
    this.size = 0;
    for (const [k, id, v] of entries) this.push(k, id, v);
  }

  /** Every entry (for self-checks). */
  entries(): Array<{ key: number; id: number; ver: number }> {
    const out: Array<{ key: number; id: number; ver: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ key: this.keys[i], id: this.ids[i], ver: this.vers[i] });
    return out;
  }
}

/** Rebuild a heap when it holds more than this many entries beyond twice its live ones. */
const COMPACT_SLACK = 64;

/**
 * The venue's live loans by id (ids are dense from 1; closed loans are
 * forgotten, see above), the open margin loan of each (lender, borrower)
 * pair, and the health index. It only indexes: the venue decides what a
 * crossing means.
 */
export class LoanBook {
  /** Live loans, and loans closed in the current delivery, by id. */
  private readonly byId = new Map<number, Loan>();
  private next = 1;
  private readonly pairs = new Map<number, Loan>();
  private liveList: Loan[] = [];
  /** Forgotten loans still in `liveList` (it is compacted when they are half of it). */
  private closedInList = 0;
  /** Loans closed and not yet forgotten, in closing order. */
  private readonly closing: Loan[] = [];
  private readonly healthyHeaps: TriggerHeap[] = [];
  /** Min-heaps, stored as max-heaps of the negated trigger. */
  private readonly unhealthyHeaps: TriggerHeap[] = [];
  /** Per instrument, the basket loans holding it (each loan's `basketPos` is its place). */
  private readonly baskets: Loan[][] = [];
  /** Kind and parties of every loan ever added. */
  readonly roster = new LoanRoster();
  /** What is kept of the loans forgotten so far. */
  readonly closed = new ClosedLoans();

  /**
   * @param minorPerTickLot minor units per tick·lot of each instrument
   */
  constructor(private readonly minorPerTickLot: readonly number[]) {
    for (let i = 0; i < minorPerTickLot.length; i++) {
      this.healthyHeaps.push(new TriggerHeap());
      this.unhealthyHeaps.push(new TriggerHeap());
      this.baskets.push([]);
    }
  }

  /** The id the next loan gets (ids are 1, 2, 3, … in order of opening). */
  get nextId(): number {
    return this.next;
  }

  /** Highest loan id so far (0 when none): the number of loans ever opened. */
  get maxId(): number {
    return this.next - 1;
  }

  /** Loans held: the live ones, and those closed but not yet forgotten. */
  get size(): number {
    return this.byId.size;
  }

  /** Adds a new loan; its id must be {@link nextId}. */
  add(loan: Loan): void {
    if (loan.id !== this.next) throw new Error(`loan id ${loan.id} is not the next id ${this.next}`);
    this.roster.add(loan.id, loan.kind, loan.lender, loan.borrower);
    this.next++;
    this.byId.set(loan.id, loan);
    this.liveList.push(loan);
    if (loan.kind === 'margin') this.pairs.set(pairKey(loan.lender, loan.borrower), loan);
  }

  /** A held loan (live, or closed during the current delivery); undefined once forgotten or never opened. */
  get(id: number): Loan | undefined {
    return this.byId.get(id);
  }

  /** Every held loan (for audits), in no particular order. */
  held(): IterableIterator<Loan> {
    return this.byId.values();
  }

  /** Loans closed but not yet forgotten, in closing order. */
  get pendingClosed(): readonly Loan[] {
    return this.closing;
  }

  /** Status of any loan ever opened (undefined for an id never used). */
  status(id: number): LoanStatus | undefined {
    const loan = this.byId.get(id);
    if (loan !== undefined) return loan.status;
    return this.roster.has(id) ? this.roster.status(id) : undefined;
  }

  /** The live margin loan from `lender` to `borrower`, if any. */
  marginLoan(lender: number, borrower: number): Loan | undefined {
    return this.pairs.get(pairKey(lender, borrower));
  }

  /**
   * Takes a loan that closed (its status set) out of the index and frees its
   * pair, so a new one can open. It stays held until {@link forgetClosed}.
   */
  release(loan: Loan): void {
    const key = pairKey(loan.lender, loan.borrower);
    if (this.pairs.get(key) === loan) this.pairs.delete(key);
    this.detach(loan);
    loan.unhealthy = false;
    this.roster.close(loan.id, loan.status);
    this.closing.push(loan);
  }

  /**
   * Forgets the loans closed since the last call, in closing order: folds
   * each into {@link closed} and drops it, from the live list too (the venue
   * calls this at the end of every delivery, when none of its parts works on
   * them any more; later commands naming them are answered from the roster).
   * O(closed loans); the live list, which still holds them, is compacted once
   * they are half of it (amortised O(1) a loan, memory at most twice the
   * live loans), not at every delivery that closed one.
   */
  forgetClosed(): void {
    const closing = this.closing;
    if (closing.length === 0) return;
    for (let k = 0; k < closing.length; k++) {
      const loan = closing[k] as Loan;
      this.closed.fold(loan);
      this.byId.delete(loan.id);
    }
    this.closedInList += closing.length;
    closing.length = 0;
    if (this.closedInList > this.liveList.length >> 1) this.live();
  }

  /** Live loans (open or liquidating) in id order; do not mutate. Compacts lazily. */
  live(): readonly Loan[] {
    this.closedInList = 0;
    let n = 0;
    const list = this.liveList;
    for (let i = 0; i < list.length; i++) {
      const l = list[i] as Loan;
      if (l.isLive) list[n++] = l;
    }
    list.length = n;
    return list;
  }

  // ------------------------------------------------------------------ index

  /**
   * Re-indexes `loan` after any change of its debt, collateral or haircuts,
   * and sets `loan.unhealthy` from `marksHalfTicks` (half-ticks per instrument).
   * Loans not open, interbank loans and loans without debt are not indexed.
   */
  reindex(loan: Loan, marksHalfTicks: ArrayLike<number>): void {
    this.detach(loan);
    if (loan.kind !== 'margin' || loan.status !== 'open' || loan.debt === 0) {
      loan.unhealthy = false;
      return;
    }
    const single = loan.singleLeg();
    if (single >= 0) {
      const key = triggerMarkHalfTicks(loan.debt, loan.qty[single], this.minorPerTickLot[single], loan.maintenanceHaircut[single]);
      loan.indexInstrument = single;
      loan.indexKey = key;
      if (marksHalfTicks[single] < key) {
        loan.indexSlot = IndexSlot.Unhealthy;
        this.push(this.unhealthyHeaps[single] as TriggerHeap, -key, loan);
        loan.unhealthy = true;
      } else {
        loan.indexSlot = IndexSlot.Healthy;
        this.push(this.healthyHeaps[single] as TriggerHeap, key, loan);
        loan.unhealthy = false;
      }
      return;
    }
    if (loan.legCount >= 2) {
      loan.indexSlot = IndexSlot.Basket;
      for (let i = 0; i < loan.qty.length; i++) {
        if (loan.qty[i] === 0) continue;
        const list = this.baskets[i] as Loan[];
        loan.basketPos[i] = list.length;
        list.push(loan);
      }
      loan.unhealthy = this.isUnhealthy(loan, marksHalfTicks);
      return;
    }
    // Debt without collateral: nothing can make it healthy but a repayment.
    loan.unhealthy = true;
  }

  /**
   * Processes a new mark of `instrument` (`markHalfTicks` half-ticks; `marksHalfTicks` must
   * already hold it): flags every loan that crossed and tells `sink`.
   * O(1) when nothing crosses, plus O(b) for the basket loans on the instrument.
   */
  onMark(instrument: number, markHalfTicks: number, marksHalfTicks: ArrayLike<number>, sink: HealthSink): void {
    const healthy = this.healthyHeaps[instrument] as TriggerHeap;
    const unhealthy = this.unhealthyHeaps[instrument] as TriggerHeap;
    const byId = this.byId;
    while (healthy.size > 0 && healthy.topKey() > markHalfTicks) {
      const key = healthy.topKey();
      const id = healthy.topId();
      const ver = healthy.topVer();
      healthy.pop();
      const loan = byId.get(id);
      if (loan === undefined || loan.indexVersion !== ver || loan.indexSlot !== IndexSlot.Healthy) continue;
      healthy.live--;
      loan.indexSlot = IndexSlot.Unhealthy;
      unhealthy.push(-key, id, ver);
      unhealthy.live++;
      loan.unhealthy = true;
      sink.onLoanUnhealthy(loan);
    }
    while (unhealthy.size > 0 && -unhealthy.topKey() <= markHalfTicks) {
      const key = -unhealthy.topKey();
      const id = unhealthy.topId();
      const ver = unhealthy.topVer();
      unhealthy.pop();
      const loan = byId.get(id);
      if (loan === undefined || loan.indexVersion !== ver || loan.indexSlot !== IndexSlot.Unhealthy) continue;
      unhealthy.live--;
      loan.indexSlot = IndexSlot.Healthy;
      healthy.push(key, id, ver);
      healthy.live++;
      loan.unhealthy = false;
      sink.onLoanHealthy(loan);
    }
    const basket = this.baskets[instrument] as Loan[];
    for (let k = 0; k < basket.length; k++) {
      const loan = basket[k] as Loan;
      const now = this.isUnhealthy(loan, marksHalfTicks);
      if (now === loan.unhealthy) continue;
      loan.unhealthy = now;
      if (now) sink.onLoanUnhealthy(loan);
      else sink.onLoanHealthy(loan);
    }
  }

  /**
   * Exact health check of any loan at `marksHalfTicks`: liquidation value below debt.
   * A float estimate decides when it is clearly away from the boundary; the
   * exact integer sum decides near it.
   */
  isUnhealthy(loan: Loan, marksHalfTicks: ArrayLike<number>): boolean {
    const debt = loan.debt;
    if (debt === 0) return false;
    const qty = loan.qty;
    const hm = loan.maintenanceHaircut;
    const m = this.minorPerTickLot;
    let approx = 0;
    for (let i = 0; i < qty.length; i++) {
      const q = qty[i];
      if (q > 0) approx += ((q * m[i] * marksHalfTicks[i]) / 2) * ((RATE_SCALE - hm[i]) / RATE_SCALE);
    }
    const margin = debt * 1e-12 + 2 * qty.length + 2;
    if (approx < debt - margin) return true;
    if (approx > debt + margin) return false;
    return this.liquidationValue(loan, marksHalfTicks) < debt;
  }

  /** Exact liquidation value `Σ ⌊q · markHalfTicks · m · (S − h_m) / 2S⌋`, minor units. */
  liquidationValue(loan: LoanView, marksHalfTicks: ArrayLike<number>): number {
    let v = 0;
    for (let i = 0; i < loan.qty.length; i++) {
      const q = loan.qty[i];
      if (q > 0) v += legValueAfterHaircut(q, marksHalfTicks[i], this.minorPerTickLot[i], loan.maintenanceHaircut[i]);
    }
    return v;
  }

  /**
   * Checks the index against the loans (O(n)): every open indexed loan has one
   * live entry with its current trigger, live counters are right, and every
   * held loan's flag equals an exact check at `marksHalfTicks` (a forgotten
   * loan's was checked as it was forgotten: closed-loans.ts). Also checks the
   * store: every id ever opened is held or forgotten, never both, and a held
   * loan is live or pending. Appends messages to `errors`.
   */
  validate(marksHalfTicks: ArrayLike<number>, errors: string[]): void {
    const liveCounts = new Map<TriggerHeap, number>();
    const count = (heap: TriggerHeap, wanted: number, neg: boolean): void => {
      let live = 0;
      for (const e of heap.entries()) {
        const loan = this.byId.get(e.id);
        if (loan === undefined) {
          // A forgotten loan's entries are stale; an id never opened, or a live loan not held, is a bug.
          const status = this.status(e.id);
          if (status !== 'closed' && status !== 'defaulted') errors.push(`index: entry for unknown loan ${e.id}`);
          continue;
        }
        if (loan.indexVersion !== e.ver || loan.indexSlot !== wanted) continue;
        live++;
        const key = neg ? -e.key : e.key;
        if (key !== loan.indexKey) errors.push(`index: loan ${e.id} entry key ${key} ≠ ${loan.indexKey}`);
      }
      liveCounts.set(heap, live);
      if (live !== heap.live) errors.push(`index: heap live count ${heap.live} ≠ ${live}`);
    };
    for (let i = 0; i < this.healthyHeaps.length; i++) {
      count(this.healthyHeaps[i] as TriggerHeap, IndexSlot.Healthy, false);
      count(this.unhealthyHeaps[i] as TriggerHeap, IndexSlot.Unhealthy, true);
    }
    if (this.byId.size + this.closed.count !== this.maxId) errors.push(`store: ${this.byId.size} held + ${this.closed.count} forgotten ≠ ${this.maxId} loans opened`);
    let pending = 0;
    for (const [id, loan] of this.byId) {
      if (loan.id !== id) errors.push(`store: loan ${loan.id} held as ${id}`);
      if (!loan.isLive) pending++;
      const indexed = loan.kind === 'margin' && loan.status === 'open' && loan.debt > 0;
      if (!indexed) {
        checkUnindexed(loan, errors);
        continue;
      }
      const exact = this.liquidationValue(loan, marksHalfTicks) < loan.debt;
      if (exact !== loan.unhealthy) errors.push(`index: loan ${id} flagged ${loan.unhealthy ? 'unhealthy' : 'healthy'}, exact check says otherwise`);
      const single = loan.singleLeg();
      if (single >= 0) {
        const key = triggerMarkHalfTicks(loan.debt, loan.qty[single], this.minorPerTickLot[single], loan.maintenanceHaircut[single]);
        if (loan.indexInstrument !== single || loan.indexKey !== key) errors.push(`index: loan ${id} keyed ${loan.indexKey} on ${loan.indexInstrument}, trigger is ${key} on ${single}`);
        const wanted = marksHalfTicks[single] < key ? IndexSlot.Unhealthy : IndexSlot.Healthy;
        if (loan.indexSlot !== wanted) errors.push(`index: loan ${id} in slot ${loan.indexSlot}, expected ${wanted}`);
      } else if (loan.legCount >= 2) {
        if (loan.indexSlot !== IndexSlot.Basket) errors.push(`index: basket loan ${id} in slot ${loan.indexSlot}`);
        for (let i = 0; i < loan.qty.length; i++) {
          const pos = loan.basketPos[i];
          if (loan.qty[i] > 0 && (this.baskets[i] as Loan[])[pos] !== loan) errors.push(`index: basket loan ${id} missing from list ${i}`);
        }
      }
    }
    if (pending !== this.closing.length) errors.push(`store: ${pending} closed loans held, ${this.closing.length} pending`);
  }

  // ---------------------------------------------------------------- private

  private push(heap: TriggerHeap, key: number, loan: Loan): void {
    heap.push(key, loan.id, loan.indexVersion);
    heap.live++;
    if (heap.size > 2 * heap.live + COMPACT_SLACK) this.compact(heap);
  }

  private compact(heap: TriggerHeap): void {
    const slot = this.healthyHeaps.includes(heap) ? IndexSlot.Healthy : IndexSlot.Unhealthy;
    heap.compact((id, ver) => {
      const loan = this.byId.get(id);
      return loan !== undefined && loan.indexVersion === ver && loan.indexSlot === slot;
    });
  }

  /** Takes the loan out of the index: its heap entry turns stale, its basket slots are freed. */
  private detach(loan: Loan): void {
    const slot = loan.indexSlot;
    if (slot === IndexSlot.Healthy) (this.healthyHeaps[loan.indexInstrument] as TriggerHeap).live--;
    else if (slot === IndexSlot.Unhealthy) (this.unhealthyHeaps[loan.indexInstrument] as TriggerHeap).live--;
    else if (slot === IndexSlot.Basket) {
      for (let i = 0; i < loan.basketPos.length; i++) {
        const pos = loan.basketPos[i];
        if (pos < 0) continue;
        const list = this.baskets[i] as Loan[];
        const last = list[list.length - 1] as Loan;
        list[pos] = last;
        list.pop();
        if (last !== loan) last.basketPos[i] = pos;
        loan.basketPos[i] = -1;
      }
    }
    loan.indexSlot = IndexSlot.None;
    loan.indexInstrument = -1;
    loan.indexVersion++;
  }
}

/** One number per (lender, borrower): agent ids are below 2^21. */
function pairKey(lender: number, borrower: number): number {
  return lender * 2_097_152 + borrower;
}
