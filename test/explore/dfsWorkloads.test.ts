// `--strategy dfs --workloads N` (src/explore/dfsWorkloads.ts): one bounded exhaustive search per
// workload. Each claim the report makes is held here against a one-workload dfs run apart: the
// search of workload w is the dfs of its seed with its share of the budget, "exhausted" is said
// of a workload only when that dfs exhausts within the share, and of the campaign only when
// every workload's is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import flaky from '../../examples/scenarios/flaky-driver.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { runCampaignHere, type CampaignResult } from '../../src/explore/campaign.js';
import { workloadRanges } from '../../src/explore/dfsReport.js';
import { dfsWorkloadBudget } from '../../src/explore/dfsWorkloads.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { exploreReport, formatExplore } from '../../src/explore/report.js';
import type { CampaignSpec, ExecutionSummary } from '../../src/explore/spec.js';
import { workloadSeed } from '../../src/explore/workloads.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { StatefulDfs } from '../../src/state/statefulDfs.js';

const FLAKY_REF = { kind: 'module', path: 'examples/scenarios/flaky-driver.ts' } as const;
const DEFAULT_REF = { kind: 'builtin', name: 'default', vms: 2, steps: 6 } as const;

/** The dfs campaign of one workload as it was before workloads: the loop, written out plainly. */
function oneWorkloadDfs(scenario: Scenario, spec: CampaignSpec): { summaries: ExecutionSummary[]; exhausted: boolean } {
  const search = new StatefulDfs(scenario, spec, spec.dfsState ?? { prune: true, fork: true });
  const summaries: ExecutionSummary[] = [];
  for (let i = 0; i < spec.iterations; i++) {
    const summary = search.execute(i);
    summaries.push(summary);
    if (!search.tree.advance()) return { summaries, exhausted: true };
    if (summary.violation !== null && !spec.keepGoing) break;
  }
  return { summaries, exhausted: false };
}

function campaign(scenario: Scenario, spec: CampaignSpec): { result: CampaignResult; summaries: ExecutionSummary[] } {
  const summaries: ExecutionSummary[] = [];
  const result = runCampaignHere(scenario, spec, { onExecution: (s) => summaries.push(s) });
  return { result, summaries };
}

async function defaultMachine(): Promise<Scenario> {
  return loadScenario(DEFAULT_REF);
}

function dfsSpec(scenario: Scenario, ref: CampaignSpec['scenarioRef'], iterations: number, workloads: number, extra: Partial<CampaignSpec> = {}): CampaignSpec {
  return {
    ...campaignSpec({ scenario, scenarioRef: ref, strategy: 'dfs', seed: 1, iterations, steps: 6, params: { irqBudget: 1, preemptionBound: 1 }, workloads }),
    ...extra,
  };
}

