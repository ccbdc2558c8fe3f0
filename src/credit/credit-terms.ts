/**
 * A lender's terms of credit, in fixed point.
 *
 * A haircut `h` on an instrument means the lender values one unit of that
 * collateral at `(1 − h) · mark`: it lends at most `(1 − h)` of the
 * collateral's market value, so a borrower that "loops" (buy, pledge, borrow,
 * buy…) reaches at most leverage `1 / h` (Geanakoplos 2010, "The leverage
 * cycle"; Adrian & Shin 2010). `h = 1` means "not accepted as collateral".
 *
 * Two haircuts per instrument, as in a repo or a margin account:
 * - the initial haircut bounds new draws (and collateral releases);
 * - the maintenance haircut `h_m ≤ h` defines health: the loan is healthy
 *   while `Σ qty·mark·(1 − h_m) ≥ debt` (Aave v3's health factor with
 *   liquidation threshold `LT = 1 − h_m`).
 *
 * All haircuts and the rate are converted once, here, to {@link RATE_SCALE}
 * units by `toRateUnits`; every later computation is integer arithmetic.
 *
 * @packageDocumentation
 */

import type { SetCreditTerms } from './credit-messages.js';
import { RATE_SCALE, toRateUnits } from '../market/rounding.js';

/** A lender's terms in fixed point; immutable once built. */
export interface CreditTerms {
  /** Initial haircut per instrument, RATE_SCALE units in `[0, RATE_SCALE]`. */
  readonly haircuts: readonly number[];
  /** Maintenance haircut per instrument, RATE_SCALE units, `≤ haircuts[i]`. */
  readonly maintenanceHaircuts: readonly number[];
  /** Simple annual interest rate, RATE_SCALE units per 365-day year, ≥ 0. */
  readonly annualRate: number;
  /** Largest debt one borrower may owe this lender after a draw, minor units. */
  readonly maxPerBorrower: number;
  /** Largest total (booked) debt owed to this lender after a draw, minor units. */
  readonly maxTotal: number;
}

/**
 * Converts a `SetCreditTerms` command to fixed point, or returns null when it
 * is malformed: a haircut outside `[0, 1]` or not finite, a maintenance
 * haircut above the initial one, a negative or non-finite rate, a limit that
 * is not a non-negative safe integer. Instruments missing from the arrays
 * (shorter arrays) get haircut 1: not accepted as collateral.
 *
 * @param instrumentCount number of instruments of the venue
 */
export function termsFromCommand(m: SetCreditTerms, instrumentCount: number): CreditTerms | null {
  if (!Array.isArray(m.haircuts) || !Array.isArray(m.maintenanceHaircuts)) return null;
  if (m.haircuts.length > instrumentCount || m.maintenanceHaircuts.length > instrumentCount) return null;
  if (m.haircuts.length !== m.maintenanceHaircuts.length) return null;
  if (typeof m.annualRate !== 'number' || !Number.isFinite(m.annualRate) || m.annualRate < 0 || m.annualRate > 1000) return null;
  if (!isLimit(m.maxPerBorrower) || !isLimit(m.maxTotal)) return null;
  const haircuts: number[] = [];
  const maintenance: number[] = [];
  for (let i = 0; i < instrumentCount; i++) {
    const h = i < m.haircuts.length ? m.haircuts[i] : 1;
    const hm = i < m.maintenanceHaircuts.length ? m.maintenanceHaircuts[i] : 1;
    if (!isHaircut(h) || !isHaircut(hm)) return null;
    const hu = toRateUnits(h as number);
    const hmu = toRateUnits(hm as number);
    if (hmu > hu) return null;
    haircuts.push(hu);
    maintenance.push(hmu);
  }
  return { haircuts, maintenanceHaircuts: maintenance, annualRate: toRateUnits(m.annualRate), maxPerBorrower: m.maxPerBorrower, maxTotal: m.maxTotal };
}

/** True when the instrument is accepted as collateral (initial haircut below 1). */
export function acceptsCollateral(terms: CreditTerms, instrument: number): boolean {
  return (terms.haircuts[instrument] ?? RATE_SCALE) < RATE_SCALE;
}

function isHaircut(h: unknown): boolean {
  return typeof h === 'number' && Number.isFinite(h) && h >= 0 && h <= 1;
}

function isLimit(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}
