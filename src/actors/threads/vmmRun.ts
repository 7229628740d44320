/**
 * The VMM actor's run: the same RunLoop as the simulated runtime (lifecycle, one client step,
 * invariants, the streaming sinks), fed by the VM actors' ops and the PIC actor's IRQs, every
 * answer the core gets recorded. It runs in slices of SLICE_MS (the VM actors' credits are
 * returned after each); every CHUNK_EVERY_MS it posts the decision log so far as a TraceChunk
 * (ending at a step boundary, so the trace can end there). Its event loop, where control calls
 * are answered, gets a turn only when a call waits or every EVENT_LOOP_TURN_MAX_MS
 * (attention.ts); a slice ends early when a call waits.
 *
 * A boundary is where an IRQ raised meanwhile waits, so it costs next to nothing: the choices
 * are recorded run-length encoded as they come (ChoiceRuns), the step times into a typed array,
 * and both buffers move to the main thread with the chunk (transferred, not copied). Measured
 * (4 s latency runs, 2 cores): when the log was encoded and cloned at every 20 ms boundary and
 * the event loop turned at each one, a boundary took 0.85 ms on average, 4.2% of the wall time;
 * now 69 µs (one that posts nothing ~10 µs), 0.35%. A post (waking the main thread) takes
 * 20-250 µs, up to ms when the wake costs the VMM its core: hence a chunk every 100 ms.
 *
 * Memory stays bounded for any duration: the choice log and checkpoints are drained into each
 * chunk, step start times are kept for the first `stepTimesMax` steps only, violations travel
 * once (at most VIOLATIONS_SENT_MAX), and the core, checker and tail keep only live state.
 *
 * The trace's `stepTimesUs[i]` is the wall-clock time, in whole microseconds since the loop
 * started, at which client step 64 i began (STEP_TIME_STRIDE; a timeline interpolates between).
 *
 * The built-in default scenario destroys its last VM and creates a new one halfway through the
 * run. On threads "halfway" is in time: at the first slice boundary past half the duration,
 * at step s, the lifecycle becomes defaultScenario(vms, 2s)'s, whose steps are exactly s and
 * s + 1. The trace names that scenario (steps 2s), so a replay applies it at the same steps.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { defaultScenario } from '../../scenario/default.js';
import type { Scenario } from '../../scenario/scenario.js';
import { ChoiceRuns, RecordingChoices } from '../sim/choiceLog.js';
import { RunLoop } from '../runLoop.js';
import { runFaultOf, type RunFault } from '../runFault.js';
import { chunkTransfers, loopChunk, postedChunk } from '../traceChunk.js';
import { SLICE_MS } from './actorContext.js';
import { Attention, EVENT_LOOP_TURN_MAX_MS } from './attention.js';
import { CreditLedger } from './credits.js';
import { FaultTrigger } from './faults.js';
import { heartbeatOf } from './heartbeats.js';
import { IrqTaker } from './irqLines.js';
import { LatencyProbe } from './latencyProbe.js';
import { PreemptionGaps } from './preemptionGaps.js';
import { ProgressBoard } from './progressBoard.js';
import { StallMeter } from './stallMeter.js';
import { irqSources } from '../sim/irqSources.js';
import type { ActorReport, TraceChunk, VmmDone, VmmSetup, VmmStats, VmmTime } from './protocol.js';
import { QueueOps } from './queueOps.js';
import { STEP_TIME_STRIDE, StepStartLog } from './stepTimes.js';
import { ThreadChoices } from './threadChoices.js';
import { readThreadTimes, threadTimesSince, type ThreadTimes } from './threadTimes.js';
import { VmmPlacement } from './threadLayout.js';

/** Violations sent to the orchestrator in all (the checker counts every one). */
const VIOLATIONS_SENT_MAX = 100;
const WARNINGS_SENT_MAX = 100;
/**
 * A chunk at most this often: a crash or hang loses at most this much of the trace (the rest of
 * the run's state comes with the fault), and the main thread is woken ten times a second.
 */
