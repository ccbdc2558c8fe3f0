import { beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../src/report/run-report.js';
import type { ReportInput } from '../../src/report/report-input.js';
import { syntheticRun } from './_support/synthetic.js';

/** Everything in the page that could fetch something: URLs other than XML namespaces, scripts, links, imports. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  const withoutNamespaces = html.replace(/\sxmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
  for (const m of withoutNamespaces.matchAll(/https?:\/\/[^\s"'<>)]*/g)) found.push(m[0]);
  for (const m of html.matchAll(/<script\b|<link\b|<img\b|<iframe\b|\ssrc=|@import|url\((?!#)/gi)) found.push(m[0]);
  return found;
}

const count = (html: string, needle: string): number => html.split(needle).length - 1;

const TINY = { samples: 60, trades: 50, cascades: 15 };

/** The tiny fixture with return statistics in its summary for all but the |r| ACF beyond lag 1. */
function tinyRun(): ReportInput {
  const base = syntheticRun(TINY);
  return {
    ...base,
    summary: { ...base.summary, returns: { n: 59, std: 0.0123, skew: -1.5, excessKurtosis: 9.87, hillTailIndex: 2.9, acfLag1: 0.01, absAcf: [0.3] } },
  };
}

describe('renderRunReport', () => {
  let input: ReportInput;
  let html: string;
  beforeAll(async () => {
    input = tinyRun();
    html = await renderRunReport(input);
  });

  it('should be a self-contained document', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain('<style>');
  });

  it('should draw one inline SVG per chart', () => {
    expect(count(html, '<figure class="chart">')).toBe(8);
    expect(count(html, '<svg')).toBe(8);
    expect(count(html, '</svg>')).toBe(8);
    for (const title of ['Price and fundamental value', 'Leverage and volatility', 'Haircuts', 'Lender capital and debt', 'Day by day', 'Cascade sizes', 'Return distribution', 'Volatility clustering']) {
      expect(html).toContain(`<h3>${title}</h3>`);
    }
  });

  it('should give the same bytes for the same input, with ids unique in the page', async () => {
    const again = await renderRunReport(tinyRun());
    expect(again).toBe(html);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0); // the faceted price chart clips: the normalisation is exercised
  });

  it('should show the headline statistics beside the real-market facts', () => {
    for (const label of ['S&amp;P 500', 'DEM/GBP', 'DAX', 'SMI', 'CAC', 'FTSE', 'excess kurtosis', 'Hill α (5 %)', 'acf |r| (100)']) expect(html).toContain(label);
    expect(html).toContain('22.42'); // S&P 500 excess kurtosis
    expect(html).toContain('0.470 %'); // DEM/GBP sd, a percentage series
    expect(html).toContain('corr(leverage, lagged vol)');
    expect(html).toContain('−0.410');
    expect(html).toContain('123,456'); // events
  });

  it('should prefer the summary and mark statistics it had to compute', () => {
    expect(html).toContain('9.87');
    expect(html).toMatch(/acf \|r\| \(1\)<\/th><td class="sim">0\.300</); // from the summary, unmarked
    expect(html).toMatch(/acf \|r\| \(10\)<\/th><td class="sim"><span class="computed">[^<]+<sup>†<\/sup>/);
    expect(html).toContain('† not in summary.json');
  });

  it('should escape HTML in names, descriptions and invariant problems', async () => {
    const base = syntheticRun({ ...TINY, name: '<script>alert("x")</script> & co', description: 'a <b>bold</b> claim', instruments: ['<i>X&Y</i>'] });
    const out = await renderRunReport({ ...base, summary: { ...base.summary, invariants: { checks: 1, violations: 2, problems: ['cash <not> conserved'] } } });
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<b>bold</b>');
    expect(out).not.toContain('<i>X&Y</i>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(out).toContain('&lt;i&gt;X&amp;Y&lt;/i&gt;');
    expect(out).toContain('class="alert"');
    expect(out).toContain('cash &lt;not&gt; conserved');
    expect(html).not.toContain('class="alert"');
  });

  it('should handle empty tables and undefined statistics: a dash, never NaN', async () => {
    const base = syntheticRun({ ...TINY, cascades: 0 });
    const ts = base.timeseries;
    const mid = Array.from(ts.mid, (m, i) => (i % 7 === 3 ? Number.NaN : m));
    const out = await renderRunReport({
      ...base,
      trades: undefined,
      cascades: undefined,
      timeseries: { ...ts, mid },
      summary: {
        seed: 1,
        events: Number.NaN,
        returns: { n: 0, std: Number.NaN, skew: null, excessKurtosis: Number.NaN, hillTailIndex: null, acfLag1: Number.NaN, absAcf: [null, Number.NaN] },
        leverage: { mean: Number.NaN, max: null, cycles: 0, meanCyclePeriodUs: Number.NaN, corrWithLaggedVol: null },
        cascades: { count: 0, maxLiquidations: 0, maxNotional: 0, powerLaw: null },
        invariants: { checks: 0, violations: Number.NaN },
      },
    });
    expect(count(out, '<figure class="chart">')).toBe(8);
    expect(count(out, '<svg')).toBe(7);
    expect(out).toContain('0 cascades: too few for a size distribution');
    expect(out).not.toContain('Largest cascades');
    expect(out).not.toMatch(/NaN|undefined|null|Infinity/);
    expect(out).toContain('—');
    expect(externalReferences(out)).toEqual([]);
  });

  it('should render an empty time series with notes instead of charts', async () => {
    const empty = { timeUs: [], instrument: [], mid: [], last: [], bid: [], ask: [], bidDepth: [], askDepth: [], volume: [], fundamental: [], realizedVol: [], aggregateLeverage: [], leveredLeverage: [], leveredAssets: [], debtToEquity: [], meanHaircut: [], totalDebt: [], lenderEquity: [] };
    const out = await renderRunReport({ name: 'empty', summary: {}, timeseries: empty });
    expect(count(out, '<svg')).toBe(0);
    expect(count(out, '<p class="note">')).toBe(8);
    expect(out).not.toMatch(/NaN|undefined|Infinity/);
  });
});
