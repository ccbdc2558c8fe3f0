/**
 * A short run of several sessions end to end: the closes, the overnight
 * fundamental, the sessions table and determinism.
 */
import { describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { sessionsOf } from '../../../src/experiment/output/run-folder.js';
import { factSessions } from '../../../src/experiment/run/run-summary.js';

const MIN = 60_000_000;
const SESSION = 5 * MIN;

const text = (extra = '') =>
  [
    'name: sessions',
    'horizon: 3d',
    'sampling: 30s',
    `calendar: { session: 5m${extra} }`,
    'instruments: [{ symbol: ABC, fundamental: { process: gbm, mu: 0, sigma: 0.0002, dt: 1s } }]',
    'agents:',
    '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
    '  - { type: noise, name: noise, count: 5, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
    '',
  ].join('\n');

describe('a run of several sessions', () => {
  const config = loadExperimentText(text(), 'x.yaml').config;
  const result = runExperiment(config);

  it('writes one sessions row per day, with daily bars from that day’s trades and the close row’s figures', () => {
    const s = sessionsOf(result);
    expect(s.day).toEqual([0, 1, 2]);
    expect(s.startUs).toEqual([0, SESSION, 2 * SESSION]);
    expect(s.endUs).toEqual([SESSION, 2 * SESSION, 3 * SESSION]);
    const t = result.trades.toTable();
    for (let d = 0; d < 3; d++) {
      const inDay = t.timeUs.map((time, i) => ({ time, i })).filter(({ time }) => Math.min(2, Math.floor(time / SESSION)) === d);
      expect(inDay.length).toBeGreaterThan(0);
      expect(s.open[d]).toBe(t.price[inDay[0]!.i]);
      expect(s.close[d]).toBe(t.price[inDay[inDay.length - 1]!.i]);
      expect(s.volume[d]).toBe(inDay.reduce((sum, { i }) => sum + t.qty[i]!, 0));
      expect(s.high[d]).toBe(Math.max(...inDay.map(({ i }) => t.price[i]!)));
      const closeRow = result.timeseries.timeUs.indexOf(s.endUs[d]!);
      expect(s.closeMid[d]).toBe(result.timeseries.mid[closeRow]);
    }
    expect(s.volume.reduce((a, b) => a + b, 0)).toBe(result.summary.volume);
  });

  it('samples each close before the day’s orders expire, and opens the next day on an emptied book', () => {
    const ts = result.timeseries;
    const close = ts.timeUs.indexOf(SESSION);
    // The close row still has the market maker's two-sided quotes.
    expect(ts.bid[close]).toBeGreaterThan(0);
    expect(ts.ask[close]).toBeGreaterThan(0);
    expect(result.summary.invariants.violations).toBe(0);
    // Told of the expiry, the market maker's tracker frees its quotes and it quotes again each day.
    for (const end of [2 * SESSION, 3 * SESSION]) {
      const row = ts.timeUs.indexOf(end);
      expect(ts.bid[row]).toBeGreaterThan(0);
      expect(ts.ask[row]).toBeGreaterThan(0);
    }
  });

  it('leaves the returns across a night out of summary.returns and realized_vol', () => {
    const ts = result.timeseries;
    // 3 sessions of 10 rows each after the first sample: 30 returns, 2 of which span a night.
    expect(ts.timeUs.length).toBe(31);
    const valid = ts.timeUs.map((t, i) => ({ day: t === 0 ? 0 : Math.ceil(t / SESSION) - 1, ok: ts.mid[i]! > 0 })).filter((r) => r.ok);
    const withinDays = valid.filter((r, k) => k > 0 && valid[k - 1]!.day === r.day).length;
    expect(valid.length - 1 - withinDays).toBe(2);
    expect(result.summary.returns.n).toBe(withinDays);
    const firstAfterClose = ts.timeUs.indexOf(SESSION) + 1;
    const prevVol = ts.realizedVol[firstAfterClose - 1]!;
    // The window's sum of squares gains nothing from the night's return (it drops the oldest square at most).
    expect(ts.realizedVol[firstAfterClose]!).toBeLessThanOrEqual(prevVol);
  });

  it('measures intraday facts within sessions, starting each later one after its open', () => {
    expect(factSessions(config, 3 * SESSION)).toEqual([
      { start: 0, end: SESSION },
      { start: SESSION + 30_000_000, end: 2 * SESSION },
      { start: 2 * SESSION + 30_000_000, end: 3 * SESSION },
    ]);
    expect(result.summary.facts.sessions).toBe(3);
  });

  it('is deterministic; the night variance changes only what follows the first close (whose row holds the pre-night fundamental)', () => {
    const again = runExperiment(config);
    expect(again.stateHash).toBe(result.stateHash);
    expect(again.timeseries).toEqual(result.timeseries);
    const calmer = runExperiment(loadExperimentText(text(', overnightVarianceShare: 0'), 'x.yaml').config);
    const firstNight = result.timeseries.timeUs.indexOf(SESSION);
    expect(calmer.timeseries.fundamental.slice(0, firstNight + 1)).toEqual(result.timeseries.fundamental.slice(0, firstNight + 1));
    expect(calmer.timeseries.fundamental).not.toEqual(result.timeseries.fundamental);
  });
});