const CHUNK_EVERY_MS = 100;
/** Waiting this long for one op means a VM actor is stuck: fail rather than hang. */
const OP_STALL_MS = 10_000;
/**
 * Records the run's tail keeps (the report's "events leading to it"). Fewer than TRAP_OPS_KEPT:
 * a clientOp record in the tail holds a trap op its VM's ring uses again later (opRings.ts).
 */
export const VMM_TAIL_RECORDS = 64;

export class VmmRun {
  private readonly loop: RunLoop;
  private readonly recording: RecordingChoices<ChoiceRuns>;
  private readonly ops: QueueOps;
  private readonly attention: Attention;
  private readonly progress: ProgressBoard;
  private readonly probe: LatencyProbe | null;
  private readonly stallMeter: StallMeter | null;
  private readonly gaps: PreemptionGaps | null;
  private stopRequested = false;
  private startMs = 0;
  private readonly stepStarts: StepStartLog;
  private violationsSent = 0;
  private warningsSent = 0;
  private vmsAnnounced: number;
  private lifecycleAtStep: number | null = null;
  private threadAtStart: ThreadTimes | null = null;
  private betweenSlicesMs = 0;
  private betweenSlicesMaxMs = 0;
  private slices = 0;
  private chunksPosted = 0;
  private chunkPostsMs = 0;
  private chunkPostMaxMs = 0;
  private eventLoopTurns = 0;

  constructor(private readonly setup: VmmSetup, scenario: Scenario, private readonly post: (report: ActorReport, transfer?: readonly ArrayBuffer[]) => void, private readonly log: Logger,
    /** Where this thread runs (threadLayout.ts). */
    private readonly placement: VmmPlacement = new VmmPlacement(null, false)) {
    const { buffers } = setup;
    this.attention = new Attention(buffers.attention);
    this.progress = new ProgressBoard(buffers.progress);
    this.stepStarts = new StepStartLog(setup.stepTimesMax);
    const irq = new IrqTaker(buffers.irq);
    this.stallMeter = setup.measureLatency ? new StallMeter() : null;
    this.ops = new QueueOps(buffers.queue, new CreditLedger(buffers.credits, setup.windowOps), setup.vmIdsMax, setup.windowOps, OP_STALL_MS);
    this.gaps = setup.measureLatency && setup.tailGaps === true ? new PreemptionGaps((out) => {
      out.steps = this.loop.steps;
      out.parkedMs = this.ops.waitedMs;
      out.creditWakeMs = this.ops.creditWakeMs;
      out.boundaries = this.slices;
    }, this.stallMeter) : null;
    this.probe = setup.measureLatency ? new LatencyProbe(irq, irqSources(scenario.devices), this.stallMeter, this.gaps) : null;
    const eligible = (): number => this.loop.vmm.allSources & ~this.loop.vmm.assertedSources;
    this.recording = new RecordingChoices(new ThreadChoices(irq, this.ops, eligible, this.probe), new ChoiceRuns());
    this.loop = new RunLoop({
      scenario: setup.lifecycleAtHalf ? { ...scenario, lifecycle: [] } : scenario,
      seed: setup.seed,
      choices: this.recording,
      ops: this.ops,
      config: { ...setup.config, sharedMemory: true },
      stopOn: 'never',
      tailRecords: VMM_TAIL_RECORDS,
      ring0Shared: new Int32Array(buffers.ring0),
      ...(this.probe !== null ? { onRecord: this.probe.onRecord } : {}),
    });
    this.vmsAnnounced = this.loop.vmm.vms.length;
  }

