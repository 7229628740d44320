/**
 * Shrinking replays an edited script's choices step by step (src/explore/stepChoices.ts): an
 * element deleted in one step leaves every other step's answers where they were. The case: a
 * decoy IRQ whose handler enables interrupts and asks three more preemption points, and the one
 * IRQ the bug needs, two steps later, inside a trap handler's window.
 */
import { describe, expect, it } from 'vitest';
import { ChoiceLog, KIND_CODE } from '../../src/actors/sim/choiceLog.js';
import { shrink } from '../../src/explore/shrink.js';
import { runScript, type Script, type ShrinkContext } from '../../src/explore/shrinkRun.js';
import { quietAfter, unitsOf, withoutUnits } from '../../src/explore/shrinkUnits.js';
import { StepAlignedReplay, SteppedChoices } from '../../src/explore/stepChoices.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

const NOISE_IRQ = 3;
const TARGET_IRQ = 5;

const noise = defineDevice<{ ticks: number }>({
  name: 'noise',
  state: () => ({ ticks: 0 }),
  irqs: [{ irq: NOISE_IRQ, hwIntProc: 'tick', meanIntervalTicks: 100 }],
  procs: {
    tick(r) {
      r.takeHardwareRequest(NOISE_IRQ);
      r.physEoi(r.irqHandle(NOISE_IRQ));
      r.state.ticks++;
      // Interrupts on, three services: three preemption points inside the handler.
      r.sti();
      r.currentVm();
      r.sysVm();
      r.currentVm();
      r.cli();
    },
  },
});

const target = defineDevice<{ busy: boolean }>({
  name: 'target',
  state: () => ({ busy: false }),
  irqs: [{ irq: TARGET_IRQ, hwIntProc: 'hit', meanIntervalTicks: 100 }],
  entries: ['poke'],
  procs: {
    poke(r) {
      r.sti();
      r.state.busy = true;
      r.currentVm();
      r.state.busy = false;
    },
    hit(r) {
      r.takeHardwareRequest(TARGET_IRQ);
      r.physEoi(r.irqHandle(TARGET_IRQ));
      if (r.state.busy) r.fail('hitWhileBusy', 'the target IRQ landed inside poke');
    },
  },
});

