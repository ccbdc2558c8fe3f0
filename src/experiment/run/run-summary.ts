import { cascadeStats, shareInGroupsOfAtLeast } from '../../stats/cascades.js';
import { runFacts } from '../../stats/facts.js';
import type { ProbeRecord } from '../../agents/impact-probe.js';
import { impactCurve, type ProbeTable } from '../../stats/impact.js';
import { fitPowerLaw } from '../../stats/power-law.js';
import { isValidPrice, logReturns } from '../../stats/returns.js';
import type { CascadeTable, EpisodeTable, LiquidationTable, TimeSeries, TradeSource, RunSummary } from '../../stats/output-tables.js';
import { countByTrigger } from '../../stats/liquidation-triggers.js';
import { leverageStats, returnStats, type ReturnStats } from '../../stats/summary.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import type { Session } from '../../stats/mid-grid.js';
import { runCalendar } from './scenario.js';
import type { Calendar } from '../../market/calendar.js';

/** Number of |r| ACF lags reported. */
export const ACF_LAGS = 20;

/** Builds summary.json from a run's tables. */
export function summarize(
  config: ExperimentConfig,
  ts: TimeSeries,
  trades: Pick<TradeSource, 'length' | 'volume'>,
  liquidations: Pick<LiquidationTable, 'trigger'>,
  cascades: CascadeTable,
  episodes: EpisodeTable,
  systemic: Pick<RunSummary, 'defaults' | 'badDebt' | 'funds'>,
  events: number,
  invariants: RunSummary['invariants'],
  probes: readonly ProbeTable[] = [],
): RunSummary {
  // Keyed by symbol: no prototype, so no symbol can meet an inherited property.
  const instruments: RunSummary['instruments'] = Object.create(null) as RunSummary['instruments'];
  let primary: ReturnStats | null = null;
  const calendar = runCalendar(config);
  for (const spec of config.instruments) {
    const mids: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < ts.timeUs.length; i++) {
      if (ts.instrument[i] !== spec.symbol) continue;
      mids.push(ts.mid[i]);
      times.push(ts.timeUs[i]);
    }
    const finite = mids.filter((m) => m > 0);
    const stats = returnStats(intradayReturns(mids, times, calendar, config.auctions?.openingUs ?? 0), { acfLags: ACF_LAGS });
    primary ??= stats;
    instruments[spec.symbol] = {
      returns: stats,
      firstMid: finite[0] ?? Number.NaN,
      lastMid: finite[finite.length - 1] ?? Number.NaN,
      // A loop, not Math.min(...finite): spreading a million samples overflows the stack.
      minMid: finite.length > 0 ? finite.reduce((a, b) => (b < a ? b : a)) : Number.NaN,
      maxMid: finite.length > 0 ? finite.reduce((a, b) => (b > a ? b : a)) : Number.NaN,
    };
  }
  const first = config.instruments[0]?.symbol;
  const lev: number[] = [];
  const assets: number[] = [];
  const vol: number[] = [];
  const times: number[] = [];
  const mids: number[] = [];
  const fundamentals: number[] = [];
  const book = { bids: [] as number[], asks: [] as number[], bidDepth: [] as number[], askDepth: [] as number[], volume: [] as number[] };
  for (let i = 0; i < ts.timeUs.length; i++) {
    if (ts.instrument[i] !== first) continue;
    lev.push(ts.leveredLeverage[i]);
    assets.push(ts.leveredAssets[i]);
    vol.push(ts.realizedVol[i]);
    times.push(ts.timeUs[i]);
    mids.push(ts.mid[i]);
    fundamentals.push(ts.fundamental[i]);
    book.bids.push(ts.bid[i]);
    book.asks.push(ts.ask[i]);
    book.bidDepth.push(ts.bidDepth[i]);
    book.askDepth.push(ts.askDepth[i]);
    book.volume.push(ts.volume[i]);
  }
  const leverage = leverageStats(lev, { times, volatility: vol, assets, seed: config.seed });
  const volume = trades.volume;
  return {
    seed: config.seed,
    events,
    trades: trades.length,
    volume,
    returns: primary as ReturnStats,
    instruments,
    leverage: {
      mean: leverage.mean,
      max: leverage.max,
      cycles: leverage.cycles,
      meanCyclePeriodUs: leverage.meanCyclePeriod,
      cyclesNullMean: leverage.cycleNull.nullMean,
      cyclesPValue: leverage.cycleNull.pValue,
      buildUpRatio: leverage.asymmetry.ratio,
      buildUpRatioNullMean: leverage.asymmetry.nullMean,
      buildUpRatioPValue: leverage.asymmetry.pValue,
      medianBuildUpUs: leverage.medianBuildUp,
      medianCollapseUs: leverage.medianCollapse,
      corrWithLaggedVol: leverage.corrWithLaggedVol,
      corrWithVolByLag: leverage.corrWithVolByLag,
      corrLeverageAssets: leverage.corrLeverageAssets,
    },
    liquidations: { count: liquidations.trigger.length, byTrigger: countByTrigger(liquidations.trigger) },
    cascades: cascadeSummary(cascades),
    episodes: episodeSummary(episodes),
    defaults: systemic.defaults,
    badDebt: systemic.badDebt,
    funds: systemic.funds,
    invariants,
    facts: {
      ...runFacts({ times, mids, fundamentals, samplingUs: config.samplingUs, book }, { sessions: factSessions(config, times[times.length - 1] ?? 0) }),
      impact: probes.length === 0 ? null : impactCurve(mergeProbes(probes)),
    },
  };
}

