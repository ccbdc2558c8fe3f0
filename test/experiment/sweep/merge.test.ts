import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { describeMissing, indexRanges, mergeSweeps } from '../../../src/experiment/sweep/merge.js';
import { columnsFromCells } from '../../../src/experiment/output/parquet-writer.js';
import { readRunsTable } from '../../../src/experiment/output/runs-table.js';
import { OutputError } from '../../../src/experiment/output/output-error.js';
import { expandSweep, runSweep, writeSweepReport } from '../../../src/experiment/sweep/sweep.js';
import { readManifest } from '../../../src/experiment/sweep/sweep-manifest.js';
import { inProcessExecutor } from '../../../src/experiment/sweep/worker-pool.js';

const scratch = mkdtempSync(join(tmpdir(), 'levsim-merge-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(scratch, `d${dirs++}`);

/** A tiny market (runs take tens of ms) with a sweep section. */
function yaml(sweep: string, name = 'tiny'): string {
  return [
    `name: ${name}`,
    'seed: 11',
    'horizon: 20s',
    'sampling: 5s',
    'volWindow: 3',
    'agents:',
    '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20, levels: 2, maxInventory: 2000 } }',
    '  - { type: noise, name: noise, count: 4, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 2s } }',
    sweep,
    '',
  ].join('\n');
}

/** Two parameter points × two seeds. */
const GRID = 'sweep: { grid: { agents.noise.params.maxQty: [2, 5] } }\nseeds: 2';
/** Two parameter points, one seed. */
const POINTS = 'sweep: { grid: { agents.noise.params.maxQty: [2, 5] } }';

/** Run folders computed once (a run folder depends on its config only), copied into each sweep folder. */
const cache = join(scratch, 'cache');

/** Runs a sweep (or one shard of it) into `dir` in this thread. */
async function sweepInto(dir: string, text: string, shard: { index: number; count: number } | null = null, sets: string[] = []) {
  const loaded = loadExperimentText(text, 'tiny.yaml', { sets });
  const variants = expandSweep(loaded.config, loaded.sweep);
  for (const v of variants) if (existsSync(join(cache, v.runId)) && !existsSync(join(dir, v.runId))) cpSync(join(cache, v.runId), join(dir, v.runId), { recursive: true });
  const outcome = await runSweep(variants, loaded.sweep, { sweepDir: dir, workers: 1, shard, overrides: sets, executor: inProcessExecutor() });
  for (const v of variants) if (existsSync(join(dir, v.runId, 'summary.json')) && !existsSync(join(cache, v.runId))) cpSync(join(dir, v.runId), join(cache, v.runId), { recursive: true });
  return outcome;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('sweep stamps and runs-table identifiers', () => {
  it('should stamp a sweep with its id, run count and shard, and give each row its config hash and the sweep id', async () => {
    const whole = freshDir();
    await sweepInto(whole, yaml(GRID));
    const m = readManifest(join(whole, 'runs.csv'));
    expect(m).toMatchObject({ format: 'levsim-sweep/1', name: 'tiny', runs: 4, shard: null, rows: 4, seeds: [11, 12], swept: ['agents.noise.params.maxQty'], overrides: [] });
    expect(m.sweepId).toMatch(/^[0-9a-f]{16}$/);
    const table = readRunsTable(join(whole, 'runs.csv'));
    expect(table.header.slice(0, 6)).toEqual(['run_index', 'run_id', 'seed', 'config_hash', 'sweep_id', 'agents.noise.params.maxQty']);
    const hashes = table.rows.map((r) => r[3]);
    // Seeds of one parameter point share the config hash; the points differ.
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).toBe(hashes[3]);
    expect(hashes[0]).not.toBe(hashes[2]);
    expect(table.rows.every((r) => r[4] === m.sweepId)).toBe(true);

    const shard = freshDir();
    await sweepInto(shard, yaml(GRID), { index: 1, count: 3 });
    const s = readManifest(join(shard, 'runs.shard-1-of-3.csv'));
    expect(s).toMatchObject({ sweepId: m.sweepId, runs: 4, shard: { index: 1, count: 3 }, rows: 1 });
  });

  it('should record every --set override as a column, swept or not, and keep seeds and sweep paths out of the columns', async () => {
    const dir = freshDir();
    const sets = ['fees.makerBps=1', 'agents[1].params.maxQty=3', 'horizon=30s'];
    await sweepInto(dir, yaml(POINTS), null, sets);
    const table = readRunsTable(join(dir, 'runs.csv'));
    // maxQty is swept (written another way): its column is the swept one, with the swept values.
    expect(table.header.slice(5, 8)).toEqual(['agents.noise.params.maxQty', 'fees.makerBps', 'horizon']);
    expect(table.header.filter((h) => h.includes('maxQty'))).toHaveLength(1);
    expect(table.rows.map((r) => r.slice(5, 8))).toEqual([
      ['2', '1', '30000000'],
      ['5', '1', '30000000'],
    ]);
    expect(readManifest(join(dir, 'runs.csv')).overrides).toEqual(sets);
  });

  it('should keep hash columns text in Parquet even when a hash is all digits', () => {
    const columns = columnsFromCells(['run_id', 'seed'], [['123456789012', '7']], new Set(['run_id']));
    expect(columns.map((c) => c.kind)).toEqual(['string', 'int']);
  });
});

describe('mergeSweeps', () => {
  it('should merge a complete set of shards into the unsharded table, Parquet file and stamp, byte for byte', async () => {
    const whole = freshDir();
    await sweepInto(whole, yaml(GRID));
    const parts = freshDir();
    for (const index of [2, 0, 1]) await sweepInto(parts, yaml(GRID), { index, count: 3 });
    const out = freshDir();
    const merged = mergeSweeps([parts], out);
    expect(merged).toMatchObject({ inputs: 3, rows: 4, missing: [], absentShards: [] });
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').split('\n')).toHaveLength(6);
    for (const f of ['runs.csv', 'runs.parquet', 'sweep.json']) expect(readFileSync(join(out, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
  });

  it('should refuse a lone shard, listing the missing runs and shards, and merge it with allowPartial', async () => {
    const parts = freshDir();
    await sweepInto(parts, yaml(GRID), { index: 0, count: 2 });
    const refused = mergeSweeps([parts], parts);
    expect(refused.path).toBeNull();
    expect(refused.missing).toEqual([1, 3]);
    expect(describeMissing(refused)).toBe('2 of 4 runs missing (run_index 1, 3); no runs table of shard 1/2');
    expect(existsSync(join(parts, 'runs.csv'))).toBe(false);
    const partial = mergeSweeps([parts], parts, { allowPartial: true });
    expect(partial.path).toBe(join(parts, 'runs.csv'));
    expect(readManifest(join(parts, 'runs.csv'))).toMatchObject({ runs: 4, rows: 2, shard: null });
    // The other shard run later completes the set.
    await sweepInto(parts, yaml(GRID), { index: 1, count: 2 });
    expect(mergeSweeps([parts], parts).missing).toEqual([]);
  });

  it('should refuse tables of different sweeps, naming both and what differs', async () => {
    const a = freshDir();
    const b = freshDir();
    await sweepInto(a, yaml(GRID));
    // Same columns, other seeds: the 9 + 60 = 65 rows with duplicate run_index of the issue.
    await sweepInto(b, yaml(GRID.replace('seeds: 2', 'seeds: 3'), 'other'));
    expect(readRunsTable(join(a, 'runs.csv')).header).toEqual(readRunsTable(join(b, 'runs.csv')).header);
    const message = messageOf(() => mergeSweeps([a, b], freshDir()));
    expect(message).toContain(`cannot merge runs tables of different sweeps: ${join(a, 'runs.csv')} (tiny, 4 runs, sweep `);
    expect(message).toContain(`and ${join(b, 'runs.csv')} (other, 6 runs, sweep `);
    expect(message).toContain('differ in name (tiny vs other); run count (4 vs 6); seeds (11, 12 vs 11..13)');

    // Shards of two sweeps in one folder (a --set changed between them).
    const mixed = freshDir();
    await sweepInto(mixed, yaml(GRID), { index: 0, count: 2 });
    await sweepInto(mixed, yaml(GRID), { index: 1, count: 2 }, ['fees.takerBps=2']);
    expect(messageOf(() => mergeSweeps([mixed], mixed))).toMatch(/differ in --set flags \(none vs fees\.takerBps=2\)$/);
    await expect(writeSweepReport(mixed)).rejects.toThrow('cannot merge runs tables of different sweeps');

    // Only the values of a swept axis changed.
    const c = freshDir();
    await sweepInto(c, yaml(GRID.replace('[2, 5]', '[2, 6]')));
    expect(messageOf(() => mergeSweeps([a, c], freshDir()))).toMatch(/differ in their runs: the experiment file, its swept values or the levsim version changed between them$/);
  });

  it('should refuse an unstamped table and a table paired with another sweep’s stamp', async () => {
    const dir = freshDir();
    await sweepInto(dir, yaml(GRID));
    const other = freshDir();
    await sweepInto(other, yaml(GRID.replace('seeds: 2', 'seeds: 1')));
    copyFileSync(join(other, 'sweep.json'), join(dir, 'sweep.json'));
    expect(() => mergeSweeps([dir], freshDir())).toThrow(OutputError);
    expect(messageOf(() => mergeSweeps([dir], freshDir()))).toBe(`${join(dir, 'runs.csv')}: does not match its sweep stamp (interrupted while writing, or copied from elsewhere?): run 'levsim sweep' again with the same options to rewrite both`);
    rmSync(join(dir, 'sweep.json'));
    expect(messageOf(() => mergeSweeps([dir], freshDir()))).toMatch(/runs\.csv: has no sweep stamp \(sweep\.json\): written by an older levsim\?/);
    writeFileSync(join(dir, 'sweep.json'), '{"format": "x"');
    expect(messageOf(() => mergeSweeps([dir], freshDir()))).toBe(`${join(dir, 'sweep.json')}: not a levsim sweep stamp (not JSON)`);
  });
});

describe('indexRanges', () => {
  it('should write runs of consecutive indices as ranges', () => {
    expect(indexRanges([1, 3, 4, 5, 9])).toBe('1, 3-5, 9');
    expect(indexRanges(Array.from({ length: 30 }, (_, i) => i * 2))).toMatch(/^0, 2, .*, 38, … \(10 more ranges\)$/);
  });
});
