/**
 * The loop body both runtimes share: one iteration is the lifecycle steps due, one client step
 * of the core, and the user's invariants. The core hashes and counts each history record as it
 * makes it (checkpoints, counters), in the bounded tail (recordRing.ts); the record then streams
 * into one sink (the checker, and the full history or an observer when asked for). The simulated runtime calls `step()` a
 * fixed number of times; the VMM actor on threads calls it until its time is up. Either way
 * memory stays bounded unless `keepAll` is asked for: the checker keeps only live state, the
 * tail is a ring, and the checkpoints can be drained by a caller that streams them.
 */
import { InvariantChecker, type Violation, type Warning } from '../vmm/checker/checker.js';
import type { CheckpointRecorder } from '../vmm/checkpoints.js';
import type { ChoiceSource } from '../vmm/choices.js';
import type { ClientOpSource } from '../vmm/clientOps.js';
import type { VmmConfig } from '../vmm/config.js';
import type { Counter, Counts } from '../vmm/counters.js';
import type { HistoryRecord } from '../vmm/history.js';
import { RecordRing } from '../vmm/recordRing.js';
import type { RecordSink } from '../vmm/recordKinds.js';
import { RecordStream } from '../vmm/recordStream.js';
import { setFocus } from '../vmm/control.js';
import { destroyVm, shutdown } from '../vmm/services/vmControl.js';
import { Vmm, type ReusedParts } from '../vmm/vmm.js';
import { ring0Watch } from '../vmm/ring0Watch.js';
import { InvariantError, runFaultOf, type RunFault } from './runFault.js';
import { noteDevices } from './deviceNames.js';
import type { LifecycleStep, RunView, Scenario } from '../scenario/scenario.js';
import { runView } from './runView.js';
import { seededWorkload, trapOpsKeptFor } from './workload.js';
import { oneLine } from '../shared/oneLine.js';
import { checkBuiltins, restoreBuiltins } from './builtinsGuard.js';

/**
 * When a run stops before its last step: never, at a VMM invariant's violation, at any violation,
 * or at the first livelock (PCT's estimate run: it goes on past device bugs, which it only counts
 * choice points through, but a chain that feeds itself is cut at every pass after, each pass
 * costing the livelock bound, and the estimate runs once per workload: a livelocking driver's
 * `explore` spent 15-30 s on it before its first execution).
 */
export type StopOn = 'never' | 'vmm' | 'any' | 'livelock';

export interface RunLoopOptions {
  scenario: Scenario;
  seed: number;
  choices: ChoiceSource;
  config?: Partial<VmmConfig>;
  stopOn?: StopOn;
  /** Records kept for the report ("the events leading to it"). */
  tailRecords?: number;
  /** Every record, for a trace file or a timeline (memory grows with the run). */
  keepAll?: boolean;
  /** Client ops from elsewhere (a VM actor's queue); default: the seeded workload. */
  ops?: ClientOpSource;
  /**
   * Sees every record with its kind number (recordKinds.ts), after the checker. The record is the
   * core's, valid during the call: a reader that keeps records keeps copies (`copyRecord`).
   */
  onRecord?: RecordSink;
  /**
   * The whole record sink instead of the one built here (the checker, then the tail, the history
   * and `onRecord`): the explorer's machine kit gives every machine it builds one function, so the
   * core's record makers meet one call target in every run of a process. It must read the
   * records into `checker`; no tail or history is kept.
   */
  sink?: RecordSink;
  /** Service calls one ring-0 entry may make (the watchdog's deterministic bound). */
  serviceCallsPerEntryMax?: number;
  /** Where a watcher on another thread sees ring-0 code run (see ring0Watch.ts). */
  ring0Shared?: Int32Array;
  /** Machine parts kept between runs of one scenario (the explorer's); the machine resets them. */
  reused?: ReusedParts;
  /** A checker kept between runs (the explorer's), reset by its owner before the run; default a new one. */
  checker?: InvariantChecker;
}

export interface SimRunResult {
  steps: number;
  ticks: number;
  counts: Counts;
  violations: Violation[];
  /** What the checker noted that is no bug (a blocked callback's restart repeating calls: README "Model choices"). */
  warnings: Warning[];
  invariantsOk: boolean;
  /** Every VMM violation of the run (`violations` keeps the first of them only). */
  vmmBugs: number;
  deviceBugs: number;
  traceHash: string;
  records: number;
  checkpoints: string[];
  tail: HistoryRecord[];
  all: HistoryRecord[] | null;
  firstViolation: Violation | null;
  pendingAtEnd: number;
  /** The run ended early on a fault (runaway or throwing user code); null for a full run. */
  fault: RunFault | null;
}

