/**
 * Liquidation by competing liquidators, after Aave v3 (Aave v3 technical
 * paper and `LiquidationLogic.sol`: close factor, liquidation bonus,
 * protocol fee on the bonus).
 *
 * ## The rule
 *
 * A loan is liquidatable when its health factor `HF = LV / debt < 1`, or when
 * a lender's call on it is overdue (a called loan is liquidatable regardless
 * of HF until the call is met). A liquidator repays part of the debt from its
 * own cash and receives collateral of an instrument of its choice worth the
 * repayment plus a bonus `b`, valued at the mark:
 *
 * - close factor: at most `cf · debt` may be repaid, `cf = 50 %` while
 *   `HF ≥ 0.95` and `100 %` below (Aave v3's `CLOSE_FACTOR_HF_THRESHOLD`);
 *   100 % on an overdue call;
 * - the repayment `r = min(requested, ⌈cf · debt⌉)` buys
 *   `lots = min(pledged, ⌊r · (1 + b) / (mark · m)⌋)` whole lots (rounded down:
 *   the borrower never gives more than `r · (1 + b)` of value), and the
 *   repayment actually charged is recomputed from the lots seized,
 *   `repaid = ⌈lots · mark · m / (1 + b)⌉ ≤ r` (rounded up: the liquidator
 *   never gets more than the bonus). No value is created: cash moves
 *   liquidator → lender, lots borrower → liquidator, each by one integer;
 * - protocol fee: of the bonus lots `lots − ⌈lots / (1 + b)⌉`, a share
 *   `⌊bonusLots · f⌋` goes to the protocol's account (Aave v3's
 *   `liquidationProtocolFee`);
 * - bad debt: if the seizure leaves no collateral and debt remains, the rest
 *   is written off, a loss to the lender (Aave v3.3's bad-debt clean-up).
 *
 * ## Never less healthy
 *
 * Removing `r · (1 + b)` of collateral weighted `1 − h_m` against `r` of debt
 * raises HF only while `HF > (1 + b)(1 − h_m)` — which is why Aave requires
 * `LT · LB ≤ 1` when configuring a reserve. Terms here are set by lenders,
 * so the venue enforces the outcome instead: when the partial liquidation
 * computed as above would leave the loan less healthy (checked exactly on
 * integers), the liquidation becomes a **close-out**: the liquidator repays
 * the whole debt, seizing the chosen instrument first and then the others
 * in instrument order, each by the same lot rule; if the collateral runs out
 * first, the rest is bad debt; if a sub-lot residue of debt would remain and
 * leave the loan less healthy, the liquidator also pays that residue for one
 * more lot (the dust rule). A close-out requires `requested ≥` its cost
 * (`REPAY_BELOW_MINIMUM` otherwise; `LoanLiquidatable.maxRepay` announces it).
 *
 * @packageDocumentation
 */

import type { AgentId } from '../engine/agent-id.js';
import type { CreditRejectReason, LiquidateLoan } from './credit-messages.js';
import { NO_COMMANDS, type LiquidationCommand, type LiquidationPolicy, type LiquidationStep, type LiquidationView } from './liquidation-policy.js';
import type { LoanView } from './loan.js';
import { basketValueAfterHaircuts, isLessHealthy, legValueAfterHaircut } from './margin.js';
import { RATE_SCALE, ceilDivExact, floorDivExact, toRateUnits } from '../market/rounding.js';

/** Parameters of {@link AaveLiquidation}; fractions are plain numbers. */
export interface AaveLiquidationOptions {
  /** Liquidation bonus `b` on seized collateral (default 0.05). */
  readonly bonus?: number;
  /** Close factor while `HF ≥ fullLiquidationBelow` (default 0.5). */
  readonly closeFactor?: number;
  /** Below this health factor the close factor is 100 % (default 0.95). */
  readonly fullLiquidationBelow?: number;
  /** Share of the bonus paid to the protocol account (default 0; needs `protocolAccount`). */
  readonly protocolFeeShare?: number;
  /** Ledger account receiving the protocol's share of the bonus (default none). */
  readonly protocolAccount?: number;
}

/** Fixed-point parameters (RATE_SCALE units). */
export interface AaveParams {
  readonly bonus: number;
  readonly closeFactor: number;
  readonly fullLiquidationBelow: number;
  readonly protocolFeeShare: number;
}

/** What {@link planAaveLiquidation} needs of a loan; arrays are dense per instrument. */
export interface LiquidationInput {
  /** Debt at execution time, minor units. */
  readonly debt: number;
  readonly qty: ArrayLike<number>;
  readonly marksHalfTicks: ArrayLike<number>;
  readonly minorPerTickLot: ArrayLike<number>;
  readonly maintenanceHaircut: ArrayLike<number>;
  /** The instrument the liquidator asked for. */
  readonly instrument: number;
  /** Most the liquidator will repay, minor units. */
  readonly requested: number;
  /** A lender's call on the loan is overdue. */
  readonly overdue: boolean;
}

