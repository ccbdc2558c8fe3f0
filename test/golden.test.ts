/**
 * Behaviour is pinned: every shipped experiment at two seeds, over its first
 * 25 simulated minutes, writes byte-identical files to those recorded in
 * test/golden/outputs-25m.json. A refactoring that changes any output fails
 * here; `npm run golden -- check` does the same over the full horizons. A
 * deliberate change of behaviour re-records both files (`record`) and says
 * why in its commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenDifferences, goldenOutputs, repoRoot, type GoldenOutputs } from '../scripts/golden-outputs.js';

describe('golden outputs', () => {
  it('should write the recorded bytes for every shipped experiment at two seeds', async () => {
    const want = JSON.parse(readFileSync(join(repoRoot(), 'test', 'golden', 'outputs-25m.json'), 'utf8')) as GoldenOutputs;
    const got = await goldenOutputs('25m');
    expect(Object.keys(got).length).toBe(12);
    expect(goldenDifferences(want, got)).toEqual([]);
  }, 120_000);
});
