import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const built = join(root, 'dist', 'src', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'levsim-oom-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A run that exhausts the heap must not take its sweep down, with one worker
 * as with several: it runs in a worker thread, whose death is a failed run.
 * The heap is made small (V8's limit, inherited by the worker) and one run
 * samples 450,000 rows, which needs more.
 */
describe.skipIf(!existsSync(built))('a single-worker sweep with a run out of memory (built levsim)', () => {
  it('should record the run as failed, finish the others and exit 1 without a crash', () => {
    const file = join(scratch, 'oom.yaml');
    writeFileSync(
      file,
      [
        'name: oom',
        'horizon: 90s',
        'sampling: 5s',
        'agents:',
        '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
        '  - { type: noise, name: noise, count: 5, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
        'sweep: { grid: { sampling: [5s, 200us, 10s] } }',
        '',
      ].join('\n'),
    );
    const out = join(scratch, 'out');
    const r = spawnSync(process.execPath, ['--max-old-space-size=120', built, 'sweep', file, '--out', out, '--workers', '1', '--quiet'], { encoding: 'utf8' });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^levsim: run 1 \([0-9a-f]{12}, seed 1\): worker failed: .*(out of memory|memory limit)/m);
    expect(r.stderr).not.toMatch(/FATAL ERROR|    at /);
    expect(r.stdout).toMatch(/^sweep oom: 3 runs: 2 ran, 0 already complete, 1 failed$/m);
    const rows = readFileSync(join(out, 'oom', 'runs.csv'), 'utf8').trim().split('\n');
    expect(rows.map((l) => l.split(',')[0])).toEqual(['run_index', '0', '2']);
  });
});
