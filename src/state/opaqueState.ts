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
 * Object.prototype or null, Maps and Sets, typed arrays, DataViews and array buffers.
 */
import type { Vmm } from '../vmm/vmm.js';

/** Why the walk cannot see a value, or null when it is plain data. */
export function opaqueValue(value: unknown, seen = new Set<object>()): string | null {
  switch (typeof value) {
    case 'function': return 'a function (the variables its closure holds are not walked)';
    case 'symbol': return 'a symbol (all symbols digest alike)';
    case 'object': break;
    default: return null;
  }
  if (value === null || seen.has(value)) return null;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) return null;
  if (Array.isArray(value)) return firstOpaque(value, seen);
  if (value instanceof Map) return firstOpaque([...value.keys(), ...value.values()], seen);
  if (value instanceof Set) return firstOpaque([...value], seen);
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} (its private fields and internal slots are not walked)`;
  }
  return firstOpaque(Object.values(value), seen);
}

function firstOpaque(values: readonly unknown[], seen: Set<object>): string | null {
  for (const item of values) {
    const why = opaqueValue(item, seen);
    if (why !== null) return why;
  }
  return null;
}

/** The first device whose state holds a value the digest cannot see: "device d's state holds ...". */
export function opaqueDeviceState(vmm: Vmm): string | null {
  for (const device of vmm.devices) {
    const why = opaqueValue(device.state);
    if (why !== null) return `device ${device.name}'s state holds ${why}`;
  }
  return null;
}
