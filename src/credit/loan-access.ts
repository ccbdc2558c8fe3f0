/**
 * Who may act on a loan by a command, checked in the venue's one order:
 * the loan must exist (and be a margin loan, for a margin command), the
 * sender must be the party the command is for, and the loan must be open.
 *
 * A closed loan the book has forgotten still answers as it did while held:
 * its kind and parties come from the roster (loan-roster.ts), and it is not
 * open. So a borrower repaying a loan a liquidator has just closed, or a
 * liquidator losing a race, gets the same refusal as ever.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { CreditRejectReason } from './credit-messages.js';
import type { LoanBook } from './loan-book.js';

/** Whom a command on a loan must come from. */
export type LoanParty = 'borrower' | 'lender' | 'anyone';

/**
 * Why a command from `from` naming loan `loanId` is refused before it
 * reaches the loan, or null when it may go on (the loan is then
 * `book.get(loanId)`, open): `UNKNOWN_LOAN` (no such id, or an interbank
 * loan when `marginOnly`), `NOT_BORROWER` / `NOT_LENDER` (not `party`),
 * `LOAN_CLOSED` (liquidating, closed or defaulted).
 */
export function loanRefusal(book: LoanBook, loanId: number, from: AgentId, party: LoanParty, marginOnly: boolean): CreditRejectReason | null {
  const loan = book.get(loanId);
  const roster = book.roster;
  if (loan === undefined && !roster.has(loanId)) return 'UNKNOWN_LOAN';
  // Held: the loan itself; forgotten: its roster entry (a forgotten loan is closed).
  const kind = loan !== undefined ? loan.kind : roster.kind(loanId);
  if (marginOnly && kind !== 'margin') return 'UNKNOWN_LOAN';
  if (party === 'borrower' && (loan !== undefined ? loan.borrower : roster.borrower(loanId)) !== from) return 'NOT_BORROWER';
  if (party === 'lender' && (loan !== undefined ? loan.lender : roster.lender(loanId)) !== from) return 'NOT_LENDER';
  if (loan === undefined || loan.status !== 'open') return 'LOAN_CLOSED';
  return null;
}
