// The 'idle' choice (ChoiceSource.clientStillRunning): on threads, the current VM's next op may
// not have arrived when an IRQ is raised; the step then ends at its preemption point and the
// next step takes the interrupt. The recorded log must make a replay take the same idle steps.
import { describe, expect, it } from 'vitest';
import { ChoiceLog, RecordingChoices, ReplayChoices } from '../../../src/actors/sim/choiceLog.js';
import { QUIET_CHOICES, type ChoiceSource } from '../../../src/vmm/choices.js';
import type { ClientOp } from '../../../src/vmm/clientOps.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import { copyRecord } from '../../../src/vmm/recordRing.js';
import { Vmm } from '../../../src/vmm/vmm.js';
import { timer } from '../../../src/devices/timer.js';

/** A VM whose ops are counted, and a scripted "op not here yet" at the given step numbers. */
function machineWithIdle(idleAtSteps: number[], choices: ChoiceSource = QUIET_CHOICES) {
  let step = 0;
  let opsTaken = 0;
  const source: ChoiceSource = {
    irqArrivals: (point) => (idleAtSteps.includes(step - 1) ? point.eligibleSources : choices.irqArrivals(point)),
    nextGlobalEvent: () => 0,
    callNow: () => true,
    clientStillRunning: () => idleAtSteps.includes(step),
  };
  const records: HistoryRecord[] = [];
  const vmm = new Vmm({ vms: 1 }, [timer], source, { next: (): ClientOp => (opsTaken++, { op: 'run', ticks: 5 }) }, (r) => records.push(copyRecord(r)));
  return {
    vmm, records,
    run(steps: number) {
      for (step = 0; step < steps; step++) vmm.step();
    },
    get opsTaken() {
      return opsTaken;
    },
  };
}

describe('the idle choice', () => {
  it('a step whose op has not arrived takes no op; the next step takes the interrupt raised meanwhile', () => {
    const m = machineWithIdle([2]);
    m.run(5);
    expect(m.opsTaken).toBe(4);
    const enters = m.records.filter((r) => r.k === 'irqEnter');
    expect(enters).toHaveLength(1);
    // Taken between client steps (the VM's code was running): it did not interrupt the VMM.
    expect(enters[0]!.reenter).toBe(0);
    expect(enters[0]!.ctx).toBe('hwint');
  });

  it('is recorded only when true, and a replay takes the idle steps exactly where the recording did', () => {
    const inner: ChoiceSource = { ...QUIET_CHOICES, clientStillRunning: (() => { let n = 0; return () => [1, 2].includes(n++); })() };
    const recording = new RecordingChoices(inner);
    const point = { ticks: 0, inRing0: false, eligibleSources: 1 };
    // Each step: its IRQ point, then the question.
    const answers = Array.from({ length: 4 }, () => (recording.irqArrivals(point), recording.clientStillRunning(1)));
    expect(answers).toEqual([false, true, true, false]);
    expect(recording.log.kinds).toEqual([0, 0, 3, 0, 3, 0]);

    const replay = new ReplayChoices(ChoiceLog.deserialize(recording.log.serialize()), true);
    expect(Array.from({ length: 4 }, () => (replay.irqArrivals(point), replay.clientStillRunning()))).toEqual(answers);
    expect(replay.exhausted).toBe(true);
  });

  it('is asked once per recorded choice: with no IRQ point between, a second question answers false unasked', () => {
    // A replay answers true where an 'idle' entry comes next. Had the recording answered false,
    // then true, with no entry between, the replay would take the idle step one question early
    // (it did: VCD's threaded runs, whose one IRQ source often still asserts, diverged).
    let asked = 0;
    const inner: ChoiceSource = { ...QUIET_CHOICES, clientStillRunning: () => (asked++, asked === 2) };
    const recording = new RecordingChoices(inner);
    const answers = [recording.clientStillRunning(1), recording.clientStillRunning(1), recording.clientStillRunning(1)];
    expect(answers).toEqual([false, false, false]);
    expect(asked).toBe(1);
    expect(recording.log.length).toBe(0);
    recording.callNow();
    expect(recording.clientStillRunning(1)).toBe(true);
    expect(asked).toBe(2);
  });
});
