/**
 * Which of `n` numbered slots are free, answering "the lowest free slot" in
 * O(n / 32) word reads instead of a walk of the slots (a trader keeps up to
 * hundreds of resting orders and asks this on every placement).
 *
 * @internal
 */
export class FreeSlots {
  /** Bit `i % 32` of word `i >> 5` is set when slot `i` is free. */
  private readonly words: Uint32Array;

  /** `n` slots, all free. */
  constructor(readonly n: number) {
    this.words = new Uint32Array((n + 31) >>> 5);
    for (let i = 0; i < n; i++) this.release(i);
  }

  /** The lowest free slot, or −1 when none is. */
  lowest(): number {
    const words = this.words;
    for (let w = 0; w < words.length; w++) {
      const bits = words[w] as number;
      // bits & −bits isolates the lowest set bit; 31 − clz32 is its index.
      if (bits !== 0) return (w << 5) + 31 - Math.clz32(bits & -bits);
    }
    return -1;
  }

  isFree(slot: number): boolean {
    return (((this.words[slot >>> 5] as number) >>> (slot & 31)) & 1) === 1;
  }

  take(slot: number): void {
    this.words[slot >>> 5] = (this.words[slot >>> 5] as number) & ~(1 << (slot & 31));
  }

  release(slot: number): void {
    this.words[slot >>> 5] = (this.words[slot >>> 5] as number) | (1 << (slot & 31));
  }
}
