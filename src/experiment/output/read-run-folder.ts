/**
 * Reading a run folder back (for `levsim report DIR`): the files of the
 * output contract into the tables a run produced.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TradeStore } from '../run/trade-store.js';
import type { CascadeTable, EpisodeTable, LiquidationTable, RunSummary, TimeSeries, TradeTable } from '../../stats/output-tables.js';
import { loadExperiment } from '../config/load-config.js';
import { episodePriceDrops } from '../../stats/episode-price-drops.js';
import { groupEpisodes } from '../../stats/episodes.js';
import type { RunData } from '../run/run.js';
import { parseCsv, parseNumberCell } from './csv-writer.js';
import { OutputError, errorCode } from './output-error.js';

/**
 * Reads a complete run folder back into the data its report is drawn from.
 * Agents and instruments are named in the files; here they get ids again
 * (agents in order of first appearance).
 */
export function readRunFolder(dir: string): RunData {
  const config = loadExperiment(join(dir, 'config.yaml')).config;
  const summary = readSummary(join(dir, 'summary.json'));
  const agentNames: string[] = [];
  const agentIds = new Map<string, number>();
  const agent = (name: string) => {
    if (name === '') return -1;
    let id = agentIds.get(name);
    if (id === undefined) {
      id = agentNames.length;
      agentNames.push(name);
      agentIds.set(name, id);
    }
    return id;
  };
  const instrument = (symbol: string) => config.instruments.findIndex((i) => i.symbol === symbol);
  const read = (name: string) => {
    const rows = parseCsv(readRunFile(join(dir, `${name}.csv`)));
    const header = rows.shift() ?? [];
    return (col: string) => {
      const c = header.indexOf(col);
      return rows.map((r) => r[c] ?? '');
    };
  };
  const nums = (cells: string[]) => cells.map(parseNumberCell);
  const ts = read('timeseries');
  const timeseries: TimeSeries = {
    timeUs: nums(ts('time_us')),
    instrument: ts('instrument'),
    mid: nums(ts('mid')),
    last: nums(ts('last')),
    bid: nums(ts('bid')),
    ask: nums(ts('ask')),
    bidDepth: nums(ts('bid_depth')),
    askDepth: nums(ts('ask_depth')),
    volume: nums(ts('volume')),
    fundamental: nums(ts('fundamental')),
    realizedVol: nums(ts('realized_vol')),
    aggregateLeverage: nums(ts('aggregate_leverage')),
    leveredLeverage: nums(ts('levered_leverage')),
    leveredAssets: nums(ts('levered_assets')),
    debtToEquity: nums(ts('debt_to_equity')),
    meanHaircut: nums(ts('mean_haircut')),
    totalDebt: nums(ts('total_debt')),
    lenderEquity: nums(ts('lender_equity')),
  };
  // A run with `outputs.trades: false` wrote no trades table: its readers see no trades.
  const tr = config.outputs.trades ? read('trades') : () => [];
  const timeUs = nums(tr('time_us'));
  const trades: TradeTable = {
    timeUs,
    instrument: tr('instrument').map(instrument),
    price: nums(tr('price')),
    qty: nums(tr('qty')),
    buyer: tr('buyer').map(agent),
    seller: tr('seller').map(agent),
    aggressor: tr('aggressor') as ('buy' | 'sell')[],
    causeId: nums(tr('cause_id')),
  };
  const lq = read('liquidations');
  const liquidations: LiquidationTable = {
    timeUs: nums(lq('time_us')),
    loanId: nums(lq('loan_id')),
    borrower: lq('borrower').map(agent),
    lender: lq('lender').map(agent),
    liquidator: lq('liquidator').map(agent),
    instrument: lq('instrument').map(instrument),
    qty: nums(lq('qty')),
    price: nums(lq('price')),
    debtRepaid: nums(lq('debt_repaid')),
    badDebt: nums(lq('bad_debt')),
    cascadeId: nums(lq('cascade_id')),
    causeId: nums(lq('cause_id')),
    trigger: lq('trigger'),
  };
  const cs = read('cascades');
  const cascades: CascadeTable = {
    cascadeId: nums(cs('cascade_id')),
    startUs: nums(cs('start_us')),
    endUs: nums(cs('end_us')),
    liquidations: nums(cs('liquidations')),
    depth: nums(cs('depth')),
    notional: nums(cs('notional')),
    priceDropPct: nums(cs('price_drop_pct')),
  };
  const store = TradeStore.fromTable(trades);
  // A folder written before episodes.csv existed: the episodes are derived from its liquidations and trades, as a run derives them.
  if (!existsSync(join(dir, 'episodes.csv'))) {
    const episodes = groupEpisodes(liquidations, config.episodeGapUs, episodePriceDrops(store, liquidations, config.episodeGapUs));
    return { config, summary, timeseries, trades: store, liquidations, cascades, episodes, agentNames };
  }
  const ep = read('episodes');
  const episodes: EpisodeTable = {
    episodeId: nums(ep('episode_id')),
    startUs: nums(ep('start_us')),
    endUs: nums(ep('end_us')),
    liquidations: nums(ep('liquidations')),
    notional: nums(ep('notional')),
    cascades: nums(ep('cascades')),
    largestCascade: nums(ep('largest_cascade')),
    priceDropPct: nums(ep('price_drop_pct')),
  };
  return { config, summary, timeseries, trades: store, liquidations, cascades, episodes, agentNames };
}

/** A file of a run folder; a missing or unreadable one is an OutputError (the folder was damaged after it was written). */
function readRunFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(path, code === 'ENOENT' ? 'missing: this run folder is incomplete (run it again)' : `cannot read (${errorCode(e)})`);
  }
}

/** summary.json, which must be a JSON object (the report tolerates missing statistics, not another shape). */
function readSummary(path: string): RunSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readRunFile(path));
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(path, `not valid JSON (${(e as Error).message.split('\n')[0]}); run the experiment again to rewrite it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OutputError(path, 'not a levsim summary (expected a JSON object)');
  return parsed as RunSummary;
}