export class RunLoop {
  readonly vmm: Vmm;
  readonly checker: InvariantChecker;
  /** The run's counters (the core counts as it makes each record; a new one per run). */
  counter: Counter;
  /** The trace hash and its checkpoints (the core feeds them as it makes each record). */
  readonly recorder: CheckpointRecorder;
  all: HistoryRecord[] | null;
  /** The VM lifecycle steps still to apply; the threaded runtime may set them during the run. */
  lifecycle: readonly LifecycleStep[];
  /** Client steps completed. */
  steps = 0;
  /** What the user's invariants see; made at their first check (most scenarios have none). */
  private view: (RunView & { step: number }) | null = null;
  /** The lifecycle steps `nextLifecycleStep` was computed from, and the next step that applies one (-1: none). */
  private lifecycleSeen: readonly LifecycleStep[] | null = null;
  private nextLifecycleStep = -1;
  private lifecycleFrom = 0;
  private stopOn: StopOn;
  /** Violations already looked at by a `livelock` stop. */
  private violationsLooked = 0;
  /** Whether the user gave invariants to check after every step (most runs have none). */
  private checksEachStep: boolean;
  /** Per invariant (by index): broken at its last check, so already reported (see checkInvariants). Part of a saved run. */
  private invariantBroken: boolean[] = [];

  constructor(readonly options: RunLoopOptions) {
    const { scenario } = options;
    this.checker = options.checker ?? new InvariantChecker();
    this.all = options.keepAll ? [] : null;
    this.lifecycle = scenario.lifecycle ?? [];
    this.stopOn = options.stopOn ?? 'never';
    this.checksEachStep = checksEachStep(scenario);
    const sink = recordStream(this.checker, this.all, options);
    this.enterRing0Watch();
    // The tail is where the core makes its records (recordRing.ts); a given sink keeps none.
    const tailRecords = options.sink === undefined ? options.tailRecords ?? 64 : 0;
    const records = new RecordRing(tailRecords);
    // The run's own workload holds no op past the tail: its trap op objects are used again (workload.ts).
    const ops = options.ops ?? seededWorkload(options.seed, scenario, trapOpsKeptFor(tailRecords));
    this.vmm = new Vmm({ ...scenario.config, ...options.config, vms: scenario.vms }, scenario.devices, options.choices, ops, sink, options.reused, records);
    this.recorder = this.vmm.trace;
    this.counter = this.recorder.counter;
  }

  /**
   * The loop a new one built from the same options would be, run under other choices and ops
   * (and stop class): the explorer's executions of one campaign each restart one loop instead of
   * building a machine (explore/machineKit.ts). The checker is reset here; the machine resets
   * itself (Vmm.reset: every device's `state()` made again). A result `finish` returned before
   * keeps its own arrays: each run gets new ones.
   */
  restart(choices: ChoiceSource, ops: ClientOpSource, stopOn: StopOn): void {
    const { options } = this;
    this.checker.reset();
    this.all = options.keepAll ? [] : null;
    this.lifecycle = options.scenario.lifecycle ?? [];
    this.steps = 0;
    this.lifecycleSeen = null;
    this.nextLifecycleStep = -1;
    this.lifecycleFrom = 0;
    this.stopOn = stopOn;
    this.violationsLooked = 0;
    this.checksEachStep = checksEachStep(options.scenario);
    this.invariantBroken = [];
    this.enterRing0Watch();
    // A new history: a built sink is built again around it (the machine's reset empties the tail).
    this.vmm.reset(choices, ops, recordStream(this.checker, this.all, options));
    this.counter = this.recorder.counter;
    this.view = null;
  }

  /** The watchdog and the device-name listener, told a run of this scenario starts on this thread. */
  private enterRing0Watch(): void {
    const { options } = this;
    if (options.ring0Shared !== undefined) ring0Watch.attach(options.ring0Shared);
    ring0Watch.reset(options.serviceCallsPerEntryMax);
    noteDevices(options.scenario.devices);
  }

  /** One iteration; true when the run should stop (a violation, per `stopOn`). */
  step(): boolean {
    const step = this.steps;
    // Most steps apply no lifecycle step: one comparison with the next step that does (see
    // applyLifecycle), unless the threaded runtime gave new lifecycle steps or the step count
    // went back (a restored snapshot).
    if (step === this.nextLifecycleStep || this.lifecycle !== this.lifecycleSeen || step < this.lifecycleFrom) this.applyLifecycle(step);
    this.lifecycleFrom = step;
    // Before the first step too: the boot ran device code (Device_Init and the other init messages).
    if (step === 0) checkBuiltins();
    this.vmm.step();
    checkBuiltins();
    this.steps = step + 1;
    if (this.checksEachStep) this.checkInvariants(false);
    return this.stopOn !== 'never' && this.shouldStop();
  }