const scenario = defineScenario({
  name: 'step-aligned-shrink', vms: 1, devices: [noise, target],
  mix: { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});
const ref = { kind: 'module', path: 'step-aligned-shrink', vms: 1 } as const;
const config = { handleMode: 'checked', latitude: false } as const;
const ctx: ShrinkContext = { seed: 1, config, stopOn: 'any', strategyName: 'test' };
const STEPS = 6;

/** The quiet run's script with IRQ answers set: `irqs` lists [step, entry within the step, source bits]. */
function edited(quiet: Script, irqs: readonly [step: number, entry: number, bits: number][]): SteppedChoices {
  const log = new ChoiceLog();
  const bounds = [quiet.bootTo];
  for (let at = 0; at < quiet.bootTo; at++) log.addCode(quiet.choices.kinds[at]!, quiet.choices.values[at]!);
  quiet.steps.forEach((step, index) => {
    for (let at = step.choiceFrom; at < step.choiceTo; at++) {
      const entry = at - step.choiceFrom;
      const set = irqs.find(([s, e]) => s === index && e === entry);
      log.addCode(quiet.choices.kinds[at]!, set?.[2] ?? quiet.choices.values[at]!);
    }
    bounds.push(log.length);
  });
  return new SteppedChoices(log, bounds);
}

describe('shrinking aligns answers per step', () => {
  const quiet = runScript(ctx, scenario, ref, null, new ChoiceLog(), STEPS)!;
  const ops = quiet.script.ops;
  // Sources are numbered in device order: noise is source 0, target source 1.
  const found = runScript(ctx, scenario, ref, ops, edited(quiet.script, [[0, 0, 1 << 0], [2, 2, 1 << 1]]), STEPS)!;

  it('the found run: the decoy in step 0 (its handler adds choice points), the needed IRQ in step 2', () => {
    expect(found.kind).toBe('hitWhileBusy');
    const irqUnits = unitsOf(found.script).filter((u) => u.k === 'irq');
    expect(irqUnits).toHaveLength(2);
    expect(found.script.steps[0]!.choiceTo - found.script.steps[0]!.choiceFrom).toBeGreaterThan(quiet.script.steps[0]!.choiceTo - quiet.script.steps[0]!.choiceFrom);
  });

  it('the decoy deleted, the run replayed step by step still fails; replayed by position it does not', () => {
    const decoy = unitsOf(found.script).find((u) => u.k === 'irq')!;
    const { ops: kept, choices } = withoutUnits(found.script, [decoy]);
    expect(runScript(ctx, scenario, ref, kept, choices, STEPS)?.kind).toBe('hitWhileBusy');
    // The same log as one flat list: the handler's answers are gone, and the needed IRQ's answer lands early.
    expect(runScript(ctx, scenario, ref, kept, choices.log, STEPS)?.kind ?? null).toBeNull();
  });

  it('shrinks the found run to the one IRQ the bug needs, 1-minimal', async () => {
    const result = await shrink({
      scenario, scenarioRef: ref, seed: 1, steps: found.result.steps, config, stopOn: 'any',
      choices: found.script.choices, ops: found.script.ops, kind: 'hitWhileBusy', strategyName: 'test',
    });
    expect(result.minimal).toBe(true);
    expect(result.after.irqs).toBe(1);
    expect(result.before.irqs).toBe(2);
  });
});

describe('an IRQ deleted with the questions its handler asked', () => {
  const quiet = runScript(ctx, scenario, ref, null, new ChoiceLog(), STEPS)!;
  const ops = quiet.script.ops;
  // Step 2's answers as the quiet run asked them: the IRQ point before the op (entry 0), then
  // those inside poke (entry 2 is inside its busy window, as the run above shows).
  const step2 = quiet.script.steps[2]!;
  /** Step 2's answers: the decoy at its first point, `handler` quiet answers for its handler, then the quiet run's others (the needed IRQ at entry 2 if `needed`). */
  function sameStep(handler: number, needed: boolean): SteppedChoices {
    const log = new ChoiceLog();
    const { kinds, values } = quiet.script.choices;
    for (let at = 0; at < quiet.script.bootTo; at++) log.addCode(kinds[at]!, values[at]!);
    const bounds = [log.length];
    quiet.script.steps.forEach((step, index) => {
      for (let at = step.choiceFrom; at < step.choiceTo; at++) {
        const entry = at - step.choiceFrom;
        if (index === 2 && entry === 0) {
          log.addCode(KIND_CODE.irq, 1 << 0);
          for (let i = 0; i < handler; i++) log.addCode(KIND_CODE.irq, 0);
          continue;
        }
        log.addCode(kinds[at]!, needed && index === 2 && entry === 2 ? 1 << 1 : values[at]!);
      }
      bounds.push(log.length);
    });
    return new SteppedChoices(log, bounds);
  }
  // How many points the decoy's handler asks (interrupts on, its services): the decoy alone, counted.
  const decoyOnly = runScript(ctx, scenario, ref, ops, sameStep(0, false), STEPS)!.script.steps[2]!;
  const handlerPoints = decoyOnly.choiceTo - decoyOnly.choiceFrom - (step2.choiceTo - step2.choiceFrom);
  const found = runScript(ctx, scenario, ref, ops, sameStep(handlerPoints, true), STEPS)!;

  it('the found run: the decoy and the needed IRQ in one step, the decoy\'s handler asking its points between them', () => {
    expect(handlerPoints).toBeGreaterThanOrEqual(3); // its three services with interrupts on, at least
    expect(found.kind).toBe('hitWhileBusy');
    expect(found.script.steps[2]!.choiceTo - found.script.steps[2]!.choiceFrom).toBe(step2.choiceTo - step2.choiceFrom + handlerPoints);
  });

  it('the decoy deleted alone shifts the needed IRQ out of the window; deleted with its handler\'s answers, the bug stays', () => {
    const decoy = unitsOf(found.script).find((u) => u.k === 'irq')!;
    expect(quietAfter(found.script, decoy.at)).toBeGreaterThanOrEqual(handlerPoints);
    const alone = withoutUnits(found.script, [decoy]);
    expect(runScript(ctx, scenario, ref, alone.ops, alone.choices, STEPS)?.kind ?? null).toBeNull();
    const withQuestions = withoutUnits(found.script, [{ ...decoy, drop: handlerPoints }]);
    expect(runScript(ctx, scenario, ref, withQuestions.ops, withQuestions.choices, STEPS)?.kind).toBe('hitWhileBusy');
  });

  it('shrinks to the one IRQ the bug needs, 1-minimal', async () => {
    const result = await shrink({
      scenario, scenarioRef: ref, seed: 1, steps: found.result.steps, config, stopOn: 'any',
      choices: found.script.choices, ops: found.script.ops, kind: 'hitWhileBusy', strategyName: 'test',
    });
    expect(result.before.irqs).toBe(2);
    expect(result.after.irqs).toBe(1);
    expect(result.minimal).toBe(true);
  });
});

describe('StepAlignedReplay', () => {
  // boot: order 1 | step 0: irq 4, irq 2 | step 1: idle, irq 8 | shutdown: order 0 (quiet), irq 16
  const log = ChoiceLog.deserialize([
    [KIND_CODE.order, 1, 1], [KIND_CODE.irq, 4, 1], [KIND_CODE.irq, 2, 1], [KIND_CODE.idle, 1, 1], [KIND_CODE.irq, 8, 1],
    [KIND_CODE.order, 0, 1], [KIND_CODE.irq, 16, 1],
  ]);
  const stepped = (): StepAlignedReplay => new StepAlignedReplay(new SteppedChoices(log, [1, 3, 5], 5));
  const point = { ticks: 0, inRing0: false, eligibleSources: 0xff };

  it('gives the boot its segment, each step its own, the shutdown its own, and quiet answers past a segment', () => {
    const replay = stepped();
    expect(replay.nextGlobalEvent(3)).toBe(1); // the boot's order answer
    expect(replay.irqArrivals(point)).toBe(0); // the boot asks past its segment
    replay.beginStep(); // step 0: irq 4, irq 2
    expect(replay.irqArrivals(point)).toBe(4);
    replay.beginStep(); // step 1: idle, irq 8; step 0's unused irq 2 is dropped
    expect(replay.clientStillRunning()).toBe(true);
    expect(replay.irqArrivals(point)).toBe(8);
    expect(replay.irqArrivals(point)).toBe(0); // more than the step had
    replay.beginStep(); // past the last step: quiet, and the shutdown's answers are not taken
    expect(replay.clientStillRunning()).toBe(false);
    expect(replay.irqArrivals(point)).toBe(0);
    replay.beginShutdown();
    // "a question finds the next answer of its kind, past quiet answers of other kinds (questions this candidate no longer asks)"
    expect(replay.irqArrivals(point)).toBe(16);
  });

  it('a candidate that shut down after fewer steps still gets the shutdown answers', () => {
    const replay = stepped();
    replay.beginStep();
    replay.beginShutdown();
    expect(replay.irqArrivals(point)).toBe(16);
  });

  it('a question the recorded run did not ask gets the quiet answer and leaves a non-quiet answer of another kind in place', () => {
    const replay = stepped();
    replay.beginStep();
    replay.beginStep(); // step 1: idle, irq 8
    expect(replay.callNow()).toBe(true); // "where a non-quiet answer of another kind ... comes first": quiet, nothing taken
    expect(replay.irqArrivals(point)).toBe(0); // the idle entry still comes first
    expect(replay.clientStillRunning()).toBe(true);
    expect(replay.irqArrivals(point)).toBe(8);
  });

  it('answers an idle step only where the step has one, and masks IRQs to the eligible sources', () => {
    const replay = stepped();
    replay.beginStep();
    expect(replay.clientStillRunning()).toBe(false);
    expect(replay.irqArrivals({ ...point, eligibleSources: 1 })).toBe(0);
    replay.beginStep();
    expect(replay.clientStillRunning()).toBe(true);
    expect(replay.irqArrivals(point)).toBe(8);
  });
});
