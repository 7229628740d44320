// Every sentence `vmmsim explore` prints about what it searched is a claim, held here against
// what the campaign really did, counted apart from the code that prints it (README "Read the
// report"): each test is a scenario where the sentence would be false if that code were wrong.
import { describe, expect, it } from 'vitest';
import flaky from '../../examples/scenarios/flaky-driver.js';
import { zooEntry } from '../../examples/zoo/index.js';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { runCampaignHere, runSeededBatch } from '../../src/explore/campaign.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { exploreReport, formatExplore, formatZoo } from '../../src/explore/report.js';
import { runZooEntry, zooCampaign } from '../../src/explore/zooRun.js';
import { shrink } from '../../src/explore/shrink.js';
import type { ExecutionSummary } from '../../src/explore/spec.js';
import type { TraceFile } from '../../src/shared/trace.js';

const FLAKY_REF = { kind: 'module', path: 'examples/scenarios/flaky-driver.ts' } as const;

function summariesOf(spec: Parameters<typeof runCampaignHere>[1], scenario = flaky): ExecutionSummary[] {
  const seen: ExecutionSummary[] = [];
  runCampaignHere(scenario, spec, { onExecution: (s) => seen.push(s) });
  return seen;
}

describe('"FOUND … in execution N"', () => {
  it('N is the first execution that violates, and running iteration N-1 alone violates the same way', async () => {
    const spec = campaignSpec({ scenario: flaky, scenarioRef: FLAKY_REF, strategy: 'portfolio', seed: 3, iterations: 2000, workloads: 8 });
    const outcome = await explore(flaky, spec, { shrink: false });
    const report = exploreReport(flaky.name, outcome, 1, null);
    const n = report.violation!.execution;
    const before = runSeededBatch(flaky, { ...spec, keepGoing: true }, 0, n - 1);
    expect(before.every((s) => s.violation === null)).toBe(true);
    const [alone] = runSeededBatch(flaky, spec, n - 1, n);
    expect(alone!.violation?.kind).toBe(report.violation!.kind);
    expect(alone!.traceHash).toBe(outcome.campaign.first!.traceHash);
    expect(alone!.workloadSeed).toBe(report.violation!.workloadSeed);
  });

  it('with --keep-going, "also K in M execution(s), first in execution F" counts the executions that met K', async () => {
    const spec = campaignSpec({ scenario: flaky, scenarioRef: FLAKY_REF, strategy: 'random', seed: 1, iterations: 300, workloads: 4, keepGoing: true });
    const seen = summariesOf(spec);
    const report = exploreReport(flaky.name, await explore(flaky, spec, { shrink: false }), 1, null);
    expect(report.distinctViolations.length).toBeGreaterThan(0);
    for (const d of report.distinctViolations) {
      const met = seen.filter((s) => s.violation?.kind === d.kind);
      expect(d.executions).toBe(met.length);
      // Counted from 1, as violation.execution and the FOUND line count (it was the 0-based iteration).
      expect(d.firstExecution).toBe(met[0]!.iteration + 1);
    }
  });
});

describe('"no violation found"', () => {
  // --vmm-only: a device bug does not stop an execution and is not reported. The flaky driver's
  // device bug is met within these executions; the report must not read as "no violation".
  it('with --vmm-only, says that only VMM invariant violations counted, where a device bug was met', async () => {
    const base = { scenario: flaky, scenarioRef: FLAKY_REF, strategy: 'pct' as const, seed: 1, iterations: 200, workloads: 1 };
    const any = await explore(flaky, campaignSpec(base), { shrink: false });
    expect(any.campaign.first?.violation.severity).toBe('device');
    const vmmOnly = exploreReport(flaky.name, await explore(flaky, campaignSpec({ ...base, stopOn: 'vmm' }), { shrink: false }), 1, null);
    expect(vmmOnly.found).toBe(false);
    const lines = formatExplore(vmmOnly);
    expect(lines).not.toContain('  no violation found');
    expect(lines).toContain('  no VMM invariant violation found (--vmm-only: device bugs do not count)');
    expect(vmmOnly.claim).toContain('only VMM invariant violations counted (--vmm-only): device bugs the executions met are not reported');

    const random = exploreReport(flaky.name, await explore(flaky, campaignSpec({ ...base, strategy: 'random', stopOn: 'vmm' }), { shrink: false }), 1, null);
    expect(random.claim).toMatch(/^random: no VMM invariant violation in 200 executions;/);
  });

  it('"no violation in N executions": N is the executions that ran, every one clean', async () => {
    const scenario = zooEntry('stale-handle')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'stale-handle', fixed: true }, strategy: 'pos', seed: 2, iterations: 150 });
    const seen = summariesOf(spec, scenario);
    expect(seen).toHaveLength(150);
    expect(seen.every((s) => s.violation === null)).toBe(true);
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.claim).toMatch(/^pos: no violation in 150 executions;/);
  });
});

