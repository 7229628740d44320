/**
 * The run shrinking works on: a script (each VM's client ops, and the choice log) replayed and
 * recorded step by step, so that every element of the run is known by the step it belongs to:
 * the op the step consumed, and the choices it asked for (the IRQ point before the op, those
 * inside the ring-0 code the op trapped into, event order and latitude answers, idle steps).
 *
 * A script with no ops given runs the seeded workload (a trace as found, or recorded on threads)
 * and records the ops it consumed: from then on the workload is explicit, and an op can go.
 * Choices are replayed without strictness: past the end of the log, or where an edit left an
 * answer of the wrong kind, the answer is the quiet one (no IRQ, FIFO, call now). A run as found
 * replays its log by position; an edited script replays it step by step (stepChoices.ts), so an
 * element deleted in one step leaves the answers of every other step where they were.
 */
import { ChoiceLog, RecordingChoices, ReplayChoices } from '../actors/sim/choiceLog.js';
import { ExplicitOps, serializeWorkload, WorkloadExhausted } from '../actors/explicitOps.js';
import { RunLoop, type SimRunResult } from '../actors/runLoop.js';
import { READ_NOTHING } from './executionRecords.js';
import { seededWorkload } from '../actors/workload.js';
import type { Scenario } from '../scenario/scenario.js';
import { TRACE_VERSION, type RunConfig, type ScenarioRef, type TraceFile } from '../shared/trace.js';
import type { ClientOp, ClientOpSource } from '../vmm/clientOps.js';
import { stoppingViolation } from './execution.js';
import { StepAlignedReplay, SteppedChoices } from './stepChoices.js';
import type { StopClass } from './spec.js';
import { runFaultOf, type RunFault } from '../actors/runFault.js';
import { thrownFault } from './thrown.js';

export interface StepRecord {
  /** The VM whose op the step consumed (0: none, the VM could not run or its op was late). */
  vm: number;
  op: ClientOp | null;
  /** The step's choices: log entries [choiceFrom, choiceTo). */
  choiceFrom: number;
  choiceTo: number;
}

/** What a run is made of, after it ran: its recorded steps, ops per VM and choices. */
export interface Script {
  steps: StepRecord[];
  /** Choices the machine asked for while it booted, before the first step: log entries [0, bootTo). */
  bootTo: number;
  /** Choices the run asked for after its last step, while it shut down: log entries [shutdownFrom, end). */
  shutdownFrom: number;
  ops: Map<number, ClientOp[]>;
  choices: ChoiceLog;
  vms: number;
}

export interface ShrinkContext {
  seed: number;
  config: RunConfig;
  stopOn: StopClass;
  strategyName: string;
  command?: string;
}

export interface ScriptRun {
  script: Script;
  result: SimRunResult;
  /** The kind of the violation that stopped the run, if one did (or of the throw that ended it: result.fault). */
  kind: string | null;
  scenario: Scenario;
  ref: ScenarioRef;
}

/**
 * Runs ops (null: the seeded workload) and choices for at most `maxSteps` steps. A script whose
 * ops run out inside a step is the run before that step, run again to end there: an end-of-run
 * invariant is judged at its end. (A candidate that ran out was refused, so an `atEnd` finding
 * kept every op: "ops 40 → 40".) With no step before, that is the run of no step: the boot, then
 * the shutdown. null: the run ran away (device code past its service-call budget).
 */
export function runScript(ctx: ShrinkContext, scenario: Scenario, ref: ScenarioRef, ops: ReadonlyMap<number, readonly ClientOp[]> | null, choices: ChoiceLog | SteppedChoices, maxSteps: number): ScriptRun | null {
  const aligned = choices instanceof SteppedChoices ? new StepAlignedReplay(choices) : null;
  const recording = new RecordingChoices(aligned ?? new ReplayChoices(choices as ChoiceLog, false));
  const inner: ClientOpSource = ops === null ? seededWorkload(ctx.seed, scenario) : new ExplicitOps(ops);
  let last: { vm: number; op: ClientOp } | null = null;
  const source: ClientOpSource = {
    next(vmId) {
      const op = inner.next(vmId);
      last = { vm: vmId, op };
      return op;
    },
  };
  const loop = new RunLoop({ scenario, seed: ctx.seed, choices: recording, config: ctx.config, stopOn: ctx.stopOn, tailRecords: 1, ops: source, onRecord: READ_NOTHING });
  const steps: StepRecord[] = [];
  const taken = new Map<number, ClientOp[]>();
  let fault: RunFault | null = null;
  const bootTo = recording.log.length;
  while (loop.steps < maxSteps) {
    const choiceFrom = recording.log.length;
    last = null;
    aligned?.beginStep();
    let stop: boolean;
    try {
      stop = loop.step();
    } catch (error) {
      // No step at all is a run too: the boot and the shutdown (a bug System_Exit meets needs no op).
      if (error instanceof WorkloadExhausted) return runScript(ctx, scenario, ref, ops, choices, loop.steps);
      // A candidate whose device code runs away (the service-call budget) is no run of the
      // finding: refused, as one that ends in another violation is. Removing an op or an IRQ can
      // leave a driver waiting for good (a loop on a flag the removed op set): an outside driver's
      // shrink ended the whole campaign there, exit 3, and its finding went without a trace.
      if (runFaultOf(error)?.kind === 'runaway') return null;
      // User code threw (thrown.ts): the run ends inside this step, which belongs to the script.
      fault = thrownFault(runFaultOf(error));
      if (fault === null) throw error;
      stop = true;
    }
    const step = last as { vm: number; op: ClientOp } | null;
    steps.push({ vm: step?.vm ?? 0, op: step?.op ?? null, choiceFrom, choiceTo: recording.log.length });
    if (step !== null) {
      const list = taken.get(step.vm) ?? [];
      list.push(step.op);
      taken.set(step.vm, list);
    }
    if (stop) break;
  }
  const shutdownFrom = recording.log.length;
  aligned?.beginShutdown();
  const result = loop.finish(fault);
  // User code that threw in the shutdown (System_Exit, an end-of-run invariant) ends the run there.
  fault ??= thrownFault(result.fault);
  return {
    script: { steps, bootTo, shutdownFrom, ops: taken, choices: recording.log, vms: scenario.vms },
    result, kind: fault !== null ? fault.kind : stoppingViolation(result, ctx.stopOn)?.kind ?? null, scenario, ref,
  };
}

/** The trace of a run: its explicit workload and its choices, with what replay must find. */
export function scriptTrace(ctx: ShrinkContext, run: ScriptRun): TraceFile {
  const { result } = run;
  return {
    format: 'vmmsim-trace', version: TRACE_VERSION, runtime: 'sim', scenario: run.ref, seed: ctx.seed, steps: result.steps,
    config: ctx.config, strategy: ctx.strategyName, choices: run.script.choices.serialize(),
    workload: serializeWorkload(run.script.ops),
    expect: {
      traceHash: result.traceHash, records: result.records, checkpoints: result.checkpoints, invariantsOk: result.invariantsOk,
      firstViolation: result.firstViolation && {
        kind: result.firstViolation.kind, severity: result.firstViolation.severity,
        message: result.firstViolation.message, seq: result.firstViolation.seq,
      },
      ...(result.fault !== null ? { fault: { kind: result.fault.kind, message: result.fault.message } } : {}),
    },
    ...(ctx.command !== undefined ? { command: ctx.command } : {}),
  };
}
