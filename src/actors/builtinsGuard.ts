/**
 * vmmsim's own code runs on the same thread as the scenario's and relies on the built-ins: a
 * device procedure that replaced `Array.prototype.push` made the explorer's workload tape loop
 * for ever (its `while (tape.length <= index) tape.push(...)` never grew), and one that defined
 * `Object.prototype.then` made every object a thenable, so promise resolution never settled.
 * Both hung `explore` past Ctrl-C; `run --runtime sim` ended in an internal error.
 *
 * So after each client step the run looks: a built-in it relies on that is not the original is
 * put back, and the run ends on it as device code that threw in that step, blamed on the
 * procedure entered last. After the shutdown's device code, they are put back without a word
 * (the run is over; its report and trace must still be written). A look costs a score of
 * reference comparisons per step. Deterministic: a replay notices it at the same step.
 */
import { DeviceCodeError, ring0Watch } from '../vmm/ring0Watch.js';

type Owner = Record<string, unknown>;

const watched: [owner: Owner, ownerName: string, key: string, original: unknown][] = [];
for (const [owner, ownerName, keys] of [
  [Array.prototype, 'Array.prototype', ['push', 'pop', 'splice', 'slice', 'indexOf', 'includes', 'fill', 'map', 'join']],
  [Object, 'Object', ['keys', 'assign', 'defineProperty']],
  [Map.prototype, 'Map.prototype', ['get', 'set', 'has', 'delete']],
  [Set.prototype, 'Set.prototype', ['add', 'has']],
  [Function.prototype, 'Function.prototype', ['call', 'apply']],
  [Promise.prototype, 'Promise.prototype', ['then']],
  [JSON, 'JSON', ['stringify', 'parse']],
  // An outside audit: `Math.floor = () => 0` hung explore past Ctrl-C (the workload tape's index).
  [Math, 'Math', ['floor', 'ceil', 'round', 'min', 'max', 'abs', 'imul', 'clz32']],
] as const) {
  for (const key of keys) watched.push([owner as unknown as Owner, ownerName, key, (owner as unknown as Owner)[key]]);
}

/** The watched built-ins by name (`Array.prototype.push`), for the tests. */
export const WATCHED_BUILTINS: readonly string[] = watched.map(([, ownerName, key]) => `${ownerName}.${key}`);

/** Names added to Object.prototype that change what every object is (a thenable, an iterable). */
const NOT_ON_OBJECTS = ['then', 'toJSON'];

// Held from before any scenario code ran: putting a replaced Object.defineProperty back with
// Object.defineProperty called the replacement.
const { defineProperty, hasOwn } = Object;

/** The built-ins the scenario's code changed, each put back; empty when none was. */
export function restoreBuiltins(): string[] {
  // No push here: it may be the built-in that was replaced.
  let changed: string[] | null = null;
  for (const [owner, ownerName, key, original] of watched) {
    if (owner[key] === original) continue;
    changed ??= [];
    changed[changed.length] = `${ownerName}.${key}`;
    defineProperty(owner, key, { value: original, writable: true, configurable: true, enumerable: false });
  }
  const objects = Object.prototype as Owner;
  for (const key of NOT_ON_OBJECTS) {
    if (!hasOwn(objects, key)) continue;
    changed ??= [];
    changed[changed.length] = `Object.prototype.${key}`;
    delete objects[key];
  }
  return changed ?? [];
}

/**
 * The same look as restoreBuiltins, made from the same table: straight-line named loads, each
 * against an original held in a closure variable. A keyed load per entry of `watched` made a
 * simulated step a fifth slower; written by hand, the look was a second list that a new entry
 * had to be added to as well. Where code generation from strings is disallowed (node
 * --disallow-code-generation-from-strings, a CSP-like policy), the keyed loop does it instead.
 */
const compiled = compiledLook();
const anyChanged = compiled ?? keyedLook;
/** Both looks, for the tests (a process runs one: keyed only where code generation is disallowed). */
export const LOOKS = { compiled, keyed: keyedLook } as const;

function compiledLook(): (() => boolean) | null {
  try {
    return new Function(
      ...watched.map((_, i) => `original${i}`),
      `return function anyChanged() {
        return ${watched.map(([, ownerName, key], i) => `${ownerName}.${key} !== original${i}`).join(' || ')} ||
          ${NOT_ON_OBJECTS.map((key) => `Object.prototype.${key} !== undefined`).join(' || ')};
      };`,
    )(...watched.map(([, , , original]) => original)) as () => boolean;
  } catch (error) {
    if (error instanceof EvalError) return null;
    throw error;
  }
}

function keyedLook(): boolean {
  for (const [owner, , key, original] of watched) if (owner[key] !== original) return true;
  const objects = Object.prototype as Owner;
  for (const key of NOT_ON_OBJECTS) if (objects[key] !== undefined) return true;
  return false;
}

/** Throws, as the last procedure entered, when scenario code changed a built-in (put back first). */
export function checkBuiltins(): void {
  if (!anyChanged()) return;
  const changed = restoreBuiltins();
  if (changed.length === 0) return;
  const where = ring0Watch.lastOutermost() ?? { deviceIndex: 0, device: 'scenario', proc: 'module code' };
  throw new DeviceCodeError(where, new Error(`changed the built-in ${changed.join(', ')}, which vmmsim's own code relies on (put back; the run is ended)`));
}