describe('distinct runs', () => {
  it('the count is the number of different trace hashes among the executions', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 4, iterations: 120, workloads: 2 });
    const hashes = new Set(summariesOf(spec, scenario).map((s) => s.traceHash));
    const report = exploreReport(scenario.name, await explore(scenario, spec, { shrink: false }), 1, null);
    expect(report.distinctRuns).toBe(hashes.size);
    expect(formatExplore(report)[2]).toBe(`  distinct runs: ${hashes.size} (executions with different trace hashes)`);
  });
});

describe('the PCT miss bound', () => {
  it('"each of the N workloads ran >= E executions": counted per workload seed', async () => {
    const scenario = zooEntry('clobbered-ebp')!.scenario(true);
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name: 'clobbered-ebp', fixed: true }, strategy: 'pct', seed: 1, iterations: 47, workloads: 6 });
    const perWorkload = new Map<number, number>();
    for (const s of summariesOf(spec, scenario)) perWorkload.set(s.workloadSeed, (perWorkload.get(s.workloadSeed) ?? 0) + 1);
    const outcome = await explore(scenario, spec, { shrink: false });
    expect(perWorkload.size).toBe(6);
    expect(Math.min(...perWorkload.values())).toBeGreaterThanOrEqual(outcome.confidence!.executionsPerWorkload);
    expect(exploreReport(scenario.name, outcome, 1, null).claim).toContain(`of its >= ${outcome.confidence!.executionsPerWorkload} executions`);
  });

  // The bound says one execution finds a depth-2 bug with P >= p. stale-handle is such a bug:
  // the measured rate over these executions must not fall below the p printed for its fixed twin
  // (the same machine, so the same n and about the same k).
  it('"per execution found with P >= p": the measured rate on a depth-2 zoo bug is at least p', async () => {
    const entry = zooEntry('stale-handle')!;
    const twin = entry.scenario(true);
    const twinSpec = campaignSpec({ scenario: twin, scenarioRef: { kind: 'zoo', name: entry.name, fixed: true }, strategy: 'pct', seed: 1, iterations: 200, workloads: 1 });
    const p = (await explore(twin, twinSpec, { shrink: false })).confidence!.perExecution!;
    const bug = entry.scenario(false);
    const bugSpec = campaignSpec({ scenario: bug, scenarioRef: { kind: 'zoo', name: entry.name, fixed: false }, strategy: 'pct', seed: 1, iterations: 200, workloads: 1, keepGoing: true });
    const hits = summariesOf(bugSpec, bug).filter((s) => s.violation?.kind === entry.kind).length;
    expect(hits / 200).toBeGreaterThanOrEqual(p);
  });
});

