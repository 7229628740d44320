/**
 * Everything the threaded runtime sends between threads, apart from the data plane (the op
 * queue, the credit words and the IRQ word in shared memory: see opMessage.ts, credits.ts,
 * irqLines.ts). Two channels per actor:
 *
 *   control plane   Comlink over the worker's parentPort: configure, start, stop, stats
 *                   (the *ActorApi interfaces). Never on the hot path.
 *   report port     a MessagePort the actor posts to on its own initiative: a fault, a log
 *                   line, and (the VMM) the decision log in chunks and VM creations. A chunk's
 *                   typed arrays are transferred, not copied (the VMM drops them as it posts).
 *
 * Plain data only: seeds and scenario refs cross threads, never live objects; errors cross as
 * { name, message, stack } and are recognized by name.
 */
import type { GapSummary } from './preemptionGaps.js';
import type { PostedChunk } from '../traceChunk.js';
import type { ThreadLayout } from './threadLayout.js';
import type { RunFaultKind } from '../runFault.js';
import type { MessagePort } from 'node:worker_threads';
import type { LogLevel } from '../../shared/log.js';
import type { QueueStats } from '../../shared/queue/mpscQueue.js';
import type { RunConfig, ScenarioRef } from '../../shared/trace.js';
import type { Violation, Warning } from '../../vmm/checker/checker.js';
import type { Counts } from '../../vmm/counters.js';
import type { FlatChoiceRuns } from '../sim/choiceLog.js';
import type { FaultSpec } from './faults.js';
import type { LatencySummary } from './latencyProbe.js';
import type { StallSummary } from './stallMeter.js';
import type { ThreadTimes } from './threadTimes.js';
import type { EntryPoint, WorkloadMix } from '../workload.js';

export type ActorName = 'vmm' | 'pic' | `vm${number}`;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message, stack } = error as { name?: unknown; message: unknown; stack?: unknown };
    return { name: typeof name === 'string' ? name : 'Error', message: String(message), ...(typeof stack === 'string' ? { stack } : {}) };
  }
  return { name: 'NonError', message: String(error) };
}

/** An actor failed: which one, and how. */
export interface ActorFault {
  actor: ActorName;
  error: SerializedError;
}

/** How an actor's failure reads wherever it is shown (report, stderr line, trace end line): `Name: message`. */
export function actorFaultText(fault: ActorFault): string {
  return `${fault.error.name}: ${fault.error.message}`;
}

/** workerData of every actor. */
export interface ActorData {
  actor: ActorName;
  reportPort: MessagePort;
  logLevel: LogLevel;
}

/** Actor → orchestrator, on the report port. */
export type ActorReport =
  | { t: 'log'; line: string }
  | { t: 'fault'; fault: ActorFault }
  | { t: 'chunk'; chunk: PostedChunk }
  | { t: 'vmCreated'; vmId: number; clientRegs: SharedArrayBuffer }
  /** The VMM gave its CPU up (threadLayout.ts VmmPlacement): every thread of the run may use these CPUs. */
  | { t: 'releaseLayout'; cpus: number[] };

/** The shared memory of one run. */
export interface RunBuffers {
  /** The MPSC queue of client ops, VM actors → VMM actor (the PIC actor wakes a VMM parked on it). */
  queue: SharedArrayBuffer;
  /** Per-VM credit windows. */
  credits: SharedArrayBuffer;
  /** The IRQ sources the PIC actor raised. */
  irq: SharedArrayBuffer;
  /** Where ring-0 code runs on the VMM actor, for the main thread's watchdog (vmm/ring0Watch.ts). */
  ring0: SharedArrayBuffer;
  /** Each actor's heartbeat word (heartbeats.ts). */
  heartbeats: SharedArrayBuffer;
  /** Set when a control call waits for the VMM actor's event loop (attention.ts). */
  attention: SharedArrayBuffer;
  /** The VMM actor's progress, for the main thread (progressBoard.ts). */
  progress: SharedArrayBuffer;
}

