const TWO_POW_32 = 4_294_967_296;

/**
 * FNV-1a, 64-bit, kept as two unsigned 32-bit halves so it runs in plain
 * doubles (no BigInt on the hashing path). The `stateHash()` of the ledger
 * and of the credit venue feed their whole state through one of these, so
 * determinism is a comparison of two hex strings.
 */
export class StateHasher {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  /** Feeds a number: safe integers as 8 bytes (two's complement, little-endian words), anything else (±Infinity, fractions) as its decimal string. */
  num(x: number): void {
    if (!Number.isSafeInteger(x)) {
      this.str(String(x));
      return;
    }
    const high = Math.floor(x / TWO_POW_32);
    const low = x - high * TWO_POW_32;
    this.word(low >>> 0);
    this.word(high >>> 0);
  }

  /** Feeds a string as its length then its UTF-16 code units. */
  str(s: string): void {
    this.num(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.byte(c & 0xff);
      this.byte(c >>> 8);
    }
  }

  /** An independent hasher in this one's state (to hash on from here without changing this one). */
  clone(): StateHasher {
    const c = new StateHasher();
    c.hi = this.hi;
    c.lo = this.lo;
    return c;
  }

  /** The hash as 16 hex digits. */
  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }

  private word(w: number): void {
    this.byte(w & 0xff);
    this.byte((w >>> 8) & 0xff);
    this.byte((w >>> 16) & 0xff);
    this.byte(w >>> 24);
  }

  /** h ^= b; h *= 0x100000001b3 (mod 2^64), where 0x100000001b3 = 2^40 + 435. */
  private byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    const prod = lo * 435; // < 2^41, exact
    const prodLo = prod >>> 0;
    const carry = (prod - prodLo) / TWO_POW_32;
    this.hi = (Math.imul(this.hi, 435) + carry + (lo << 8)) >>> 0;
    this.lo = prodLo;
  }
}