/** One leg of a plan. */
export interface PlannedSeizure {
  readonly instrument: number;
  /** Lots taken from the borrower (liquidator's plus protocol's). */
  lots: number;
  /** Of which to the protocol account. */
  protocolLots: number;
  /** Debt repaid for this leg, minor units. */
  repaid: number;
}

/** The outcome of planning a liquidation (nothing is changed by planning). */
export interface LiquidationPlan extends LiquidationStep {
  /** Null when executable; else why not. */
  readonly reason: CreditRejectReason | null;
  readonly closeOut: boolean;
  readonly legs: readonly PlannedSeizure[];
  /** Σ repaid, minor units: the liquidator's cost. */
  readonly repaid: number;
  readonly badDebt: number;
  /** Most the venue accepts (partial), or the cost of the close-out. */
  readonly maxRepay: number;
}

/** Converts options to fixed point. */
export function aaveParams(options: AaveLiquidationOptions = {}): AaveParams {
  const p = {
    bonus: toRateUnits(options.bonus ?? 0.05),
    closeFactor: toRateUnits(options.closeFactor ?? 0.5),
    fullLiquidationBelow: toRateUnits(options.fullLiquidationBelow ?? 0.95),
    protocolFeeShare: toRateUnits(options.protocolFeeShare ?? 0),
  };
  if (p.bonus < 0 || p.closeFactor <= 0 || p.closeFactor > RATE_SCALE || p.fullLiquidationBelow < 0 || p.protocolFeeShare < 0 || p.protocolFeeShare > RATE_SCALE) {
    throw new RangeError('AaveLiquidation: bonus ≥ 0, 0 < closeFactor ≤ 1, fullLiquidationBelow ≥ 0 and 0 ≤ protocolFeeShare ≤ 1');
  }
  return p;
}

/**
 * Plans a liquidation by the rule above, exactly on integers. Pure.
 */
