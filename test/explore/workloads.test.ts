// A campaign spreads its executions over N client workloads (src/explore/workloads.ts): the VCD
// port with its detach moved to VM_Terminate (fixtures/vcdTerminate.ts) loses the port to a
// destroyed VM only when the dying VM is the one running at its destroy step, which seed 1's
// workload never makes it; 300 portfolio executions of that one workload miss it, and the
// default spread finds it within the same budget.
import { describe, expect, it } from 'vitest';
import vcd from './fixtures/vcdTerminate.js';
import { zooEntry } from '../../examples/zoo/index.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { runIterations, memberOf } from '../../src/explore/iterations.js';
import { exploreReport } from '../../src/explore/report.js';
import { shrink } from '../../src/explore/shrink.js';
import { DEFAULT_WORKLOADS, workloadIndex, workloadSeed, workloadSeeds } from '../../src/explore/workloads.js';
import { loadScenario } from '../../src/scenario/load.js';

const VCD_REF = { kind: 'module', path: 'test/explore/fixtures/vcdTerminate.ts' } as const;
const BUDGET = 300;

describe('a campaign over several client workloads', () => {
  it('finds the VCD-in-VM_Terminate race at seed 1 with the default, and misses it with one workload in the same budget', async () => {
    const spread = campaignSpec({ scenario: vcd, scenarioRef: VCD_REF, strategy: 'portfolio', seed: 1, iterations: BUDGET });
    expect(spread.workloads).toBe(DEFAULT_WORKLOADS);
    const found = await explore(vcd, spread);
    const first = found.campaign.first!;
    expect(first.violation.kind).toBe('portOwnerDestroyed');
    expect(first.workloadSeed).not.toBe(1);
    expect(first.workloadSeed).toBe(workloadSeeds(spread)[workloadIndex(spread, first.iteration)]);
    // The trace records the failing execution's workload as its seed: replay is exact, and the
    // shrunk trace (shrink ran on it) still reproduces the violation.
    expect(found.trace!.seed).toBe(first.workloadSeed);
    const { result, divergence } = replayTrace(found.trace!, await loadScenario(found.trace!.scenario));
    expect(divergence).toBeNull();
    expect(result?.firstViolation?.kind).toBe('portOwnerDestroyed');
    const report = exploreReport(vcd.name, found, 1, null);
    expect(report.violation?.workloadSeed).toBe(first.workloadSeed);

    const one = campaignSpec({ scenario: vcd, scenarioRef: VCD_REF, strategy: 'portfolio', seed: 1, iterations: BUDGET, workloads: 1 });
    const missed = await explore(vcd, one);
    expect(missed.campaign.first).toBeNull();
    expect(missed.campaign.executions).toBe(BUDGET);
  });

  it('the trace as found (unshrunk) replays to the failing execution\'s trace hash', async () => {
    const spec = campaignSpec({ scenario: vcd, scenarioRef: VCD_REF, strategy: 'portfolio', seed: 1, iterations: BUDGET });
    const first = (await explore(vcd, spec, { shrink: false })).campaign.first!;
    const asFound = await shrink({
      scenario: vcd, scenarioRef: VCD_REF, seed: first.workloadSeed, steps: first.steps, config: spec.config, stopOn: spec.stopOn,
      choices: ChoiceLog.deserialize(first.choices ?? []), kind: first.violation.kind, strategyName: spec.strategy, maxCandidates: 0,
    });
    const { result, divergence } = replayTrace(asFound.trace, vcd);
    expect(divergence).toBeNull();
    expect(result?.traceHash).toBe(first.traceHash);
  });

  it('is deterministic: the same seed gives the same executions and the same trace', async () => {
    const spec = campaignSpec({ scenario: vcd, scenarioRef: VCD_REF, strategy: 'portfolio', seed: 1, iterations: BUDGET });
    const a = await explore(vcd, spec);
    const b = await explore(vcd, spec);
    expect(b.campaign.first?.iteration).toBe(a.campaign.first?.iteration);
    expect(b.campaign.first?.traceHash).toBe(a.campaign.first?.traceHash);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });

  it('workload 0 is the master seed: its executions are the one-workload campaign\'s, bit for bit', () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(false);
    const ref = { kind: 'zoo', name: 'clobbered-ebp', fixed: false } as const;
    const base = { scenario, scenarioRef: ref, strategy: 'random' as const, seed: 5, iterations: 12, keepGoing: true };
    const three = runIterations(scenario, campaignSpec({ ...base, workloads: 3 }), 0, 12);
    const one = runIterations(scenario, campaignSpec({ ...base, workloads: 1 }), 0, 12);
    expect(workloadSeed(5, 0)).toBe(5);
    for (const i of [0, 3, 6, 9]) {
      expect(three[i]!.workloadSeed).toBe(5);
      expect(three[i]!.traceHash).toBe(one[i]!.traceHash);
    }
    expect(new Set(three.map((s) => s.workloadSeed)).size).toBe(3);
    expect(one.every((s) => s.workloadSeed === 5)).toBe(true);
  });

  it('every portfolio member meets every workload (not pinned to one by the round-robin)', () => {
    const spec = { strategy: 'portfolio' as const, workloads: 4, seed: 1 };
    const pairs = new Set<string>();
    for (let i = 0; i < 64; i++) pairs.add(`${memberOf({ ...spec } as never, i)}:${workloadIndex(spec, i)}`);
    expect(pairs.size).toBe(16);
  });

  it('dfs searches the master seed\'s workload alone unless asked for more', () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const ref = { kind: 'zoo', name: 'clobbered-ebp', fixed: true } as const;
    expect(campaignSpec({ scenario, scenarioRef: ref, strategy: 'dfs', seed: 1, iterations: 1 }).workloads).toBeUndefined();
    expect(campaignSpec({ scenario, scenarioRef: ref, strategy: 'dfs', seed: 1, iterations: 1, workloads: 2 }).workloads).toBe(2);
  });
});
