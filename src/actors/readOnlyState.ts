/**
 * Device state as scenario invariants see it: the live object behind a read-only proxy, so that
 * an invariant cannot change the run it checks. A write (set, define, delete, a prototype change,
 * a mutating method of a Map, Set, typed array or Date) throws `ReadOnlyStateError` naming the
 * field (`d.pokes`, `VMD.eventHandle[3]`); the run loop reports it as the invariant's error
 * (`invariant writesState threw: it wrote d.pokes: ...`), exit 1.
 *
 * Nested objects are wrapped when read, once per view (a Map from object to proxy: the view, and
 * with it the map, is made again for every run, so nothing is kept past the run). Nothing is
 * copied: a read costs a trap call, and an object read for the first time one proxy.
 *
 * Objects whose methods work only on the real object (Map, Set, typed arrays, DataView, Date)
 * get their read methods bound to it, the values these return wrapped in turn, and their
 * mutating methods refused. Frozen objects are handed out as they are (nothing can write them).
 */

/** An invariant wrote device state. */
export class ReadOnlyStateError extends Error {
  override readonly name = 'ReadOnlyStateError';
}

function refuse(path: string, what: string): never {
  throw new ReadOnlyStateError(`it ${what} ${path}: device state is read-only to invariants (view.device() hands the live state; a write would change the run it checks)`);
}

const MAP_MUTATORS: ReadonlySet<PropertyKey> = new Set(['set', 'delete', 'clear']);
const SET_MUTATORS: ReadonlySet<PropertyKey> = new Set(['add', 'delete', 'clear']);
const TYPED_ARRAY_MUTATORS: ReadonlySet<PropertyKey> = new Set(['set', 'fill', 'sort', 'reverse', 'copyWithin']);

/** Whether method `key` of `target` writes it (for objects whose methods need the real object). */
function mutates(target: object, key: PropertyKey): boolean {
  if (target instanceof Map) return MAP_MUTATORS.has(key);
  if (target instanceof Set) return SET_MUTATORS.has(key);
  const setter = typeof key === 'string' && key.startsWith('set');
  if (target instanceof DataView || target instanceof Date) return setter;
  return ArrayBuffer.isView(target) && TYPED_ARRAY_MUTATORS.has(key);
}

function needsRealThis(target: object): boolean {
  return target instanceof Map || target instanceof Set || ArrayBuffer.isView(target) || target instanceof Date;
}

export class ReadOnlyStates {
  private readonly proxies = new Map<object, object>();

  /** `value` as an invariant may see it: objects behind a read-only proxy, anything else as it is. */
  of<T>(value: T, path: string): T {
    if (typeof value !== 'object' || value === null) return value;
    return (this.proxies.get(value) ?? this.make(value, path)) as T;
  }

  /** Property `key` of `parent` (the real object), read: the path is made only for a new proxy (reads of a known object cost a lookup). */
  child(value: unknown, parentPath: string, key: PropertyKey, parent: object): unknown {
    if (typeof value !== 'object' || value === null) return value;
    return this.proxies.get(value) ?? this.make(value, childPath(parentPath, key, parent));
  }

  private make(value: object, path: string): object {
    if (Object.isFrozen(value)) return value;
    const proxy = new Proxy(value, new ReadOnlyHandler(this, path, needsRealThis(value)));
    this.proxies.set(value, proxy);
    return proxy;
  }
}

function childPath(path: string, key: PropertyKey, target: object): string {
  if (typeof key === 'symbol') return `${path}[${String(key)}]`;
  return Array.isArray(target) || ArrayBuffer.isView(target) || /^\d+$/.test(String(key)) ? `${path}[${String(key)}]` : `${path}.${key}`;
}

class ReadOnlyHandler implements ProxyHandler<object> {
  constructor(private readonly states: ReadOnlyStates, private readonly path: string, private readonly realThis: boolean) {}

  get(target: object, key: PropertyKey): unknown {
    // A plain indexed read (the trap runs on every read an invariant makes: the common case first).
    const value: unknown = (target as Record<PropertyKey, unknown>)[key];
    if (typeof value !== 'object' || value === null) {
      return typeof value === 'function' && this.realThis ? this.method(target, key, value as (...args: unknown[]) => unknown) : value;
    }
    return this.states.child(value, this.path, key, target);
  }

  set(_target: object, key: PropertyKey, _value: unknown, _receiver: unknown): boolean {
    return refuse(childPath(this.path, key, _target), 'wrote');
  }

  defineProperty(target: object, key: PropertyKey): boolean {
    return refuse(childPath(this.path, key, target), 'defined');
  }

  deleteProperty(target: object, key: PropertyKey): boolean {
    return refuse(childPath(this.path, key, target), 'deleted');
  }

  setPrototypeOf(): boolean {
    return refuse(this.path, 'changed the prototype of');
  }

  preventExtensions(): boolean {
    return refuse(this.path, 'froze');
  }

  /** A method of a Map, Set, typed array or Date: bound to the real object; what it returns read-only too. */
  private method(target: object, key: PropertyKey, fn: (...args: unknown[]) => unknown): unknown {
    if (mutates(target, key)) return () => refuse(`${this.path}.${String(key)}()`, 'called');
    const { states, path } = this;
    if (key === 'forEach' && (target instanceof Map || target instanceof Set)) {
      return (callback: (value: unknown, key: unknown, collection: unknown) => void, thisArg?: unknown) => {
        (fn as (cb: (v: unknown, k: unknown) => void) => void).call(target, (v, k) => callback.call(thisArg, states.of(v, `${path}[…]`), states.of(k, `${path}[…]`), states.of(target, path)));
      };
    }
    // Iterators work on the real object only: a generator over it, each item (an entry pair too) read-only.
    if (key === 'values' || key === 'entries' || key === 'keys' || key === Symbol.iterator) {
      return function* () {
        for (const item of fn.call(target) as Iterable<unknown>) yield states.of(item, `${path}[…]`);
      };
    }
    return (...args: unknown[]) => states.of(fn.apply(target, args), `${path}.${String(key)}()`);
  }
}
