/**
 * The credit venue's wake-ups, by purpose. A timer says what it is for; the
 * kernel's numeric tag carries only the purpose's code (for traces), and the
 * timer itself is found again by the delivery's id.
 *
 * At most one wake-up is pending per purpose: one accrual tick and one
 * keeper re-offer for the venue, per loan one lender-call deadline, one
 * health-call deadline and one policy wake-up, and per lender one roll (its
 * loans' next roll due) and one notice expiry. A new loan or lender timer
 * replaces (cancels) the pending one of its purpose, except a policy wake-up,
 * which a pending earlier one already serves. A lender's timers are per
 * lender, not one for the venue, because each applies that lender's latest
 * posting and takes it as cause (terms-application.ts). Scheduling goes straight to the kernel
 * in the order asked, so times and sequence numbers are what they always were.
 *
 * @packageDocumentation
 */

import type { Kernel, Scheduled } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';

/** Why the venue wakes. */
export type CreditTimer =
  /** Periodic interest accrual over every live loan. */
  | { readonly purpose: 'accrual' }
  /** Offers loans that stay unhealthy to the policy again. */
  | { readonly purpose: 'reoffer' }
  /** A lender's call on the loan falls due. */
  | { readonly purpose: 'lender-call'; readonly loanId: number }
  /** The venue's health call on the loan falls due. */
  | { readonly purpose: 'health-call'; readonly loanId: number }
  /** The liquidation policy asked to be woken for the loan. */
  | { readonly purpose: 'policy'; readonly loanId: number }
  /** Loans of the lender are due to roll onto its posted terms. */
  | { readonly purpose: 'roll'; readonly lender: AgentId }
  /** The lender's notice period ends: its latest terms reach its loans. */
  | { readonly purpose: 'notice'; readonly lender: AgentId };

/** The purposes of a loan's timers. */
export type LoanTimerPurpose = 'lender-call' | 'health-call' | 'policy';

/** The purposes of a lender's timers. */
export type LenderTimerPurpose = 'roll' | 'notice';

/** Kernel tag of each purpose (informative only: delivery finds the timer by id). */
const TAG = { accrual: 0, reoffer: 1, 'lender-call': 2, 'health-call': 3, policy: 4, roll: 5, notice: 6 } as const;

const ACCRUAL: CreditTimer = Object.freeze({ purpose: 'accrual' });
const REOFFER: CreditTimer = Object.freeze({ purpose: 'reoffer' });

/** The venue's pending wake-ups. */
export class CreditTimers {
  /** Pending timers by delivery id. */
  private readonly pending = new Map<number, CreditTimer>();
  /** Per purpose, the pending wake-up of each loan. */
  private readonly perLoan: Record<LoanTimerPurpose, Map<number, Scheduled>> = {
    'lender-call': new Map(),
    'health-call': new Map(),
    policy: new Map(),
  };
  /** Per purpose, the pending wake-up of each lender. */
  private readonly perLender: Record<LenderTimerPurpose, Map<AgentId, Scheduled>> = { roll: new Map(), notice: new Map() };
  private accrualPending = false;
  private reofferPending = false;

  constructor(
    private readonly kernel: Kernel,
    private readonly venue: AgentId,
  ) {}

  /** Schedules the accrual tick at `time` unless one is pending. */
  accrualAt(time: Micros): void {
    if (this.accrualPending) return;
    this.accrualPending = true;
    this.schedule(ACCRUAL, time);
  }

  /** Schedules the re-offer at `time` unless one is pending. */
  reofferAt(time: Micros): void {
    if (this.reofferPending) return;
    this.reofferPending = true;
    this.schedule(REOFFER, time);
  }

  /** Schedules the loan's `purpose` timer at `time`, replacing the pending one. */
  setLoanTimer(purpose: 'lender-call' | 'health-call', loanId: number, time: Micros): void {
    this.cancelLoanTimer(purpose, loanId);
    this.perLoan[purpose].set(loanId, this.schedule({ purpose, loanId }, time));
  }

  /** Wakes the policy for the loan at `time`, unless a wake-up no later is pending (it serves). */
  wakePolicy(loanId: number, time: Micros): void {
    const pending = this.perLoan.policy.get(loanId);
    if (pending !== undefined && pending.time <= time) return;
    this.cancelLoanTimer('policy', loanId);
    this.perLoan.policy.set(loanId, this.schedule({ purpose: 'policy', loanId }, time));
  }

  /** Cancels the loan's pending `purpose` timer, if any. */
  cancelLoanTimer(purpose: LoanTimerPurpose, loanId: number): void {
    this.cancelIn(this.perLoan[purpose], loanId);
  }

  /**
   * Schedules the lender's `purpose` timer at `time`, replacing the pending
   * one, with `cause` as its cause (the posting whose terms it will apply;
   * see Kernel.wakeAtCausedBy).
   */
  setLenderTimer(purpose: LenderTimerPurpose, lender: AgentId, time: Micros, cause: Scheduled | null): void {
    this.cancelLenderTimer(purpose, lender);
    const scheduled = this.kernel.wakeAtCausedBy(this.venue, time, TAG[purpose], cause);
    this.pending.set(scheduled.id, { purpose, lender });
    this.perLender[purpose].set(lender, scheduled);
  }

  /** The lender's pending `purpose` timer, if any. */
  lenderTimer(purpose: LenderTimerPurpose, lender: AgentId): Scheduled | undefined {
    return this.perLender[purpose].get(lender);
  }

  /** Cancels the lender's pending `purpose` timer, if any. */
  cancelLenderTimer(purpose: LenderTimerPurpose, lender: AgentId): void {
    this.cancelIn(this.perLender[purpose], lender);
  }

  /** Cancels the timer pending under `key` in `wakes` (a loan's or a lender's, of one purpose), if any. */
  private cancelIn(wakes: Map<number, Scheduled>, key: number): void {
    const scheduled = wakes.get(key);
    if (scheduled === undefined) return;
    this.kernel.cancel(scheduled);
    this.pending.delete(scheduled.id);
    wakes.delete(key);
  }

  /** The timer being delivered now, forgotten as pending (undefined: not one of these timers). */
  take(): CreditTimer | undefined {
    const id = this.kernel.currentId;
    const timer = this.pending.get(id);
    if (timer === undefined) return undefined;
    this.pending.delete(id);
    switch (timer.purpose) {
      case 'accrual':
        this.accrualPending = false;
        break;
      case 'reoffer':
        this.reofferPending = false;
        break;
      case 'roll':
      case 'notice':
        if (this.perLender[timer.purpose].get(timer.lender)?.id === id) this.perLender[timer.purpose].delete(timer.lender);
        break;
      default:
        if (this.perLoan[timer.purpose].get(timer.loanId)?.id === id) this.perLoan[timer.purpose].delete(timer.loanId);
    }
    return timer;
  }

  private schedule(timer: CreditTimer, time: Micros): Scheduled {
    const scheduled = this.kernel.wakeAt(this.venue, time, TAG[timer.purpose]);
    this.pending.set(scheduled.id, timer);
    return scheduled;
  }
}
