import { BPS_PER_UNIT, RATE_SCALE, assertSafeInteger, chargeAtRate, toRateUnits } from './rounding.js';

/**
 * What the venue charges on a fill, as a function of its notional.
 *
 * Amounts are integers in the quote currency's minor unit, owed by the trader
 * to the venue's fee account; a negative amount is a rebate the fee account
 * pays to the trader. Rebates are conservation-safe because they are ordinary
 * ledger transfers out of the fee account (see `Ledger.settleTrade`), never
 * money created by the venue.
 */
export interface FeeModel {
  /** Fee for the resting (maker) side of a fill. `notional` ≥ 0, minor units. */
  makerFee(notional: number): number;
  /** Fee for the aggressing (taker) side of a fill. `notional` ≥ 0, minor units. */
  takerFee(notional: number): number;
}

/**
 * Proportional fees in basis points of notional, rounded by the single rule
 * in `rounding.ts` (charges up, rebates toward zero).
 *
 * A negative `makerBps` is a maker rebate. The constructor requires
 * `makerBps + takerBps ≥ 0`: then, on every fill, the taker fee collected is
 * at least the maker rebate paid (`ceil(n·t) ≥ floor(n·|m|)` when `t ≥ |m|`),
 * so the fee account never funds rebates out of its own capital.
 */
export class BpsFeeModel implements FeeModel {
  /** Maker rate in `RATE_SCALE` fixed-point units. */
  private readonly makerRate: number;
  /** Taker rate in `RATE_SCALE` fixed-point units. */
  private readonly takerRate: number;

  /**
   * @param makerBps maker fee in basis points (1 bp = 0.01 %); negative = rebate;
   *   resolution 1e-4 bp
   * @param takerBps taker fee in basis points, ≥ 0 in practice
   * @throws RangeError when a rate is not finite or the rebate exceeds the taker fee
   */
  constructor(
    readonly makerBps: number,
    readonly takerBps: number,
  ) {
    this.makerRate = toRateUnits(makerBps / BPS_PER_UNIT);
    this.takerRate = toRateUnits(takerBps / BPS_PER_UNIT);
    if (this.makerRate + this.takerRate < 0) {
      throw new RangeError(
        `maker rebate (${makerBps} bp) exceeds taker fee (${takerBps} bp): the venue would fund rebates itself`,
      );
    }
    if (Math.abs(this.makerRate) > RATE_SCALE || Math.abs(this.takerRate) > RATE_SCALE) {
      throw new RangeError('fee rates above 100 % of notional are not supported');
    }
  }

  makerFee(notional: number): number {
    assertSafeInteger(notional, 'notional');
    return chargeAtRate(notional, this.makerRate);
  }

  takerFee(notional: number): number {
    assertSafeInteger(notional, 'notional');
    return chargeAtRate(notional, this.takerRate);
  }
}

/** No fees and no rebates on either side. */
export const ZeroFees: FeeModel = Object.freeze({
  makerFee: (_notional: number): number => 0,
  takerFee: (_notional: number): number => 0,
});
