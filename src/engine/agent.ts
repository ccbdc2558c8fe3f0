import type { Agent, Kernel } from './kernel.js';
import type { AgentId } from './agent-id.js';
import type { Message } from './message.js';
import type { RandomStream } from './random-stream.js';
import type { Micros } from './time.js';

/**
 * Convenience base: keeps the kernel, the id and the agent's own random
 * stream (`agent/<name>`), and gives short names for sending and waking.
 */
export abstract class BaseAgent implements Agent {
  protected kernel!: Kernel;
  id: AgentId = -1;
  protected rng!: RandomStream;

  constructor(readonly name: string) {}

  attach(kernel: Kernel, id: AgentId): void {
    this.kernel = kernel;
    this.id = id;
    this.rng = kernel.random(`agent/${this.name}`);
  }

  onStart(_now: Micros): void {}
  onMessage(_now: Micros, _message: Message, _from: AgentId): void {}
  onWakeup(_now: Micros, _tag: number): void {}
  onStop(_now: Micros): void {}

  protected send(to: AgentId, message: Message): void {
    this.kernel.send(this.id, to, message);
  }

  protected wakeAt(time: Micros, tag = 0): void {
    this.kernel.wakeAt(this.id, time, tag);
  }

  protected wakeIn(delay: Micros, tag = 0): void {
    this.kernel.wakeAt(this.id, this.kernel.now + delay, tag);
  }
}
