import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiment/config/resolve-document.js';
import { BudgetExceeded } from '../../../src/experiment/run/run-budget.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { inProcessExecutor } from '../../../src/experiment/sweep/worker-pool.js';
import { expandSweep, runSweep } from '../../../src/experiment/sweep/sweep.js';
import { MAX_RESTING_ORDERS, MAX_SAMPLE_ROWS, MAX_SCHEDULED_WAKEUPS, MAX_WINDOW_ENTRIES } from '../../../src/experiment/config/size-limits.js';
import { cli } from '../../helpers/cli-capture.js';

/**
 * Every guard against a run exhausting memory or time: the run budgets
 * (events, wall time, heap) and the validation limits (parameter bounds,
 * products of several fields). Each test fails if its guard is removed.
 */

const scratch = mkdtempSync(join(tmpdir(), 'levsim-guards-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SMALL = {
  name: 'small',
  horizon: '30s',
  sampling: '5s',
  agents: [
    { type: 'market-maker', name: 'mm', cash: 100_000_000, holdings: { ABC: 5000 }, params: { qty: 20 } },
    { type: 'noise', name: 'noise', count: 5, cash: 10_000_000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: '1s' } },
  ],
};

const config = () => parseExperiment(structuredClone(SMALL)).config;

/** The messages of the issues of a document, or [] when it is accepted. */
function problems(doc: Record<string, unknown>): string[] {
  try {
    parseExperiment(doc);
    return [];
  } catch (e) {
    return String((e as Error).message).split('\n');
  }
}

