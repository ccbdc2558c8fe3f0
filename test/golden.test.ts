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
import { goldenAdditions, goldenDifferences, goldenOutputs, repoRoot, type GoldenOutputs } from '../scripts/golden-outputs.js';

describe('golden outputs', () => {
  it('should write the recorded bytes for every shipped experiment at two seeds', async () => {
    const want = JSON.parse(readFileSync(join(repoRoot(), 'test', 'golden', 'outputs-25m.json'), 'utf8')) as GoldenOutputs;
    const got = await goldenOutputs('25m');
    expect(Object.keys(got).length).toBe(26);
    expect(goldenDifferences(want, got)).toEqual([]);
  }, 120_000);
});

describe('golden comparison', () => {
  const run = (files: Record<string, string>) => ({ runId: 'r', stateHash: 's', files });
  it('reports a changed or missing recorded file, and a new file as an addition only', () => {
    const want: GoldenOutputs = { 'a@1': run({ 'x.csv': '1', 'y.csv': '2' }) };
    expect(goldenDifferences(want, { 'a@1': run({ 'x.csv': '1', 'y.csv': '2', 'new.csv': '3' }) })).toEqual([]);
    expect([...goldenAdditions(want, { 'a@1': run({ 'x.csv': '1', 'y.csv': '2', 'new.csv': '3' }) })]).toEqual([['new.csv', 1]]);
    expect(goldenDifferences(want, { 'a@1': run({ 'x.csv': '9' }) })).toEqual(['a@1: x.csv differs', 'a@1: y.csv not written']);
  });
});
