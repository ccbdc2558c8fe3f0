/**
 * The credit venue's self-checks: its invariants, and a deterministic hash
 * of its state (the golden outputs record it; do not change what it hashes,
 * or in which order, without re-recording them).
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import { StateHasher } from '../engine/state-hasher.js';
import type { Ledger } from '../market/ledger.js';
import type { LenderBooks } from './lender-books.js';
import type { LiquidationPolicy, LiquidationView } from './liquidation-policy.js';
import type { Loan } from './loan.js';
import type { LoanBook } from './loan-book.js';

/** Audits one venue. */
export class CreditAudit {
  constructor(
    private readonly ledger: Ledger,
    private readonly instrumentCount: number,
    private readonly marksHalfTicks: readonly number[],
    private readonly book: LoanBook,
    private readonly lenders: LenderBooks,
    private readonly subscribers: readonly AgentId[],
    private readonly policy: LiquidationPolicy,
    private readonly view: LiquidationView,
  ) {}

  /**
   * Checks the venue's invariants (O(loans × instruments)):
   * - per loan: `lent − repaid + interestBooked − writtenOff = debt`, all parts
   *   non-negative safe integers; closed and liquidating loans pledge nothing;
   *   closed loans owe nothing;
   * - every pledged lot is held in the borrower's ledger account
   *   (Σ pledged ≤ held, per account and instrument);
   * - the aggregates (per lender, per borrower, total) equal the sums over loans;
   * - no draw was booked beyond a lender's limits;
   * - the health index agrees with an exact scan;
   * - the policy's own invariants, and the ledger's.
   *
   * @returns one message per violation; empty when sound
   */
  validateInvariants(): string[] {
    const errors: string[] = [];
    const pledged = new Map<number, number[]>();
    const lenderMargin = new Map<AgentId, number>();
    const lenderInterbank = new Map<AgentId, number>();
    const bankLiab = new Map<AgentId, number>();
    const borrower = new Map<AgentId, number>();
    let total = 0;
    for (let id = 1; id <= this.book.maxId; id++) {
      const loan = this.book.get(id) as Loan;
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
      if (loan.kind === 'margin') {
        if (pledges) {
          const row = pledged.get(loan.borrowerAccount) ?? new Array<number>(this.instrumentCount).fill(0);
          for (let i = 0; i < row.length; i++) row[i] = row[i] + loan.qty[i];
          pledged.set(loan.borrowerAccount, row);
        }
        lenderMargin.set(loan.lender, (lenderMargin.get(loan.lender) ?? 0) + loan.debt);
        borrower.set(loan.borrower, (borrower.get(loan.borrower) ?? 0) + loan.debt);
        total += loan.debt;
      } else {
        lenderInterbank.set(loan.lender, (lenderInterbank.get(loan.lender) ?? 0) + loan.debt);
        bankLiab.set(loan.borrower, (bankLiab.get(loan.borrower) ?? 0) + loan.debt);
      }
    }
    for (const [account, row] of pledged) {
      for (let i = 0; i < row.length; i++) {
        const held = this.ledger.heldPosition(account, i);
        if (row[i] > held) errors.push(`account ${account}: ${row[i]} lots of ${i} pledged, only ${held} held`);
      }
    }
    for (const r of this.lenders.list) {
      if ((lenderMargin.get(r.agent) ?? 0) !== r.marginClaims) errors.push(`lender ${r.agent}: margin claims ${r.marginClaims} ≠ Σ loans ${lenderMargin.get(r.agent) ?? 0}`);
      if ((lenderInterbank.get(r.agent) ?? 0) !== r.interbankClaims) errors.push(`lender ${r.agent}: interbank claims ${r.interbankClaims} ≠ Σ loans ${lenderInterbank.get(r.agent) ?? 0}`);
      if ((bankLiab.get(r.agent) ?? 0) !== r.interbankLiabilities) errors.push(`lender ${r.agent}: interbank liabilities ${r.interbankLiabilities} ≠ Σ loans ${bankLiab.get(r.agent) ?? 0}`);
      if (r.limitBreaches !== 0) errors.push(`lender ${r.agent}: ${r.limitBreaches} draws beyond its limits`);
    }
    for (const [agent, debt] of this.lenders.borrowerDebts) if ((borrower.get(agent) ?? 0) !== debt) errors.push(`borrower ${agent}: debt ${debt} ≠ Σ loans ${borrower.get(agent) ?? 0}`);
    if (total !== this.lenders.marginDebt) errors.push(`total debt ${this.lenders.marginDebt} ≠ Σ loans ${total}`);
    this.book.validate(this.marksHalfTicks, errors);
    this.policy.validate(this.view, errors);
    for (const e of this.ledger.validateInvariants()) errors.push(`ledger: ${e}`);
    return errors;
  }

  /**
   * A deterministic 64-bit FNV-1a hash (16 hex digits) of the venue's state:
   * marks, every loan (amounts, accrual basis, rate, collateral, haircuts,
   * calls, status, health flag), every lender (terms, aggregates, counters,
   * default), the subscribers and the policy's digest.
   */
  stateHash(): string {
    const h = new StateHasher();
    for (const m of this.marksHalfTicks) h.num(m);
    h.num(this.book.maxId);
    for (let id = 1; id <= this.book.maxId; id++) {
      const l = this.book.get(id) as Loan;
      h.str(l.kind);
      h.str(l.status);
      for (const x of [l.lender, l.borrower, l.lenderAccount, l.borrowerAccount, l.openedAt, l.principal, l.interest, l.rate, l.basisTime, l.bookedSinceBasis]) h.num(x);
      for (const x of [l.lent, l.repaid, l.interestBooked, l.writtenOff, l.callRemaining, l.callDeadline, l.healthCallDeadline]) h.num(x);
      h.num((l.frozen ? 1 : 0) + (l.callAll ? 2 : 0) + (l.overdue ? 4 : 0) + (l.unhealthy ? 8 : 0));
      for (let i = 0; i < l.qty.length; i++) {
        h.num(l.qty[i]);
        h.num(l.originHaircut[i]);
        h.num(l.maintenanceHaircut[i]);
      }
    }
    for (const r of this.lenders.list) {
      for (const x of [r.agent, r.account, r.externalLiabilities, r.capital, r.marginClaims, r.interbankClaims, r.interbankLiabilities]) h.num(x);
      for (const x of [r.interestEarned, r.interestPaid, r.badDebt, r.claimsWrittenDown, r.liabilitiesForgiven, r.limitBreaches]) h.num(x);
      h.num(r.defaulted ? 1 : 0);
      h.str(String(r.recoveryRate));
      if (r.terms === null) h.num(-1);
      else {
        for (const x of r.terms.haircuts) h.num(x);
        for (const x of r.terms.maintenanceHaircuts) h.num(x);
        h.num(r.terms.annualRate);
        h.num(r.terms.maxPerBorrower);
        h.num(r.terms.maxTotal);
      }
    }
    for (const s of this.subscribers) h.num(s);
    for (const x of this.policy.stateDigest()) h.num(x);
    h.num(this.lenders.marginDebt);
    h.num(this.lenders.badDebtTotal);
    return h.hex();
  }
}
