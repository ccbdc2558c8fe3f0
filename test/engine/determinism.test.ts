import { describe, expect, it } from 'vitest';
import { BaseAgent } from '../../src/engine/agent.js';
import { Kernel } from '../../src/engine/kernel.js';
import { JitteredLatency } from '../../src/engine/latency-model.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import type { Message } from '../../src/engine/message.js';
import type { Micros } from '../../src/engine/time.js';

interface Ping extends Message {
  readonly type: 'Ping';
  readonly hop: number;
}

function ping(hop: number): Ping {
  return { type: 'Ping', hop };
}

/** One delivery in the trace: (time, to, from, id). */
type TraceRow = readonly [time: Micros, to: string, from: string, id: number];

/**
 * Wakes at exponential intervals drawn from its own stream and sends a ping
 * to a random other agent; on a ping it may forward it once more. Every
 * uniform it draws is logged, so tests can compare streams across runs
 * whatever order the draws were made in.
 */
class Chatter extends BaseAgent {
  readonly draws: number[] = [];

  constructor(
    name: string,
    private readonly trace: TraceRow[],
    private readonly meanGapMicros: number,
  ) {
    super(name);
  }

  override onStart(): void {
    this.scheduleNext();
  }

  override onWakeup(now: Micros): void {
    this.trace.push([now, this.name, this.name, this.kernel.currentId]);
    this.kernel.send(this.id, this.pickOther(), ping(0));
    this.scheduleNext();
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    this.trace.push([now, this.name, this.kernel.agent(from).name, this.kernel.currentId]);
    const received = message as Ping;
    if (received.hop === 0 && this.uniform() < 0.5) {
      this.kernel.send(this.id, this.pickOther(), ping(1));
    }
  }

  private scheduleNext(): void {
    // Exponential by inversion of one logged uniform (as RandomStream.exponential does).
    const gap = -Math.log(1 - this.uniform()) * this.meanGapMicros;
    this.wakeIn(1 + Math.round(gap));
  }

  private pickOther(): AgentId {
    const n = this.kernel.agentCount;
    const k = Math.floor(this.uniform() * (n - 1));
    return k >= this.id ? k + 1 : k;
  }

  private uniform(): number {
    const x = this.rng.uniform();
    this.draws.push(x);
    return x;
  }
}

interface Outcome {
  trace: TraceRow[];
  draws: Map<string, number[]>;
  deliveries: number;
}

function simulate(seed: number, names: readonly string[], sliceMicros = 200_000): Outcome {
  const kernel = new Kernel({ seed });
  kernel.setLatency(new JitteredLatency(200, 300, kernel.random('latency')));
  const trace: TraceRow[] = [];
  const agents = names.map((name) => kernel.register(new Chatter(name, trace, 1_000)));
  for (let t = sliceMicros; t <= 200_000; t += sliceMicros) expect(kernel.run({ until: t })).toBe('until');
  kernel.stop();
  return {
    trace,
    draws: new Map(agents.map((a) => [a.name, a.draws])),
    deliveries: kernel.stats.messages + kernel.stats.wakeups,
  };
}

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

describe('determinism', () => {
  it('should give an identical trace for one seed', () => {
    const first = simulate(7, NAMES);
    const second = simulate(7, NAMES);
    expect(first.deliveries).toBeGreaterThan(1_000);
    expect(first.trace).toHaveLength(first.deliveries);
    expect(second.trace).toEqual(first.trace);
    expect(second.draws).toEqual(first.draws);
    // Each agent has a stream of its own, not one shared sequence.
    expect(new Set(NAMES.map((name) => first.draws.get(name)![0])).size).toBe(NAMES.length);
  });

  it('should give the same trace when the run is advanced in slices', () => {
    expect(simulate(7, NAMES, 1_000).trace).toEqual(simulate(7, NAMES).trace);
  });

  it('should give a different trace for another seed', () => {
    const first = simulate(7, NAMES);
    const other = simulate(8, NAMES);
    expect(other.trace).not.toEqual(first.trace);
    for (const name of NAMES) expect(other.draws.get(name)!.slice(0, 10)).not.toEqual(first.draws.get(name)!.slice(0, 10));
  });

  it('should not change what the existing agents draw when an agent is added, even registered first', () => {
    const without = simulate(7, NAMES);
    const withExtra = simulate(7, ['zed', ...NAMES]);
    // The extra agent shifts every id and changes the message flow…
    expect(withExtra.trace).not.toEqual(without.trace);
    // …but each agent's stream is keyed by its name, so its draws are the same
    // numbers in the same order (the counts differ with the message flow).
    for (const name of NAMES) {
      const a = without.draws.get(name)!;
      const b = withExtra.draws.get(name)!;
      const n = Math.min(a.length, b.length);
      expect(n).toBeGreaterThan(200);
      expect(b.slice(0, n)).toEqual(a.slice(0, n));
      expect(a.slice(0, n)).toEqual(raw(7, name, n));
    }
  });
});

/** The first `n` uniforms of the stream `agent/<name>` under `seed`. */
function raw(seed: number, name: string, n: number): number[] {
  const rng = new Kernel({ seed }).random(`agent/${name}`);
  return Array.from({ length: n }, () => rng.uniform());
}
