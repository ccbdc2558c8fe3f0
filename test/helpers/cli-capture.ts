/**
 * Runs the levsim command in-process and captures what it prints, line by
 * line, with its exit code (no terminal: no progress bar).
 */
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** What one command printed and returned. */
export interface CliResult {
  code: number;
  out: string[];
  err: string[];
}

export async function cli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), tty: false };
  const code = await main(argv, io);
  return { code, out, err };
}
