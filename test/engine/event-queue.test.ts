import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPACT_MIN, EventQueue, type Queued } from '../../src/engine/event-queue.js';

interface Entry extends Queued {
  readonly id: number;
}

function entry(id: number, time: number, priority = 0): Entry {
  return { id, time, priority, seq: 0, cancelled: false };
}

/** The naive reference: every entry ever pushed, with its state. */
interface ModelEntry {
  readonly id: number;
  readonly time: number;
  readonly priority: number;
  /** Push order, the model's own tie-break. */
  readonly order: number;
  state: 'queued' | 'cancelled' | 'popped';
}

/** First queued entry of the model in (time, priority, push order). */
function modelFirst(model: ModelEntry[]): ModelEntry | undefined {
  const live = model.filter((m) => m.state === 'queued');
  live.sort((a, b) => a.time - b.time || a.priority - b.priority || a.order - b.order);
  return live[0];
}

type Op = { kind: 'push'; time: number; priority: number; inOrder: boolean } | { kind: 'pop' } | { kind: 'peek' } | { kind: 'cancel'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('push' as const), time: fc.integer({ min: 0, max: 6 }), priority: fc.integer({ min: -1, max: 1 }), inOrder: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('peek' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

describe('EventQueue', () => {
  it('should compact after a pop leaves the cancelled entries outnumbering the live ones (fast-check counterexample)', () => {
    const queue = new EventQueue<Entry>(2);
    const e = [entry(0, 0, 0), entry(1, 0, 0), entry(2, 0, 0), entry(3, 0, -1), entry(4, 0, 0), entry(5, 0, 0)];
    for (const x of e) queue.push(x);
    for (const i of [0, 4, 1]) queue.cancel(e[i] as Entry);
    expect(queue.stored - queue.size).toBe(3); // 3 cancelled, 3 live: no rebuild yet
    expect(queue.pop()?.id).toBe(3);
    expect(queue.size).toBe(2);
    expect(queue.stored - queue.size).toBeLessThanOrEqual(2);
    expect([queue.pop()?.id, queue.pop()?.id, queue.pop()]).toEqual([2, 5, undefined]);
  });

  it.each([
    ['the default compaction threshold', undefined],
    ['compaction after 2 cancelled entries', 2],
  ])('should pop in (time, priority, seq) order like a naive sorted model, under any pushes, pops, peeks and cancels, with %s', (_what, compactMin) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const queue = new EventQueue<Entry>(compactMin);
        const model: ModelEntry[] = [];
        const handles: Entry[] = [];
        for (const op of ops) {
          switch (op.kind) {
            case 'push': {
              const id = handles.length;
              const e = entry(id, op.time, op.priority);
              expect(queue.push(e, op.inOrder)).toBe(e);
              handles.push(e);
              model.push({ id, time: op.time, priority: op.priority, order: id, state: 'queued' });
              break;
            }
            case 'pop': {
              const want = modelFirst(model);
              const got = queue.pop();
              expect(got?.id).toBe(want?.id);
              if (got !== undefined) expect(got.cancelled).toBe(false);
              if (want !== undefined) want.state = 'popped';
              break;
            }
            case 'peek': {
              expect(queue.peek()?.id).toBe(modelFirst(model)?.id);
              break;
            }
            case 'cancel': {
              if (handles.length === 0) break;
              const i = op.pick % handles.length;
              const m = model[i] as ModelEntry;
              // Only a queued entry can be cancelled; cancelling one already
              // cancelled or already popped is a no-op that returns false.
              expect(queue.cancel(handles[i] as Entry)).toBe(m.state === 'queued');
              if (m.state === 'queued') m.state = 'cancelled';
              break;
            }
          }
          expect(queue.size).toBe(model.filter((m) => m.state === 'queued').length);
          // Cancelled entries never outnumber both the live ones and the threshold for long.
          if (compactMin !== undefined) expect(queue.stored - queue.size).toBeLessThanOrEqual(Math.max(compactMin, queue.size));
        }
        // Draining gives the model's remaining entries in order, then nothing.
        for (let want = modelFirst(model); want !== undefined; want = modelFirst(model)) {
          expect(queue.pop()?.id).toBe(want.id);
          want.state = 'popped';
        }
        expect(queue.pop()).toBeUndefined();
        expect(queue.peek()).toBeUndefined();
        expect(queue.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('should hold memory proportional to the live entries when far-future entries are cancelled and replaced by nearer ones', () => {
    const queue = new EventQueue<Entry>();
    // One live far-future entry replaced a million times: without compaction the heap keeps every cancelled one.
    let far = queue.push(entry(0, 1_000_000));
    for (let id = 1; id <= 1_000_000; id++) {
      queue.cancel(far);
      far = queue.push(entry(id, 1_000_000 - id));
    }
    expect(queue.size).toBe(1);
    expect(queue.stored).toBeLessThanOrEqual(COMPACT_MIN + 2);
    expect(queue.pop()?.id).toBe(1_000_000);
    expect(queue.pop()).toBeUndefined();
  });

  it('should pop entries with equal time and priority in push order, whether they took the in-order lane or the heap', () => {
    const queue = new EventQueue<Entry>();
    for (let id = 0; id < 100; id++) queue.push(entry(id, 5, 0), id % 3 !== 0);
    const out: number[] = [];
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) out.push(e.id);
    expect(out).toEqual([...Array(100).keys()]);
  });

  it('should keep the total order when in-order pushes go backwards in time (they take the heap) and the lane wraps and grows', () => {
    const queue = new EventQueue<Entry>(4);
    const times: number[] = [];
    for (let id = 0; id < 5000; id++) times.push(Math.floor(id / 3) + (id % 7 === 0 ? -5 : 0));
    const handles = times.map((t, id) => queue.push(entry(id, t), true));
    for (let id = 0; id < 5000; id += 11) queue.cancel(handles[id] as Entry);
    const out: number[] = [];
    for (let i = 0; i < 2000; i++) out.push((queue.pop() as Entry).id);
    for (let id = 5000; id < 6000; id++) {
      times.push(2000);
      queue.push(entry(id, 2000), true);
    }
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) out.push(e.id);
    const want = times.map((t, id) => ({ t, id })).filter(({ id }) => id >= 5000 || id % 11 !== 0);
    want.sort((a, b) => a.t - b.t || a.id - b.id);
    expect(out).toEqual(want.map((w) => w.id));
  });

  it('should still know the last entry of the in-order lane after a compaction', () => {
    const queue = new EventQueue<Entry>(2);
    const lane = [10, 20, 30, 40, 50, 60].map((t, id) => queue.push(entry(id, t), true));
    for (let i = 0; i < 4; i++) queue.cancel(lane[i] as Entry); // the fourth cancel compacts: 50 and 60 stay
    expect(queue.stored).toBe(2);
    queue.push(entry(6, 55), true); // before the lane's last: must take the heap
    expect([queue.pop(), queue.pop(), queue.pop(), queue.pop()].map((e) => e?.id)).toEqual([4, 6, 5, undefined]);
  });

  it('should visit every entry held, in the heap and in the in-order lane, cancelled ones included', () => {
    const queue = new EventQueue<Entry>();
    const pushed: Entry[] = [];
    const push = (id: number) => pushed.push(queue.push(entry(id, id % 5 === 0 ? 10_000 - id : id), id % 5 !== 0));
    for (let id = 0; id < 800; id++) push(id);
    for (let i = 0; i < 500; i++) queue.pop();
    for (let id = 800; id < 1600; id++) push(id); // the lane's ring (1024 slots) wraps
    queue.cancel(pushed[1599] as Entry);
    const visited: number[] = [];
    queue.forEach((e) => visited.push(e.id));
    expect(visited.length).toBe(queue.stored);
    const left: number[] = [];
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) left.push(e.id);
    expect(visited.sort((a, b) => a - b)).toEqual([...left, 1599].sort((a, b) => a - b));
  });

  it('should order by priority before push order at equal times', () => {
    const queue = new EventQueue<Entry>();
    queue.push(entry(0, 10, 1));
    queue.push(entry(1, 10, 0));
    queue.push(entry(2, 9, 5));
    queue.push(entry(3, 10, 0));
    expect([queue.pop(), queue.pop(), queue.pop(), queue.pop()].map((e) => e?.id)).toEqual([2, 1, 3, 0]);
  });

  it('should not lose the next live entry when peek skips a cancelled top', () => {
    const queue = new EventQueue<Entry>();
    const a = queue.push(entry(0, 1));
    queue.push(entry(1, 2));
    queue.push(entry(2, 3));
    queue.cancel(a);
    expect(queue.peek()?.id).toBe(1);
    expect(queue.size).toBe(2);
    expect(queue.pop()?.id).toBe(1);
    expect(queue.pop()?.id).toBe(2);
    expect(queue.pop()).toBeUndefined();
  });

  it('should return false and keep the size when cancelling an entry already popped', () => {
    const queue = new EventQueue<Entry>();
    const a = queue.push(entry(0, 1));
    queue.push(entry(1, 2));
    expect(queue.pop()).toBe(a);
    expect(queue.cancel(a)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.pop()?.id).toBe(1);
    expect(queue.size).toBe(0);
  });

  it('should return false when cancelling twice and count the entry once', () => {
    const queue = new EventQueue<Entry>();
    const a = queue.push(entry(0, 1));
    queue.push(entry(1, 1));
    expect(queue.cancel(a)).toBe(true);
    expect(queue.cancel(a)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.pop()?.id).toBe(1);
    expect(queue.pop()).toBeUndefined();
  });
});
