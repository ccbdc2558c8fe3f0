/**
 * timing.json's `eventsByGroup`: every kernel delivery is counted once, at
 * the agent that handled it, so the groups and venues add up to the run's
 * events and each group's share says where a run's time goes.
 */
import { describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { smallExperimentText } from '../../helpers/small-experiment.js';

describe('events by group', () => {
  it('should count each delivery once, at the group or venue that handled it', () => {
    const { config } = loadExperimentText(smallExperimentText('ebg'), 'ebg.yaml');
    const { timing } = runExperiment(config);
    const byGroup = timing.eventsByGroup;
    expect(Object.keys(byGroup).sort()).toEqual(['exchange', 'mm', 'noise', 'sampler']);
    expect(Object.values(byGroup).reduce((a, b) => a + b, 0)).toBe(timing.events);
    // Five noise traders arriving once a second for 30 s wake at least ~150 times; each order reaches the exchange.
    expect(byGroup['noise']).toBeGreaterThan(100);
    expect(byGroup['exchange']).toBeGreaterThan(100);
  });
});
