/**
 * Where the levsim command writes and how it ends: its output lines, its
 * exit codes, and the error that is the user's (an option, a folder).
 *
 * @module
 */

import type { SignalSource } from './interrupt.js';

/** Exit code of user errors (experiment file, options). */
export const EXIT_USAGE = 2;
/** Exit code of runtime failures. */
export const EXIT_FAILURE = 1;

/** Where the command writes; injectable for tests. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal (progress bar). */
  readonly tty: boolean;
  /** Where the progress bar draws (default: stderr). */
  readonly stream?: NodeJS.WritableStream;
  /** Where SIGINT and SIGTERM arrive (default: the process). */
  readonly signals?: SignalSource;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY === true,
};

/** A user error that is not about the experiment file (an option, a folder). */
export class UsageError extends Error {}
