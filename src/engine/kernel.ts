import { Observable, Subject } from 'rxjs';
import { EventChannel } from './event-channel.js';
import { DELIVERED, EventQueue, type Queued } from './event-queue.js';
import { ConstantLatency, type LatencyModel } from './latency-model.js';
import type { AgentId } from './agent-id.js';
import type { Message } from './message.js';
import { RandomStream } from './random-stream.js';
import type { SimEvent } from './sim-event.js';
import { isMicros, type Micros } from './time.js';

/**
 * Anything the kernel delivers to. Handlers get the current time passed in;
 * an agent acts only through the kernel (messages, wake-ups, events).
 * Declared here, beside the kernel that calls it, so that agent.ts (the
 * `BaseAgent` convenience) imports the kernel and not the other way round.
 */
export interface Agent {
  /** Stable, unique name: the key of its random stream and of its outputs. */
  readonly name: string;
  /** Called once by `Kernel.register`. */
  attach(kernel: Kernel, id: AgentId): void;
  onStart(now: Micros): void;
  onMessage(now: Micros, message: Message, from: AgentId): void;
  onWakeup(now: Micros, tag: number): void;
  onStop(now: Micros): void;
}

const MESSAGE = 0;
const WAKEUP = 1;

/** A scheduled delivery; also the handle that `cancel` takes and that `sendCausedBy` names a cause by. */
export interface Scheduled extends Queued {
  readonly kind: typeof MESSAGE | typeof WAKEUP;
  /** Unique id of this delivery; the cause of whatever its handler does. */
  readonly id: number;
  readonly causeId: number;
  readonly to: AgentId;
  readonly from: AgentId;
  readonly message: Message | null;
  readonly tag: number;
}

/**
 * The kernel's own record of a delivery: its causal lineage, folded. Rather
 * than every id's cause forever, each delivery carries the nearest *marked*
 * delivery among its causes (see `Kernel.markCurrent`), taken from its cause
 * when it is created. A delivery may be marked while it is handled, after it
 * has already sent things: the mark then re-anchors those, found among the
 * pending deliveries (marks are few; a pending delivery keeps no reference
 * to its cause, which the heap would otherwise load at every delivery).
 * Memory follows the pending deliveries.
 */
interface Entry extends Scheduled {
  /** Nearest marked strict ancestor (0: none); final once its cause's handler has returned. */
  anchor: number;
  /** True once `markCurrent` was called while this entry was handled. */
  marked: boolean;
}

/** Default number of most recent ids whose exact cause `causeOf` answers (512 KB). */
export const CAUSE_WINDOW = 1 << 16;

/** Why `run` returned. */
export type StopReason = 'until' | 'max-steps' | 'stop-condition' | 'empty' | 'stopped';

/** Options of one `run` call. */
export interface RunOptions {
  /** Last time processed (inclusive); events later than this stay queued. */
  until?: Micros;
  /** Stop after this many deliveries. */
  maxSteps?: number;
  /** Checked after every delivery; true stops the run. */
  stopWhen?: (kernel: Kernel) => boolean;
}

/** Called after every delivery when installed (paranoid invariant checks). */
export interface StepHook {
  afterStep(kernel: Kernel, deliveryId: number): void;
}

/** Counters of the kernel's work. */
export interface KernelStats {
  messages: number;
  wakeups: number;
}

/** Kernel construction options. */
export interface KernelOptions {
  /** The master seed; every random stream is derived from it and a name. */
  seed: string | number;
  /** Default: 0 µs. */
  latency?: LatencyModel;
  /**
   * How many of the most recent ids `causeOf` and `causalChain` answer for:
   * a power of two, or Infinity to keep every cause of the run (4–8 bytes an
   * id, without bound; for tests and tools that walk whole chains). Default
   * {@link CAUSE_WINDOW}. Cascade reconstruction does not need it: it reads
   * the marked lineage, which is exact whatever the window.
   */
  causeWindow?: number;
}

/**
 * The discrete-event kernel. One thread, all in memory: it pops deliveries in
 * `(time, priority, seq)` order and hands each to its agent. It knows nothing
 * of markets. Causality is tracked for free: while a delivery is handled,
 * `currentId` is its id, and everything sent or emitted takes it as cause.
 */
