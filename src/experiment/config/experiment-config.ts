import type { StpMode } from '../../market/order-book-api.js';

/**
 * The fully resolved experiment configuration: what a YAML file becomes
 * after validation, defaults filled in, durations in integer microseconds.
 * It is plain data (JSON-serialisable) so that sweeps can derive variants
 * with immer and a run id can hash it.
 */
export interface ExperimentConfig {
  /** Short name, used in output folder names. */
  name: string;
  /** What the experiment shows (free text). */
  description: string;
  /** The master seed; every random stream derives from it and a name. */
  seed: number;
  /** Simulated length of the run, µs of trading time (sessions laid end to end; `calendar`). */
  horizonUs: number;
  /**
   * The horizon as written in trading days (`horizon: 5d`), when it was: kept
   * so that a changed session length (`--set`, a sweep) still means 5 days.
   * Absent for a horizon written as a duration.
   */
  horizonDays?: number;
  /** Interval between rows of timeseries.csv, µs. */
  samplingUs: number;
  /** Number of sampling intervals in the realised-volatility window. */
  volWindow: number;
  /**
   * Liquidations closer than this in time (µs of trading time) form one
   * episode of episodes.csv (FACTS.md: episodes beside the exact cascade
   * trees); a gap of exactly this length starts a new one. Read only when the
   * run's tables are written: it changes no trade.
   */
  episodeGapUs: number;
  /** Which optional tables a run writes. */
  outputs: OutputsConfig;
  latency: LatencyConfig;
  fees: FeesConfig;
  /** Self-trade prevention mode of the books ('none' cannot be settled, so it is not offered). */
  stp: Exclude<StpMode, 'none'>;
  instruments: InstrumentConfig[];
  agents: AgentGroupConfig[];
  credit: CreditConfig;
  interventions: InterventionConfig[];
  /**
   * Trading sessions and the calendar around them; absent when the file has
   * no `calendar:` section (the defaults of `defaultCalendar()` apply, and the
   * resolved config, its run id and config.yaml stay as they were before
   * sessions existed).
   */
  calendar?: CalendarConfig;
  /** Call auctions of the exchange (`src/market/auction-schedule.ts`); absent: a continuous market, as before auctions existed. */
  auctions?: AuctionConfig;
}

/** The exchange's call auctions: an opening and/or closing call around continuous trading, or a batch market. 0: none. */
export interface AuctionConfig {
  /** Opening call length, µs. */
  openingUs: number;
  /** Closing call length, µs. */
  closingUs: number;
  /** Batch interval, µs (no continuous trading). */
  batchUs: number;
  /** Priority at the auction price after price: time, or pro rata to size. */
  allocation: 'time' | 'pro-rata';
  /** How far through the reference price a market order in a call is collared, basis points. */
  collarBps: number;
}

/** A day of the week. */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** The trading calendar (`src/market/calendar.ts`). */
export interface CalendarConfig {
  /** Length of one trading session, µs. */
  sessionUs: number;
  /** Closed time from a close to the next day's open, µs. */
  overnightUs: number;
  /** Trading days per week (a weekend of 7 − this days after each week's last session). */
  tradingDaysPerWeek: number;
  /** Weekday of the first session; trading days are the week's first `tradingDaysPerWeek` days from Monday. */
  startWeekday: Weekday;
  /** Share of a weekday's close-to-close variance of the fundamental that arrives while the market is shut. */
  overnightVarianceShare: number;
  /** What resting orders do at a close: 'day' expire, 'gtc' rest into the next session. */
  timeInForce: 'day' | 'gtc';
}

/** Message latency between agents and venues. */
export type LatencyConfig =
  | { model: 'constant'; us: number }
  | { model: 'jittered'; baseUs: number; meanJitterUs: number };

/** Maker/taker fees in basis points of notional (maker negative = rebate). */
export interface FeesConfig {
  makerBps: number;
  takerBps: number;
}

/** A traded instrument and its fundamental value process. */
export interface InstrumentConfig {
  symbol: string;
  /** Quote-currency value of one tick (e.g. 0.01). */
  tickSize: number;
  /** Units per lot. */
  lotSize: number;
  /** Quote currency minor unit (0.01 = cents). */
  minorUnit: number;
  /** Largest order, lots. */
  maxOrderQty: number;
  /** Starting fundamental and reference price, ticks. */
  initialPrice: number;
  fundamental: FundamentalConfig;
}

/** Jumps of a value process: Poisson arrivals per second, normal sizes. */
export interface JumpConfig {
  ratePerSecond: number;
  mean: number;
  sd: number;
}

/**
 * The fundamental value process. OU levels and jumps in ticks, kappa per
 * second, sigma ticks per √s; GBM mu and sigma per second (log units), jumps
 * in log units.
 */
export type FundamentalConfig =
  | { process: 'ou'; mean: number; kappa: number; sigma: number; dtUs: number; jumps: JumpConfig | null }
  | { process: 'gbm'; mu: number; sigma: number; dtUs: number; jumps: JumpConfig | null };

/** A parameter given per agent: a constant or a distribution drawn once per agent. */
export type ParamValue =
  | number
  | string
  | boolean
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'int'; min: number; max: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'choice'; values: (number | string)[] }
  /** Member i of the group takes values[i mod n]: a grid across the group (TFG's β = 5, 10, …, 50), drawn from nothing. */
  | { dist: 'each'; values: (number | string)[] };

/** A population of agents of one type. */
export interface AgentGroupConfig {
  /** Registered agent type, e.g. `noise`, `market-maker`, `lender`. */
  type: string;
  /** Group name; agents are named `<name>/<index>` (or `<name>` when count is 1). */
  name: string;
  count: number;
  /** Starting cash per agent, minor units. */
  cash: number;
  /** Starting lots per agent, by instrument symbol. */
  holdings: Record<string, number>;
  /** Type-specific parameters; see the agent registry for names, units and defaults. */
  params: Record<string, ParamValue>;
}

/**
 * Optional tables. trades.csv is the one table that grows with every trade
 * (about 200 000 rows a flagship day, 50 million in a year): a long run may
 * leave it out. Cascades, episodes and the daily bars are still derived from
 * the trades, which the run keeps on disk while it lasts.
 */
export interface OutputsConfig {
  /** Write trades.csv and trades.parquet. */
  trades: boolean;
}

/** The credit venue's rules. */
export interface CreditConfig {
  /** `aave`: liquidators race; `broker`: margin call, grace, forced sale by the venue. */
  policy: 'aave' | 'broker';
  /** Close factor while HF ∈ [criticalHealth, 1). */
  closeFactor: number;
  /** Below this health factor the whole debt may be repaid at once. */
  criticalHealth: number;
  /** Liquidation bonus on seized collateral (e.g. 0.05). */
  liquidationBonus: number;
  /** Share of the bonus that goes to the protocol. */
  protocolShare: number;
  /** Grace period of margin calls, µs. */
  gracePeriodUs: number;
  /** Interval of periodic interest accrual, µs. */
  accrualIntervalUs: number;
}

/** A scheduled change: a patch of the config or an injected event. */
export interface InterventionConfig {
  /** When, µs from the start. */
  atUs: number;
  /** Parameter changes as `path → value` (dotted paths into the config). */
  set: Record<string, unknown>;
  /** Or an event to inject. */
  event: InterventionEvent | null;
}

/** Events an intervention can inject. */
export type InterventionEvent =
  | { type: 'fundamental-jump'; instrument: string; size: number }
  | { type: 'halt'; instrument: string; halted: boolean }
  | { type: 'market-sell'; instrument: string; qty: number }
  | { type: 'haircut-shock'; add: number };
