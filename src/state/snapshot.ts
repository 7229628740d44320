/**
 * Snapshots of a live object graph, and restoring one into it: what lets a search fork from a
 * saved state instead of re-executing the prefix that reached it.
 *
 * `takeSnapshot` copies the graph structurally: every own enumerable field, arrays, Maps, Sets,
 * ArrayBuffers and the typed arrays and DataViews over them (a buffer shared by two views stays
 * shared), each object with its own prototype; sharing and cycles are kept. Functions are not
 * state and are kept by reference, and so are the fields named in `keep` (injected collaborators
 * such as the strategy, and static configuration such as device specs).
 *
 * `restoreSnapshot` writes a snapshot back into the live graph it was taken from, in place:
 * each live object found at the same place keeps its identity and gets the snapshot's fields,
 * so the closures that live objects hold (a sink bound to its checker, a hasher's feeders) stay
 * bound to the right objects. Objects the live graph no longer has are made fresh. The snapshot
 * is never aliased into the live graph, so one snapshot can be restored any number of times.
 */
import { sameKeys } from './sameKeys.js';

/** Class → fields kept by reference (neither copied nor restored). */
export type KeepFields = ReadonlyMap<Function, ReadonlySet<string>>;

export interface Snapshot<T> {
  readonly root: T;
}

const NONE: ReadonlySet<string> = new Set();

export function takeSnapshot<T extends object>(root: T, keep: KeepFields): Snapshot<T> {
  const copies = new Map<object, object>();

  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const done = copies.get(value);
    if (done !== undefined) return done;
    if (value instanceof ArrayBuffer) return remember(value, value.slice(0));
    if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
      const out = new SharedArrayBuffer(value.byteLength);
      new Uint8Array(out).set(new Uint8Array(value));
      return remember(value, out);
    }
    if (value instanceof DataView) {
      return remember(value, new DataView(copy(value.buffer) as ArrayBuffer, value.byteOffset, value.byteLength));
    }
    if (ArrayBuffer.isView(value)) {
      const view = value as unknown as { buffer: ArrayBuffer; byteOffset: number; length: number; constructor: new (b: ArrayBuffer, o: number, l: number) => object };
      return remember(value, new view.constructor(copy(view.buffer) as ArrayBuffer, view.byteOffset, view.length));
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      remember(value, out);
      // A hole stays a hole: `forEach`, `in` and `Object.keys` tell it from undefined, so a copy
      // that filled it in was another state (a forked execution then ran otherwise than its twin).
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === undefined && !(i in value)) out.length = i + 1;
        else out[i] = copy(item);
      }
      out.length = value.length;
      return out;
    }
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      remember(value, out);
      for (const [key, item] of value) out.set(copy(key), copy(item));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<unknown>();
      remember(value, out);
      for (const item of value) out.add(copy(item));
      return out;
    }
    const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    remember(value, out);
    const kept = keep.get(value.constructor) ?? NONE;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      out[key] = kept.has(key) ? item : copy(item);
    }
    return out;
  };

  const remember = <V extends object>(from: object, to: V): V => {
    copies.set(from, to);
    return to;
  };

  return { root: copy(root) as T };
}

