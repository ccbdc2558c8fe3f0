/**
 * Hostile and careless input, through the command line as a user meets it:
 * every refusal is one line per problem naming the file (or the option), the
 * line and column, the key and what is wrong; exit code 2 for the experiment,
 * 1 for damaged outputs; never a stack trace or "internal error".
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TYPES } from '../../../src/experiment/registry/agent-types.js';
import { HORIZON_HINT } from '../../../src/experiment/config/document-shape.js';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { smallExperimentText } from '../../helpers/small-experiment.js';
import { cli } from '../../helpers/cli-capture.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const hostile = (name: string) => join(root, 'test', 'experiment', 'fixtures', 'hostile', name);
const scratch = mkdtempSync(join(tmpdir(), 'levsim-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** No stack frame, no "internal error", one short line each. */
function expectPlainLines(lines: readonly string[]): void {
  for (const line of lines) {
    expect(line).not.toMatch(/internal error|\n|^\s+at /);
    expect(line.length).toBeLessThanOrEqual(500 + '…'.length);
  }
}

const TYPES = [...AGENT_TYPES.keys()].join(', ');
const DURATION = "expected a duration: whole µs or a number with a unit (us, ms, s, m, h, d), e.g. '5ms', '30s', '6.5h'";

/** Each file of the corpus and the lines it must get (after `levsim: <file>:`). */
const CORPUS: Record<string, string[]> = {
  'empty.yaml': ["1:1: agents: an experiment needs at least one agent: add a group under 'agents'"],
  'only-comments.yaml': ["1:1: agents: an experiment needs at least one agent: add a group under 'agents'"],
  'zero-agents.yaml': ['2:1: agents: an experiment needs at least one agent: every group has count 0'],
  'not-a-mapping.yaml': ['1:1: an experiment file must be a mapping of keys (name, horizon, agents, …)'],
  'alias-bomb.yaml': ["8:11: aliases expand this file to more than 100,000 values (at '*e'); write the values out or alias less"],
  'alias-undefined.yaml': ["4:13: alias '*noiseParams' refers to no anchor '&noiseParams' defined before it"],
  'alias-self.yaml': ["4:5: alias '*all' is inside its own anchor '&all' (a value cannot contain itself)"],
  'many-problems.yaml': [
    "3:1: horizn: unknown key 'horizn' (did you mean 'horizon'?)",
    `4:11: sampling: ${DURATION}, got '30 seconds'`,
    `6:11: agents[0].type: unknown agent type 'noyse' (did you mean 'noise'?); known types: ${TYPES}`,
    '8:12: agents[1].count: must be ≥ 0, got -3',
    "9:15: agents[1].params.maxQt: unknown parameter of 'noise' (did you mean 'maxQty'?)",
    "12:5: instruments[0].tickSise: unknown key 'tickSise' (did you mean 'tickSize'?)",
  ],
  'forbidden-and-typos.yaml': ["4:5: agents[0].constructor: key 'constructor' is not allowed", "5:12: agents[0].count: expected a number, got 'many'"],
  'reserved-symbol-toString.yaml': ["4:13: instruments[1].symbol: 'toString' is reserved (every JavaScript object has it); choose another symbol"],
  'reserved-symbol-constructor.yaml': ["4:13: instruments[1].symbol: 'constructor' is reserved (every JavaScript object has it); choose another symbol"],
  'reserved-symbol-hasOwnProperty.yaml': ["4:13: instruments[1].symbol: 'hasOwnProperty' is reserved (every JavaScript object has it); choose another symbol"],
  'reserved-symbol-__proto__.yaml': ["4:13: instruments[1].symbol: '__proto__' is reserved (every JavaScript object has it); choose another symbol"],
  'reserved-group-name.yaml': ["4:11: agents[0].name: 'valueOf' is reserved (every JavaScript object has it); choose another name"],
  'cash-overflow.yaml': ["9:11: agents[1].cash: the agents' cash adds up to more than 2^53 (the largest exact integer) minor units; give them less"],
  'holdings-overflow.yaml': ["5:22: agents[0].holdings.ABC: the lots of 'ABC' (holdings) add up to more than 2^53 (the largest exact integer)"],
  'market-sell-overflow.yaml': ["8:38: interventions[0].event.qty: the lots of 'ABC' (holdings and market sells) add up to more than 2^53 (the largest exact integer)"],
  'order-overflow.yaml': [
    '6:18: instruments[0].maxOrderQty: an order of maxOrderQty (1,000,000,000 lots) at 10× the price (10,000,000,000 ticks × 1 minor units per tick-lot) is worth 1.00e+19 minor units; with its fee that passes 2^53 (the largest exact integer): lower maxOrderQty or initialPrice',
  ],
  'bad-execution.yaml': [
    "7:26: agents[1].params.execution: expected one of immediate, sliced, twap, pov (did you mean 'twap'?), got 'vwap'",
    '7:51: agents[1].params.participationRate: must be ≥ 0.001 (pov: share of the market volume of the previous interval it may sell), got 0',
  ],
  'schedule-beyond-horizon.yaml': [
    "7:62: agents[1].params.sliceIntervalUs: the sale of seized lots, (slices − 1) × sliceIntervalUs, can last 4.125d, longer than the run (6.5h): it could never finish",
  ],
  'bad-leveraged-execution.yaml': [
    '12:32: agents[1].params.executionSlices: an execution schedule of 400 slices every 10s spans 66.5m, longer than the horizon (1h); use fewer slices or a shorter executionIntervalUs',
    "14:26: agents[2].params.execution: expected one of immediate, twap, pov (did you mean 'twap'?), got 'vwap'",
    '14:45: agents[2].params.signalScale: must be ≥ 0.01 (scale of the normalised signal z = (short MA − long MA) / sd of the long window’s prices; a smaller scale makes tanh a step: the all-or-nothing position this parameter replaces), got 0',
    "16:26: agents[3].params.orderType: expected one of market, limit-ioc, got 'stop'",
    '16:45: agents[3].params.maxSlippage: must be ≤ 0.99 (twap/pov: no child buys above (sells below) the mid at the parent’s start × (1 ± maxSlippage); margin-call sales are not limited), got 1',
  ],
  'order-flow-infinite-mean.yaml': [
    "6:29: agents[0].params.distanceTailExponent: must be ≥ 1.01 (tail exponent ζ of that distance, density ∝ d^−(1+ζ) (Zovko & Farmer 2002: ζ ≈ 1.5 on the LSE); at or below 1 the mean distance is infinite (Bouchaud, Mézard & Potters’ Paris ζ ≈ 0.6 would put most depth at the cap)), got 0.6",
  ],
  'arbitrage-bad-gain-and-horizon.yaml': [
    '8:21: agents[0].params.gain: must be ≥ 0 (demand gain k: target deviation = k · (V̂ − mid)/V̂ · equity / price, lots (100: a 1 % mispricing asks for the whole equity)), got -5',
    '11:35: agents[1].params.executionHorizonUs: an execution horizon of 2h is longer than the run (1h): no parent could finish',
    '11:39: agents[1].params.sliceIntervalUs: slices 3h apart do not fit in an execution horizon of 2h: shorten the interval or lengthen executionHorizonUs',
    '13:57: agents[2].params.executionHorizonUs: an execution horizon of 2m outlasts the sample interval (1m) its forecast is for',
    '16:49: agents[3].params.minSamples: 30 returns cannot be gathered in a window of 20',
  ],
  'noise-once-without-end.yaml': ['7:5: agents[0].params: noise/0: once needs a finite endUs: the single arrival is drawn uniformly on [startUs, endUs]'],
  'long-value.yaml': [`2:10: horizon: expected ${HORIZON_HINT}, got '${'x'.repeat(40)}…'`],
  'calendar-zero-days.yaml': ["2:10: horizon: a horizon in days counts whole trading sessions, at least 1, got '0d'"],
  'calendar-half-day.yaml': ["2:10: horizon: a horizon in days counts whole trading sessions, at least 1, got '1.5d'", '5:27: calendar.overnightVarianceShare: must be ≤ 0.95, got 1'],
  'calendar-negative-overnight.yaml': [`4:14: calendar.overnight: ${DURATION}, got '-17.5h'`],
  'calendar-sampling.yaml': ['3:11: sampling: a run of 2 sessions needs the session (6.5h) to be a whole number of sampling intervals (7m), so that each close is sampled and no intraday return straddles a night'],
  'calendar-weekend-start.yaml': ['4:17: calendar.startWeekday: saturday is not a trading day with 5 trading days a week (trading days run from Monday)'],
  'calendar-too-many-days.yaml': ['2:10: horizon: must be at most 2,520 trading days (ten years), got 3000'],
  'calendar-wakeups.yaml': [
    "5:64: agents[0].params.meanInterArrivalUs: the agents' clocks schedule about 1,170,000,000,000 wake-ups over the horizon (count × horizon / period), over the limit of 1,000,000,000 that keeps a run within hours; lengthen the periods, shorten the horizon or use fewer agents",
  ],
};

