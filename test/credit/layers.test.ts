import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Relative import specifiers of every .ts file directly in `src/<folder>`. */
function importsOf(folder: string): Array<{ file: string; spec: string }> {
  const out: Array<{ file: string; spec: string }> = [];
  for (const file of readdirSync(join(SRC, folder)).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(SRC, folder, file), 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'/g)) out.push({ file: `${folder}/${file}`, spec: m[1] as string });
  }
  return out;
}

describe('credit layer', () => {
  it('should not be imported by the market (the exchange reaches credit only through its MarkListener hook)', () => {
    expect(importsOf('market').filter((i) => i.spec.includes('/credit/'))).toEqual([]);
  });

  it('should import only engine, market, systemic and itself', () => {
    expect(importsOf('credit').filter((i) => !/^\.\.\/(engine|market|systemic)\/|^\.\/[^/]+$/.test(i.spec))).toEqual([]);
  });

  it('should leave systemic importing nothing of ours', () => {
    expect(importsOf('systemic').filter((i) => i.spec.startsWith('..'))).toEqual([]);
  });
});
