import { describe, expect, it } from 'vitest';
import { CountercyclicalHaircut } from '../../../src/agents/countercyclical-haircut.js';
import type { HaircutPolicy } from '../../../src/agents/haircut-policy.js';
import { lenderRevision } from '../../../src/experiment/registry/credit-agent-types.js';

/** The policy a lender with these parameters uses on instrument 0. */
function policyOf(params: Record<string, number | string>): HaircutPolicy {
  const base = {
    a: 356, b: 1, alpha: 0.001, sigma0: 0.00002, varExponent: -0.5, hMin: 0.05, hMax: 1, h: 0.2, hFloor: 0.05,
    countercyclicalMode: 'buffer', countercyclicalBase: 'volatility', stressWindow: 0,
    bufferMax: 0.1, bufferBuildRate: 0.01, bufferReleaseRate: 0.1, bufferMemory: 50,
    maintenanceRatio: 0.75, annualRate: 0.05, maxPerBorrower: 0, maxTotal: 0,
  };
  const made = lenderRevision({ ...base, ...params }, ['policy']).haircutPolicy;
  return typeof made === 'function' ? made(0) : (made as HaircutPolicy);
}

describe('countercyclical lender parameters from the experiment file', () => {
  it('should build the buffer from bufferMax, bufferBuildRate, bufferReleaseRate and bufferMemory', () => {
    const p = policyOf({ policy: 'countercyclical', bufferMax: 0.04, bufferBuildRate: 0.003, bufferReleaseRate: 0.02, bufferMemory: 65 });
    expect(p).toBeInstanceOf(CountercyclicalHaircut);
    const c = p as CountercyclicalHaircut;
    expect([c.mode, c.bufferMax, c.buildRate, c.releaseRate, c.memory]).toEqual(['buffer', 0.04, 0.003, 0.02, 65]);
    // Calm observations (σ at its average) build the buffer by the rate, up to its maximum; one above the average releases the rate.
    const sigma = 0.0005; // volatility form: 356 · σ = 0.178
    expect(c.haircut(sigma)).toBeCloseTo(0.178, 12);
    expect(c.haircut(sigma)).toBeCloseTo(0.181, 12);
    for (let i = 0; i < 20; i++) c.haircut(sigma);
    expect(c.haircut(sigma)).toBeCloseTo(0.218, 12);
    expect(c.haircut(2 * sigma)).toBeCloseTo(0.356 + 0.02, 12);
  });

  it('should wrap the VaR form with countercyclicalBase: var, and the power form by default', () => {
    const sigma = 0.0001;
    const viaVar = policyOf({ policy: 'countercyclical', countercyclicalMode: 'through-the-cycle', countercyclicalBase: 'var' });
    expect(viaVar.haircut(sigma)).toBeCloseTo(Math.sqrt(sigma * sigma + 0.00002 ** 2) / 0.001, 12);
    expect(viaVar.haircut(sigma)).toBeCloseTo(policyOf({ policy: 'var' }).haircut(sigma), 12);
    const viaPower = policyOf({ policy: 'countercyclical', countercyclicalMode: 'through-the-cycle' });
    expect(viaPower.haircut(sigma)).toBe(0.05); // 356 · σ = 0.0356, below hMin
  });
});
