import { describe, expect, it } from 'vitest';
import { Kernel, type Scheduled } from '../../src/engine/kernel.js';
import { ConstantLatency, JitteredLatency, PerAgentLatency } from '../../src/engine/latency-model.js';
import type { SimEvent } from '../../src/engine/sim-event.js';
import { note, RecordingAgent, type Delivery, type Note } from './recording-agent.js';

/** A kernel with `n` recording agents named a0, a1, … sharing one log. */
function setup(n: number, options: ConstructorParameters<typeof Kernel>[0] = { seed: 1 }) {
  const kernel = new Kernel(options);
  const log: Delivery[] = [];
  const lifecycle: string[] = [];
  const agents = Array.from({ length: n }, (_, i) => kernel.register(new RecordingAgent(`a${i}`, log, lifecycle)));
  return { kernel, agents, log, lifecycle };
}

const labels = (log: Delivery[]) => log.map((d) => (d.message as Note | null)?.label ?? `wake${d.tag}`);

describe('Kernel', () => {
  describe('ordering', () => {
    it('should deliver in time order whatever the scheduling order', () => {
      const { kernel, agents, log } = setup(3);
      const times = [500, 20, 20, 999, 0, 301, 7, 500, 42, 1];
      agents[0]!.onStartDo = (a) => {
        times.forEach((t, i) => {
          a.k.wakeAt(i % 3, t, i);
          a.k.send(0, (i + 1) % 3, note(`m${i}`), t);
        });
      };
      expect(kernel.run()).toBe('empty');
      const seen = log.map((d) => d.now);
      expect(seen).toEqual([...times, ...times].sort((x, y) => x - y));
      expect(kernel.stats).toEqual({ messages: times.length, wakeups: times.length });
    });

    it('should deliver equal-time messages and wake-ups in the order they were scheduled', () => {
      const { kernel, agents, log } = setup(4, { seed: 1, latency: new ConstantLatency(10) });
      agents[0]!.onStartDo = (a) => {
        a.k.wakeAt(1, 5, 1);
        for (let i = 0; i < 50; i++) {
          a.k.send(i % 4, (i * 7) % 4, note(`m${i}`));
          if (i % 10 === 0) a.k.wakeAt(i % 4, 10, i);
        }
      };
      kernel.run();
      const want = ['wake1'];
      for (let i = 0; i < 50; i++) {
        want.push(`m${i}`);
        if (i % 10 === 0) want.push(`wake${i}`);
      }
      expect(labels(log)).toEqual(want);
    });

    it('should run a lower priority first among equal times, then scheduling order', () => {
      const { kernel, agents, log } = setup(1);
      agents[0]!.onStartDo = (a) => {
        a.k.wakeAt(0, 7, 1, 2);
        a.k.wakeAt(0, 7, 2, 0);
        a.k.wakeAt(0, 7, 3, 2);
        a.k.wakeAt(0, 7, 4, -1);
        a.k.wakeAt(0, 6, 5, 9);
      };
      kernel.run();
      expect(log.map((d) => d.tag)).toEqual([5, 4, 2, 1, 3]);
    });

    it('should pass the delivery time, the sender and the message to the handler', () => {
      const { kernel, agents, log } = setup(2, { seed: 1, latency: new ConstantLatency(3) });
      agents[1]!.onStartDo = (a) => a.k.send(1, 0, note('hi'));
      kernel.run();
      expect(log).toEqual([{ kind: 'message', now: 3, to: 'a0', from: 1, message: note('hi'), tag: 0, id: 1 }]);
    });
  });

  describe('latency', () => {
    it('should deliver a message ConstantLatency after it is sent, plus any extra delay', () => {
      const { kernel, agents, log } = setup(2, { seed: 1, latency: new ConstantLatency(250) });
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 1_000);
      agents[0]!.onWakeupDo = (a) => {
        a.k.send(0, 1, note('x'));
        a.k.send(0, 1, note('y'), 40);
      };
      kernel.run();
      expect(log.map((d) => [labels([d])[0], d.now])).toEqual([
        ['wake0', 1_000],
        ['x', 1_250],
        ['y', 1_290],
      ]);
    });

    it('should reject a negative or fractional ConstantLatency', () => {
      expect(() => new ConstantLatency(-1)).toThrow(RangeError);
      expect(() => new ConstantLatency(1.5)).toThrow(RangeError);
      expect(new ConstantLatency(0).delay()).toBe(0);
    });

    it('should delay a message by the sum of both one-way PerAgentLatency delays', () => {
      const latency = new PerAgentLatency(7);
      latency.set(0, 100);
      latency.set(1, 30);
      expect(latency.delay(0, 1)).toBe(130);
      expect(latency.delay(1, 0)).toBe(130);
      expect(latency.delay(1, 2)).toBe(37);
      expect(latency.delay(2, 2)).toBe(14);

      const { kernel, agents, log } = setup(3, { seed: 1, latency });
      agents[0]!.onStartDo = (a) => {
        a.k.send(0, 1, note('0->1'));
        a.k.send(1, 2, note('1->2'));
        a.k.send(2, 0, note('2->0'));
      };
      kernel.run();
      expect(log.map((d) => `${labels([d])[0]}@${d.now}`)).toEqual(['1->2@37', '2->0@107', '0->1@130']);
    });

    it('should make JitteredLatency at least the base, integral, about base + mean, and deterministic', () => {
      const run = (seed: number) => {
        const kernel = new Kernel({ seed });
        kernel.setLatency(new JitteredLatency(50, 20, kernel.random('latency')));
        const log: Delivery[] = [];
        const a = kernel.register(new RecordingAgent('a', log));
        kernel.register(new RecordingAgent('b', log));
        a.onStartDo = (self) => {
          for (let i = 0; i < 2_000; i++) self.k.send(0, 1, note(`${i}`));
        };
        kernel.run();
        return log.map((d) => d.now);
      };
      const times = run(9);
      expect(times).toHaveLength(2_000);
      for (const t of times) {
        expect(Number.isInteger(t)).toBe(true);
        expect(t).toBeGreaterThanOrEqual(50);
      }
      const mean = times.reduce((s, t) => s + t, 0) / times.length;
      expect(mean).toBeGreaterThan(68);
      expect(mean).toBeLessThan(72);
      expect(run(9)).toEqual(times);
      expect(run(10)).not.toEqual(times);
    });
  });

  describe('wake-ups and cancellation', () => {
    it('should throw when waking in the past or at a non-integer time, and accept now', () => {
      const { kernel, agents } = setup(1);
      const errors: unknown[] = [];
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 100, 1);
      agents[0]!.onWakeupDo = (a, now, tag) => {
        if (tag !== 1) return;
        for (const t of [99, 0, 100.5, -1, Number.NaN]) {
          try {
            a.k.wakeAt(0, t, 2);
          } catch (e) {
            errors.push(e);
          }
        }
        a.k.wakeAt(0, now, 3);
      };
      kernel.run();
      expect(errors).toHaveLength(5);
      for (const e of errors) expect(e).toBeInstanceOf(RangeError);
      expect(kernel.stats.wakeups).toBe(2);
    });

    it('should not deliver a cancelled wake-up or message', () => {
      const { kernel, agents, log } = setup(2, { seed: 1, latency: new ConstantLatency(5) });
      let wake!: Scheduled;
      let msg!: Scheduled;
      agents[0]!.onStartDo = (a) => {
        a.k.wakeAt(0, 1, 1);
        wake = a.k.wakeAt(0, 10, 2);
        msg = a.k.send(0, 1, note('doomed'));
        a.k.send(0, 1, note('kept'));
        a.k.wakeAt(0, 20, 3);
      };
      agents[0]!.onWakeupDo = (a, _now, tag) => {
        if (tag !== 1) return;
        expect(a.k.pending).toBe(4);
        expect(a.k.cancel(wake)).toBe(true);
        expect(a.k.cancel(msg)).toBe(true);
        expect(a.k.cancel(msg)).toBe(false);
        expect(a.k.pending).toBe(2);
      };
      expect(kernel.run()).toBe('empty');
      expect(labels(log)).toEqual(['wake1', 'kept', 'wake3']);
      expect(kernel.pending).toBe(0);
    });

    it('should ignore cancelling a delivery that has already happened', () => {
      const { kernel, agents, log } = setup(1);
      let first!: Scheduled;
      agents[0]!.onStartDo = (a) => {
        first = a.k.wakeAt(0, 1, 1);
        a.k.wakeAt(0, 2, 2);
      };
      kernel.run({ maxSteps: 1 });
      expect(kernel.cancel(first)).toBe(false);
      expect(kernel.pending).toBe(1);
      kernel.run();
      expect(labels(log)).toEqual(['wake1', 'wake2']);
      expect(kernel.pending).toBe(0);
    });
  });

  describe('run limits', () => {
    function timedKernel() {
      const s = setup(1);
      s.agents[0]!.onStartDo = (a) => {
        for (const t of [100, 200, 200, 300]) a.k.wakeAt(0, t, t);
      };
      return s;
    }

    it('should stop at until inclusive, set the clock to until, and keep later events for the next call', () => {
      const { kernel, log } = timedKernel();
      expect(kernel.run({ until: 200 })).toBe('until');
      expect(log.map((d) => d.now)).toEqual([100, 200, 200]);
      expect(kernel.now).toBe(200);
      expect(kernel.pending).toBe(1);

      expect(kernel.runUntil(250)).toBe('until');
      expect(kernel.now).toBe(250);
      expect(log).toHaveLength(3);

      expect(kernel.run({ until: 10_000 })).toBe('empty');
      expect(log.map((d) => d.now)).toEqual([100, 200, 200, 300]);
      expect(kernel.now).toBe(10_000);
    });

    it('should leave the clock at the last delivery when run without until', () => {
      const { kernel } = timedKernel();
      expect(kernel.run()).toBe('empty');
      expect(kernel.now).toBe(300);
    });

    it('should never move the clock backwards when until is already past', () => {
      const { kernel } = timedKernel();
      kernel.run({ until: 250 });
      expect(kernel.run({ until: 150 })).toBe('until');
      expect(kernel.now).toBe(250);
      kernel.run();
      expect(kernel.run({ until: 10 })).toBe('empty');
      expect(kernel.now).toBe(300);
    });

    it('should stop after maxSteps deliveries and resume on the next call', () => {
      const { kernel, log } = timedKernel();
      expect(kernel.run({ maxSteps: 3 })).toBe('max-steps');
      expect(log).toHaveLength(3);
      expect(kernel.run({ maxSteps: 0 })).toBe('max-steps');
      expect(log).toHaveLength(3);
      expect(kernel.run({ maxSteps: 5 })).toBe('empty');
      expect(log).toHaveLength(4);
    });

    it('should stop as soon as stopWhen holds after a delivery', () => {
      const { kernel, log } = timedKernel();
      expect(kernel.run({ stopWhen: (k) => k.stats.wakeups === 2 })).toBe('stop-condition');
      expect(log).toHaveLength(2);
      expect(kernel.now).toBe(200);
    });

    it('should return after the current delivery when an agent halts, and resume on the next call', () => {
      const { kernel, agents, log } = timedKernel();
      agents[0]!.onWakeupDo = (a, now) => {
        if (now === 200) a.k.halt();
      };
      expect(kernel.run()).toBe('stopped');
      expect(log.map((d) => d.now)).toEqual([100, 200]);
      expect(kernel.run()).toBe('stopped');
      expect(log.map((d) => d.now)).toEqual([100, 200, 200]);
      expect(kernel.run({ until: 250 })).toBe('until');
      expect(kernel.run()).toBe('empty');
      expect(log).toHaveLength(4);
    });

    it('should call the step hook after every delivery with its id', () => {
      const { kernel } = timedKernel();
      const seen: number[] = [];
      kernel.setStepHook({ afterStep: (k, id) => seen.push(id, k.currentId) });
      kernel.run();
      expect(seen).toEqual([1, 0, 2, 0, 3, 0, 4, 0]);
    });
  });

  describe('lifecycle and registration', () => {
    it('should call onStart and onStop once each, in registration order', () => {
      const { kernel, agents, lifecycle } = setup(3);
      agents[1]!.onStartDo = (a) => a.k.wakeAt(1, 40);
      kernel.start();
      kernel.run();
      kernel.run({ until: 90 });
      kernel.stop();
      kernel.stop();
      expect(kernel.run()).toBe('stopped');
      expect(lifecycle).toEqual(['start:a0@0', 'start:a1@0', 'start:a2@0', 'stop:a0@90', 'stop:a1@90', 'stop:a2@90']);
    });

    it('should start the agents when stopped without running', () => {
      const { kernel, lifecycle } = setup(2);
      kernel.stop();
      expect(lifecycle).toEqual(['start:a0@0', 'start:a1@0', 'stop:a0@0', 'stop:a1@0']);
    });

    it('should reject a duplicate agent name and registration after the start', () => {
      const { kernel } = setup(2);
      expect(() => kernel.register(new RecordingAgent('a1'))).toThrow(/duplicate/);
      expect(kernel.agentCount).toBe(2);
      kernel.start();
      expect(() => kernel.register(new RecordingAgent('late'))).toThrow();
    });

    it('should give agents their registration index as id and look them up by name', () => {
      const { kernel, agents } = setup(3);
      expect(agents.map((a) => a.id)).toEqual([0, 1, 2]);
      expect(kernel.idOf('a2')).toBe(2);
      expect(kernel.idOf('nobody')).toBeUndefined();
      expect(kernel.agent(1)).toBe(agents[1]);
      expect(() => kernel.agent(3)).toThrow(RangeError);
    });
  });

  describe('causality', () => {
    it('should record the delivery being handled as the cause of what its handler sends', () => {
      const { kernel, agents, log } = setup(3, { seed: 1, latency: new ConstantLatency(1) });
      const handles: Scheduled[] = [];
      agents[0]!.onStartDo = (a) => handles.push(a.k.wakeAt(0, 5));
      agents[0]!.onWakeupDo = (a) => handles.push(a.k.send(0, 1, note('first')));
      agents[1]!.onMessageDo = (a) => handles.push(a.k.send(1, 2, note('second')));
      kernel.run();

      const [wake, first, second] = log;
      expect(labels(log)).toEqual(['wake0', 'first', 'second']);
      expect(handles.map((h) => h.id)).toEqual([wake!.id, first!.id, second!.id]);
      expect(handles.map((h) => h.causeId)).toEqual([0, wake!.id, first!.id]);
      expect(kernel.causeOf(second!.id)).toBe(first!.id);
      expect(kernel.causeOf(first!.id)).toBe(wake!.id);
      expect(kernel.causeOf(wake!.id)).toBe(0);
      expect(kernel.causalChain(second!.id)).toEqual([first!.id, wake!.id]);
      expect(kernel.causalChain(wake!.id)).toEqual([]);
    });

    it('should answer -1 for ids it never issued', () => {
      const { kernel } = setup(1);
      kernel.newId();
      expect(kernel.causeOf(0)).toBe(-1);
      expect(kernel.causeOf(2)).toBe(-1);
      expect(kernel.causeOf(-5)).toBe(-1);
      expect(kernel.causeOf(1)).toBe(0);
    });

    it('should make newId inside a handler caused by that delivery, sharing the id sequence', () => {
      const { kernel, agents, log } = setup(2);
      const made: number[] = [];
      agents[0]!.onStartDo = (a) => {
        made.push(a.k.newId());
        a.k.send(0, 1, note('go'));
      };
      agents[1]!.onMessageDo = (a) => {
        made.push(a.k.newId(), a.k.newId());
        a.k.wakeAt(1, 3);
      };
      agents[1]!.onWakeupDo = (a) => made.push(a.k.newId());
      kernel.run();
      const [msg, wake] = log;
      expect(made).toEqual([1, 3, 4, 6]);
      expect([msg!.id, wake!.id]).toEqual([2, 5]);
      expect(made.map((id) => kernel.causeOf(id))).toEqual([0, msg!.id, msg!.id, wake!.id]);
      expect(kernel.causalChain(6)).toEqual([5, 2]);
      expect(kernel.currentId).toBe(0);
      expect(kernel.causeOf(kernel.newId())).toBe(0);
    });

    it('should keep every cause when the log grows past 65536 ids, with an unbounded window', () => {
      const { kernel, agents, log } = setup(2, { seed: 1, causeWindow: Number.POSITIVE_INFINITY });
      const n = 70_000;
      let bulk: number[] = [];
      let late = 0;
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 1);
      agents[0]!.onWakeupDo = (a) => {
        bulk = Array.from({ length: n }, () => a.k.newId());
        a.k.send(0, 1, note('after'));
      };
      agents[1]!.onMessageDo = (a) => {
        late = a.k.newId();
      };
      kernel.run();
      const [wake, msg] = log;
      expect(wake!.id).toBe(1);
      expect(bulk[0]).toBe(2);
      expect(bulk[n - 1]).toBe(n + 1);
      expect(bulk.every((id) => kernel.causeOf(id) === wake!.id)).toBe(true);
      expect(msg!.id).toBe(n + 2);
      expect(late).toBe(n + 3);
      expect(kernel.causeOf(msg!.id)).toBe(wake!.id);
      expect(kernel.causeOf(late)).toBe(msg!.id);
      expect(kernel.causalChain(late)).toEqual([msg!.id, wake!.id]);
      expect(kernel.causeOf(n + 4)).toBe(-1);
    });

    it('should keep a long chain of causes across the growth of the log, with an unbounded window', () => {
      const { kernel, agents, log } = setup(2, { seed: 1, latency: new ConstantLatency(1), causeWindow: Number.POSITIVE_INFINITY });
      const hops = 70_000;
      agents[0]!.onStartDo = (a) => a.k.send(0, 1, note('0'));
      for (const agent of agents) {
        agent.onMessageDo = (a, _now, _m, from) => {
          if (log.length < hops) a.k.send(a.id, from, note(`${log.length}`));
        };
      }
      kernel.run();
      expect(log).toHaveLength(hops);
      const last = log[hops - 1]!.id;
      expect(last).toBe(hops);
      const chain = kernel.causalChain(last);
      expect(chain).toHaveLength(hops - 1);
      expect(chain[0]).toBe(hops - 1);
      expect(chain[hops - 2]).toBe(1);
    });
  });

  describe('cause window', () => {
    it('should answer for the last causeWindow ids only, in a ring that does not grow', () => {
      const { kernel, agents } = setup(1, { seed: 1, causeWindow: 8 });
      const made: number[] = [];
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 1);
      agents[0]!.onWakeupDo = (a) => {
        for (let i = 0; i < 20; i++) made.push(a.k.newId());
      };
      kernel.run();
      // Ids 1 (the wake-up) … 21: the last 8 (14 … 21) are remembered, caused by the wake-up.
      expect(made.filter((id) => kernel.causeOf(id) === 1)).toEqual([14, 15, 16, 17, 18, 19, 20, 21]);
      expect(kernel.causeOf(13)).toBe(-1);
      expect(kernel.causeOf(1)).toBe(-1);
      expect(kernel.causalChain(21)).toEqual([1]);
    });

    it('should refuse a window that is not a power of two', () => {
      expect(() => new Kernel({ seed: 1, causeWindow: 100 })).toThrow(RangeError);
      expect(() => new Kernel({ seed: 1, causeWindow: 0 })).toThrow(RangeError);
    });
  });

  describe('marked lineage', () => {
    // a0 wakes (1) and sends to a1 (2); a1 sends to a2 (3) and is then marked; a2 sends on to a0 (4).
    function chain(markIn: string[], windowSize = 4) {
      const { kernel, agents, log } = setup(3, { seed: 1, latency: new ConstantLatency(1), causeWindow: windowSize });
      const anchors = new Map<string, number>();
      const step = (name: string, a: RecordingAgent, send: () => void) => {
        anchors.set(name, a.k.currentAnchor);
        send();
        if (markIn.includes(name)) a.k.markCurrent();
      };
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 1);
      agents[0]!.onWakeupDo = (a) => step('wake', a, () => a.k.send(0, 1, note('m1')));
      agents[1]!.onMessageDo = (a) => step('m1', a, () => a.k.send(1, 2, note('m2')));
      agents[2]!.onMessageDo = (a) => step('m2', a, () => a.k.send(2, 0, note('m3')));
      agents[0]!.onMessageDo = (a) => step('m3', a, () => undefined);
      kernel.run();
      return { kernel, anchors, ids: new Map(log.map((d) => [(d.message as Note | null)?.label ?? 'wake', d.id])) };
    }

    it('should carry the nearest marked ancestor, even when the mark came after the send', () => {
      const { kernel, anchors, ids } = chain(['wake', 'm2']);
      expect(Object.fromEntries(anchors)).toEqual({ wake: 0, m1: ids.get('wake'), m2: ids.get('wake'), m3: ids.get('m2') });
      expect(kernel.markedAncestorOf(ids.get('m2')!)).toBe(ids.get('wake'));
      expect(kernel.markedAncestorOf(ids.get('wake')!)).toBe(0);
      expect(kernel.markedAncestorOf(ids.get('m1')!)).toBe(-1);
    });

    it('should carry a mark made by a handler that then threw to what it had sent, when the run goes on', () => {
      const { kernel, agents } = setup(2, { seed: 1, latency: new ConstantLatency(1) });
      let markedId = 0;
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 1);
      agents[0]!.onWakeupDo = (a) => {
        a.k.markCurrent();
        markedId = a.k.currentId;
        a.k.send(0, 1, note('sent'));
        throw new Error('handler failed');
      };
      let anchor = -1;
      agents[1]!.onMessageDo = (a) => (anchor = a.k.currentAnchor);
      expect(() => kernel.run()).toThrow('handler failed');
      kernel.run();
      expect(anchor).toBe(markedId);
    });

    it('should give 0 everywhere when nothing is marked, and ignore a mark outside a handler', () => {
      const { kernel, anchors } = chain([]);
      kernel.markCurrent();
      expect([...anchors.values()]).toEqual([0, 0, 0, 0]);
      expect(kernel.currentAnchor).toBe(0);
    });

    it('should equal the nearest marked id on the full causal chain, whatever the cause window (property over random marks)', () => {
      // Random trees of sends; marks at random deliveries; compare with a walk over every cause.
      const runOnce = (seed: number, causeWindow: number) => {
        const rnd = mulberry(seed);
        const { kernel, agents } = setup(3, { seed, latency: new ConstantLatency(1), causeWindow });
        const seen: { id: number; anchor: number }[] = [];
        const marked = new Set<number>();
        const react = (a: RecordingAgent) => {
          seen.push({ id: a.k.currentId, anchor: a.k.currentAnchor });
          const sends = seen.length < 300 ? Math.floor(rnd() * 3) : 0;
          const markAt = Math.floor(rnd() * 4);
          for (let i = 0; i <= sends; i++) {
            if (i === markAt) {
              a.k.markCurrent();
              marked.add(a.k.currentId);
            }
            // Delays up to 40: a cause is often more than a small window's ids before its child.
            if (i < sends) a.k.send(a.id, Math.floor(rnd() * 3), note('x'), Math.floor(rnd() * (rnd() < 0.2 ? 40 : 5)));
          }
        };
        for (const agent of agents) agent.onMessageDo = react;
        agents[0]!.onStartDo = (a) => a.k.send(0, 1, note('x'));
        kernel.run();
        return { kernel, seen, marked };
      };
      for (let seed = 1; seed <= 30; seed++) {
        const { kernel, seen, marked } = runOnce(seed, Number.POSITIVE_INFINITY);
        for (const { id, anchor } of seen) {
          const nearest = kernel.causalChain(id).find((c) => marked.has(c)) ?? 0;
          expect(anchor).toBe(nearest);
          if (marked.has(id)) expect(kernel.markedAncestorOf(id)).toBe(nearest);
        }
        // A small window only forgets exact causes; the marked lineage stays exact.
        for (const window of [2, 8]) expect(runOnce(seed, window).seen).toEqual(seen);
      }
    });
  });

  describe('observation', () => {
    interface Noted extends SimEvent {
      readonly type: 'Noted';
      readonly label: string;
    }

    it('should deliver emitted events to subscribers in order and complete on stop', () => {
      const { kernel, agents } = setup(2, { seed: 1, latency: new ConstantLatency(2) });
      agents[0]!.onStartDo = (a) => a.k.send(0, 1, note('a'));
      agents[1]!.onMessageDo = (a, now, m) => {
        if (a.k.observed) {
          const first: Noted = { type: 'Noted', id: a.k.newId(), causeId: a.k.currentId, time: now, label: (m as Note).label };
          const second: Noted = { type: 'Noted', id: a.k.newId(), causeId: a.k.currentId, time: now, label: 'again' };
          a.k.emit(first);
          a.k.emit(second);
        }
      };
      const seen: SimEvent[] = [];
      let completed = false;
      expect(kernel.observed).toBe(false);
      const sub = kernel.events$.subscribe({ next: (e) => seen.push(e), complete: () => (completed = true) });
      expect(kernel.observed).toBe(true);
      kernel.run();
      expect(seen).toEqual([
        { type: 'Noted', id: 2, causeId: 1, time: 2, label: 'a' },
        { type: 'Noted', id: 3, causeId: 1, time: 2, label: 'again' },
      ]);
      expect(seen.map((e) => kernel.causeOf(e.id))).toEqual([1, 1]);
      kernel.stop();
      expect(completed).toBe(true);
      sub.unsubscribe();
    });

    it('should report observed false when nobody listens and skip building events', () => {
      const { kernel, agents } = setup(1);
      let built = 0;
      agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 1);
      agents[0]!.onWakeupDo = (a, now) => {
        if (a.k.observed) {
          built++;
          a.k.emit({ type: 'Noted', id: a.k.newId(), causeId: a.k.currentId, time: now });
        }
      };
      expect(kernel.observed).toBe(false);
      kernel.events$.subscribe().unsubscribe();
      expect(kernel.observed).toBe(false);
      kernel.run();
      expect(built).toBe(0);
      expect(() => kernel.emit({ type: 'Ignored', id: kernel.newId(), causeId: 0, time: 0 })).not.toThrow();
    });

    it('should answer a channel\'s observed as observes(type), and publish through it to both streams', () => {
      const kernel = new Kernel({ seed: 1 });
      const noted = kernel.channel<Noted>('Noted');
      const other = kernel.channel('Other');
      const event: Noted = { type: 'Noted', id: kernel.newId(), causeId: 0, time: 0, label: 'x' };
      const flags = () => [noted.observed, kernel.observes('Noted'), other.observed, kernel.observes('Other')];
      expect(flags()).toEqual([false, false, false, false]);
      noted.emit(event); // nobody listens: nothing to deliver, nothing thrown

      const typed: SimEvent[] = [];
      const typedSub = kernel.eventsOf<Noted>('Noted').subscribe((e) => typed.push(e));
      expect(flags()).toEqual([true, true, false, false]);
      noted.emit(event);
      expect(typed).toEqual([event]);

      const all: SimEvent[] = [];
      const allSub = kernel.events$.subscribe((e) => all.push(e));
      expect(flags()).toEqual([true, true, true, true]);
      noted.emit(event);
      expect([typed.length, all.length]).toEqual([2, 1]);

      typedSub.unsubscribe();
      allSub.unsubscribe();
      expect(flags()).toEqual([false, false, false, false]);
    });
  });
});

