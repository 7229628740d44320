/**
 * Shrinking a found violation: a smaller run that still ends in a violation of the same kind.
 *
 * The run is its recorded choices. Candidates edit the choice log and are replayed without
 * strictness (past the end of the log, or where the log no longer fits the run, every answer
 * is the quiet one: no IRQ, FIFO, call now). Each candidate run is recorded again, so the kept
 * trace holds exactly the choices its run asked for and replays strictly. Passes, repeated
 * while they make progress:
 * 1. a shorter prefix of the log (binary search on its length; the rest of the run is quiet);
 * 2. fewer decisions (delta debugging over the non-quiet answers: each IRQ source of each IRQ
 *    choice, each non-FIFO order, each "schedule instead" latitude answer), chunks halving;
 * 3. fewer VMs, when the scenario reference can carry a VM count.
 * Steps need no pass of their own: a run stops at its violation, so its step count is already
 * the least for its choices and falls as they do.
 *
 * A candidate is kept only if no measure grows (steps, choices, IRQs, preemptions, decisions,
 * VMs) and at least one falls: the trace never grows, and shrinking terminates.
 */
import { ChoiceLog, ReplayChoices } from '../actors/sim/choiceLog.js';
import { simulate } from '../actors/sim/simulate.js';
import type { SimRunResult } from '../actors/sim/simRun.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunConfig, ScenarioRef, TraceFile } from '../shared/trace.js';
import { stoppingViolation } from './execution.js';
import type { StopClass } from './spec.js';

export interface TraceSize {
  steps: number;
  choices: number;
  /** IRQ assertions in the choices. */
  irqs: number;
  /** IRQs taken inside ring-0 code (they re-entered the VMM). */
  preemptions: number;
  /** Non-FIFO orders and "schedule instead" latitude answers. */
  decisions: number;
  vms: number;
}

export const SIZE_KEYS = ['steps', 'choices', 'irqs', 'preemptions', 'decisions', 'vms'] as const satisfies readonly (keyof TraceSize)[];

export interface ShrinkInput {
  scenario: Scenario;
  scenarioRef: ScenarioRef;
  seed: number;
  steps: number;
  config: RunConfig;
  stopOn: StopClass;
  choices: ChoiceLog;
  /** The violation kind every candidate must still end in. */
  kind: string;
  strategyName: string;
  command?: string;
  /** Candidate runs at most. */
  maxCandidates?: number;
}

export interface ShrinkResult {
  trace: TraceFile;
  result: SimRunResult;
  before: TraceSize;
  after: TraceSize;
  candidates: number;
  accepted: number;
}

interface Run {
  scenario: Scenario;
  ref: ScenarioRef;
  log: ChoiceLog;
  trace: TraceFile;
  result: SimRunResult;
  size: TraceSize;
}

const KIND_IRQ = 0;
const KIND_ORDER = 1;
const KIND_LATITUDE = 2;

export async function shrink(input: ShrinkInput): Promise<ShrinkResult> {
  const maxCandidates = input.maxCandidates ?? 400;
  let candidates = 0;
  let accepted = 0;

  const execute = (scenario: Scenario, ref: ScenarioRef, log: ChoiceLog, steps: number): Run | null => {
    const { result, trace } = simulate({
      scenario, scenarioRef: ref, seed: input.seed, steps, config: input.config, stopOn: input.stopOn,
      strategy: { name: input.strategyName, choices: new ReplayChoices(log, false) },
      ...(input.command !== undefined ? { command: input.command } : {}),
    });
    if (stoppingViolation(result, input.stopOn)?.kind !== input.kind) return null;
    const recorded = ChoiceLog.deserialize(trace.choices);
    return { scenario, ref, log: recorded, trace, result, size: measure(recorded, result, scenario.vms) };
  };

  const first = execute(input.scenario, input.scenarioRef, input.choices, input.steps);
  if (first === null) throw new Error(`shrink: the recorded run does not end in a ${input.kind} violation`);
  let current = first;

  /** Runs a candidate; keeps it if it is smaller. */
  const attempt = (log: ChoiceLog, scenario = current.scenario, ref = current.ref): boolean => {
    if (candidates >= maxCandidates) return false;
    candidates++;
    const run = execute(scenario, ref, log, current.size.steps);
    if (run === null || !smaller(run.size, current.size)) return false;
    current = run;
    accepted++;
    return true;
  };

  for (let progress = true; progress && candidates < maxCandidates;) {
    const before = accepted;
    shortenPrefix(current.log, attempt);
    dropDecisions(() => current.log, attempt);
    await fewerVms(current, attempt);
    progress = accepted > before;
  }
  return { trace: current.trace, result: current.result, before: first.size, after: current.size, candidates, accepted };
}

