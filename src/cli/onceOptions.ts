/**
 * An option is given once. Commander keeps the value typed last, so `--steps 10 --steps 20` ran
 * 20 steps in silence, and `--no-trace --trace t.json` wrote a trace; a command line that says
 * two things is refused instead (exit 2). Options that collect their values (`--fault`, whose
 * default is a list) may be repeated.
 *
 * Counted on commander's own `option:<name>` events, so what counts as an option (a value that
 * starts with '-', `--x=v`, clustered short flags) is exactly what commander parsed; a value
 * from the environment is not an event and never clashes.
 */
import type { Command, Option } from 'commander';
import { UsageError } from './errors.js';

export function refuseRepeatedOptions(command: Command): void {
  const given = new Map<string, string>();
  for (const option of command.options as readonly Option[]) {
    if (Array.isArray(option.defaultValue)) continue;
    const flag = option.long ?? option.short ?? option.name();
    command.on(`option:${option.name()}`, () => {
      const key = option.attributeName();
      const before = given.get(key);
      if (before === undefined) given.set(key, flag);
      else if (before === flag) throw new UsageError(`${flag} is given twice (give it once)`);
      else throw new UsageError(`${before} and ${flag} contradict each other (give one of them)`);
    });
  }
  for (const sub of command.commands) refuseRepeatedOptions(sub);
}