/** What every actor is configured with. */
export interface ActorSetup {
  scenario: ScenarioRef;
  seed: number;
  buffers: RunBuffers;
  /** The highest VM id of the run: its first VMs plus the ones its lifecycle creates. */
  vmIdsMax: number;
  /** Ops a VM actor may have pushed that the core has not consumed yet. */
  windowOps: number;
  faults: FaultSpec[];
  /** The CPUs each kind of actor runs on (threadLayout.ts); null: wherever the kernel puts it. */
  layout: ThreadLayout | null;
}

export interface VmmSetup extends ActorSetup {
  config: RunConfig;
  durationMs: number;
  /** Built-in default scenario: destroy the last VM and create one halfway through the time. */
  lifecycleAtHalf: boolean;
  /** Step start times kept for the trace (one every STEP_TIME_STRIDE steps, the first ones; bounded). */
  stepTimesMax: number;
  /** Measure interrupt → callback latency (latencyProbe.ts). */
  measureLatency: boolean;
  /** With measureLatency: also record what the VMM did between preemption points (preemptionGaps.ts; bench only). */
  tailGaps?: boolean;
  /** Core steps the actor runs on a scratch machine before the run, to compile the core (coreWarmUp.ts). */
  warmUpSteps: number;
}

export interface VmSetup extends ActorSetup {
  vmId: number;
  /**
   * What a VM's client code can do, taken from the scenario on the main thread: a VM actor
   * needs no device code, so it loads no scenario module (and a run of 64 VMs compiles the
   * scenario's modules once, not 64 times).
   */
  clientShape: ClientShape;
}

/** The scenario's devices as a VM's client sees them (workload.ts). */
export interface ClientShape {
  entries: EntryPoint[];
  mix: WorkloadMix;
  irqs: number[];
}

export interface PicSetup extends ActorSetup {
  /** Each source's mean interval is its meanIntervalTicks × this, in real microseconds. */
  irqScale: number;
  /** Each IRQ source's mean interval (irqSources.ts order), from the scenario on the main thread. */
  meanIntervalTicks: number[];
}

export interface TraceViolation {
  kind: string;
  severity: 'device' | 'vmm';
  message: string;
  seq: number;
}

/**
 * A piece of the decision log, always ending at a step boundary: the trace may end after any
 * chunk and still replay exactly (a crash leaves the chunks received so far).
 */
export interface TraceChunk {
  /** Client steps completed at the end of the chunk. */
  steps: number;
  records: number;
  traceHash: string;
  /** New since the previous chunk: */
  checkpoints: string[];
  /** Choices as flat runs; the last may go on in the next chunk's first (joinRuns). */
  choiceRuns: FlatChoiceRuns;
  /** The start of every STEP_TIME_STRIDE-th step (stepTimes.ts), in µs since the VMM's loop started. */
  stepTimesUs: Float64Array | readonly number[];
  violations: Violation[];
  /** Warnings new since the previous chunk (no bugs: checker/report.ts), at most WARNINGS_SENT_MAX in a run. */
  warnings: Warning[];
  /** The state at the end of the chunk: */
  counts: Counts;
  ticks: number;
  invariantsOk: boolean;
  vmmBugs: number;
  deviceBugs: number;
  firstViolation: TraceViolation | null;
  pendingEvents: number;
  /** Wall-clock microseconds since the VMM's loop started. */
  elapsedUs: number;
  /** The step at which the lifecycle destroys a VM (builtin default on threads), once decided. */
  lifecycleAtStep: number | null;
  /** The last chunk of a run that ended normally (its end-of-run checks included). */
  final: boolean;
  /** The run ended on a fault inside the chunk's last step (runaway or throwing device code). */
  fault?: { kind: RunFaultKind; message: string } | null;
}