describe('run budgets', () => {
  it('should run a normal experiment within the default budgets and record its peaks in timing', () => {
    const r = runExperiment(config());
    expect(r.timing.peakPendingEvents).toBeGreaterThan(0);
    expect(r.timing.peakPendingEvents).toBeLessThan(100);
    expect(r.timing.peakHeapMb).toBeGreaterThan(0);
  });

  it('should stop a run past its event budget, naming the budget, the simulated time and the event count', () => {
    const run = () => runExperiment(config(), { budget: { events: 500 } });
    expect(run).toThrow(BudgetExceeded);
    try {
      run();
    } catch (e) {
      const b = e as BudgetExceeded;
      expect(b.budget).toBe('event');
      expect(b.events).toBe(501);
      expect(b.simTimeUs).toBeGreaterThan(0);
      expect(b.message).toMatch(/^run stopped: event budget of 500 exceeded at [0-9.]+s simulated, after 501 events; raise it with --max-events$/);
    }
  });

  it('should stop a run past its wall-time budget', () => {
    expect(() => runExperiment(config(), { budget: { wallSeconds: 1e-9 } })).toThrow(/^run stopped: wall-time budget of .* exceeded at .* simulated, after [0-9,]+ events; raise it with --max-wall$/);
  });

  it('should stop a run past its heap budget', () => {
    expect(() => runExperiment(config(), { budget: { heapMb: 1 } })).toThrow(/^run stopped: heap budget of 1 MB \([0-9,]+ MB in use\) exceeded at .* simulated, after [0-9,]+ events; raise it with --max-heap$/);
  });

  it('should make `levsim run` fail with one line, exit 1 and publish no run folder', async () => {
    const file = join(scratch, 'small.yaml');
    writeFileSync(file, JSON.stringify(SMALL));
    const out = join(scratch, 'run-out');
    const r = await cli('run', file, '--out', out, '--quiet', '--max-events', '300');
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^levsim: run stopped: event budget of 300 exceeded at .* simulated, after 301 events; raise it with --max-events$/);
    expect(readdirSync(join(out, 'small'))).toEqual([]);
    expect(await cli('run', file, '--out', out, '--max-heap', 'lots')).toMatchObject({ code: 2, err: [expect.stringMatching(/^levsim: --max-heap lots: expected whole MB/)] });
    expect(await cli('run', file, '--out', out, '--max-wall', '10us')).toMatchObject({ code: 2, err: [expect.stringMatching(/^levsim: --max-wall 10us: expected a duration of at least 1s/)] });
  });

  it('should record a sweep run past its budget as failed and run the others', async () => {
    const doc = { ...structuredClone(SMALL), sweep: { grid: { 'agents.noise.count': [1, 40] } } };
    const { config: base, sweep } = parseExperiment(doc);
    const variants = expandSweep(base, sweep);
    const dir = join(scratch, 'sweep');
    const outcome = await runSweep(variants, sweep, { sweepDir: dir, workers: 1, executor: inProcessExecutor(), budget: { events: 1_500 } });
    expect(outcome.failures.map((f) => f.variant.index)).toEqual([1]);
    expect(outcome.failures[0]?.message).toMatch(/^run stopped: event budget of 1,500 exceeded/);
    expect(existsSync(join(dir, variants[1]!.runId))).toBe(false);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe('validation limits', () => {
  const withParams = (group: number, params: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const doc = structuredClone(SMALL) as { agents: { params: Record<string, unknown>; count?: number }[] };
    Object.assign(doc.agents[group]!.params, params);
    Object.assign(doc.agents[group]!, extra);
    return doc;
  };

  it.each([
    ['market-maker levels', 0, { levels: 1_001 }, /levels: must be ≤ 1000 .*every resting order/],
    ['noise maxOpenOrders', 1, { maxOpenOrders: 10_001 }, /maxOpenOrders: must be ≤ 10000 .*every resting order/],
    ['noise 1-µs arrivals', 1, { meanInterArrivalUs: 1 }, /meanInterArrivalUs: must be ≥ 1000 .*flood the event queue/],
  ])('should bound %s', (_what, group, params, want) => {
    expect(problems(withParams(group, params)).join('\n')).toMatch(want);
    // One step inside the bound is accepted.
    const inside = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 1 ? 1_000 : v - 1]));
    expect(problems(withParams(group, inside))).toEqual([]);
  });

  it.each([
    ['lender volWindow', { type: 'lender', params: { volWindow: 100_001 } }, /volWindow: must be ≤ 100000 .*whole window in memory/],
    ['lender stressWindow', { type: 'lender', params: { policy: 'countercyclical', stressWindow: 100_001 } }, /stressWindow: must be ≤ 100000 .*whole window in memory/],
    ['trend-follower longWindow', { type: 'momentum', params: { longWindow: 100_001 } }, /longWindow: must be ≤ 100000 .*whole window in memory/],
  ])('should bound %s', (_what, group, want) => {
    const doc = { ...structuredClone(SMALL), agents: [...SMALL.agents, { name: 'extra', cash: 1_000_000, ...group }] };
    expect(problems(doc).join('\n')).toMatch(want);
  });

  it('should refuse more timeseries rows than fit in memory (sampling: 1us over 9s), saying the limit and why', () => {
    expect(MAX_SAMPLE_ROWS).toBe(1_000_000);
    expect(problems({ ...structuredClone(SMALL), horizon: '9s', sampling: '1us' })).toEqual([
      "sampling: 9,000,001 timeseries rows (horizon / sampling × instruments) exceed the limit of 1,000,000, which keeps a run's tables within memory (~1 GB per million rows); sample less often (at least 9us)",
    ]);
    expect(problems({ ...structuredClone(SMALL), horizon: '9s', sampling: '10us' })).toEqual([]);
  });

  it('should refuse rolling windows that together exceed memory', () => {
    const doc = { ...structuredClone(SMALL), agents: [...SMALL.agents, { type: 'momentum', name: 'm', count: Math.ceil(MAX_WINDOW_ENTRIES / 100_000) + 1, params: { longWindow: 100_000, intervalUs: '1h' } }] };
    expect(problems(doc).join('\n')).toMatch(/^agents\[2\]\.params\.longWindow: the agents' rolling windows hold [0-9,]+ numbers in all .* over the limit of 50,000,000/);
  });

  it('should refuse resting orders that together exceed memory', () => {
    const count = Math.ceil(MAX_RESTING_ORDERS / 2_000) + 1;
    expect(problems(withParams(0, { levels: 1_000 }, { count })).join('\n')).toMatch(/^agents\[0\]\.params\.levels: the agents may keep [0-9,]+ orders resting in all .* over the limit of 5,000,000/);
  });

  it('should refuse more scheduled wake-ups than a run can process in hours', () => {
    // 99,000 agents arriving every millisecond for an hour: far beyond the limit.
    const count = 99_000;
    expect(count * 1_000 * 3_600).toBeGreaterThan(MAX_SCHEDULED_WAKEUPS);
    const doc = { ...withParams(1, { meanInterArrivalUs: '1ms' }, { count }), horizon: '1h', sampling: '1m' };
    expect(problems(doc).join('\n')).toMatch(/^agents\[1\]\.params\.meanInterArrivalUs: the agents' clocks schedule about [0-9,]+ wake-ups over the horizon .* over the limit of 1,000,000,000/);
  });
});
