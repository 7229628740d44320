import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { deserializeWorkload } from '../../src/actors/explicitOps.js';
import { runCampaignHere } from '../../src/explore/campaign.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { shrink, SIZE_KEYS, withVms, type ShrinkResult, type TraceSize } from '../../src/explore/shrink.js';
import { runScript, type ShrinkContext } from '../../src/explore/shrinkRun.js';
import { quietAfter, unitsOf, withoutUnits } from '../../src/explore/shrinkUnits.js';
import type { StrategyName } from '../../src/explore/spec.js';
import { zooCampaign } from '../../src/explore/zooRun.js';
import { loadScenario } from '../../src/scenario/load.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

/** The first violation a campaign finds on a zoo bug, ready to shrink. */
function found(name: string, strategy: StrategyName, seed: number) {
  const entry = ZOO.find((e) => e.name === name)!;
  const { scenario, spec } = strategy === 'dfs'
    ? zooCampaign(entry, 'dfs', false, seed, 5000)
    : { scenario: entry.scenario(false), spec: campaignSpec({ scenario: entry.scenario(false), scenarioRef: { kind: 'zoo', name, fixed: false }, strategy, seed, iterations: 300, steps: 40 }) };
  const first = runCampaignHere(scenario, spec).first;
  return first === null ? null : { scenario, spec, first };
}

async function shrunk(name: string, strategy: StrategyName, seed: number) {
  const bug = found(name, strategy, seed);
  if (bug === null) throw new Error(`${name}: nothing found with ${strategy}, seed ${seed}`);
  const { scenario, spec, first } = bug;
  const result = await shrink({
    scenario, scenarioRef: spec.scenarioRef, seed: first.workloadSeed, steps: first.steps, config: spec.config, stopOn: 'any',
    choices: ChoiceLog.deserialize(first.choices!), kind: first.violation.kind, strategyName: strategy,
  });
  return { scenario, spec, first, result };
}

function noLarger(after: TraceSize, before: TraceSize): void {
  for (const key of ['steps', 'ops', 'irqs', 'decisions', 'vms'] as const) expect(after[key], key).toBeLessThanOrEqual(before[key]);
}

/**
 * 1-minimality, checked by brute force on the shrunk trace itself: removing any single element
 * (an op with its step, an IRQ, a decision, an idle step) or one VM, the run no longer stops at
 * a violation of the same kind.
 */
async function expectOneMinimal(result: ShrinkResult, kind: string): Promise<void> {
  const trace = result.trace;
  const ctx: ShrinkContext = { seed: trace.seed, config: trace.config, stopOn: 'any', strategyName: trace.strategy };
  const scenario = await loadScenario(trace.scenario);
  const run = runScript(ctx, scenario, trace.scenario, deserializeWorkload(trace.workload!), ChoiceLog.deserialize(trace.choices), trace.steps);
  expect(run?.kind).toBe(kind);
  const units = unitsOf(run!.script);
  expect(units.length).toBeGreaterThan(0);
  for (const unit of units) {
    const { ops, choices } = withoutUnits(run!.script, [unit]);
    const without = runScript(ctx, scenario, trace.scenario, ops, choices, trace.steps);
    expect(without?.kind ?? null, `${JSON.stringify(unit)} removed`).not.toBe(kind);
    if (unit.k === 'irq') {
      // With any number of the quiet answers right after it: its handler's questions.
      for (let drop = 1; drop <= quietAfter(run!.script, unit.at); drop++) {
        const less = withoutUnits(run!.script, [{ ...unit, drop }]);
        expect(runScript(ctx, scenario, trace.scenario, less.ops, less.choices, trace.steps)?.kind ?? null, `${JSON.stringify(unit)} removed with ${drop} answers after it`).not.toBe(kind);
      }
    }
    if (unit.k !== 'op') continue;
    // The op alone: its step's answers kept for the next step.
    const alone = withoutUnits(run!.script, [{ k: 'opAlone', step: unit.step }]);
    expect(runScript(ctx, scenario, trace.scenario, alone.ops, alone.choices, trace.steps)?.kind ?? null, `op ${unit.step} removed alone`).not.toBe(kind);
  }
  // And as an outside audit edited a trace: one op out of the workload, the choices as recorded.
  const workload = deserializeWorkload(trace.workload!);
  for (const [vm, list] of workload) {
    for (let i = 0; i < list.length; i++) {
      const ops = new Map(workload);
      ops.set(vm, list.filter((_, j) => j !== i));
      const edited = runScript(ctx, scenario, trace.scenario, ops, ChoiceLog.deserialize(trace.choices), trace.steps);
      expect(edited?.kind ?? null, `VM ${vm}'s op ${i} deleted from the workload`).not.toBe(kind);
    }
  }
  if (scenario.vms > 1) {
    const ref = withVms(trace.scenario, scenario.vms - 1);
    const fewer = runScript(ctx, await loadScenario(ref), ref, run!.script.ops, run!.script.choices, trace.steps);
    expect(fewer?.kind ?? null, 'one VM fewer').not.toBe(kind);
  }
}

