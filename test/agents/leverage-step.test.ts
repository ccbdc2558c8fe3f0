import { describe, expect, it } from 'vitest';
import { planStep, type LeverageStep, type LeverageStepView } from '../../src/agents/leverage-step.js';
import { TrackedLoan } from '../../src/agents/tracked-loan.js';
import { NO_PRICE } from '../../src/market/market-data.js';

/** A trader at price 100 holding 1 000 lots and 20 000 in cash, haircut 0.2, wanting 3 000 lots. */
function view(borrowAhead: boolean, over: Partial<LeverageStepView> = {}): LeverageStepView {
  const loan = new TrackedLoan(0);
  return {
    mid: 100,
    ask: NO_PRICE,
    desired: 3_000,
    position: 1_000,
    cash: 20_000,
    freeLots: 1_000,
    loan,
    utilisation: 1,
    feeAllowance: 0,
    pledgeBuffer: 0,
    minorPerTickLot: 1,
    borrowAhead,
    haircut: () => 0.2,
    maxPositionAt: () => 10_000,
    ...over,
  };
}

function plan(v: LeverageStepView): LeverageStep {
  const out: LeverageStep = { kind: 'none', qty: 0, amount: 0 };
  planStep(v, false, 0, out);
  return out;
}

describe('planStep: borrowing ahead in a call', () => {
  it('should buy with cash first in continuous trading (the loop: buy, pledge, borrow)', () => {
    expect(plan(view(false))).toEqual({ kind: 'buy', qty: 196, amount: 0 });
  });

  it('should borrow what the lots held raise before buying when trades wait for the next ladder', () => {
    // Capacity 1 000 · 100 · 0.8 − 0 − 1 = 79 999; pledging what that debt needs at h = 0.2: 1 000 lots.
    expect(plan(view(true))).toEqual({ kind: 'borrow', qty: 1_000, amount: 79_999 });
  });

  it('should buy once the capacity is used up, and never borrow past the haircut', () => {
    const loan = new TrackedLoan(0);
    loan.debt = 79_999;
    loan.pledged = 1_000;
    expect(plan(view(true, { loan, cash: 99_999, freeLots: 0 }))).toEqual({ kind: 'buy', qty: 980, amount: 0 });
  });
});
