import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { irqSources } from '../../src/actors/sim/irqSources.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { CampaignAccumulator, DISTINCT_RUNS_CAP } from '../../src/explore/campaign.js';
import { pctConfidence } from '../../src/explore/confidence.js';
import { WINDOWS } from '../../src/explore/coverage.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { exploreReport } from '../../src/explore/report.js';
import type { StrategyName } from '../../src/explore/spec.js';
import { DEFAULT_WORKLOADS } from '../../src/explore/workloads.js';

describe('PCT confidence', () => {
  it('is (1 - 1/(n k^(D-1)))^N', () => {
    const c = pctConfidence(2, 10, 2, 100);
    expect(c.perExecution).toBeCloseTo(1 / 20, 12);
    expect(c.missBound).toBeCloseTo(Math.pow(1 - 1 / 20, 100), 12);
    // Depth 1: only the initial priorities matter, one chance in n.
    expect(pctConfidence(4, 1000, 1, 3).missBound).toBeCloseTo(Math.pow(0.75, 3), 12);
  });

  it('falls as executions grow and rises with depth and k (n >= 2: one IRQ source at least)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 10_000 }), (n, k, d, runs) => {
      const c = pctConfidence(n, k, d, runs);
      expect(c.missBound).toBeGreaterThanOrEqual(0);
      expect(c.missBound).toBeLessThanOrEqual(1);
      expect(pctConfidence(n, k, d, runs + 100).missBound).toBeLessThanOrEqual(c.missBound!);
      expect(pctConfidence(n, k + 1, d + 1, runs).missBound).toBeGreaterThanOrEqual(c.missBound!);
    }));
  });

  it('is reported after a clean PCT campaign, with n = 1 + IRQ sources and k at least the estimate', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 1, iterations: 50, params: { depth: 3 } });
    const outcome = await explore(scenario, spec);
    expect(outcome.campaign.first).toBeNull();
    expect(outcome.confidence).toMatchObject({ actors: 1 + irqSources(scenario.devices).length, depth: 3, executions: 50 });
    expect(outcome.confidence!.k).toBeGreaterThanOrEqual(spec.pctK);
  });

  it.each(['portfolio', 'pos', 'random', 'guided'] as const)('%s prints no probabilistic bound after a clean campaign, and says so', async (strategy: StrategyName) => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy, seed: 1, iterations: 20 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.confidence).toBeNull();
    expect(report.claim).toMatch(/no probabilistic bound is claimed/);
    // Its bounds: the interrupts an execution raised, and the latitude left off.
    expect(report.claim).toMatch(/the executions raised at most 8 (IRQ\(s\)|assertion\(s\)) .*\(--irq-budget\), besides those the hardware's fairness adds \(a ring-0 stretch of 1,000 preemption points with none gets one from each source\): no claim for bugs that need more; no claim for bugs that need the VMM to schedule a callback it could call at once/);
  });

  it('pct states its bound with the bug class it covers', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 1, iterations: 20, workloads: 1 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.claim).toMatch(/^if the bug is an ordering of depth <= 2 among the CPU and these \d+ IRQ source\(s\) \(each asserting at most 8 times, besides the hardware's fairness\) over <= \d+ choice points, P\(missed in all 20 executions\) <= /);
  });

  // A source that asserts again inside its own handler (after its Phys_EOI and an sti) is an
  // ordering PCT never makes (strategies/pct.ts blocks a source while its handler runs): the
  // outside driver selfNesting has such a bug, of depth 2, that pct misses in every execution
  // while random finds it. The claim must exclude the class, not bound it.
  it('pct excludes a source interrupting its own handler from its claim: it never makes that ordering, and the self-nesting driver shows it', async () => {
    const { selfNestingScenario } = await import('../../examples/outside/selfNesting.js');
    const scenario = selfNestingScenario(false);
    const ref = { kind: 'module' as const, path: 'examples/outside/selfNesting.ts' };
    const pct = campaignSpec({ scenario, scenarioRef: ref, strategy: 'pct', seed: 1, iterations: 100, workloads: 1 });
    const pctOutcome = await explore(scenario, pct, { shrink: false });
    expect(pctOutcome.campaign.first).toBeNull();
    const report = exploreReport(scenario.name, pctOutcome, 1, null);
    expect(report.claim).toContain('no claim for deeper bugs (depth: 1 + the changes of which of them runs that the bug needs; the CPU never waits, so a source that asserts, lets the CPU run and asserts again is of depth 3), bugs that need a particular order of pending events (global, VM or priority) or call-now answer,');
    expect(report.claim).toContain('or a source interrupting its own handler (pct never lets a source assert while its handler runs)');
    const random = campaignSpec({ scenario, scenarioRef: ref, strategy: 'random', seed: 1, iterations: 400, workloads: 1 });
    const randomOutcome = await explore(scenario, random, { shrink: false });
    expect(randomOutcome.campaign.first?.violation.kind).toBe('sampleOverwritten');
  });

  it('over several workloads, pct bounds each workload by its own executions (the fewest any had)', async () => {
    // 22 executions round-robin over 4 workloads: 6, 6, 5, 5; the bound is claimed per workload over 5.
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 1, iterations: 22, workloads: 4 });
    const outcome = await explore(scenario, spec, { shrink: false });
    const c = outcome.confidence!;
    expect(c.workloads).toBe(4);
    expect(c.executionsPerWorkload).toBe(5);
    expect(c.missBound).toBeCloseTo(Math.pow(1 - c.perExecution!, 5), 12);
    const report = exploreReport(scenario.name, outcome, 1, null);
    expect(report.claim).toContain(`for each of the 4 workloads, P(missed in all of its >= 5 executions) <= ${c.missBound!.toPrecision(3)}`);
    expect(report.claim).toContain(`every execution ran one of the 4 client workloads of seed 1 (${spec.steps} steps each)`);
    expect(report.workloads).toBe(4);
    expect(report.workloadSeeds).toHaveLength(4);
    expect(report.workloadSeeds[0]).toBe(1);
  });
});