describe('the hostile corpus', () => {
  it('should cover every file of the folder', () => {
    expect(readdirSync(hostile('')).sort()).toEqual(Object.keys(CORPUS).sort());
  });

  it.each(Object.entries(CORPUS))('%s: located lines, exit 2, for validate and run', async (name, expected) => {
    const file = hostile(name);
    for (const argv of [['validate', file], ['run', file, '--out', scratch, '--quiet']]) {
      const r = await cli(...argv);
      expect(r.err, `${argv[0]} ${name}`).toEqual(expected.map((l) => `levsim: ${file}:${l}`));
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expectPlainLines(r.err);
    }
  });
});

const small = join(scratch, 'small.yaml');
writeFileSync(small, smallExperimentText('small'));

describe('--set', () => {
  it('should apply every override before validating, so their order does not matter', async () => {
    for (const order of [
      ['horizon=1s', 'sampling=100ms'],
      ['sampling=100ms', 'horizon=1s'],
    ]) {
      const r = await cli('validate', small, ...order.flatMap((s) => ['--set', s]));
      expect(r, order.join(' ')).toEqual({ code: 0, out: [`${small}: ok: small: 6 agents in 2 groups, 1 instrument, 1s horizon, 1 run`], err: [] });
    }
    // Alone, the shorter horizon is refused, at the override.
    expect((await cli('validate', small, '--set', 'horizon=1s')).err).toEqual(['levsim: --set horizon=1s: sampling: sampling interval (5s) is longer than the horizon (1s)']);
  });

  it('should accept seeds, sweep.* and fuzz.*', async () => {
    const r = await cli('validate', small, '--set', 'seeds=3', '--set', 'sweep.grid.agents.noise.count=[1, 2]');
    expect(r).toEqual({ code: 0, out: [`${small}: ok: small: 6 agents in 2 groups, 1 instrument, 30s horizon, 6 runs`], err: [] });
    expect((await cli('validate', small, '--set', 'fuzz.runs=5')).code).toBe(0);
    expect((await cli('validate', small, '--set', 'seeds=0')).err).toEqual(['levsim: --set seeds=0: seeds: must be ≥ 1, got 0']);
    expect((await cli('validate', small, '--set', 'sweep.gird.horizon=[1s]')).err).toEqual(["levsim: --set sweep.gird.horizon=[1s]: sweep.gird: unknown key 'gird' (did you mean 'grid'?)"]);
    expect((await cli('validate', small, '--set', 'sweep.grid.horizn=[1s]')).err).toEqual(["levsim: --set sweep.grid.horizn=[1s]: sweep.grid.horizn: unknown key 'horizn' (did you mean 'horizon'?)"]);
  });

  it('should shrink a sweep of the file with --set seeds', async () => {
    const tiny = join(root, 'test', 'fixtures', 'tiny.yaml');
    expect((await cli('validate', tiny, '--set', 'seeds=1')).out[0]).toMatch(/, 4 runs$/);
  });

  it('should refuse a __proto__ key inside a value, as the file loader does', async () => {
    const r = await cli('validate', small, '--set', 'agents.noise.params={__proto__: {maxQty: 5}}');
    expect(r).toEqual({ code: 2, out: [], err: ["levsim: --set agents.noise.params={__proto__: {maxQty: 5}}: agents.noise.params: __proto__: key '__proto__' is not allowed"] });
    const bomb = await cli('validate', small, '--set', `horizon=[${'&a [1,1,1,1,1,1,1,1,1,1]'}, ${Array.from({ length: 5 }, (_, i) => `&b${i} [${Array(10).fill(i === 0 ? '*a' : `*b${i - 1}`).join(',')}]`).join(', ')}]`);
    expect(bomb.code).toBe(2);
    expect(bomb.err[0]).toMatch(/^levsim: --set horizon=\[&a \[1,1,1,1,1,1,1,1,1,1\], &b0 \[[*a,]+…: horizon: aliases expand this file to more than 100,000 values/);
  });

  it('should quote only a short prefix of a huge value', async () => {
    const huge = 'y'.repeat(100_000);
    for (const argv of [
      ['validate', small, '--set', `horizon=${huge}`],
      ['validate', small, '--set', `${huge}=1`],
      ['validate', small, '--seed', huge],
      ['sweep', small, '--shard', huge],
      ['sweep', small, '--workers', huge],
      ['run', small, '--check-invariants', huge],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv[2]).toBe(2);
      expect(r.err).toHaveLength(1);
      expectPlainLines(r.err);
    }
  });
});

describe('options, folders and damaged outputs', () => {
  it('should bound --shard: whole numbers, 0 ≤ i < N ≤ 100,000', async () => {
    for (const [shard, message] of [
      ['0/100000000000000000000000', 'N must be at most 100,000 (the most runs a sweep may have)'],
      ['0/100001', 'N must be at most 100,000 (the most runs a sweep may have)'],
      ['0/1e23', 'expected i/N with 0 ≤ i < N, e.g. --shard 0/4'],
      ['-1/4', 'expected i/N with 0 ≤ i < N, e.g. --shard 0/4'],
      ['4/4', 'shard index 4 is out of range: shards are 0-based, 0..3'],
    ] as const) {
      expect(await cli('sweep', small, '--shard', shard, '--out', scratch, '--quiet')).toEqual({ code: 2, out: [], err: [`levsim: --shard ${shard}: ${message}`] });
    }
  });

  let runDir = '';
  beforeAll(async () => {
    const out = join(scratch, 'runs');
    expect((await cli('run', small, '--out', out, '--quiet')).code).toBe(0);
    runDir = join(out, 'small', readdirSync(join(out, 'small')).find((f) => !f.startsWith('.'))!);
  });
  const damaged = (name: string, damage: (dir: string) => void) => {
    const dir = join(scratch, name);
    cpSync(runDir, dir, { recursive: true });
    damage(dir);
    return dir;
  };

  it('should refuse a corrupt summary.json in one line', async () => {
    const dir = damaged('corrupt', (d) => writeFileSync(join(d, 'summary.json'), '{"seed": 1, "eve'));
    const r = await cli('report', dir);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^levsim: ${join(dir, 'summary.json')}: not valid JSON \\(.*\\); run the experiment again to rewrite it$`));
    const list = damaged('list', (d) => writeFileSync(join(d, 'summary.json'), '[1, 2]'));
    expect((await cli('report', list)).err).toEqual([`levsim: ${join(list, 'summary.json')}: not a levsim summary (expected a JSON object)`]);
  });

  it('should refuse a run folder with a missing table in one line', async () => {
    const dir = damaged('missing', (d) => rmSync(join(d, 'trades.csv')));
    expect(await cli('report', dir)).toEqual({ code: 1, out: [], err: [`levsim: ${join(dir, 'trades.csv')}: missing: this run folder is incomplete (run it again)`] });
  });

  it('should refuse a runs table that is not one', async () => {
    const cases: [string, string][] = [
      ['hello,world\n1,2\n', "it does not start with the columns 'run_index,run_id'"],
      ['run_index,run_id\nfoo,bar,baz\n', "it has no column 'events' (and 53 more)"],
    ];
    for (const [i, [text, why]] of cases.entries()) {
      const dir = join(scratch, `table-${i}`);
      rmSync(dir, { recursive: true, force: true });
      cpSync(join(scratch, 'runs', 'small'), dir, { recursive: true });
      writeFileSync(join(dir, 'runs.csv'), text);
      expect(await cli('report', dir), text).toEqual({ code: 1, out: [], err: [`levsim: ${join(dir, 'runs.csv')}: not a levsim runs table: ${why}`] });
    }
  });

  it('should refuse an output folder that is a file, for merge and fuzz, before any work', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'x');
    expect(await cli('merge', scratch, '--out', file)).toEqual({ code: 1, out: [], err: [`levsim: ${file}: cannot write the output folder (not a directory)`] });
    const fuzz = join(scratch, 'fuzz.yaml');
    writeFileSync(fuzz, `${[
      'name: fz',
      'horizon: 10s',
      'sampling: 5s',
      'agents: [{ type: noise, count: 2, cash: 1000000, holdings: { ABC: 10 } }]',
      'fuzz:',
      '  runs: 2',
      '  space: { agents.noise.count: { min: 1, max: 3 } }',
      '  properties: [invariants]',
    ].join('\n')}\n`);
    expect(await cli('fuzz', fuzz, '--out', file, '--quiet')).toEqual({ code: 1, out: [], err: [`levsim: ${file}: cannot write the output folder (not a directory)`] });
    // --set fuzz.* edits the section, and its problems are placed at the override.
    expect(await cli('fuzz', fuzz, '--out', join(scratch, 'fz'), '--quiet', '--set', 'fuzz.space.agents.noise.count={min: 5, max: 1}')).toEqual({
      code: 2,
      out: [],
      err: [`levsim: --set fuzz.space.agents.noise.count={min: 5, max: 1}: fuzz.space."agents.noise.count".min: empty range: min (5) is above max (1); to shrink toward the larger end write the range the right way round with 'shrinkTowards: max'`],
    });
  });
});

describe('per-symbol statistics', () => {
  it('should keep the statistics of an instrument whatever its symbol (no inherited properties in the way)', () => {
    const config = loadExperimentText(
      ['horizon: 20s', 'sampling: 5s', 'instruments: [{ symbol: ABC }, { symbol: XYZ }]', 'agents:', '  - { type: market-maker, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }', ''].join('\n'),
      's.yaml',
    ).config;
    // Validation refuses such symbols; the summary must not depend on it.
    const symbols = ['ABC', '__proto__'];
    const summary = runExperiment({ ...config, instruments: config.instruments.map((i, k) => ({ ...i, symbol: symbols[k]! })) }).summary;
    expect(Object.keys(summary.instruments)).toEqual(symbols);
    expect(JSON.stringify(summary.instruments)).toMatch(/^\{"ABC":\{"returns":\{.*\},"__proto__":\{"returns":\{/);
  });
});

const built = join(root, 'dist', 'src', 'cli', 'main.js');

describe.skipIf(!existsSync(built))('the built levsim and a closed pipe', () => {
  it('should exit quietly when stdout is closed before it writes (levsim … | true)', async () => {
    const child = spawn(process.execPath, [built, 'validate', small], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