describe('shrinking to a 1-minimal trace', () => {
  it.each(ZOO.map((e) => e.name))('%s (found by the portfolio): same kind, replays strictly, no single element can go', async (name) => {
    const { first, result } = await shrunk(name, 'portfolio', 3);
    expect(result.minimal).toBe(true);
    expect(result.trace.expect.firstViolation?.kind).toBe(first.violation.kind);
    noLarger(result.after, result.before);
    const replay = replayTrace(result.trace, await loadScenario(result.trace.scenario));
    expect(replay.divergence).toBeNull();
    expect(replay.result?.firstViolation?.kind).toBe(first.violation.kind);
    await expectOneMinimal(result, first.violation.kind);
  });

  it.each(ZOO.map((e) => e.name))('%s found by dfs is shrunk too, to a 1-minimal trace', async (name) => {
    const bug = found(name, 'dfs', 1);
    if (bug === null) return;
    const { first, result } = await shrunk(name, 'dfs', 1);
    expect(result.minimal).toBe(true);
    expect(result.after.ops).toBeLessThan(result.before.ops);
    await expectOneMinimal(result, first.violation.kind);
  });

  // An outside audit deleted one op of a "1-minimal" trace, its step's interrupts kept, and met
  // the bug still (2 of 9 traces): each op is now also tried alone.
  it('an op that can go alone, its step\'s interrupts kept for the next op, goes (stale-nested: 2 steps → 1)', async () => {
    const ref = { kind: 'module', path: 'test/explore/fixtures/staleNested.ts' } as const;
    const scenario = await loadScenario(ref);
    const spec = campaignSpec({ scenario, scenarioRef: ref, strategy: 'pct', seed: 1, iterations: 1000 });
    const first = runCampaignHere(scenario, spec).first!;
    expect(first.violation.kind).toBe('staleCancel');
    const result = await shrink({
      scenario, scenarioRef: ref, seed: first.workloadSeed, steps: first.steps, config: spec.config, stopOn: 'any',
      choices: ChoiceLog.deserialize(first.choices!), kind: 'staleCancel', strategyName: 'pct',
    });
    expect(result.minimal).toBe(true);
    expect(result.after.steps).toBe(1);
    await expectOneMinimal(result, 'staleCancel');
  });

  it('cuts client ops, not only interrupts: steps fall', async () => {
    const { result } = await shrunk('stale-handle', 'random', 3);
    expect(result.after.steps).toBeLessThan(result.before.steps);
    expect(result.after.ops).toBeLessThan(result.before.ops);
  });

  it('never grows the trace, whatever the seed and strategy', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('stale-handle', 'read-then-cancel', 'pooled-stale-cancel', 'wrong-cancel-service'),
      fc.constantFrom<StrategyName>('random', 'pct'),
      fc.integer({ min: 1, max: 1000 }),
      async (name, strategy, seed) => {
        // A seed whose campaign finds nothing within its budget has nothing to shrink.
        fc.pre(found(name, strategy, seed) !== null);
        const { first, result } = await shrunk(name, strategy, seed);
        noLarger(result.after, result.before);
        expect(result.trace.steps).toBeLessThanOrEqual(first.steps);
        expect(result.result.firstViolation?.kind).toBe(first.violation.kind);
      },
    ), { numRuns: 8, seed: 42 });
  });

  it('drops the IRQs a bug does not need', async () => {
    const { result } = await shrunk('sync-service-at-interrupt', 'random', 5);
    // One IRQ is all this bug takes: any moment inside a Hw_Int_Proc is interrupt time (SPEC §1),
    // so it need not even interrupt ring-0 code.
    expect(result.after.irqs).toBe(1);
    expect(result.after.preemptions).toBeLessThanOrEqual(result.before.preemptions);
  });

  it('runs the bug on fewer VMs when it does not need them all', async () => {
    const { result } = await shrunk('wrong-cancel-service', 'random', 3);
    expect(result.before.vms).toBe(2);
    // The VM event must wait for the other VM: this one cannot lose a VM.
    expect(result.after.vms).toBe(2);
    const flaky = await shrunk('stale-handle', 'random', 3);
    expect(flaky.result.after.vms).toBe(1);
  });

  it('reports every measure before and after', async () => {
    const { result } = await shrunk('livelock', 'pct', 1);
    for (const key of SIZE_KEYS) expect(typeof result.after[key]).toBe('number');
  });
});

