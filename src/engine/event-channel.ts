import type { Subject } from 'rxjs';
import type { SimEvent } from './sim-event.js';

/**
 * One event type's emission, as an emitter keeps it (from `Kernel.channel`):
 * asking whether anyone listens and publishing cost no lookup by type name,
 * which matters for the venue's per-fill and per-report events. Equivalent
 * to `Kernel.observes(type)` and `Kernel.emit(event)` for events of its type.
 */
export class EventChannel<E extends SimEvent = SimEvent> {
  constructor(
    /** The kernel's stream of every event. */
    private readonly all: Subject<SimEvent>,
    /** The kernel's stream of this type. */
    private readonly typed: Subject<SimEvent>,
  ) {}

  /** True when someone listens to events of this type, through either stream. */
  get observed(): boolean {
    return this.all.observed || this.typed.observed;
  }

  /** Publishes an event of this type to the subscribers of both streams (as `Kernel.emit`). */
  emit(event: E): void {
    // rxjs allocates on every next(), observed or not: skip the stream nobody reads.
    if (this.all.observed) this.all.next(event);
    if (this.typed.observed) this.typed.next(event);
  }
}
