import type { Scenario } from './scenario.js';

/** A violated invariant found by the paranoid check, with the event that broke it. */
export class InvariantViolation extends Error {
  constructor(
    readonly deliveryId: number,
    readonly causes: number[],
    readonly problems: string[],
  ) {
    super(`invariant violated after delivery ${deliveryId} (causes: ${causes.join(' ← ') || 'none'}): ${problems.join('; ')}`);
    this.name = 'InvariantViolation';
  }
}

/**
 * The check run after every delivery by `--check-invariants every`. The
 * ledger's and the books' invariants are functions of their state alone, so
 * a ledger or book whose revision has not moved since it last passed is not
 * walked again: on a long run most deliveries touch neither, and walking
 * tens of thousands of resting orders after each of them is what made the
 * check cost hours. The credit venue, whose loans move with prices the
 * ledger does not see, is checked every time.
 */
export class InvariantWatch {
  private ledgerRevision = -1;
  private readonly bookRevisions: number[];

  constructor(private readonly s: Scenario) {
    this.bookRevisions = new Array<number>(s.instruments.length).fill(-1);
  }

  /** The problems of the state now; empty when all invariants hold. */
  problems(): string[] {
    const s = this.s;
    const problems: string[] = [];
    if (s.ledger.revision !== this.ledgerRevision) {
      for (const p of s.ledger.validateInvariants()) problems.push(p);
      this.ledgerRevision = s.ledger.revision;
    }
    if (s.credit !== null) for (const p of s.credit.validateInvariants()) problems.push(`credit: ${p}`);
    for (let i = 0; i < s.instruments.length; i++) {
      const book = s.exchange.book(i);
      if (book.revision === this.bookRevisions[i]) continue;
      for (const p of book.validateInternalState()) problems.push(`${s.instruments[i]!.symbol}: ${p}`);
      this.bookRevisions[i] = book.revision;
    }
    return problems;
  }
}

/** Ledger, credit and book invariants of a scenario, all walked; empty when all hold. */
export function invariantProblems(s: Scenario): string[] {
  return new InvariantWatch(s).problems();
}
