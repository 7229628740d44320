// The VMM actor turns its event loop only when a control call waits (attention.ts): a stop still
// gets through at once, the actor ends its loop itself (its final chunk, the end-of-run checks),
// and progress (read from shared memory, no call) follows the run. No timing assertions: only
// what the run did.
import { describe, expect, it } from 'vitest';
import { runThreads } from '../../../src/actors/threads/orchestrator.js';

describe('control calls to a VMM actor that rarely turns its event loop', () => {
  it('a stop during a 60 s run ends it cleanly, with the final chunk, after progress was reported', async () => {
    const abort = new AbortController();
    const progress: number[] = [];
    const result = await runThreads({
      scenario: { kind: 'builtin', vms: 2 }, seed: 3, config: { handleMode: 'checked', latitude: false }, durationMs: 60_000,
      signal: abort.signal, progressEveryMs: 200,
      onProgress: (p) => {
        progress.push(p.steps);
        // Stop once progress has shown steps (on a loaded machine the first reports may come
        // before the VMM's first slice boundary), or after 10 s of reports whatever they said.
        if ((progress.length >= 2 && p.steps > 0) || progress.length === 50) abort.abort();
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(result.fault).toBeNull();
    // Progress followed the loop as it ran, and the stop reached the loop:
    // the VMM sent its final chunk itself, long before the duration was up.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[progress.length - 1]).toBeGreaterThan(0);
    expect(result.last!.final).toBe(true);
    expect(result.last!.invariantsOk).toBe(true);
    expect(result.durationS).toBeLessThan(60);
    // Counts the actor keeps, not durations: a turn happens only at a slice boundary.
    const { eventLoopTurns, slices } = result.vmm!.time;
    expect(eventLoopTurns).toBeGreaterThanOrEqual(1);
    expect(eventLoopTurns).toBeLessThanOrEqual(slices);
    expect(result.trace!.steps).toBe(result.last!.steps);
  });
});