export function restoreSnapshot<T extends object>(live: T, snapshot: Snapshot<T>, keep: KeepFields): void {
  /** Snapshot object → the live object that now holds its state. */
  const placed = new Map<object, object>();
  const claimed = new Set<object>();

  const valueFor = (saved: unknown, current: unknown): unknown => {
    if (saved === null || typeof saved !== 'object') return saved;
    const done = placed.get(saved);
    if (done !== undefined) return done;
    // A frozen object (a shared VM snapshot a record points to) is never written into: the state
    // it stood for gets an object of its own.
    if (current !== null && typeof current === 'object' && !claimed.has(current) && !Object.isFrozen(current) && sameShape(saved, current)) {
      into(current, saved);
      return current;
    }
    const fresh = freshLike(saved, (buffer) => valueFor(buffer, undefined) as ArrayBuffer);
    into(fresh, saved);
    return fresh;
  };

  const into = (target: object, saved: object): void => {
    placed.set(saved, target);
    claimed.add(target);
    if (saved instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && saved instanceof SharedArrayBuffer)) {
      new Uint8Array(target as ArrayBuffer).set(new Uint8Array(saved));
      return;
    }
    if (ArrayBuffer.isView(saved)) {
      // The view's bytes live in its buffer: restore the buffer (shared with other views).
      valueFor(saved.buffer, (target as ArrayBufferView).buffer);
      return;
    }
    if (Array.isArray(saved)) {
      const array = target as unknown[];
      array.length = saved.length;
      for (let i = 0; i < saved.length; i++) {
        const item: unknown = saved[i];
        // A hole restored as a hole (see copy).
        if (item === undefined && !(i in saved)) delete array[i];
        else array[i] = valueFor(item, array[i]);
      }
      return;
    }
    if (saved instanceof Map) {
      const map = target as Map<unknown, unknown>;
      const entries = [...saved].map(([key, item]) => [valueFor(key, undefined), valueFor(item, map.get(key))] as const);
      map.clear();
      for (const [key, item] of entries) map.set(key, item);
      return;
    }
    if (saved instanceof Set) {
      const set = target as Set<unknown>;
      const items = [...saved].map((item) => valueFor(item, undefined));
      set.clear();
      for (const item of items) set.add(item);
      return;
    }
    const out = target as Record<string, unknown>;
    const from = saved as Record<string, unknown>;
    const kept = keep.get(saved.constructor) ?? NONE;
    const order = Object.keys(from);
    // Mostly the live object has the snapshot's keys in its order (a class instance always):
    // then nothing moves.
    const moved = sameKeys(order, Object.keys(out)) ? null : reorder(out, from, order, kept);
    for (const key of order) {
      const item = from[key];
      // Kept fields and the live graph's own closures stay as they are.
      if (kept.has(key) || typeof item === 'function') continue;
      out[key] = valueFor(item, moved !== null && moved.has(key) ? moved.get(key) : out[key]);
    }
  };

  into(live, snapshot.root);
}

/**
 * Makes a live object's keys a prefix-compatible order of the snapshot's: keys the snapshot
 * lacks go, and from the first key out of order on, the rest are taken out (returned) to be
 * written back in order. Code iterates a plain object's keys in insertion order, so one restored
 * with a key written in another order would run otherwise (an object rotated since the snapshot).
 */
function reorder(out: Record<string, unknown>, from: Record<string, unknown>, order: readonly string[], kept: ReadonlySet<string>): Map<string, unknown> {
  for (const key of Object.keys(out)) if (!(key in from) && typeof out[key] !== 'function') delete out[key];
  const live = Object.keys(out).filter((key) => key in from);
  const at = live.findIndex((key, i) => key !== order[i]);
  const moved = new Map<string, unknown>();
  if (at >= 0) {
    for (const key of live.slice(at)) {
      if (kept.has(key) || typeof out[key] === 'function') continue;
      moved.set(key, out[key]);
      delete out[key];
    }
  }
  return moved;
}

function sameShape(saved: object, current: object): boolean {
  if (Object.getPrototypeOf(saved) !== Object.getPrototypeOf(current)) return false;
  if (saved instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && saved instanceof SharedArrayBuffer)) {
    return (saved as ArrayBuffer).byteLength === (current as ArrayBuffer).byteLength;
  }
  if (ArrayBuffer.isView(saved)) {
    const c = current as ArrayBufferView;
    return saved.byteOffset === c.byteOffset && saved.byteLength === c.byteLength && saved.buffer.byteLength === c.buffer.byteLength;
  }
  return true;
}

/** A new object of the saved one's kind, to be filled by `into` (a view over its buffer's place). */
function freshLike(saved: object, bufferFor: (buffer: ArrayBufferLike) => ArrayBuffer): object {
  if (saved instanceof ArrayBuffer) return new ArrayBuffer(saved.byteLength);
  if (typeof SharedArrayBuffer !== 'undefined' && saved instanceof SharedArrayBuffer) return new SharedArrayBuffer(saved.byteLength);
  if (saved instanceof DataView) return new DataView(bufferFor(saved.buffer), saved.byteOffset, saved.byteLength);
  if (ArrayBuffer.isView(saved)) {
    const view = saved as unknown as { buffer: ArrayBuffer; byteOffset: number; length: number; constructor: new (b: ArrayBuffer, o: number, l: number) => object };
    return new view.constructor(bufferFor(view.buffer), view.byteOffset, view.length);
  }
  if (Array.isArray(saved)) return [];
  if (saved instanceof Map) return new Map();
  if (saved instanceof Set) return new Set();
  return Object.create(Object.getPrototypeOf(saved) as object | null) as object;
}
