import type { Kernel } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { RandomStream } from '../engine/random-stream.js';
import type { Micros } from '../engine/time.js';
import type { MarketSnapshot } from '../market/market-data.js';
import type { Side } from '../market/side.js';
import { FEE_ALLOWANCE, buyHoldPerLot } from './_internals/buy-hold.js';
import { requireAtLeast, requireInt, requireTimeOrInfinity } from './_internals/check.js';
import { sendDemandLadder, type DemandSchedule, type LadderBounds, type LadderSink } from './demand-ladder.js';
import { TradingAgent, type TradingAgentOptions } from './trading-agent.js';

/** Options of a {@link CashDemandTrader}. */
export interface CashDemandTraderOptions extends TradingAgentOptions {
  /** Mean of its cash demand ξ, minor units > 0 (TFG: V·N, the value of all shares at the fundamental). Required. */
  meanCash: number;
  /** Persistence ρ of log ξ per period, in [0, 1). Default 0.99 (TFG). */
  rho?: number;
  /** Standard deviation σ of the shocks to log ξ per period, ≥ 0. Default 0.035 (TFG). */
  sigma?: number;
  /**
   * Name of the random stream of the common factor: traders given the same
   * name share one ξ path (a population whose aggregate demand is TFG's).
   * Default: its own (`cash-demand/<name>`).
   */
  factorStream?: string;
  /** Standard deviation of its own demand's deviation from the common factor, log units per period, ≥ 0 (drawn afresh each period). Default 0. */
  dispersion?: number;
  /** Time between ladders, µs (the batch interval). Required. */
  intervalUs: Micros;
  /** The period: time between draws of ξ, µs, a multiple of `intervalUs` (several auctions a period let leveraged buyers loop and sellers meet calls within it). Default `intervalUs`. */
  periodUs?: Micros;
  /** First period, µs. Default `intervalUs`. */
  startUs?: Micros;
  /** No period after this time, µs. Default +∞. */
  endUs?: Micros;
  /** Limit orders of its demand ladder a side. Default 60. */
  ladderLevels?: number;
  /** Spacing of the ladder's first levels, ticks (level i lies stepTicks·i(i+1)/2 from the first). Default 1. */
  ladderStepTicks?: number;
}

/**
 * The noise trader of Thurner, Farmer & Geanakoplos (2012), §2.1: it wants
 * to hold stock worth ξ_t in cash, a demand of ξ_t/p lots at price p, with
 * log ξ_t = ρ·log ξ_{t−1} + σ·χ_t + (1 − ρ)·log(meanCash), χ_t standard
 * normal. Alone (holding all N lots) it clears the market at p = ξ_t/N, a
 * mean-reverting random walk around V = meanCash/N.
 *
 * A call auction prices only what trades: one noise trader holding every
 * lot while the funds are out (p > V) trades with nobody, and the price
 * would stand still where TFG's clearing price moves with ξ. So the noise
 * trader can be a population: members given one `factorStream` share the
 * factor x_t = ρ·x_{t−1} + σ·χ_t, and each wants meanCash·exp(x_t + η_t)
 * with its own η_t ~ N(0, dispersion²) each period. Their aggregate demand
 * is TFG's ξ_t up to a dispersion/√K wobble (K members), and they trade
 * with each other in every auction, so a price forms in every period.
 *
 * Every `intervalUs` it draws ξ_t, reads the market and sends its schedule
 * ξ_t/(p·m) into the call as a ladder of IOC limit orders
 * ({@link sendDemandLadder}; m minor units per tick·lot): whatever the call
 * clears at, it ends holding about what its demand says there. It is made
 * for a call-auction market (`auctions: { batch }`); in continuous trading
 * the same ladder would cross the book at once.
 */
export class CashDemandTrader extends TradingAgent implements DemandSchedule, LadderSink {
  readonly meanCash: number;
  readonly rho: number;
  readonly sigma: number;
  readonly intervalUs: Micros;
  readonly periodUs: Micros;
  readonly startUs: Micros;
  readonly endUs: Micros;
  readonly dispersion: number;
  /** The common factor x_t (log of ξ_t/meanCash), and its cash demand this period, minor units. */
  factor = 0;
  cashDemand: number;
  private readonly factorStreamName: string;
  /** When ξ is drawn next, µs. */
  private nextDrawUs = 0;
  private factorRng!: RandomStream;
  /** Ladders sent, and orders in them. */
  ladders = 0;
  ladderOrders = 0;
  private readonly minorPerTickLot: number;
  private readonly bounds: LadderBounds;

