/**
 * Mark-to-market arithmetic of margin accounts and collateral baskets: pure
 * functions over the ledger, mark prices and debts. No state, no messages.
 *
 * ## Marks in half-ticks
 *
 * The venue's mark is the mid (`(bid + ask) / 2`, a multiple of half a tick)
 * or the last trade. Every function here takes marks as `markHalfTicks = 2 · mark`,
 * an exact integer count of half-ticks, so all comparisons are exact.
 *
 * ## Values and rounding
 *
 * - Market value of `q` lots at `markHalfTicks`: `⌊q · markHalfTicks · m / 2⌋` minor units
 *   (`m` = minor units per tick·lot), i.e. the notional, floored at the half
 *   unit a mid can produce.
 * - Value after haircut `h` (RATE_SCALE units) of one leg:
 *   `⌊q · markHalfTicks · m · (S − h) / (2S)⌋`, `S = RATE_SCALE`, floored per leg:
 *   collateral is never over-valued by rounding (the lender's side).
 * - Liquidation value `LV = Σ_legs value after maintenance haircut`; health
 *   factor `HF = LV / debt` (Aave v3: `HF = Σ collateral_i · LT_i / debt`
 *   with `LT_i = 1 − h_m,i`). Healthy iff `LV ≥ debt`, decided on integers.
 *
 * @packageDocumentation
 */

import type { Instrument } from '../market/instrument.js';
import type { Ledger } from '../market/ledger.js';
import { RATE_SCALE, mulDiv, productDivFloor } from '../market/rounding.js';

const TWO_S = 2 * RATE_SCALE;

/** The mark as an integer count of half-ticks (`mark` is a multiple of 0.5). */
export function halfTicks(mark: number): number {
  return Math.round(2 * mark);
}

/**
 * Market value of `qty` lots at `markHalfTicks` half-ticks: `⌊qty · markHalfTicks · m / 2⌋`
 * minor units (negative for a short, floored toward −∞).
 */
export function legValue(qty: number, markHalfTicks: number, minorPerTickLot: number): number {
  return productDivFloor(qty, minorPerTickLot, markHalfTicks, 2);
}

/**
 * Value after `haircut` (RATE_SCALE units) of `qty ≥ 0` lots at `markHalfTicks`
 * half-ticks: `⌊qty · markHalfTicks · m · (S − h) / (2S)⌋` minor units.
 */
export function legValueAfterHaircut(qty: number, markHalfTicks: number, minorPerTickLot: number, haircut: number): number {
  if (qty <= 0 || markHalfTicks <= 0 || haircut >= RATE_SCALE) return 0;
  const n2 = qty * minorPerTickLot * markHalfTicks;
  if (Number.isSafeInteger(n2)) return mulDiv(n2, RATE_SCALE - haircut, TWO_S, 'floor');
  return Number((BigInt(qty) * BigInt(minorPerTickLot) * BigInt(markHalfTicks) * BigInt(RATE_SCALE - haircut)) / BigInt(TWO_S));
}

/**
 * Value after haircuts of a basket held as dense per-instrument arrays
 * (`qty[i]` lots of instrument i): the sum of {@link legValueAfterHaircut}.
 * With maintenance haircuts this is the liquidation value `LV`; with initial
 * haircuts, the borrowing capacity.
 */
export function basketValueAfterHaircuts(qty: ArrayLike<number>, marksHalfTicks: ArrayLike<number>, minorPerTickLot: ArrayLike<number>, haircuts: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < qty.length; i++) {
    const q = qty[i];
    if (q > 0) v += legValueAfterHaircut(q, marksHalfTicks[i], minorPerTickLot[i], haircuts[i]);
  }
  return v;
}

/** Health factor `LV / debt` (Aave v3); `Infinity` without debt. For display: decisions compare integers. */
export function healthFactor(liquidationValue: number, debt: number): number {
  return debt <= 0 ? Number.POSITIVE_INFINITY : liquidationValue / debt;
}

/**
 * True when state `(lvAfter, debtAfter)` has a strictly lower health factor
 * than `(lvBefore, debtBefore)`, decided exactly (`lvAfter · debtBefore <
 * lvBefore · debtAfter` in BigInt). No debt means infinite health.
 */
export function isLessHealthy(lvAfter: number, debtAfter: number, lvBefore: number, debtBefore: number): boolean {
  if (debtAfter <= 0) return false;
  if (debtBefore <= 0) return true;
  return BigInt(lvAfter) * BigInt(debtBefore) < BigInt(lvBefore) * BigInt(debtAfter);
}

/**
 * The trigger mark of a single-instrument loan: the least `markHalfTicks` (half-ticks)
 * at which it is healthy, `⌈2S · debt / (qty · m · (S − h_m))⌉`. The loan is
 * unhealthy exactly when `markHalfTicks < trigger` (this is the per-leg floor of
 * {@link legValueAfterHaircut} solved for the mark). 0 without debt (never
 * unhealthy); `Infinity` when nothing of value is pledged.
 */
export function triggerMarkHalfTicks(debt: number, qty: number, minorPerTickLot: number, maintenanceHaircut: number): number {
  if (debt <= 0) return 0;
  if (qty <= 0 || maintenanceHaircut >= RATE_SCALE) return Number.POSITIVE_INFINITY;
  const num = BigInt(TWO_S) * BigInt(debt);
  const den = BigInt(qty) * BigInt(minorPerTickLot) * BigInt(RATE_SCALE - maintenanceHaircut);
  const q = num / den;
  return Number(q * den === num ? q : q + 1n);
}

/**
 * Net market value of every position of `account` at the marks: `Σ_i
 * legValue(position_i, markHalfTicks_i)`, minor units (shorts count negative).
 */
export function positionsValue(ledger: Ledger, account: number, marksHalfTicks: ArrayLike<number>, instruments: readonly Instrument[]): number {
  let v = 0;
  for (let i = 0; i < instruments.length; i++) {
    const q = ledger.position(account, i);
    if (q !== 0) v += legValue(q, marksHalfTicks[i], (instruments[i] as Instrument).minorPerTickLot);
  }
  return v;
}

/** Gross exposure `Σ_i |position_i| · mark_i`, minor units. */
export function grossExposure(ledger: Ledger, account: number, marksHalfTicks: ArrayLike<number>, instruments: readonly Instrument[]): number {
  let v = 0;
  for (let i = 0; i < instruments.length; i++) {
    const q = ledger.position(account, i);
    if (q !== 0) v += legValue(Math.abs(q), marksHalfTicks[i], (instruments[i] as Instrument).minorPerTickLot);
  }
  return v;
}

/**
 * Equity of a margin account: `cash + Σ positions · mark − debt`, minor units
 * (debt = what the account owes on its loans, accrued interest included).
 */
export function accountEquity(ledger: Ledger, account: number, marksHalfTicks: ArrayLike<number>, instruments: readonly Instrument[], debt: number): number {
  return ledger.cash(account) + positionsValue(ledger, account, marksHalfTicks, instruments) - debt;
}

/**
 * Leverage `exposure / equity`: 0 without exposure, `Infinity` when equity
 * is zero or negative while there is exposure (the account is bankrupt).
 */
export function leverage(exposure: number, equity: number): number {
  if (exposure <= 0) return 0;
  return equity <= 0 ? Number.POSITIVE_INFINITY : exposure / equity;
}
