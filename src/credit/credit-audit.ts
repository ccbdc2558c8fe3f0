/**
 * The credit venue's self-checks: its invariants, and a deterministic hash
 * of its state (the golden outputs record it; do not change what it hashes,
 * or in which order, without re-recording them).
 *
 * Both cover every loan ever opened: the loans the book holds are checked
 * and hashed here; the loans it has forgotten were checked and hashed once
 * each as they were forgotten (closed-loans.ts), and their record enters
 * here in their place.
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import { StateHasher } from '../engine/state-hasher.js';
import type { Ledger } from '../market/ledger.js';
import type { ClosedLoanTotals } from './closed-loans.js';
import type { LenderBooks } from './lender-books.js';
import type { LiquidationPolicy, LiquidationView } from './liquidation-policy.js';
import type { Loan } from './loan.js';
import type { LoanBook } from './loan-book.js';
import { checkLoan, hashLoan } from './loan-checks.js';
import { isImmediateUncapped } from './terms-schedule.js';

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
   * Checks the venue's invariants (O(held loans × instruments)):
   * - per loan: `lent − repaid + interestBooked − writtenOff = debt`, all parts
   *   non-negative safe integers; closed and liquidating loans pledge nothing;
   *   closed loans owe nothing (forgotten loans: the violations found as
   *   they were forgotten, and the same identity over their totals);
   * - every pledged lot is held in the borrower's ledger account
   *   (Σ pledged ≤ held, per account and instrument);
   * - the aggregates (per lender, per borrower, total) equal the sums over
   *   loans: the held ones plus what forgotten ones left (nothing, unless a bug);
   * - no draw was booked beyond a lender's limits;
   * - the health index agrees with an exact scan;
   * - the policy's own invariants, and the ledger's.
   *
   * @returns one message per violation; empty when sound
   */
  validateInvariants(): string[] {
    const errors: string[] = [];
    const closed = this.book.closed;
    for (const e of closed.violations) errors.push(e);
    if (closed.violationsDropped > 0) errors.push(`forgotten loans: ${closed.violationsDropped} more violations`);
    const closedFlows: Array<[ClosedLoanTotals, number]> = [
      [closed.margin, sum(closed.marginDebtByLender)],
      [closed.interbank, sum(closed.interbankDebtByLender)],
    ];
    for (const [t, left] of closedFlows) {
      if (t.lent - t.repaid + t.interestBooked - t.writtenOff !== left) errors.push(`forgotten loans: lent ${t.lent} − repaid ${t.repaid} + interest ${t.interestBooked} − written off ${t.writtenOff} ≠ debt left ${left}`);
    }
    // Sums over every loan ever opened: the held ones are added below to what the forgotten ones left.
    const pledged = new Map<number, number[]>();
    for (const [account, row] of closed.pledgedByAccount) pledged.set(account, [...row]);
    const lenderMargin = new Map<AgentId, number>(closed.marginDebtByLender);
    const lenderInterbank = new Map<AgentId, number>(closed.interbankDebtByLender);
    const bankLiab = new Map<AgentId, number>(closed.interbankDebtByBorrower);
    const borrower = new Map<AgentId, number>(closed.marginDebtByBorrower);
    let total = closedFlows[0][1];
    for (const loan of this.book.held()) {
      checkLoan(loan, errors);
      const pledges = loan.qty.some((q) => q !== 0);
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
   * marks, the number of loans ever opened, every live loan in id order
   * (id, amounts, accrual basis, rate, collateral, haircuts, calls, status,
   * health flag), the closed loans (their number, and the running hash of
   * the same fields of each, in the order they closed: closed-loans.ts),
   * every lender (terms, aggregates, counters, default; its terms schedule
   * and pending rolls unless it is the default), the subscribers and
   * the policy's digest.
   *
   * (Until the venue forgot closed loans, every loan was hashed in id order
   * without its id; values recorded before differ for runs with loans.)
   */
  stateHash(): string {
    const h = new StateHasher();
    for (const m of this.marksHalfTicks) h.num(m);
    h.num(this.book.maxId);
    const live = this.book.live();
    h.num(live.length);
    for (let k = 0; k < live.length; k++) hashLoan(h, live[k] as Loan);
    const pending = this.book.pendingClosed;
    h.num(this.book.closed.count + pending.length);
    h.str(this.book.closed.digest(pending));
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
      // A schedule other than the default (terms-schedule.ts); absent from the hash of default runs, which stay as they were.
      if (!isImmediateUncapped(r.schedule)) {
        h.str(r.schedule.apply);
        h.num(r.schedule.rollIntervalUs);
        h.num(r.schedule.noticeUs);
        h.num(r.schedule.maxStep);
        h.num(r.rolls === null ? 0 : r.rolls.size);
      }
    }
    for (const s of this.subscribers) h.num(s);
    for (const x of this.policy.stateDigest()) h.num(x);
    h.num(this.lenders.marginDebt);
    h.num(this.lenders.badDebtTotal);
    return h.hex();
  }
}

function sum(map: ReadonlyMap<unknown, number>): number {
  let s = 0;
  for (const v of map.values()) s += v;
  return s;
}
