/**
 * The side of an order: `'buy'` rests on the bid, `'sell'` rests on the ask.
 *
 * A string literal union rather than an enum so that messages, YAML and test
 * output stay readable, and so that `switch` over it is checked for exhaustiveness.
 */
export type Side = 'buy' | 'sell';

/** Every side, in a fixed order (useful for iteration and for test generators). */
export const SIDES: readonly Side[] = ['buy', 'sell'];

/**
 * The side an order of `side` trades against: a buy takes liquidity from the
 * sell side and vice versa.
 */
export function opposite(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}

/** True for the two valid side strings; guards input arriving from untyped sources. */
export function isSide(value: unknown): value is Side {
  return value === 'buy' || value === 'sell';
}
