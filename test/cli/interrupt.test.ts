import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { catchInterrupts } from '../../src/cli/interrupt.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'levsim-interrupt-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Four seeds of a small market; `horizon` sets how long each run takes. */
function sweepFile(horizon: string): string {
  const file = join(scratch, `seeds-${horizon}.yaml`);
  writeFileSync(
    file,
    [
      'name: seeds',
      `horizon: ${horizon}`,
      'sampling: 10s',
      'agents:',
      '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
      '  - { type: noise, name: noise, count: 10, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
      'seeds: 4',
      '',
    ].join('\n'),
  );
  return file;
}

/** An Io whose SIGINT/SIGTERM come from `signals`. */
function fakeIo(onErr: (line: string, signals: EventEmitter) => void, extra: Partial<Io> = {}): { io: Io; out: string[]; err: string[]; signals: EventEmitter } {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const io: Io = { out: (l) => out.push(l), err: (l) => (err.push(l), onErr(l, signals)), tty: false, signals, ...extra };
  return { io, out, err, signals };
}

describe('catchInterrupts', () => {
  it('should abort on the first signal, give 128 + its number, and let a second signal through', () => {
    const source = new EventEmitter();
    const caught = catchInterrupts(source);
    expect(source.listenerCount('SIGINT')).toBe(1);
    expect(caught.signal.aborted).toBe(false);
    source.emit('SIGTERM');
    expect(caught.signal.aborted).toBe(true);
    expect(caught.received()).toBe('SIGTERM');
    expect(caught.exitCode()).toBe(143);
    // No handler left: a second Ctrl-C gets Node's default (the process ends at once).
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
    const other = catchInterrupts(source);
    source.emit('SIGINT');
    expect(other.exitCode()).toBe(130);
  });
});

describe('levsim sweep interrupted', () => {
  it('should stop after the run in progress, say how far it got, exit 130 (143 on SIGTERM), write no runs table, and resume', async () => {
    const file = sweepFile('30s');
    const out = join(scratch, 'in-process');
    const first = fakeIo((line, signals) => {
      if (line.startsWith('levsim: [1/4]')) signals.emit('SIGINT');
    });
    const code = await main(['sweep', file, '--out', out, '--workers', '1'], first.io);
    expect(first.err.at(-1)).toBe('levsim: interrupted (SIGINT): 1 of 4 runs complete; run the same command again to resume');
    expect(code).toBe(130);
    expect(first.out).toEqual([]);
    expect(existsSync(join(out, 'seeds', 'runs.csv'))).toBe(false);
    expect(first.signals.listenerCount('SIGINT')).toBe(0);

    const second = fakeIo((line, signals) => {
      if (line.startsWith('levsim: [2/4]')) signals.emit('SIGTERM');
    });
    expect(await main(['sweep', file, '--out', out, '--workers', '1'], second.io)).toBe(143);
    expect(second.err[0]).toBe('levsim: 4 runs (1 already complete) on in-process');
    expect(second.err.at(-1)).toBe('levsim: interrupted (SIGTERM): 2 of 4 runs complete; run the same command again to resume');

    const third = fakeIo(() => {});
    expect(await main(['sweep', file, '--out', out, '--workers', '1'], third.io)).toBe(0);
    expect(third.out[0]).toBe('sweep seeds: 4 runs: 2 ran, 2 already complete, 0 failed');
    expect(existsSync(join(out, 'seeds', 'runs.csv'))).toBe(true);
  });

  it('should restore the cursor and line wrapping the progress bar turned off', async () => {
    let drawn = '';
    let fired = false;
    const stream = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          drawn += chunk.toString();
          if (!fired && drawn.includes('0/4 runs')) {
            fired = true;
            // After the bar has started (not from inside its first drawing).
            setImmediate(() => signals.emit('SIGINT'));
          }
          done();
        },
      }),
      { isTTY: true, columns: 100 },
    );
    const { io, err, signals } = fakeIo(() => {}, { tty: true, stream });
    const code = await main(['sweep', sweepFile('30s'), '--out', join(scratch, 'tty'), '--workers', '1'], io);
    expect(code).toBe(130);
    expect(err.at(-1)).toMatch(/^levsim: interrupted \(SIGINT\): [0-4] of 4 runs complete; run the same command again to resume$/);
    const hidden = drawn.lastIndexOf('\x1B[?25l');
    const noWrap = drawn.lastIndexOf('\x1B[?7l');
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(noWrap).toBeGreaterThanOrEqual(0);
    expect(drawn.lastIndexOf('\x1B[?25h')).toBeGreaterThan(hidden);
    expect(drawn.lastIndexOf('\x1B[?7h')).toBeGreaterThan(noWrap);
  });
});

const built = join(root, 'dist', 'src', 'cli', 'main.js');

describe.skipIf(!existsSync(built))('the built levsim interrupted by a real SIGINT', () => {
  it('should exit 130 after the first run, keep the complete runs and no half-written one, and resume from them', async () => {
    const file = sweepFile('10m');
    const out = join(scratch, 'spawned');
    const child = spawn(process.execPath, [built, 'sweep', file, '--out', out, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (!stderr.includes('[1/4]') && (stderr + chunk).includes('[1/4]')) child.kill('SIGINT');
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    const m = /levsim: interrupted \(SIGINT\): ([0-9]) of 4 runs complete; run the same command again to resume\n$/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const complete = Number(m![1]);
    expect(complete).toBeGreaterThanOrEqual(1);
    expect(complete).toBeLessThan(4);
    const runFolders = readdirSync(join(out, 'seeds')).filter((f) => /^[0-9a-f]{12}$/.test(f));
    expect(runFolders).toHaveLength(complete);
    expect(existsSync(join(out, 'seeds', 'runs.csv'))).toBe(false);

    // The same command again (here in this process) completes only the missing runs.
    const again = fakeIo(() => {});
    expect(await main(['sweep', file, '--out', out, '--workers', '1'], again.io)).toBe(0);
    expect(again.err[0]).toBe(`levsim: 4 runs (${complete} already complete) on in-process`);
    expect(again.out[0]).toBe(`sweep seeds: 4 runs: ${4 - complete} ran, ${complete} already complete, 0 failed`);
    // The run killed mid-write left a temporary folder under a dead pid: gone.
    expect(readdirSync(join(out, 'seeds')).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  }, 20_000);
});
