/**
 * Shrinking a violation to a 1-minimal run: delta debugging (ddmin, Zeller and Hildebrandt,
 * TSE 2002) over the run's elements (shrinkUnits.ts: client ops, IRQs, event-order and latitude
 * decisions, idle steps, the boot's and the shutdown's included), then each op alone (its step's
 * answers kept for the next step), each IRQ with the questions its handler asked, then the VM
 * count, until no single element can be removed with a violation of the same kind still reached
 * (a throw: the same throw, thrown.ts).
 *
 * A candidate deletes a chunk of elements and is replayed (shrinkRun.ts) for at most as many
 * steps as the current run; it is kept if its run stops at a violation of the same kind, and
 * its run is recorded again, so the kept script is the exact record of a run and replays
 * strictly. A candidate's choices are replayed step by step (stepChoices.ts: deleting an
 * element does not shift the answers of the other steps). A replayed candidate can only lose
 * elements (ops come from the explicit list, IRQs and decisions from each step's answers; past
 * either, the run is quiet or ends), so each kept candidate
 * has fewer elements than the one before, and shrinking terminates. ddmin tries chunks of
 * halving size; it ends when every single element has been tried on the current run in vain:
 * 1-minimal. A budget of candidate runs bounds the work; `minimal` says whether it got there.
 *
 * Any trace shrinks: one found by any strategy, or one recorded on threads (its seeded
 * workload is made explicit by the first run).
 */
import { ChoiceLog } from '../actors/sim/choiceLog.js';
import type { SimRunResult } from '../actors/sim/simRun.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunConfig, ScenarioRef, TraceFile } from '../shared/trace.js';
import type { ClientOp } from '../vmm/clientOps.js';
import { runScript, scriptTrace, type Script, type ScriptRun, type ShrinkContext } from './shrinkRun.js';
import { quietAfter, unitCounts, unitsOf, withoutUnits, type Unit } from './shrinkUnits.js';
import type { StopClass } from './spec.js';
import type { SteppedChoices } from './stepChoices.js';
import { isThrownKind } from './thrown.js';
import { DEFAULT_MAX_CANDIDATES } from './shrinkBudget.js';

export interface TraceSize {
  steps: number;
  /** Client ops the run consumed. */
  ops: number;
  choices: number;
  /** IRQ assertions in the choices. */
  irqs: number;
  /** IRQs taken inside ring-0 code (they re-entered the VMM). */
  preemptions: number;
  /** Non-FIFO orders and "schedule instead" latitude answers. */
  decisions: number;
  vms: number;
}

export const SIZE_KEYS = ['steps', 'ops', 'choices', 'irqs', 'preemptions', 'decisions', 'vms'] as const satisfies readonly (keyof TraceSize)[];

export interface ShrinkInput {
  scenario: Scenario;
  scenarioRef: ScenarioRef;
  seed: number;
  steps: number;
  config: RunConfig;
  stopOn: StopClass;
  choices: ChoiceLog;
  /** The explicit workload, if the trace has one; else the seeded workload. */
  ops?: ReadonlyMap<number, readonly ClientOp[]>;
  /** The violation kind every candidate must still end in. */
  kind: string;
  /** A thrown finding (thrown.ts): the one-line message every candidate must end on too (the same throw). */
  message?: string;
  strategyName: string;
  command?: string;
  /** Candidate runs at most (default 20,000). */
  maxCandidates?: number;
  /** Polled before each candidate: true stops the shrink there (Ctrl-C, SIGTERM), with the run kept so far. */
  cancelled?: () => boolean;
  /**
   * Given the trace of each candidate kept, as it is kept: a later candidate may never return
   * (a driver loop only a removed op ended), and the watchdog that ends it ends this thread with it.
   */
  onKept?: (trace: TraceFile) => void;
}

