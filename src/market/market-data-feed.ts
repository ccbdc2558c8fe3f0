import type { Kernel, Scheduled } from '../engine/kernel.js';
import type { AgentId } from '../engine/agent-id.js';
import type { Micros } from '../engine/time.js';

/** Builds the snapshot a subscriber receives; implemented by the exchange. */
export interface SnapshotSource {
  /** Sends a snapshot caused by `cause` (the delivery of the last change it reports; null: the run's start). */
  sendSnapshot(to: AgentId, instrument: number, depth: number, update: boolean, cause: Scheduled | null): void;
}

/**
 * Market-data subscriptions of one venue, with per-subscriber throttling: a
 * subscriber gets at most one update per `minIntervalUs`; a change inside the
 * interval is sent when it ends (the state at that time, not every
 * intermediate one), like a conflated feed. A conflated update's cause is the
 * last change it reports, so causal chains run through the feed exactly.
 */
export class MarketDataFeed {
  /** Per instrument: subscriber agent ids, depths, intervals, next allowed send time, pending flag. */
  private readonly subs: Subscription[][] = [];
  /**
   * The one pending flush wake-up, or null. An earlier one replaces it (the
   * later is cancelled): a wake-up per change would multiply without bound.
   */
  private pendingFlush: Scheduled | null = null;
  /** Per instrument: the delivery that last changed its top and its depth. */
  private readonly lastTopCause: (Scheduled | null)[] = [];
  private readonly lastDepthCause: (Scheduled | null)[] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly venue: AgentId,
    private readonly source: SnapshotSource,
    /** The wake-up tag the venue reserves for flushes. */
    private readonly flushTag: number,
  ) {}

  subscribe(instrument: number, agent: AgentId, depth: number, minIntervalUs: Micros): void {
    const list = (this.subs[instrument] ??= []);
    const existing = list.find((s) => s.agent === agent);
    if (existing !== undefined) {
      existing.depth = depth;
      existing.minIntervalUs = minIntervalUs;
      return;
    }
    list.push({ agent, depth, minIntervalUs, nextAllowed: 0, pending: false });
  }

  unsubscribe(instrument: number, agent: AgentId): void {
    const list = this.subs[instrument];
    if (list === undefined) return;
    const i = list.findIndex((s) => s.agent === agent);
    if (i >= 0) list.splice(i, 1);
  }

  /**
   * The book of `instrument` changed at `now`; `topChanged` when its best
   * prices, sizes or last trade did (L1 subscribers hear only of those).
   */
  changed(instrument: number, now: Micros, topChanged: boolean): void {
    const list = this.subs[instrument];
    if (list === undefined) return;
    const cause = this.kernel.currentDelivery;
    this.lastDepthCause[instrument] = cause;
    if (topChanged) this.lastTopCause[instrument] = cause;
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Subscription;
      if (!topChanged && s.depth === 0) continue;
      if (now >= s.nextAllowed) this.deliver(instrument, s, now);
      else if (!s.pending) {
        s.pending = true;
        this.scheduleFlush(s.nextAllowed);
      }
    }
  }

  /**
   * Called on the venue's flush wake-up: sends every pending update that is
   * due and schedules one wake-up for the earliest still to come. A wake-up
   * other than the pending one (there should be none) is ignored, so a stray
   * delivery can neither send early nor leave a second wake-up behind.
   */
  flush(now: Micros): void {
    const current = this.pendingFlush;
    if (current === null || current.id !== this.kernel.currentId) return;
    this.pendingFlush = null;
    let next = Number.POSITIVE_INFINITY;
    for (let instrument = 0; instrument < this.subs.length; instrument++) {
      const list = this.subs[instrument];
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i++) {
        const s = list[i] as Subscription;
        if (!s.pending) continue;
        if (now >= s.nextAllowed) this.deliver(instrument, s, now);
        else if (s.nextAllowed < next) next = s.nextAllowed;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.scheduleFlush(next);
  }

  private deliver(instrument: number, s: Subscription, now: Micros): void {
    s.pending = false;
    s.nextAllowed = now + s.minIntervalUs;
    const cause = (s.depth === 0 ? this.lastTopCause[instrument] : this.lastDepthCause[instrument]) ?? this.kernel.currentDelivery;
    this.source.sendSnapshot(s.agent, instrument, s.depth, true, cause);
  }

  /** Makes sure a flush runs at `time` or earlier, keeping one pending wake-up. */
  private scheduleFlush(time: Micros): void {
    const pending = this.pendingFlush;
    if (pending !== null) {
      if (pending.time <= time) return;
      this.kernel.cancel(pending);
    }
    this.pendingFlush = this.kernel.wakeAt(this.venue, time, this.flushTag);
  }
}

interface Subscription {
  readonly agent: AgentId;
  depth: number;
  minIntervalUs: Micros;
  nextAllowed: Micros;
  pending: boolean;
}
