import { BaseAgent } from '../../src/engine/agent.js';
import type { Kernel } from '../../src/engine/kernel.js';
import type { AgentId } from '../../src/engine/agent-id.js';
import type { Message } from '../../src/engine/message.js';
import type { Micros } from '../../src/engine/time.js';

/** One delivery as an agent saw it. */
export interface Delivery {
  readonly kind: 'message' | 'wakeup';
  readonly now: Micros;
  readonly to: string;
  readonly from: AgentId;
  readonly message: Message | null;
  readonly tag: number;
  /** `kernel.currentId` inside the handler: the delivery's own id. */
  readonly id: number;
}

/** A test message carrying a label. */
export interface Note extends Message {
  readonly type: 'Note';
  readonly label: string;
}

export function note(label: string): Note {
  return { type: 'Note', label };
}

/**
 * An agent that appends every delivery and lifecycle call to a shared log and
 * runs optional scripted reactions, so tests can drive the kernel from inside
 * handlers as real agents do.
 */
export class RecordingAgent extends BaseAgent {
  onStartDo: ((agent: RecordingAgent, now: Micros) => void) | null = null;
  onMessageDo: ((agent: RecordingAgent, now: Micros, message: Message, from: AgentId) => void) | null = null;
  onWakeupDo: ((agent: RecordingAgent, now: Micros, tag: number) => void) | null = null;

  constructor(
    name: string,
    readonly log: Delivery[] = [],
    readonly lifecycle: string[] = [],
  ) {
    super(name);
  }

  /** The kernel, for scripted reactions. */
  get k(): Kernel {
    return this.kernel;
  }

  override onStart(now: Micros): void {
    this.lifecycle.push(`start:${this.name}@${now}`);
    this.onStartDo?.(this, now);
  }

  override onStop(now: Micros): void {
    this.lifecycle.push(`stop:${this.name}@${now}`);
  }

  override onMessage(now: Micros, message: Message, from: AgentId): void {
    this.log.push({ kind: 'message', now, to: this.name, from, message, tag: 0, id: this.kernel.currentId });
    this.onMessageDo?.(this, now, message, from);
  }

  override onWakeup(now: Micros, tag: number): void {
    this.log.push({ kind: 'wakeup', now, to: this.name, from: this.id, message: null, tag, id: this.kernel.currentId });
    this.onWakeupDo?.(this, now, tag);
  }
}
