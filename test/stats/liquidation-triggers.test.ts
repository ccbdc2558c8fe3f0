import { describe, expect, it } from 'vitest';
import { countByTrigger, LIQUIDATION_TRIGGERS } from '../../src/stats/liquidation-triggers.js';

describe('countByTrigger', () => {
  it('counts each trigger, lists every one (zero included) and ignores names it does not know', () => {
    const counts = countByTrigger(['price', 'terms', 'price', 'call', 'constructor', 'toString', '']);
    expect(counts).toEqual({ price: 2, terms: 1, interest: 0, call: 1, borrow: 0, collateral: 0, liquidation: 0 });
    expect(Object.keys(counts)).toEqual([...LIQUIDATION_TRIGGERS]);
  });
});
