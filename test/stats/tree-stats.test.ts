import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { treeStats } from '../../src/stats/tree-stats.js';

describe('treeStats', () => {
  it('should decompose a hand forest, parents before or after children', () => {
    //   0          3      6
    //  / \         |
    // 1   5        4
    // |
    // 2
    const f = treeStats([-1, 0, 1, -1, 3, 0, -1]);
    expect(f.trees).toEqual([
      { root: 0, size: 4, depth: 3 },
      { root: 3, size: 2, depth: 2 },
      { root: 6, size: 1, depth: 1 },
    ]);
    expect(f.level).toEqual([0, 1, 2, 0, 1, 1, 0]);
    expect(f.rootOf).toEqual([0, 0, 0, 3, 3, 0, 6]);
    expect(f.treeOf).toEqual([0, 0, 0, 1, 1, 0, 2]);
    const g = treeStats([2, 2, -1]);
    expect(g.trees).toEqual([{ root: 2, size: 3, depth: 2 }]);
  });

  it('should reject cycles and out-of-range parents', () => {
    expect(() => treeStats([1, 0])).toThrow(RangeError);
    expect(() => treeStats([0])).toThrow(RangeError);
    expect(() => treeStats([-1, 5])).toThrow(RangeError);
    expect(() => treeStats([-1, 0.5])).toThrow(RangeError);
    expect(treeStats([]).trees).toEqual([]);
  });

  it('should partition the nodes with consistent levels (property)', () => {
    // node i's parent is an earlier node or none: always a forest
    const forest = fc
      .array(fc.nat(), { maxLength: 200 })
      .map((xs) => xs.map((x, i) => (i === 0 || x % 4 === 0 ? -1 : x % i)));
    fc.assert(
      fc.property(forest, (parents) => {
        const f = treeStats(parents);
        expect(f.trees.reduce((a, t) => a + t.size, 0)).toBe(parents.length);
        parents.forEach((p, i) => {
          if (p < 0) expect(f.level[i]).toBe(0);
          else {
            expect(f.level[i]).toBe(f.level[p] + 1);
            expect(f.rootOf[i]).toBe(f.rootOf[p]);
          }
          expect(f.trees[f.treeOf[i]].root).toBe(f.rootOf[i]);
          expect(f.level[i]).toBeLessThan(f.trees[f.treeOf[i]].depth);
        });
      }),
    );
  });
});
