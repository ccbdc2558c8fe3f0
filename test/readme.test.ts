/**
 * The README's worked example is a transcript: `npm start` runs the
 * year-long flagship, which is too long for the suite, so `.ci/run` keeps
 * what `npm start` printed (LEVSIM_START_LOG) and this test checks the
 * README's printed headline and the first rows of the table it shows
 * against that very run's output, so the front door cannot drift from the
 * code. Wall-clock figures (events per second, seconds) are the only parts
 * not compared. The story told under it is checked at its key figures. Without
 * LEVSIM_START_LOG only the transcript's first line is checked against the
 * flagship's file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/experiment/config/load-config.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

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



const startLog = process.env['LEVSIM_START_LOG'];

describe('README worked example', () => {
  it('should announce the flagship as its file defines it', () => {
    const { config } = loadExperiment(join(root, 'experiments/leverage-cycle.yaml'));
    const agents = config.agents.reduce((n, g) => n + g.count, 0);
    const hours = config.horizonUs / 3_600e6;
    expect(transcript('npm start')[0]).toBe(`levsim: running ${config.name} (seed ${config.seed}, ${agents} agents, ${hours}h simulated)…`);
  });

  it.runIf(startLog !== undefined)('should print the headline and write the table rows the README shows, in the run npm start made', () => {
    const log = readFileSync(startLog as string, 'utf8').split('\n');
    const first = log.findIndex((l) => l.startsWith('leverage-cycle  run '));
    const last = log.findIndex((l) => l.startsWith('report: '));
    expect(first).toBeGreaterThanOrEqual(0);
    const printed = log.slice(first, last + 1);
    const shown = transcript('npm start').filter((l) => !l.startsWith('levsim: running'));
    expect(printed.map(machineFree)).toEqual(shown.map(machineFree));

    const runDir = /^report: (out\/.+)\/report\.html$/.exec(printed.at(-1) ?? '')?.[1];
    expect(runDir).toBeDefined();
    const run = join(root, runDir as string);
    for (const table of ['sessions.csv']) {
      const shownRows = transcript(`head -3 ${runDir}/${table}`);
      const written = readFileSync(join(run, table), 'utf8').split('\n').slice(0, 3);
      expect(written, table).toEqual(shownRows);
    }
    storyChecks(run);
  });
});

/** The worked example's story, at the figures it quotes, against the run's own tables. */
function storyChecks(run: string): void {
  const story = readme.replace(/\s+/g, ' ');
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as Summary;
  const { leverage: lev, liquidations, cascades, episodes, funds } = summary;
  const num = (x: number, digits: number) => x.toFixed(digits).replace('-', '−');
  expect(story).toContain(`averages ${num(lev.mean, 2)} and turns ${lev.cycles} times`);
  expect(story).toContain(`lasts ${num(lev.buildUpRatio, 1)} times its median collapse (${num(lev.medianBuildUpUs / 3_600e6, 1)} hours of trading against ${num(lev.medianCollapseUs / 3_600e6, 1)})`);
  expect(story).toContain(`(p-value ${lev.buildUpRatioPValue})`);
  expect(story).toContain(`assets) = ${num(lev.corrLeverageAssets, 2)}`);
  expect(story).toContain(`realised vol_t−1) = ${num(lev.corrWithLaggedVol, 2)}`);
  expect(story).toContain(`${liquidations.count.toLocaleString('en-US')} loans are liquidated over the year, ${liquidations.byTrigger.terms.toLocaleString('en-US')} of them after a change of terms`);
  const rows = csvRows(join(run, 'liquidations.csv'));
  expect(rows.length).toBe(liquidations.count);
  // The continuous session starts at the opening auction's uncrossing.
  const open = loadExperiment(join(root, 'experiments/leverage-cycle.yaml')).config.auctions?.openingUs ?? 0;
  const firstMinute = rows.filter((r) => Number(r['time_us']) % SESSION_US < open + 60e6).length / rows.length;
  expect(story).toContain(`${Math.round(100 * firstMinute)} % of them in the first minute after the opening auction`);
  const days = csvRows(join(run, 'sessions.csv')).filter((r) => Number(r['liquidations']) > 0).length;
  expect(story).toContain(`on ${days} of the 250 days`);
  expect(story).toContain(`The largest episode (${episodes.maxLiquidations} liquidations`);
  expect(story).toContain(`at most ${cascades.maxLiquidations} liquidations; ${num(100 * cascades.shareIn3Plus, 1)} %`);
  expect(story).toContain(`close ${funds.bankruptcies} times in the year at a tenth of their capital (${funds.reentries} refunds)`);
  expect(story).toContain(`excess kurtosis ${num(summary.facts.intervals['5m'].excessKurtosis, 2)}`);
  expect(story).toContain(`(daily kurtosis ${num(summary.facts.intervals['1d'].excessKurtosis, 2)};`);
}

/** One 6.5-hour session, µs. */
const SESSION_US = 23_400e6;

interface Summary {
  leverage: { mean: number; cycles: number; buildUpRatio: number; buildUpRatioPValue: number; medianBuildUpUs: number; medianCollapseUs: number; corrLeverageAssets: number; corrWithLaggedVol: number };
  liquidations: { count: number; byTrigger: { terms: number } };
  cascades: { maxLiquidations: number; shareIn3Plus: number };
  episodes: { maxLiquidations: number };
  funds: { bankruptcies: number; reentries: number };
  facts: { intervals: Record<string, { excessKurtosis: number }> };
}
