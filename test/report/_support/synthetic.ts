import type { ReportInput } from '../../../src/report/report-input.js';
import { mulberry32 } from '../../stats/_support/prng.js';

/** Options of {@link syntheticRun}. */
export interface SyntheticOptions {
  samples?: number;
  instruments?: readonly string[];
  trades?: number;
  cascades?: number;
  seed?: number;
  name?: string;
  description?: string;
}

/**
 * A plausible-looking run: GARCH(1,1) mid returns, a fundamental random walk,
 * a leverage cycle that collapses when volatility spikes, power-law cascades.
 */
export function syntheticRun(options: SyntheticOptions = {}): ReportInput {
  const samples = options.samples ?? 400;
  const symbols = options.instruments ?? ['ACME'];
  const rnd = mulberry32(options.seed ?? 7);
  const normal = (): number => {
    const u = Math.max(rnd(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  const ts = {
    timeUs: [] as number[], instrument: [] as string[], mid: [] as number[], last: [] as number[], bid: [] as number[], ask: [] as number[], bidDepth: [] as number[], askDepth: [] as number[], volume: [] as number[],
    fundamental: [] as number[], realizedVol: [] as number[], aggregateLeverage: [] as number[], leveredLeverage: [] as number[], leveredAssets: [] as number[], debtToEquity: [] as number[], meanHaircut: [] as number[],
    totalDebt: [] as number[], lenderEquity: [] as number[],
  };
  const mid = symbols.map(() => 10_000);
  const fund = symbols.map(() => 10_000);
  const h = symbols.map(() => 1e-5);
  const rv = symbols.map(() => 0);
  let leverage = 2;
  let equity = 5e9;
  for (let k = 0; k < samples; k++) {
    const t = k * 1_000_000;
    const cycle = 1 + 0.5 * Math.sin((2 * Math.PI * k) / 120);
    leverage = Math.max(1, 0.9 * leverage + 0.1 * (1 + 3 * cycle) + 0.05 * normal());
    for (let j = 0; j < symbols.length; j++) {
      const r = Math.sqrt(h[j]!) * normal();
      h[j] = 2e-7 + 0.1 * r * r + 0.88 * h[j]!;
      mid[j] = Math.max(1, Math.round(mid[j]! * Math.exp(r)));
      fund[j] = Math.max(1, fund[j]! + Math.round(5 * normal()));
      rv[j] = 0.9 * rv[j]! + 0.1 * Math.abs(r);
      ts.timeUs.push(t);
      ts.instrument.push(symbols[j]!);
      ts.mid.push(mid[j]!);
      ts.last.push(mid[j]!);
      ts.bid.push(mid[j]! - 1);
      ts.ask.push(mid[j]! + 1);
      ts.bidDepth.push(500);
      ts.askDepth.push(500);
      ts.volume.push(Math.round(100 + 50 * rnd()));
      ts.fundamental.push(fund[j]!);
      ts.realizedVol.push(rv[j]! * 3);
      ts.aggregateLeverage.push(leverage);
      ts.leveredLeverage.push(leverage);
      ts.leveredAssets.push(Math.round(leverage * 2e9));
      ts.debtToEquity.push(leverage - 1);
      ts.meanHaircut.push(Math.min(1, 0.1 + 20 * rv[j]!));
      ts.totalDebt.push(Math.round(leverage * 1e9));
      equity -= Math.round(rnd() < 0.02 ? 5e7 * rnd() : -1e6 * rnd());
      ts.lenderEquity.push(equity);
    }
  }
  const nTrades = options.trades ?? 500;
  const trades = { timeUs: [] as number[], qty: [] as number[] };
  for (let i = 0; i < nTrades; i++) {
    trades.timeUs.push(Math.floor((i * samples * 1_000_000) / nTrades));
    trades.qty.push(1 + Math.floor(rnd() * 10));
  }
  const nCascades = options.cascades ?? 60;
  const cascades = { cascadeId: [] as number[], startUs: [] as number[], endUs: [] as number[], liquidations: [] as number[], depth: [] as number[], notional: [] as number[], priceDropPct: [] as number[] };
  const liquidations = { timeUs: [] as number[], debtRepaid: [] as number[], badDebt: [] as number[], cascadeId: [] as number[] };
  for (let c = 0; c < nCascades; c++) {
    const size = Math.max(1, Math.floor((1 - rnd()) ** (-1 / 1.3)));
    const start = Math.floor(rnd() * samples) * 1_000_000;
    cascades.cascadeId.push(c + 1);
    cascades.startUs.push(start);
    cascades.endUs.push(start + size * 2_000);
    cascades.liquidations.push(size);
    cascades.depth.push(Math.max(1, Math.ceil(Math.log2(size + 1))));
    cascades.notional.push(size * 1_000_000);
    cascades.priceDropPct.push(Math.round(size * 10 * rnd()) / 100);
    for (let l = 0; l < size; l++) {
      liquidations.timeUs.push(start + l * 2_000);
      liquidations.debtRepaid.push(1_000_000);
      liquidations.badDebt.push(0);
      liquidations.cascadeId.push(c + 1);
    }
  }
  // Four "trading days" of a quarter of the samples each, closing on their last sample; the cascades as episodes.
  const dayUs = Math.max(1, Math.floor(samples / 4)) * 1_000_000;
  const sessions = { day: [] as number[], instrument: [] as string[], startUs: [] as number[], endUs: [] as number[], closeMid: [] as number[], leveredLeverage: [] as number[], meanHaircut: [] as number[], totalDebt: [] as number[], liquidations: [] as number[] };
  for (let d = 0; d < 4; d++) {
    const close = Math.min(samples - 1, (d + 1) * (dayUs / 1_000_000) - 1) * symbols.length;
    sessions.day.push(d);
    sessions.instrument.push(symbols[0] as string);
    sessions.startUs.push(d * dayUs);
    sessions.endUs.push((d + 1) * dayUs);
    sessions.closeMid.push(ts.mid[close] ?? Number.NaN);
    sessions.leveredLeverage.push(ts.leveredLeverage[close] ?? Number.NaN);
    sessions.meanHaircut.push(ts.meanHaircut[close] ?? Number.NaN);
    sessions.totalDebt.push(ts.totalDebt[close] ?? Number.NaN);
    sessions.liquidations.push(liquidations.timeUs.filter((t) => t >= d * dayUs && t < (d + 1) * dayUs).length);
  }
  return {
    name: options.name ?? 'synthetic-leverage-cycle',
    description: options.description ?? 'Synthetic data shaped like a leverage-cycle run, for report tests.',
    summary: {
      seed: options.seed ?? 7,
      events: 123_456,
      trades: nTrades,
      leverage: { mean: 2.5, max: 4.1, cycles: 3, meanCyclePeriodUs: 120_000_000, corrWithLaggedVol: -0.41 },
      cascades: { count: nCascades, maxLiquidations: Math.max(0, ...cascades.liquidations), maxNotional: Math.max(0, ...cascades.notional), powerLaw: null },
      defaults: { borrowers: 4, lenders: 0 },
      badDebt: 0,
      invariants: { checks: 1, violations: 0, problems: [] },
    },
    timeseries: ts,
    trades,
    liquidations,
    cascades,
    sessions,
    episodes: { startUs: cascades.startUs, endUs: cascades.endUs },
    config: { name: options.name ?? 'synthetic-leverage-cycle', seed: options.seed ?? 7, instruments: symbols.map((symbol) => ({ symbol, tickSize: 1 })) },
  };
}
