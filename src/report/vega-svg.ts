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
  const { shape, datasets } = separateData(merged);
  const view = new vega.View(parsedShape(shape), { renderer: 'none', logger: quiet, expr: sharedCodegen });
  try {
    for (let i = 0; i < datasets.length; i++) view.data(datasetName(i), datasets[i] as object[]);
    const svg = await view.toSVG();
    return normaliseSvgIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** vega-runtime's code generator for expressions (how vega turns `datum.x * 2` into a function). */
interface Codegen {
  operator(ctx: unknown, expr: { code: string }): Function;
  parameter(ctx: unknown, expr: { code: string }): Function;
  event(ctx: unknown, expr: { code: string }): Function;
  handler(ctx: unknown, expr: { code: string }): Function;
  encode(ctx: unknown, encode: { marktype: string; channels: Record<string, { code: string }> }): Function;
  codegen: { get(path: readonly string[]): Function; comparator(fields: unknown[], orders: unknown[]): Function };
}

type RuntimeContext = (df: unknown, transforms: unknown, functions: unknown, expr: unknown) => { expr: Codegen };
const vegaCodegen = (vega as unknown as { runtimeContext: RuntimeContext }).runtimeContext({ events: () => undefined }, {}, undefined, undefined).expr;

/**
 * vega's code generator, with each generated function made once per process.
 * vega compiles every expression of a chart with `Function(...)` for each new
 * View; a fresh function starts cold, so drawing the same chart run after run
 * kept the JIT compiler busy on a second core. Here the generated function
 * (called with no context, vega returns it unbound) is kept by its source and
 * bound to each View's function context, as vega itself binds it.
 */
const generated = new Map<string, Function>();

function once(key: string, make: () => Function): Function {
  let fn = generated.get(key);
  if (fn === undefined) {
    fn = make();
    generated.set(key, fn);
  }
  return fn;
}

function boundTo(ctx: unknown, fn: Function): Function {
  const functions = (ctx as { functions?: object } | null)?.functions;
  return functions === undefined ? fn : fn.bind(functions);
}

const sharedCodegen: Codegen = {
  operator: (ctx, expr) => boundTo(ctx, once(`o:${expr.code}`, () => vegaCodegen.operator(null, expr))),
  parameter: (ctx, expr) => boundTo(ctx, once(`p:${expr.code}`, () => vegaCodegen.parameter(null, expr))),
  event: (ctx, expr) => boundTo(ctx, once(`v:${expr.code}`, () => vegaCodegen.event(null, expr))),
  handler: (ctx, expr) => boundTo(ctx, once(`h:${expr.code}`, () => vegaCodegen.handler(null, expr))),
  encode: (ctx, encode) => boundTo(ctx, once(`e:${encodeKey(encode)}`, () => vegaCodegen.encode(null, encode))),
  // Field getters and comparators stay per View: vega writes their names and fields onto them.
  codegen: vegaCodegen.codegen,
};

function encodeKey(encode: { marktype: string; channels: Record<string, { code: string }> }): string {
  let key = encode.marktype;
  for (const name in encode.channels) key += `\u0000${name}\u0000${(encode.channels[name] as { code: string }).code}`;
  return key;
}

/**
 * Compiled and parsed specs by shape (the spec with its inline data taken
 * out). Compiling Vega-Lite and parsing Vega cost more than drawing a chart,
 * and a sweep draws the same shapes run after run; the parsed runtime spec is
 * read, never written, by a View, so sharing it cannot make two renders differ.
 */
const parsedShapes = new Map<string, vega.Runtime>();
const MAX_SHAPES = 256;

function parsedShape(shape: TopLevelSpec): vega.Runtime {
  const key = JSON.stringify(shape);
  let runtime = parsedShapes.get(key);
  if (runtime === undefined) {
    runtime = vega.parse(compile(shape, { logger: quiet }).spec);
    if (parsedShapes.size >= MAX_SHAPES) parsedShapes.clear();
    parsedShapes.set(key, runtime);
  }
  return runtime;
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
