import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUCTION_MARKET, allocateAuction, allocateAuctionWithoutSelfTrades, auctionPrice, demandSupplyAt, type AuctionAllocation, type AuctionOrder } from '../../src/market/auction-clearing.js';

let nextSeq = 0;
const order = (side: 'buy' | 'sell', price: number, qty: number, id = nextSeq): AuctionOrder => ({ id, owner: id % 5, side, price, qty, seq: nextSeq++ });

/** The rule written out over every integer price in range, as the docs state it. */
function bruteForce(orders: readonly AuctionOrder[], reference: number) {
  const limits = orders.filter((o) => o.price !== AUCTION_MARKET).map((o) => o.price);
  const lo = Math.min(reference, ...limits);
  const hi = Math.max(reference, ...limits);
  const all = [];
  for (let p = lo; p <= hi; p++) {
    const { demand, supply } = demandSupplyAt(orders, p);
    all.push({ p, vol: Math.min(demand, supply), surplus: Math.abs(demand - supply), imbalance: demand - supply });
  }
  const maxVol = Math.max(...all.map((c) => c.vol));
  if (maxVol === 0) return undefined;
  const byVol = all.filter((c) => c.vol === maxVol);
  const minSurplus = Math.min(...byVol.map((c) => c.surplus));
  const tied = byVol.filter((c) => c.surplus === minSurplus);
  let pick;
  if (tied.every((c) => c.imbalance > 0)) pick = tied[tied.length - 1];
  else if (tied.every((c) => c.imbalance < 0)) pick = tied[0];
  else {
    const d = Math.min(...tied.map((c) => Math.abs(c.p - reference)));
    pick = tied.find((c) => Math.abs(c.p - reference) === d);
  }
  return pick === undefined ? undefined : { price: pick.p, volume: pick.vol, imbalance: pick.imbalance };
}

const arbOrders = fc
  .array(
    fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      price: fc.integer({ min: 1, max: 40 }),
      qty: fc.integer({ min: 1, max: 30 }),
      isMarket: fc.integer({ min: 0, max: 9 }),
    }),
    { maxLength: 25 },
  )
  .map((rows) => rows.map((r, i): AuctionOrder => ({ id: 100 + i, owner: i % 4, side: r.side, price: r.isMarket === 0 ? AUCTION_MARKET : r.price, qty: r.qty, seq: i })));

describe('auctionPrice', () => {
  it('should find the price a brute-force search over every tick finds (volume, surplus, market pressure, reference)', () => {
    fc.assert(
      fc.property(arbOrders, fc.integer({ min: 1, max: 45 }), (orders, reference) => {
        expect(auctionPrice(orders, reference)).toEqual(bruteForce(orders, reference));
      }),
      { numRuns: 2000 },
    );
  });

  it('should follow each step of the rule on hand-made books', () => {
    nextSeq = 0;
    // Step 1: the most volume. Buys 10@103, 10@101; sells 15@100. At 100–101: 15 trades; at 102–103: 10.
    // Then step 3: 100 and 101 tie (volume 15, buy surplus 5), so the highest.
    expect(auctionPrice([order('buy', 103, 10), order('buy', 101, 10), order('sell', 100, 15)], 102)).toEqual({ price: 101, volume: 15, imbalance: 5 });
    // Step 2: the smallest surplus. Buys 10@102; sells 6@100, 6@102. At 100–101: volume 6 (surplus 4); at 102: volume 10 (surplus 2).
    expect(auctionPrice([order('buy', 102, 10), order('sell', 100, 6), order('sell', 102, 6)], 100)).toEqual({ price: 102, volume: 10, imbalance: -2 });
    // Step 3, sell side: sells 20@98, buys 10@100 → 98..100 tie with a sell surplus: the lowest.
    expect(auctionPrice([order('sell', 98, 20), order('buy', 100, 10)], 99)).toEqual({ price: 98, volume: 10, imbalance: -10 });
    // Step 4: no surplus anywhere in 95..105 → the reference when it lies inside, else the nearest end.
    const balanced = [order('buy', 105, 10), order('sell', 95, 10)];
    expect(auctionPrice(balanced, 99)?.price).toBe(99);
    expect(auctionPrice(balanced, 120)?.price).toBe(105);
    expect(auctionPrice(balanced, 50)?.price).toBe(95);
    // Market orders only: the reference price.
    expect(auctionPrice([order('buy', AUCTION_MARKET, 5), order('sell', AUCTION_MARKET, 5)], 77)).toEqual({ price: 77, volume: 5, imbalance: 0 });
    // Nothing crosses: no auction price.
    expect(auctionPrice([order('buy', 99, 5), order('sell', 101, 5)], 100)).toBeUndefined();
    expect(auctionPrice([], 100)).toBeUndefined();
    expect(() => auctionPrice([], 0)).toThrow(/reference price/);
  });
});