export interface ShrinkResult {
  trace: TraceFile;
  result: SimRunResult;
  before: TraceSize;
  after: TraceSize;
  candidates: number;
  accepted: number;
  /** No single element (op with its step or alone, IRQ with or without its handler's questions, decision, idle step, VM) can go: checked on the result. */
  minimal: boolean;
  /** Stopped by `cancelled` (the trace is the smallest run kept so far, not proven minimal). */
  interrupted: boolean;
}

export { DEFAULT_MAX_CANDIDATES };

export class ShrinkError extends Error {
  override readonly name = 'ShrinkError';
}

export async function shrink(input: ShrinkInput): Promise<ShrinkResult> {
  const maxCandidates = input.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const ctx: ShrinkContext = {
    seed: input.seed, config: input.config, stopOn: input.stopOn, strategyName: input.strategyName,
    ...(input.command !== undefined ? { command: input.command } : {}),
  };
  const first = runScript(ctx, input.scenario, input.scenarioRef, input.ops ?? null, input.choices, input.steps);
  if (first === null || first.kind !== input.kind) {
    throw new ShrinkError(`the recorded run does not end in the violation it was found with, ${input.kind}${first?.kind ? ` (it ends in ${first.kind})` : ' (it ends in none)'}`);
  }
  // A throw is kept only as the same throw: its one line (device, procedure, message, place) unchanged.
  const message = isThrownKind(input.kind) ? input.message ?? first.result.fault?.message ?? null : null;
  if (message !== null && first.result.fault?.message !== message) {
    throw new ShrinkError(`the recorded run does not end on the throw it was found with (${message}); it ends on ${first.result.fault?.message ?? 'none'}`);
  }
  const sameFinding = (run: ScriptRun | null): run is ScriptRun => run !== null && run.kind === input.kind && (message === null || run.result.fault?.message === message);
  let current = first;
  let candidates = 0;
  let accepted = 0;

  const attempt = (ops: ReadonlyMap<number, readonly ClientOp[]>, choices: ChoiceLog | SteppedChoices, scenario = current.scenario, ref = current.ref): boolean => {
    candidates++;
    const run = runScript(ctx, scenario, ref, ops, choices, current.result.steps);
    if (!sameFinding(run)) return false;
    current = run;
    accepted++;
    input.onKept?.(scriptTrace(ctx, current));
    return true;
  };
  const withoutChunk = (removed: readonly Unit[]): boolean => {
    const { ops, choices } = withoutUnits(current.script, removed);
    return attempt(ops, choices);
  };

  let interrupted = false;
  const outOfBudget = (): boolean => candidates >= maxCandidates || (interrupted ||= input.cancelled?.() === true);
  // Fewer VMs first (one candidate can drop a whole VM's steps), then ddmin, then VMs again.
  let minimal = false;
  if ((await fewerVms(() => current, attempt, outOfBudget)) !== 'budget') {
    for (;;) {
      if (!ddmin(() => unitsOf(current.script), withoutChunk, outOfBudget)) break;
      const alone = opsAlone(() => unitsOf(current.script), withoutChunk, outOfBudget);
      if (alone === 'budget') break;
      if (alone === 'kept') continue;
      const irqs = irqsWithTheirQuestions(current.script, withoutChunk, outOfBudget);
      if (irqs === 'budget') break;
      if (irqs === 'kept') continue;
      const vms = await fewerVms(() => current, attempt, outOfBudget);
      if (vms === 'kept') continue;
      minimal = vms === 'none';
      break;
    }
  }
  return {
    trace: scriptTrace(ctx, current), result: current.result, before: sizeOf(first), after: sizeOf(current),
    candidates, accepted, minimal: minimal && !interrupted, interrupted,
  };
}

/**
 * Each op deleted alone, its step's IRQs and other answers kept for the next step (an outside
 * audit removed ops that way from 2 of 9 "1-minimal" traces and still met the bug). 'kept': one
 * went (ddmin runs again on the smaller run); 'none': none can; 'budget': out of candidates.
 */
