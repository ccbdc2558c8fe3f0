/**
 * Lender default, loss sharing and receivership.
 *
 * When a loss (bad debt, a write-down, interest) leaves a lender with
 * negative equity, the venue clears the interbank network by Eisenberg &
 * Noe (2001) (systemic/interbank-clearing.ts) with outside assets
 * `e_i = cash + margin claims`. Every bank whose clearing payment falls short
 * of its obligations defaults: it stops lending and borrowing, the interest
 * on its liabilities stops, and each of its liabilities (interbank and
 * external) is written down to `⌈face · p_i / p̄_i⌉` (the defaulter bears the
 * sub-unit remainder: `recoveredClaim` in rounding.ts); creditors book the
 * write-down as a loss, which is how one default causes the next. A
 * defaulted bank is in receivership: whenever it has free cash, the cash is
 * paid out pro rata to its interbank creditors (the external creditors'
 * share stays in its account, owed to them), as repayments of the
 * written-down claims.
 *
 * @packageDocumentation
 */

import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Ledger } from '../market/ledger.js';
import { mulDiv, recoveredClaim } from '../market/rounding.js';
import { clearingVector } from '../systemic/interbank-clearing.js';
import type { ClaimWrittenDown, LenderDefaulted } from './credit-events.js';
import type { CreditReports } from './credit-reports.js';
import type { LenderBooks, LenderRecord } from './lender-books.js';
import type { LoanBook } from './loan-book.js';
import type { LoanPostings } from './loan-postings.js';

/** Clears the lenders' network after losses and pays defaulters' cash out. */
export class Receivership {
  constructor(
    private readonly kernel: Kernel,
    private readonly ledger: Ledger,
    private readonly book: LoanBook,
    private readonly lenders: LenderBooks,
    private readonly postings: LoanPostings,
    private readonly reports: CreditReports,
  ) {}

  /** After each delivery: clears the network if a loss left a lender insolvent, then runs receivership sweeps. */
  settleLosses(): void {
    const lenders = this.lenders;
    if (lenders.solvencyDirty) {
      lenders.solvencyDirty = false;
      let trigger = false;
      for (const r of lenders.list) {
        const equity = lenders.equityOf(r);
        if (equity < 0 && (!r.defaulted || r.lossSinceClearing)) trigger = true;
      }
      if (trigger) this.clearInterbank();
      for (const r of lenders.list) r.lossSinceClearing = false;
    }
    if (lenders.sweepDirty) {
      lenders.sweepDirty = false;
      this.sweepAll();
    }
  }

  /**
   * Clears the lenders' network by Eisenberg–Noe: outside assets `e_i = cash
   * + margin claims`, obligations = interbank debts (accrued to now) and
   * external liabilities. Writes the defaulters' liabilities down to their
   * recovery rate.
   */
  private clearInterbank(): void {
    const now = this.kernel.now;
    const list = this.lenders.list;
    const n = list.length;
    const index = new Map<AgentId, number>();
    list.forEach((r, i) => index.set(r.agent, i));
    const interbank = this.book.live().filter((l) => l.kind === 'interbank');
    for (const loan of interbank) this.postings.accrue(loan);
    const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (const loan of interbank) {
      const row = L[index.get(loan.borrower) as number] as number[];
      const j = index.get(loan.lender) as number;
      row[j] = row[j] + loan.debt;
    }
    const result = clearingVector({
      liabilities: L,
      externalLiabilities: list.map((r) => r.externalLiabilities),
      externalAssets: list.map((r) => this.ledger.cash(r.account) + r.marginClaims),
    });
    for (let i = 0; i < n; i++) {
      if (!result.defaulted[i]) continue;
      const rec = list[i] as LenderRecord;
      const r = result.recovery[i];
      const equityBefore = this.lenders.equityOf(rec);
      rec.recoveryRate = r;
      if (!rec.defaulted) {
        rec.defaulted = true;
        if (this.kernel.observes('LenderDefaulted')) {
          const e: LenderDefaulted = { ...this.reports.stamp('LenderDefaulted'), lender: rec.agent, recoveryRate: r, equityBefore, obligations: result.obligations[i], round: result.defaultRound[i] };
          this.kernel.emit(e);
        }
      }
      for (const loan of interbank) {
        if (loan.borrower !== rec.agent || !loan.isLive) continue;
        loan.freeze();
        const target = recoveredClaim(loan.debt, r);
        const cut = loan.debt - target;
        if (cut > 0) {
          loan.writeOff(now, cut);
          this.lenders.adjust(loan, -cut);
          (this.lenders.get(loan.lender) as LenderRecord).claimsWrittenDown += cut;
          rec.liabilitiesForgiven += cut;
          if (this.kernel.observes('ClaimWrittenDown')) {
            const e: ClaimWrittenDown = { ...this.reports.stamp('ClaimWrittenDown'), loanId: loan.id, creditor: loan.lender, debtor: loan.borrower, amount: cut };
            this.kernel.emit(e);
          }
        }
        if (loan.debt === 0) this.postings.close(loan, 'defaulted');
      }
      const ext = rec.externalLiabilities;
      const extAfter = recoveredClaim(ext, r);
      rec.liabilitiesForgiven += ext - extAfter;
      rec.externalLiabilities = extAfter;
    }
    this.lenders.sweepDirty = true;
  }

  /** Pays the free cash of every defaulted lender out to its interbank creditors, pro rata, until nothing moves. */
  private sweepAll(): void {
    const list = this.lenders.list;
    for (let round = 0; round <= list.length; round++) {
      let moved = false;
      for (const rec of list) if (rec.defaulted && this.sweep(rec)) moved = true;
      if (!moved) return;
    }
  }

  private sweep(rec: LenderRecord): boolean {
    const avail = this.ledger.availableCash(rec.account);
    if (avail <= 0) return false;
    const owed = this.book.live().filter((l) => l.kind === 'interbank' && l.borrower === rec.agent && l.debt > 0);
    let total = rec.externalLiabilities;
    for (const l of owed) total += l.debt;
    if (owed.length === 0 || total === 0) return false;
    let moved = false;
    for (const loan of owed) {
      const pay = Math.min(loan.debt, mulDiv(avail, loan.debt, total, 'floor'));
      if (pay <= 0) continue;
      this.postings.repay(loan, rec.agent, rec.account, pay);
      moved = true;
      if (loan.debt === 0) this.postings.close(loan, 'closed');
    }
    return moved;
  }
}
