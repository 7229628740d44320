// The threaded runtime end to end, on real worker threads: a short run of the built-in machine
// whose history passes the invariant checker, and whose trace, recorded on threads, replays in
// the simulated runtime with the same decisions (same trace hash, no divergence), the VM
// lifecycle halfway through included. No timing assertions: only what the run did.
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../../src/actors/sim/simulate.js';
import { runThreads, type ThreadRunResult } from '../../../src/actors/threads/orchestrator.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { TraceFileSchema } from '../../../src/shared/trace.js';

describe('threaded runtime', () => {
  let result: ThreadRunResult;

  it('runs 3 VMs for 1.5 s on 6 workers with every VMM invariant holding and events dispatched', async () => {
    result = await runThreads({ scenario: { kind: 'builtin', vms: 3 }, seed: 11, config: { handleMode: 'checked', latitude: false }, durationMs: 1500 });
    expect(result.fault).toBeNull();
    expect(result.outcome).toBe('completed');
    // VMM + PIC + VMs 1-3 + VM 4, which the lifecycle creates halfway.
    expect(result.workers).toBe(6);
    expect(result.workersRunning).toBe(0);
    const last = result.last!;
    expect(last.final).toBe(true);
    expect(last.invariantsOk).toBe(true);
    expect(last.counts.dispatched).toBeGreaterThan(0);
    expect(last.counts.interrupts).toBeGreaterThan(0);
    expect(result.eventsPerSec).toBeGreaterThan(0);
    // Every op the core consumed came through the queue.
    expect(result.queue!.popped).toBeGreaterThanOrEqual(last.counts.steps);
    // Each VM actor reads its Client_Reg_Struc where the VMM writes it: EFlags bit 1 is always set.
    for (const vm of result.vms) expect(vm.clientRegs!.EFlags & 0x2).toBe(0x2);
  });

  it('records a trace that replays in the simulated runtime with the same decisions', async () => {
    const trace = TraceFileSchema.parse(JSON.parse(JSON.stringify(result.trace)));
    expect(trace.runtime).toBe('threads');
    expect(trace.steps).toBe(result.last!.steps);
    expect(result.last!.lifecycleAtStep).not.toBeNull();
    expect(trace.scenario).toMatchObject({ kind: 'builtin', vms: 3, steps: 2 * result.last!.lifecycleAtStep! });
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence).toBeNull();
    expect(replay.result!.traceHash).toBe(trace.expect.traceHash);
    expect(replay.result!.records).toBe(trace.expect.records);
    expect(replay.result!.checkpoints).toEqual(trace.expect.checkpoints);
    // The regenerated history, checked again from scratch, holds too.
    expect(replay.result!.invariantsOk).toBe(true);
    expect(replay.result!.counts.discarded + replay.result!.counts.taskSwitches).toBeGreaterThan(0);
  });

  it('reports the first divergence when the trace does not match the run', () => {
    const trace = structuredClone(result.trace!);
    const irq = trace.choices.findIndex(([kind, value]) => kind === 0 && value !== 0);
    trace.choices[irq]![1] = 0;
    const replay = replayTrace(trace, { ...result.scenario, lifecycle: [] });
    expect(replay.divergence).not.toBeNull();
  });
});