describe('dfs over N workloads', () => {
  it('--workloads 1 is the one-workload dfs: the same executions, in order, and the same verdicts', async () => {
    const scenario = await defaultMachine();
    for (const dfsState of [undefined, { prune: false, fork: false }]) {
      for (const iterations of [20, 10_000]) {
        const spec = dfsSpec(scenario, DEFAULT_REF, iterations, 1, dfsState === undefined ? {} : { dfsState });
        expect(spec.workloads).toBeUndefined();
        const before = oneWorkloadDfs(scenario, spec);
        const { result, summaries } = campaign(scenario, spec);
        expect(summaries).toEqual(before.summaries);
        expect(result.exhausted).toBe(before.exhausted);
        expect(result.dfsWorkloads).toHaveLength(1);
        expect(result.dfsWorkloads![0]).toMatchObject({ workload: 0, seed: 1, budget: iterations, executions: before.summaries.length });
      }
    }
    const found = dfsSpec(flaky, FLAKY_REF, 1000, 1, { steps: 12 });
    const before = oneWorkloadDfs(flaky, found);
    const { result, summaries } = campaign(flaky, found);
    expect(summaries).toEqual(before.summaries);
    expect(result.first).toEqual(before.summaries.at(-1));
  });

  it('workload w runs the dfs of its own seed with its share of the budget, numbered after the workloads before it', async () => {
    const scenario = await defaultMachine();
    // 54 executions each: some of these workloads' spaces fit in that, some do not.
    const spec = dfsSpec(scenario, DEFAULT_REF, 4 * 54, 4);
    const { result, summaries } = campaign(scenario, spec);
    let offset = 0;
    const statuses = new Set<string>();
    for (const outcome of result.dfsWorkloads!) {
      const w = outcome.workload;
      const alone = { ...spec, seed: workloadSeed(1, w), iterations: 54 };
      delete alone.workloads;
      const own = oneWorkloadDfs(scenario, alone);
      const mine = summaries.slice(offset, offset + outcome.executions);
      expect(mine.map((s) => s.traceHash)).toEqual(own.summaries.map((s) => s.traceHash));
      expect(mine.map((s) => s.iteration)).toEqual(own.summaries.map((_, i) => offset + i));
      expect(mine.every((s) => s.workloadSeed === workloadSeed(1, w))).toBe(true);
      expect(outcome.exhausted).toBe(own.exhausted);
      // "hit the budget" is true only of a space that 54 executions do not exhaust.
      if (outcome.status === 'budget') {
        expect(oneWorkloadDfs(scenario, { ...alone, iterations: 10_000 }).summaries.length).toBeGreaterThan(54);
      }
      statuses.add(outcome.status);
      offset += outcome.executions;
    }
    expect(statuses).toEqual(new Set(['exhausted', 'budget']));
    expect(result.executions).toBe(offset);
    expect(result.exhausted).toBe(false);
  });

  it('claims "exhausted" for the campaign only when every workload\'s space was, and otherwise names which were', async () => {
    const scenario = await defaultMachine();
    const report = async (iterations: number) => exploreReport('default', await explore(scenario, dfsSpec(scenario, DEFAULT_REF, iterations, 4), { shrink: false }), 1, null);
    const all = await report(100_000);
    expect(all.exhausted).toBe(true);
    expect(all.byWorkload!.every((w) => w.status === 'exhausted')).toBe(true);
    expect(all.claim).toBe(`dfs: exhausted the bounded space of each of 4 workloads; the space holds runs of at most 1 IRQ(s), at most 1 of them inside ring-0 code, besides those the hardware's fairness adds (a ring-0 stretch of 1,000 preemption points with none gets one from each source): no claim for bugs that need more; no claim for bugs that need the VMM to schedule a callback it could call at once (SPEC §3 latitude: --latitude adds that choice); ${all.states!.pruned} executions were pruned at a state met before, and a state is the machine's and each device's state() object: state a device keeps elsewhere (a module variable, a closure) is not compared (--stateless does not prune); every execution ran one of the 4 client workloads of seed 1 (6 steps each); bugs that need another workload need another --seed, more --workloads or another mix`);
    expect(all.states!.pruned).toBeGreaterThan(0);
    expect(formatExplore(all)[1]).toMatch(/; the bounded space of each of the 4 workloads is exhausted$/);

    const some = await report(4 * 54);
    const exhausted = some.byWorkload!.filter((w) => w.exhausted).map((w) => w.workload);
    const others = some.byWorkload!.filter((w) => !w.exhausted).map((w) => w.workload);
    expect(exhausted.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect(some.exhausted).toBe(false);
    expect(some.claim).toMatch(new RegExp(`^dfs: exhausted the bounded space of ${exhausted.length} of 4 workloads \\(${workloadRanges(exhausted)}\\); no claim for the other ${others.length} \\(${workloadRanges(others)}\\)`));
    const lines = formatExplore(some);
    expect(lines[1]).toMatch(new RegExp(`; the bounded space is exhausted for ${exhausted.length} of the 4 workloads$`));
    expect(lines[2]).toMatch(/^ {2}workloads: exhausted [\d, -]+; hit the budget \(54 executions each\) [\d, -]+$/);

    const none = await report(4);
    expect(none.byWorkload!.every((w) => w.status === 'budget' && w.executions === 1)).toBe(true);
    expect(none.claim).toBeNull();
  });

  it('stops at a violation in workload k, which replays exactly from its trace and is shrunk; later workloads are not searched', async () => {
    const spec = dfsSpec(flaky, FLAKY_REF, 1000, 8);
    const outcome = await explore(flaky, spec, { command: 'vmmsim explore' });
    const { campaign: result } = outcome;
    const statuses = result.dfsWorkloads!.map((w) => w.status);
    const k = statuses.indexOf('violation');
    expect(k).toBeGreaterThan(0);
    expect(statuses.slice(0, k).every((s) => s === 'exhausted')).toBe(true);
    expect(statuses.slice(k + 1).every((s) => s === 'notSearched')).toBe(true);
    const before = result.dfsWorkloads!.slice(0, k + 1).reduce((sum, w) => sum + w.executions, 0);
    expect(result.executions).toBe(before);
    expect(result.first!.iteration + 1).toBe(before);
    expect(result.first!.workloadSeed).toBe(workloadSeed(1, k));
    expect(result.exhausted).toBe(false);

    const trace = outcome.trace!;
    expect(trace.seed).toBe(workloadSeed(1, k));
    expect(outcome.shrunk!.minimal).toBe(true);
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence).toBeNull();
    expect(replay.result!.traceHash).toBe(trace.expect.traceHash);
    expect(replay.result!.firstViolation?.kind).toBe(result.first!.violation.kind);

    const asFound = await explore(flaky, spec, { shrink: false });
    const raw = replayTrace(asFound.trace!, await loadScenario(asFound.trace!.scenario));
    expect(raw.divergence).toBeNull();
    expect(raw.result!.firstViolation?.kind).toBe(result.first!.violation.kind);

    const text = formatExplore(exploreReport(flaky.name, outcome, 1, 'x.json'));
    expect(text[2]).toBe(`  workloads: exhausted 0-${k - 1}; stopped at the violation ${k}; not searched ${k + 1}-7`);
    expect(text.join('\n')).toContain(`in execution ${before} on the workload of seed ${workloadSeed(1, k)}`);
  });

  it('with --keep-going searches every workload and counts every violating execution', () => {
    const spec = dfsSpec(flaky, FLAKY_REF, 1000, 8, { keepGoing: true });
    const { result, summaries } = campaign(flaky, spec);
    expect(result.dfsWorkloads!.every((w) => w.status === 'exhausted')).toBe(true);
    const violating = summaries.filter((s) => s.violation !== null);
    expect(result.dfsWorkloads!.reduce((sum, w) => sum + w.violations, 0)).toBe(violating.length);
    expect(result.distinct.reduce((sum, d) => sum + d.executions, 0)).toBe(violating.length);
    expect(result.first).toEqual(violating[0]);
  });

  it('the stateless search over workloads exhausts the same spaces, each in its own stateless count', async () => {
    const scenario = await defaultMachine();
    const stateless = { dfsState: { prune: false, fork: false } };
    const { result } = campaign(scenario, dfsSpec(scenario, DEFAULT_REF, 100_000, 3, stateless));
    expect(result.exhausted).toBe(true);
    for (const outcome of result.dfsWorkloads!) {
      const alone = { ...dfsSpec(scenario, DEFAULT_REF, 100_000, 1, stateless), seed: workloadSeed(1, outcome.workload) };
      expect(outcome.executions).toBe(oneWorkloadDfs(scenario, alone).summaries.length);
      expect(outcome.states).toEqual({ distinct: 0, revisited: 0, pruned: 0 });
    }
  });

  it('names workloads as ranges', () => {
    expect(workloadRanges([0, 1, 2, 5, 7, 8])).toBe('0-2, 5, 7-8');
    expect(workloadRanges([3])).toBe('3');
  });

  it('cuts --iterations into shares that add up to it and differ by at most one', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 1024 }), (iterations, workloads) => {
      const shares = Array.from({ length: workloads }, (_, w) => dfsWorkloadBudget({ iterations, workloads }, w));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(iterations);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }));
    expect(dfsWorkloadBudget({ iterations: 1000 }, 0)).toBe(1000);
  });
});
