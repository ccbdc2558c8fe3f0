/**
 * The one place where money is rounded.
 *
 * ## The rule
 *
 * Every charge — a fee owed to the venue, interest owed to a lender — is the
 * exact rational amount **rounded up** to the next minor unit (`ceil`), and
 * every payout computed from a rate (a maker rebate, i.e. a negative fee) is
 * rounded **toward zero**. Both are one rule: take the ceiling of the signed
 * amount the payer owes ({@link chargeAtRate}, {@link interestCharge}).
 *
 * Why: the party that sets the rate (venue, lender) never subsidises the
 * party that pays it, so no strategy can farm rounding by splitting orders
 * into dust, and a venue whose taker fee covers its maker rebate never pays
 * out more than it takes on a fill. The payer overpays by less than one minor
 * unit per booking. Accrual code should compute interest on a cumulative basis
 * (charge for the whole period since the loan opened, minus what was already
 * booked) so the sub-unit overpayment does not compound with the accrual
 * frequency.
 *
 * Why no value is created or destroyed: rounding only decides *which integer*
 * is then moved by a ledger transfer that debits one account and credits
 * another by exactly that integer. The remainder is never booked anywhere
 * because it was never money — it only existed in the rational computation.
 *
 * `half-even` is offered for conversions that are not charges (e.g. an
 * average price shown in ticks), where a symmetric, unbiased rule is wanted.
 *
 * @packageDocumentation
 */

import { MICROS_PER_DAY, type Micros } from '../engine/time.js';

/** How {@link mulDiv} turns an exact rational into an integer. */
export type RoundingMode = 'floor' | 'ceil' | 'half-even';

/**
 * Rates (fees, interest) are fixed-point integers with this many units per 1
 * (1e-8 resolution: 1 bp = 10 000 units), so the charge is an exact rational.
 */
export const RATE_SCALE = 100_000_000;

/** Basis points per 1 (1 bp = 1e-4). */
export const BPS_PER_UNIT = 10_000;

/** Interest uses a 365-day year of simulated time. */
export const MICROS_PER_YEAR = 365 * MICROS_PER_DAY;

/**
 * Throws when `x` is not a safe integer. For bugs only: callers that accept
 * outside input return a result code instead.
 *
 * @param what names the quantity in the error message, e.g. `'fee'`
 */
export function assertSafeInteger(x: number, what: string): void {
  if (!Number.isSafeInteger(x)) {
    throw new RangeError(`${what} must be a safe integer, got ${x}`);
  }
}

/**
 * `a * b / den` rounded by `mode`, exact for any safe integers: plain integer
 * arithmetic while `|a * b|` stays within 2^53, BigInt beyond.
 *
 * @param den non-zero; a negative denominator flips the sign of the quotient
 * @returns a safe integer
 * @throws RangeError (a bug) when an argument is not a safe integer, `den` is
 *   zero, or the result does not fit in a safe integer
 */
export function mulDiv(a: number, b: number, den: number, mode: RoundingMode): number {
  assertSafeInteger(a, 'mulDiv a');
  assertSafeInteger(b, 'mulDiv b');
  assertSafeInteger(den, 'mulDiv den');
  if (den === 0) throw new RangeError('mulDiv: division by zero');
  if (den < 0) {
    a = -a;
    den = -den;
  }
  const p = a * b;
  if (Number.isSafeInteger(p)) return divSmall(p, den, mode);
  const q = divBig(BigInt(a) * BigInt(b), BigInt(den), mode);
  const out = Number(q);
  if (!Number.isSafeInteger(out) || BigInt(out) !== q) {
    throw new RangeError(`mulDiv: ${a} * ${b} / ${den} overflows a safe integer`);
  }
  return out;
}

/**
 * The charge for `amount` at a fixed-point `rate` ({@link RATE_SCALE} units
 * per 1), by the rule above: `ceil(amount * rate / RATE_SCALE)`. A negative
 * rate gives a payout rounded toward zero.
 *
 * @param amount minor units (a notional), safe integer
 * @param rate fixed-point rate, safe integer (see {@link toRateUnits})
 * @returns minor units the payer owes (negative: the payer receives)
 */
export function chargeAtRate(amount: number, rate: number): number {
  return mulDiv(amount, rate, RATE_SCALE, 'ceil');
}

/**
 * Converts a real rate (e.g. `0.0002` for 2 bp, or `0.05` for 5 % a year) to
 * fixed-point {@link RATE_SCALE} units, rounded to the nearest unit. The float
 * only enters here, once, at configuration time; charges are then exact.
 *
 * @throws RangeError when the rate is not finite or too large to represent
 */
export function toRateUnits(rate: number): number {
  if (!Number.isFinite(rate)) throw new RangeError(`rate must be finite, got ${rate}`);
  const units = Math.round(rate * RATE_SCALE);
  assertSafeInteger(units, 'rate in RATE_SCALE units');
  // Normalise -0 so hashes and comparisons never see it.
  return units === 0 ? 0 : units;
}

