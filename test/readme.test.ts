/**
 * The README's worked example is a transcript: this test runs the flagship as
 * `npm start` does and checks the README's printed headline and the first rows
 * of the tables it shows against what the run really writes, so the front
 * door cannot drift from the code. Wall-clock figures (events per second,
 * seconds) are the only parts not compared. The story told under it is
 * checked at its key figures: when credit opens, that nothing is liquidated,
 * the largest gap between mid and fundamental, and the peak of leverage.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'levsim-readme-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The lines of the fenced block that starts with `$ <command>` (the command line excluded). */
function transcript(command: string): string[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(`$ ${command}`);
  if (start < 0) throw new Error(`README has no transcript of '$ ${command}'`);
  const end = lines.findIndex((l, i) => i > start && (l === '```' || l.startsWith('$ ')));
  return lines.slice(start + 1, end);
}

/** Blanks what depends on the machine: the throughput and wall time of a run. */
const machineFree = (line: string): string => line.replace(/\(\S+\/s, [\d.]+ s\)/, '(…/s, … s)');

function csvRows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const keys = (head as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}



describe('README worked example', () => {
  it('should print the headline and write the table rows the README shows', async () => {
    const out: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: () => undefined, tty: false };
    const code = await main(['run', join(root, 'experiments/leverage-cycle.yaml'), '--out', scratch], io);
    expect(code).toBe(0);

    const shown = transcript('npm start').filter((l) => !l.startsWith('levsim: running'));
    const printed = out.map((l) => l.replace(scratch, 'out'));
    expect(printed.map(machineFree)).toEqual(shown.map(machineFree));

    const runDir = /^report: out\/(.+)\/report\.html$/.exec(printed.at(-1) ?? '')?.[1];
    expect(runDir).toBeDefined();
    for (const table of ['sessions.csv']) {
      const shownRows = transcript(`head -3 out/${runDir}/${table}`);
      const written = readFileSync(join(scratch, runDir as string, table), 'utf8').split('\n').slice(0, 3);
      expect(written, table).toEqual(shownRows);
    }

    const story = readme.replace(/\s+/g, ' ');
    const series = csvRows(join(scratch, runDir as string, 'timeseries.csv')).filter((r) => r['mid'] !== '');
    // Nothing is liquidated in the five days.
    expect(csvRows(join(scratch, runDir as string, 'liquidations.csv'))).toEqual([]);
    expect(story).toContain('Not one loan is liquidated in the five days');
    // Credit from the first sample: the lenders start from a prior.
    const firstDebt = series.find((r) => Number(r['total_debt']) > 0);
    expect(Number(firstDebt?.['time_us'])).toBe(30e6);
    // The largest gap between the sampled mid and the fundamental, and the peaks of leverage.
    const gap = Math.max(...series.map((r) => Math.abs(Number(r['mid']) - Number(r['fundamental']))));
    expect(story).toContain(`never strays more than ${gap} ticks`);
    const peak = series.reduce((best, r) => (Number(r['aggregate_leverage']) > Number(best['aggregate_leverage']) ? r : best));
    const day = ['first', 'second', 'third', 'fourth', 'fifth'][Math.floor(Number(peak['time_us']) / 23_400e6)];
    expect(story).toContain(`aggregate leverage (every agent that may borrow) peaks at ${Number(peak['aggregate_leverage']).toFixed(2)} on the ${day} day`);
    // The cycle count against red noise, and the Adrian–Shin correlation, as summary.json has them.
    const summary = JSON.parse(readFileSync(join(scratch, runDir as string, 'summary.json'), 'utf8')) as { leverage: { cycles: number; cyclesNullMean: number; cyclesPValue: number; corrLeverageAssets: number; max: number } };
    const lev = summary.leverage;
    expect(story).toContain(`turns ${lev.cycles} times at a 10 % reversal, but red noise of the same persistence turns ${Math.round(lev.cyclesNullMean)} times on average (p-value ${lev.cyclesPValue} against 99 AR(1) surrogates)`);
    expect(story).toContain(`corr(Δ log leverage, Δ log assets) = ${lev.corrLeverageAssets.toFixed(2).replace('-', '−')}`);
    expect(story).toContain(`peaking at ${lev.max.toFixed(2)}`);
  }, 120_000);
});
