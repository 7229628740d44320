/**
 * A canonical digest of plain data: a structural walk that hashes every own enumerable field in
 * sorted key order, arrays in order, Maps and Sets by their sorted entries, typed arrays,
 * DataViews and ArrayBuffers by their bytes. Under the fields named in `ordered` (device state)
 * object keys and Map and Set entries are hashed in their iteration order instead: code there can
 * iterate them, so two states that differ only in that order are two states (sorted, stateful
 * dfs pruned the one whose order mattered and called the space exhausted). It is generic on purpose: state the core gains
 * later (a new field, a new device, a new controller) is covered without a line here. Only the
 * fields named in `skip` are left out (see machine.ts for which, and why).
 *
 * Objects reached twice (the current VM is also in the VM list; a slot view and its device share
 * words) are hashed once and then named by the order in which the walk first met them, so two
 * equal graphs with the same sharing give the same digest, and the walk ends on cycles.
 *
 * The hash is two independent 32-bit multiplicative lanes (64 bits): a digest is a Map key for
 * "already explored", where a collision would prune a state never explored; at 2^-64 per pair
 * that stays far below anything a campaign can meet.
 */

/** What a walk leaves out: fields by the class that holds them, and whole external objects. */
export interface DigestSkip {
  /** Class → its fields that are not state (a counter, a scratch pool, an injected source). */
  keys: ReadonlyMap<Function, ReadonlySet<string>>;
  values?: ReadonlySet<unknown>;
  /** Rewrites a value before it is hashed (e.g. a free event node keeps only its identity). */
  normalize?: (value: object) => object;
  /** Class → its fields whose values are hashed in iteration order, all the way down. */
  ordered?: ReadonlyMap<Function, ReadonlySet<string>>;
}

const TAG = { undef: 1, null: 2, false: 3, true: 4, int: 5, float: 6, string: 7, array: 8, object: 9, map: 10, set: 11, bytes: 12, ref: 13, fn: 14, bigint: 15 } as const;

const keyHashes = new Map<string, number>();
/** Class → its sorted field names (a class's instances have the same fields, from its constructor). */
const classKeys = new Map<Function, string[]>();

const floatView = new Float64Array(1);
const floatWords = new Uint32Array(floatView.buffer);

class Hasher {
  a = 0x811c9dc5;
  b = 0x2545f491;

  word(value: number): void {
    this.a = Math.imul(this.a ^ (value | 0), 0x01000193);
    this.b = Math.imul((this.b ^ (value | 0)) + 0x9e3779b9, 0x85ebca6b);
    this.b ^= this.b >>> 15;
  }

  string(text: string): void {
    this.word(TAG.string);
    this.word(text.length);
    for (let i = 0; i < text.length; i++) this.word(text.charCodeAt(i));
  }

  /** A string through a cache of its hash: field names recur in every walk. */
  key(text: string): void {
    let h = keyHashes.get(text);
    if (h === undefined) {
      h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      keyHashes.set(text, h);
    }
    this.word(h);
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** The digest of `root` as 16 hex digits. */
export function digest(root: unknown, skip: DigestSkip): string {
  const hasher = new Hasher();
  const seen = new Map<object, number>();
  /** Above 0 inside an `ordered` field: keys and entries in iteration order. */
  let ordered = 0;

  const walk = (value: unknown): void => {
    switch (typeof value) {
      case 'undefined': hasher.word(TAG.undef); return;
      case 'boolean': hasher.word(value ? TAG.true : TAG.false); return;
      case 'number':
        if ((value | 0) === value && !Object.is(value, -0)) {
          hasher.word(TAG.int);
          hasher.word(value);
        } else {
          floatView[0] = value;
          hasher.word(TAG.float);
          hasher.word(floatWords[0]!);
          hasher.word(floatWords[1]!);
        }
        return;
      case 'string': hasher.string(value); return;
      case 'bigint': hasher.word(TAG.bigint); hasher.string(value.toString(16)); return;
      // Code is not state: device procedures and sinks are the same in every execution.
      case 'function': hasher.word(TAG.fn); return;
      case 'symbol': hasher.word(TAG.undef); return;
    }
    if (value === null) {
      hasher.word(TAG.null);
      return;
    }
    const object = value as object;
    const at = seen.get(object);
    if (at !== undefined) {
      hasher.word(TAG.ref);
      hasher.word(at);
      return;
    }
    seen.set(object, seen.size);
    if (skip.values?.has(object)) {
      hasher.word(TAG.fn);
      return;
    }
    walkObject(skip.normalize ? skip.normalize(object) : object);
  };

  const walkObject = (object: object): void => {
    if (Array.isArray(object)) {
      hasher.word(TAG.array);
      hasher.word(object.length);
      for (const item of object) walk(item);
      return;
    }
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer || isSharedBuffer(object)) {
      const bytes = asBytes(object);
      hasher.word(TAG.bytes);
      hasher.word(bytes.length);
      const whole = bytes.byteOffset % 4 === 0 ? bytes.length >>> 2 : 0;
      if (whole > 0) {
        const words = new Int32Array(bytes.buffer, bytes.byteOffset, whole);
        for (let i = 0; i < whole; i++) hasher.word(words[i]!);
      }
      for (let i = whole * 4; i < bytes.length; i++) hasher.word(bytes[i]!);
      return;
    }
    if (object instanceof Map) {
      hasher.word(TAG.map);
      hasher.word(object.size);
      for (const [key, item] of ordered > 0 ? object.entries() : sortedEntries([...object.entries()])) {
        walk(key);
        walk(item);
      }
      return;
    }
    if (object instanceof Set) {
      hasher.word(TAG.set);
      hasher.word(object.size);
      if (ordered > 0) for (const item of object) walk(item);
      else for (const [key] of sortedEntries([...object].map((item) => [item, undefined] as [unknown, unknown]))) walk(key);
      return;
    }
    hasher.word(TAG.object);
    const keys = ordered > 0 ? Object.keys(object) : sortedKeys(object);
    const skipped = skip.keys.get(object.constructor);
    const inOrder = skip.ordered?.get(object.constructor);
    for (const key of keys) {
      if (skipped?.has(key)) continue;
      hasher.key(key);
      const deeper = inOrder?.has(key) === true;
      if (deeper) ordered++;
      walk((object as Record<string, unknown>)[key]);
      if (deeper) ordered--;
    }
  };

  walk(root);
  return hasher.hex();
}

function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  const ctor = object.constructor;
  if (ctor === Object || ctor === undefined) return keys.sort();
  const cached = classKeys.get(ctor);
  if (cached !== undefined && cached.length === keys.length) return cached;
  keys.sort();
  classKeys.set(ctor, keys);
  return keys;
}

function isSharedBuffer(object: object): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && object instanceof SharedArrayBuffer;
}

function asBytes(object: object): Uint8Array {
  if (ArrayBuffer.isView(object)) return new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
  return new Uint8Array(object as ArrayBufferLike);
}

/**
 * Map and Set entries in a canonical order: primitive keys sorted by type and value (insertion
 * order is history, not state). Object keys keep insertion order, which the walk then hashes.
 */
function sortedEntries(entries: [unknown, unknown][]): [unknown, unknown][] {
  if (!entries.every(([key]) => key === null || typeof key !== 'object')) return entries;
  return entries.sort(([x], [y]) => {
    const tx = typeof x;
    const ty = typeof y;
    if (tx !== ty) return tx < ty ? -1 : 1;
    return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  });
}