function opsAlone(units: () => Unit[], without: (chunk: readonly Unit[]) => boolean, outOfBudget: () => boolean): 'kept' | 'none' | 'budget' {
  for (const unit of units()) {
    if (unit.k !== 'op') continue;
    if (outOfBudget()) return 'budget';
    if (without([{ k: 'opAlone', step: unit.step }])) return 'kept';
  }
  return 'none';
}

/**
 * Each IRQ deleted with the quiet answers right after it in its segment, 1 to all of them (ddmin
 * deleted it with none): the questions its handler asked, or a callback the handler ran inline,
 * which the run without the IRQ never asks. Left in place, those answers land on the questions
 * that follow, and an IRQ the bug needs lands elsewhere (an outside audit deleted such IRQs from
 * 19 of 400 "1-minimal" traces by hand and still met the bug).
 */
function irqsWithTheirQuestions(script: Script, without: (chunk: readonly Unit[]) => boolean, outOfBudget: () => boolean): 'kept' | 'none' | 'budget' {
  for (const unit of unitsOf(script)) {
    if (unit.k !== 'irq') continue;
    const most = quietAfter(script, unit.at);
    for (let drop = 1; drop <= most; drop++) {
      if (outOfBudget()) return 'budget';
      if (without([{ ...unit, drop }])) return 'kept';
    }
  }
  return 'none';
}

/**
 * ddmin's reduce-to-complement moves: delete one of n chunks; on success go on with n - 1
 * chunks of the smaller run, else with 2n. True when chunks of one element all failed.
 */
function ddmin(units: () => Unit[], without: (chunk: readonly Unit[]) => boolean, outOfBudget: () => boolean): boolean {
  let n = 2;
  for (;;) {
    const all = units();
    if (all.length === 0) return true;
    n = Math.min(n, all.length);
    const size = Math.ceil(all.length / n);
    let removed = false;
    for (let start = 0; start < all.length && !removed; start += size) {
      if (outOfBudget()) return false;
      removed = without(all.slice(start, start + size));
    }
    if (removed) n = Math.max(n - 1, 2);
    else if (size === 1) return true;
    else n = Math.min(n * 2, all.length);
  }
}

/**
 * The same run on fewer VMs (the fewest that still fail): first without the steps of the VMs
 * that go (their ops and the choices asked in them), then with every choice kept, replayed by
 * position (the steps left take the answers in the order they were asked).
 */
async function fewerVms(current: () => ScriptRun, attempt: (ops: ReadonlyMap<number, readonly ClientOp[]>, choices: ChoiceLog | SteppedChoices, scenario: Scenario, ref: ScenarioRef) => boolean, outOfBudget: () => boolean): Promise<'kept' | 'none' | 'budget'> {
  const run = current();
  for (let vms = 1; vms < run.script.vms; vms++) {
    const ref = withVms(run.ref, vms);
    const scenario = await loadScenario(ref);
    const theirSteps = unitsOf(run.script).filter((u) => u.k === 'op' && run.script.steps[u.step]!.vm > vms);
    const without = withoutUnits(run.script, theirSteps);
    for (const [ops, choices] of [[without.ops, without.choices], [run.script.ops, run.script.choices]] as const) {
      if (outOfBudget()) return 'budget';
      if (attempt(ops, choices, scenario, ref)) return 'kept';
    }
  }
  return 'none';
}

export function withVms(ref: ScenarioRef, vms: number): ScenarioRef {
  return { ...ref, vms };
}

export function sizeOf(run: ScriptRun): TraceSize {
  const counts = unitCounts(run.script);
  return {
    steps: run.result.steps, ops: counts.ops, choices: run.script.choices.length, irqs: counts.irqs,
    preemptions: run.result.counts.nestedInterrupts, decisions: counts.decisions, vms: run.script.vms,
  };
}
