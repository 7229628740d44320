/**
 * An error's stack as text. User code may set `stack` to anything (a number, an object, a
 * Symbol): vmmsim reads it to find where the user's code threw, and a stack that was not text
 * made that reading throw in turn, an internal error in place of the user's.
 */
export function stackText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  try {
    const stack = (error as { stack?: unknown }).stack;
    return typeof stack === 'string' ? stack : '';
  } catch {
    return '';
  }
}
