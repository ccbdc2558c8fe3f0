/**
 * Durable, atomic writes: a folder is filled under `.tmp-<name>-<pid>-<thread>`
 * beside its final place, its files and itself are fsynced, and it is renamed
 * when complete, so a folder that exists is complete (and `summary.json` in it
 * says so), even after a power cut. Temporary folders left by a process that
 * died are removed by the next attempt at the same folder. Single files go
 * the same way (temporary name, fsync, rename).
 *
 * @module
 */

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { OutputError, errorCode, isFsError } from './output-error.js';

/** True when `dir` is a complete run folder (its summary.json, written last, is there). */
export function isCompleteRun(dir: string): boolean {
  return existsSync(join(dir, 'summary.json')) && existsSync(join(dir, 'config.yaml'));
}

/** The temporary name of a folder being written by this process and thread. */
export function tempNameOf(finalDir: string): string {
  return join(dirname(finalDir), `.tmp-${basename(finalDir)}-${process.pid}-${threadId}`);
}

/**
 * Removes the temporary folders (see {@link tempNameOf}, and their `-old`
 * companions) of the folders `names` in `parentDir` that were left by
 * processes that are gone (a crash, a kill) or by this process. Temporary
 * folders of other live processes are kept: they may be writing right now.
 * One directory listing for any number of names (a sweep's runs).
 */
export function removeStaleTemps(parentDir: string, names: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(parentDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = /^\.tmp-(.+)-([0-9]+)-[0-9]+(?:-old)?$/.exec(entry);
    if (m === null || !names.has(m[1] as string)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || !isAlive(pid)) rmSync(join(parentDir, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Fills a folder under a temporary name, then renames it into place. On a
 * thrown error the temporary folder is removed and nothing appears at `finalDir`.
 *
 * @param replace replace a folder already at `finalDir`; otherwise keep it
 * @returns false when `finalDir` existed and was kept
 */
export async function writeFolderAtomically(finalDir: string, replace: boolean, fill: (dir: string) => Promise<void> | void): Promise<boolean> {
  const tmp = tempNameOf(finalDir);
  try {
    makeDirs(dirname(finalDir));
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
  } catch (e) {
    throw new OutputError(dirname(finalDir), `cannot write here (${errorCode(e)})`);
  }
  try {
    await fill(tmp);
    syncFolder(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (isFsError(e)) throw new OutputError(finalDir, `cannot write (${errorCode(e)})`);
    throw e;
  }
  if (existsSync(finalDir)) {
    if (!replace && isCompleteRun(finalDir)) {
      rmSync(tmp, { recursive: true, force: true });
      return false;
    }
    const old = `${tmp}-old`;
    renameSync(finalDir, old);
    renameSync(tmp, finalDir);
    syncDir(dirname(finalDir));
    rmSync(old, { recursive: true, force: true });
    return true;
  }
  try {
    renameSync(tmp, finalDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process finished the same run first: its folder is as good as ours.
    if (isCompleteRun(finalDir)) return false;
    throw new OutputError(finalDir, `cannot rename into place (${errorCode(e)})`);
  }
  syncDir(dirname(finalDir));
  return true;
}

/**
 * Flushes a folder's files (recursively) and the folder itself to disk, so
 * that the rename publishing it cannot reach the disk before its contents
 * (without it, a power cut can leave a published folder of empty files).
 */
function syncFolder(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) syncFolder(path);
    else if (entry.isFile()) syncFile(path);
  }
  syncDir(dir);
}

function syncFile(path: string): void {
  // Read-write: Windows flushes only handles opened for writing.
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory's entries (a rename into it); a no-op where directories cannot be opened (Windows). */
function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; the rename is as durable as they make it.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    closeSync(fd);
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir can spin forever on
 * some paths (under /proc), where a plain mkdir fails at once.
 *
 * @throws the file-system error of the first level that cannot be made
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    if (existsSync(at)) {
      if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR', syscall: 'mkdir' });
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Writes a file atomically (temporary name, flushed to disk, then rename). */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.tmp-${basename(path)}-${process.pid}-${threadId}`);
  try {
    makeDirs(dirname(path));
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OutputError(path, `cannot write (${errorCode(e)})`);
  }
}
