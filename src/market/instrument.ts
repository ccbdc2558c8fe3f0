/** Index of an instrument in the venue (0, 1, 2, …); also its index in the ledger. */
export type InstrumentId = number;

/**
 * A traded instrument. Prices are integer ticks, quantities integer lots and
 * cash integer minor units of the quote currency (cents, say), so the cash
 * value of `qty` lots at `price` ticks is exactly
 * `price * qty * minorPerTickLot` — the only conversion in the venue.
 */
export interface Instrument {
  readonly id: InstrumentId;
  readonly symbol: string;
  /** Quote-currency value of one tick per unit, e.g. 0.01 (for display only). */
  readonly tickSize: number;
  /** Units per lot, e.g. 1 share or 100 shares (for display only). */
  readonly lotSize: number;
  /** Minor units of cash per tick per lot: tickSize * lotSize / minorUnit, a positive integer. */
  readonly minorPerTickLot: number;
  /** Largest order size accepted, in lots. */
  readonly maxOrderQty: number;
}

/** Options to build an instrument; minorUnit is the quote currency's minor unit (0.01 for cents). */
export interface InstrumentSpec {
  symbol: string;
  tickSize?: number;
  lotSize?: number;
  minorUnit?: number;
  maxOrderQty?: number;
}

/** Builds an instrument, checking that one tick of one lot is a whole number of minor units. */
export function makeInstrument(id: InstrumentId, spec: InstrumentSpec): Instrument {
  const tickSize = spec.tickSize ?? 0.01;
  const lotSize = spec.lotSize ?? 1;
  const minorUnit = spec.minorUnit ?? 0.01;
  const ratio = (tickSize * lotSize) / minorUnit;
  const minorPerTickLot = Math.round(ratio);
  if (minorPerTickLot < 1 || Math.abs(ratio - minorPerTickLot) > 1e-9 * Math.max(1, ratio)) {
    throw new RangeError(`${spec.symbol}: tickSize × lotSize (${tickSize} × ${lotSize}) must be a whole number of minor units (${minorUnit})`);
  }
  return { id, symbol: spec.symbol, tickSize, lotSize, minorPerTickLot, maxOrderQty: spec.maxOrderQty ?? 1_000_000 };
}

/** Cash value in minor units of `qty` lots at `price` ticks. */
export function notional(instrument: Instrument, price: number, qty: number): number {
  return price * qty * instrument.minorPerTickLot;
}

/**
 * True when the venue can hold and settle `qty` lots at `price` ticks in exact
 * integer arithmetic: the notional, a fee of up to 100 % of it (the fee
 * model's ceiling) and the hold's rounding allowance of 2 minor units per lot
 * stay below 2^53. Compared in floating point, which is exact up to 2^53 and
 * only ever errs toward refusing beyond it.
 */
export function orderValueFits(instrument: Instrument, price: number, qty: number): boolean {
  return price * qty * instrument.minorPerTickLot <= (Number.MAX_SAFE_INTEGER - 2 * qty) / 2;
}
