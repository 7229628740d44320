import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { runCampaignHere, type CampaignResult } from '../../src/explore/campaign.js';
import type { CampaignSpec } from '../../src/explore/spec.js';
import { zooCampaign } from '../../src/explore/zooRun.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { campaignSpec } from '../../src/explore/explore.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { explore as exploreCampaign } from '../../src/explore/explore.js';
import { exploreReport } from '../../src/explore/report.js';
import { computing, explore, spec, trapping } from '../support/dfsFixtures.js';

const STATELESS = { prune: false, fork: false };
const FORK_ONLY = { prune: false, fork: true };
const PRUNE_ONLY = { prune: true, fork: false };
const STATEFUL = { prune: true, fork: true };

function campaign(scenario: Scenario, s: CampaignSpec, dfsState: CampaignSpec['dfsState']): { result: CampaignResult; hashes: string[] } {
  const hashes: string[] = [];
  const result = runCampaignHere(scenario, { ...s, dfsState }, { onExecution: (summary) => hashes.push(summary.traceHash) });
  return { result, hashes };
}

describe('dfs forking from snapshots', () => {
  it('runs exactly the executions of the re-executing search, with the same trace hashes (counted trees)', () => {
    for (const [scenario, s] of [[computing, spec(6, 2, 0)], [trapping, spec(3, 2, 2)]] as const) {
      const stateless = explore(scenario, s);
      const forked = explore(scenario, { ...s, dfsState: FORK_ONLY });
      expect(forked.exhausted).toBe(true);
      expect(forked.hashes).toEqual(stateless.hashes);
    }
  });

  it('the same on the default machine (4 VMs, every built-in device) and on every zoo bug', () => {
    const scenario = defaultScenario(4, 6);
    const s = campaignSpec({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 6 }, strategy: 'dfs', seed: 3, iterations: 400, steps: 6 });
    expect(campaign(scenario, s, FORK_ONLY).hashes).toEqual(campaign(scenario, s, STATELESS).hashes);
    for (const entry of ZOO) {
      const { scenario: zoo, spec: z } = zooCampaign(entry, 'dfs', false, 1, 300);
      const stateless = campaign(zoo, z, STATELESS);
      const forked = campaign(zoo, z, FORK_ONLY);
      expect(forked.hashes, entry.name).toEqual(stateless.hashes);
      expect(forked.result.first?.choices, entry.name).toEqual(stateless.result.first?.choices);
    }
  });
});

describe('dfs pruning states already explored', () => {
  it('one source over S computing steps: a state is (boundary k, IRQs taken c), so dfs meets sum over k of min(k, B) + 1 states and prunes the rest', () => {
    // An interrupt costs the machine one tick, and nothing else: the state after an IRQ at step
    // 2 is the state after one at step 4. Boundaries k = 0..5 with c <= min(k, 2) IRQs: 1 + 2 + 4 * 3.
    const { result } = campaign(computing, spec(6, 2, 0), STATEFUL);
    expect(result.exhausted).toBe(true);
    expect(result.states!.distinct).toBe(15);
    expect(result.states!.pruned).toBeGreaterThan(0);
    expect(result.executions).toBeLessThan(explore(computing, spec(6, 2, 0)).executions);
  });

  it('an execution pruned before its end gets no end-of-run checks (they belong to runs that end)', () => {
    const steps = 6;
    const endOnly: Scenario = { ...computing, invariants: [{ name: 'checkedEarly', atEnd: true, check: (v) => (v.step < steps ? `end check at step ${v.step}` : undefined) }] };
    const { result } = campaign(endOnly, spec(steps, 2, 0), STATEFUL);
    expect(result.states!.pruned).toBeGreaterThan(0);
    expect(result.first).toBeNull();
    expect(result.exhausted).toBe(true);
  });

  it('forking does not change what pruning explores', () => {
    const s = spec(3, 2, 2);
    expect(campaign(trapping, s, STATEFUL).hashes).toEqual(campaign(trapping, s, PRUNE_ONLY).hashes);
  });

  it('finds every zoo bug the stateless search finds within the same bounds, in no more executions, and exhausts each fixed twin', () => {
    for (const entry of ZOO) {
      const bug = zooCampaign(entry, 'dfs', false, 1, 5000);
      const stateless = campaign(bug.scenario, bug.spec, STATELESS).result;
      const stateful = campaign(bug.scenario, bug.spec, STATEFUL).result;
      expect(stateful.first?.violation.kind, entry.name).toBe(stateless.first?.violation.kind);
      expect(stateful.executions, entry.name).toBeLessThanOrEqual(stateless.executions);
      const twin = zooCampaign(entry, 'dfs', true, 1, 100_000);
      const twinStateful = campaign(twin.scenario, twin.spec, STATEFUL).result;
      expect(twinStateful.exhausted, entry.name).toBe(true);
      expect(twinStateful.first, entry.name).toBeNull();
      expect(twinStateful.states!.pruned, entry.name).toBeGreaterThan(0);
    }
  });
});

describe('explore --json', () => {
  it('reports states { distinct, revisited, pruned } and exhaustion for dfs, no states for pct', async () => {
    const s = spec(6, 2, 0, 100_000, STATEFUL);
    const report = exploreReport('computing', await exploreCampaign(computing, s), 1, null);
    expect(report.exhausted).toBe(true);
    expect(report.states).toEqual({ distinct: 15, revisited: report.states!.revisited, pruned: report.states!.pruned });
    expect(report.states!.pruned).toBeGreaterThan(0);
    const pct = campaignSpec({ scenario: computing, scenarioRef: { kind: 'module', path: 'inline' }, strategy: 'pct', seed: 1, iterations: 5, steps: 6 });
    expect(exploreReport('computing', await exploreCampaign(computing, pct), 1, null).states).toBeNull();
  });
});
