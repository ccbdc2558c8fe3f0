import { ImpactProbe } from '../../agents/impact-probe.js';
import { MIN_PERIOD_US, PERIOD_WHY, endOrInfinity, num, tradingCommon, tradingParams, type AgentType } from './agent-registry.js';

/** Most distinct probe sizes. */
const MAX_SIZES = 20;

/**
 * `count` sizes spaced geometrically from `minQty` to `maxQty` (rounded to
 * whole lots, duplicates dropped): FACTS.md asks for a list spanning two
 * decades (0.01 % to 1 % of the day's volume), which an even spacing in log
 * size covers with few points.
 */
export function probeSizes(minQty: number, maxQty: number, count: number): number[] {
  if (maxQty < minQty) throw new RangeError(`maxQty (${maxQty}) must be at least minQty (${minQty})`);
  const sizes: number[] = [];
  for (let k = 0; k < count; k++) {
    const q = count === 1 ? minQty : Math.round(minQty * (maxQty / minQty) ** (k / (count - 1)));
    if (sizes[sizes.length - 1] !== q) sizes.push(q);
  }
  return sizes;
}

/** The impact probe (FACTS.md, "Microstructure": the impact curve). */
export const impactProbe: AgentType = {
  type: 'impact-probe',
  summary: 'measuring agent: market orders of listed sizes at Poisson times, mid read before and 1 s after (impact curve); trades nothing else',
  params: {
    ...tradingParams,
    minQty: { default: 1, doc: 'smallest probe, lots', min: 1, integer: true },
    maxQty: { default: 100, doc: 'largest probe, lots', min: 1, integer: true },
    sizeCount: { default: 5, doc: 'sizes from minQty to maxQty, spaced geometrically', min: 1, max: MAX_SIZES, integer: true },
    sizeWeightExponent: { default: 0, doc: 'a probe draws size Q with probability ∝ Q^−a (0: uniform; 0.5 spreads the probes\' volume evenly over the decades and gives small sizes, whose impact is near the noise, more probes)', min: 0, max: 4 },
    meanInterArrivalUs: { default: 60_000_000, doc: 'mean time between probes, µs (Poisson process)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    horizonUs: { default: 1_000_000, doc: 'the mid after is read this long after the order, µs (FACTS.md: 1 s)', min: 1, integer: true },
    startUs: { default: 0, doc: 'no probe before this time, µs', min: 0 },
    endUs: { default: 0, doc: 'no probe after this time, µs (0: never stops)', min: 0 },
  },
  build(name, p, ctx) {
    const c = tradingCommon(p, ctx);
    return new ImpactProbe(name, {
      ...c,
      sizes: probeSizes(num(p, 'minQty'), num(p, 'maxQty'), num(p, 'sizeCount')),
      sizeWeightExponent: num(p, 'sizeWeightExponent'),
      meanInterArrivalUs: num(p, 'meanInterArrivalUs'),
      horizonUs: num(p, 'horizonUs'),
      startUs: num(p, 'startUs'),
      endUs: endOrInfinity(num(p, 'endUs')),
    });
  },
};
