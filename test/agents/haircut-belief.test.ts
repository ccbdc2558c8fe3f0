import { describe, expect, it } from 'vitest';
import { HaircutBelief } from '../../src/agents/haircut-belief.js';

describe('HaircutBelief', () => {
  it('should refuse a belief outside [0, 1] and a probe outside [0, 1)', () => {
    expect(() => new HaircutBelief(1.5, 0.02)).toThrow(RangeError);
    expect(() => new HaircutBelief(0.5, 1)).toThrow(RangeError);
  });

  it('should cap the belief at what a grant proves, then probe lower', () => {
    const b = new HaircutBelief(0.5, 0.1);
    b.afterGrant(70_000, 100_000); // granted D = 70 000 against V = 100 000: h ≤ 0.3
    expect(b.value).toBeCloseTo(0.3 * 0.9, 12);
    b.afterGrant(0, 100_000); // nothing proved: only the probe
    expect(b.value).toBeCloseTo(0.3 * 0.81, 12);
  });

  it('should lift the belief above what a refusal proves, by the probe toward 1', () => {
    const b = new HaircutBelief(0.1, 0.1);
    b.afterRefusal(80_000, 100_000); // refused D' = 80 000 against V' = 100 000: h > 0.2
    expect(b.value).toBeCloseTo(0.2 + 0.8 * 0.1, 12);
    b.afterRefusal(90_000, 100_000); // a weaker bound (0.1) than the belief: only the probe
    expect(b.value).toBeCloseTo(0.28 + 0.72 * 0.1, 12);
    b.afterRefusal(1, 0); // no collateral value: no bound
    expect(b.value).toBeGreaterThan(0.352);
  });

  it('should floor the belief at the maintenance haircut a health factor implies, and only raise it', () => {
    const b = new HaircutBelief(0.1, 0.02);
    b.floor(1.2, 50_000, 100_000); // HF·D/V = 0.6: maintenance haircut 0.4
    expect(b.value).toBeCloseTo(0.4, 12);
    b.floor(2, 10_000, 100_000); // HF·D/V = 0.2: implies 0.8, above the belief
    expect(b.value).toBeCloseTo(0.8, 12);
    b.floor(10, 10_000, 100_000); // implies 0: never lowers
    expect(b.value).toBeCloseTo(0.8, 12);
    b.floor(Number.POSITIVE_INFINITY, 0, 100_000);
    expect(b.value).toBeCloseTo(0.8, 12);
  });
});
