import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { episodePriceDrops } from '../../../src/stats/episode-price-drops.js';
import { groupEpisodes } from '../../../src/stats/episodes.js';

/**
 * A run's episodes beside its cascades: the shipped cascade experiment's
 * first burst of liquidations (about 11 min in), with the drops measured in
 * the cascades' pass over the trades.
 */
describe('episodes of a run', () => {
  const file = fileURLToPath(new URL('../../../experiments/cascade.yaml', import.meta.url));
  const config = loadExperiment(file, { sets: ['horizon=11.5m'] }).config;
  const result = runExperiment(config);
  const liquidations = result.liquidations;

  it('should group the run’s liquidations as groupEpisodes does, drops as a pass of their own measures them', () => {
    const n = liquidations.timeUs.length;
    expect(n).toBeGreaterThan(10);
    expect(result.episodes).toEqual(groupEpisodes(liquidations, config.episodeGapUs, episodePriceDrops(result.trades, liquidations, config.episodeGapUs)));
    expect(result.episodes.liquidations.reduce((a, b) => a + b, 0)).toBe(n);
    // Many trees in one burst: the two views differ.
    expect(result.episodes.episodeId.length).toBeLessThan(result.cascades.cascadeId.length);
    expect(Math.max(...result.episodes.cascades)).toBeGreaterThan(1);
    expect(result.episodes.priceDropPct.some((d) => d > 0)).toBe(true);
  });

  it('should summarise episodes beside cascades, with the share of liquidations in groups of 3 or more', () => {
    const { cascades, episodes } = result.summary;
    const n = liquidations.timeUs.length;
    const inLarge = (sizes: number[]) => sizes.filter((s) => s >= 3).reduce((a, b) => a + b, 0) / n;
    expect(episodes.count).toBe(result.episodes.episodeId.length);
    expect(episodes.maxLiquidations).toBe(Math.max(...result.episodes.liquidations));
    expect(episodes.maxNotional).toBe(Math.max(...result.episodes.notional));
    expect(episodes.shareIn3Plus).toBe(inLarge(result.episodes.liquidations));
    expect(cascades.shareIn3Plus).toBe(inLarge(result.cascades.liquidations));
    expect(cascades.shareIn3Plus).toBeLessThan(episodes.shareIn3Plus);
  });
});
