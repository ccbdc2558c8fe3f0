import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BaseAgent } from '../../src/engine/agent.js';
import { Kernel, type Scheduled } from '../../src/engine/kernel.js';
import { ConstantLatency, JitteredLatency, PerAgentLatency, type LatencyModel } from '../../src/engine/latency-model.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import type { Message } from '../../src/engine/message.js';
import type { Micros } from '../../src/engine/time.js';
import { MarketDataFeed, type SnapshotSource } from '../../src/market/market-data-feed.js';

/**
 * The feed's wake-ups stay bounded whatever the subscriptions and the timing
 * of changes: at most one pending flush per feed. Before the fix, every flush
 * (stale ones included) scheduled another wake-up without cancelling the old
 * one, so subscribers with different intervals made wake-ups multiply (the
 * flagship with jittered latency ran out of memory with 1.36 M pending).
 */

const FLUSH_TAG = 1;
const CHANGE_TAG = 2;
const POKE: Message = { type: 'Poke' };
const SNAPSHOT: Message = { type: 'Snapshot' };

interface Sub {
  readonly instrument: number;
  readonly depth: number;
  readonly minIntervalUs: number;
}

interface Changer {
  /** Gap between its pokes, µs: this plus an exponential part of mean `meanGapUs`. */
  readonly minGapUs: number;
  readonly meanGapUs: number;
  readonly instrument: number;
  /** Share of pokes that change the top of book (others change depth only). */
  readonly topShare: number;
}

type Latency = { model: 'constant'; us: number } | { model: 'jittered'; baseUs: number; meanJitterUs: number } | { model: 'per-agent'; us: number[] };

interface Config {
  readonly subs: readonly Sub[];
  readonly changers: readonly Changer[];
  readonly latency: Latency;
  /** Stray wake-ups with the flush tag, at these times: they must do no harm. */
  readonly strays: readonly number[];
  readonly seed: number;
}

const HORIZON_US = 5_000;

/** A venue: holds the feed, sends snapshots as messages, and changes its book when poked. */
class Venue extends BaseAgent implements SnapshotSource {
  feed!: MarketDataFeed;
  sent = 0;
  /** Per subscriber agent: times snapshots were sent. */
  readonly sends = new Map<AgentId, Micros[]>();
  /** Per instrument: [time, topChanged] of each change. */
  readonly changes: [Micros, boolean][][] = [];
  /** Ids of the stray flush wake-ups, and how many have been delivered. */
  readonly strayIds = new Set<number>();
  strayDelivered = 0;

  override attach(kernel: Kernel, id: AgentId): void {
    super.attach(kernel, id);
    this.feed = new MarketDataFeed(kernel, id, this, FLUSH_TAG);
  }

  sendSnapshot(to: AgentId, _instrument: number, _depth: number, _update: boolean, cause: Scheduled | null): void {
    this.sent++;
    (this.sends.get(to) ?? this.sends.set(to, []).get(to)!).push(this.kernel.now);
    this.kernel.sendCausedBy(this.id, to, SNAPSHOT, cause);
  }

  override onMessage(now: Micros, message: Message): void {
    const poke = message as Message & { instrument?: number; top?: boolean };
    const instrument = poke.instrument ?? 0;
    const top = poke.top ?? true;
    (this.changes[instrument] ??= []).push([now, top]);
    this.feed.changed(instrument, now, top);
  }

  override onWakeup(now: Micros, tag: number): void {
    if (this.strayIds.has(this.kernel.currentId)) this.strayDelivered++;
    if (tag === FLUSH_TAG) this.feed.flush(now);
  }
}

/** Pokes the venue at exponential gaps; one pending wake-up at a time. */
class Poker extends BaseAgent {
  sent = 0;
  constructor(
    name: string,
    private readonly venue: AgentId,
    private readonly spec: Changer,
  ) {
    super(name);
  }

