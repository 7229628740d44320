/**
 * Device state the state digest (digest.ts) cannot see all of. The digest walks own enumerable
 * fields: a class instance's `#private` fields, a closure's variables, a Date's time, a WeakMap's
 * entries are not among them, so two states that differ only there digest alike, and a
 * snapshot (fork.ts) does not hold them. Stateful dfs, which prunes a state it met before and
 * resumes from snapshots, then skipped executions it had never run and still said "the bounded
 * space is exhausted". So before it compares or saves a state it asks this walk, and gives both
 * up (re-executing every prefix, stateless, still exhaustive) when a device keeps such a value.
 *
 * Plain data is: primitives other than symbols, arrays, objects whose prototype is
 * Object.prototype or null, Maps and Sets, typed arrays, DataViews and array buffers, holding
 * only own enumerable data properties (plus an array's length). Not plain, as the digest skips or
 * the snapshot loses them: a subclass of Map, Set or Array (restored as the base class), a named
 * property on an array, a symbol-keyed or non-enumerable property, a getter or setter.
 */
import type { Vmm } from '../vmm/vmm.js';

/**
 * How deep a state may nest (a linked list counts one level per node) for the digest and the
 * snapshot, whose walks recurse: past it, stateful dfs runs stateless rather than overflow the
 * stack (a free list of 20,000 nodes did, "Maximum call stack size exceeded"). Measured: both
 * walks reach 6,000 levels on a worker's stack; a third of that leaves room for the frames below.
 */
export const STATE_DEPTH_MAX = 2000;

/**
 * Why the walk cannot see a value, or null when it is plain data. The walk keeps its own stack
 * (depth-first, fields in order, as the digest meets them), so a state of any depth is judged.
 */
export function opaqueValue(root: unknown): string | null {
  const seen = new Set<object>();
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    const why = opaqueHere(value, seen);
    if (why !== null) return why;
    const children = childrenOf(value, seen);
    if (children.length === 0) continue;
    if (depth + 1 > STATE_DEPTH_MAX) return `a structure nested more than ${STATE_DEPTH_MAX} levels deep (a long linked list?), deeper than the digest walks`;
    // Pushed last first: the first child is walked next, as the recursive digest does.
    for (let i = children.length - 1; i >= 0; i--) {
      values.push(children[i]);
      depths.push(depth + 1);
    }
  }
  return null;
}

/** What makes this one value opaque (not its children); null for plain data. Marks it seen. */
function opaqueHere(value: unknown, seen: Set<object>): string | null {
  switch (typeof value) {
    case 'function': return 'a function (the variables its closure holds are not walked)';
    case 'symbol': return 'a symbol (all symbols digest alike)';
    case 'object': break;
    default: return null;
  }
  if (value === null || seen.has(value)) return null;
  if (isBytes(value)) return null;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (Array.isArray(value)) return proto !== Array.prototype ? subclass(proto, 'Array') : hiddenProperty(value, true);
  if (value instanceof Map) return proto !== Map.prototype ? subclass(proto, 'Map') : hiddenProperty(value, false);
  if (value instanceof Set) return proto !== Set.prototype ? subclass(proto, 'Set') : hiddenProperty(value, false);
  if (proto !== Object.prototype && proto !== null) {
    return `an instance of ${className(proto)} (its private fields and internal slots are not walked)`;
  }
  return hiddenProperty(value, false);
}

const NO_CHILDREN: readonly unknown[] = [];

/** The values a plain object holds, once per object (none for one seen before, or bytes). */
function childrenOf(value: unknown, seen: Set<object>): readonly unknown[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return NO_CHILDREN;
  seen.add(value);
  if (isBytes(value)) return NO_CHILDREN;
  if (Array.isArray(value)) return value as unknown[];
  if (value instanceof Map) return [...value.keys(), ...value.values()];
  if (value instanceof Set) return [...value];
  return Object.values(value);
}

function isBytes(value: object): boolean {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer);
}

function className(proto: object | null): string {
  const name = (proto as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'a class';
}

function subclass(proto: object | null, base: string): string {
  return `an instance of ${className(proto)}, a subclass of ${base} (a snapshot restores it as a plain ${base})`;
}

/** A property the walk does not see: symbol-keyed, non-enumerable, a getter or setter, or (on an array) named. */
function hiddenProperty(value: object, array: boolean): string | null {
  if (Object.getOwnPropertySymbols(value).length > 0) return 'an object with a symbol-keyed property (not walked)';
  const names = Object.getOwnPropertyNames(value);
  const enumerable = Object.keys(value);
  // An array's length is its one own non-enumerable property; a Map's and Set's entries are no properties.
  if (names.length !== enumerable.length + (array ? 1 : 0)) return 'an object with a non-enumerable property (not walked)';
  for (const key of enumerable) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if (descriptor.get !== undefined || descriptor.set !== undefined) return `an object whose property ${key} is a getter or setter (not walked as data)`;
    if (array && !isIndex(key)) return `an array with a named property ${key} (not walked)`;
  }
  return null;
}

function isIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key);
}

/** The first device whose state holds a value the digest cannot see: "device d's state holds ...". */
export function opaqueDeviceState(vmm: Vmm): string | null {
  for (const device of vmm.devices) {
    const why = opaqueValue(device.state);
    if (why !== null) return `device ${device.name}'s state holds ${why}`;
  }
  return null;
}
