/**
 * Arguments written into a command line a user pastes back into a POSIX shell (the printed
 * `replay it:` command, a trace's `command`): a path with a space, a quote or a `$` would
 * otherwise split or expand. A word of only safe characters is left as it is; any other is
 * single-quoted, a single quote inside written as '\''.
 */
const SAFE = /^[A-Za-z0-9_\-./:@%+=,]+$/;

export function shellWord(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Arguments joined into one line that a shell splits back into the same arguments. */
export function shellLine(args: readonly string[]): string {
  return args.map(shellWord).join(' ');
}
