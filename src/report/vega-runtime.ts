/**
 * The vega side of `vega-svg.ts`: draws a Vega-Lite shape with its datasets
 * to SVG, with compiled shapes and generated expression functions kept per
 * process. Imported dynamically on the first chart, so that loading levsim
 * to simulate does not load vega and vega-lite.
 *
 * @module
 */

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const quiet = vega.logger(vega.Error);

/** vega's text measurement switch (exported by vega-scenegraph, missing from vega's typings). */
interface TextMetrics {
  canvas(use: boolean): void;
}
(vega as unknown as { textMetrics: TextMetrics }).textMetrics.canvas(false);

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

/**
 * Draws `shape` with `datasets` bound to the names `datasetName(i)` (see
 * `separateData`), as an SVG string with vega's own ids.
 */
export async function drawSvg(shape: TopLevelSpec, datasets: readonly unknown[][], datasetName: (i: number) => string): Promise<string> {
  const view = new vega.View(parsedShape(shape), { renderer: 'none', logger: quiet, expr: sharedCodegen });
  try {
    for (let i = 0; i < datasets.length; i++) view.data(datasetName(i), datasets[i] as object[]);
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
