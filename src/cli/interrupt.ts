/**
 * Ctrl-C (SIGINT) and `kill` (SIGTERM) during a long command. The first
 * signal aborts an AbortSignal the command watches: it stops its work,
 * restores the terminal, says how far it got and exits with 128 + the
 * signal's number (130, 143), as a shell reports a process killed by it.
 * The handlers are then removed, so a second signal ends the process at once.
 *
 * Only asynchronous work can be stopped this way: a signal is handled on
 * this thread's event loop, which a simulation running in it holds until
 * the run ends. Commands simulating in this thread (`run`, `fuzz`) keep
 * Node's default (the process ends at once); their outputs are published by
 * an atomic rename, so nothing half-written is left looking complete.
 *
 * @module
 */

import { constants } from 'node:os';

/** The signals a command stops on. */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Where signals arrive: the process, or a fake in tests. */
export interface SignalSource {
  on(event: (typeof SIGNALS)[number], listener: () => void): unknown;
  removeListener(event: (typeof SIGNALS)[number], listener: () => void): unknown;
}

/** The signals caught for one command. */
export interface Interruption {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, or null. */
  received(): 'SIGINT' | 'SIGTERM' | null;
  /** 128 + the number of the signal received: 130 after SIGINT, 143 after SIGTERM. */
  exitCode(): number;
  /** Removes the handlers (when the command is done). */
  dispose(): void;
}

/** Catches SIGINT and SIGTERM until {@link Interruption.dispose}. */
export function catchInterrupts(source: SignalSource = process): Interruption {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | null = null;
  const listeners = SIGNALS.map((name) => {
    const listener = () => {
      received ??= name;
      dispose();
      controller.abort();
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const [name, listener] of listeners) source.removeListener(name, listener);
  };
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: () => 128 + (received === null ? 0 : constants.signals[received]),
    dispose,
  };
}
