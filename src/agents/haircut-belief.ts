import { requireHaircut } from './haircut-policy.js';

/**
 * A borrower's belief about its lender's initial haircut, learnt from the
 * credit venue's replies when the lender's terms are not quoted to it.
 * Values are collateral values in minor units at the borrower's last mid.
 *
 * - a refusal for `INSUFFICIENT_COLLATERAL` of a draw (or release) that
 *   would have left debt `D'` against collateral worth `V'` proves
 *   `h > h' = 1 − D'/V'`: the belief becomes `max(belief, h')` plus `probe`
 *   of the way to 1;
 * - a granted draw proves `h ≤ 1 − D/V`: the belief becomes at most that,
 *   then falls by `probe` (relative) to probe for looser terms;
 * - it never goes below the maintenance haircut implied by the health
 *   factor of any loan report, `1 − HF·D/V` (the initial haircut is at
 *   least that).
 *
 * So the belief brackets the lender's haircut from the two sides, at the
 * cost of an occasional refusal; a rise of the lender's haircut is learnt at
 * its next refusal or loan report (a margin call, a liquidation).
 */
export class HaircutBelief {
  /** The believed initial haircut, in [0, 1]. */
  value: number;
  /** How far the belief moves after each reply (relative step), in [0, 1). */
  readonly probe: number;

  constructor(assumed: number, probe: number) {
    this.value = requireHaircut('assumedHaircut', assumed);
    if (!(probe >= 0 && probe < 1)) throw new RangeError(`haircutProbe must be in [0, 1), got ${probe}`);
    this.probe = probe;
  }

  /** A draw was granted: debt `debt` now stands against collateral worth `value`. */
  afterGrant(debt: number, value: number): void {
    if (value > 0 && debt > 0) this.value = Math.min(this.value, 1 - debt / value);
    this.value = Math.max(0, this.value * (1 - this.probe));
  }

  /** A draw or release was refused: it would have left `debt` against collateral worth `value`. */
  afterRefusal(debt: number, value: number): void {
    const bound = value > 0 ? 1 - debt / value : this.value;
    const h = Math.min(1, Math.max(this.value, bound));
    this.value = h + (1 - h) * this.probe;
  }

  /** A loan report: the initial haircut is at least the maintenance haircut its health factor implies. */
  floor(healthFactor: number, debt: number, value: number): void {
    if (!(value > 0 && debt > 0 && Number.isFinite(healthFactor))) return;
    const implied = 1 - (healthFactor * debt) / value;
    if (implied > this.value) this.value = Math.min(1, implied);
  }
}
