import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../src/experiment/config/experiment-config.js';
import { ExperimentError, loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { executeRun, type RunTaskResult } from '../../../src/experiment/sweep/run-worker.js';
import { mergeSweeps } from '../../../src/experiment/sweep/merge.js';
import type { SweepSpec } from '../../../src/experiment/config/sweep-spec.js';
import { canonicalJson, expandSweep, parseShard, runIdOf, runSweep, selectShard, type Variant } from '../../../src/experiment/sweep/sweep.js';
import { inProcessExecutor, type RunExecutor } from '../../../src/experiment/sweep/worker-pool.js';

const scratch = mkdtempSync(join(tmpdir(), 'levsim-sweep-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(scratch, `d${dirs++}`);

/** A tiny market: a few agents, a short horizon (runs take tens of ms). */
function tinyYaml(horizon = '40s', sweep = ''): string {
  return [
    'name: tiny',
    'seed: 11',
    `horizon: ${horizon}`,
    'sampling: 5s',
    'volWindow: 4',
    'agents:',
    '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20, levels: 2, maxInventory: 2000 } }',
    '  - { type: noise, name: noise, count: 6, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 2s } }',
    '  - { type: value, name: value, count: 2, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 5s } }',
    sweep,
    '',
  ].join('\n');
}

function load(text: string): { config: ExperimentConfig; sweep: SweepSpec } {
  const loaded = loadExperimentText(text, 'tiny.yaml');
  return { config: loaded.config, sweep: loaded.sweep };
}

/** Executes in this thread but completes tasks in reverse order of submission, like a pool whose later runs finish first. */
function reversingExecutor(): RunExecutor {
  let batch: { task: Parameters<RunExecutor['run']>[0]; resolve: (r: RunTaskResult) => void }[] = [];
  return {
    kind: 'in-process',
    concurrency: 2,
    run(task) {
      return new Promise((resolve) => {
        if (batch.length === 0) {
          setTimeout(async () => {
            const todo = batch.reverse();
            batch = [];
            for (const t of todo) t.resolve(await executeRun(t.task));
          }, 0);
        }
        batch.push({ task, resolve });
      });
    },
    close: async () => {},
  };
}

describe('expandSweep', () => {
  const sweep = [
    'sweep:',
    '  grid: { agents.noise.params.maxQty: [2, 4], fees.takerBps: [0, 1, 2] }',
    '  zip: { agents.value.count: [1, 2], latency.us: [100us, 1ms] }',
    '  random: { n: 3, seed: 5, space: { credit.closeFactor: { min: 0.2, max: 0.8 }, agents.mm.params.levels: { min: 1, max: 4, integer: true }, stp: [cancel-maker, cancel-both] } }',
    'seeds: 2',
  ].join('\n');

  it('should give grid × zip × random × seeds runs, seeds innermost and the first grid axis slowest', () => {
    const { config, sweep: spec } = load(tinyYaml('40s', sweep));
    const variants = expandSweep(config, spec);
    expect(variants).toHaveLength(2 * 3 * 2 * 3 * 2);
    expect(variants.map((v) => v.index)).toEqual(variants.map((_, i) => i));
    expect(variants.slice(0, 4).map((v) => v.seed)).toEqual([11, 12, 11, 12]);
    expect(variants[0]!.params.slice(0, 4)).toEqual([2, 0, 1, 100]);
    expect(variants[variants.length - 1]!.params.slice(0, 4)).toEqual([4, 2, 2, 1000]);
    expect(variants[36]!.params[0]).toBe(4);
    expect(variants[35]!.params[0]).toBe(2);
    expect(new Set(variants.map((v) => v.runId)).size).toBe(variants.length);
    for (const v of variants) {
      expect(v.runId).toBe(runIdOf(v.config));
      expect(v.config.seed).toBe(v.seed);
      const [, , , , closeFactor, levels, stp] = v.params as [number, number, number, number, number, number, string];
      expect(closeFactor).toBeGreaterThanOrEqual(0.2);
      expect(closeFactor).toBeLessThan(0.8);
      expect(Number.isInteger(levels) && levels >= 1 && levels <= 4).toBe(true);
      expect(['cancel-maker', 'cancel-both']).toContain(stp);
      expect(v.config.credit.closeFactor).toBe(closeFactor);
    }
  });

  it('should be deterministic, and its random draws depend on the random seed only', () => {
    const a = load(tinyYaml('40s', sweep));
    const b = load(tinyYaml('40s', sweep));
    expect(expandSweep(a.config, a.sweep).map((v) => v.runId)).toEqual(expandSweep(b.config, b.sweep).map((v) => v.runId));
    const c = load(tinyYaml('40s', sweep.replace('seed: 5', 'seed: 6')));
    expect(expandSweep(c.config, c.sweep).map((v) => v.params[4])).not.toEqual(expandSweep(a.config, a.sweep).map((v) => v.params[4]));
  });

  it('should give one run without a sweep, and one per seed of a list', () => {
    expect(expandSweep(load(tinyYaml()).config, load(tinyYaml()).sweep)).toHaveLength(1);
    const listed = load(tinyYaml('40s', 'seeds: [3, 9, 4]'));
    expect(expandSweep(listed.config, listed.sweep).map((v) => v.seed)).toEqual([3, 9, 4]);
  });

  it('should name the run and values of an invalid combination', () => {
    const { config, sweep: spec } = load(tinyYaml('40s', 'sweep: { zip: { horizon: [10s, 40s], sampling: [20s, 5s] } }'));
    expect(() => expandSweep(config, spec)).toThrow(ExperimentError);
    try {
      expandSweep(config, spec);
    } catch (e) {
      expect((e as ExperimentError).message).toBe('sweep run 0 (horizon="10s" sampling="20s"): sampling: sampling interval (20s) is longer than the horizon (10s)');
    }
  });
});

describe('run ids', () => {
  it('should hash the canonical JSON (key order does not matter)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: 2 } })).toBe('{"a":{"c":2,"d":[1,{"e":2,"f":1}]},"b":1}');
    const { config } = load(tinyYaml());
    const reordered = Object.fromEntries(Object.entries(config).reverse()) as unknown as ExperimentConfig;
    expect(runIdOf(reordered)).toBe(runIdOf(config));
    expect(runIdOf(config)).toMatch(/^[0-9a-f]{12}$/);
    expect(runIdOf({ ...config, seed: config.seed + 1 })).not.toBe(runIdOf(config));
  });
});

describe('shards', () => {
  it('should parse 0-based i/N and refuse out-of-range shards', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('4/4')).toThrow('--shard 4/4: shard index 4 is out of range: shards are 0-based, 0..3');
    expect(() => parseShard('1/0')).toThrow('N must be at least 1');
    expect(() => parseShard('a/b')).toThrow('expected i/N with 0 ≤ i < N');
  });

  it('should partition the runs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 7 }), (n, count) => {
        const items = Array.from({ length: n }, (_, index) => ({ index }));
        const slices = Array.from({ length: count }, (_, index) => selectShard(items, { index, count }));
        expect(slices.flat().map((v) => v.index).sort((a, b) => a - b)).toEqual(items.map((v) => v.index));
      }),
    );
  });
});

