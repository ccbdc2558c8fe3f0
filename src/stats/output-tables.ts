/**
 * The tables of a run's output contract (DESIGN.md, "Output contract"),
 * declared once: timeseries.csv, trades.csv, liquidations.csv, cascades.csv,
 * episodes.csv as column stores, and summary.json. `src/experiment` fills them and
 * `src/report` reads them through the views at the end of this file.
 *
 * They live in `src/stats` because it is the one layer below both
 * experiment and report that each already imports, and because these are
 * the arrays its functions are run over; like the rest of `src/stats`, this
 * file imports nothing else of the project. The CSV column names are the
 * writer's (`experiment/output/table-columns.ts`). Agent fields are agent
 * ids (named at output); money in minor units, prices in ticks, times in µs.
 *
 * @module
 */

import type { RunFacts } from './facts.js';
import type { LiquidationTrigger } from './liquidation-triggers.js';
import type { ReturnStats } from './summary.js';

/** timeseries.csv: one row per sampling interval per instrument, all columns of equal length. */
export interface TimeSeries {
  /** Sample time, µs since the start of the run. */
  readonly timeUs: number[];
  /** Instrument symbol. */
  readonly instrument: string[];
  /** Mid (mark) price, ticks; NaN when the book has no mark. */
  readonly mid: number[];
  /** Last trade price, ticks. */
  readonly last: number[];
  /** Best bid, ticks; NaN when the bid side is empty. */
  readonly bid: number[];
  /** Best ask, ticks; NaN when the ask side is empty. */
  readonly ask: number[];
  /** Lots resting on the bid within 1 % below the mid (0 without a mid). */
  readonly bidDepth: number[];
  /** Lots resting on the ask within 1 % above the mid (0 without a mid). */
  readonly askDepth: number[];
  /** Lots traded during the interval. */
  readonly volume: number[];
  /** Fundamental value, ticks. */
  readonly fundamental: number[];
  /** Realised volatility of log mid returns over the sampler's window. */
  readonly realizedVol: number[];
  /** Σ exposure / Σ equity of the borrowers (same on every instrument's row). */
  readonly aggregateLeverage: number[];
  /** Σ assets / Σ equity of the agents with debt, at mark (balance-sheet leverage, Adrian & Shin 2010); NaN while nobody owes. */
  readonly leveredLeverage: number[];
  /** Σ assets (equity + debt) of the agents with debt, minor units (0 while nobody owes). */
  readonly leveredAssets: number[];
  /** Σ debt / Σ equity of every agent that may borrow (the borrowing sector's debt-to-equity; NaN when its equity is ≤ 0). */
  readonly debtToEquity: number[];
  /** Mean initial haircut over lenders for the instrument, in [0, 1]. */
  readonly meanHaircut: number[];
  /** Σ outstanding debt, minor units. */
  readonly totalDebt: number[];
  /** Σ lender equity, minor units. */
  readonly lenderEquity: number[];
}

/** trades.csv as plain rows. Buyer and seller are agent ids (named at output). */
export interface TradeTable {
  readonly timeUs: number[];
  readonly instrument: number[];
  readonly price: number[];
  /** Lots. */
  readonly qty: number[];
  readonly buyer: number[];
  readonly seller: number[];
  readonly aggressor: ('buy' | 'sell')[];
  readonly causeId: number[];
}

/** A chunk of trades.csv's rows, as columns (`length` rows of each). */
export interface TradeColumns {
  readonly length: number;
  readonly timeUs: ArrayLike<number>;
  readonly instrument: ArrayLike<number>;
  readonly price: ArrayLike<number>;
  readonly qty: ArrayLike<number>;
  readonly buyer: ArrayLike<number>;
  readonly seller: ArrayLike<number>;
  /** 0: the buyer was the aggressor; 1: the seller. */
  readonly aggressor: ArrayLike<number>;
  readonly causeId: ArrayLike<number>;
  /**
   * The nearest marked delivery among the causes of the trade's delivery
   * (`Kernel.currentAnchor`; 0: none), where cascade reconstruction goes on
   * walking back, the kernel keeping no other old cause. Not written.
   */
  readonly anchor: ArrayLike<number>;
}

