/**
 * Share of a buy's notional an agent keeps back for the venue's fees when it
 * sizes a buy within cash: venues charge basis points, far below 1 %, so
 * buys sized this way are never refused for cash.
 */
export const FEE_ALLOWANCE = 0.01;

/**
 * Minor units one lot of a buy at `price` ticks holds, as an agent sizes it:
 * notional, `feeAllowance` of it, and the 2 units a lot pre-trade risk adds
 * for rounding (the venue holds notional + fee + 2 units a lot).
 */
export function buyHoldPerLot(price: number, minorPerTickLot: number, feeAllowance: number): number {
  return price * minorPerTickLot * (1 + feeAllowance) + 2;
}