describe('allocateAuction', () => {
  const filled = (trades: ReturnType<typeof allocateAuction>, id: number) => trades.reduce((s, t) => s + (t.buyId === id ? t.qty : 0) + (t.sellId === id ? t.qty : 0), 0);

  it('should buy and sell every lot of the volume once, within each order, at prices the orders accept, the smaller side in full', () => {
    fc.assert(
      fc.property(arbOrders, fc.integer({ min: 1, max: 45 }), fc.constantFrom<AuctionAllocation>('time', 'pro-rata'), (orders, reference, allocation) => {
        const at = auctionPrice(orders, reference);
        if (at === undefined) return;
        const trades = allocateAuction(orders, at, allocation);
        const bought = trades.reduce((s, t) => s + t.qty, 0);
        expect(bought).toBe(at.volume);
        expect(trades.every((t) => t.qty > 0)).toBe(true);
        const { demand, supply } = demandSupplyAt(orders, at.price);
        for (const o of orders) {
          const f = filled(trades, o.id);
          expect(f).toBeLessThanOrEqual(o.qty);
          const accepts = o.price === AUCTION_MARKET || (o.side === 'buy' ? o.price >= at.price : o.price <= at.price);
          if (!accepts) expect(f).toBe(0);
          // The short side trades in full.
          const shortSide = demand <= supply ? 'buy' : 'sell';
          if (accepts && o.side === shortSide) expect(f).toBe(o.qty);
        }
        // Priority: in the order market, best limit, earliest, fills run full … full, part, nothing …;
        // pro rata, only within the one class that is cut, each order within a lot of its share.
        for (const side of ['buy', 'sell'] as const) {
          const rank = (o: AuctionOrder) => (o.price === AUCTION_MARKET ? Number.NEGATIVE_INFINITY : side === 'buy' ? -o.price : o.price);
          const list = orders.filter((o) => o.side === side && (o.price === AUCTION_MARKET || (side === 'buy' ? o.price >= at.price : o.price <= at.price)));
          list.sort((a, b) => rank(a) - rank(b) || a.seq - b.seq);
          let cut = false;
          for (let i = 0; i < list.length; i++) {
            const o = list[i] as AuctionOrder;
            const f = filled(trades, o.id);
            if (allocation === 'time' || cut) {
              if (cut) expect(f).toBe(0);
              if (f < o.qty) cut = true;
              continue;
            }
            const cls = list.filter((x) => rank(x) === rank(o));
            const clsFilled = cls.reduce((s, x) => s + filled(trades, x.id), 0);
            const clsQty = cls.reduce((s, x) => s + x.qty, 0);
            if (clsFilled < clsQty) {
              for (const x of cls) expect(Math.abs(filled(trades, x.id) - (x.qty * clsFilled) / clsQty)).toBeLessThan(1);
              i += cls.length - 1 - cls.indexOf(o);
              cut = true;
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('should ration the marginal price class by time, or pro rata with the odd lots in time order', () => {
    nextSeq = 0;
    // Buys: 10@101 (first), 30@100, 10@100 — sells 30@100. Price 100 (volume 30, buy surplus 20). The 101 bid fills in full; 20 lots go to the 100 class.
    const orders = [order('buy', 101, 10, 1), order('buy', 100, 30, 2), order('buy', 100, 10, 3), order('sell', 100, 30, 4)];
    const at = auctionPrice(orders, 100);
    expect(at).toEqual({ price: 100, volume: 30, imbalance: 20 });
    const byTime = allocateAuction(orders, at!, 'time');
    expect([filled(byTime, 1), filled(byTime, 2), filled(byTime, 3), filled(byTime, 4)]).toEqual([10, 20, 0, 30]);
    const proRata = allocateAuction(orders, at!, 'pro-rata');
    // 20 lots over a class of 40: 30·20/40 = 15 and 10·20/40 = 5.
    expect([filled(proRata, 1), filled(proRata, 2), filled(proRata, 3), filled(proRata, 4)]).toEqual([10, 15, 5, 30]);
    // Odd lots: 7 lots over three equal orders of 5 → 2, 2, 2, then one more to the earliest.
    nextSeq = 0;
    const odd = [order('buy', 100, 5, 1), order('buy', 100, 5, 2), order('buy', 100, 5, 3), order('sell', 100, 7, 4)];
    const oddAt = auctionPrice(odd, 100)!;
    const split = allocateAuction(odd, oddAt, 'pro-rata');
    expect([filled(split, 1), filled(split, 2), filled(split, 3)]).toEqual([3, 2, 2]);
    // Market orders come first: a market buy of 5 arrives last and still fills before the limits.
    nextSeq = 0;
    const withMarket = [order('buy', 100, 5, 1), order('sell', 100, 5, 2), order('buy', AUCTION_MARKET, 5, 3)];
    const mAt = auctionPrice(withMarket, 100)!;
    expect(mAt.volume).toBe(5);
    const m = allocateAuction(withMarket, mAt, 'time');
    expect([filled(m, 1), filled(m, 3)]).toEqual([0, 5]);
  });

  it('should leave a residual book that does not cross, so it can open a continuous session', () => {
    fc.assert(
      fc.property(arbOrders, fc.integer({ min: 1, max: 45 }), fc.constantFrom<AuctionAllocation>('time', 'pro-rata'), (orders, reference, allocation) => {
        const at = auctionPrice(orders, reference);
        const trades = at === undefined ? [] : allocateAuction(orders, at, allocation);
        const left = orders.filter((o) => o.price !== AUCTION_MARKET && filled(trades, o.id) < o.qty);
        const bestBid = Math.max(0, ...left.filter((o) => o.side === 'buy').map((o) => o.price));
        const bestAsk = Math.min(Number.POSITIVE_INFINITY, ...left.filter((o) => o.side === 'sell').map((o) => o.price));
        expect(bestBid).toBeLessThan(bestAsk);
      }),
      { numRuns: 1000 },
    );
  });

  it('should give the same trades for the same orders in any input order', () => {
    fc.assert(
      fc.property(arbOrders, fc.integer({ min: 1, max: 45 }), fc.constantFrom<AuctionAllocation>('time', 'pro-rata'), (orders, reference, allocation) => {
        const at = auctionPrice(orders, reference);
        if (at === undefined) return;
        const reversed = [...orders].reverse();
        expect(auctionPrice(reversed, reference)).toEqual(at);
        expect(allocateAuction(reversed, at, allocation)).toEqual(allocateAuction(orders, at, allocation));
      }),
      { numRuns: 500 },
    );
  });

  it('without self-trades: no account trades with itself, the others still trade the whole volume when they can, and blocking keeps the residual uncrossed', () => {
    fc.assert(
      fc.property(arbOrders, fc.integer({ min: 1, max: 45 }), fc.constantFrom<AuctionAllocation>('time', 'pro-rata'), (orders, reference, allocation) => {
        const at = auctionPrice(orders, reference);
        if (at === undefined) return;
        const { trades, blocked } = allocateAuctionWithoutSelfTrades(orders, at, allocation);
        for (const t of trades) expect(t.buyOwner).not.toBe(t.sellOwner);
        const volume = trades.reduce((s, t) => s + t.qty, 0);
        if (blocked.length === 0) expect(volume).toBe(at.volume);
        else expect(volume).toBeLessThan(at.volume);
        // Each order trades at most what the plain allocation gave it.
        const plain = allocateAuction(orders, at, allocation);
        for (const o of orders) expect(filled(trades, o.id)).toBeLessThanOrEqual(filled(plain, o.id));
        // Blocked orders leave; what remains of the rest does not cross.
        const left = orders.filter((o) => o.price !== AUCTION_MARKET && !blocked.includes(o.id) && filled(trades, o.id) < o.qty);
        const bestBid = Math.max(0, ...left.filter((o) => o.side === 'buy').map((o) => o.price));
        const bestAsk = Math.min(Number.POSITIVE_INFINITY, ...left.filter((o) => o.side === 'sell').map((o) => o.price));
        expect(bestBid).toBeLessThan(bestAsk);
        // Blocking happens only where an owner's own lots were all that was left to pair.
        for (const id of blocked) {
          const o = orders.find((x) => x.id === id)!;
          expect(orders.some((x) => x.owner === o.owner && x.side !== o.side && blocked.includes(x.id))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