export function planAaveLiquidation(params: AaveParams, input: LiquidationInput): LiquidationPlan {
  const { debt, qty, marksHalfTicks, minorPerTickLot: m, maintenanceHaircut: hm, instrument: k } = input;
  const n = qty.length;
  const legLv = (j: number, q: number): number => legValueAfterHaircut(q, marksHalfTicks[j], m[j], hm[j]);
  const lv = basketValueAfterHaircuts(qty, marksHalfTicks, m, hm);
  const fail = (reason: CreditRejectReason, maxRepay = 0): LiquidationPlan => ({
    reason,
    closeOut: false,
    legs: [],
    repaid: 0,
    badDebt: 0,
    maxRepay,
    lvBefore: lv,
    debtBefore: debt,
    lvAfter: lv,
    debtAfter: debt,
    exhausted: false,
  });
  if (debt <= 0 || (!input.overdue && lv >= debt)) return fail('LOAN_HEALTHY');
  if (!(k >= 0 && k < n) || qty[k] <= 0 || marksHalfTicks[k] <= 0) return fail('NOTHING_TO_SEIZE');
  if (!Number.isSafeInteger(input.requested) || input.requested <= 0) return fail('INVALID_AMOUNT');

  const S = BigInt(RATE_SCALE);
  const SB = BigInt(RATE_SCALE + params.bonus);
  const full = input.overdue || BigInt(lv) * S < BigInt(debt) * BigInt(params.fullLiquidationBelow);
  const cf = full ? RATE_SCALE : params.closeFactor;
  const cap = Math.min(debt, ceilDivExact(BigInt(debt) * BigInt(cf), S));
  // Lots that `r` buys at the bonus, and the repayment that exactly pays for `lots`.
  const lotsFor = (r: number, j: number): number => floorDivExact(BigInt(r) * SB * 2n, BigInt(marksHalfTicks[j]) * BigInt(m[j]) * S);
  const repaidFor = (lots: number, j: number): number => ceilDivExact(BigInt(lots) * BigInt(marksHalfTicks[j]) * BigInt(m[j]) * S, 2n * SB);

  const after = Array.from(qty);
  const legs: PlannedSeizure[] = [];
  // ---- partial liquidation on the chosen instrument
  const r = Math.min(input.requested, cap);
  const lots = Math.min(qty[k], lotsFor(r, k));
  if (lots === 0) return fail('REPAY_BELOW_MINIMUM', cap);
  const repaid = repaidFor(lots, k);
  after[k] = qty[k] - lots;
  const lvPartial = lv - legLv(k, qty[k]) + legLv(k, after[k]);
  const debtPartial = debt - repaid;
  if (isExhausted(after) || debtPartial === 0 || !isLessHealthy(lvPartial, debtPartial, lv, debt)) {
    legs.push({ instrument: k, lots, protocolLots: 0, repaid });
    return finish(false, cap);
  }

  // ---- close-out: the whole debt, chosen instrument first, then the others
  for (let j = 0; j < n; j++) after[j] = qty[j];
  legs.length = 0;
  let rem = debt;
  const order = [k];
  for (let j = 0; j < n; j++) if (j !== k) order.push(j);
  for (const j of order) {
    if (rem === 0) break;
    const q = after[j];
    if (q === 0 || marksHalfTicks[j] <= 0) continue;
    const take = Math.min(q, lotsFor(rem, j));
    if (take === 0) continue;
    const paid = repaidFor(take, j);
    after[j] = q - take;
    rem -= paid;
    legs.push({ instrument: j, lots: take, protocolLots: 0, repaid: paid });
    if (after[j]) break;
  }
  if (rem > 0) {
    let valued = false;
    for (let j = 0; j < n; j++) if (after[j] > 0 && marksHalfTicks[j] > 0) valued = true;
    if (!valued) {
      // Nothing of value is left: the unpriced lots go with it, the rest is bad debt.
      for (let j = 0; j < n; j++) {
        const q = after[j];
        if (q === 0) continue;
        legs.push({ instrument: j, lots: q, protocolLots: 0, repaid: 0 });
        after[j] = 0;
      }
    } else {
      const lvOut = basketValueAfterHaircuts(after, marksHalfTicks, m, hm);
      if (isLessHealthy(lvOut, rem, lv, debt)) {
        // Dust rule: the residue is paid for one more lot of the first leg left.
        for (const j of order) {
          if (after[j] === 0 || marksHalfTicks[j] <= 0) continue;
          after[j] = after[j] - 1;
          const leg = legs.find((l) => l.instrument === j);
          if (leg === undefined) legs.push({ instrument: j, lots: 1, protocolLots: 0, repaid: rem });
          else {
            leg.lots += 1;
            leg.repaid += rem;
          }
          rem = 0;
          break;
        }
      }
    }
  }
  let cost = 0;
  for (const l of legs) cost += l.repaid;
  if (input.requested < cost) return fail('REPAY_BELOW_MINIMUM', cost);
  return finish(true, cost);

  function finish(closeOut: boolean, maxRepay: number): LiquidationPlan {
    let total = 0;
    for (const l of legs) {
      total += l.repaid;
      const base = ceilDivExact(BigInt(l.lots) * S, SB);
      l.protocolLots = floorDivExact(BigInt(l.lots - base) * BigInt(params.protocolFeeShare), S);
    }
    const exhausted = isExhausted(after);
    const debtLeft = debt - total;
    const lvAfter = basketValueAfterHaircuts(after, marksHalfTicks, m, hm);
    const badDebt = exhausted ? debtLeft : 0;
    return {
      reason: null,
      closeOut,
      legs,
      repaid: total,
      badDebt,
      maxRepay,
      lvBefore: lv,
      debtBefore: debt,
      lvAfter,
      debtAfter: debtLeft - badDebt,
      exhausted,
    };
  }
}

/**
 * The Aave v3 policy. Liquidators subscribe with `SubscribeLiquidations`, are
 * told `LoanLiquidatable` (with `maxRepay`: the cap of a partial liquidation,
 * or the cost of a close-out), and race with `LiquidateLoan`: the first
 * valid call wins, later ones see a healthier (or closed) loan and are
 * refused `LOAN_HEALTHY` / `LOAN_CLOSED`. A liquidation is planned whole on
 * the view ({@link planAaveLiquidation}) and handed to the venue as commands.
 */
export class AaveLiquidation implements LiquidationPolicy {
  readonly name = 'aave';
  readonly params: AaveParams;
  /** The bonus as a plain fraction (as announced to liquidators). */
  readonly bonus: number;
  private readonly protocolAccount: number;

  constructor(options: AaveLiquidationOptions = {}) {
    this.params = aaveParams(options);
    this.bonus = this.params.bonus / RATE_SCALE;
    this.protocolAccount = options.protocolAccount ?? -1;
    if (this.params.protocolFeeShare > 0 && this.protocolAccount < 0) throw new RangeError('AaveLiquidation: a protocol fee share needs a protocolAccount');
  }

  attach(_view: LiquidationView): void {}

  onUnhealthy(view: LiquidationView, loan: LoanView, _again: boolean): readonly LiquidationCommand[] {
    return this.announce(view, loan);
  }

