import { describe, expect, it } from 'vitest';
import { applySets, getConfigValue, parsePath, resolvePath } from '../../../src/experiment/config/config-path.js';
import { ConfigError } from '../../../src/experiment/config/config-error.js';
import { baselineExperiment } from '../../../src/experiment/config/defaults.js';
import { toDocument } from '../../../src/experiment/config/to-document.js';

const base = baselineExperiment();
const doc = toDocument(base);

function problem(path: string): string {
  try {
    resolvePath(doc, path);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parsePath', () => {
  it('should accept dots and brackets alike', () => {
    expect(parsePath('agents.1.params.maxQty')).toEqual(['agents', '1', 'params', 'maxQty']);
    expect(parsePath('agents[1].params.maxQty')).toEqual(['agents', '1', 'params', 'maxQty']);
    expect(() => parsePath('agents..x')).toThrow('empty segment');
    expect(() => parsePath('agents[1')).toThrow('unbalanced');
  });
});

describe('resolvePath', () => {
  it('should resolve indices, group names, symbols and config-name aliases', () => {
    expect(resolvePath(doc, 'agents.1.params.maxQty').canonical).toBe('agents.1.params.maxQty');
    expect(resolvePath(doc, 'agents[1].params.maxQty').canonical).toBe('agents.1.params.maxQty');
    expect(resolvePath(doc, 'agents.noise.params.maxQty').canonical).toBe('agents.1.params.maxQty');
    expect(resolvePath(doc, 'instruments.ABC.fundamental.dt').canonical).toBe('instruments.0.fundamental.dtUs');
    expect(resolvePath(doc, 'horizonUs')).toMatchObject({ doc: ['horizon'], config: ['horizonUs'] });
    expect(resolvePath(doc, 'credit.gracePeriod').canonical).toBe('credit.gracePeriodUs');
    // Parameters of the type are allowed even when the file does not set them.
    expect(resolvePath(doc, 'agents.noise.params.offsetSdTicks').canonical).toBe('agents.1.params.offsetSdTicks');
  });

  it('should refuse unknown paths with the longest valid prefix and a suggestion', () => {
    expect(problem('agents.noise.params.maxQt')).toBe("agents.noise.params.maxQt: unknown parameter 'maxQt' of 'noise' (did you mean 'maxQty'?)");
    expect(problem('agents.nosie.count')).toBe("agents.nosie: no agent group named 'nosie' (did you mean 'noise'?); agent groups: mm, noise, value, momentum");
    expect(problem('agents.9.count')).toBe("agents.9: no entry 9: 'agents' has 4");
    expect(problem('credit.closeFactr')).toBe("credit.closeFactr: unknown key 'closeFactr' (did you mean 'closeFactor'?)");
    expect(problem('seed.x')).toBe("seed.x: 'seed' is 1, it has no key 'x'");
    expect(problem('instruments.0.fundamental.jumps.sd')).toMatch(/is null \(no jumps\); set it whole/);
    expect(problem('constructor')).toBe("constructor: 'constructor' is not an allowed key");
    expect(problem('fees.__proto__')).toBe("fees.__proto__: '__proto__' is not an allowed key");
  });
});

describe('applySets', () => {
  it('should derive a validated variant without touching the base', () => {
    const before = JSON.stringify(base);
    const next = applySets(base, [
      { path: 'agents.noise.params.maxQty', value: 7 },
      { path: 'horizon', value: '1h' },
      { path: 'agents.value.params.meanInterArrivalUs', value: '2s' },
    ]);
    expect(JSON.stringify(base)).toBe(before);
    expect(next.agents[1]!.params.maxQty).toBe(7);
    expect(next.horizonUs).toBe(3_600_000_000);
    expect(next.agents[2]!.params.meanInterArrivalUs).toBe(2_000_000);
    expect(getConfigValue(next, 'horizon')).toBe(3_600_000_000);
    expect(next.agents[0]).toEqual(base.agents[0]);
  });

  it('should refuse invalid values like the file would', () => {
    expect(() => applySets(base, [{ path: 'agents.noise.params.maxQty', value: 0 }])).toThrow('agents[1].params.maxQty: must be ≥ 1');
    expect(() => applySets(base, [{ path: 'stp', value: 'none' }])).toThrow("stp: expected one of 'cancel-maker', 'cancel-taker', 'cancel-both'");
  });
});
