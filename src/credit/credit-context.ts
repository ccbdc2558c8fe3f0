/**
 * What every room of the credit venue works with: the kernel, the ledger and
 * the instruments below, the venue's marks, the loan book, and the venue's
 * own postings, reports and timers. `CreditMarket` builds it once at attach
 * and hands it to the rooms that need all of it (credit lines, liquidation
 * venue), each adding what is its own.
 *
 * @module
 */

import type { AgentId } from '../engine/agent-id.js';
import type { Kernel } from '../engine/kernel.js';
import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import type { CreditReports } from './credit-reports.js';
import type { CreditTimers } from './credit-timers.js';
import type { LoanBook } from './loan-book.js';
import type { LoanPostings } from './loan-postings.js';

/** The credit venue's shared state and services. */
export interface CreditContext {
  readonly kernel: Kernel;
  readonly ledger: Ledger;
  readonly instruments: readonly Instrument[];
  /** Last known mark of each instrument, half-ticks. */
  readonly marksHalfTicks: ArrayLike<number>;
  /** Minor units per tick·lot of each instrument. */
  readonly minorPerTickLot: ArrayLike<number>;
  readonly book: LoanBook;
  readonly postings: LoanPostings;
  readonly reports: CreditReports;
  readonly timers: CreditTimers;
  /** Ledger account of an agent at the venue, or -1. */
  readonly accountOf: (agent: AgentId) => number;
}
