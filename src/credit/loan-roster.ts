/**
 * Who every loan id of the venue was between, and how each closed loan
 * ended: all the venue remembers of a loan once the book has forgotten it.
 *
 * A command may name a loan that closed long ago (a borrower repaying a loan
 * a liquidator has just closed, a liquidator losing a race). Its answer
 * depends on the loan's kind and parties (`UNKNOWN_LOAN` for an interbank
 * loan a margin command names, `NOT_BORROWER`, `NOT_LENDER`, else
 * `LOAN_CLOSED`), so those stay known for every id: 9 bytes a loan in typed
 * columns, instead of the whole {@link Loan} with its collateral arrays.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { LoanKind, LoanStatus } from './loan.js';

/** Codes of the `flags` column: the kind in bit 0, the status above it. */
const INTERBANK = 1;
const STATUS_SHIFT = 1;
const STATUSES: readonly LoanStatus[] = ['open', 'liquidating', 'closed', 'defaulted'];

/** Kind, parties and end of every loan id, in columns indexed by id (ids are dense from 1). */
export class LoanRoster {
  private lenders = new Int32Array(64);
  private borrowers = new Int32Array(64);
  private flags = new Uint8Array(64);
  /** Ids below this are on the roster. */
  private end = 1;

  /** Enters loan `id`, which must be the next id. */
  add(id: number, kind: LoanKind, lender: AgentId, borrower: AgentId): void {
    if (id !== this.end) throw new Error(`roster: loan id ${id} is not the next id ${this.end}`);
    if (id >= this.flags.length) this.grow();
    this.lenders[id] = lender;
    this.borrowers[id] = borrower;
    this.flags[id] = kind === 'interbank' ? INTERBANK : 0;
    this.end = id + 1;
  }

  /** Records how loan `id` ended (`closed` or `defaulted`). */
  close(id: number, status: LoanStatus): void {
    this.flags[id] = (this.flags[id] & INTERBANK) | (STATUSES.indexOf(status) << STATUS_SHIFT);
  }

  /** True when `id` names a loan ever opened. */
  has(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id < this.end;
  }

  /** Kind of loan `id` (which must be on the roster). */
  kind(id: number): LoanKind {
    return (this.flags[id] & INTERBANK) !== 0 ? 'interbank' : 'margin';
  }

  lender(id: number): AgentId {
    return this.lenders[id];
  }

  borrower(id: number): AgentId {
    return this.borrowers[id];
  }

  /** Status of loan `id` as last recorded: `open` until {@link close} (the live loan itself says more). */
  status(id: number): LoanStatus {
    return STATUSES[this.flags[id] >> STATUS_SHIFT] as LoanStatus;
  }

  /** Doubles the columns (amortised O(1) a loan). */
  private grow(): void {
    const n = this.flags.length * 2;
    const lenders = new Int32Array(n);
    lenders.set(this.lenders);
    const borrowers = new Int32Array(n);
    borrowers.set(this.borrowers);
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.lenders = lenders;
    this.borrowers = borrowers;
    this.flags = flags;
  }
}
