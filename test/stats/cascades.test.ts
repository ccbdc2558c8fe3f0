import { describe, expect, it } from 'vitest';
import { cascadeStats, frequencyTable, shareInGroupsOfAtLeast } from '../../src/stats/cascades.js';

describe('frequencyTable', () => {
  it('should count distinct values in ascending order', () => {
    expect(frequencyTable([3, 1, 3, 2, 3, Number.NaN])).toEqual([
      { value: 1, count: 1 },
      { value: 2, count: 1 },
      { value: 3, count: 3 },
    ]);
  });
});

describe('cascadeStats', () => {
  it('should summarise cascade records', () => {
    const s = cascadeStats({ sizes: [1, 4, 1, 2], depths: [1, 3, 1, 2], notionals: [100, 900, 50, 300] });
    expect(s).toEqual({
      count: 4,
      sizeDistribution: [
        { value: 1, count: 2 },
        { value: 2, count: 1 },
        { value: 4, count: 1 },
      ],
      largest: 4,
      maxDepth: 3,
      maxNotional: 900,
      totalNotional: 1350,
    });
  });

  it('should give zeros for no cascades and reject ragged columns', () => {
    expect(cascadeStats({ sizes: [] })).toEqual({
      count: 0,
      sizeDistribution: [],
      largest: 0,
      maxDepth: 0,
      maxNotional: 0,
      totalNotional: 0,
    });
    expect(() => cascadeStats({ sizes: [1], depths: [] })).toThrow(RangeError);
  });
});

describe('shareInGroupsOfAtLeast', () => {
  it('should give the share of liquidations in groups of at least the size, NaN without liquidations', () => {
    // 10 liquidations, 3 + 4 of them in groups of 3 or more.
    expect(shareInGroupsOfAtLeast([1, 2, 3, 4], 3)).toBe(0.7);
    expect(shareInGroupsOfAtLeast([1, 1, 2], 3)).toBe(0);
    expect(shareInGroupsOfAtLeast([5], 3)).toBe(1);
    expect(shareInGroupsOfAtLeast([], 3)).toBeNaN();
  });
});