  /**
   * The end of the run: end-of-run invariants, the shutdown, the checker's last word, the result.
   * `cut`: the run is cut short where it stands (a replay stopped by Ctrl-C), not ended: no
   * shutdown and no end-of-run checks, which the recorded run made only at its own end.
   */
  finish(fault: RunFault | null = null, cut = false): SimRunResult {
    let stepFault = fault !== null;
    // After a fault the machine stopped mid-step: no end-of-run checks on a half-done step.
    if (fault === null && !cut) {
      try {
        // End-of-run invariants judge the machine as its last step left it, before the shutdown
        // destroys every VM but the system VM (their Destroy_VM handlers clean up what was pending).
        this.checkInvariants(true);
        this.checker.runEnds(this.vmm.ticks);
        shutdown(this.vmm);
      } catch (error) {
        // User code threw in an end-of-run invariant or a shutdown's control procedure: the run
        // ends on it as on one in a step (its location, the trace's fault, exit 1), and a replay,
        // which shuts down too, meets it there. It escaped as a bare error: a threaded run lost
        // its location, and a replay said "no violation", exit 0, of a run that exited 1.
        fault = runFaultOf(error);
        if (fault === null) throw error;
        stepFault = false;
      }
      restoreBuiltins();
      if (fault === null) this.checker.finish();
    }
    const { checker, recorder } = this;
    return {
      // A fault stopped the machine inside a step: that step counts (a replay must run it too).
      steps: stepFault ? this.steps + 1 : this.steps,
      ticks: this.vmm.ticks,
      counts: this.counter.counts,
      violations: checker.violations,
      warnings: checker.warnings,
      invariantsOk: checker.invariantsOk,
      vmmBugs: checker.vmmBugs,
      deviceBugs: checker.deviceBugs,
      traceHash: recorder.hasher.hex(),
      records: recorder.hasher.records,
      checkpoints: recorder.checkpoints,
      tail: this.vmm.records.toArray(),
      all: this.all,
      firstViolation: checker.violations[0] ?? null,
      pendingAtEnd: this.vmm.table.live,
      fault,
    };
  }

  private shouldStop(): boolean {
    const { violations } = this.checker;
    if (this.stopOn === 'any') return violations.length > 0;
    if (this.stopOn === 'vmm') return this.checker.vmmBugs > 0;
    if (this.stopOn === 'livelock') {
      for (; this.violationsLooked < violations.length; this.violationsLooked++) if (violations[this.violationsLooked]!.kind === 'livelock') return true;
    }
    return false;
  }

  private applyLifecycle(step: number): void {
    // The next step that applies one is recomputed when that step comes, when the threaded
    // runtime gives new lifecycle steps, or if the step count went back.
    if (this.lifecycle !== this.lifecycleSeen || step < this.lifecycleFrom) {
      this.lifecycleSeen = this.lifecycle;
      this.nextLifecycleStep = nextAtStep(this.lifecycle, step);
    }
    if (step !== this.nextLifecycleStep) return;
    this.nextLifecycleStep = nextAtStep(this.lifecycle, step + 1);
    const { vmm } = this;
    for (const change of this.lifecycle) {
      if (change.atStep !== step) continue;
      if (change.op === 'destroy' && change.vm !== undefined) destroyVm(vmm, change.vm);
      else if (change.op === 'create' && vmm.vms.length < 64) vmm.createVm();
      else if (change.op === 'focus' && change.vm !== undefined) setFocus(vmm, change.vm);
    }
  }

  /**
   * A broken invariant is reported at the step it breaks. While it stays broken it is not
   * reported again: it is one bug, and counting it at every later step made a run of a million
   * steps report a million. If it holds again and breaks later, that is a new report.
   */
  private checkInvariants(atEnd: boolean): void {
    const invariants = this.options.scenario.invariants;
    if (invariants === undefined) return;
    const view = (this.view ??= runView(this.vmm));
    view.step = this.steps;
    const broken = this.invariantBroken;
    for (let i = 0; i < invariants.length; i++) {
      const invariant = invariants[i]!;
      if ((invariant.atEnd ?? false) !== atEnd) continue;
      let message: string | undefined;
      try {
        message = invariant.check(view);
      } catch (error) {
        throw new InvariantError(invariant.name, error);
      }
      if (message !== undefined && broken[i] !== true) this.vmm.violation(invariant.name, 'device', oneLine(message), '', 0);
      broken[i] = message !== undefined;
    }
  }
}

/** Whether the scenario has invariants to check after every step (most have none). */
function checksEachStep(scenario: Scenario): boolean {
  const invariants = scenario.invariants;
  if (invariants === undefined) return false;
  for (const invariant of invariants) if (!(invariant.atEnd ?? false)) return true;
  return false;
}

/** The first step at or after `from` at which a lifecycle step applies; -1 when none does. */
function nextAtStep(lifecycle: readonly LifecycleStep[], from: number): number {
  let next = -1;
  for (const change of lifecycle) if (change.atStep >= from && (next < 0 || change.atStep < next)) next = change.atStep;
  return next;
}

/**
 * Where the core hands every record (recordStream.ts): the checker reads it by its kind number
 * (the core counted it and keeps it in the tail already), then the full history and `onRecord`
 * when asked for; or the caller's whole sink, which reads the records into the checker itself.
 * One class in every run, so the core's record makers meet one receiver shape and one method.
 */
function recordStream(checker: InvariantChecker, all: HistoryRecord[] | null, options: RunLoopOptions): RecordStream {
  if (options.sink !== undefined) return new RecordStream(null, null, options.sink);
  return new RecordStream(checker, all, options.onRecord ?? null);
}