describe('Kernel.sendCausedBy', () => {
  it('should record the given earlier delivery as cause instead of the one being handled, and carry its lineage', () => {
    const { kernel, agents, log } = setup(2, { seed: 1, latency: new ConstantLatency(1) });
    let marked: Scheduled | null = null;
    agents[0]!.onStartDo = (a) => {
      a.k.wakeAt(0, 1);
      a.k.wakeAt(0, 5);
    };
    agents[0]!.onWakeupDo = (a, now) => {
      if (now === 1) {
        a.k.markCurrent();
        marked = a.k.currentDelivery;
      } else a.k.sendCausedBy(0, 1, note('late'), marked);
    };
    let anchor = -1;
    agents[1]!.onMessageDo = (a) => (anchor = a.k.currentAnchor);
    kernel.run();
    const late = log.find((d) => d.kind === 'message')!;
    expect(kernel.causeOf(late.id)).toBe(marked!.id);
    expect(anchor).toBe(marked!.id);
  });

  it('should take null as the run start, and refuse a cause not yet delivered', () => {
    const kernel = new Kernel({ seed: 1 });
    const a = kernel.register(new RecordingAgent('a'));
    const b = kernel.register(new RecordingAgent('b'));
    const d = kernel.sendCausedBy(a.id, b.id, { type: 'Ping' }, null);
    expect(kernel.causeOf(d.id)).toBe(0);
    const pending = kernel.wakeAt(a.id, 10);
    expect(() => kernel.sendCausedBy(a.id, b.id, { type: 'Ping' }, pending)).toThrow(RangeError);
  });
});