/**
 * Simple interest owed on `principal` at `annualRate` over `elapsed`, by the
 * rule above: `ceil(principal * rate * elapsed / (RATE_SCALE * MICROS_PER_YEAR))`,
 * computed exactly in BigInt.
 *
 * @param principal minor units, safe integer ≥ 0
 * @param annualRate fixed-point rate per 365-day year ({@link toRateUnits})
 * @param elapsed simulated microseconds, ≥ 0
 * @returns minor units owed (≥ 0 for a non-negative rate)
 */
export function interestCharge(principal: number, annualRate: number, elapsed: Micros): number {
  assertSafeInteger(principal, 'principal');
  assertSafeInteger(annualRate, 'annualRate');
  assertSafeInteger(elapsed, 'elapsed');
  const num = BigInt(principal) * BigInt(annualRate) * BigInt(elapsed);
  const q = divBig(num, BigInt(RATE_SCALE) * BigInt(MICROS_PER_YEAR), 'ceil');
  const out = Number(q);
  if (!Number.isSafeInteger(out)) throw new RangeError('interestCharge overflows a safe integer');
  return out;
}

/**
 * `⌊a / b⌋` of exact BigInt products, returned as a number (`a ≥ 0`, `b > 0`).
 * For rules stated as an exact rational of several factors (a liquidation's
 * lots bought at a bonus), where the caller builds the products in BigInt.
 */
export function floorDivExact(a: bigint, b: bigint): number {
  return Number(a / b);
}

/** `⌈a / b⌉` of exact BigInt products, returned as a number (`a ≥ 0`, `b > 0`); see {@link floorDivExact}. */
export function ceilDivExact(a: bigint, b: bigint): number {
  const q = a / b;
  return Number(q * b === a ? q : q + 1n);
}

/** `⌊a · b · c / den⌋`, exact for safe integers (BigInt when the product overflows), `den > 0`. */
export function productDivFloor(a: number, b: number, c: number, den: number): number {
  const ab = a * b;
  if (Number.isSafeInteger(ab)) return mulDiv(ab, c, den, 'floor');
  const p = BigInt(a) * BigInt(b) * BigInt(c);
  const d = BigInt(den);
  const q = p / d;
  return Number(q * d > p ? q - 1n : q);
}

/**
 * Float slack of {@link recoveredClaim}: a recovery rate is a float from the
 * clearing fixed point, so `face · r` of a claim paid in full can land a hair
 * above an integer; this much is forgiven before rounding up.
 */
export const RECOVERY_TOLERANCE = 1e-6;

/**
 * What is left of a claim of `face` minor units at recovery rate `r`:
 * `⌈face · r⌉` (up to {@link RECOVERY_TOLERANCE}), so the defaulting bank
 * bears the sub-unit remainder and a creditor that the clearing vector pays
 * in full is never pushed into default by rounding. `r ≥ 1` leaves the claim whole.
 */
export function recoveredClaim(face: number, r: number): number {
  if (r >= 1) return face;
  return Math.min(face, Math.max(0, Math.ceil(face * r - RECOVERY_TOLERANCE)));
}

/** Rounded quotient of safe integers, `den > 0`. */
function divSmall(p: number, den: number, mode: RoundingMode): number {
  // Truncated quotient and exact remainder; both fit because |p| < 2^53.
  const q = Math.trunc(p / den);
  let r = p - q * den;
  let qq = q;
  // The float division can be off by one near an integer; fix it exactly.
  if (r >= den) {
    qq += 1;
    r -= den;
  } else if (r <= -den) {
    qq -= 1;
    r += den;
  }
  return adjust(qq, r, den, mode) + 0;
}

/** The trunc-quotient `q` with remainder `r` (same sign as the dividend) rounded by `mode`. */
function adjust(q: number, r: number, den: number, mode: RoundingMode): number {
  if (r === 0) return q;
  switch (mode) {
    case 'floor':
      return r < 0 ? q - 1 : q;
    case 'ceil':
      return r > 0 ? q + 1 : q;
    case 'half-even': {
      const twice = 2 * Math.abs(r);
      const away = r > 0 ? q + 1 : q - 1;
      if (twice > den) return away;
      if (twice < den) return q;
      return q % 2 === 0 ? q : away;
    }
  }
}

/** BigInt rounded quotient, `den > 0`. */
function divBig(p: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = p / den;
  const r = p % den;
  if (r === 0n) return q;
  switch (mode) {
    case 'floor':
      return r < 0n ? q - 1n : q;
    case 'ceil':
      return r > 0n ? q + 1n : q;
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      const away = r > 0n ? q + 1n : q - 1n;
      if (twice > den) return away;
      if (twice < den) return q;
      return q % 2n === 0n ? q : away;
    }
  }
}
