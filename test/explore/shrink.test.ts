import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { runCampaignHere } from '../../src/explore/campaign.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { shrink, smaller, SIZE_KEYS, type TraceSize } from '../../src/explore/shrink.js';
import type { StrategyName } from '../../src/explore/spec.js';
import { loadScenario } from '../../src/scenario/load.js';

/** The first violation a campaign finds on a zoo bug, ready to shrink. */
function found(name: string, strategy: StrategyName, seed: number) {
  const entry = ZOO.find((e) => e.name === name)!;
  const scenario = entry.scenario(false);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed: false }, strategy, seed, iterations: 300, steps: 40 });
  const first = runCampaignHere(scenario, spec).first;
  return first === null ? null : { scenario, spec, first };
}

async function shrunk(name: string, strategy: StrategyName, seed: number) {
  const bug = found(name, strategy, seed);
  if (bug === null) throw new Error(`${name}: nothing found with ${strategy}, seed ${seed}`);
  const { scenario, spec, first } = bug;
  const result = await shrink({
    scenario, scenarioRef: spec.scenarioRef, seed: spec.seed, steps: first.steps, config: spec.config, stopOn: 'any',
    choices: ChoiceLog.deserialize(first.choices!), kind: first.violation.kind, strategyName: strategy,
  });
  return { scenario, first, result };
}

function noLarger(after: TraceSize, before: TraceSize): void {
  for (const key of SIZE_KEYS) expect(after[key], key).toBeLessThanOrEqual(before[key]);
}

describe('shrinking', () => {
  it.each(ZOO.map((e) => e.name))('keeps the %s violation, never grows the trace, and the result replays strictly', async (name) => {
    const { first, result } = await shrunk(name, 'random', 3);
    expect(result.trace.expect.firstViolation?.kind).toBe(first.violation.kind);
    noLarger(result.after, result.before);
    const replay = replayTrace(result.trace, await loadScenario(result.trace.scenario));
    expect(replay.divergence).toBeNull();
    expect(replay.result?.firstViolation?.kind).toBe(first.violation.kind);
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
    ), { numRuns: 8 });
  });

  it('drops the IRQs a bug does not need', async () => {
    const { result } = await shrunk('sync-service-at-interrupt', 'pct', 5);
    // One IRQ is all this bug takes: any moment inside a Hw_Int_Proc is interrupt time (SPEC §1),
    // so it need not even interrupt ring-0 code.
    expect(result.after.irqs).toBe(1);
    expect(result.after.preemptions).toBe(0);
  });

  it('runs the bug on fewer VMs when it does not need them all', async () => {
    const { result } = await shrunk('wrong-cancel-service', 'random', 3);
    expect(result.before.vms).toBe(2);
    // The VM event must wait for the other VM: this one cannot lose a VM.
    expect(result.after.vms).toBe(2);
    const flaky = await shrunk('stale-handle', 'random', 3);
    expect(flaky.result.after.vms).toBe(1);
  });

  it('keeps a candidate only when nothing grows and something falls', () => {
    const base: TraceSize = { steps: 10, choices: 40, irqs: 3, preemptions: 2, decisions: 1, vms: 2 };
    expect(smaller({ ...base, irqs: 2 }, base)).toBe(true);
    expect(smaller(base, base)).toBe(false);
    expect(smaller({ ...base, irqs: 2, steps: 11 }, base)).toBe(false);
  });
});
