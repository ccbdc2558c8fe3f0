/**
 * A message between agents: a small typed record, discriminated by `type`.
 * Commands are imperative (`PlaceOrder`), reports past tense (`OrderFilled`).
 * Layers above define the concrete unions; the kernel only carries them.
 */
export interface Message {
  readonly type: string;
}

/**
 * The `default` of a switch over a union of message kinds: with every kind
 * listed (handled or deliberately ignored) the message there is `never`, so
 * a kind added to the union and forgotten in the switch is a type error. At
 * run time it does nothing: a message is typed by its sender's contract
 * only, and a kind the switch does not know is ignored.
 */
export function ignoreUnlisted(_message: never): void {}