  /** The first VMs' Client_Reg_Strucs, for their actors (index = VM id - 1). */
  clientRegBuffers(): SharedArrayBuffer[] {
    return this.loop.vmm.vms.map((vm) => vm.client.buffer as SharedArrayBuffer);
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** The machine as configured (its init's records): a run that fails before its first step still has a trace. */
  postInitialChunk(): void {
    this.postChunk(false);
  }

  async run(): Promise<VmmDone> {
    this.startMs = performance.now();
    this.threadAtStart = readThreadTimes();
    this.probe?.loopStarted();
    const deadlineMs = this.startMs + this.setup.durationMs;
    const fault = new FaultTrigger(this.setup.faults, 'vmm', this.startMs, heartbeatOf(this.setup.buffers.heartbeats, 'vmm'));
    this.log.info({ vmIdsMax: this.setup.vmIdsMax, durationMs: this.setup.durationMs }, 'vmm run started');
    let turnedAtMs = this.startMs;
    let postedAtMs = this.startMs;
    try {
      // A stop arrives during an event-loop turn: the run ends right after it, at a step boundary.
      while (!this.stopRequested) {
        const nowMs = this.runSlice(fault, deadlineMs);
        if (nowMs >= deadlineMs) break;
        this.maybeScheduleLifecycle(nowMs);
        this.publishProgress(nowMs);
        this.placement.check(nowMs, this.startMs);
        this.ops.flushCredits();
        if (nowMs - postedAtMs >= CHUNK_EVERY_MS) {
          this.postChunk(false);
          postedAtMs = nowMs;
        }
        if (this.attention.take() || nowMs - turnedAtMs >= EVENT_LOOP_TURN_MAX_MS) {
          await yieldToEventLoop();
          this.eventLoopTurns++;
          turnedAtMs = performance.now();
        }
        const boundaryMs = performance.now() - nowMs;
        this.slices++;
        this.betweenSlicesMs += boundaryMs;
        if (boundaryMs > this.betweenSlicesMaxMs) this.betweenSlicesMaxMs = boundaryMs;
      }
      fault.checkStop();
      this.stallMeter?.close();
      // The shutdown runs device code too: a throw there ends the run as one in a step does.
      const ended = this.loop.finish().fault;
      if (ended !== null) {
        this.postChunk(true, { kind: ended.kind, message: ended.message }, false);
        throw shutdownFault(ended);
      }
    } catch (error) {
      // Device code ran away or threw: the trace goes up to inside that step, then the actor fails.
      const runFault = runFaultOf(error);
      if (runFault !== null) {
        this.postChunk(true, { kind: runFault.kind, message: runFault.message });
        (error as Error).message = runFault.message; // with the user's code location
      }
      throw error;
    }
    this.postChunk(true);
    const endedBy = this.stopRequested ? 'stop' : 'duration';
    this.log.info({ steps: this.loop.steps, endedBy, waitedForOpsMs: Math.round(this.ops.waitedMs) }, 'vmm run ended');
    return { endedBy };
  }

  stats(): VmmStats {
    const { counts } = this.loop.counter;
    return {
      steps: this.loop.steps,
      elapsedUs: this.elapsedUs(),
      events: counts.calledNow + counts.dispatched,
      pendingEvents: this.loop.vmm.table.live,
      vmmBugs: this.loop.checker.vmmBugs,
      deviceBugs: this.loop.checker.deviceBugs,
      queue: this.ops.stats(),
      latencyUs: this.probe?.summary() ?? null,
      time: this.time(),
      thread: threadTimesSince(this.threadAtStart),
      placement: this.placement.placedOn === null ? null : { cpus: this.placement.placedOn, gaveUpAtMs: this.placement.gaveUpAtMs },
      tailGaps: this.gaps?.summary() ?? null,
    };
  }

  private time(): VmmTime {
    const wallMs = this.elapsedUs() / 1000;
    const waitForOpsMs = this.ops.waitedMs;
    const credit = this.ops.creditWakes();
    return {
      wallMs, waitForOpsMs, betweenSlicesMs: this.betweenSlicesMs,
      slices: this.slices, chunks: this.chunksPosted, chunkPostsMs: this.chunkPostsMs, chunkPostMaxMs: this.chunkPostMaxMs, betweenSlicesMaxMs: this.betweenSlicesMaxMs, eventLoopTurns: this.eventLoopTurns,
      coreMs: Math.max(0, wallMs - waitForOpsMs - this.betweenSlicesMs), parks: this.ops.stats().consumerParks,
      creditWakes: credit.wakes, creditWakeMs: credit.wakeMs,
      stalls: this.stallMeter?.stalls(wallMs) ?? null,
    };
  }

  /** Client steps until the slice (or the run) is over, or a control call waits; returns the time it ended. */
  private runSlice(fault: FaultTrigger, deadlineMs: number): number {
    const { loop, stepStarts, attention } = this;
    const sliceEndMs = Math.min(performance.now() + SLICE_MS, deadlineMs);
    if (loop.steps === 0 && stepStarts.wanted) stepStarts.note(Math.round((performance.now() - this.startMs) * 1000));
    for (;;) {
      loop.step();
      if (loop.vmm.vms.length !== this.vmsAnnounced) this.announceNewVms();
      if ((loop.steps & (STEP_TIME_STRIDE - 1)) === 0) {
        const nowMs = performance.now();
        // The start of step loop.steps, the next one.
        if (stepStarts.wanted) stepStarts.note(Math.round((nowMs - this.startMs) * 1000));
        if (this.stallMeter !== null) {
          this.stallMeter.mark(nowMs);
          this.probe?.classify();
          this.gaps?.classify(nowMs);
        }
        fault.check(nowMs);
        if (nowMs >= sliceEndMs || attention.requested) return nowMs;
      }
    }
  }

  /** A VM the lifecycle created: its actor gets its Client_Reg_Struc (the orchestrator forwards it). */
  private announceNewVms(): void {
    const { vms } = this.loop.vmm;
    for (let i = this.vmsAnnounced; i < vms.length; i++) {
      this.post({ t: 'vmCreated', vmId: vms[i]!.id, clientRegs: vms[i]!.client.buffer as SharedArrayBuffer });
    }
    this.vmsAnnounced = vms.length;
  }

  private maybeScheduleLifecycle(nowMs: number): void {
    if (!this.setup.lifecycleAtHalf || this.lifecycleAtStep !== null) return;
    if (nowMs - this.startMs < this.setup.durationMs / 2 || this.loop.steps < 1) return;
    const atStep = this.loop.steps;
    this.loop.lifecycle = defaultScenario(this.loop.vmm.config.vms, 2 * atStep).lifecycle ?? [];
    this.lifecycleAtStep = atStep;
    this.log.info({ atStep }, 'vm lifecycle scheduled');
  }

  /** The chunk goes with its buffers: they move to the main thread (the VMM holds new ones). */
  private postChunk(final: boolean, fault: TraceChunk['fault'] = null, faultInStep = true): void {
    const startMs = performance.now();
    const violations = this.loop.checker.violations.slice(this.violationsSent, VIOLATIONS_SENT_MAX);
    this.violationsSent += violations.length;
    const warnings = this.loop.checker.warnings.slice(this.warningsSent, WARNINGS_SENT_MAX);
    this.warningsSent += warnings.length;
    const chunk = loopChunk(this.loop, this.recording, fault, final, {
      stepTimesUs: this.stepStarts.drain(), violations, warnings, elapsedUs: this.elapsedUs(), lifecycleAtStep: this.lifecycleAtStep,
    }, faultInStep);
    this.post({ t: 'chunk', chunk: postedChunk(chunk) }, chunkTransfers(chunk));
    this.chunksPosted++;
    const tookMs = performance.now() - startMs;
    this.chunkPostsMs += tookMs;
    if (tookMs > this.chunkPostMaxMs) this.chunkPostMaxMs = tookMs;
  }

  private publishProgress(nowMs: number): void {
    const { loop } = this;
    const { counts } = loop.counter;
    this.progress.publish(loop.steps, Math.round((nowMs - this.startMs) * 1000), counts.calledNow + counts.dispatched, loop.vmm.table.live, loop.checker.vmmBugs, loop.checker.deviceBugs);
  }

  private elapsedUs(): number {
    return this.startMs === 0 ? 0 : Math.round((performance.now() - this.startMs) * 1000);
  }
}

/** The error a fault the shutdown met is reported as: named as the core names that kind of throw (scenarioCodeFailure.ts). */
function shutdownFault(fault: RunFault): Error {
  const error = new Error(fault.message);
  error.name = fault.kind === 'invariantThrew' ? 'InvariantError' : fault.kind === 'runaway' ? 'RunawayDevice' : 'DeviceCodeError';
  return error;
}
