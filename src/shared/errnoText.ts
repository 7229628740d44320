/**
 * A system error in a few words for a one-line message: its code and what it means, `ENOENT (no
 * such file or directory)`, `ELOOP (too many symbolic links encountered)`: the code alone told a
 * user little, Node's whole message repeats the call and the path the line already names.
 */
export function errnoText(error: unknown): string {
  const e = error as NodeJS.ErrnoException | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  // "ENOENT: no such file or directory, open 'x'": the words between the code and the call.
  const words = message.replace(/^[A-Z][A-Z0-9]+: /, '').split(',')[0]!;
  return typeof e?.code === 'string' ? `${e.code} (${words})` : words;
}
