// The orchestrator's trace assembly (chunks at step boundaries, run-length joins, caps) and the
// fault-injection grammar.
import { describe, expect, it } from 'vitest';
import { flattenRuns, type SerializedChoices } from '../../../src/actors/sim/choiceLog.js';
import { FaultSpecError, checkFaultActors, parseFaultSpec } from '../../../src/actors/threads/faults.js';
import type { TraceChunk } from '../../../src/actors/threads/protocol.js';
import { TraceCollector } from '../../../src/actors/threads/traceCollector.js';
import { emptyCounts } from '../../../src/vmm/counters.js';

function chunk(steps: number, choices: SerializedChoices, checkpoints: string[] = []): TraceChunk {
  return {
    steps, records: steps * 3, traceHash: `h${steps}`, checkpoints, choiceRuns: flattenRuns(choices), stepTimesUs: [steps], violations: [], warnings: [],
    counts: emptyCounts(), ticks: steps, invariantsOk: true, vmmBugs: 0, deviceBugs: 0, firstViolation: null,
    pendingEvents: 0, elapsedUs: steps, lifecycleAtStep: null, final: false,
  };
}

const meta = { scenario: (steps: number) => ({ kind: 'builtin' as const, name: 'default', vms: 4, steps: 2 * (steps + 1) }), seed: 9, config: { handleMode: 'checked' as const, latitude: false } };

describe('TraceCollector', () => {
  it('joins a run of equal choices that a chunk boundary split, and ends the trace at the last chunk', () => {
    const collector = new TraceCollector();
    collector.add(chunk(64, [[0, 0, 5], [0, 4, 1], [0, 0, 2]], ['a']));
    collector.add(chunk(128, [[0, 0, 3], [1, 0, 1]], ['b']));
    const trace = collector.traceFile(meta)!;
    expect(trace.choices).toEqual([[0, 0, 5], [0, 4, 1], [0, 0, 5], [1, 0, 1]]);
    expect(trace.steps).toBe(128);
    expect(trace.expect).toMatchObject({ traceHash: 'h128', records: 384, checkpoints: ['a', 'b'] });
    // One step time per chunk here, as from a VMM actor: the start of every 64th step.
    expect(trace.stepTimesUs).toEqual([64, 128]);
    expect(trace.stepTimesStride).toBe(64);
    expect(trace.scenario).toEqual({ kind: 'builtin', name: 'default', vms: 4, steps: 258 });
    expect(trace.runtime).toBe('threads');
  });

  it('stops growing at its caps: the trace then covers the run up to the last chunk that fit', () => {
    const collector = new TraceCollector({ choiceRunsMax: 3, checkpointsMax: 10 });
    collector.add(chunk(10, [[0, 0, 1], [0, 1, 1]]));
    collector.add(chunk(20, [[0, 2, 1], [0, 3, 1]]));
    collector.add(chunk(30, []));
    expect(collector.full).toBe(true);
    expect(collector.traceFile(meta)!.steps).toBe(10);
    expect(collector.latest!.steps).toBe(30);
  });

  it('has no trace before the first chunk', () => {
    expect(new TraceCollector().traceFile(meta)).toBeNull();
  });
});

describe('--fault grammar', () => {
  it.each([
    ['crash:vm2@2s', { kind: 'crash', actor: 'vm2', atMs: 2000 }],
    ['exit:vm3@1s', { kind: 'exit', actor: 'vm3', atMs: 1000 }],
    ['crash:pic@500ms', { kind: 'crash', actor: 'pic', atMs: 500 }],
    ['crash:vmm@1.5', { kind: 'crash', actor: 'vmm', atMs: 1500 }],
    ['exit:vm12@1m', { kind: 'exit', actor: 'vm12', atMs: 60_000 }],
  ])('%s', (text, expected) => {
    expect(parseFaultSpec(text)).toMatchObject(expected);
  });

  it.each(['crash', 'crash:vm2', 'boom:vm2@1s', 'crash:vm0@1s', 'crash:vm65@1s', 'crash:cpu@1s', 'crash:vm2@soon', 'crash:vm2@-1s'])('rejects %s', (text) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
  });

  it('rejects a VM the run does not have', () => {
    expect(() => checkFaultActors([parseFaultSpec('crash:vm6@1s')], 5)).toThrow(/vm1 to vm5/);
    expect(() => checkFaultActors([parseFaultSpec('crash:vm5@1s'), parseFaultSpec('crash:vmm@1s')], 5)).not.toThrow();
  });
});
