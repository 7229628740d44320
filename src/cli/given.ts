/**
 * Which options the user gave (commander's getOptionValueSource): a flag overrides a scenario's
 * own configuration only when given, and a flag that does not apply is an error only when given.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';

export type Given = (option: string) => boolean;

export function givenOf(command: Command): Given {
  return (option) => {
    const source = command.getOptionValueSource(option);
    return source === 'cli' || source === 'env';
  };
}

/** Options (attribute name → flag as typed) that must not be given, because `why`. */
export function refuse(given: Given, options: Record<string, string>, why: string): void {
  for (const [attribute, flag] of Object.entries(options)) {
    if (given(attribute)) throw new UsageError(`${flag} ${why}`);
  }
}
