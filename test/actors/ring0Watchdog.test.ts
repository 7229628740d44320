/**
 * The wall-clock half of the watchdog: what the watch words say while device code runs, and when
 * a watcher calls an entry stuck. README "The watchdog": "one entry running longer than
 * `--watchdog` (default 3s) of wall time ends the thread it runs on".
 */
import { describe, expect, it } from 'vitest';
import { hungDevice, hungMessage, memoryNearLimit, StuckEntry } from '../../src/actors/ring0Watchdog.js';
import { readRing0Watch, Ring0Watch, RING0_WATCH_WORDS } from '../../src/vmm/ring0Watch.js';

const where = (deviceIndex: number, proc: string) => ({ deviceIndex, device: `dev${deviceIndex}`, proc });

describe('the ring-0 watch words', () => {
  it('name the interrupted entry again once an entry nested in it returns', () => {
    const watch = new Ring0Watch();
    const words = new Int32Array(new SharedArrayBuffer(RING0_WATCH_WORDS * 4));
    watch.attach(words);
    const seen: ReturnType<typeof readRing0Watch>[] = [];
    watch.enter(where(1, 'poke'), 3, () => {
      seen.push(readRing0Watch(words));
      // A hardware interrupt's handler runs inside poke, then returns.
      watch.enter(where(0, 'hwInt'), 0, () => seen.push(readRing0Watch(words)), null);
      // poke goes on (a loop here would be blamed on whatever these words name).
      seen.push(readRing0Watch(words));
    }, null);
    seen.push(readRing0Watch(words));
    expect(seen.map(({ depth, deviceIndex, procIndex }) => [depth, deviceIndex, procIndex])).toEqual([[1, 1, 3], [2, 0, 0], [1, 1, 3], [0, 1, 3]]);
    // Every entry and every return moved the counter: a watcher never mistakes the next entry for the last one.
    expect(seen.map((s) => s.entries)).toEqual([1, 2, 3, 4]);
  });
});

describe('a stuck entry', () => {
  const names: [string, string[]][] = [['timer', ['hwInt']], ['d', ['hwInt', 'poke']]];

  it('is named once it has run for the bound with no other entry begun or ended, and once only until the words move', () => {
    const words = new Int32Array(4);
    const stuck = new StuckEntry(words, 3000);
    words.set([1, 7, 1, 1]);
    expect(stuck.look(0)).toBeNull();
    expect(stuck.look(2999)).toBeNull();
    const at = stuck.look(3000);
    expect(at).toEqual({ deviceIndex: 1, procIndex: 1, stuckMs: 3000 });
    expect(hungDevice(names, at!)).toEqual({ device: 'd', proc: 'poke', stuckMs: 3000 });
    expect(stuck.look(9000)).toBeNull();
    // Another thread took the words (a pool's replacement): watched afresh.
    words.set([1, 8, 0, 0]);
    expect(stuck.look(9001)).toBeNull();
    expect(stuck.look(12_001)).toEqual({ deviceIndex: 0, procIndex: 0, stuckMs: 3000 });
  });

  it('is no entry at all while no device code runs, however long', () => {
    const words = new Int32Array([0, 5, 1, 1]);
    const stuck = new StuckEntry(words, 10);
    expect([stuck.look(0), stuck.look(1000), stuck.look(100_000)]).toEqual([null, null, null]);
  });

  it('past the devices is a scenario invariant, past the procedures a device state()', () => {
    expect(hungDevice(names, { deviceIndex: 2, procIndex: 0, stuckMs: 1 })).toEqual({ device: '', proc: 'invariant #1', stuckMs: 1, invariant: true });
    expect(hungDevice(names, { deviceIndex: 1, procIndex: 2, stuckMs: 1 })).toEqual({ device: 'd', proc: 'state()', stuckMs: 1 });
  });
});

describe('a stuck entry in a process near its heap limit', () => {
  const MB = 2 ** 20;

  it('is said to be most likely code that keeps allocating, past three quarters of the limit only', () => {
    expect(memoryNearLimit(3000 * MB, 4096 * MB)).toBeNull();
    expect(memoryNearLimit(3072 * MB, 4096 * MB)).toEqual({ rssMb: 3072, heapLimitMb: 4096 });
    const at = { deviceIndex: 0, procIndex: 0, stuckMs: 3000 };
    const names: [string, string[]][] = [['hog', ['eat']]];
    const plain = hungMessage(hungDevice(names, at, null));
    expect(plain).toBe("device hog, procedure eat has not returned for 3.0 s (the watchdog's bound, --watchdog): taken as code that never returns");
    const near = hungMessage(hungDevice(names, at, memoryNearLimit(4710 * MB, 4096 * MB)));
    expect(near).toBe("device hog, procedure eat has not returned for 3.0 s (the watchdog's bound, --watchdog), with the process at 4.6 GB of memory (a thread's heap may grow to 4.0 GB): most likely code that keeps allocating, stalled in garbage collection (or code that never returns)");
  });
});