// An end-of-run invariant (`atEnd`) is judged when the run ends: a candidate whose ops run out
// is the run before that step, judged there (it was refused, so such a finding kept every op:
// "steps 40 → 40, ops 40 → 40" while dfs found the same bug in 5 steps).
describe('shrinking a finding of an end-of-run invariant', () => {
  const IRQ = 15;
  type Scsi = { outstanding: number; submitted: number; completed: number };
  const scenario = defineScenario({
    name: 'lost-update-at-end', vms: 1, steps: 40,
    devices: [defineDevice<Scsi>({
      name: 'scsi', state: () => ({ outstanding: 0, submitted: 0, completed: 0 }),
      irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 250 }], entries: ['submit', 'status'],
      procs: {
        hwInt(r) {
          r.takeHardwareRequest(IRQ);
          r.physEoi(r.irqHandle(IRQ));
          if (r.state.outstanding === 0) return;
          r.state.outstanding--;
          r.state.completed++;
        },
        // An interrupt at the service call loses its decrement.
        submit(r) {
          const v = r.state.outstanding;
          r.currentVm();
          r.state.outstanding = v + 1;
          r.state.submitted++;
        },
        status(r) {
          r.currentVm();
        },
      },
    })],
    invariants: [{
      name: 'accountingDrift', atEnd: true,
      check: (view) => {
        const s = view.device<Scsi>('scsi');
        return s.outstanding === s.submitted - s.completed ? undefined : `outstanding ${s.outstanding}`;
      },
    }],
  });

  it('drops the steps and ops after the bug, to a 1-minimal run that replays exactly', async () => {
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 1, steps: 40 }, strategy: 'portfolio', seed: 1, iterations: 500, steps: 40 });
    const first = runCampaignHere(scenario, spec).first!;
    expect(first.violation.kind).toBe('accountingDrift');
    expect(first.steps).toBe(40);
    const result = await shrink({
      scenario, scenarioRef: spec.scenarioRef, seed: first.workloadSeed, steps: first.steps, config: spec.config, stopOn: 'any',
      choices: ChoiceLog.deserialize(first.choices!), kind: 'accountingDrift', strategyName: 'portfolio',
    });
    expect(result.minimal).toBe(true);
    expect(result.after.steps).toBeLessThan(10);
    expect(result.after.ops).toBeLessThan(10);
    expect(result.result.firstViolation?.kind).toBe('accountingDrift');
    // Replayed through the same scenario object, the shrunk trace ends on the same finding, step for step.
    const replay = replayTrace(result.trace, scenario);
    expect(replay.divergence).toBeNull();
    expect(replay.result?.steps).toBe(result.after.steps);
  });
});
