import { describe, expect, it } from 'vitest';
import * as stats from '../../src/stats/index.js';

describe('src/stats/index', () => {
  it('should re-export one entry point of every module', () => {
    const names = [
      'acf', 'cascadeStats', 'corrLagged', 'maxDrawdown', 'hillTailIndex', 'leverageCycles', 'skewness',
      'fitPowerLaw', 'rollingRealizedVol', 'logReturns', 'movingAverage', 'returnStats', 'totalBadDebt',
      'treeStats', 'hurwitzZeta', 'groupEpisodes', 'episodePriceDrops', 'runFacts', 'intervalFacts', 'sessionReturns', 'varianceRatio',
    ] as const;
    for (const n of names) expect(typeof stats[n], n).toBe('function');
  });
});