describe('runSweep', () => {
  it('should write byte-identical runs tables whatever the completion order, sharding and merging', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([2, 5, 9], { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 2, max: 3 }),
        async (maxQtys, seeds, shards) => {
          const { config, sweep } = load(tinyYaml('30s', `sweep: { grid: { agents.noise.params.maxQty: [${maxQtys.join(', ')}] } }\nseeds: ${seeds}`));
          const variants = expandSweep(config, sweep);
          const one = freshDir();
          const two = freshDir();
          const sharded = freshDir();
          await runSweep(variants, sweep, { sweepDir: one, workers: 1, executor: inProcessExecutor() });
          await runSweep(variants, sweep, { sweepDir: two, workers: 2, executor: reversingExecutor() });
          for (let index = shards - 1; index >= 0; index--) {
            await runSweep(variants, sweep, { sweepDir: join(sharded, `shard${index}`), workers: 1, shard: { index, count: shards }, executor: inProcessExecutor() });
          }
          const merged = join(sharded, 'merged');
          expect(mergeSweeps(Array.from({ length: shards }, (_, i) => join(sharded, `shard${i}`)), merged).missing).toEqual([]);
          const csv = readFileSync(join(one, 'runs.csv'));
          expect(csv.toString().split('\n')).toHaveLength(variants.length + 2);
          expect(readFileSync(join(two, 'runs.csv')).equals(csv)).toBe(true);
          expect(readFileSync(join(merged, 'runs.csv')).equals(csv)).toBe(true);
          expect(readFileSync(join(two, 'runs.parquet')).equals(readFileSync(join(one, 'runs.parquet')))).toBe(true);
          expect(readFileSync(join(merged, 'runs.parquet')).equals(readFileSync(join(one, 'runs.parquet')))).toBe(true);
          // Every file of every run folder but timing.json is byte-identical too.
          for (const v of variants) {
            for (const file of readdirSync(join(one, v.runId))) {
              if (file === 'timing.json') continue;
              expect(readFileSync(join(two, v.runId, file)).equals(readFileSync(join(one, v.runId, file))), `${v.runId}/${file}`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 4 },
    );
  });

  it('should resume after a crash: leftover temporary folders and a partial set of runs give the same runs table', async () => {
    const { config, sweep } = load(tinyYaml('30s', 'sweep: { grid: { agents.noise.params.maxQty: [2, 5, 9] } }'));
    const variants = expandSweep(config, sweep);
    const complete = freshDir();
    await runSweep(variants, sweep, { sweepDir: complete, workers: 1, executor: inProcessExecutor() });

    // The state a crash leaves: some runs complete, and a half-written folder under a dead process's temporary name.
    const crashed = freshDir();
    await runSweep(variants, sweep, { sweepDir: crashed, workers: 1, shard: { index: 0, count: 3 }, executor: inProcessExecutor() });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const tmp = join(crashed, `.tmp-${variants[1]!.runId}-${deadPid}-0`);
    mkdirSync(tmp);
    writeFileSync(join(tmp, 'config.yaml'), 'half');
    expect(existsSync(join(crashed, 'runs.csv'))).toBe(false);

    const events: string[] = [];
    const outcome = await runSweep(variants, sweep, { sweepDir: crashed, workers: 1, executor: inProcessExecutor(), onRun: (e) => events.push(`${e.kind}:${e.variant.index}`) });
    expect(outcome.skipped).toBe(1);
    expect(outcome.ran).toBe(2);
    expect(events.filter((e) => e.startsWith('skipped'))).toEqual(['skipped:0']);
    expect(readFileSync(join(crashed, 'runs.csv')).equals(readFileSync(join(complete, 'runs.csv')))).toBe(true);
    expect(readdirSync(crashed).filter((f) => f.startsWith('.tmp-'))).toEqual([]);

    // A third pass computes nothing.
    const again = await runSweep(variants, sweep, { sweepDir: crashed, workers: 1, executor: inProcessExecutor() });
    expect(again.ran).toBe(0);
    expect(again.skipped).toBe(3);
  });

  it('should report a failed run and leave it out of the table', async () => {
    const { config, sweep } = load(tinyYaml('30s', 'seeds: 2'));
    const variants: Variant[] = expandSweep(config, sweep);
    const failing: RunExecutor = {
      ...inProcessExecutor(),
      run: async (task) => (task.config.seed === 12 ? { ok: false, runDir: task.runDir, message: 'boom', configPath: null, stack: null } : executeRun(task)),
    };
    const dir = freshDir();
    const outcome = await runSweep(variants, sweep, { sweepDir: dir, workers: 1, executor: failing });
    expect(outcome.failures.map((f) => [f.variant.index, f.message])).toEqual([[1, 'boom']]);
    const dying: RunExecutor = { ...inProcessExecutor(), run: async () => Promise.reject(new Error('worker exited\nstack')) };
    const died = await runSweep(variants, sweep, { sweepDir: freshDir(), workers: 1, executor: dying });
    expect(died.failures.map((f) => f.message)).toEqual(['worker failed: worker exited', 'worker failed: worker exited']);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
