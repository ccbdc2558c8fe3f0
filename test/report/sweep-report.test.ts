import { describe, expect, it } from 'vitest';
import { renderSweepReport, type SweepReportInput } from '../../src/report/sweep-report.js';
import { cellNumber, groupMeanSd, statisticColumns, type SweepRow } from '../../src/report/sweep-groups.js';

/** Two parameters (a: 2 values, b: 2 values) × 3 seeds; kurtosis depends on a, cycles on b, n is constant. */
function runs(): SweepRow[] {
  const out: SweepRow[] = [];
  let id = 0;
  const kurt: Record<string, number[]> = { '1': [1, 2, 3], '10': [2, 4, Number.NaN] };
  for (const a of [10, 1]) {
    for (const b of ['fixed', 'vol']) {
      for (const seed of [1, 2, 3]) {
        out.push({
          run_id: id++,
          seed,
          a,
          b,
          'returns.excessKurtosis': (kurt[String(a)] as number[])[seed - 1],
          'leverage.cycles': b === 'fixed' ? seed : 10 + seed,
          'returns.n': 399,
        });
      }
    }
  }
  return out;
}

describe('groupMeanSd', () => {
  it('should compute mean ± sample sd across seeds on a hand example', () => {
    const rows: SweepRow[] = [
      { a: 1, seed: 1, x: 1 },
      { a: 1, seed: 2, x: 2 },
      { a: 1, seed: 3, x: 3 },
      { a: 2, seed: 1, x: 2 },
      { a: 2, seed: 2, x: 4 },
      { a: 2, seed: 3, x: Number.NaN },
      { a: 10, seed: 1, x: 5 },
    ];
    const g = groupMeanSd(rows, ['a'], 'x');
    expect(g.map((s) => s.key)).toEqual([[1], [2], [10]]); // numeric order, not "1" < "10" < "2"
    expect(g[0]).toMatchObject({ runs: 3, n: 3, mean: 2, sd: 1 });
    expect(g[1]).toMatchObject({ runs: 3, n: 2, mean: 3 });
    expect(g[1]!.sd).toBeCloseTo(Math.SQRT2, 12); // sd of {2, 4} with n − 1
    expect(g[2]).toMatchObject({ runs: 1, n: 1, mean: 5 });
    expect(g[2]!.sd).toBeNaN();
  });

  it('should group text read back from CSV with the numbers it spells', () => {
    const rows: SweepRow[] = [
      { a: '0.5', x: '1' },
      { a: 0.5, x: 3 },
      { a: 'fixed', x: '' },
      { a: 'fixed', x: 'NaN' },
    ];
    const g = groupMeanSd(rows, ['a'], 'x');
    expect(g).toEqual([
      { key: [0.5], runs: 2, n: 2, mean: 2, sd: Math.SQRT2 },
      { key: ['fixed'], runs: 2, n: 0, mean: Number.NaN, sd: Number.NaN },
    ]);
  });

  it('should group by several parameters in lexicographic order of values', () => {
    const g = groupMeanSd(runs(), ['a', 'b'], 'leverage.cycles');
    expect(g.map((s) => s.key)).toEqual([[1, 'fixed'], [1, 'vol'], [10, 'fixed'], [10, 'vol']]);
    expect(g.map((s) => s.mean)).toEqual([2, 12, 2, 12]);
    expect(g.every((s) => s.sd === 1)).toBe(true);
  });
});

describe('statisticColumns', () => {
  it('should take every numeric column but ids and parameters, in column order', () => {
    expect(statisticColumns(runs(), ['a', 'b'])).toEqual(['returns.excessKurtosis', 'leverage.cycles', 'returns.n']);
    expect(statisticColumns([{ run_id: 1, seed: 2, note: 'text', v: null }, { v: '3' }], [])).toEqual(['v']);
    // The runs table's own identifier columns are never statistics.
    expect(statisticColumns([{ run_index: 0, run_id: 'ab12', seed: 2, v: 1 }], [])).toEqual(['v']);
  });

  it('should read numbers from CSV text', () => {
    expect(cellNumber('1e-3')).toBe(0.001);
    expect(cellNumber(' -2 ')).toBe(-2);
    expect(cellNumber('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(cellNumber('')).toBeNaN();
    expect(cellNumber('fixed')).toBeNaN();
    expect(cellNumber(null)).toBeNaN();
    expect(cellNumber(true)).toBeNaN();
  });
});

describe('renderSweepReport', () => {
  const input: SweepReportInput = { name: 'haircut <sweep> & seeds', description: 'a × b', parameters: ['a', 'b'], runs: runs() };

  it('should chart each varying statistic against each parameter, grouped by parameter, deterministically', async () => {
    const html = await renderSweepReport(input);
    const sections = [...html.matchAll(/<h2>Against <code>([^<]+)<\/code><\/h2>/g)].map((m) => m[1]);
    expect(sections).toEqual(['a', 'b']);
    // 2 parameters × 2 varying statistics; returns.n is constant and only listed.
    expect(html.split('<svg').length - 1).toBe(4);
    expect(html).toContain('<h3>returns.excessKurtosis vs a</h3>');
    expect(html).toContain('<h3>leverage.cycles vs b</h3>');
    expect(html).toMatch(/Not plotted[^<]*<code>returns\.n<\/code>/);
    // Means table: a = 1, b = fixed → kurtosis {1, 2, 3}: 2 ± 1; a = 10 → {2, 4} (NaN left out): 3 ± 1.41.
    expect(html).toMatch(/<th scope="row" class="text">1<\/th><td class="text">fixed<\/td><td>3<\/td><td>2 ± 1<\/td><td>2 ± 1<\/td><td>399 ± 0<\/td>/);
    expect(html).toMatch(/<th scope="row" class="text">10<\/th><td class="text">vol<\/td><td>3<\/td><td>3 ± 1.41<\/td><td>12 ± 1<\/td>/);
    expect(html).toContain('haircut &lt;sweep&gt; &amp; seeds');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/)/);
    expect(await renderSweepReport(input)).toBe(html);
  });

  it('should handle an empty runs table', async () => {
    const html = await renderSweepReport({ name: 'empty', parameters: ['a'], runs: [] });
    expect(html).toContain('No runs.');
    expect(html).not.toContain('<svg');
  });
});
