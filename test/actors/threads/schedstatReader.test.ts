// The schedstat reader (threadTimes.ts) parses /proc/thread-self/schedstat from its bytes,
// without a string per read: it must give what the kernel's text says. The readings are taken
// back to back, so each field of the byte parse lies between two string parses around it.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SchedstatReader } from '../../../src/actors/threads/threadTimes.js';

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** [ms on a CPU, ms waiting for one, times switched in] from the file's text. */
function parsedAsText(): number[] {
  const [onCpuNs, runQueueNs, switchIns] = readFileSync(SCHEDSTAT, 'utf8').trim().split(/\s+/).map(Number);
  return [onCpuNs! / 1e6, runQueueNs! / 1e6, switchIns!];
}

describe.runIf(existsSync(SCHEDSTAT))('schedstat reader', () => {
  it('reads the three fields as the text gives them', () => {
    const reader = new SchedstatReader();
    expect(reader.available).toBe(true);
    const out = new Float64Array(3);
    for (let i = 0; i < 50; i++) {
      const before = parsedAsText();
      reader.read(out);
      const after = parsedAsText();
      for (let field = 0; field < 3; field++) {
        expect(out[field]).toBeGreaterThanOrEqual(before[field]!);
        expect(out[field]).toBeLessThanOrEqual(after[field]!);
      }
      expect(out[0]).toBeGreaterThan(0);
      expect(Number.isInteger(out[2])).toBe(true);
    }
    reader.close();
  });

  it('fills only the slots it is given', () => {
    const reader = new SchedstatReader();
    const out = new Float64Array(2);
    reader.read(out);
    const [cpuMs] = parsedAsText();
    expect(out[0]).toBeGreaterThan(0);
    expect(out[0]).toBeLessThanOrEqual(cpuMs!);
    reader.close();
  });
});
