/**
 * A stable, fast 64-bit digest (FNV-1a over 32-bit words, as two 32-bit lanes) used for the
 * trace hash: the same decision log always gives the same hex string, on any thread.
 *
 * The lanes are kept as int32 bit patterns (in a typed array, and in locals while feeding):
 * `Math.imul` and `^` work on those directly, so no word goes through a double.
 */
export class Digest {
  /** [0] the low lane, [1] the high lane. */
  private readonly lanes = new Int32Array(2);

  constructor() {
    this.reset();
  }

  /** Back to the empty digest (a caller that hashes many runs keeps one). */
  reset(): this {
    this.lanes[0] = 0x84222325 | 0;
    this.lanes[1] = 0xcbf29ce4 | 0;
    return this;
  }

  word(value: number): this {
    // Two independent FNV-1a lanes with different primes; cheap and stable across platforms.
    const lanes = this.lanes;
    const v = value | 0;
    const lo = Math.imul(lanes[0]! ^ v, 0x01000193);
    lanes[0] = lo;
    lanes[1] = Math.imul(lanes[1]! ^ (v ^ lo), 0x0100019d);
    return this;
  }

  /** Feeds `count` words of `words` in order: the same as `word()` for each, in one tight loop. */
  words(words: Int32Array, count: number): this {
    const lanes = this.lanes;
    let lo = lanes[0]!;
    let hi = lanes[1]!;
    for (let i = 0; i < count; i++) {
      const v = words[i]!;
      lo = Math.imul(lo ^ v, 0x01000193);
      hi = Math.imul(hi ^ (v ^ lo), 0x0100019d);
    }
    lanes[0] = lo;
    lanes[1] = hi;
    return this;
  }

  text(value: string): this {
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    return this.word(value.length);
  }

  /** The high lane then the low one, 8 lowercase hex digits each. */
  hex(): string {
    // Digit by digit from a table: `toString(16).padStart` took ~0.5 µs, once per explorer execution (measured).
    return hex8(this.lanes[1]!) + hex8(this.lanes[0]!);
  }
}

const HEX_DIGITS = '0123456789abcdef';

/** A 32-bit word as 8 lowercase hex digits. */
function hex8(word: number): string {
  let out = '';
  for (let shift = 28; shift >= 0; shift -= 4) out += HEX_DIGITS[(word >>> shift) & 15]!;
  return out;
}

/** FNV-1a of a string as one 32-bit word. */
export function hashString(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ value.length, 0x01000193) >>> 0;
}
