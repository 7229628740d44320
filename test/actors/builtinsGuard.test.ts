// Every built-in vmmsim's own code relies on is watched by the per-step look (anyChanged) and
// put back by restoreBuiltins: both are made from one table, and this checks each entry of it
// end to end (README, "Errors and exit codes": device code that replaces a built-in ends the
// run as that procedure's throw).
import { describe, expect, it } from 'vitest';
import { checkBuiltins, LOOKS, restoreBuiltins, WATCHED_BUILTINS } from '../../src/actors/builtinsGuard.js';
import { DeviceCodeError } from '../../src/vmm/ring0Watch.js';

function ownerAndKey(name: string): [Record<string, unknown>, string] {
  const parts = name.split('.');
  const key = parts.pop()!;
  let owner: unknown = globalThis;
  for (const part of parts) owner = (owner as Record<string, unknown>)[part];
  return [owner as Record<string, unknown>, key];
}

describe('the built-ins guard', () => {
  it('watches a score of built-ins, and an untouched set passes', () => {
    expect(WATCHED_BUILTINS.length).toBeGreaterThanOrEqual(20);
    expect(WATCHED_BUILTINS).toContain('Array.prototype.push');
    // An outside audit: Math.floor replaced hung explore past Ctrl-C (the workload tape's index).
    expect(WATCHED_BUILTINS).toEqual(expect.arrayContaining(['Math.floor', 'Math.min', 'Math.max', 'Math.round', 'Math.imul']));
    expect(() => checkBuiltins()).not.toThrow();
    expect(restoreBuiltins()).toEqual([]);
  });

  for (const name of WATCHED_BUILTINS) {
    it(`${name} replaced: the step's look throws naming it, and it is put back`, () => {
      const [owner, key] = ownerAndKey(name);
      const original = owner[key];
      owner[key] = function replaced() {
        return 0;
      };
      let thrown: unknown;
      let putBack = false;
      try {
        checkBuiltins();
      } catch (error) {
        thrown = error;
      } finally {
        putBack = owner[key] === original;
        if (!putBack) owner[key] = original;
      }
      expect(putBack).toBe(true);
      expect(thrown).toBeInstanceOf(DeviceCodeError);
      expect(String((thrown as Error).message)).toContain(`changed the built-in ${name},`);
    });
  }

  // The keyed look stands in for the compiled one where node disallows code generation from strings.
  it('the compiled and the keyed look agree: each replaced built-in and each added Object.prototype name is seen, an untouched set is not', () => {
    const { compiled, keyed } = LOOKS;
    expect(compiled).not.toBeNull();
    expect([compiled!(), keyed()]).toEqual([false, false]);
    for (const name of WATCHED_BUILTINS) {
      const [owner, key] = ownerAndKey(name);
      const original = owner[key];
      owner[key] = () => 0;
      const seen = [compiled!(), keyed()];
      owner[key] = original;
      expect({ name, seen }).toEqual({ name, seen: [true, true] });
    }
    for (const key of ['then', 'toJSON']) {
      Object.defineProperty(Object.prototype, key, { value: () => undefined, configurable: true, writable: true });
      const seen = [compiled!(), keyed()];
      delete (Object.prototype as Record<string, unknown>)[key];
      expect({ key, seen }).toEqual({ key, seen: [true, true] });
    }
  });

  for (const key of ['then', 'toJSON']) {
    it(`Object.prototype.${key} added: thrown, and deleted`, () => {
      Object.defineProperty(Object.prototype, key, { value: () => undefined, configurable: true, writable: true });
      expect(() => checkBuiltins()).toThrow(`changed the built-in Object.prototype.${key},`);
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, key)).toBe(false);
    });
  }
});