/** Pass 1: binary search for the shortest prefix that still ends in the violation. */
function shortenPrefix(log: ChoiceLog, attempt: (log: ChoiceLog) => boolean): void {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (attempt(prefix(log, mid))) hi = mid;
    else lo = mid + 1;
  }
}

/** Pass 2: delta debugging over the non-quiet answers, chunk sizes halving down to one. */
function dropDecisions(currentLog: () => ChoiceLog, attempt: (log: ChoiceLog) => boolean): void {
  let units = decisionUnits(currentLog());
  let chunk = Math.ceil(units.length / 2);
  while (chunk >= 1 && units.length > 0) {
    let changed = false;
    for (let start = 0; start < units.length; start += chunk) {
      if (attempt(withoutUnits(currentLog(), units.slice(start, start + chunk)))) {
        units = decisionUnits(currentLog());
        changed = true;
        break;
      }
    }
    if (!changed) chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
    else chunk = Math.min(chunk, Math.ceil(units.length / 2));
  }
}

/** Pass 3: the same choices on fewer VMs (the fewest that still fail), if the reference says how many. */
async function fewerVms(current: Run, attempt: (log: ChoiceLog, scenario: Scenario, ref: ScenarioRef) => boolean): Promise<void> {
  for (let vms = 1; vms < current.size.vms; vms++) {
    const ref = withVms(current.ref, vms);
    if (attempt(current.log, await loadScenario(ref), ref)) return;
  }
}

export function withVms(ref: ScenarioRef, vms: number): ScenarioRef {
  return { ...ref, vms };
}

interface Unit {
  index: number;
  /** For an IRQ choice: the source bit to clear. */
  bit: number;
}

function decisionUnits(log: ChoiceLog): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < log.length; i++) {
    const kind = log.kinds[i]!;
    const value = log.values[i]!;
    if (kind === KIND_IRQ) {
      for (let bit = 0; bit < 31; bit++) if ((value & (1 << bit)) !== 0) units.push({ index: i, bit });
    } else if ((kind === KIND_ORDER && value !== 0) || (kind === KIND_LATITUDE && value === 0)) units.push({ index: i, bit: -1 });
  }
  return units;
}

function withoutUnits(log: ChoiceLog, units: readonly Unit[]): ChoiceLog {
  const out = prefix(log, log.length);
  for (const { index, bit } of units) {
    const kind = out.kinds[index]!;
    if (kind === KIND_IRQ) out.values[index] = out.values[index]! & ~(1 << bit);
    else out.values[index] = kind === KIND_ORDER ? 0 : 1;
  }
  return out;
}

function prefix(log: ChoiceLog, length: number): ChoiceLog {
  const out = new ChoiceLog();
  out.kinds.push(...log.kinds.slice(0, length));
  out.values.push(...log.values.slice(0, length));
  return out;
}

export function measure(log: ChoiceLog, result: SimRunResult, vms: number): TraceSize {
  let irqs = 0;
  let decisions = 0;
  for (let i = 0; i < log.length; i++) {
    const kind = log.kinds[i]!;
    const value = log.values[i]!;
    if (kind === KIND_IRQ) for (let v = value >>> 0; v !== 0; v &= v - 1) irqs++;
    else if ((kind === KIND_ORDER && value !== 0) || (kind === KIND_LATITUDE && value === 0)) decisions++;
  }
  return { steps: result.steps, choices: log.length, irqs, preemptions: result.counts.nestedInterrupts, decisions, vms };
}

/** No measure grew and at least one fell. */
export function smaller(a: TraceSize, b: TraceSize): boolean {
  return SIZE_KEYS.every((key) => a[key] <= b[key]) && SIZE_KEYS.some((key) => a[key] < b[key]);
}
