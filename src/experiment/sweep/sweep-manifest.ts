/**
 * The stamp of a sweep's runs table: `sweep.json` beside `runs.csv`, and
 * `sweep.shard-i-of-N.json` beside a shard's `runs.shard-i-of-N.csv`. It says
 * which sweep the table belongs to (its id: a hash of every run's id, so of
 * every resolved config and seed, in run-index order), how many runs the
 * whole sweep has, which shard the table holds, and how the sweep was asked
 * for (name, seeds, swept paths, `--set` flags). `levsim merge` reads it to
 * refuse tables of different sweeps, say what differs, and list missing runs.
 *
 * The id is also a column of the table (`sweep_id`), so a table and its
 * stamp cannot be paired by mistake (an interrupted write, a copied file).
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../output/output-error.js';
import { summaryJson } from '../output/run-folder.js';
import { writeFileAtomically } from '../output/durable-write.js';

/** The `format` of the manifests this version writes and reads. */
export const MANIFEST_FORMAT = 'levsim-sweep/1';

/** A shard of a sweep, as stamped: 0 ≤ index < count. */
export interface ShardStamp {
  readonly index: number;
  readonly count: number;
}

/** The content of `sweep.json` (key order as written). */
export interface SweepManifest {
  readonly format: string;
  /** The experiment's name. */
  readonly name: string;
  /** {@link sweepIdOf} the sweep's runs. */
  readonly sweepId: string;
  /** Runs in the whole sweep (every shard). */
  readonly runs: number;
  /** The shard this table holds; null for a whole sweep or a merge. */
  readonly shard: ShardStamp | null;
  /** Rows in this table (runs complete when it was written). */
  readonly rows: number;
  /** The sweep's seeds, in order. */
  readonly seeds: readonly number[];
  /** The swept paths, as written in the file (columns of the table). */
  readonly swept: readonly string[];
  /** The `--set` flags the sweep was run with, as given. */
  readonly overrides: readonly string[];
}

/** A sweep's id: the first 16 hex digits of the SHA-256 of its run ids in run-index order. */
export function sweepIdOf(runIds: readonly string[]): string {
  return createHash('sha256').update(runIds.join('\n')).digest('hex').slice(0, 16);
}

/** The manifest beside a runs table: `runs.csv` → `sweep.json`, `runs.shard-1-of-4.csv` → `sweep.shard-1-of-4.json`. */
export function manifestPathOf(tablePath: string): string {
  return join(dirname(tablePath), basename(tablePath).replace(/^runs((?:\.shard-[0-9]+-of-[0-9]+)?)\.csv$/, 'sweep$1.json'));
}

/** Writes the manifest of a runs table (atomically). */
export function writeManifest(tablePath: string, manifest: SweepManifest): string {
  const path = manifestPathOf(tablePath);
  writeFileAtomically(path, summaryJson(manifest));
  return path;
}

/**
 * Reads the manifest of a runs table.
 *
 * @throws OutputError when it is absent (a table of an older levsim) or not a manifest
 */
export function readManifest(tablePath: string): SweepManifest {
  const path = manifestPathOf(tablePath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new OutputError(tablePath, `has no sweep stamp (${basename(path)}): written by an older levsim? Run 'levsim sweep' again with the same options to stamp it (complete runs are not recomputed)`);
  }
  let m: Partial<SweepManifest>;
  try {
    m = JSON.parse(text) as Partial<SweepManifest>;
  } catch {
    throw new OutputError(path, 'not a levsim sweep stamp (not JSON)');
  }
  const ints = (xs: unknown) => Array.isArray(xs) && xs.every((x) => Number.isSafeInteger(x));
  const strings = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === 'string');
  const shardOk = m.shard === null || (typeof m.shard === 'object' && m.shard !== undefined && Number.isSafeInteger(m.shard.index) && Number.isSafeInteger(m.shard.count));
  if (m === null || typeof m !== 'object' || m.format !== MANIFEST_FORMAT || typeof m.name !== 'string' || typeof m.sweepId !== 'string' || !Number.isSafeInteger(m.runs) || !Number.isSafeInteger(m.rows) || !shardOk || !ints(m.seeds) || !strings(m.swept) || !strings(m.overrides)) {
    throw new OutputError(path, `not a levsim sweep stamp (expected format ${MANIFEST_FORMAT})`);
  }
  return m as SweepManifest;
}

/**
 * What differs between the stamps of two different sweeps, in words (for
 * the refusal of `levsim merge`).
 */
export function manifestDifferences(a: SweepManifest, b: SweepManifest): string[] {
  const out: string[] = [];
  if (a.name !== b.name) out.push(`name (${a.name} vs ${b.name})`);
  if (a.runs !== b.runs) out.push(`run count (${a.runs} vs ${b.runs})`);
  if (a.seeds.join() !== b.seeds.join()) out.push(`seeds (${seedList(a.seeds)} vs ${seedList(b.seeds)})`);
  if (a.swept.join('\n') !== b.swept.join('\n')) out.push(`swept parameters (${a.swept.join(', ') || 'none'} vs ${b.swept.join(', ') || 'none'})`);
  if (a.overrides.join('\n') !== b.overrides.join('\n')) out.push(`--set flags (${a.overrides.join(' ') || 'none'} vs ${b.overrides.join(' ') || 'none'})`);
  if (out.length === 0) out.push('their runs: the experiment file, its swept values or the levsim version changed between them');
  return out;
}

/** A seed list for people: `1..20` for a run of consecutive seeds, else the first few. */
function seedList(seeds: readonly number[]): string {
  if (seeds.length > 2 && seeds.every((s, i) => s === seeds[0] + i)) return `${seeds[0]}..${seeds[seeds.length - 1]}`;
  return seeds.length <= 6 ? seeds.join(', ') : `${seeds.slice(0, 5).join(', ')}, … (${seeds.length})`;
}
