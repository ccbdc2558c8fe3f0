import type { RandomStream } from './random-stream.js';
import type { AgentId } from './agent-id.js';
import type { Micros } from './time.js';

/**
 * The delay between sending a message and its delivery.
 * Implementations must return a non-negative integer number of microseconds.
 * With jitter, two messages on one channel may arrive out of order, as on a
 * real network without sequencing.
 */
export interface LatencyModel {
  delay(from: AgentId, to: AgentId): Micros;
}

/** Every message takes the same time. */
export class ConstantLatency implements LatencyModel {
  constructor(readonly micros: Micros) {
    if (!Number.isSafeInteger(micros) || micros < 0) throw new RangeError(`latency must be a non-negative integer of microseconds, got ${micros}`);
  }

  delay(): Micros {
    return this.micros;
  }
}

/**
 * A base delay plus an exponential jitter with the given mean, drawn from its
 * own random stream and rounded to whole microseconds.
 */
export class JitteredLatency implements LatencyModel {
  constructor(
    readonly baseMicros: Micros,
    readonly meanJitterMicros: Micros,
    private readonly stream: RandomStream,
  ) {}

  delay(): Micros {
    return Math.round(this.baseMicros + this.stream.exponential(1 / this.meanJitterMicros));
  }
}

/**
 * A latency per agent: a message's delay is the sum of the sender's and the
 * receiver's one-way delays (each agent's distance from the venue).
 */
export class PerAgentLatency implements LatencyModel {
  private readonly oneWay: Micros[] = [];

  constructor(private readonly fallback: Micros) {}

  set(agent: AgentId, micros: Micros): void {
    if (!Number.isSafeInteger(micros) || micros < 0) throw new RangeError(`latency must be a non-negative integer of microseconds, got ${micros}`);
    this.oneWay[agent] = micros;
  }

  delay(from: AgentId, to: AgentId): Micros {
    return (this.oneWay[from] ?? this.fallback) + (this.oneWay[to] ?? this.fallback);
  }
}
