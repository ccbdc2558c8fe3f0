import { requireHaircut, type HaircutPolicy } from './haircut-policy.js';

/**
 * A haircut that ignores volatility: `h` always, so maximum leverage is the
 * constant `1/h` — the fixed `λ_max` of Thurner, Farmer & Geanakoplos (2012),
 * "Leverage causes fat tails and clustered volatility", Quantitative Finance
 * 12(5). The acyclical baseline against which procyclical policies are compared.
 */
export class FixedHaircut implements HaircutPolicy {
  readonly h: number;

  /** @param h the haircut, in [0, 1] */
  constructor(h: number) {
    this.h = requireHaircut('h', h);
  }

  haircut(_sigma: number): number {
    return this.h;
  }
}
