import type { Micros } from './time.js';

/**
 * An observed event: something that happened, named in the past tense.
 * `id` is unique in the run; `causeId` is the id of the message, wake-up or
 * event that caused it (0 for the run's own start), so causal chains such as
 * liquidation cascades are exact trees, not guesses from time windows.
 */
export interface SimEvent {
  readonly type: string;
  readonly id: number;
  readonly causeId: number;
  readonly time: Micros;
}
