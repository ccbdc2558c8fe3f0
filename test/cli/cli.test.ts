import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { smallExperimentText } from '../helpers/small-experiment.js';
import { cli } from '../helpers/cli-capture.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => join(root, 'test', 'fixtures', name);
const scratch = mkdtempSync(join(tmpdir(), 'levsim-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const small = join(scratch, 'small.yaml');
writeFileSync(small, smallExperimentText('small'));

describe('levsim validate', () => {
  it('should print one line and exit 2 for each malformed fixture', async () => {
    for (const name of ['bad-indentation', 'wrong-type', 'unknown-key', 'unknown-param', 'proto-key', 'out-of-bounds-count', 'bad-duration']) {
      const r = await cli('validate', fixture(`${name}.yaml`));
      expect(r.code, name).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err, name).toHaveLength(1);
      expect(r.err[0]).toMatch(new RegExp(`^levsim: ${fixture(`${name}.yaml`).replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    }
  });

  it('should accept a valid file and count its runs', async () => {
    const r = await cli('validate', fixture('tiny.yaml'));
    expect(r).toEqual({ code: 0, out: [`${fixture('tiny.yaml')}: ok: tiny: 11 agents in 3 groups, 1 instrument, 1.5m horizon, 8 runs`], err: [] });
  });

  it('should print one line and exit 2 for a missing file, an unknown --set path and a bad option', async () => {
    expect(await cli('validate', join(scratch, 'nope.yaml'))).toEqual({ code: 2, out: [], err: [`levsim: ${join(scratch, 'nope.yaml')}: no such file`] });
    expect(await cli('validate', small, '--set', 'agents.noise.params.maxQt=2')).toEqual({
      code: 2,
      out: [],
      err: ["levsim: --set agents.noise.params.maxQt=2: agents.noise.params.maxQt: unknown parameter 'maxQt' of 'noise' (did you mean 'maxQty'?)"],
    });
    expect(await cli('validate', small, '--seed', 'x')).toEqual({ code: 2, out: [], err: ['levsim: --seed x: expected a whole number ≥ 0'] });
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toHaveLength(1);
    expect(unknown.err[0]).toMatch(/^levsim: unknown command 'frobnicate'/);
  });
});

describe('levsim --version', () => {
  it("should print package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, out: [version], err: [] });
    expect(await cli('-v')).toEqual({ code: 0, out: [version], err: [] });
  });
});

describe('levsim run', () => {
  it('should write the run folder and print the headline statistics and the report path', async () => {
    const out = join(scratch, 'out');
    const r = await cli('run', small, '--out', out, '--quiet');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^small {2}run [0-9a-f]{12} {2}seed 1$/);
    for (const label of ['events', 'trades', 'return sd', 'excess kurtosis', 'Hill tail index', 'acf |r| lag 1', 'leverage mean/max', 'cascades', 'defaults', 'bad debt', 'invariants']) {
      expect(r.out.some((l) => l.trimStart().startsWith(label)), label).toBe(true);
    }
    const report = r.out[r.out.length - 1]!;
    expect(report).toMatch(/^report: .*small\/[0-9a-f]{12}\/report\.html$/);
    expect(existsSync(report.slice('report: '.length))).toBe(true);
  });

  it('should remove the temporary folders of its own earlier attempts that died, and keep those of live processes', async () => {
    const out = join(scratch, 'stale');
    const first = await cli('run', small, '--out', out, '--quiet');
    const runId = /run ([0-9a-f]{12})/.exec(first.out[0]!)![1]!;
    const dir = join(out, 'small');
    const dead = 99_999_999; // above any pid_max: no such process
    for (const name of [`.tmp-${runId}-${dead}-0`, `.tmp-${runId}-${dead}-1-old`, `.tmp-${runId}-${process.ppid}-0`, `.tmp-000000000000-${dead}-0`]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'config.yaml'), 'half');
    }
    expect((await cli('run', small, '--out', out, '--quiet')).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('.tmp-')).sort()).toEqual([`.tmp-000000000000-${dead}-0`, `.tmp-${runId}-${process.ppid}-0`]);
  });

  it('should write trades.csv only when --tables names it, whatever the file says, and refuse an unknown table in one line', async () => {
    const tablesOf = async (...flags: string[]) => {
      const out = join(scratch, `tables-${flags.join('-')}`);
      const r = await cli('run', small, '--out', out, '--quiet', '--set', 'outputs.trades=true', ...flags);
      expect(r.code).toBe(0);
      const runDir = join(out, 'small', readdirSync(join(out, 'small'))[0]!);
      return readdirSync(runDir).filter((f) => f.startsWith('trades.') || f.startsWith('timeseries.')).sort();
    };
    expect(await tablesOf()).toEqual(['timeseries.csv', 'timeseries.parquet', 'trades.csv', 'trades.parquet']);
    expect(await tablesOf('--tables', 'none')).toEqual(['timeseries.csv', 'timeseries.parquet']);
    expect(await tablesOf('--tables', 'trades')).toEqual(['timeseries.csv', 'timeseries.parquet', 'trades.csv', 'trades.parquet']);
    const bad = await cli('run', small, '--out', join(scratch, 'tables-bad'), '--quiet', '--tables', 'trade,none');
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual(["levsim: --tables trade,none: 'trade' is not an optional table (did you mean 'trades'?); expected a comma-separated list of trades, or none"]);
  });

  it('should fail in one line when the output folder cannot be written', async () => {
    const file = join(scratch, 'not-a-dir');
    writeFileSync(file, '');
    const r = await cli('run', small, '--out', file, '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`levsim: ${join(file, 'small')}: cannot write the output folder (not a directory)`]);
  });
});

describe('levsim sweep, merge and report', () => {
  it('should refuse an out-of-range shard in one line', async () => {
    expect(await cli('sweep', fixture('tiny.yaml'), '--shard', '2/2', '--out', scratch)).toEqual({
      code: 2,
      out: [],
      err: ['levsim: --shard 2/2: shard index 2 is out of range: shards are 0-based, 0..1'],
    });
    expect((await cli('sweep', fixture('tiny.yaml'), '--workers', '0', '--out', scratch)).err).toEqual(['levsim: --workers 0: expected a whole number from 1 to 1024']);
  });

  it('should run shards, merge them into the unsharded table and re-render reports', async () => {
    const whole = join(scratch, 'whole');
    const parts = join(scratch, 'parts');
    expect((await cli('sweep', fixture('tiny.yaml'), '--out', whole, '--quiet', '--workers', '1')).code).toBe(0);
    const lines = (await cli('sweep', fixture('tiny.yaml'), '--out', parts, '--shard', '0/2', '--workers', '1')).err;
    expect(lines[0]).toBe('levsim: 4 runs (0 already complete) on in-process');
    expect(lines.slice(1).every((l) => /^levsim: \[\d\/4\] run \d [0-9a-f]{12} seed \d+: done in /.test(l))).toBe(true);
    const lone = await cli('merge', join(parts, 'tiny'));
    expect(lone).toEqual({
      code: 1,
      out: [],
      err: [`levsim: ${join(parts, 'tiny')}: 4 of 8 runs missing (run_index 1, 3, 5, 7); no runs table of shard 1/2. Run the missing shards, or the same sweep command again to retry failed runs; --allow-partial merges what is there`],
    });
    expect(existsSync(join(parts, 'tiny', 'runs.csv'))).toBe(false);
    expect(await cli('report', join(parts, 'tiny'))).toEqual({
      code: 0,
      out: [`report: ${join(parts, 'tiny', 'report.html')}`],
      err: ['levsim: note: the report covers 4 of 8 runs: 4 of 8 runs missing (run_index 1, 3, 5, 7); no runs table of shard 1/2'],
    });
    expect((await cli('sweep', fixture('tiny.yaml'), '--out', parts, '--shard', '1/2', '--quiet')).code).toBe(0);
    const merged = await cli('merge', join(parts, 'tiny'));
    expect(merged.out).toEqual([`merged 2 runs tables: 8 runs → ${join(parts, 'tiny', 'runs.csv')}`, `report: ${join(parts, 'tiny', 'report.html')}`]);
    expect(readFileSync(join(parts, 'tiny', 'runs.csv')).equals(readFileSync(join(whole, 'tiny', 'runs.csv')))).toBe(true);
    const report = await cli('report', join(parts, 'tiny'));
    expect(report).toEqual({ code: 0, out: [`report: ${join(parts, 'tiny', 'report.html')}`], err: [] });
    expect(await cli('report', scratch)).toEqual({ code: 2, out: [], err: [`levsim: ${scratch}: neither a run folder (no summary.json) nor a sweep folder (no runs.csv)`] });
    expect(await cli('report', join(scratch, 'nope'))).toEqual({ code: 2, out: [], err: [`levsim: ${join(scratch, 'nope')}: no such folder`] });
    expect(await cli('merge', scratch)).toEqual({ code: 1, out: [], err: [`levsim: ${scratch}: no runs.csv or runs.shard-*.csv here`] });
  });
});

const built = join(root, 'dist', 'src', 'cli', 'main.js');

describe.skipIf(!existsSync(built))('the built levsim (dist/)', () => {
  const levsim = (...args: string[]) => spawnSync(process.execPath, [built, ...args], { cwd: root, encoding: 'utf8' });

  it('should print one line and exit 2 for a malformed file, without a stack trace', () => {
    const r = levsim('validate', 'test/fixtures/unknown-key.yaml');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("levsim: test/fixtures/unknown-key.yaml:2:1: horizn: unknown key 'horizn' (did you mean 'horizon'?)\n");
  });

  it('should give the same runs table on 1 and 2 worker threads', () => {
    const one = join(scratch, 'dist-1');
    const two = join(scratch, 'dist-2');
    expect(levsim('sweep', 'test/fixtures/tiny.yaml', '--out', one, '--workers', '1', '--quiet').status).toBe(0);
    const r = levsim('sweep', 'test/fixtures/tiny.yaml', '--out', two, '--workers', '2');
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('levsim: 8 runs (0 already complete) on 2 worker threads');
    expect(readFileSync(join(two, 'tiny', 'runs.csv')).equals(readFileSync(join(one, 'tiny', 'runs.csv')))).toBe(true);
    expect(readFileSync(join(two, 'tiny', 'runs.parquet')).equals(readFileSync(join(one, 'tiny', 'runs.parquet')))).toBe(true);
  });
});
