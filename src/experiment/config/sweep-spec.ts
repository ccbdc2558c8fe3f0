/**
 * The sweep section of an experiment file (`sweep`, `seeds`), resolved:
 * grid and zip axes, random dimensions, seeds, and the checks that span them
 * (equal zip lengths, no path swept twice, the run total).
 *
 * @module
 */

import type { AddIssue } from './config-issues.js';
import { MAX_RUNS, type ExperimentDocument } from './document-shape.js';

/** One swept parameter: a config path and its values. */
export interface SweepAxis {
  /** The path as written (a key of `grid`, `zip` or `space`). */
  readonly path: string;
  readonly values: readonly unknown[];
}

/** A random dimension: a range (uniform, or log-uniform with `log`) or a list of choices. */
export interface RandomDimension {
  readonly path: string;
  readonly range: { min: number; max: number; integer: boolean; log: boolean } | null;
  readonly choices: readonly unknown[] | null;
}

/** The sweep of an experiment file; empty axes when the file has none. */
export interface SweepSpec {
  readonly grid: readonly SweepAxis[];
  readonly zip: readonly SweepAxis[];
  readonly random: { readonly n: number; readonly seed: number | null; readonly space: readonly RandomDimension[] } | null;
  /** `seeds: N` → N seeds from the base seed up; a list → those seeds; null → the base seed only. */
  readonly seeds: { readonly count: number } | { readonly list: readonly number[] } | null;
}

/** True when a sweep asks for more than the base run (any axis, or seeds). */
export function hasSweep(sweep: SweepSpec): boolean {
  return sweep.grid.length + sweep.zip.length > 0 || sweep.random !== null || sweep.seeds !== null;
}
/** The sweep of a checked document; problems go to `add`. */
export function sweepOf(doc: ExperimentDocument, add: AddIssue): SweepSpec {
  const s = doc.sweep;
  const axes = (rec: Record<string, unknown[]> | undefined): SweepAxis[] => Object.entries(rec ?? {}).map(([path, values]) => ({ path, values }));
  const grid = axes(s?.grid);
  const zip = axes(s?.zip);
  const lengths = new Set(zip.map((a) => a.values.length));
  if (lengths.size > 1) add(['sweep', 'zip'], `the lists of 'zip' must have one length; got ${zip.map((a) => `${a.path}: ${a.values.length}`).join(', ')}`);
  let random: SweepSpec['random'] = null;
  if (s?.random !== undefined) {
    const space: RandomDimension[] = [];
    for (const [path, dim] of Object.entries(s.random.space)) {
      if (Array.isArray(dim)) {
        space.push({ path, range: null, choices: dim });
        continue;
      }
      const range = { min: dim.min, max: dim.max, integer: dim.integer ?? false, log: dim.log ?? false };
      if (range.min > range.max) add(['sweep', 'random', 'space', path, 'min'], `min (${range.min}) is above max (${range.max})`);
      if (range.log && range.min <= 0) add(['sweep', 'random', 'space', path, 'min'], 'a log range needs min > 0');
      space.push({ path, range, choices: null });
    }
    if (space.length === 0) add(['sweep', 'random', 'space'], 'needs at least one parameter');
    random = { n: s.random.n, seed: s.random.seed ?? null, space };
  }
  const swept = [...grid.map((a) => ['grid', a.path]), ...zip.map((a) => ['zip', a.path]), ...(random?.space.map((d) => ['random', d.path]) ?? [])];
  swept.forEach(([where, path], i) => {
    const first = swept.findIndex((e) => e[1] === path);
    if (first !== i) add(where === 'random' ? ['sweep', 'random', 'space', path as string] : ['sweep', where as string, path as string], `'${path}' is swept twice (also in ${swept[first]![0]})`, true);
  });
  const seeds: SweepSpec['seeds'] = doc.seeds === undefined ? null : typeof doc.seeds === 'number' ? { count: doc.seeds } : { list: doc.seeds };
  if (seeds !== null && 'list' in seeds && new Set(seeds.list).size !== seeds.list.length) add(['seeds'], 'seeds must be distinct');
  const points = grid.reduce((n, a) => n * a.values.length, 1) * (zip[0]?.values.length ?? 1) * (random?.n ?? 1);
  const runs = points * (seeds === null ? 1 : 'count' in seeds ? seeds.count : seeds.list.length);
  if (runs > MAX_RUNS) add(['sweep'], `${runs.toLocaleString('en-US')} runs exceed the limit of ${MAX_RUNS.toLocaleString('en-US')}`);
  return { grid, zip, random, seeds };
}