export class Kernel {
  readonly seed: string | number;
  private readonly queue = new EventQueue<Entry>();
  private readonly agents: Agent[] = [];
  /** Deliveries (messages and wake-ups) handled by each agent: where a run's events go. */
  private readonly deliveries: number[] = [];
  private readonly names = new Map<string, AgentId>();
  private readonly subject = new Subject<SimEvent>();
  private readonly typed = new Map<string, Subject<SimEvent>>();
  private latency: LatencyModel;
  private hook: StepHook | null = null;
  private clock: Micros = 0;
  private lastId = 0;
  /** Causes of the last `window` ids, at `id & (length - 1)`; grows instead of wrapping when the window is unbounded. */
  private causes: Float64Array;
  private readonly window: number;
  private current = 0;
  private currentEntry: Entry | null = null;
  /** Marked delivery id → its nearest marked strict ancestor (0: none). */
  private readonly marks = new Map<number, number>();
  private started = false;
  private stopped = false;
  private halted = false;
  readonly stats: KernelStats = { messages: 0, wakeups: 0 };

  /** Typed past-tense events of the run; subscribe before `start`. */
  readonly events$: Observable<SimEvent> = this.subject.asObservable();

  constructor(options: KernelOptions) {
    this.seed = options.seed;
    this.latency = options.latency ?? new ConstantLatency(0);
    const window = options.causeWindow ?? CAUSE_WINDOW;
    if (!(window === Number.POSITIVE_INFINITY || (Number.isInteger(window) && window >= 2 && (window & (window - 1)) === 0))) {
      throw new RangeError(`causeWindow must be a power of two ≥ 2 or Infinity, got ${window}`);
    }
    this.window = window;
    this.causes = new Float64Array(window === Number.POSITIVE_INFINITY ? 1 << 16 : window);
  }

  /** Current simulated time in microseconds. */
  get now(): Micros {
    return this.clock;
  }

  /** Id of the delivery being handled (0 outside any handler). */
  get currentId(): number {
    return this.current;
  }

  /** True when someone listens to `events$` (every event). */
  get observed(): boolean {
    return this.subject.observed;
  }

  /**
   * True when someone listens to events of `type`, through `events$` or
   * `eventsOf(type)`. Emitters check it before building an event, so an
   * unobserved event costs one map lookup and no allocation.
   */
  observes(type: string): boolean {
    if (this.subject.observed) return true;
    const typed = this.typed.get(type);
    return typed !== undefined && typed.observed;
  }

  /** The events of one type only; subscribing turns on just that type's emission. */
  eventsOf<E extends SimEvent>(type: E['type']): Observable<E> {
    return this.typedSubject(type).asObservable() as Observable<E>;
  }

  /**
   * The emission of one event type, for an emitter to keep: its `observed`
   * and `emit` are `observes(type)` and `emit` without the lookup by name.
   */
  channel<E extends SimEvent>(type: E['type']): EventChannel<E> {
    return new EventChannel<E>(this.subject, this.typedSubject(type));
  }

  private typedSubject(type: string): Subject<SimEvent> {
    let typed = this.typed.get(type);
    if (typed === undefined) {
      typed = new Subject<SimEvent>();
      this.typed.set(type, typed);
    }
    return typed;
  }

  /**
   * A fresh id for an event, caused by the delivery being handled now.
   * Ids are 1, 2, 3, … in order of creation, shared with deliveries.
   */
  newId(): number {
    return this.record(this.current);
  }

  /**
   * The cause of an id this kernel issued (0 for the run's start), if it is
   * among the last `causeWindow` ids; -1 for an id never issued or already
   * forgotten. A ring of typed-array slots: memory stays flat however long
   * the run (what a failed invariant check or a debugger needs is recent).
   */
  causeOf(id: number): number {
    return id > 0 && id <= this.lastId && id > this.lastId - this.window ? this.causes[id & (this.causes.length - 1)] : -1;
  }

  /** The chain of causes of `id`, nearest first, ending at a root (cause 0) or where the window forgets. */
  causalChain(id: number): number[] {
    const chain: number[] = [];
    for (let c = this.causeOf(id); c > 0; c = this.causeOf(c)) chain.push(c);
    return chain;
  }

  /** The delivery being handled, as a cause for `sendCausedBy` later (null outside any handler: the run's start). */
  get currentDelivery(): Scheduled | null {
    return this.currentEntry;
  }

  /**
   * Marks the delivery being handled as one that outputs will name later
   * (a liquidation's delivery, the delivery that placed a liquidation's
   * sale): its nearest marked ancestor is kept for `markedAncestorOf`, and
   * every delivery it causes, directly or not, carries it as `currentAnchor`
   * until another marked delivery comes between. Marks are few; the rest of
   * the causal record is not kept. No-op outside a handler.
   */
  markCurrent(): void {
    const e = this.currentEntry;
    if (e === null || e.marked) return;
    e.marked = true;
    this.marks.set(e.id, e.anchor);
    // What this handler has sent so far took its anchor before the mark; nothing it sent has been delivered yet.
    const id = e.id;
    this.queue.forEach((pending) => {
      if (pending.causeId === id) pending.anchor = id;
    });
  }