  /** A called loan is liquidatable regardless of its health until the call is met. */
  onCallOverdue(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[] {
    return this.announce(view, loan);
  }

  /** Tells the liquidators, if any listen: the repay plan is not built for nobody (this runs inside the book's crossing loop). */
  private announce(view: LiquidationView, loan: LoanView): readonly LiquidationCommand[] {
    if (view.liquidationSubscriberCount === 0) return NO_COMMANDS;
    return [{ type: 'AnnounceLiquidatable', loanId: loan.id, maxRepay: this.maxRepay(view, loan), bonus: this.bonus }];
  }

  onHealthDeadline(): readonly LiquidationCommand[] {
    return NO_COMMANDS;
  }

  liquidate(view: LiquidationView, loan: LoanView, liquidator: AgentId, command: LiquidateLoan): readonly LiquidationCommand[] | CreditRejectReason {
    const account = view.accountOf(liquidator);
    if (account < 0) return 'UNKNOWN_ACCOUNT';
    if (account === loan.borrowerAccount || account === loan.lenderAccount) return 'SELF_LIQUIDATION';
    if (!view.ledger.hasInstrument(command.instrument)) return 'UNKNOWN_INSTRUMENT';
    const plan = this.plan(view, loan, command.instrument, command.repayAmount);
    if (plan.reason !== null) return plan.reason;
    if (view.ledger.availableCash(account) < plan.repaid) return 'INSUFFICIENT_CAPITAL';
    return this.commandsOf(view, loan, liquidator, account, plan);
  }

  /** The plan as commands: accrue, then per leg repay and seize, bad debt, one report per leg, settle. */
  private commandsOf(view: LiquidationView, loan: LoanView, liquidator: AgentId, account: number, plan: LiquidationPlan): LiquidationCommand[] {
    const loanId = loan.id;
    const out: LiquidationCommand[] = [{ type: 'Accrue', loanId }];
    for (const leg of plan.legs) {
      if (leg.repaid > 0) out.push({ type: 'Repay', loanId, payer: liquidator, payerAccount: account, amount: leg.repaid });
      const toLiquidator = leg.lots - leg.protocolLots;
      if (toLiquidator > 0) out.push({ type: 'Seize', loanId, instrument: leg.instrument, qty: toLiquidator, toAccount: account });
      if (leg.protocolLots > 0) out.push({ type: 'Seize', loanId, instrument: leg.instrument, qty: leg.protocolLots, toAccount: this.protocolAccount });
    }
    if (plan.badDebt > 0) out.push({ type: 'WriteOffBadDebt', loanId });
    for (let i = 0; i < plan.legs.length; i++) {
      const leg = plan.legs[i] as PlannedSeizure;
      const last = i === plan.legs.length - 1;
      const price = view.marksHalfTicks[leg.instrument] / 2;
      out.push({ type: 'ReportLiquidation', loanId, liquidator, instrument: leg.instrument, qty: leg.lots, protocolQty: leg.protocolLots, price, debtRepaid: leg.repaid, badDebt: last ? plan.badDebt : 0, step: plan });
    }
    out.push({ type: 'SettleAfterLiquidation', loanId });
    return out;
  }

  onOrderReport(): readonly LiquidationCommand[] {
    return NO_COMMANDS;
  }

  onWakeup(): readonly LiquidationCommand[] {
    return NO_COMMANDS;
  }

  stateDigest(): number[] {
    return [this.params.bonus, this.params.closeFactor, this.params.fullLiquidationBelow, this.params.protocolFeeShare, this.protocolAccount];
  }

  validate(): void {}

  /** Plans a liquidation of `loan` at the view's marks and the loan's debt now. */
  plan(view: LiquidationView, loan: LoanView, instrument: number, requested: number): LiquidationPlan {
    return planAaveLiquidation(this.params, {
      debt: loan.debtAt(view.now),
      qty: loan.qty,
      marksHalfTicks: view.marksHalfTicks,
      minorPerTickLot: view.minorPerTickLot,
      maintenanceHaircut: loan.maintenanceHaircut,
      instrument,
      requested,
      overdue: loan.overdue,
    });
  }

  /**
   * What a liquidator should offer: the repayment a liquidation of the leg
   * of largest liquidation value would charge with an unlimited offer (the
   * close-factor cap as spent on whole lots, or a close-out's cost).
   */
  maxRepay(view: LiquidationView, loan: LoanView): number {
    let best = -1;
    let bestValue = -1;
    for (let i = 0; i < loan.qty.length; i++) {
      const q = loan.qty[i];
      if (q === 0) continue;
      const v = legValueAfterHaircut(q, view.marksHalfTicks[i], view.minorPerTickLot[i], loan.maintenanceHaircut[i]);
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    if (best < 0) return 0;
    const plan = this.plan(view, loan, best, Number.MAX_SAFE_INTEGER);
    return plan.reason === null ? plan.repaid : plan.maxRepay;
  }
}

function isExhausted(qty: ArrayLike<number>): boolean {
  for (let i = 0; i < qty.length; i++) if (qty[i] > 0) return false;
  return true;
}
