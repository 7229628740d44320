/**
 * The explorer's machine kit keeps one coverage tracker and resets it for each execution: a reset
 * tracker must count every window as a new one does, whatever it read before (other scenarios,
 * the other handle mode, executions cut anywhere, so that lifecycles are left pending).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { seededStrategy } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { CoverageTracker } from '../../src/explore/coverage.js';
import type { HandleMode } from '../../src/vmm/eventTable.js';
import type { HistoryRecord } from '../../src/vmm/history.js';

interface Stream {
  mode: HandleMode;
  records: HistoryRecord[];
}

/** Every record of a few executions of each zoo scenario (its own handle mode), under PCT. */
const STREAMS: Stream[] = ZOO.flatMap((entry) => [0, 1, 2].map((iteration) => {
  const scenario = entry.scenario(false);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: entry.name, fixed: false }, strategy: 'pct', seed: 4, iterations: 1, steps: 60 });
  const result = runSim({
    scenario, seed: spec.seed, steps: spec.steps, config: spec.config, choices: seededStrategy(scenario, spec, iteration, 'pct'), keepAll: true, tailRecords: 0,
  });
  return { mode: spec.config.handleMode, records: result.all! };
}));

function counts(tracker: CoverageTracker, stream: Stream, length: number): number[] {
  for (const record of stream.records.slice(0, length)) tracker.onRecord(record);
  return tracker.counts;
}

/** The fields a tracker has; a new one must be added to `state` below (and to `reset`). */
const FIELDS = [
  'activationSeq', 'counts', 'handleMode', 'lives', 'livesUsed', 'nodes', 'onRecord', 'owned', 'running', 'serviceDevice', 'writes', 'writtenNodes', 'writtenOwners',
];

/**
 * What a tracker holds that its future counts can read: every field, with the storage kept for
 * reuse left out (lifecycle objects past `livesUsed`, empty table slots at the end, per-device
 * tables with nothing in them, the write log past `writes`). Lifecycles by value, their chains followed.
 */
function state(tracker: CoverageTracker): unknown {
  const t = tracker as unknown as Record<string, unknown> & {
    lives: object[]; livesUsed: number; nodes: (object | undefined)[]; owned: Map<string, (object | undefined)[]>;
    writes: number; writtenNodes: number[]; writtenOwners: (object | undefined)[][];
  };
  const trimmed = (list: (object | undefined)[]) => {
    const out = list.slice();
    while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
    return out;
  };
  const owned = [...t.owned].filter(([, byNode]) => byNode.some((life) => life !== undefined)).map(([device, byNode]) => [device, trimmed(byNode)]);
  return {
    activationSeq: t.activationSeq, counts: t.counts, handleMode: t.handleMode, serviceDevice: t.serviceDevice, running: t.running,
    lives: t.lives.slice(0, t.livesUsed), nodes: trimmed(t.nodes), owned: new Map(owned as [string, unknown][]),
    // The entries this execution wrote (what the next reset clears), the owner tables by device.
    written: t.writtenNodes.slice(0, t.writes).map((node, i) => [node, [...t.owned].find(([, byNode]) => byNode === t.writtenOwners[i])?.[0]]),
  };
}

describe('CoverageTracker.reset', () => {
  it('leaves nothing of the streams before it: every field as a new tracker that read the same has it', () => {
    expect(Object.keys(new CoverageTracker('checked')).sort()).toEqual(FIELDS);
    const read = fc.record({ which: fc.nat(STREAMS.length - 1), length: fc.nat(400) });
    fc.assert(fc.property(read, read, (first, then) => {
      const kept = new CoverageTracker('checked');
      counts(kept, STREAMS[first.which]!, first.length);
      const stream = STREAMS[then.which]!;
      const fresh = new CoverageTracker(stream.mode);
      counts(fresh, stream, then.length);
      counts(kept.reset(stream.mode), stream, then.length);
      expect(state(kept)).toEqual(state(fresh));
    }), { seed: 32, numRuns: 100 });
  });

  it('streams include both handle modes and window hits', () => {
    expect(new Set(STREAMS.map((s) => s.mode))).toEqual(new Set(['checked', 'pooled']));
    expect(STREAMS.some((s) => counts(new CoverageTracker(s.mode), s, s.records.length).some((n) => n > 0))).toBe(true);
  });

  it('counts each stream as a new tracker does, after any streams before it', () => {
    const read = fc.record({ which: fc.nat(STREAMS.length - 1), length: fc.nat(400) });
    fc.assert(fc.property(fc.array(read, { minLength: 1, maxLength: 8 }), (sequence) => {
      const kept = new CoverageTracker('checked');
      const handedOut: number[][] = [];
      for (const { which, length } of sequence) {
        const stream = STREAMS[which]!;
        const fresh = counts(new CoverageTracker(stream.mode), stream, length);
        const before = handedOut.map((c) => [...c]);
        expect(counts(kept.reset(stream.mode), stream, length)).toEqual(fresh);
        // The counts an earlier execution handed out are its own: a later one does not change them.
        expect(handedOut).toEqual(before);
        handedOut.push(kept.counts);
      }
    }), { seed: 31, numRuns: 100 });
  });
});