  /** The nearest marked delivery among the causes of the delivery being handled (0: none, or outside a handler). */
  get currentAnchor(): number {
    return this.currentEntry === null ? 0 : this.currentEntry.anchor;
  }

  /**
   * For a marked delivery, the nearest marked delivery among its causes (0:
   * none); -1 for an id that was never marked. Walking it from a marked id
   * visits every marked ancestor, nearest first: causal chains with only
   * the marked links, exact however long the run.
   */
  markedAncestorOf(id: number): number {
    return this.marks.get(id) ?? -1;
  }

  /** The random stream derived from `(seed, name)`. */
  random(name: string): RandomStream {
    return new RandomStream(this.seed, name);
  }

  setLatency(model: LatencyModel): void {
    this.latency = model;
  }

  setStepHook(hook: StepHook | null): void {
    this.hook = hook;
  }

  /** Registers an agent; its id is its registration index. Names must be unique. */
  register<A extends Agent>(agent: A): A {
    if (this.started) throw new Error('agents must be registered before the run starts');
    if (this.names.has(agent.name)) throw new Error(`duplicate agent name: ${agent.name}`);
    const id = this.agents.length;
    this.agents.push(agent);
    this.deliveries.push(0);
    this.names.set(agent.name, id);
    agent.attach(this, id);
    return agent;
  }

  /** Deliveries (messages and wake-ups) `agent` has handled so far. */
  deliveriesTo(agent: AgentId): number {
    return this.deliveries[agent] ?? 0;
  }

  agent(id: AgentId): Agent {
    const a = this.agents[id];
    if (a === undefined) throw new RangeError(`unknown agent id ${id}`);
    return a;
  }

  idOf(name: string): AgentId | undefined {
    return this.names.get(name);
  }

  get agentCount(): number {
    return this.agents.length;
  }

  /**
   * Sends a message, delivered after the latency model's delay plus `extraDelay`.
   * Its cause is the delivery being handled now.
   */
  send(from: AgentId, to: AgentId, message: Message, extraDelay: Micros = 0): Scheduled {
    return this.queue.push(this.entry(MESSAGE, this.delivery(from, to, extraDelay), 0, from, to, message, 0, this.currentEntry), true);
  }

  /**
   * Sends a message whose cause is an earlier delivery rather than the one
   * being handled (null: the run's start): a conflated market-data update
   * sent on a timer is caused by the last book change it reports, not by the
   * timer. The cause must have been delivered already.
   */
  sendCausedBy(from: AgentId, to: AgentId, message: Message, cause: Scheduled | null, extraDelay: Micros = 0): Scheduled {
    const time = this.delivery(from, to, extraDelay);
    requireDelivered(cause);
    return this.queue.push(this.entry(MESSAGE, time, 0, from, to, message, 0, cause as Entry | null), true);
  }

  private delivery(from: AgentId, to: AgentId, extraDelay: Micros): Micros {
    const time = this.clock + this.latency.delay(from, to) + extraDelay;
    if (!isMicros(time) || time < this.clock) throw new RangeError(`delivery time ${time} is not a whole microsecond at or after now (${this.clock})`);
    return time;
  }

  /** Wakes `agent` at `time` (not before now) with a tag it chose. */
  wakeAt(agent: AgentId, time: Micros, tag = 0, priority = 0): Scheduled {
    return this.wake(agent, time, tag, priority, this.currentEntry);
  }

  /**
   * Wakes `agent` at `time` with a cause that is an earlier delivery rather
   * than the one being handled (null: the run's start), as `sendCausedBy`
   * does for messages: a venue that applies a lender's terms on a timer
   * (a loan's roll) is caused by the posting whose terms it applies, not by
   * whatever happened to schedule the timer. The cause must have been
   * delivered already (the delivery being handled counts).
   */
  wakeAtCausedBy(agent: AgentId, time: Micros, tag: number, cause: Scheduled | null, priority = 0): Scheduled {
    requireDelivered(cause);
    return this.wake(agent, time, tag, priority, cause as Entry | null);
  }

