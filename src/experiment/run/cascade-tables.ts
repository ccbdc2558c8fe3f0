/**
 * Column store of liquidations.csv (DESIGN.md, "Output contract"). Agent
 * fields are agent ids, named at output; money in minor units, price in ticks.
 */
export interface LiquidationTable {
  readonly timeUs: number[];
  readonly loanId: number[];
  readonly borrower: number[];
  readonly lender: number[];
  readonly liquidator: number[];
  readonly instrument: number[];
  readonly qty: number[];
  readonly price: number[];
  readonly debtRepaid: number[];
  readonly badDebt: number[];
  readonly cascadeId: number[];
  readonly causeId: number[];
}

/** Column store of cascades.csv: one row per cascade (a causal tree of liquidations). */
export interface CascadeTable {
  readonly cascadeId: number[];
  readonly startUs: number[];
  readonly endUs: number[];
  readonly liquidations: number[];
  /** Generations in the tree (1 for a lone liquidation). */
  readonly depth: number[];
  /** Σ debt repaid + bad debt over the cascade, minor units. */
  readonly notional: number[];
  /** Fall of the traded price from the last trade before the first liquidation to the lowest trade the cascade caused (its fire sales and what they triggered), %. */
  readonly priceDropPct: number[];
}

/** Empty tables, for runs without credit. */
export function emptyLiquidations(): LiquidationTable {
  return { timeUs: [], loanId: [], borrower: [], lender: [], liquidator: [], instrument: [], qty: [], price: [], debtRepaid: [], badDebt: [], cascadeId: [], causeId: [] };
}

export function emptyCascades(): CascadeTable {
  return { cascadeId: [], startUs: [], endUs: [], liquidations: [], depth: [], notional: [], priceDropPct: [] };
}
