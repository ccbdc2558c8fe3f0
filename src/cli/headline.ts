/**
 * The headline a run prints: its statistics as a short aligned table, numbers
 * written for people.
 *
 * @module
 */

import type { RunResult } from '../experiment/run/run.js';
import type { Io } from './io.js';

/** Prints a run's headline statistics. */
export function printHeadline(result: RunResult, runId: string, io: Io): void {
  const s = result.summary;
  const t = result.timing;
  const r = s.returns;
  const rows: [string, string][] = [
    ['events', `${fmt(s.events)}  (${fmt(Math.round(t.eventsPerSecond))}/s, ${t.wallSeconds.toFixed(1)} s)`],
    ['trades', `${fmt(s.trades)}  (volume ${fmt(s.volume)} lots)`],
    ['return sd', fmt(r.std)],
    ['excess kurtosis', fmt(r.excessKurtosis)],
    ['Hill tail index', fmt(r.hillTailIndex)],
    ['acf |r| lag 1', fmt(r.absAcf[0] ?? Number.NaN)],
    ['leverage mean/max', `${fmt(s.leverage.mean)} / ${fmt(s.leverage.max)}  (${fmt(s.leverage.cycles)} cycles)`],
    ['cascades', `${fmt(s.cascades.count)}  (largest ${fmt(s.cascades.maxLiquidations)} liquidations)`],
    ['defaults', `${fmt(s.defaults.borrowers)} borrowers, ${fmt(s.defaults.lenders)} lenders`],
    ['bad debt', fmt(s.badDebt)],
    ['invariants', `${fmt(s.invariants.checks)} checks, ${fmt(s.invariants.violations)} violations`],
  ];
  io.out(`${result.config.name}  run ${runId}  seed ${result.config.seed}`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) io.out(`  ${k.padEnd(width)}  ${v}`);
}

/** Numbers for people: integers with separators, others with 4 significant digits, NaN as '—'. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '—' : x > 0 ? '∞' : '-∞';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}
