import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { TraceFile } from '../../src/shared/trace.js';

async function foundTrace(name: string): Promise<TraceFile> {
  const entry = zooEntry(name)!;
  const scenario = entry.scenario(false);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed: false }, strategy: 'pct', seed: 11, iterations: 300 });
  const outcome = await explore(scenario, spec);
  if (outcome.trace === null) throw new Error(`${name}: nothing found`);
  return outcome.trace;
}

describe('replaying a found trace', () => {
  it('reproduces the run exactly, to the same violation', async () => {
    const trace = await foundTrace('read-then-cancel');
    const { result, divergence } = replayTrace(trace, await loadScenario(trace.scenario));
    expect(divergence).toBeNull();
    expect(result?.traceHash).toBe(trace.expect.traceHash);
    expect(result?.firstViolation?.kind).toBe('staleCancel');
  });

  it('detects that the scenario changed (the fixed twin under the buggy trace)', async () => {
    const trace = await foundTrace('read-then-cancel');
    const changed = await loadScenario({ kind: 'zoo', name: 'read-then-cancel', fixed: true });
    const { divergence } = replayTrace(trace, changed);
    expect(divergence).not.toBeNull();
    expect(divergence!.message).toMatch(/diverged|differs/);
  });

  it('names the first choice that no longer fits when the run asks for more than the trace holds', async () => {
    const trace = await foundTrace('stale-handle');
    const cut: TraceFile = { ...trace, choices: trace.choices.slice(0, Math.max(1, Math.floor(trace.choices.length / 2))) };
    const { divergence } = replayTrace(cut, await loadScenario(trace.scenario));
    expect(divergence?.choiceIndex).not.toBeNull();
    expect(divergence?.choiceIndex).toBeGreaterThan(0);
  });

  it('carries a VM-count override in the scenario reference, and replays on that many VMs', async () => {
    const entry = zooEntry('stale-handle')!;
    const scenario = entry.scenario(false);
    const spec = campaignSpec({ scenario: { ...scenario, vms: 3 }, scenarioRef: { kind: 'zoo', name: 'stale-handle', fixed: false, vms: 3 }, strategy: 'random', seed: 3, iterations: 300 });
    const outcome = await explore({ ...scenario, vms: 3 }, spec);
    const trace = outcome.trace!;
    expect(trace.scenario).toMatchObject({ kind: 'zoo', vms: 1 });
    expect(replayTrace(trace, await loadScenario(trace.scenario)).divergence).toBeNull();
  });
});