  override onStart(now: Micros): void {
    this.next(now);
  }

  override onWakeup(now: Micros): void {
    this.sent++;
    const msg = { type: 'Poke', instrument: this.spec.instrument, top: this.rng.bernoulli(this.spec.topShare) };
    this.kernel.send(this.id, this.venue, msg);
    this.next(now);
  }

  private next(now: Micros): void {
    const t = now + this.spec.minGapUs + Math.floor(this.rng.exponential(1 / this.spec.meanGapUs));
    if (t <= HORIZON_US) this.wakeAt(t, CHANGE_TAG);
  }
}

class Listener extends BaseAgent {
  received = 0;
  override onMessage(): void {
    this.received++;
  }
}

function latencyModel(l: Latency, kernel: Kernel): LatencyModel {
  switch (l.model) {
    case 'constant':
      return new ConstantLatency(l.us);
    case 'jittered':
      return new JitteredLatency(l.baseUs, l.meanJitterUs, kernel.random('latency'));
    case 'per-agent': {
      const m = new PerAgentLatency(0);
      l.us.forEach((us, agent) => m.set(agent, us));
      return m;
    }
  }
}

interface Outcome {
  readonly maxWakeups: number;
  readonly maxPending: number;
  readonly bound: number;
  readonly violations: string[];
}

/** Runs a config; checks after every delivery that the pending wake-ups are one per poker plus one flush plus the strays not delivered yet. */
function runFeed(c: Config): Outcome {
  const kernel = new Kernel({ seed: c.seed });
  const venue = kernel.register(new Venue('venue'));
  const pokers = c.changers.map((spec, i) => kernel.register(new Poker(`poker${i}`, venue.id, spec)));
  const listeners = c.subs.map((_, i) => kernel.register(new Listener(`sub${i}`)));
  kernel.setLatency(latencyModel(c.latency, kernel));
  c.subs.forEach((s, i) => venue.feed.subscribe(s.instrument, (listeners[i] as Listener).id, s.depth, s.minIntervalUs));
  for (const t of c.strays) venue.strayIds.add(kernel.wakeAt(venue.id, t, FLUSH_TAG).id);
  const bound = pokers.length + 1;
  let maxWakeups = 0;
  let maxPending = 0;
  const violations: string[] = [];
  kernel.setStepHook({
    afterStep(k) {
      // Messages in flight are the latency model's doing; the rest are wake-ups.
      const sentMessages = pokers.reduce((n, p) => n + p.sent, 0) + venue.sent;
      const inFlight = sentMessages - k.stats.messages;
      const strays = c.strays.length - venue.strayDelivered;
      const wakeups = k.pending - inFlight - strays;
      maxWakeups = Math.max(maxWakeups, wakeups);
      maxPending = Math.max(maxPending, k.pending);
      if (wakeups > bound && violations.length === 0) violations.push(`${wakeups} wake-ups pending at ${k.now} µs (bound ${bound})`);
    },
  });
  kernel.run({ until: HORIZON_US * 4 });
  // Throttled, not lost: every subscriber hears of every change that concerns it
  // within its interval, and never twice within one interval.
  c.subs.forEach((s, i) => {
    const id = (listeners[i] as Listener).id;
    const sends = venue.sends.get(id) ?? [];
    for (let k = 1; k < sends.length; k++) {
      if ((sends[k] as number) - (sends[k - 1] as number) < s.minIntervalUs) violations.push(`sub${i}: sends ${sends[k - 1]} and ${sends[k]} closer than ${s.minIntervalUs} µs`);
    }
    for (const [t, top] of venue.changes[s.instrument] ?? []) {
      if (!top && s.depth === 0) continue;
      if (!sends.some((u) => u >= t && u <= t + s.minIntervalUs)) violations.push(`sub${i}: change at ${t} µs not sent within ${s.minIntervalUs} µs`);
    }
  });
  return { maxWakeups, maxPending, bound, violations };
}

