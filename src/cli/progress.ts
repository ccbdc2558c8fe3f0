/**
 * How a sweep reports its progress: a bar with ETA on a terminal, one line
 * per finished run otherwise, nothing with --quiet; stopped cleanly on
 * interrupt (cursor and line wrap restored).
 *
 * @module
 */

import { SingleBar } from 'cli-progress';
import type { RunEvent } from '../experiment/sweep/sweep.js';
import { fmt } from './headline.js';
import type { Io } from './io.js';

/** What the sweep command tells its progress display. */
export interface Progress {
  start(total: number, skipped: number, how: string): void;
  update(event: RunEvent): void;
  stop(): void;
}

/** A progress bar with ETA on a terminal; one line per finished run otherwise; nothing with --quiet. */
export function progressReporter(io: Io, quiet: boolean): Progress {
  let bar: SingleBar | null = null;
  let done = 0;
  let total = 0;
  let failed = 0;
  let stopped = false;
  return {
    start(n, skipped, how) {
      total = n;
      if (quiet) return;
      io.err(`levsim: ${n} runs (${skipped} already complete) on ${how}`);
      if (io.tty && !stopped) {
        bar = new SingleBar({ stream: io.stream ?? process.stderr, format: 'levsim |{bar}| {value}/{total} runs | {percentage}% | ETA {eta_formatted} | {failed} failed', hideCursor: true, etaBuffer: 16, clearOnComplete: false });
        bar.start(n, 0, { failed: 0 });
      }
    },
    update(event) {
      done++;
      if (event.kind === 'failed') failed++;
      if (quiet || stopped) return;
      if (bar !== null) {
        bar.update(done, { failed });
        return;
      }
      const v = event.variant;
      const what = event.kind === 'skipped' ? 'already complete' : event.kind === 'done' ? `done in ${event.wallSeconds.toFixed(1)} s (${fmt(event.events)} events)` : `FAILED: ${event.message}`;
      io.err(`levsim: [${done}/${total}] run ${v.index} ${v.runId} seed ${v.seed}: ${what}`);
    },
    stop() {
      // Restores the cursor and line wrapping; later updates print nothing.
      stopped = true;
      bar?.stop();
      bar = null;
    },
  };
}
