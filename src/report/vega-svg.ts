/**
 * Vega-Lite specs rendered to inline SVG in Node (no browser, no canvas:
 * vega's headless SVG renderer with estimated text widths).
 *
 * Determinism: vega numbers clip paths and gradients from a process-wide
 * counter (`clip1`, `clip2`, … growing with every render), so the same chart
 * rendered twice differs, and two charts inlined in one page could collide.
 * {@link normaliseSvgIds} renumbers every id in order of appearance under a
 * per-chart prefix. Text widths are always estimated from the font size,
 * never measured: with the optional `canvas` package installed vega would
 * measure them with the machine's fonts, and the layout would vary by machine.
 * Data always arrives inline, so the loader never fetches.
 *
 * The vega runtime itself (views, compiled shapes, the shared code
 * generator) is `vega-runtime.ts`, loaded on the first render.
 *
 * @module
 */

import type { Config, TopLevelSpec } from 'vega-lite';

/** The look shared by every chart of a report. */
export const CHART_CONFIG: Config = {
  font: 'Helvetica, Arial, sans-serif',
  // No per-mark aria descriptions: they would repeat every data point as text.
  aria: false,
  background: 'white',
  padding: 4,
  view: { stroke: '#d9dde5' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#1d2330',
    labelColor: '#1d2330',
    gridColor: '#eceef2',
    domainColor: '#8a93a3',
    tickColor: '#8a93a3',
  },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'top', direction: 'horizontal', labelLimit: 0 },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 'bold' },
  title: { fontSize: 13, anchor: 'start', fontWeight: 'normal' },
  line: { strokeWidth: 1.25 },
  point: { size: 26, filled: true },
  range: {
    // Okabe–Ito: distinguishable with common colour-vision deficiencies and in greyscale print.
    category: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'],
  },
};

/**
 * Renders a Vega-Lite spec to an SVG string whose ids are prefixed with
 * `idPrefix` (must be unique within the page). The shared {@link CHART_CONFIG}
 * is applied under any `config` in the spec.
 *
 * vega and vega-lite (~20 MB of resident memory once loaded) are imported on
 * the first render, so a simulation that writes no report, or has not written
 * it yet, does not carry them.
 */
export async function renderVegaLite(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const merged = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const { shape, datasets } = separateData(merged);
  const { drawSvg } = await import('./vega-runtime.js');
  const svg = await drawSvg(shape, datasets, datasetName);
  return normaliseSvgIds(svg, idPrefix);
}

function datasetName(i: number): string {
  return `levsim_data_${i}`;
}

/**
 * The spec with every inline `data: { values }` replaced by a named data
 * source, and the values in order of the names. Copies only the objects on
 * the paths to data; the caller's spec is left as it was.
 */
export function separateData(spec: TopLevelSpec): { shape: TopLevelSpec; datasets: unknown[][] } {
  const datasets: unknown[][] = [];
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < node.length; i++) {
        const v = visit(node[i]);
        if (v !== node[i]) (copy ??= node.slice())[i] = v;
      }
      return copy ?? node;
    }
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const key of Object.keys(record)) {
      const value = record[key];
      let next: unknown;
      if (key === 'data' && isInlineData(value)) {
        const { values, ...rest } = value;
        next = { ...rest, name: datasetName(datasets.length) };
        datasets.push(values);
      } else if (key === 'config') {
        next = value;
      } else {
        next = visit(value);
      }
      if (next !== value) (copy ??= { ...record })[key] = next;
    }
    return copy ?? node;
  };
  return { shape: visit(spec) as TopLevelSpec, datasets };
}

function isInlineData(value: unknown): value is { values: unknown[] } {
  return value !== null && typeof value === 'object' && Array.isArray((value as { values?: unknown }).values);
}

/**
 * Renames every `id="…"` of an SVG document to `${prefix}-1`, `${prefix}-2`,
 * … in order of first appearance, and rewrites the references to them
 * (`url(#…)`, `href="#…"`), so the output depends only on the drawing.
 */
export function normaliseSvgIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    const id = m[1] as string;
    if (!names.has(id)) names.set(id, `${prefix}-${names.size + 1}`);
  }
  if (names.size === 0) return svg;
  const rename = (id: string): string => names.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + rename(id) + b)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}#${rename(id)}${b}`);
}
