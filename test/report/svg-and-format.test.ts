import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from '../../src/report/downsample.js';
import { formatDuration, formatInteger, formatNumber, timeUnitFor } from '../../src/report/format.js';
import { escapeHtml } from '../../src/report/html.js';
import type { TopLevelSpec } from 'vega-lite';
import { normaliseSvgIds, renderVegaLite, separateData } from '../../src/report/vega-svg.js';

describe('normaliseSvgIds', () => {
  it('should renumber ids and their references in order of appearance, under a prefix', () => {
    const svg = '<svg><clipPath id="clip17"><rect/></clipPath><g clip-path="url(#clip17)"/><clipPath id="clip4"/><use href="#clip4"/><g clip-path="url(#clip4)"/></svg>';
    expect(normaliseSvgIds(svg, 'c3')).toBe(
      '<svg><clipPath id="c3-1"><rect/></clipPath><g clip-path="url(#c3-1)"/><clipPath id="c3-2"/><use href="#c3-2"/><g clip-path="url(#c3-2)"/></svg>',
    );
    expect(normaliseSvgIds('<svg><g/></svg>', 'x')).toBe('<svg><g/></svg>');
  });
});

describe('separateData', () => {
  it('should name every inline dataset, nested layers included, and leave the spec given untouched', () => {
    const spec = {
      data: { values: [{ x: 1 }] },
      layer: [{ mark: 'line' }, { data: { values: [{ y: 2 }], format: { type: 'json' } }, mark: 'rule' }],
    } as unknown as TopLevelSpec;
    const before = JSON.stringify(spec);
    const { shape, datasets } = separateData(spec);
    expect(JSON.stringify(spec)).toBe(before);
    expect(datasets).toEqual([[{ x: 1 }], [{ y: 2 }]]);
    expect(shape).toEqual({
      data: { name: 'levsim_data_0' },
      layer: [{ mark: 'line' }, { data: { name: 'levsim_data_1', format: { type: 'json' } }, mark: 'rule' }],
    });
  });
});

describe('renderVegaLite', () => {
  const bars = (values: { a: string; b: number }[], title: string): TopLevelSpec => ({
    title,
    data: { values },
    mark: 'bar',
    encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' }, color: { field: 'a', type: 'nominal' } },
  });

  it('should draw a chart the same whatever was drawn before it (shared compiled shapes and expressions)', async () => {
    const first = await renderVegaLite(bars([{ a: 'x', b: 1 }, { a: 'y', b: 3 }], 'one'), 'c');
    const other = await renderVegaLite(bars([{ a: 'p', b: 10 }, { a: 'q', b: 20 }, { a: 'r', b: 5 }], 'one'), 'c');
    const again = await renderVegaLite(bars([{ a: 'x', b: 1 }, { a: 'y', b: 3 }], 'one'), 'c');
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    // The data reached the drawing: three bars, coloured, and their labels.
    expect(other.match(/<path[^>]*fill="#[0-9A-Fa-f]{6}"/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    for (const label of ['p', 'q', 'r']) expect(other).toContain(`>${label}</text>`);
  });
});

describe('downsampleMinMax', () => {
  it('should keep short series whole, minus non-finite points', () => {
    expect(downsampleMinMax([0, 1, 2, 3], [5, Number.NaN, 7, 8])).toEqual({ x: [0, 2, 3], y: [5, 7, 8] });
  });

  it('should cap long series and keep their spikes', () => {
    const n = 100_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => Math.sin(i / 500));
    y[31_337] = 50;
    y[77_777] = -50;
    const d = downsampleMinMax(x, y, 2000);
    expect(d.x.length).toBeLessThanOrEqual(2000);
    expect(d.y).toContain(50);
    expect(d.y).toContain(-50);
    expect(d.x).toEqual([...d.x].sort((a, b) => a - b));
    expect(downsampleMinMax(x, y, 2000)).toEqual(d);
  });
});

describe('formatting', () => {
  it('should format numbers without the locale', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(-1000)).toBe('−1,000');
    expect(formatNumber(0.011534)).toBe('0.0115');
    expect(formatNumber(-0.49)).toBe('−0.490');
    expect(formatNumber(22.4213)).toBe('22.4');
    expect(formatNumber(1234.56)).toBe('1,235');
    expect(formatNumber(0.0000123)).toBe('1.23e−5');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('should pick readable time units', () => {
    expect(formatDuration(90e6)).toBe('1.50 min');
    expect(formatDuration(2_500)).toBe('2.50 ms');
    expect(timeUnitFor(400e6).label).toBe('min');
    expect(timeUnitFor(1e6).label).toBe('s');
  });

  it('should escape the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