  private wake(agent: AgentId, time: Micros, tag: number, priority: number, cause: Entry | null): Scheduled {
    if (!isMicros(time) || time < this.clock) throw new RangeError(`wake-up time ${time} is not an integer at or after now (${this.clock})`);
    return this.queue.push(this.entry(WAKEUP, time, priority, agent, agent, null, tag, cause));
  }

  /** Cancels a scheduled delivery; returns false if it had already been cancelled or delivered. */
  cancel(handle: Scheduled): boolean {
    return this.queue.cancel(handle as Entry);
  }

  /** Publishes an observed event to the subscribers of `events$` and of its type. */
  emit(event: SimEvent): void {
    // rxjs allocates on every next(), observed or not: skip the stream nobody reads.
    if (this.subject.observed) this.subject.next(event);
    const typed = this.typed.get(event.type);
    if (typed !== undefined && typed.observed) typed.next(event);
  }

  /** Number of pending deliveries. */
  get pending(): number {
    return this.queue.size;
  }

  /** Most deliveries pending at once so far (a leak of wake-ups shows here first). */
  get peakPending(): number {
    return this.queue.peakSize;
  }

  /** Calls every agent's `onStart` in registration order, once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.agents.length; i++) (this.agents[i] as Agent).onStart(this.clock);
  }

  /** Runs until `time` inclusive. */
  runUntil(time: Micros): StopReason {
    return this.run({ until: time });
  }

  /**
   * Processes deliveries in order until a limit is reached. Can be called
   * repeatedly to advance a run in slices. The clock ends at `until` when the
   * queue has nothing earlier.
   */
  run(options: RunOptions = {}): StopReason {
    this.start();
    if (this.stopped) return 'stopped';
    const until = options.until ?? Number.POSITIVE_INFINITY;
    const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
    const stopWhen = options.stopWhen;
    const queue = this.queue;
    const agents = this.agents;
    const deliveries = this.deliveries;
    const stats = this.stats;
    this.halted = false;
    let steps = 0;
    for (;;) {
      if (steps >= maxSteps) return 'max-steps';
      const next = queue.peek();
      if (next === undefined) {
        if (until !== Number.POSITIVE_INFINITY) this.clock = Math.max(this.clock, until);
        return 'empty';
      }
      if (next.time > until) {
        // An `until` already past leaves the clock alone: time never runs backwards.
        if (until > this.clock) this.clock = until;
        return 'until';
      }
      queue.pop();
      this.clock = next.time;
      this.current = next.id;
      this.currentEntry = next;
      const agent = agents[next.to] as Agent;
      deliveries[next.to]++;
      if (next.kind === MESSAGE) {
        stats.messages++;
        agent.onMessage(next.time, next.message as Message, next.from);
      } else {
        stats.wakeups++;
        agent.onWakeup(next.time, next.tag);
      }
      this.current = 0;
      this.currentEntry = null;
      steps++;
      if (this.hook !== null) this.hook.afterStep(this, next.id);
      if (this.halted) return 'stopped';
      if (stopWhen !== undefined && stopWhen(this)) return 'stop-condition';
    }
  }

  /** Asks the running loop to return after the current delivery. */
  halt(): void {
    this.halted = true;
  }

  /** Calls every agent's `onStop` once and completes the event stream. */
  stop(): void {
    if (this.stopped) return;
    this.start();
    this.stopped = true;
    for (let i = 0; i < this.agents.length; i++) (this.agents[i] as Agent).onStop(this.clock);
    this.subject.complete();
    for (const typed of this.typed.values()) typed.complete();
  }

  private entry(kind: typeof MESSAGE | typeof WAKEUP, time: Micros, priority: number, from: AgentId, to: AgentId, message: Message | null, tag: number, cause: Entry | null): Entry {
    const causeId = cause === null ? 0 : cause.id;
    const anchor = cause === null ? 0 : cause.marked ? cause.id : cause.anchor;
    return { time, priority, seq: 0, cancelled: false, kind, id: this.record(causeId), causeId, to, from, message, tag, anchor, marked: false };
  }

  private record(causeId: number): number {
    const id = ++this.lastId;
    if (id >= this.causes.length && this.window === Number.POSITIVE_INFINITY) {
      const grown = new Float64Array(this.causes.length * 2);
      grown.set(this.causes);
      this.causes = grown;
    }
    this.causes[id & (this.causes.length - 1)] = causeId;
    return id;
  }
}

/** A cause named after the fact must already have been delivered (its handler has returned, its lineage is final). */
function requireDelivered(cause: Scheduled | null): void {
  if (cause !== null && cause.seq !== DELIVERED) throw new RangeError(`cause ${cause.id} has not been delivered`);
}
