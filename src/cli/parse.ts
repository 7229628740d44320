/** Strict parsing of option values: a clear message instead of NaN. */
import { InvalidArgumentError } from 'commander';

export function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const text = value.trim();
    if (!/^-?\d+$/.test(text)) throw new InvalidArgumentError(`${name} must be an integer, got '${value}'`);
    // Compared exactly, and quoted as typed: past 2^53 Number() rounds ('9007199254740993' was
    // reported as "got 9007199254740992").
    const exact = BigInt(text);
    if (exact < BigInt(min) || exact > BigInt(max)) throw new InvalidArgumentError(`${name} must be from ${min} to ${max}, got ${text}`);
    return Number(exact);
  };
}

export function positiveNumber(name: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    // Decimal only: Number() would also take '0x10', '0b11' or '1_0'-free oddities like ' 0o7'.
    if (!/^\s*(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value) || !Number.isFinite(n) || n <= 0 || n > max) {
      throw new InvalidArgumentError(`${name} must be a number above 0 and at most ${max}, got '${value}'`);
    }
    return n;
  };
}

export function oneOf<T extends string>(name: string, values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}, got '${value}'`);
    return value as T;
  };
}

/** A seed: any integer (folded to 32 bits), or 'random' for one drawn now and printed. */
export function seed(value: string): number {
  if (value === 'random') return Math.floor(Math.random() * 0x7fffffff);
  return integer('--seed', -(2 ** 31), 2 ** 32 - 1)(value) >>> 0;
}