  constructor(name: string, options: CashDemandTraderOptions) {
    super(name, options, 0);
    this.meanCash = options.meanCash;
    if (!(this.meanCash > 0)) throw new RangeError(`meanCash must be > 0, got ${this.meanCash}`);
    this.rho = requireAtLeast('rho', options.rho ?? 0.99, 0);
    if (!(this.rho < 1)) throw new RangeError(`rho must be below 1 (log ξ is stationary only then), got ${this.rho}`);
    this.sigma = requireAtLeast('sigma', options.sigma ?? 0.035, 0);
    this.dispersion = requireAtLeast('dispersion', options.dispersion ?? 0, 0);
    this.factorStreamName = options.factorStream ?? `cash-demand/${name}`;
    this.intervalUs = requireInt('intervalUs', options.intervalUs, 1);
    this.periodUs = requireInt('periodUs', options.periodUs ?? this.intervalUs, 1);
    if (this.periodUs % this.intervalUs !== 0) throw new RangeError(`periodUs (${this.periodUs} µs) must be a multiple of intervalUs (${this.intervalUs} µs): ξ is drawn at a ladder`);
    this.startUs = requireInt('startUs', options.startUs ?? this.intervalUs, 0);
    this.endUs = requireTimeOrInfinity('endUs', options.endUs ?? Number.POSITIVE_INFINITY);
    this.minorPerTickLot = requireInt('minorPerTickLot', options.minorPerTickLot ?? 1, 1);
    this.cashDemand = this.meanCash;
    const mpt = this.minorPerTickLot;
    this.bounds = {
      levels: requireInt('ladderLevels', options.ladderLevels ?? 60, 1),
      stepTicks: requireInt('ladderStepTicks', options.ladderStepTicks ?? 1, 1),
      minPrice: 1,
      maxPrice: 1,
      cash: 0,
      holdPerLot: (price: number) => buyHoldPerLot(price, mpt, FEE_ALLOWANCE),
      sellable: 0,
    };
  }

  override attach(kernel: Kernel, id: AgentId): void {
    super.attach(kernel, id);
    this.factorRng = kernel.random(this.factorStreamName);
  }

  override onStart(now: Micros): void {
    this.startClock(now, this.startUs, this.endUs);
  }

  override onWakeup(now: Micros): void {
    if (now >= this.nextDrawUs) this.draw(now);
    this.tick(now, this.intervalUs, this.endUs);
  }

  /** A new period: ξ_t, and its own deviation from the common factor. */
  private draw(now: Micros): void {
    this.nextDrawUs = now + this.periodUs;
    // log ξ_t − log meanCash = ρ·(log ξ_{t−1} − log meanCash) + σ·χ_t: TFG's AR(1) around log(meanCash).
    this.factor = this.rho * this.factor + this.sigma * this.factorRng.normal();
    const own = this.dispersion > 0 ? this.rng.normal(0, this.dispersion) : 0;
    this.cashDemand = this.meanCash * Math.exp(this.factor + own);
  }

  /** Its demand at `price`: ξ/(p·m) lots. */
  positionAt(price: number): number {
    return this.cashDemand / (price * this.minorPerTickLot);
  }

  ladderOrder(side: Side, price: number, qty: number): void {
    this.placeLimit(side, price, qty, 'limit-ioc');
    this.ladderOrders++;
  }

  protected override onSnapshot(_now: Micros, s: MarketSnapshot): void {
    if (s.update) return;
    const t = this.tracker;
    const b = this.bounds;
    // Its schedule crosses its position at ξ/(N·m); searched up to four times that.
    b.maxPrice = Math.max(2, Math.ceil((4 * this.cashDemand) / (Math.max(1, t.position) * this.minorPerTickLot)));
    b.cash = t.cash;
    b.sellable = this.sellable();
    sendDemandLadder(this, t.position, b, this);
    this.ladders++;
  }
}
