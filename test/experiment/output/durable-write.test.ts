import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomically, writeFolderAtomically } from '../../../src/experiment/output/durable-write.js';

/** Every fsync (by path) and rename, in order. */
const log: string[] = [];
const paths = new Map<number, string>();

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    openSync: (path: fs.PathLike, ...rest: unknown[]) => {
      const fd = (real.openSync as (...a: unknown[]) => number)(path, ...rest);
      paths.set(fd, String(path));
      return fd;
    },
    fsyncSync: (fd: number) => {
      log.push(`fsync ${paths.get(fd)}`);
      real.fsyncSync(fd);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      log.push(`rename ${String(from)} -> ${String(to)}`);
      real.renameSync(from, to);
    },
  };
});

const scratch = mkdtempSync(join(tmpdir(), 'levsim-durable-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => {
  log.length = 0;
});

describe('publishing by rename', () => {
  it('should fsync every file of a folder and the folder before the rename, and the parent after it', async () => {
    const target = join(scratch, 'run');
    let tmp = '';
    await writeFolderAtomically(target, false, (dir) => {
      tmp = dir;
      writeFileSync(join(dir, 'a.csv'), 'a');
      fs.mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'b.json'), 'b');
      writeFileSync(join(dir, 'summary.json'), '{}');
    });
    const rename = log.indexOf(`rename ${tmp} -> ${target}`);
    expect(rename).toBeGreaterThan(0);
    const before = log.slice(0, rename);
    for (const f of [join(tmp, 'a.csv'), join(tmp, 'sub', 'b.json'), join(tmp, 'sub'), join(tmp, 'summary.json'), tmp]) expect(before, f).toContain(`fsync ${f}`);
    expect(log.slice(rename + 1)).toContain(`fsync ${scratch}`);
    expect(readFileSync(join(target, 'sub', 'b.json'), 'utf8')).toBe('b');
  });

  it('should fsync a file written atomically before renaming it, and its folder after', () => {
    const path = join(scratch, 'runs.csv');
    writeFileAtomically(path, 'x,y\n');
    const rename = log.findIndex((l) => l.startsWith('rename ') && l.endsWith(`-> ${path}`));
    expect(rename).toBeGreaterThan(0);
    const tmp = log[rename]!.slice('rename '.length, log[rename]!.indexOf(' -> '));
    expect(log.slice(0, rename)).toContain(`fsync ${tmp}`);
    expect(log.slice(rename + 1)).toContain(`fsync ${scratch}`);
    expect(readFileSync(path, 'utf8')).toBe('x,y\n');
  });
});
