import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { dimensionArbitrary, fuzzCommand, replayCommand, runFuzz, scenarioConfig, writeFuzzOutputs, type FuzzIo } from '../../../src/experiment/fuzz/fuzz.js';
import { loadFuzzSpecText } from '../../../src/experiment/fuzz/fuzz-spec.js';
import { ExperimentError, loadExperiment } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { OutputError } from '../../../src/experiment/output/output-error.js';

const scratch = mkdtempSync(join(tmpdir(), 'levsim-fuzz-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One market maker and some noise traders for 30 simulated seconds: a run takes milliseconds. */
const BASE = [
  'name: tiny-fuzz',
  'horizon: 30s',
  'sampling: 5s',
  'agents:',
  '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
  '  - { type: noise, name: noise, count: 3, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
];
const fuzzText = (...fuzz: string[]) => [...BASE, 'fuzz:', ...fuzz.map((l) => `  ${l}`), ''].join('\n');
const spec = (...fuzz: string[]) => loadFuzzSpecText(fuzzText(...fuzz), 'tiny-fuzz.yaml');

/** Trades of the base with `n` noise traders. */
function tradesWith(n: number): number {
  const s = spec('space:', '  agents.noise.count: { min: 0, max: 30 }', 'properties: [invariants]');
  return runExperiment(scenarioConfig(s, { 'agents.noise.count': n })).summary.trades;
}

describe('dimensionArbitrary', () => {
  const decimal = { kind: 'range', path: 'x', min: 0.02, max: 0.6, integer: false } as const;

  it('should spread a decimal range evenly (not pile draws up at its ends)', () => {
    const draws = fc.sample(dimensionArbitrary({ ...decimal, shrinkTowards: 'min' }), { numRuns: 400, seed: 3 }) as number[];
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0.02);
    expect(Math.max(...draws)).toBeLessThanOrEqual(0.6);
    const quarters = [0, 1, 2, 3].map((q) => draws.filter((x) => x >= 0.02 + q * 0.145 && x < 0.02 + (q + 1) * 0.145).length);
    for (const n of quarters) expect(n).toBeGreaterThan(40);
  });

  it('should shrink a range toward its target end, whole or decimal', () => {
    const shrunk = (arb: fc.Arbitrary<unknown>, fails: (x: number) => boolean) => fc.check(fc.property(arb, (x) => !fails(x as number)), { seed: 5, numRuns: 200 }).counterexample![0] as number;
    expect(shrunk(dimensionArbitrary({ kind: 'range', path: 'n', min: 3, max: 900, integer: true, shrinkTowards: 'min' }), (x) => x >= 417)).toBe(417);
    expect(shrunk(dimensionArbitrary({ kind: 'range', path: 'n', min: -900, max: -3, integer: true, shrinkTowards: 'max' }), (x) => x <= -417)).toBe(-417);
    expect(shrunk(dimensionArbitrary({ ...decimal, shrinkTowards: 'min' }), (x) => x >= 0.3)).toBeCloseTo(0.3, 6);
    expect(shrunk(dimensionArbitrary({ ...decimal, shrinkTowards: 'max' }), (x) => x <= 0.3)).toBeCloseTo(0.3, 6);
    expect(shrunk(dimensionArbitrary({ kind: 'choices', path: 'c', values: [1, 2, 3, 4] }), (x) => x >= 2)).toBe(2);
  });
});

describe('runFuzz', () => {
  it('should find a failure and shrink the noise-trader count to the smallest that breaks it', async () => {
    const s = spec('runs: 20', 'space:', '  agents.noise.count: { min: 0, max: 30 }', 'properties:', '  - expression: "trades < 50"');
    const report = await runFuzz(s);
    expect(report.counterexample).not.toBeNull();
    const c = report.counterexample!;
    expect(c.values).toEqual({ 'agents.noise.count': 4 });
    expect(c.verdict).toEqual({ property: 'expression: trades < 50', holds: false, value: 65, measured: 'trades = 65' });
    expect(report.shrinkSteps).toBeGreaterThan(0);
    expect(report.failures).toBeGreaterThanOrEqual(report.shrinkSteps + 1);
    expect(report.runs).toBeGreaterThan(report.searchRuns);
    expect(report.path).toMatch(/^[0-9]+(:[0-9]+)+$/);
    // Minimal: one trader fewer passes, and no smaller count fails.
    const trades = [0, 1, 2, 3, 4].map(tradesWith);
    expect(trades.slice(0, 4).every((t) => t < 50)).toBe(true);
    expect(trades[4]).toBe(65);
  });

  it('should shrink toward max when the range says so', async () => {
    const s = spec('runs: 20', 'space:', '  agents.noise.count: { min: 0, max: 30, shrinkTowards: max }', 'properties:', '  - expression: "trades > 100"');
    const report = await runFuzz(s);
    const n = report.counterexample!.values['agents.noise.count'] as number;
    expect(tradesWith(n)).toBeLessThanOrEqual(100);
    expect(tradesWith(n + 1)).toBeGreaterThan(100);
    expect(n).toBe(6);
  });

  it('should report no failure for a property that always holds, after exactly the budget', async () => {
    const s = spec('runs: 6', 'space:', '  agents.noise.count: { min: 0, max: 10 }', '  agents.noise.params.maxQty: { min: 1, max: 30 }', 'properties:', '  - invariants', '  - expression: "trades >= 0 && invariants.violations == 0"', '  - bad-debt-at-most: 0', '  - no-lender-default');
    const report = await runFuzz(s);
    expect(report).toMatchObject({ runs: 6, searchRuns: 6, failures: 0, shrinkSteps: 0, skipped: 0, interrupted: false, path: null, counterexample: null });
    expect(report.events).toBeGreaterThan(0);
  });

  it('should be deterministic: same spec and seed, same report', async () => {
    const s = spec('runs: 8', 'space:', '  agents.noise.count: { min: 0, max: 30 }', '  seed: { min: 1, max: 1000 }', 'properties:', '  - expression: "trades < 120"');
    const a = await runFuzz(s);
    const b = await runFuzz(s);
    expect(b).toEqual(a);
    const other = await runFuzz(s, { seed: 99 });
    expect(other.seed).toBe(99);
  });

  it('should skip combinations the experiment refuses and say why', async () => {
    // Each value is valid alone (against the base), but not every pair is: sampling must not exceed the horizon.
    const s = spec('runs: 10', 'space:', '  horizon: { min: 10000000, max: 30000000 }', '  sampling: { min: 5000000, max: 20000000 }', 'properties: [invariants]');
    const report = await runFuzz(s);
    expect(report.skipped).toBeGreaterThan(0);
    expect(report.firstSkipReason).toMatch(/^horizon=\d+, sampling=\d+: .*sampling interval \(.*\) is longer than the horizon/);
    expect(report.counterexample).toBeNull();
  });

  it('should replay a counterexample from its seed and path alone', async () => {
    const s = spec('runs: 20', 'space:', '  agents.noise.count: { min: 0, max: 30 }', 'properties:', '  - expression: "trades < 50"');
    const found = await runFuzz(s);
    const replay = await runFuzz(s, { seed: found.seed, path: found.path! });
    expect(replay.runs).toBe(1);
    expect(replay.counterexample!.values).toEqual(found.counterexample!.values);
  });

  it('should stop gracefully at the time limit', async () => {
    const s = spec('runs: 1000', 'space:', '  agents.noise.count: { min: 0, max: 30 }', 'properties:', '  - expression: "trades >= 0"');
    const report = await runFuzz(s, { timeoutSeconds: 0.05 });
    expect(report.interrupted).toBe(true);
    expect(report.runs).toBeLessThan(1000);
    expect(report.counterexample).toBeNull();
  });
});

describe('counterexample.yaml', () => {
  it('should load with the normal loader and reproduce the failure when run', async () => {
    const s = spec('runs: 20', 'space:', '  agents.noise.count: { min: 0, max: 30 }', 'properties:', '  - expression: "trades < 50"');
    const report = await runFuzz(s);
    const dir = join(scratch, 'outputs');
    const written = writeFuzzOutputs(report, s, dir);
    const text = readFileSync(written.counterexample!, 'utf8');
    expect(text).toMatch(/^# Counterexample found by levsim fuzz tiny-fuzz\.yaml\.\n# Property that failed: expression: trades < 50\n# Measured: trades = 65\n/);
    expect(text).toContain(`# Replay the search: levsim fuzz tiny-fuzz.yaml --seed 1 --path ${report.path}\n`);
    expect(text).not.toMatch(/^fuzz:/m);
    const loaded = loadExperiment(written.counterexample!);
    expect(loaded.config.name).toBe('tiny-fuzz-counterexample');
    expect(loaded.config.agents[1]!.count).toBe(4);
    expect(runExperiment(loaded.config).summary.trades).toBe(65);
    const json = JSON.parse(readFileSync(written.report, 'utf8'));
    expect(json).toMatchObject({ runs: report.runs, failures: report.failures, shrinkSteps: report.shrinkSteps, failed: 'expression: trades < 50', value: 65, counterexample: { 'agents.noise.count': 4 }, path: report.path });
    expect(readFileSync(written.report, 'utf8')).not.toMatch(/\.tmp-/);

    // A counterexample that cannot be written leaves no report of the earlier search beside the old one.
    rmSync(written.counterexample!);
    mkdirSync(join(written.counterexample!, 'in-the-way'), { recursive: true });
    expect(() => writeFuzzOutputs(report, s, dir)).toThrow(OutputError);
    expect(existsSync(written.report)).toBe(false);
  });
});

describe('fuzzCommand', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink: FuzzIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    return { out, err, sink };
  };
  const failing = join(scratch, 'failing.yaml');
  writeFileSync(failing, fuzzText('runs: 20', 'space:', '  agents.noise.count: { min: 0, max: 30 }', 'properties:', '  - expression: "trades < 50"'));

  it('should exit 1, print the counterexample and write the outputs when a property fails', async () => {
    const o = io();
    const out = join(scratch, 'cmd');
    const code = await fuzzCommand(failing, { out }, o.sink);
    expect(code).toBe(1);
    expect(o.out[0]).toMatch(/^fuzz tiny-fuzz: \d+ scenarios \(1 searched, \d+ shrinking\), \d+ failures, \d+ shrink steps, [\d,]+ events$/);
    expect(o.out.slice(1)).toEqual([
      'FAILED expression: trades < 50: trades = 65',
      '  agents.noise.count: 4',
      `counterexample: ${join(out, 'counterexample.yaml')}`,
      expect.stringMatching(new RegExp(`^replay: levsim fuzz ${failing.replace(/[.]/g, '\\.')} --seed 1 --path [0-9:]+$`)),
      `report: ${join(out, 'fuzz-report.json')}`,
    ]);
    expect(o.err[0]).toMatch(/^levsim: fuzzing tiny-fuzz: 20 scenarios over 1 parameter \(seed 1, 30s simulated each\)…$/);
    expect(o.err.some((l) => /^levsim: scenario 1 fails expression: trades < 50 \(trades = \d+\); shrinking…$/.test(l))).toBe(true);
    expect(existsSync(join(out, 'counterexample.yaml'))).toBe(true);
  });

  it('should exit 0 and remove a stale counterexample when every property holds; --quiet prints no progress', async () => {
    const out = join(scratch, 'cmd');
    const o = io();
    const code = await fuzzCommand(failing, { out, quiet: true, runs: '5', seed: '3', set: ['agents.noise.params.meanInterArrivalUs=1h'] }, o.sink);
    expect(code).toBe(0);
    expect(o.err).toEqual([]);
    expect(o.out).toHaveLength(3);
    expect(o.out[0]).toMatch(/^fuzz tiny-fuzz: 5 scenarios \(5 searched\), 0 failures, 0 shrink steps, [\d,]+ events/);
    expect(o.out.slice(1)).toEqual(['every property held on every scenario: expression: trades < 50', `report: ${join(out, 'fuzz-report.json')}`]);
    expect(existsSync(join(out, 'counterexample.yaml'))).toBe(false);
  });

  it('should throw a located ExperimentError for a bad file and a one-line one for a bad option', async () => {
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, fuzzText('space:', '  agents.noise.cont: { min: 0, max: 3 }', 'properties: [invariants]'));
    await expect(fuzzCommand(bad, { quiet: true }, io().sink)).rejects.toThrow(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:9:5: .*did you mean 'count'`));
    await expect(fuzzCommand(failing, { runs: '0' }, io().sink)).rejects.toThrow(ExperimentError);
    await expect(fuzzCommand(failing, { runs: '0' }, io().sink)).rejects.toThrow('--runs 0: expected a whole number from 1 to 1000000');
    await expect(fuzzCommand(failing, { path: 'x:1' }, io().sink)).rejects.toThrow(/--path x:1: expected a fast-check path/);
    await expect(fuzzCommand(failing, { timeout: '-1' }, io().sink)).rejects.toThrow(/--timeout -1: expected a number of seconds > 0/);
  });
});

describe('replayCommand', () => {
  it('should repeat the --set overrides a fuzz was run with, quoted for the shell when needed', () => {
    const report = { seed: 7, path: '3:1' } as unknown as Parameters<typeof replayCommand>[1];
    expect(replayCommand('f.yaml', report, ['agents.lenders.params.h=0.3', "description=it's"])).toBe(
      "levsim fuzz f.yaml --set agents.lenders.params.h=0.3 --set 'description=it'\\''s' --seed 7 --path 3:1",
    );
    expect(replayCommand('f.yaml', { seed: 7, path: null } as unknown as Parameters<typeof replayCommand>[1])).toBeNull();
  });
});