describe('Kernel.wakeAtCausedBy', () => {
  it('should record the given earlier delivery as cause of the wake-up and carry its marked lineage', () => {
    const { kernel, agents, log } = setup(1);
    let marked: Scheduled | null = null;
    agents[0]!.onStartDo = (a) => {
      a.k.wakeAt(0, 1, 1);
      a.k.wakeAt(0, 5, 2);
    };
    let anchor = -1;
    agents[0]!.onWakeupDo = (a, now, tag) => {
      if (tag === 1) {
        a.k.markCurrent();
        marked = a.k.currentDelivery;
      } else if (tag === 2) a.k.wakeAtCausedBy(0, now + 10, 3, marked);
      else anchor = a.k.currentAnchor;
    };
    kernel.run();
    const late = log.find((d) => d.tag === 3)!;
    expect(late.now).toBe(15);
    expect(kernel.causeOf(late.id)).toBe(marked!.id);
    expect(anchor).toBe(marked!.id);
  });

  it('should take the delivery being handled, refuse a cause not yet delivered and a time in the past', () => {
    const { kernel, agents, log } = setup(1);
    agents[0]!.onStartDo = (a) => a.k.wakeAt(0, 2, 1);
    agents[0]!.onWakeupDo = (a, now, tag) => {
      if (tag === 1) a.k.wakeAtCausedBy(0, now, 2, a.k.currentDelivery);
    };
    kernel.run();
    expect(kernel.causeOf(log[1]!.id)).toBe(log[0]!.id);
    const pending = kernel.wakeAt(0, 10);
    expect(() => kernel.wakeAtCausedBy(0, 10, 0, pending)).toThrow(RangeError);
    expect(() => kernel.wakeAtCausedBy(0, 1, 0, null)).toThrow(RangeError);
  });
});

/** A small deterministic generator for the property above (tests only; the kernel's streams are for agents). */
function mulberry(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
