/**
 * The elements of a run that shrinking deletes, one at a time or in chunks:
 * - `op`: a client op, with its step (the choices of that step go with it: the IRQ point before
 *   the op and those inside the ring-0 code it ran would otherwise land on the next op);
 * - `irq`: one IRQ source asserting at one preemption point (that bit of the answer cleared) and,
 *   with `drop`, that many of the quiet answers right after it in its segment: the questions its
 *   handler asked (and a callback the handler ran inline), which the run without it never asks;
 * - `decision`: a non-FIFO order of pending global events (→ FIFO) or a "schedule instead"
 *   latitude answer (→ call now);
 * - `idle`: a step where the VM's op was late on threads and an interrupt was taken meanwhile.
 * The VM count is the one more element (shrink.ts tries fewer VMs). And once none of these can
 * go, each op alone (`opAlone`): the op deleted, its step's choices kept as the first answers of
 * the next step (an IRQ the bug needs may come before the op it interrupted, not because of it).
 * It is not an element of `unitsOf` (ddmin's chunks): shrink.ts tries it one op at a time, as
 * it tries each IRQ with every `drop` (`quietAfter`).
 *
 * The boot's answers and the shutdown's (stepChoices.ts) hold elements too: an IRQ while a
 * device initializes, or while System_Exit runs, can go like any other.
 *
 * `withoutUnits` builds the script with some elements deleted, its choices kept per step
 * (stepChoices.ts); it is replayed and recorded again, so the kept script is always the exact
 * record of a run.
 */
import { ChoiceLog } from '../actors/sim/choiceLog.js';
import type { ClientOp } from '../vmm/clientOps.js';
import type { Script } from './shrinkRun.js';
import { isQuietAnswer, SteppedChoices } from './stepChoices.js';

const KIND_IRQ = 0;
const KIND_ORDER = 1;
const KIND_LATITUDE = 2;
const KIND_IDLE = 3;

export type Unit =
  | { k: 'op'; step: number }
  | { k: 'opAlone'; step: number }
  | { k: 'irq'; at: number; bit: number; drop?: number }
  | { k: 'decision'; at: number }
  | { k: 'idle'; at: number };

/** The script's answer segments in run order: the boot's, each step's, the shutdown's. */
function segmentsOf(script: Script): [from: number, to: number, step: number][] {
  const segments: [number, number, number][] = [[0, script.bootTo, -1]];
  script.steps.forEach((step, index) => segments.push([step.choiceFrom, step.choiceTo, index]));
  segments.push([script.shutdownFrom, script.choices.length, -1]);
  return segments;
}

/** Every element of a script, in the order of the run. */
export function unitsOf(script: Script): Unit[] {
  const units: Unit[] = [];
  const { choices } = script;
  for (const [from, to, step] of segmentsOf(script)) {
    for (let at = from; at < to; at++) {
      const kind = choices.kinds[at]!;
      const value = choices.values[at]!;
      if (kind === KIND_IRQ) {
        for (let bit = 0; bit < 31; bit++) if ((value & (1 << bit)) !== 0) units.push({ k: 'irq', at, bit });
      } else if ((kind === KIND_ORDER && value !== 0) || (kind === KIND_LATITUDE && value === 0)) units.push({ k: 'decision', at });
      else if (kind === KIND_IDLE) units.push({ k: 'idle', at });
    }
    if (step >= 0 && script.steps[step]!.op !== null) units.push({ k: 'op', step });
  }
  return units;
}

/** How many quiet answers follow answer `at` in its segment before a non-quiet one: the most an IRQ there may `drop`. */
export function quietAfter(script: Script, at: number): number {
  const { kinds, values } = script.choices;
  const to = segmentsOf(script).find(([from, end]) => at >= from && at < end)?.[1] ?? at + 1;
  let count = 0;
  while (at + 1 + count < to && isQuietAnswer(kinds[at + 1 + count]!, values[at + 1 + count]!)) count++;
  return count;
}

/** The ops and choices of `script` without the given elements. */
export function withoutUnits(script: Script, removed: readonly Unit[]): { ops: Map<number, ClientOp[]>; choices: SteppedChoices } {
  const droppedSteps = new Set<number>();
  const opsAlone = new Set<number>();
  const cleared = new Map<number, number>();
  const quieted = new Set<number>();
  const deleted = new Set<number>();
  for (const unit of removed) {
    if (unit.k === 'op') droppedSteps.add(unit.step);
    else if (unit.k === 'opAlone') opsAlone.add(unit.step);
    else if (unit.k === 'irq') {
      cleared.set(unit.at, (cleared.get(unit.at) ?? 0) | (1 << unit.bit));
      for (let at = unit.at + 1; at <= unit.at + (unit.drop ?? 0); at++) deleted.add(at);
    } else if (unit.k === 'decision') quieted.add(unit.at);
    else deleted.add(unit.at);
  }
  const ops = new Map<number, ClientOp[]>();
  const choices = new ChoiceLog();
  const log = script.choices;
  const copy = (from: number, to: number): void => {
    for (let at = from; at < to; at++) {
      if (deleted.has(at)) continue;
      const kind = log.kinds[at]!;
      let value = log.values[at]!;
      if (kind === KIND_IRQ) value &= ~(cleared.get(at) ?? 0);
      else if (quieted.has(at)) value = kind === KIND_ORDER ? 0 : 1;
      choices.addCode(kind, value);
    }
  };
  copy(0, script.bootTo);
  const bounds = [choices.length];
  script.steps.forEach((step, index) => {
    if (droppedSteps.has(index)) return;
    const alone = opsAlone.has(index);
    if (step.op !== null && !alone) {
      const list = ops.get(step.vm) ?? [];
      list.push(step.op);
      ops.set(step.vm, list);
    }
    copy(step.choiceFrom, step.choiceTo);
    // An op deleted alone ends no step: its answers open the next step's segment.
    if (!alone) bounds.push(choices.length);
  });
  const shutdownFrom = choices.length;
  copy(script.shutdownFrom, log.length);
  return { ops, choices: new SteppedChoices(choices, bounds, shutdownFrom) };
}

/** How many elements of each kind a script has. */
export function unitCounts(script: Script): { ops: number; irqs: number; decisions: number; idles: number } {
  const counts = { ops: 0, irqs: 0, decisions: 0, idles: 0 };
  for (const unit of unitsOf(script)) {
    if (unit.k === 'op') counts.ops++;
    else if (unit.k === 'irq') counts.irqs++;
    else if (unit.k === 'decision') counts.decisions++;
    else if (unit.k === 'idle') counts.idles++;
  }
  return counts;
}
