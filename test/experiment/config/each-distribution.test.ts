import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/engine/random-stream.js';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { drawParams } from '../../../src/experiment/registry/agent-params.js';
import { AGENT_TYPES } from '../../../src/experiment/registry/agent-types.js';
import { buildScenario } from '../../../src/experiment/run/scenario.js';
import { NoiseTrader } from '../../../src/agents/noise-trader.js';

describe('{dist: each}: a grid across a group', () => {
  const noise = AGENT_TYPES.get('noise')!;

  it('should give member i of the group values[i mod n], drawing nothing', () => {
    const params = { maxQty: { dist: 'each' as const, values: [5, 10, 15] } };
    const got = [0, 1, 2, 3, 4].map((i) => drawParams(noise, params, new RandomStream(1, `params/x/${i}`), i, ['p']).maxQty);
    expect(got).toEqual([5, 10, 15, 5, 10]);
  });

  it('should build the agents of a file with their own values', () => {
    const { config } = loadExperimentText('agents: [{ type: noise, count: 4, params: { maxQty: { dist: each, values: [7, 9] } } }]\n', 'x.yaml');
    const s = buildScenario(config);
    const sizes: number[] = [];
    for (let i = 0; i < s.kernel.agentCount; i++) {
      const a = s.kernel.agent(i);
      if (a instanceof NoiseTrader) sizes.push(a.maxQty);
    }
    expect(sizes).toEqual([7, 9, 7, 9]);
  });

  it('should check each value against the parameter’s bounds, with the file position', () => {
    expect(() => loadExperimentText('agents: [{ type: noise, params: { maxQty: { dist: each, values: [3, 2.5] } } }]\n', 'x.yaml')).toThrow(/x\.yaml:1:\d+: agents\[0\]\.params\.maxQty: value 2\.5: /);
  });
});