export interface VmmStats {
  steps: number;
  elapsedUs: number;
  /** Call_XX_Event callbacks run: called now + dispatched. */
  events: number;
  pendingEvents: number;
  vmmBugs: number;
  deviceBugs: number;
  queue: QueueStats;
  /** Interrupt → callback latency, when the run measures it (VmmSetup.measureLatency). */
  latencyUs: LatencySummary | null;
  /** Where the VMM actor's wall-clock time went since its loop started. */
  time: VmmTime;
  /** The kernel's view of the VMM actor's thread since its loop started (null off Linux). */
  thread: ThreadTimes | null;
  /** The CPUs the VMM actor's thread was placed on (threadLayout.ts), and when it gave them up; null if it was not placed. */
  placement: { cpus: number[]; gaveUpAtMs: number | null } | null;
  /** What the VMM did in the gaps between preemption points over GAP_MIN_US (VmmSetup.tailGaps), else null. */
  tailGaps?: GapSummary | null;
}

/** The VMM actor's wall-clock time, by what its loop was doing. */
export interface VmmTime {
  wallMs: number;
  /** Waiting for the current VM's next op (spinning or parked on the queue). */
  waitForOpsMs: number;
  /** Between slices: the trace chunk posted, the event loop's turn when one was due. */
  betweenSlicesMs: number;
  /** Slice boundaries, and the longest one. */
  slices: number;
  /** TraceChunks posted (the initial and final ones included). */
  chunks: number;
  /** Their time on the VMM's thread in all (making, encoding and posting them), and the longest. */
  chunkPostsMs: number;
  chunkPostMaxMs: number;
  betweenSlicesMaxMs: number;
  /** Boundaries at which the event loop had a turn (a control call waited, or the longest interval was up). */
  eventLoopTurns: number;
  /** The rest: client steps in the core (ops already there), the checker, the trace hash. */
  coreMs: number;
  /** Times the VMM parked on an empty queue (Atomics.wait). */
  parks: number;
  /** Parked VM actors the VMM woke with Atomics.notify (their credit came back), and the time those calls took. */
  creditWakes: number;
  creditWakeMs: number;
  /** Stretches of over STALL_MS without a step, by cause (only when the run measures latency). */
  stalls: StallSummary | null;
}

export interface VmmReady {
  /** Each first VM's Client_Reg_Struc (index = VM id - 1). */
  clientRegs: SharedArrayBuffer[];
}

export interface VmmDone {
  endedBy: 'duration' | 'stop';
}

export interface VmStats {
  vmId: number;
  opsPushed: number;
  opsConsumed: number;
  /** Times the actor parked because its credit window was full. */
  creditParks: number;
  /** Read from the Client_Reg_Struc the VMM writes, in shared memory. */
  clientRegs: { EAX: number; EFlags: number } | null;
  /** The kernel's view of the actor's thread since it started producing (null off Linux). */
  thread: ThreadTimes | null;
}

export interface PicStats {
  /** Assertions raised per IRQ source. */
  raises: number[];
  /** The kernel's view of the actor's thread since it started raising (null off Linux). */
  thread: ThreadTimes | null;
  /** How late assertions were raised after they were due (µs): the PIC parks between them. */
  latenessUs: { count: number; p50: number; p99: number; max: number };
}

/** The control plane (Comlink). */
export interface VmmActorApi {
  configure(setup: VmmSetup): Promise<VmmReady>;
  /** Runs until the duration is over or stop() is called. */
  start(): Promise<VmmDone>;
  stop(): void;
  stats(): VmmStats;
}

export interface VmActorApi {
  configure(setup: VmSetup): Promise<void>;
  attachClientRegs(buffer: SharedArrayBuffer): void;
  start(): void;
  stop(): void;
  stats(): VmStats;
}

export interface PicActorApi {
  configure(setup: PicSetup): Promise<void>;
  start(): void;
  stop(): void;
  stats(): PicStats;
}
