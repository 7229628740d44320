/**
 * Every value typed on the command line is printable. A path with a newline in it broke the
 * one-line report (`vmmsim replay $'a\nb.json'` said "cannot read trace a", and "b.json: ENOENT"
 * on a line of its own), and an output path printed raw split the report's lines; no real file
 * name needs a control character, so such a value is refused before any work (exit 2), shown
 * escaped.
 */
import type { Command, Option } from 'commander';
import { UsageError } from './errors.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function refuseControlCharacters(command: Command): void {
  for (const option of command.options as readonly Option[]) {
    const value: unknown = command.getOptionValue(option.attributeName());
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const text of values) {
      if (typeof text === 'string' && CONTROL.test(text)) refuse(option.long ?? option.short ?? option.name(), text);
    }
  }
  const names = command.registeredArguments.map((argument) => `<${argument.name()}>`);
  command.args.forEach((text, index) => {
    if (CONTROL.test(text)) refuse(names[index] ?? 'an argument', text);
  });
}

function refuse(what: string, text: string): never {
  throw new UsageError(`${what} ${JSON.stringify(text)}: a value with a newline or another control character is not taken (the reports are one line each; rename the file)`);
}