describe('the workloads a clean claim covers', () => {
  // Executions of a campaign run one of its N client workloads (src/explore/workloads.ts). A claim
  // that left this out would read as covering workloads no execution ran (the VCD port's
  // Destroy_VM race needs the dying VM to be current, which seed 1's workload never makes it).
  it.each(['portfolio', 'pct', 'pos', 'random', 'guided'] as const)('%s names the seed and the count of the workloads its executions ran', async (strategy: StrategyName) => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy, seed: 7, iterations: 10 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.claim).toContain(`every execution ran one of the ${DEFAULT_WORKLOADS} client workloads of seed 7 (${spec.steps} steps each)`);
    const one = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy, seed: 7, iterations: 10, workloads: 1 });
    const oneReport = exploreReport(scenario.name, await explore(scenario, one, { shrink: false }), 1, null);
    expect(oneReport.claim).toContain(`every execution ran the client workload of seed 7 (${spec.steps} steps); bugs that need another workload need another --seed, more --workloads or another mix`);
  });

  it('an exhausted dfs says so, with the same scope; a dfs that ran out of budget claims nothing', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const tiny = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'dfs', seed: 1, iterations: 100_000, steps: 2, params: { irqBudget: 1, preemptionBound: 1 } });
    const done = exploreReport(scenario.name, await explore(scenario, tiny, { shrink: false }), 1, null);
    expect(done.exhausted).toBe(true);
    expect(done.claim).toBe(`dfs: the bounded space is exhausted; the space holds runs of at most 1 IRQ(s), at most 1 of them inside ring-0 code, besides those the hardware's fairness adds (a ring-0 stretch of 1,000 preemption points with none gets one from each source): no claim for bugs that need more; no claim for bugs that need the VMM to schedule a callback it could call at once (SPEC §3 latitude: --latitude adds that choice); every execution ran the client workload of seed 1 (2 steps); bugs that need another workload need another --seed, more --workloads or another mix`);
    // With --latitude the space holds both answers: the claim names no such exclusion.
    const withLatitude = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'dfs', seed: 1, iterations: 100_000, steps: 2, params: { irqBudget: 1, preemptionBound: 1 }, latitude: true });
    const both = exploreReport(scenario.name, await explore(scenario, withLatitude, { shrink: false }), 1, null);
    expect(both.exhausted).toBe(true);
    expect(both.claim).toBe(`dfs: the bounded space is exhausted; the space holds runs of at most 1 IRQ(s), at most 1 of them inside ring-0 code, besides those the hardware's fairness adds (a ring-0 stretch of 1,000 preemption points with none gets one from each source): no claim for bugs that need more; every execution ran the client workload of seed 1 (2 steps); bugs that need another workload need another --seed, more --workloads or another mix`);
    // No IRQ at all: no "at most 2 of them inside ring-0 code" of none (it was said).
    const noIrq = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'dfs', seed: 1, iterations: 100_000, steps: 2, params: { irqBudget: 0, preemptionBound: 2 } });
    const quiet = exploreReport(scenario.name, await explore(scenario, noIrq, { shrink: false }), 1, null);
    expect(quiet.claim).toMatch(/^dfs: the bounded space is exhausted; the space holds runs of at most 0 IRQ\(s\), besides those the hardware's fairness adds \(a ring-0 stretch of 1,000 preemption points with none gets one from each source\): no claim for bugs that need more; /);
    const cut = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'dfs', seed: 1, iterations: 2 });
    const partial = exploreReport(scenario.name, await explore(scenario, cut, { shrink: false }), 1, null);
    expect(partial.exhausted).toBe(false);
    expect(partial.claim).toBeNull();
  });
});

