/**
 * The way back: a resolved config as a full experiment document (for
 * `config.yaml`, and for re-validating a config after `--set`, a sweep or an
 * intervention changed it).
 *
 * @module
 */

import type { AuctionConfig, CalendarConfig, ExperimentConfig, FundamentalConfig } from './experiment-config.js';
import { formatDuration } from './duration.js';

/**
 * The full document of a resolved config: every key present, durations in
 * their shortest exact spelling. Parsing it gives back the same config; it is
 * what `config.yaml` holds, and what `--set`, sweeps and interventions edit.
 */
export function toDocument(config: ExperimentConfig): Record<string, unknown> {
  return {
    name: config.name,
    description: config.description,
    seed: config.seed,
    horizon: config.horizonDays !== undefined ? `${config.horizonDays}d` : formatDuration(config.horizonUs),
    sampling: formatDuration(config.samplingUs),
    volWindow: config.volWindow,
    episodeGap: formatDuration(config.episodeGapUs),
    outputs: { trades: config.outputs.trades },
    latency: config.latency.model === 'constant'
      ? { model: 'constant', us: formatDuration(config.latency.us) }
      : { model: 'jittered', baseUs: formatDuration(config.latency.baseUs), meanJitterUs: formatDuration(config.latency.meanJitterUs) },
    fees: { makerBps: config.fees.makerBps, takerBps: config.fees.takerBps },
    stp: config.stp,
    instruments: config.instruments.map((i) => ({
      symbol: i.symbol,
      tickSize: i.tickSize,
      lotSize: i.lotSize,
      minorUnit: i.minorUnit,
      maxOrderQty: i.maxOrderQty,
      initialPrice: i.initialPrice,
      fundamental: fundamentalDoc(i.fundamental),
    })),
    agents: config.agents.map((g) => ({
      type: g.type,
      name: g.name,
      count: g.count,
      cash: g.cash,
      holdings: { ...g.holdings },
      params: structuredClone(g.params),
    })),
    credit: {
      policy: config.credit.policy,
      closeFactor: config.credit.closeFactor,
      criticalHealth: config.credit.criticalHealth,
      liquidationBonus: config.credit.liquidationBonus,
      protocolShare: config.credit.protocolShare,
      gracePeriod: formatDuration(config.credit.gracePeriodUs),
      accrualInterval: formatDuration(config.credit.accrualIntervalUs),
    },
    interventions: config.interventions.map((iv) => (iv.event === null ? { at: formatDuration(iv.atUs), set: structuredClone(iv.set) } : { at: formatDuration(iv.atUs), event: { ...iv.event } })),
    // Only when the file had one: a config without it is the one it always was.
    ...(config.calendar !== undefined && { calendar: calendarDocument(config.calendar) }),
    ...(config.auctions !== undefined && { auctions: auctionsDocument(config.auctions) }),
  };
}

/** The `auctions:` section of an auction config (0: that kind of call does not run). */
export function auctionsDocument(a: AuctionConfig): Record<string, unknown> {
  return { opening: formatDuration(a.openingUs), closing: formatDuration(a.closingUs), batch: formatDuration(a.batchUs), allocation: a.allocation, collarBps: a.collarBps };
}

/** The `calendar:` section of a calendar config. */
export function calendarDocument(c: CalendarConfig): Record<string, unknown> {
  return {
    session: formatDuration(c.sessionUs),
    overnight: formatDuration(c.overnightUs),
    tradingDaysPerWeek: c.tradingDaysPerWeek,
    startWeekday: c.startWeekday,
    overnightVarianceShare: c.overnightVarianceShare,
    timeInForce: c.timeInForce,
  };
}

function fundamentalDoc(f: FundamentalConfig): Record<string, unknown> {
  const jumps = f.jumps === null ? null : { ...f.jumps };
  if (f.process === 'ou') return { process: 'ou', mean: f.mean, kappa: f.kappa, sigma: f.sigma, dt: formatDuration(f.dtUs), jumps };
  return { process: 'gbm', mu: f.mu, sigma: f.sigma, dt: formatDuration(f.dtUs), jumps };
}
