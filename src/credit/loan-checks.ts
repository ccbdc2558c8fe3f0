/**
 * What the venue's audit checks and hashes of one loan. The audit applies
 * it to the loans the book holds; the book's record of closed loans applies
 * it once to each loan as it forgets it (a closed loan never changes again,
 * so once is as good as at every audit).
 *
 * @packageDocumentation
 */

import type { StateHasher } from '../engine/state-hasher.js';
import { IndexSlot, type Loan } from './loan.js';

/**
 * Appends one message per broken per-loan invariant: amounts are
 * non-negative safe integers; `lent − repaid + interestBooked − writtenOff =
 * debt`; closed loans owe nothing; only open loans pledge; the collateral is
 * well formed and its leg count right.
 */
export function checkLoan(loan: Loan, errors: string[]): void {
  const id = loan.id;
  const parts = [loan.principal, loan.interest, loan.lent, loan.repaid, loan.interestBooked, loan.writtenOff];
  if (!parts.every((x) => Number.isSafeInteger(x) && x >= 0)) errors.push(`loan ${id}: amounts ${parts.join(', ')} are not non-negative safe integers`);
  if (loan.lent - loan.repaid + loan.interestBooked - loan.writtenOff !== loan.debt) {
    errors.push(`loan ${id}: lent ${loan.lent} − repaid ${loan.repaid} + interest ${loan.interestBooked} − written off ${loan.writtenOff} ≠ debt ${loan.debt}`);
  }
  const pledges = loan.qty.some((q) => q !== 0);
  if (!loan.isLive && loan.debt !== 0) errors.push(`loan ${id}: ${loan.status} with debt ${loan.debt}`);
  if (loan.status !== 'open' && pledges) errors.push(`loan ${id}: ${loan.status} but still pledges collateral`);
  if (loan.qty.some((q) => !Number.isSafeInteger(q) || q < 0)) errors.push(`loan ${id}: bad collateral ${loan.qty.join(',')}`);
  if (loan.legCount !== loan.qty.filter((q) => q > 0).length) errors.push(`loan ${id}: leg count ${loan.legCount} is wrong`);
}

/** The health index's check of a loan it must not index (closed, liquidating, no debt): neither indexed nor flagged. */
export function checkUnindexed(loan: Loan, errors: string[]): void {
  if (loan.indexSlot !== IndexSlot.None) errors.push(`index: loan ${loan.id} (${loan.status}, debt ${loan.debt}) is indexed`);
  if (loan.unhealthy) errors.push(`index: loan ${loan.id} (${loan.status}, debt ${loan.debt}) flagged unhealthy`);
}

/**
 * Feeds a loan's whole state to `h`: id, kind, status, parties, accounts,
 * amounts, accrual basis, rate, calls, flags, and per instrument its lots and
 * haircuts. (No allocation: the book folds every closing loan through here.)
 */
export function hashLoan(h: StateHasher, l: Loan): void {
  h.num(l.id);
  h.str(l.kind);
  h.str(l.status);
  h.num(l.lender);
  h.num(l.borrower);
  h.num(l.lenderAccount);
  h.num(l.borrowerAccount);
  h.num(l.openedAt);
  h.num(l.principal);
  h.num(l.interest);
  h.num(l.rate);
  h.num(l.basisTime);
  h.num(l.bookedSinceBasis);
  h.num(l.lent);
  h.num(l.repaid);
  h.num(l.interestBooked);
  h.num(l.writtenOff);
  h.num(l.callRemaining);
  h.num(l.callDeadline);
  h.num(l.healthCallDeadline);
  h.num((l.frozen ? 1 : 0) + (l.callAll ? 2 : 0) + (l.overdue ? 4 : 0) + (l.unhealthy ? 8 : 0));
  for (let i = 0; i < l.qty.length; i++) {
    h.num(l.qty[i]);
    h.num(l.originHaircut[i]);
    h.num(l.maintenanceHaircut[i]);
  }
}