/**
 * Log returns of the sampled mid that stay within a session: the return
 * from a close row to the next day's first sample spans the night and is
 * left out (FACTS.md: returns never cross a session boundary). With one
 * session this is every return, as before sessions existed.
 */
function intradayReturns(mids: readonly number[], times: readonly number[], calendar: Calendar, openingUs: number): number[] {
  if (calendar.sessions === 1 && openingUs === 0) return logReturns(mids);
  // A row at (d+1)·L is session d's close, so rows in (d·L, (d+1)·L] are session d's.
  const sessionOf = (t: number) => (t === 0 ? 0 : Math.ceil(t / calendar.sessionUs) - 1);
  const out: number[] = [];
  let prev = Number.NaN;
  let prevSession = -1;
  for (let i = 0; i < mids.length; i++) {
    const m = mids[i] as number;
    // Rows inside an opening call carry the last close: the session's prices start at the uncrossing.
    const within = (times[i] as number) % calendar.sessionUs;
    if (!isValidPrice(m) || (within > 0 && within < openingUs)) continue;
    const session = sessionOf(times[i] as number);
    if (session === prevSession) out.push(Math.log(m / prev));
    prev = m;
    prevSession = session;
  }
  return out;
}

/**
 * The sessions the facts are measured in, up to the last sample (a run
 * stopped early must not carry its last mid to the horizon). Session d ≥ 1
 * starts at its first sample after the open: the sample at the open instant
 * is the previous session's close, so an intraday return from it would
 * straddle the night (FACTS.md: returns never cross a session boundary
 * except at the 1-day scale). Its end is its close sample. With an opening
 * auction a session starts at its first sample at or after the uncrossing
 * (the call's rows carry the last close; the auction price is the open, and
 * the move to it belongs to the night, as on Xetra and NYSE).
 */
export function factSessions(config: ExperimentConfig, lastSampleUs: number): Session[] {
  const calendar = runCalendar(config);
  const sessions: Session[] = [];
  const opening = config.auctions?.openingUs ?? 0;
  const callRows = Math.ceil(opening / config.samplingUs) * config.samplingUs;
  for (let d = 0; d < calendar.sessions; d++) {
    const start = d === 0 ? callRows : d * calendar.sessionUs + Math.max(config.samplingUs, callRows);
    const end = Math.min((d + 1) * calendar.sessionUs, config.horizonUs, lastSampleUs);
    if (start > end) break;
    sessions.push({ start, end });
  }
  return sessions;
}

/** The rows of several probes as one table (the curve averages over all probes of a size). */
function mergeProbes(probes: readonly ProbeTable[]): ProbeTable {
  const all: ProbeRecord = { timeUs: [], side: [], qty: [], midBefore: [], midJustAfter: [], midAfter: [], emptied: [] };
  for (const p of probes) {
    for (let i = 0; i < p.qty.length; i++) {
      all.timeUs.push(p.timeUs[i]);
      all.side.push(p.side[i]);
      all.qty.push(p.qty[i]);
      all.midBefore.push(p.midBefore[i]);
      all.midJustAfter.push(p.midJustAfter[i]);
      all.midAfter.push(p.midAfter[i]);
      all.emptied.push(p.emptied[i]);
    }
  }
  return all;
}

/** The size from which a cascade or an episode counts as large (FACTS.md: "trees of 3 or more"). */
const LARGE_GROUP = 3;

/**
 * Cascade counts and sizes; the size distribution (liquidations per cascade)
 * is fitted with a discrete power law after Clauset, Shalizi & Newman (2009)
 * when there are enough cascades (null otherwise).
 */
function cascadeSummary(c: CascadeTable): RunSummary['cascades'] {
  const stats = cascadeStats({ sizes: c.liquidations, depths: c.depth, notionals: c.notional });
  const fit = c.liquidations.length >= 10 ? fitPowerLaw(c.liquidations, { kind: 'discrete' }) : null;
  return {
    count: stats.count,
    maxLiquidations: stats.count === 0 ? 0 : stats.largest,
    maxNotional: stats.count === 0 ? 0 : stats.maxNotional,
    shareIn3Plus: shareInGroupsOfAtLeast(c.liquidations, LARGE_GROUP),
    powerLaw: fit === null ? null : { alpha: fit.alpha, xmin: fit.xmin, n: fit.n },
  };
}

/** Episode count, largest (liquidations, notional) and the share of liquidations in episodes of 3 or more: the time-gap view beside the trees. */
function episodeSummary(e: EpisodeTable): RunSummary['episodes'] {
  const stats = cascadeStats({ sizes: e.liquidations, notionals: e.notional });
  return { count: stats.count, maxLiquidations: stats.largest, maxNotional: stats.maxNotional, shareIn3Plus: shareInGroupsOfAtLeast(e.liquidations, LARGE_GROUP) };
}
