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
 * @module
 */

import * as vega from 'vega';
import { compile, type Config, type TopLevelSpec } from 'vega-lite';

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

const quiet = vega.logger(vega.Error);

/** vega's text measurement switch (exported by vega-scenegraph, missing from vega's typings). */
interface TextMetrics {
  canvas(use: boolean): void;
}
(vega as unknown as { textMetrics: TextMetrics }).textMetrics.canvas(false);

/**
 * Renders a Vega-Lite spec to an SVG string whose ids are prefixed with
 * `idPrefix` (must be unique within the page). The shared {@link CHART_CONFIG}
 * is applied under any `config` in the spec.
 */
export async function renderVegaLite(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const merged = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const compiled = compile(merged, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: quiet });
  try {
    const svg = await view.toSVG();
    return normaliseSvgIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
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
