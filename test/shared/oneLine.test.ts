// User text in one-line reports (src/shared/oneLine.ts): "Bad input gets a clear error ... never a
// stack trace"; a report line stays one line whatever user code put in its text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneLine, ONE_LINE_MAX } from '../../src/shared/oneLine.js';

describe('oneLine', () => {
  it('escapes newlines, escape sequences and every other control character; leaves other text alone', () => {
    expect(oneLine('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(oneLine('\x1b[2Jred\x9b1m\u2028')).toBe('\\x1b[2Jred\\x9b1m\\x2028');
    expect(oneLine('plain text, ünïcode ✓')).toBe('plain text, ünïcode ✓');
  });

  it('cuts a long text and says how much was left out', () => {
    expect(oneLine('y'.repeat(ONE_LINE_MAX + 5))).toBe(`${'y'.repeat(ONE_LINE_MAX)}… (5 more characters)`);
    expect(oneLine('abcdef', 3)).toBe('abc… (3 more characters)');
  });

  it('property: the result never holds a control character, and is bounded', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
      const line = oneLine(text);
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(line.length).toBeLessThanOrEqual(6 * ONE_LINE_MAX + 40);
    }), { seed: 0x11e });
  });
});
