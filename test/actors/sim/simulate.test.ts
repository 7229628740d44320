// Determinism and replay (DESIGN "Determinism and replay"): "A run is fully described by its
// seed, its configuration and the recorded choices ... Replay fails loudly when it diverges."
import { describe, expect, it } from 'vitest';
import { replayTrace, simulate } from '../../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../../src/scenario/default.js';
import { TraceFileSchema, type RunConfig, type TraceFile } from '../../../src/shared/trace.js';

const STEPS = 3000;
const CHECKED: RunConfig = { handleMode: 'checked', latitude: false };

function run(seed: number, config: RunConfig = CHECKED) {
  const scenario = defaultScenario(4, STEPS);
  return simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: STEPS }, seed, steps: STEPS, config });
}

function replay(trace: TraceFile) {
  return replayTrace(trace, defaultScenario(4, STEPS));
}

describe('simulate() of the default scenario', () => {
  it('same seed and configuration: the same trace hash, twice', () => {
    const a = run(7);
    const b = run(7);
    expect(a.result.traceHash).toBe(b.result.traceHash);
    expect(a.result.records).toBe(b.result.records);
    expect(a.trace).toEqual(b.trace);
    expect(a.result.counts.scheduled).toBeGreaterThan(0);
    expect(a.result.invariantsOk).toBe(true);
  });

  it('different seeds, or a different configuration: different hashes', () => {
    const hashes = [1, 2, 3, 4, 5].map((seed) => run(seed).result.traceHash);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(run(1, { handleMode: 'checked', latitude: true }).result.traceHash).not.toBe(hashes[0]);
  });

  it('the trace is a valid trace file, and replays with no divergence (also after a JSON round trip)', () => {
    const { result, trace } = run(11, { handleMode: 'pooled', latitude: true });
    expect(TraceFileSchema.safeParse(trace).success).toBe(true);
    expect(trace.expect).toMatchObject({ traceHash: result.traceHash, records: result.records, invariantsOk: true });
    const direct = replay(trace);
    expect(direct.divergence).toBeNull();
    expect(direct.result?.traceHash).toBe(result.traceHash);
    const parsed = TraceFileSchema.parse(JSON.parse(JSON.stringify(trace)));
    expect(replay(parsed).divergence).toBeNull();
  });

  it('a tampered trace (one choice changed) is reported as a divergence', () => {
    const { trace } = run(7);
    const at = trace.choices.findIndex(([kind, value, repeat]) => kind === 0 && value !== 0 && repeat === 1);
    expect(at).toBeGreaterThanOrEqual(0);
    const tampered = structuredClone(trace);
    tampered.choices[at]![1] = 0; // that interrupt never arrives
    const { divergence } = replay(tampered);
    expect(divergence).not.toBeNull();
    expect(divergence!.message).toMatch(/diverged|differs/);
  });

  it('a trace whose expected hash does not match is reported, with how far the runs agree', () => {
    const { trace } = run(7);
    const tampered = structuredClone(trace);
    tampered.expect.traceHash = '0000000000000000';
    const { result, divergence } = replay(tampered);
    expect(result).not.toBeNull();
    expect(divergence).toMatchObject({ choiceIndex: null });
    expect(divergence!.agreeingRecords).toBeGreaterThan(0);
  });
});
