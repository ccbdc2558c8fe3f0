import { describe, expect, it } from 'vitest';
import { dailyChart } from '../../src/report/daily-chart.js';
import type { ReportSessionTable } from '../../src/report/report-input.js';

const DAY = 23_400_000_000;

/** Three trading days of one instrument; nobody owes on day 0. */
function sessions(): ReportSessionTable {
  return {
    day: [0, 1, 2],
    instrument: ['ABC', 'ABC', 'ABC'],
    startUs: [0, DAY, 2 * DAY],
    endUs: [DAY, 2 * DAY, 3 * DAY],
    closeMid: [10_000, 10_100, 9_800],
    leveredLeverage: [Number.NaN, 3.5, 2.1],
    meanHaircut: [0.1, 0.1, 0.2],
    totalDebt: [0, 5e9, 2e9],
    liquidations: [0, 0, 4],
  };
}

type Layer = { data: { values: Record<string, number>[] }; mark: { type: string } };
type Panel = { layer: Layer[] };

function panelsOf(plan: ReturnType<typeof dailyChart>): Panel[] {
  if (!('spec' in plan)) throw new Error(`expected a chart, got the note: ${plan.note}`);
  return (plan.spec as unknown as { vconcat: Panel[] }).vconcat;
}

describe('dailyChart', () => {
  it('should plot each close at the end of its day, leave out days nobody owed, and bar only days with liquidations', () => {
    const panels = panelsOf(dailyChart(sessions(), { startUs: [], endUs: [] }));
    expect(panels).toHaveLength(5);
    const values = (p: Panel) => p.layer[p.layer.length - 1]!.data.values;
    expect(values(panels[0]!)).toEqual([{ t: 1, v: 10_000 }, { t: 2, v: 10_100 }, { t: 3, v: 9_800 }]);
    expect(values(panels[1]!)).toEqual([{ t: 2, v: 3.5 }, { t: 3, v: 2.1 }]);
    expect(values(panels[4]!)).toEqual([{ t: 2.1, t2: 2.9, v: 4 }]);
    // No episodes: no shaded layer.
    expect(panels.every((p) => p.layer.length === 1)).toBe(true);
  });

  it('should shade each episode across every panel at its place in the trading day, at least a sliver wide', () => {
    const quarter = DAY / 4;
    const episodes = { startUs: [2 * DAY + quarter, DAY + 2 * quarter], endUs: [2 * DAY + 3 * quarter, DAY + 2 * quarter] };
    const plan = dailyChart(sessions(), episodes);
    for (const p of panelsOf(plan)) {
      expect(p.layer[0]!.mark.type).toBe('rect');
      expect(p.layer[0]!.data.values).toEqual([{ t: 2.25, t2: 2.75 }, { t: 1.5, t2: 1.58 }]);
    }
    expect('caption' in plan && plan.caption).toContain('the 2 liquidation episodes of episodes.csv');
  });

  it('should give a note instead of a chart for a run of one session or without a sessions table', () => {
    const one: ReportSessionTable = { ...sessions(), day: [0], instrument: ['ABC'], startUs: [0], endUs: [DAY] };
    expect(dailyChart(one, null)).toEqual({ note: expect.stringMatching(/^One trading session/) });
    expect(dailyChart(null, null)).toEqual({ note: 'No sessions table.' });
  });
});
