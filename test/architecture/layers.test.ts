/**
 * The house's floors (DESIGN.md, "Layers"): each folder of src/ imports only
 * folders on a lower floor. stats and systemic are the ground and import
 * nothing of ours; report stands beside market (neither imports the other).
 * An upward or sideways import fails here, with the file and the import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FLOORS: Readonly<Record<string, number>> = {
  stats: 0,
  systemic: 0,
  engine: 1,
  market: 2,
  report: 2,
  perp: 3,
  credit: 4,
  agents: 5,
  experiment: 6,
  cli: 7,
};

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of `code`: static imports, re-exports and dynamic imports. */
function importsOf(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    found.push((m[1] ?? m[2]) as string);
  }
  return found;
}

/** The floor folder of a path inside src/, or null outside it. */
function folderOf(path: string): string | null {
  const rel = relative(src, path);
  if (rel.startsWith('..')) return null;
  const [top] = rel.split(sep);
  return top !== undefined && rel.includes(sep) ? top : null;
}

/** One line per import that does not go down a floor. */
function wrongImports(files: readonly { path: string; code: string }[]): string[] {
  const wrong: string[] = [];
  for (const { path, code } of files) {
    const from = folderOf(path);
    if (from === null) continue;
    for (const spec of importsOf(code)) {
      const to = folderOf(resolve(path, '..', spec));
      if (to === null || to === from) continue;
      const a = FLOORS[from];
      const b = FLOORS[to];
      if (a === undefined || b === undefined || b >= a) wrong.push(`src/${relative(src, path)} imports '${spec}' (${from} → ${to})`);
    }
  }
  return wrong;
}

describe('layers', () => {
  it('should import only downward in every file of src/', () => {
    const files = sources(src).map((path) => ({ path, code: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    for (const { path } of files) {
      const folder = folderOf(path);
      if (folder !== null) expect(FLOORS[folder], `src/${relative(src, path)}: a folder with no floor`).toBeDefined();
    }
    expect(wrongImports(files)).toEqual([]);
  });

  it('should catch an upward, a sideways and a dynamic import', () => {
    const at = (p: string) => join(src, p);
    expect(
      wrongImports([
        { path: at('market/exchange.ts'), code: "import { Lender } from '../agents/lender.js';" },
        { path: at('report/html.ts'), code: "import type { Ledger } from '../market/ledger.js';" },
        { path: at('stats/acf.ts'), code: "const k = await import('../engine/kernel.js');" },
        { path: at('agents/lender.ts'), code: "import { Kernel } from '../engine/kernel.js';\nexport { x } from './y.js';" },
      ]),
    ).toEqual([
      "src/market/exchange.ts imports '../agents/lender.js' (market → agents)",
      "src/report/html.ts imports '../market/ledger.js' (report → market)",
      "src/stats/acf.ts imports '../engine/kernel.js' (stats → engine)",
    ]);
  });
});
