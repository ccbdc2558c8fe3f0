/**
 * What put a loan below maintenance (or in default of a call), recorded by
 * the credit venue when the loan crosses: a move of the collateral's mark
 * (`price`), a lender's new haircuts reaching it (`terms`), interest accrued
 * (`interest`), a lender's call left unmet (`call`), a draw (`borrow`), a
 * change of collateral (`collateral`), or a partial liquidation that left it
 * short (`liquidation`). Issue 13 asks how many liquidations price moves
 * cause against terms changes; that needs the cause at the crossing, not at
 * the sale, which may come a grace period later.
 *
 * @module
 */

/** Every trigger, in the order summaries list them. */
export const LIQUIDATION_TRIGGERS = ['price', 'terms', 'interest', 'call', 'borrow', 'collateral', 'liquidation'] as const;

export type LiquidationTrigger = (typeof LIQUIDATION_TRIGGERS)[number];

/** Liquidations per trigger (unknown names, e.g. from an older file, are not counted). */
export function countByTrigger(triggers: ArrayLike<string>): Record<LiquidationTrigger, number> {
  const counts = Object.fromEntries(LIQUIDATION_TRIGGERS.map((t) => [t, 0])) as Record<LiquidationTrigger, number>;
  for (let i = 0; i < triggers.length; i++) {
    const t = triggers[i] as LiquidationTrigger;
    if (Object.hasOwn(counts, t)) counts[t]++;
  }
  return counts;
}
