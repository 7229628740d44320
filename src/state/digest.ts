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
import { sameKeys } from './sameKeys.js';

/** What a walk leaves out: fields by the class that holds them, and whole external objects. */
export interface DigestSkip {
  /** Class → its fields that are not state (a counter, a scratch pool, an injected source). */
  keys: ReadonlyMap<Function, ReadonlySet<string>>;
  values?: ReadonlySet<unknown>;
  /**
   * The fields of a plain object (constructor `Object`) that are its state, sorted; undefined
   * for all of them (e.g. a free event node keeps only its identity). Return the same array for
   * the same shape each time: the walk keeps its plan by that array.
   */
  fieldsOf?: (object: object) => readonly string[] | undefined;
  /** Class → its fields whose values are hashed in iteration order, all the way down. */
  ordered?: ReadonlyMap<Function, ReadonlySet<string>>;
}

const TAG = { undef: 1, null: 2, false: 3, true: 4, int: 5, float: 6, string: 7, array: 8, object: 9, map: 10, set: 11, bytes: 12, ref: 13, fn: 14, bigint: 15, hole: 16 } as const;

const keyHashes = new Map<string, number>();

/**
 * How the walk visits one shape of object in sorted order, made once per shape (the default
 * machine's digest meets ~250 objects and ~1,400 fields at every step boundary: sorting each
 * object's keys and looking each field up in the skip sets took most of its time). `own` is the
 * object's keys as `Object.keys` gives them, to recognize the shape again; `keys` the fields
 * walked, sorted, skipped ones left out; `hashes` their names' hashes; `deeper` which of them
 * are walked in iteration order.
 */
interface Plan {
  own: readonly string[];
  keys: readonly string[];
  hashes: Int32Array;
  deeper: readonly boolean[];
}

/** The plans made for one DigestSkip: by class, by a plain object's first key, by a `fieldsOf` list. */
interface Plans {
  byClass: Map<Function, Plan>;
  byFirstKey: Map<string, Plan[]>;
  byFields: Map<readonly string[], Plan>;
  /** Plain-object shapes kept: past PLAIN_SHAPES_MAX a new shape is planned at each meeting, not kept (bounded memory). */
  plainShapes: number;
}

const PLAIN_SHAPES_MAX = 4096;
const plansBySkip = new WeakMap<DigestSkip, Plans>();

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
    this.word(keyHash(text));
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
    walkObject(object);
  };

  const walkObject = (object: object): void => {
    if (Array.isArray(object)) {
      hasher.word(TAG.array);
      hasher.word(object.length);
      // A hole is not undefined to code that reads the array (`forEach`, `in`): two states apart.
      for (let i = 0; i < object.length; i++) {
        const item: unknown = object[i];
        if (item === undefined && !(i in object)) hasher.word(TAG.hole);
        else walk(item);
      }
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
    const record = object as Record<string, unknown>;
    if (ordered > 0) {
      const skipped = skip.keys.get(object.constructor);
      const inOrder = skip.ordered?.get(object.constructor);
      for (const key of Object.keys(object)) {
        if (skipped?.has(key)) continue;
        hasher.key(key);
        const deeper = inOrder?.has(key) === true;
        if (deeper) ordered++;
        walk(record[key]);
        if (deeper) ordered--;
      }
      return;
    }
    const plan = planOf(object, skip);
    const { keys, hashes, deeper } = plan;
    for (let i = 0; i < keys.length; i++) {
      hasher.word(hashes[i]!);
      if (deeper[i] === true) {
        ordered++;
        walk(record[keys[i]!]);
        ordered--;
      } else walk(record[keys[i]!]);
    }
  };

  walk(root);
  return hasher.hex();
}

function keyHash(text: string): number {
  let h = keyHashes.get(text);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    keyHashes.set(text, h);
  }
  return h;
}

/**
 * The plan of `object`'s shape, made on first meeting. A shape is recognized by its own keys in
 * their order, compared name by name with the plan's (so an instance given a field its class
 * lacks, or a plain object with other fields, gets a plan of its own).
 */
function planOf(object: object, skip: DigestSkip): Plan {
  let plans = plansBySkip.get(skip);
  if (plans === undefined) {
    plans = { byClass: new Map(), byFirstKey: new Map(), byFields: new Map(), plainShapes: 0 };
    plansBySkip.set(skip, plans);
  }
  const ctor = object.constructor;
  const plain = ctor === Object || ctor === undefined;
  if (plain && skip.fieldsOf !== undefined) {
    const fields = skip.fieldsOf(object);
    if (fields !== undefined) {
      let plan = plans.byFields.get(fields);
      if (plan === undefined) {
        plan = makePlan(fields, fields, ctor, skip);
        plans.byFields.set(fields, plan);
      }
      return plan;
    }
  }
  const own = Object.keys(object);
  if (!plain) {
    const known = plans.byClass.get(ctor);
    if (known !== undefined && sameKeys(known.own, own)) return known;
    const plan = makePlan(own, [...own].sort(), ctor, skip);
    plans.byClass.set(ctor, plan);
    return plan;
  }
  const first = own.length > 0 ? own[0]! : '';
  const candidates = plans.byFirstKey.get(first);
  if (candidates !== undefined) for (const plan of candidates) if (sameKeys(plan.own, own)) return plan;
  const plan = makePlan(own, [...own].sort(), ctor, skip);
  if (plans.plainShapes < PLAIN_SHAPES_MAX) {
    plans.plainShapes++;
    if (candidates === undefined) plans.byFirstKey.set(first, [plan]);
    else candidates.push(plan);
  }
  return plan;
}

function makePlan(own: readonly string[], sorted: readonly string[], ctor: Function | undefined, skip: DigestSkip): Plan {
  const skipped = ctor === undefined ? undefined : skip.keys.get(ctor);
  const inOrder = ctor === undefined ? undefined : skip.ordered?.get(ctor);
  const keys = sorted.filter((key) => skipped?.has(key) !== true);
  return {
    own, keys,
    hashes: Int32Array.from(keys, keyHash),
    deeper: keys.map((key) => inOrder?.has(key) === true),
  };
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