/**
 * trades.csv, read in chunks in time order: a long run's trades do not fit
 * in memory (about 230,000 a flagship day), so whoever needs all of them
 * streams them.
 */
export interface TradeSource {
  readonly length: number;
  /** Σ qty, lots. */
  readonly volume: number;
  /** Each chunk once, in order; a chunk is valid until the next is asked for. */
  chunks(): Iterable<TradeColumns>;
}

/**
 * Whoever measures something over every trade while another pass over them
 * is being taken (the trades are streamed, so passes are saved): shown each
 * row of each chunk once, in time order.
 */
export interface TradeObserver {
  see(chunk: TradeColumns, row: number): void;
}

/** liquidations.csv. */
export interface LiquidationTable {
  readonly timeUs: number[];
  readonly loanId: number[];
  readonly borrower: number[];
  readonly lender: number[];
  readonly liquidator: number[];
  readonly instrument: number[];
  readonly qty: number[];
  readonly price: number[];
  /** Debt repaid, minor units. */
  readonly debtRepaid: number[];
  /** Loss beyond collateral, minor units. */
  readonly badDebt: number[];
  readonly cascadeId: number[];
  readonly causeId: number[];
  /** What put the loan below maintenance (`LiquidationTrigger`: price, terms, interest, call, borrow, collateral, liquidation). */
  readonly trigger: string[];
}

/** cascades.csv: one row per cascade (a causal tree of liquidations). */
export interface CascadeTable {
  readonly cascadeId: number[];
  readonly startUs: number[];
  readonly endUs: number[];
  /** Liquidations in the cascade: its size. */
  readonly liquidations: number[];
  /** Generations in the tree (1 for a lone liquidation). */
  readonly depth: number[];
  /** Σ debt repaid + bad debt over the cascade, minor units. */
  readonly notional: number[];
  /** Fall of the traded price from the last trade before the first liquidation to the lowest trade the cascade caused (its fire sales and what they triggered), %. */
  readonly priceDropPct: number[];
}

/**
 * episodes.csv: one row per episode, liquidations grouped by time alone
 * (`stats/episodes.ts`), reported beside the exact trees of cascades.csv.
 */
export interface EpisodeTable {
  /** 1, 2, … by start. */
  readonly episodeId: number[];
  /** Time of its first liquidation, µs. */
  readonly startUs: number[];
  /** Time of its last liquidation, µs. */
  readonly endUs: number[];
  /** Liquidations (rows of liquidations.csv) in the episode. */
  readonly liquidations: number[];
  /** Σ debt repaid + bad debt over the episode, minor units (as cascades.csv). */
  readonly notional: number[];
  /** Distinct cascades (cascade_id) among its liquidations. */
  readonly cascades: number[];
  /** Most liquidations of one cascade within the episode. */
  readonly largestCascade: number[];
  /** Fall of the traded price on its first liquidation's instrument, from the last trade before its start to the lowest trade in [start, end + gap), % (`stats/episode-price-drops.ts`). */
  readonly priceDropPct: number[];
}

/** Empty tables, for runs without credit. */
export function emptyLiquidations(): LiquidationTable {
  return { timeUs: [], loanId: [], borrower: [], lender: [], liquidator: [], instrument: [], qty: [], price: [], debtRepaid: [], badDebt: [], cascadeId: [], causeId: [], trigger: [] };
}

export function emptyCascades(): CascadeTable {
  return { cascadeId: [], startUs: [], endUs: [], liquidations: [], depth: [], notional: [], priceDropPct: [] };
}

