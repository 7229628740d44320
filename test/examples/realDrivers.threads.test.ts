// The real drivers on real worker threads: "they must run with every invariant holding on both
// runtimes". A short threaded run of each port (VDMAD's VxDcalls from VFD included) ends with
// every invariant holding, and its trace replays in the simulated runtime without divergence.
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { runThreads } from '../../src/actors/threads/orchestrator.js';
import { loadScenario } from '../../src/scenario/load.js';
import { TraceFileSchema } from '../../src/shared/trace.js';

describe.each(['vkd', 'vdmad', 'int33', 'vcd', 'vdd', 'vddcga', 'vkdhk', 'vnetbios', 'vsbd', 'vpostd', 'vad', 'vfintd'])('the %s port on threads', (port) => {
  it('runs with every invariant holding, and its trace replays in the simulated runtime', async () => {
    const ref = { kind: 'module' as const, path: `examples/real/${port}.ts` };
    const result = await runThreads({ scenario: ref, seed: 5, config: { handleMode: 'checked', latitude: false }, durationMs: 800 });
    expect(result.fault).toBeNull();
    const last = result.last!;
    expect(last.invariantsOk).toBe(true);
    expect(last.violations).toEqual([]);
    expect(last.counts.scheduled + last.counts.calledNow).toBeGreaterThan(0);
    const trace = TraceFileSchema.parse(JSON.parse(JSON.stringify(result.trace)));
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence).toBeNull();
  });
});