describe('distinct runs', () => {
  // "no violation in N executions" must not read as N interleavings when the executions were one
  // run repeated: a scenario with no IRQ source and never two events pending gives the strategy
  // nothing to choose (the VDD port before the timer joined it: 2,000 executions, one run).
  it('a campaign whose executions are all one run says so, in the count and in the claim', async () => {
    const { staleVmEventScenario } = await import('../../examples/outside/staleVmEvent.js');
    const base = staleVmEventScenario(true);
    const scenario = { ...base, devices: base.devices.filter((d) => d.name !== 'timer') };
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path: 'examples/outside/fixed/staleVmEvent.ts' }, strategy: 'portfolio', seed: 1, iterations: 40, workloads: 1 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.distinctRuns).toBe(1);
    expect(report.claim).toContain('only 1 distinct run(s) among the 40 executions');
  });

  it('a campaign with IRQ sources counts its distinct runs, and claims no repetition when every run differs', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'random', seed: 1, iterations: 30 });
    const outcome = await explore(scenario, spec, { shrink: false });
    const report = exploreReport(scenario.name, outcome, 1, null);
    expect(report.distinctRuns).toBeGreaterThan(1);
    expect(report.distinctRuns).toBeLessThanOrEqual(30);
    if (report.distinctRuns === 30) expect(report.claim).not.toContain('distinct run(s)');
    else expect(report.claim).toContain(`only ${report.distinctRuns} distinct run(s)`);
  });

  it('survives a checkpoint: a restored fold counts the runs it had seen', () => {
    const acc = new CampaignAccumulator(false);
    const summary = (hash: string, iteration: number) => ({
      iteration, strategy: 'random' as const, strategySeed: 0, workloadSeed: 1, traceHash: hash, steps: 1, irqPoints: 0, irqs: 0, violation: null,
      windows: WINDOWS.map(() => 0), warnings: [], choices: null,
    });
    acc.add(summary('a', 0));
    acc.add(summary('b', 1));
    const restored = CampaignAccumulator.restore(JSON.parse(JSON.stringify(acc.save())), false);
    restored.add(summary('a', 2));
    expect(restored.result().distinctRuns).toBe(2);
    restored.add(summary('c', 3));
    expect(restored.result().distinctRuns).toBe(3);
  });

  it(`stops counting at ${DISTINCT_RUNS_CAP} (bounded memory), and says "at least" then`, () => {
    const acc = new CampaignAccumulator(false);
    for (let i = 0; i < DISTINCT_RUNS_CAP + 10; i++) {
      acc.add({ iteration: i, strategy: 'random', strategySeed: 0, workloadSeed: 1, traceHash: `h${i}`, steps: 1, irqPoints: 0, irqs: 0, violation: null, windows: WINDOWS.map(() => 0), warnings: [], choices: null });
    }
    expect(acc.result().distinctRuns).toBe(DISTINCT_RUNS_CAP);
    expect(acc.save().runHashes).toHaveLength(DISTINCT_RUNS_CAP);
  });
});

describe('what the pct bound does not cover, in its words', () => {
  it('two sources at one choice point (pct raises one per point), named once there are two sources', () => {
    expect(pctConfidence(2, 50, 2, 1000).statement).not.toContain('two sources');
    expect(pctConfidence(3, 50, 2, 1000).statement).toContain('two sources asserting at the same choice point (pct raises one per point)');
  });

  // An audit's driver with no IRQ source got "P(missed in all ...) <= 0.00 (per execution found
  // with P >= 1.00)": true of the one IRQ schedule there is, but it read as certainty.
  it('no IRQ source: one IRQ schedule, which every execution ran; no probability is printed', async () => {
    const quiet = defineDevice<{ pokes: number }>({ name: 'quiet', state: () => ({ pokes: 0 }), entries: ['poke'], procs: { poke: (r) => void r.state.pokes++ } });
    const scenario = defineScenario({ name: 'no-sources', vms: 2, devices: [quiet], steps: 50 });
    expect(irqSources(scenario.devices)).toHaveLength(0);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path: 'no-sources.ts' }, strategy: 'pct', seed: 1, iterations: 30, workloads: 1 });
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.claim).toMatch(/^no IRQ source: the CPU alone runs, so there is one IRQ schedule and all 30 executions ran it; pct's bound is about IRQ orderings and claims nothing here: not for bugs that need a particular order of pending events/);
    expect(report.claim).not.toMatch(/P\(|P >=/);
    // Nor in --json: the numbers would say the same certainty the words no longer do.
    expect(report.confidence).toMatchObject({ actors: 1, perExecution: null, missBound: null });
    expect(pctConfidence(2, 50, 2, 1000).statement).toMatch(/^if the bug is an ordering of depth <= 2 among the CPU and these 1 IRQ source/);
  });

  it('change points drawn among fewer choice points than executions asked: the claim names the ones they cover', () => {
    // An audit's driver needed a change at choice point 25; pct drew them among the first 6 and the bound said k = 198.
    const drawnFewer = pctConfidence(3, 198, 2, 20000, 8, 1, 6).statement;
    expect(drawnFewer).toContain('over <= 198 choice points, its priority changes among the first 6 (the points pct draws them from; executions asked up to 198)');
    expect(pctConfidence(3, 198, 2, 20000, 8, 1, 198).statement).not.toContain('priority changes among');
    // Depth 1 has no change point: nothing to scope.
    expect(pctConfidence(3, 198, 1, 20000, 8, 1, 6).statement).not.toContain('priority changes among');
  });
});
