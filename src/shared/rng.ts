/**
 * The seeded PRNG of vmmsim: sfc32 (small, fast, good statistical quality), seeded through
 * splitmix32 so that any 32-bit seed gives a well-mixed state. Every subsystem takes its own
 * child generator (`child('irq')`), so adding draws in one subsystem does not shift another's.
 */
/**
 * splitmix32's output function of one state word, as an int32 bit pattern: the n-th output of
 * splitmix32 seeded with s is mix32(s + n × 0x9e3779b9).
 */
function mix32(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
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
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** The seed the generator was last (re)started from. */
  private seeded = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  get seed(): number {
    return this.seeded;
  }

  /**
   * The generator a new Rng(seed) would be, in place: the explorer restarts one per strategy
   * for each execution instead of allocating one. splitmix32 is unrolled here (no closure).
   */
  reseed(seed: number): this {
    this.seeded = seed;
    let state = seed >>> 0;
    state = (state + 0x9e3779b9) | 0;
    this.a = mix32(state);
    state = (state + 0x9e3779b9) | 0;
    this.b = mix32(state);
    state = (state + 0x9e3779b9) | 0;
    this.c = mix32(state);
    state = (state + 0x9e3779b9) | 0;
    this.d = mix32(state);
    for (let i = 0; i < 12; i++) this.nextU32();
    return this;
  }

  /** A generator for one subsystem, independent of how many draws this one has made. */
  child(label: string): Rng {
    return new Rng(childSeed(this.seeded, label));
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
  const h = hashLabel(label);
  return (mix32((((seed ^ h) >>> 0) + 0x9e3779b9) | 0) ^ h) >>> 0;
}

/** FNV-1a of `prefix`, then the decimal digits of `index` appended (hashLabel of `${prefix}${index}`). */
function hashIndexedLabel(prefix: number, index: number): number {
  let h = prefix;
  let digits = 0;
  for (let rest = index; ; rest = (rest - (rest % 10)) / 10) {
    DIGITS[digits++] = 48 + (rest % 10);
    if (rest < 10) break;
  }
  while (digits > 0) h = Math.imul(h ^ DIGITS[--digits]!, 0x01000193);
  return h >>> 0;
}

/** A safe integer has at most 16 decimal digits. */
const DIGITS = new Int32Array(16);
/** The label of the last indexed child seed and its hash (a campaign derives every one from 'iter'). */
let lastLabel = '';
let lastLabelHash = hashLabel('');

/**
 * childSeed(seed, `${label}${index}`) without making the string: the explorer derives one seed
 * per execution from its iteration number. `index`: a non-negative safe integer (anything else
 * takes the string path, so the result is the same for every number).
 */
export function childSeedIndexed(seed: number, label: string, index: number): number {
  if (!Number.isSafeInteger(index) || index < 0) return childSeed(seed, `${label}${index}`);
  if (label !== lastLabel) {
    lastLabel = label;
    lastLabelHash = hashLabel(label);
  }
  const h = hashIndexedLabel(lastLabelHash, index);
  return (mix32((((seed ^ h) >>> 0) + 0x9e3779b9) | 0) ^ h) >>> 0;
}
