import { describe, expect, it } from 'vitest';
import { ExperimentError, formatProblem, loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { toDocument } from '../../../src/experiment/config/to-document.js';
import { buildScenario } from '../../../src/experiment/run/scenario.js';

/** Two 10-minute sessions of a market maker and noise traders, with `auctions` (YAML flow mapping) on line 4. */
function experiment(auctions: string): string {
  return [
    'horizon: 2d',
    'sampling: 10s',
    'calendar: { session: 10m }',
    `auctions: ${auctions}`,
    'agents:',
    '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
    '  - { type: noise, name: noise, count: 5, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
    '',
  ].join('\n');
}

function problems(auctions: string): string[] {
  try {
    loadExperimentText(experiment(auctions), 'x.yaml');
  } catch (e) {
    if (e instanceof ExperimentError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected the experiment to be refused');
}

describe('auctions in the experiment file', () => {
  it('runs an opening and a closing call in every session: uncrossings trade, and the exchange is continuous in between', () => {
    const config = loadExperimentText(experiment('{ opening: 1m, closing: 1m }'), 'x.yaml').config;
    expect(config.auctions).toEqual({ openingUs: 60_000_000, closingUs: 60_000_000, batchUs: 0, allocation: 'time', collarBps: 1000 });
    const s = buildScenario(config);
    const inCall: boolean[] = [];
    for (const t of [30, 90, 500, 550, 630, 690]) {
      s.kernel.runUntil(t * 1_000_000);
      inCall.push(s.exchange.inCall);
    }
    // Session 0: opening call to 1m, continuous to 9m, closing call to 10m; session 1 opens in a call.
    expect(inCall).toEqual([true, false, false, true, true, false]);
    expect(s.exchange.lastPrice(0)).toBeGreaterThan(0);
  });

  it('writes the section back only with the calls that run, and leaves a file without it as it was', () => {
    const doc = toDocument(loadExperimentText(experiment('{ batch: 1s, allocation: pro-rata }'), 'x.yaml').config);
    expect(doc.auctions).toEqual({ opening: '0s', closing: '0s', batch: '1s', allocation: 'pro-rata', collarBps: 1000 });
    const plain = loadExperimentText(experiment('{ opening: 1m }').replace(/^auctions:.*\n/m, ''), 'x.yaml').config;
    expect(plain.auctions).toBeUndefined();
    expect('auctions' in toDocument(plain)).toBe(false);
  });

  it('refuses calls that leave no continuous trading, a batch market with calls, and unknown keys, at their line and key', () => {
    expect(problems('{ opening: 6m, closing: 4m }')).toEqual(['x.yaml:4:35: auctions.closing: the opening and closing calls (10m) leave no continuous trading in a session of 10m']);
    expect(problems('{ batch: 1s, opening: 1m }')[0]).toMatch(/^x\.yaml:4:\d+: auctions\.batch: a batch market is in a call all session/);
    expect(problems('{ openning: 1m }')[0]).toMatch(/^x\.yaml:4:\d+: auctions.*openning/);
    expect(problems('{ batch: 1us }')[0]).toMatch(/^x\.yaml:4:\d+: auctions\.batch: a batch interval is 0 \(none\) or at least 2µs/);
    expect(problems('{ allocation: fifo }')[0]).toMatch(/^x\.yaml:4:\d+: auctions\.allocation: /);
  });
});
