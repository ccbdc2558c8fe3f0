/**
 * V8 heap tuning of the levsim process.
 *
 * A simulation allocates fast (hundreds of MB of short-lived messages, orders
 * and events per simulated day) while its live heap stays small (tens of
 * MB). Some of that garbage is old enough to be promoted before it dies
 * (orders resting a while, then cancelled), and V8, seeing its collections
 * cost nothing next to the work done, lets the old generation grow to about
 * four times the live heap before it collects again: measured on the flagship
 * (one trading day), two full collections in the whole run, old space at
 * 90 MB for 19 MB live. Capping V8's growing factor at 1.2 makes it collect
 * sooner — a full collection of this heap takes a few milliseconds — so the
 * process's resident memory follows the live heap instead (flagship day,
 * `levsim run`: peak RSS at the end of the simulation 229 → 176 MB, wall
 * time unchanged within noise; 30 % gave 180 MB, 50 % 235 MB peak overall).
 *
 * The flag is process-wide and read at every collection, so setting it at
 * start-up covers the main thread and the sweep's worker threads alike.
 * What a run computes does not depend on when V8 collects.
 *
 * @module
 */

import { setFlagsFromString } from 'node:v8';

/** Old-generation growth allowed after a full collection, percent of the live heap. */
export const HEAP_GROWING_PERCENT = 20;

/** Applies {@link HEAP_GROWING_PERCENT} to this process (once, before any run). */
export function tuneHeap(percent: number = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
