import type { Side } from '../market/side.js';

/**
 * A demand schedule: the position an agent wants if the market clears at
 * `price` ticks, lots (any real; floored here). It must not rise with the
 * price — a call auction collects limit orders, and a limit buy at p also
 * trades at every lower price, so only a falling schedule can be sent.
 */
export interface DemandSchedule {
  positionAt(price: number): number;
}

/** Where a ladder's orders go: one limit order per level. */
export interface LadderSink {
  ladderOrder(side: Side, price: number, qty: number): void;
}

/** How a ladder is laid out and what bounds it. */
export interface LadderBounds {
  /** Orders a side, ≥ 1. */
  levels: number;
  /** Spacing of the first two levels, ticks ≥ 1; level i lies step·i(i+1)/2 from the first. */
  stepTicks: number;
  /** Lowest price a sell goes at, ticks ≥ 1: a schedule that wants out at any price sells here, not at 1 tick (what a venue's collar does to a market order). */
  minPrice: number;
  /** Highest price searched for the schedule's crossing, ticks. */
  maxPrice: number;
  /** Cash the buys may hold, minor units. */
  cash: number;
  /** Minor units a lot of a buy holds at `price`: notional, fee allowance and rounding. */
  holdPerLot(price: number): number;
  /** Lots the sells may deliver. */
  sellable: number;
}

/** Smallest offset of level `i` from the ladder's first price, ticks: step·i(i+1)/2 (dense where the call is likely to clear, sparse in the tails). */
export function ladderOffset(i: number, stepTicks: number): number {
  return (stepTicks * i * (i + 1)) / 2;
}

/**
 * Sends `schedule` into a call auction as limit orders (the Walrasian demand
 * schedules of Thurner, Farmer & Geanakoplos 2012, §2, submitted the way a
 * call auction takes them, as Xetra and Euronext participants do): buys
 * below the highest price at which the schedule wants more than `position`,
 * sells above the lowest at which it wants less. Level i adds what the
 * schedule adds between level i − 1 and level i, so that whatever price the
 * call clears at, the lots traded are the schedule's change of position at
 * that price (to the level below it), within `cash` for buys and `sellable`
 * for sells. Returns the orders sent.
 */
export function sendDemandLadder(schedule: DemandSchedule, position: number, bounds: LadderBounds, sink: LadderSink): number {
  const buyTop = lastPriceAbove(schedule, position, bounds.maxPrice);
  const sellBottom = firstPriceBelow(schedule, position, bounds.minPrice, bounds.maxPrice);
  let sent = 0;
  if (buyTop >= 1) {
    let budget = bounds.cash;
    let bought = 0;
    for (let i = 0; i < bounds.levels; i++) {
      const p = Math.round(buyTop - ladderOffset(i, bounds.stepTicks));
      if (p < 1) break;
      const perLot = bounds.holdPerLot(p);
      const qty = Math.min(Math.floor(schedule.positionAt(p)) - position - bought, Math.floor(budget / perLot));
      if (qty <= 0) continue;
      sink.ladderOrder('buy', p, qty);
      sent++;
      bought += qty;
      budget -= qty * perLot;
    }
  }
  if (sellBottom >= 1) {
    let sold = 0;
    for (let i = 0; i < bounds.levels; i++) {
      const p = Math.round(sellBottom + ladderOffset(i, bounds.stepTicks));
      if (p > bounds.maxPrice) break;
      const qty = Math.min(position - Math.floor(schedule.positionAt(p)) - sold, bounds.sellable - sold);
      if (qty <= 0) continue;
      sink.ladderOrder('sell', p, qty);
      sent++;
      sold += qty;
    }
  }
  return sent;
}

/** The highest price in [1, maxPrice] at which the schedule wants more than `position` lots; 0 when none (bisection: the schedule falls with price). */
function lastPriceAbove(schedule: DemandSchedule, position: number, maxPrice: number): number {
  if (!(Math.floor(schedule.positionAt(1)) > position)) return 0;
  let lo = 1;
  let hi = maxPrice;
  if (Math.floor(schedule.positionAt(hi)) > position) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.floor(schedule.positionAt(mid)) > position) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The lowest price in [minPrice, maxPrice] at which the schedule wants fewer than `position` lots; 0 when none. */
function firstPriceBelow(schedule: DemandSchedule, position: number, minPrice: number, maxPrice: number): number {
  if (!(Math.floor(schedule.positionAt(maxPrice)) < position)) return 0;
  let lo = Math.max(1, minPrice);
  let hi = maxPrice;
  if (Math.floor(schedule.positionAt(lo)) < position) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.floor(schedule.positionAt(mid)) < position) hi = mid;
    else lo = mid;
  }
  return hi;
}
