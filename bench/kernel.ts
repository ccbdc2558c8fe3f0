import { performance } from 'node:perf_hooks';
import { BaseAgent } from '../src/engine/agent.js';
import { Kernel } from '../src/engine/kernel.js';
import { ConstantLatency } from '../src/engine/latency-model.js';
import type { AgentId } from '../src/engine/agent-id.js';
import type { Message } from '../src/engine/message.js';
import type { Micros } from '../src/engine/time.js';

/**
 * Kernel dispatch benchmark: the cost of the engine alone, with agents that do
 * almost nothing. Each of AGENTS agents re-schedules a wake-up for itself at a
 * small deterministic pseudo-random delay and, on every wake-up, sends one
 * message to a neighbour (ConstantLatency). Wake-ups and messages are both
 * deliveries; the figure is deliveries per second of wall time.
 */

const AGENTS = 100;
const DELIVERIES = 6_000_000;
const WARMUP_DELIVERIES = 600_000;
const ROUNDS = 3;

const PING: Message = { type: 'Ping' };

class Ticker extends BaseAgent {
  private state: number;
  received = 0;

  constructor(name: string, seed: number) {
    super(name);
    this.state = seed | 0 || 1;
  }

  override onStart(): void {
    this.wakeIn(this.nextDelay());
  }

  override onWakeup(_now: Micros): void {
    this.send((this.id + 1) % AGENTS, PING);
    this.wakeIn(this.nextDelay());
  }

  override onMessage(_now: Micros, _message: Message, _from: AgentId): void {
    this.received++;
  }

  /** 1–1000 µs from a xorshift32: deterministic, cheap, and not the engine's streams. */
  private nextDelay(): Micros {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return 1 + ((x >>> 0) % 1000);
  }
}

function once(deliveries: number): { deliveries: number; seconds: number } {
  const kernel = new Kernel({ seed: 1, latency: new ConstantLatency(50) });
  for (let i = 0; i < AGENTS; i++) kernel.register(new Ticker(`ticker-${i}`, 0x9e3779b9 * (i + 1)));
  kernel.start();
  const t0 = performance.now();
  kernel.run({ maxSteps: deliveries });
  const seconds = (performance.now() - t0) / 1000;
  const done = kernel.stats.messages + kernel.stats.wakeups;
  if (done !== deliveries) throw new Error(`expected ${deliveries} deliveries, got ${done}`);
  return { deliveries: done, seconds };
}

/** Deliveries per second of the kernel's hot loop, best of three after a warm-up. */
export async function benchKernel(): Promise<{ eventsPerSecond: number }> {
  once(WARMUP_DELIVERIES);
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const { deliveries, seconds } = once(DELIVERIES);
    best = Math.max(best, deliveries / seconds);
    // Let the collector run between rounds rather than inside the next one.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { eventsPerSecond: Math.round(best) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { eventsPerSecond } = await benchKernel();
  console.log(`kernel: ${(eventsPerSecond / 1e6).toFixed(2)} M events/s (${AGENTS} agents, ${DELIVERIES / 1e6} M deliveries, best of ${ROUNDS})`);
}
