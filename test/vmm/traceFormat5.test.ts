// Trace format 5: an event callback may block on the critical section (the DDK's Call_Global_Event:
// "The callback procedure can carry out any actions, and use any VMM services"), which format 4's
// model reported as blockOutsideTrap. Both fixtures were written by vmmsim at format 4. A run
// without such a block makes the same records, so its format-4 trace replays exactly; a run that
// reported blockOutsideTrap inside a callback now goes otherwise, and its replay says where it
// diverges ("Replay fails loudly when it diverges").
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { loadScenario } from '../../src/scenario/load.js';
import { readTraceFile } from '../../src/shared/traceFile.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

describe('format-4 traces under format 5', () => {
  it('a run with no blocked callback replays with the same hash', async () => {
    const trace = readTraceFile(fixture('default-seed3.v4.trace'));
    expect(trace.version).toBe(4);
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence).toBeNull();
    expect(replay.result?.traceHash).toBe(trace.expect.traceHash);
  });

  it('a run that reported blockOutsideTrap in VNETBIOS_POST_Event diverges, and the replay says where', async () => {
    const trace = readTraceFile(fixture('vnetbios-seed26.v4.trace'));
    expect(trace.version).toBe(4);
    expect(trace.expect.firstViolation?.kind).toBe('blockOutsideTrap');
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence?.message).toMatch(/^replay diverged at /);
  });
});
