/**
 * Text that user code hands vmmsim (a thrown message, a `r.fail` kind and message, what an
 * invariant returns) made fit for the one-line reports it ends up in: a newline split the line
 * (and the `FOUND` line of a campaign), an escape sequence reached the reader's terminal raw (one
 * could clear the screen), and a 10 MB message was printed whole, again on every line that named
 * it. Control characters are written as escapes (`\n`, `\x1b`), and the text is cut at `max`
 * characters with a note of how much was left out.
 */
export const ONE_LINE_MAX = 2000;

// C0 controls, DEL and the C1 controls (0x9b is a one-byte CSI), and the line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function oneLine(text: string, max = ONE_LINE_MAX): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const escaped = cut.replace(CONTROL, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return text.length > max ? `${escaped}… (${text.length - max} more characters)` : escaped;
}
