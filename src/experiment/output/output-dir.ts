/** Checking an output folder before the work that fills it. @module */

import { accessSync, constants, statSync } from 'node:fs';
import { OutputError } from './output-error.js';
import { makeDirs } from './durable-write.js';

/**
 * Creates the folder if needed and checks that it can be written, before
 * hours of simulation (or a search) that would end by failing to write there.
 *
 * @throws OutputError saying why not (a file in the way, permissions, …)
 */
export function ensureWritableDir(dir: string): void {
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'not a directory' : code === 'EROFS' ? 'read-only file system' : code === 'ENOENT' ? 'it cannot be created there' : (code ?? (e as Error).message);
    throw new OutputError(dir, `cannot write the output folder (${why})`);
  }
}
