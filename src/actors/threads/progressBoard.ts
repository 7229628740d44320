/**
 * The VMM actor's progress in shared memory: written at each slice boundary, read by the main
 * thread once a second (progress.ts), so that following a run costs the VMM no control call.
 *
 * Why: a stats call is answered in the VMM's event loop, and an IRQ raised meanwhile waits for
 * the whole turn. Once a second the call is cold code (V8 never optimizes it): the latency
 * summary alone (five HdrHistograms, 3 percentiles each) took 0.2-1.4 ms before it was warm,
 * measured apart, where writing six numbers here takes well under a microsecond.
 *
 *   Float64Array [0] steps  [1] elapsedUs  [2] events  [3] pendingEvents  [4] vmmBugs  [5] deviceBugs
 *
 * One writer (the VMM), whole aligned 8-byte words; a reader may see one boundary's steps with
 * the next one's events, which a progress line does not mind.
 */
const FIELDS = ['steps', 'elapsedUs', 'events', 'pendingEvents', 'vmmBugs', 'deviceBugs'] as const;

export type ProgressFigures = Record<(typeof FIELDS)[number], number>;

export function createProgressBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(FIELDS.length * Float64Array.BYTES_PER_ELEMENT);
}

export class ProgressBoard {
  private readonly values: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.values = new Float64Array(buffer);
  }

  /** The VMM's side, at a slice boundary. */
  publish(steps: number, elapsedUs: number, events: number, pendingEvents: number, vmmBugs: number, deviceBugs: number): void {
    const v = this.values;
    v[0] = steps;
    v[1] = elapsedUs;
    v[2] = events;
    v[3] = pendingEvents;
    v[4] = vmmBugs;
    v[5] = deviceBugs;
  }

  /** The main thread's side: the figures of the last boundary (all 0 before the first). */
  read(): ProgressFigures {
    const v = this.values;
    return { steps: v[0]!, elapsedUs: v[1]!, events: v[2]!, pendingEvents: v[3]!, vmmBugs: v[4]!, deviceBugs: v[5]! };
  }
}
