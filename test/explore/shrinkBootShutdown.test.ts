/**
 * The boot's and the shutdown's answers hold elements too (src/explore/shrinkUnits.ts): an IRQ
 * while Device_Init runs, or while System_Exit runs, is counted and can be deleted, and a
 * violation met at shutdown keeps the answers that led to it however many steps a candidate
 * runs. An outside audit found every "1-minimal" trace of a System_Exit bug kept all 20 of its
 * ops (the same bug replays with none) and reported "IRQs 0 → 0" beside its one IRQ; and traces
 * of a Device_Init bug kept boot IRQs that could go one at a time.
 */
import { describe, expect, it } from 'vitest';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import { shrink, type ShrinkResult } from '../../src/explore/shrink.js';
import { runScript, type ScriptRun, type ShrinkContext } from '../../src/explore/shrinkRun.js';
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

const CARD_IRQ = 5;
const CARD_SOURCE = 1 << 0; // sources are numbered in device order: the card is the first

/**
 * System_Exit ("Interrupts remain enabled while virtual devices process this message") frees
 * the card's ring, then masks its line after a service call: an IRQ there writes into freed
 * memory. Device_Init ("Hardware interrupts are enabled") makes two service calls before the
 * ring exists: an IRQ at either finds none.
 */
const card = defineDevice<{ ring: number[] | null; freed: boolean }>({
  name: 'card',
  state: () => ({ ring: null, freed: false }),
  irqs: [{ irq: CARD_IRQ, hwIntProc: 'block', meanIntervalTicks: 200 }],
  entries: ['poll'],
  control: { Device_Init: 'init', System_Exit: 'exit' },
  procs: {
    init(r) {
      r.sysVm();
      r.currentVm();
      r.state.ring = [];
    },
    exit(r) {
      r.state.ring = null;
      r.state.freed = true;
      r.sysVm();
      r.physicallyMask(r.irqHandle(CARD_IRQ));
    },
    block(r) {
      r.takeHardwareRequest(CARD_IRQ);
      r.physEoi(r.irqHandle(CARD_IRQ));
      if (r.state.freed) r.fail('writeAfterFree', 'the block interrupt wrote into the ring System_Exit freed');
      else if (r.state.ring === null) r.fail('interruptBeforeInit', 'the block interrupt came before Device_Init made the ring');
      else r.state.ring.push(1);
    },
    poll(r) {
      r.currentVm();
    },
  },
});

const scenario: Scenario = defineScenario({
  name: 'boot-and-shutdown-irqs', vms: 1, devices: [card],
  mix: { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});
const ref = { kind: 'module', path: 'boot-and-shutdown-irqs', vms: 1 } as const;
const config = { handleMode: 'checked', latitude: false } as const;
const ctx: ShrinkContext = { seed: 1, config, stopOn: 'any', strategyName: 'test' };
const STEPS = 10;

/** The quiet run of STEPS polls, with the card asserting at every IRQ point of the boot (or of the shutdown). */
function found(where: 'boot' | 'shutdown'): { choices: ChoiceLog; quiet: ScriptRun } {
  const quiet = runScript(ctx, scenario, ref, null, new ChoiceLog(), STEPS)!;
  const { script } = quiet;
  // The shutdown's answers: those asked after the last step.
  const lastStepEnd = script.steps.at(-1)?.choiceTo ?? script.bootTo;
  const [from, to] = where === 'boot' ? [0, script.bootTo] : [lastStepEnd, script.choices.length];
  expect(to).toBeGreaterThan(from);
  const choices = new ChoiceLog();
  for (let at = 0; at < script.choices.length; at++) {
    const kind = script.choices.kinds[at]!;
    choices.addCode(kind, at >= from && at < to && kind === 0 ? CARD_SOURCE : script.choices.values[at]!);
  }
  return { choices, quiet };
}

async function shrinkFound(where: 'boot' | 'shutdown', kind: string): Promise<ShrinkResult> {
  const { choices, quiet } = found(where);
  const run = runScript(ctx, scenario, ref, quiet.script.ops, choices, STEPS)!;
  expect(run.kind).toBe(kind);
  return shrink({
    scenario, scenarioRef: ref, seed: 1, steps: run.result.steps, config, stopOn: 'any',
    choices, ops: quiet.script.ops, kind, strategyName: 'test',
  });
}

describe('shrinking a bug met while the machine shuts down', () => {
  it('keeps the System_Exit IRQ, counts it, and deletes every op: none plays a part', async () => {
    const result = await shrinkFound('shutdown', 'writeAfterFree');
    expect(result.before.ops).toBe(STEPS);
    expect(result.before.irqs).toBeGreaterThanOrEqual(1);
    expect(result.after).toMatchObject({ steps: 0, ops: 0, irqs: 1 });
    expect(result.minimal).toBe(true);
    // The kept trace is the exact record of that run: replayed by position it ends in the same bug.
    const kept = runScript(ctx, scenario, ref, new Map(), ChoiceLog.deserialize(result.trace.choices), 0);
    expect(kept?.kind).toBe('writeAfterFree');
  });
});

describe('shrinking a bug met while the machine boots', () => {
  it('counts the boot IRQs and deletes the one the bug does not need', async () => {
    const result = await shrinkFound('boot', 'interruptBeforeInit');
    // "Device_Init makes two service calls before the ring exists": two IRQ points, the card asserting at both.
    expect(result.before.irqs).toBe(2);
    expect(result.after.irqs).toBe(1);
    expect(result.after.ops).toBe(0);
    expect(result.minimal).toBe(true);
  });
});
