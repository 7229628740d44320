/**
 * A stable, fast 64-bit digest (FNV-1a over 32-bit words, as two 32-bit lanes) used for the
 * trace hash: the same decision log always gives the same hex string, on any thread.
 */
export class Digest {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  word(value: number): this {
    // Two independent FNV-1a lanes with different primes; cheap and stable across platforms.
    this.lo = Math.imul(this.lo ^ (value >>> 0), 0x01000193) >>> 0;
    this.hi = Math.imul(this.hi ^ ((value >>> 0) ^ this.lo), 0x0100019d) >>> 0;
    return this;
  }

  /** Feeds `count` words of `words` in order: the same as `word()` for each, in one tight loop. */
  words(words: Int32Array, count: number): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < count; i++) {
      const value = words[i]! >>> 0;
      lo = Math.imul(lo ^ value, 0x01000193) >>> 0;
      hi = Math.imul(hi ^ (value ^ lo), 0x0100019d) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  text(value: string): this {
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    return this.word(value.length);
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** FNV-1a of a string as one 32-bit word. */
export function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ value.length, 0x01000193) >>> 0;
}
