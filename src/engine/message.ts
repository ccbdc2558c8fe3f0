/**
 * A message between agents: a small typed record, discriminated by `type`.
 * Commands are imperative (`PlaceOrder`), reports past tense (`OrderFilled`).
 * Layers above define the concrete unions; the kernel only carries them.
 */
export interface Message {
  readonly type: string;
}