export function emptyEpisodes(): EpisodeTable {
  return { episodeId: [], startUs: [], endUs: [], liquidations: [], notional: [], cascades: [], largestCascade: [], priceDropPct: [] };
}

/** summary.json: the headline statistics of a run. */
export interface RunSummary {
  seed: number;
  events: number;
  trades: number;
  volume: number;
  /** Return statistics of the first instrument's mid at the sampling interval. */
  returns: ReturnStats;
  /** The same per instrument symbol. */
  instruments: Record<string, { returns: ReturnStats; firstMid: number; lastMid: number; minMid: number; maxMid: number }>;
  /**
   * Balance-sheet leverage of the agents with debt (timeseries `levered_leverage`): mean, max, its
   * cycles (turning points at a 10 % reversal) and their test against red noise, the median build-up
   * and collapse, corr with realised volatility k samples earlier (k = 1 alone, and 1…20), and
   * corr(Δ log leverage, Δ log assets) (Adrian–Shin).
   */
  leverage: {
    mean: number;
    max: number;
    cycles: number;
    meanCyclePeriodUs: number;
    cyclesNullMean: number;
    cyclesPValue: number;
    /** Median build-up / median collapse in samples, its mean over phase-randomised (time-reversible) surrogates, and the p-value. */
    buildUpRatio: number;
    buildUpRatioNullMean: number;
    buildUpRatioPValue: number;
    medianBuildUpUs: number;
    medianCollapseUs: number;
    corrWithLaggedVol: number;
    corrWithVolByLag: number[];
    corrLeverageAssets: number;
  };
  /** Liquidations, and how many each trigger started (what put the loan below maintenance: a price move, a terms change, …). */
  liquidations: { count: number; byTrigger: Record<LiquidationTrigger, number> };
  /** Cascades (exact causal trees); `shareIn3Plus`: share of all liquidations in trees of 3 or more (FACTS.md), NaN without liquidations. */
  cascades: { count: number; maxLiquidations: number; maxNotional: number; shareIn3Plus: number; powerLaw: { alpha: number; xmin: number; n: number } | null };
  /** Episodes (liquidations grouped by time gap, `episodeGapUs`), beside the trees; `shareIn3Plus` as for cascades. */
  episodes: { count: number; maxLiquidations: number; maxNotional: number; shareIn3Plus: number };
  defaults: { borrowers: number; lenders: number };
  badDebt: number;
  /**
   * The funds' investors (TFG 2012 §2.3) and bankruptcies, summed over the
   * value funds and leverage targeters; null when none ran. Money in minor
   * units. Bankruptcies less than 10 flow periods apart form one episode
   * (TFG's defaults that cluster): `bankruptcyEpisodes` and the most
   * bankruptcies in one.
   */
  funds: { bankruptcies: number; reentries: number; inflows: number; outflows: number; bankruptcyEpisodes: number; largestBankruptcyEpisode: number } | null;
  invariants: { checks: number; violations: number; problems: string[] };
  /** The first instrument's stylized facts as /work/shared/FACTS.md defines them (intervals, burn-in, VR, vol ratio). */
  facts: RunFacts;
}

// ---------------------------------------------------------------------------
// Views for readers (the report): the same shapes, read-only and tolerant.

/** A table's columns as read-only `ArrayLike`s, so typed arrays serve too. */
export type ColumnsOf<T> = { readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? ArrayLike<E> : T[K] };

/** A numeric statistic as found in memory (NaN allowed) or in summary.json (NaN written as `null`). */
export type MaybeNumber = number | null | undefined;

/**
 * A record as read back from JSON, loosely: every field may be missing, and
 * every number or nested record `null` (a NaN written as JSON, or an older file).
 */
export type Loose<T> = { readonly [K in keyof T]?: LooseValue<T[K]> };

type LooseValue<T> = T extends number ? MaybeNumber : T extends readonly (infer E)[] ? readonly LooseValue<E>[] | null : T extends object ? Loose<T> | null : T;
