/**
 * The seeded PRNG of vmmsim: sfc32 (small, fast, good statistical quality), seeded through
 * splitmix32 so that any 32-bit seed gives a well-mixed state. Every subsystem takes its own
 * child generator (`child('irq')`), so adding draws in one subsystem does not shift another's.
 */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Rng {
  // The four sfc32 words, kept as int32 bit patterns (`| 0`): every operation below is modulo
  // 2^32 either way, so the stream is the same as with unsigned words, and V8 keeps int32 fields
  // and locals in registers instead of boxing values above 2^31 as doubles.
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    const mix = splitmix32(seed);
    this.a = mix() | 0;
    this.b = mix() | 0;
    this.c = mix() | 0;
    this.d = mix() | 0;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** A generator for one subsystem, independent of how many draws this one has made. */
  child(label: string): Rng {
    return new Rng(childSeed(this.seed, label));
  }

  nextU32(): number {
    const b = this.b;
    const c = this.c;
    const t = (((this.a + b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }
}

export function childSeed(seed: number, label: string): number {
  return (splitmix32((seed ^ hashLabel(label)) >>> 0)() ^ hashLabel(label)) >>> 0;
}