describe('"shrunk to 1-minimal"', () => {
  it('is printed only when shrinking finished; a shrink cut by its candidate budget does not claim it', async () => {
    const spec = campaignSpec({ scenario: flaky, scenarioRef: FLAKY_REF, strategy: 'pct', seed: 1, iterations: 200, workloads: 1 });
    const outcome = await explore(flaky, spec);
    expect(outcome.shrunk!.minimal).toBe(true);
    expect(formatExplore(exploreReport(flaky.name, outcome, 1, null)).some((l) => l.startsWith('  shrunk to 1-minimal ('))).toBe(true);
    const first = outcome.campaign.first!;
    const cut = await shrink({
      scenario: flaky, scenarioRef: FLAKY_REF, seed: first.workloadSeed, steps: first.steps, config: spec.config, stopOn: spec.stopOn,
      choices: ChoiceLog.deserialize(first.choices ?? []), kind: first.violation.kind, strategyName: spec.strategy, maxCandidates: 2,
    });
    expect(cut.minimal).toBe(false);
    const lines = formatExplore(exploreReport(flaky.name, { ...outcome, shrunk: cut }, 1, null));
    expect(lines.some((l) => l.startsWith('  shrunk ('))).toBe(true);
    expect(lines.join('\n')).not.toContain('1-minimal');
  });
});

describe('"reproduced exactly"', () => {
  async function foundTrace(): Promise<TraceFile> {
    const spec = campaignSpec({ scenario: flaky, scenarioRef: FLAKY_REF, strategy: 'pct', seed: 1, iterations: 200 });
    return (await explore(flaky, spec)).trace!;
  }
  // The shrunk trace may run fewer VMs than the module declares (its scenario names the count).
  const machineOf = (trace: TraceFile) => ({ ...flaky, vms: trace.scenario.vms ?? flaky.vms });

  it('is not what replay says of a trace whose decision log was changed', async () => {
    const trace = await foundTrace();
    expect(replayTrace(trace, machineOf(trace)).divergence).toBeNull();
    const otherHash = { ...trace, expect: { ...trace.expect, traceHash: trace.expect.traceHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } };
    expect(replayTrace(otherHash, machineOf(otherHash)).divergence?.message).toMatch(/decision log differs/);
    const moreRecords = { ...trace, expect: { ...trace.expect, records: trace.expect.records + 1 } };
    expect(replayTrace(moreRecords, machineOf(moreRecords)).divergence?.message).toMatch(/decision log differs/);
  });

  it('is not what replay says of a trace with choices the run never asks for', async () => {
    const trace = await foundTrace();
    const extra: TraceFile = { ...trace, choices: [...trace.choices, ...trace.choices] };
    expect(replayTrace(extra, machineOf(extra)).divergence).not.toBeNull();
  });
});

describe('the zoo\'s "twin clean in N (space exhausted)"', () => {
  // The twin's dfs, run apart stateless with no budget to speak of, must exhaust in a count the
  // zoo's N cannot exceed; a budget below that count must drop the words.
  it('is said only when the twin\'s bounded space (of every workload) was searched completely', async () => {
    const entry = zooEntry('stale-handle')!;
    const { scenario, spec } = zooCampaign(entry, 'dfs', true, 1, 100_000);
    const whole = runCampaignHere(scenario, { ...spec, dfsState: { prune: false, fork: false } });
    expect(whole.exhausted).toBe(true);
    const line = async (iterations: number, workloads?: number) => {
      const outcome = await runZooEntry(entry, { seed: 1, strategies: ['dfs'], workers: 1, iterations, ...(workloads !== undefined ? { workloads } : {}) });
      return { s: outcome.strategies.dfs!, text: formatZoo([{ ...outcome, tracePath: null }]).join('\n') };
    };
    const done = await line(whole.executions);
    expect(done.s.twinExhausted).toBe(true);
    expect(done.s.twinExecutions).toBeLessThanOrEqual(whole.executions);
    expect(done.text).toContain(`twin clean in ${done.s.twinExecutions} (space exhausted)`);
    const cut = await line(Math.floor(done.s.twinExecutions / 2));
    expect(cut.s.twinExhausted).toBe(false);
    expect(cut.text).not.toContain('space exhausted');
    const two = await line(100_000, 2);
    const twoWorkloads = runCampaignHere(scenario, { ...zooCampaign(entry, 'dfs', true, 1, 100_000, 2).spec });
    expect(two.s.twinExhausted).toBe(twoWorkloads.exhausted);
    expect(two.s.twinExecutions).toBe(twoWorkloads.executions);
  });
});
