/**
 * The DDK's services take 32-bit registers; device code hands the `Ring0` helpers JavaScript
 * values. A value with no register reading (NaN, a string, an object, a function, a fraction,
 * 2^40) is refused where it is passed, as that procedure's error: taken as it was, a NaN VM
 * handle scheduled for whatever VM EBX held, a NaN handle was reported as "cancelled 0x0, which
 * was never an event handle" (0 is the no-op handle), and an object as reference data reached
 * the callback as that object.
 */

/** `value` when it is an integer a 32-bit register holds (signed or unsigned reading). */
export function dword(value: unknown, helper: string, argument: string): number {
  if (typeof value === 'number' && ((value | 0) === value || value >>> 0 === value)) return value;
  throw new TypeError(`${helper}: ${argument} must be a 32-bit integer (a register), got ${shown(value)}`);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  // A bigint prints as its digits alone ("got 5"), which read as a valid integer.
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return Array.isArray(value) ? 'an array' : 'an object';
}
