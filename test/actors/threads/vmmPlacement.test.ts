// The VMM's placement during its run (threadLayout.ts VmmPlacement), over a scripted schedstat:
// it gives its CPU up when, over a window of 100 ms, it waited for it more than a quarter of the
// time, and it lets the threads go through the `release` it was given (in a run, a report to the
// orchestrator's thread: the VMM thread does not run taskset itself), once.
import { describe, expect, it } from 'vitest';
import type { SchedstatSource } from '../../../src/actors/threads/stallMeter.js';
import { VmmPlacement } from '../../../src/actors/threads/threadLayout.js';

/** Readings handed out in order: [ms on a CPU, ms waiting for one]. */
function scripted(readings: [number, number][]): SchedstatSource & { reads: number } {
  const source = {
    reads: 0,
    available: true,
    read(out: Float64Array) {
      out.set(readings[source.reads++]!.slice(0, out.length));
    },
    close() {},
  };
  return source;
}

const layout = { vmmCpus: [1], actorCpus: [0] };

describe('VMM placement', () => {
  it('keeps its CPU while it waits for it a quarter of a window or less', () => {
    const released: number[][] = [];
    const reader = scripted([[0, 0], [75, 25], [150, 50]]);
    const placement = new VmmPlacement(layout, true, (cpus) => released.push(cpus), reader);
    placement.check(10, 0);
    placement.check(50, 0); // within the window: not read
    placement.check(110, 0); // 25 ms of 100: not more than a quarter
    placement.check(210, 0);
    expect(reader.reads).toBe(3);
    expect(released).toEqual([]);
    expect(placement.gaveUpAtMs).toBeNull();
    expect(placement.placedOn).toEqual([1]);
  });

  it('gives it up through its release, with every CPU of the layout, when crowded, and then stops looking', () => {
    const released: number[][] = [];
    const reader = scripted([[0, 0], [60, 40]]);
    const placement = new VmmPlacement(layout, true, (cpus) => released.push(cpus), reader);
    placement.check(10, 5);
    placement.check(110, 5); // 40 ms of 100 waiting for the CPU
    placement.check(300, 5);
    expect(released).toEqual([[0, 1]]);
    expect(placement.gaveUpAtMs).toBe(105);
    expect(placement.placedOn).toEqual([1]);
    expect(reader.reads).toBe(2);
  });
});
