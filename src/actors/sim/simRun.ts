/**
 * The simulated runtime: the whole machine on one thread, in virtual time, with every
 * nondeterministic choice answered by a strategy. The loop reads like a table of contents:
 * lifecycle steps due, one client step, the user's invariants, stop on a violation if asked.
 */
import { InvariantChecker, type Violation } from '../../vmm/checker/checker.js';
import type { ChoiceSource } from '../../vmm/choices.js';
import type { VmmConfig } from '../../vmm/config.js';
import { Counter, type Counts } from '../../vmm/counters.js';
import { HistoryRing, type HistoryRecord, type HistorySink } from '../../vmm/history.js';
import { destroyVm } from '../../vmm/services/vmControl.js';
import { CheckpointRecorder } from '../../vmm/checkpoints.js';
import { Vmm } from '../../vmm/vmm.js';
import type { ClientOpSource } from '../../vmm/clientOps.js';
import type { RunView, Scenario } from '../../scenario/scenario.js';
import { DEFAULT_MIX, WorkloadSet, entryPoints } from '../workload.js';

export type StopOn = 'never' | 'vmm' | 'any';

export interface SimRunOptions {
  scenario: Scenario;
  seed: number;
  steps: number;
  choices: ChoiceSource;
  config?: Partial<VmmConfig>;
  stopOn?: StopOn;
  /** Records kept for the report ("the events leading to it"). */
  tailRecords?: number;
  /** Every record, for a trace file or a timeline (memory grows with the run). */
  keepAll?: boolean;
  /** Client ops from elsewhere (a recorded threaded run); default: the seeded workload. */
  ops?: ClientOpSource;
  onRecord?: HistorySink;
}

export interface SimRunResult {
  steps: number;
  ticks: number;
  counts: Counts;
  violations: Violation[];
  invariantsOk: boolean;
  deviceBugs: number;
  traceHash: string;
  records: number;
  checkpoints: string[];
  tail: HistoryRecord[];
  all: HistoryRecord[] | null;
  firstViolation: Violation | null;
  pendingAtEnd: number;
}

export function runSim(options: SimRunOptions): SimRunResult {
  const { scenario } = options;
  const checker = new InvariantChecker();
  const counter = new Counter();
  const recorder = new CheckpointRecorder();
  const tail = new HistoryRing(options.tailRecords ?? 64);
  const all: HistoryRecord[] | null = options.keepAll ? [] : null;
  const extra = options.onRecord;
  const sink: HistorySink = (record) => {
    recorder.onRecord(record);
    counter.onRecord(record);
    checker.onRecord(record);
    tail.push(record);
    all?.push(record);
    extra?.(record);
  };
  const ops = options.ops ?? new WorkloadSet(options.seed, entryPoints(scenario.devices), { ...DEFAULT_MIX, ...scenario.mix });
  const vmm = new Vmm({ ...scenario.config, ...options.config, vms: scenario.vms }, scenario.devices, options.choices, ops, sink);
  const view = runView(vmm);
  const stopOn = options.stopOn ?? 'never';
  let step = 0;
  for (; step < options.steps; step++) {
    applyLifecycle(vmm, scenario, step);
    vmm.step();
    view.step = step + 1;
    checkInvariants(vmm, scenario, view, false);
    if (shouldStop(checker, stopOn)) break;
  }
  checkInvariants(vmm, scenario, view, true);
  checker.finish();
  return {
    steps: Math.min(step + 1, options.steps),
    ticks: vmm.ticks,
    counts: counter.counts,
    violations: checker.violations,
    invariantsOk: checker.invariantsOk,
    deviceBugs: checker.deviceBugs,
    traceHash: recorder.hasher.hex(),
    records: recorder.hasher.records,
    checkpoints: recorder.checkpoints,
    tail: tail.toArray(),
    all,
    firstViolation: checker.violations[0] ?? null,
    pendingAtEnd: vmm.table.live,
  };
}

function shouldStop(checker: InvariantChecker, stopOn: StopOn): boolean {
  if (stopOn === 'any') return checker.violations.length > 0;
  if (stopOn === 'vmm') return checker.vmmBugs > 0;
  return false;
}

function applyLifecycle(vmm: Vmm, scenario: Scenario, step: number): void {
  for (const change of scenario.lifecycle ?? []) {
    if (change.atStep !== step) continue;
    if (change.op === 'destroy' && change.vm !== undefined) destroyVm(vmm, change.vm);
    else if (change.op === 'create' && vmm.vms.length < 64) vmm.createVm();
  }
}

function runView(vmm: Vmm): RunView & { step: number } {
  const byName = new Map(vmm.devices.map((d) => [d.name, d]));
  return {
    step: 0,
    get ticks() {
      return vmm.ticks;
    },
    device<S>(name: string): S {
      const device = byName.get(name);
      if (device === undefined) throw new Error(`no device named ${name}`);
      return device.state as S;
    },
  };
}

function checkInvariants(vmm: Vmm, scenario: Scenario, view: RunView, atEnd: boolean): void {
  for (const invariant of scenario.invariants ?? []) {
    if ((invariant.atEnd ?? false) !== atEnd) continue;
    const message = invariant.check(view);
    if (message !== undefined) vmm.violation(invariant.name, 'device', message, '', 0);
  }
}
