// Claims the explorer prints, held to what was run: a PCT bound over fewer executions than
// client workloads claims nothing (some workload ran none: its bound is 1), and one over a single
// workload is exactly (1 - p)^N for the N executions it ran.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractBreaches, runInProcess } from '../cli/support/inProcess.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { eoiBeforeReadScenario } from '../../examples/outside/eoiBeforeRead.js';

const scenario = eoiBeforeReadScenario(true);
const scenarioRef = { kind: 'module' as const, path: 'examples/outside/fixed/eoiBeforeRead.ts' };

describe('the PCT confidence figure', () => {
  it('3 executions over the default 64 workloads: a workload ran none, so the bound is 1 (no claim)', async () => {
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef, strategy: 'pct', seed: 1, iterations: 3 }));
    expect(outcome.campaign.first).toBeNull();
    const c = outcome.confidence!;
    expect(c.workloads).toBe(64);
    expect(c.executionsPerWorkload).toBe(0);
    expect(c.missBound).toBe(1);
  });

  it('one workload: the bound is (1 - p)^N over the N executions that ran, and N is what ran', async () => {
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef, strategy: 'pct', seed: 1, iterations: 50, workloads: 1 }));
    const c = outcome.confidence!;
    expect(outcome.campaign.executions).toBe(50);
    expect(c.executionsPerWorkload).toBe(50);
    expect(c.missBound).toBeCloseTo((1 - c.perExecution!) ** 50, 12);
    expect(c.missBound).toBeGreaterThan(0);
    expect(c.missBound).toBeLessThan(1);
  });
});

// An outside audit: a Destroy_VM driver whose scenario destroys VM 2 at step 20, explored with
// --steps 8, was "exhausted ... no violation" with no word that the destroy never happened.
describe('lifecycle steps past the step bound', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmmsim-claims-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const module = join(dir, 'lateDestroy.mjs');
  writeFileSync(module, `export default { name: 'lateDestroy', vms: 3, steps: 40, lifecycle: [{ atStep: 3, op: 'focus', vm: 2 }, { atStep: 20, op: 'destroy', vm: 2 }],
    devices: [{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { r.state.n++; } } }] };\n`);

  it('the report names each one no execution reached, beside its claims (text and --json); with enough steps, none', async () => {
    const short = await runInProcess(['explore', module, '--strategy', 'dfs', '--steps', '8', '--iterations', '3000', '--out', join(dir, 'out')], 120_000);
    expect(contractBreaches(short)).toEqual([]);
    expect(short.stdout).toMatch(/\n {2}not reached: the scenario's destroy VM 2 at step 20 \(8 steps per execution\): no execution ran it; more --steps would\n/);
    const json = await runInProcess(['explore', module, '--steps', '8', '--iterations', '5', '--json', '--out', join(dir, 'out')], 120_000);
    expect((JSON.parse(json.stdout) as { lifecycleNotReached: string[] }).lifecycleNotReached).toEqual(['destroy VM 2 at step 20']);
    const long = await runInProcess(['explore', module, '--steps', '21', '--iterations', '5', '--out', join(dir, 'out')], 120_000);
    expect(long.stdout).not.toMatch(/not reached/);
  }, 240_000);
});
