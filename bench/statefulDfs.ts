/**
 * Stateful against stateless dfs: the same bounded exhaustive search with and without pruning
 * explored states and forking from snapshots, on the built-in machine and the zoo's fixed
 * twins (clean, so every campaign searches its whole space), and the largest step bound each
 * exhausts within a time budget.
 *
 *   node dist/bench/statefulDfs.js table            # each mode at fixed bounds
 *   node dist/bench/statefulDfs.js bounds [60]      # largest steps exhausted in N s, per mode
 */
import { performance } from 'node:perf_hooks';
import { zooEntry } from '../examples/zoo/index.js';
import { campaignSpec } from '../src/explore/explore.js';
import type { CampaignSpec } from '../src/explore/spec.js';
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioRef } from '../src/shared/trace.js';
import { StatefulDfs } from '../src/state/statefulDfs.js';
import { runIfEntry } from './transport/runDirectly.js';

const MODES = {
  stateless: { prune: false, fork: false },
  fork: { prune: false, fork: true },
  prune: { prune: true, fork: false },
  stateful: { prune: true, fork: true },
} as const;
type Mode = keyof typeof MODES;

interface Target {
  name: string;
  ref: ScenarioRef;
  irqBound: number;
  preemptionBound: number;
  steps: number;
}

/** The built-in machine (4 VMs, every built-in device) and the zoo twins, at their dfs budgets. */
function targets(): Target[] {
  const zoo = ['stale-handle', 'read-then-cancel', 'wrong-cancel-service', 'sync-service-at-interrupt', 'clobbered-ebp', 'livelock', 'pooled-stale-cancel'].map((name) => {
    const b = zooEntry(name)!.budget;
    return { name: `${name} (fixed)`, ref: { kind: 'zoo', name, fixed: true } as ScenarioRef, irqBound: b.dfsIrqBound, preemptionBound: b.dfsPreemptionBound, steps: b.dfsSteps };
  });
  return [
    { name: 'default machine', ref: { kind: 'builtin', name: 'default', vms: 4, steps: 8 }, irqBound: 2, preemptionBound: 2, steps: 8 },
    // Long executions, one IRQ: where re-executing the prefix costs most.
    { name: 'default machine, long', ref: { kind: 'builtin', name: 'default', vms: 4, steps: 200 }, irqBound: 1, preemptionBound: 1, steps: 200 },
    ...zoo,
  ];
}

export interface DfsRun {
  target: string;
  mode: Mode;
  steps: number;
  irqBound: number;
  preemptionBound: number;
  executions: number;
  exhausted: boolean;
  states: { distinct: number; revisited: number; pruned: number } | null;
  /** Client steps run, snapshots taken and restored: the work, apart from the machine's noise. */
  work: { steps: number; snapshots: number; restores: number };
  elapsedMs: number;
  /** CPU time of this thread's process (less noisy than wall time on a shared machine). */
  cpuMs: number;
  execsPerSec: number;
  execsPerCpuSec: number;
}

async function runDfs(target: Target, mode: Mode, steps: number, deadlineMs: number): Promise<DfsRun> {
  const scenario = await loadScenario(target.ref);
  const spec: CampaignSpec = {
    ...campaignSpec({
      scenario, scenarioRef: target.ref, strategy: 'dfs', seed: 1, iterations: 100_000_000, steps,
      params: { irqBudget: target.irqBound, preemptionBound: target.preemptionBound },
    }),
    dfsState: MODES[mode],
  };
  const search = new StatefulDfs(scenario, spec, MODES[mode]);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let executions = 0;
  let exhausted = false;
  while (performance.now() - started < deadlineMs) {
    const summary = search.execute(executions++);
    if (summary.violation !== null) throw new Error(`${target.name}: a violation (${summary.violation.kind}) in a fixed twin`);
    if (!search.tree.advance()) {
      exhausted = true;
      break;
    }
  }
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return {
    target: target.name, mode, steps, irqBound: target.irqBound, preemptionBound: target.preemptionBound,
    executions, exhausted, states: MODES[mode].prune ? { ...search.states } : null, work: { ...search.work },
    elapsedMs: Math.round(elapsedMs), cpuMs: Math.round(cpuMs),
    execsPerSec: Math.round((executions * 1000) / Math.max(1, elapsedMs)), execsPerCpuSec: Math.round((executions * 1000) / Math.max(1, cpuMs)),
  };
}

/** Every mode at each target's own bounds (a 120 s cap per campaign). */
export async function measureTable(): Promise<DfsRun[]> {
  const out: DfsRun[] = [];
  for (const target of targets()) {
    for (const mode of Object.keys(MODES) as Mode[]) out.push(await runDfs(target, mode, target.steps, 120_000));
  }
  return out;
}

const STEP_LADDER = [4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];

/** The largest step bound each of stateless and stateful dfs exhausts within `budgetS` seconds per campaign. */
export async function measureBounds(budgetS: number, names: readonly string[]): Promise<{ target: string; mode: Mode; irqBound: number; preemptionBound: number; stepsExhausted: number; run: DfsRun | null }[]> {
  const out = [];
  for (const target of targets().filter((t) => names.some((n) => t.name.startsWith(n)))) {
    for (const mode of ['stateless', 'stateful'] as const) {
      let best: DfsRun | null = null;
      for (const steps of STEP_LADDER) {
        const run = await runDfs(target, mode, steps, budgetS * 1000);
        if (!run.exhausted) break;
        best = run;
      }
      out.push({ target: target.name, mode, irqBound: target.irqBound, preemptionBound: target.preemptionBound, stepsExhausted: best?.steps ?? 0, run: best });
      console.error(JSON.stringify(out[out.length - 1]));
    }
  }
  return out;
}

runIfEntry(import.meta.url, async () => {
  const [what = 'table', budget = '60', ...names] = process.argv.slice(2);
  if (what === 'bounds') return measureBounds(Number(budget), names.length > 0 ? names : ['default', 'stale-handle', 'clobbered-ebp']);
  return measureTable();
});
