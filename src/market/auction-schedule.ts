import { isMicros, type Micros } from '../engine/time.js';

/**
 * When a venue's call auctions collect and uncross, session by session.
 *
 * - An opening auction (Xetra, Euronext, LSE): the first `openingUs` of each
 *   session are a call phase, uncrossed at `openingUs` after the open, when
 *   continuous trading starts.
 * - A closing auction: the last `closingUs` of each session are a call
 *   phase, uncrossed 1 µs before the close, so its price is the session's
 *   closing price.
 * - A batch market (frequent batch auctions, Budish, Cramton & Shim 2015;
 *   the market clearing of Thurner, Farmer & Geanakoplos 2012): no
 *   continuous trading at all; the call never ends and uncrosses every
 *   `batchUs` (1 µs before each multiple of it from the open, the last one
 *   1 µs before the close).
 *
 * Session `d` covers [d·L, (d+1)·L) as on the calendar.
 */
export interface AuctionTimes {
  /** Opening call length, µs; 0: none. */
  readonly openingUs: Micros;
  /** Closing call length, µs; 0: none. */
  readonly closingUs: Micros;
  /** Batch interval, µs; 0: a continuous market. */
  readonly batchUs: Micros;
}

/** What happens at a transition inside a session. */
export type AuctionAction = 'call' | 'uncross';

export class AuctionSchedule {
  /** Whether each session opens in a call phase (an opening auction or a batch market). */
  readonly callsAtOpen: boolean;
  /** Whether the call never ends (a batch market). */
  readonly batch: boolean;
  private readonly sessionUs: Micros;
  private readonly sessions: number;
  private readonly batchUs: Micros;
  private readonly hasClosing: boolean;
  /** In-session transitions after the open, ascending offsets (µs from the open). */
  private readonly offsets: number[] = [];
  private readonly actions: AuctionAction[] = [];

  /** @throws RangeError when the times do not fit the session */
  constructor(sessionUs: Micros, sessions: number, times: AuctionTimes) {
    const { openingUs, closingUs, batchUs } = times;
    for (const [name, v] of [['opening', openingUs], ['closing', closingUs], ['batch', batchUs]] as const) {
      if (!isMicros(v)) throw new RangeError(`the ${name} auction time must be a non-negative integer of µs, got ${v}`);
    }
    if (batchUs > 0 && (openingUs > 0 || closingUs > 0)) throw new RangeError('a batch market has no opening or closing auction: it is in a call all session');
    if (openingUs + closingUs >= sessionUs) throw new RangeError(`the opening and closing calls (${openingUs + closingUs} µs) must leave continuous trading in a session of ${sessionUs} µs`);
    if (batchUs === 1) throw new RangeError('a batch interval must be at least 2 µs: each uncrossing falls 1 µs before its end, after the open');
    this.sessionUs = sessionUs;
    this.sessions = sessions;
    this.batchUs = batchUs;
    this.hasClosing = closingUs > 0;
    this.batch = batchUs > 0;
    this.callsAtOpen = openingUs > 0 || this.batch;
    if (openingUs > 0) this.push(openingUs, 'uncross');
    if (closingUs > 0) {
      this.push(sessionUs - closingUs, 'call');
      this.push(sessionUs - 1, 'uncross');
    }
  }

  /** Whether trading time `t` is a closing uncrossing (after it the session is over: nothing more trades before the next open). */
  closesAt(t: Micros): boolean {
    return this.hasClosing && t % this.sessionUs === this.sessionUs - 1;
  }

  /** Whether any auction runs. */
  get active(): boolean {
    return this.batch || this.offsets.length > 0;
  }

  /** The first in-session transition strictly after trading time `t`, or undefined when none is left in the run. */
  next(t: Micros): { readonly at: Micros; readonly action: AuctionAction } | undefined {
    const day = Math.floor(t / this.sessionUs);
    const within = t - day * this.sessionUs;
    if (this.batch) return this.nextBatch(day, within);
    if (this.offsets.length === 0) return undefined;
    for (let i = 0; i < this.offsets.length; i++) {
      const offset = this.offsets[i] as number;
      if (offset > within) return day < this.sessions ? { at: day * this.sessionUs + offset, action: this.actions[i] as AuctionAction } : undefined;
    }
    return day + 1 < this.sessions ? { at: (day + 1) * this.sessionUs + (this.offsets[0] as number), action: this.actions[0] as AuctionAction } : undefined;
  }

  /** Batch uncrossings fall at min(k·B, L) − 1 for k ≥ 1 (computed, not listed: a short interval gives many a session). */
  private nextBatch(day: number, within: Micros): { readonly at: Micros; readonly action: AuctionAction } | undefined {
    const b = this.batchUs;
    const l = this.sessionUs;
    const u = Math.min((Math.floor((within + 1) / b) + 1) * b, l) - 1;
    if (u > within) return day < this.sessions ? { at: day * l + u, action: 'uncross' } : undefined;
    return day + 1 < this.sessions ? { at: (day + 1) * l + Math.min(b, l) - 1, action: 'uncross' } : undefined;
  }

  private push(offset: number, action: AuctionAction): void {
    // An offset of 0 would fall on the open, which the session boundary handles.
    if (offset <= 0) throw new RangeError(`an auction transition must fall after the open, got offset ${offset} µs`);
    this.offsets.push(offset);
    this.actions.push(action);
  }
}