const subArb = fc.record({
  instrument: fc.integer({ min: 0, max: 1 }),
  depth: fc.constantFrom(0, 5),
  minIntervalUs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 51, max: 2_000 })),
});

const changerArb = fc.record({
  minGapUs: fc.constant(1),
  meanGapUs: fc.integer({ min: 1, max: 400 }),
  instrument: fc.integer({ min: 0, max: 1 }),
  topShare: fc.constantFrom(0, 0.5, 1),
});

const latencyArb: fc.Arbitrary<Latency> = fc.oneof(
  fc.record({ model: fc.constant('constant' as const), us: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ model: fc.constant('jittered' as const), baseUs: fc.integer({ min: 0, max: 200 }), meanJitterUs: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ model: fc.constant('per-agent' as const), us: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 12 }) }),
);

const configArb: fc.Arbitrary<Config> = fc.record({
  subs: fc.array(subArb, { minLength: 1, maxLength: 6 }),
  changers: fc.array(changerArb, { minLength: 1, maxLength: 3 }),
  latency: latencyArb,
  strays: fc.array(fc.integer({ min: 0, max: HORIZON_US }), { maxLength: 3 }),
  seed: fc.nat(),
});

describe('MarketDataFeed wake-ups', () => {
  it('should keep at most one pending flush per feed, whatever the subscriber intervals, change timing and latency model', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const out = runFeed(c);
        expect(out.violations).toEqual([]);
        expect(out.maxWakeups).toBeLessThanOrEqual(out.bound);
      }),
      { numRuns: 2_000 },
    );
  });

  it('should keep the pending count within a small multiple of the subscriptions when latency is shorter than the throttle', () => {
    // With every interval above the longest latency, at most one snapshot per
    // subscriber and one poke per poker are in flight, so
    // pending ≤ subscribers + pokers (their wake-ups) + pokers (their pokes) + one flush.
    const arb = fc.record({
      subs: fc.array(subArb.map((s) => ({ ...s, minIntervalUs: 301 + s.minIntervalUs })), { minLength: 1, maxLength: 6 }),
      changers: fc.array(changerArb.map((ch) => ({ ...ch, minGapUs: 301 })), { minLength: 1, maxLength: 3 }),
      latency: fc.oneof(
        fc.record({ model: fc.constant('constant' as const), us: fc.integer({ min: 0, max: 300 }) }),
        fc.record({ model: fc.constant('per-agent' as const), us: fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 12 }) }),
      ),
      strays: fc.constant([]),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const out = runFeed(c);
        expect(out.violations).toEqual([]);
        expect(out.maxPending).toBeLessThanOrEqual(2 * (c.subs.length + c.changers.length) + 1);
      }),
      { numRuns: 1_000 },
    );
  });

  it('should ignore a flush wake-up that is not the pending one: nothing sent early, no wake-up left behind', () => {
    const kernel = new Kernel({ seed: 1 });
    const venue = kernel.register(new Venue('venue'));
    const sub = kernel.register(new Listener('sub'));
    venue.feed.subscribe(0, sub.id, 0, 1_000);
    kernel.start();
    // A change at 0 is sent at once; a change at 10 must wait until 1000.
    kernel.send(venue.id, venue.id, POKE);
    kernel.run({ until: 10 });
    kernel.send(venue.id, venue.id, POKE);
    kernel.wakeAt(venue.id, 500, FLUSH_TAG); // a stray flush before the update is due
    kernel.run({ until: 10 });
    expect(kernel.pending).toBe(2); // the real flush at 1000 and the stray at 500
    kernel.run({ until: 999 });
    expect(venue.sends.get(sub.id)).toEqual([0]);
    expect(kernel.pending).toBe(1);
    kernel.run({ until: 5_000 });
    expect(venue.sends.get(sub.id)).toEqual([0, 1_000]);
    expect(kernel.pending).toBe(0);
  });
});
