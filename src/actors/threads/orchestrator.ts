/**
 * The threaded runtime, seen from the main thread: spawn the actors (one VMM, one PIC, one per
 * VM id the run can have), configure and start them over Comlink, follow the run (progress,
 * the VMM's trace chunks), and end it: when its time is up, when the caller aborts (SIGINT: a
 * clean stop and a partial report), or when an actor fails (the run is over at once, with
 * that actor named and the trace up to its last chunk). Every worker is terminated and has
 * exited before runThreads returns.
 */
import type * as Comlink from 'comlink';
import type { Violation, Warning } from '../../vmm/checker/checker.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/scenario.js';
import { createMainLog, type MainLog } from '../../shared/log.js';
import { closeQueueBuffer, createQueueBuffer, type QueueStats } from '../../shared/queue/mpscQueue.js';
import type { RunConfig, ScenarioRef, TraceFile } from '../../shared/trace.js';
import { ActorFailed, ActorSet } from './actorSet.js';
import { attentionRequester, createAttentionBuffer } from './attention.js';
import { createCreditBuffer, wakeParkedVmActors } from './credits.js';
import { checkFaultActors, checkFaultTimes, type FaultSpec } from './faults.js';
import { createIrqBuffer } from './irqLines.js';
import { OP_MESSAGE_WORDS } from './opMessage.js';
import { watchProgress, type RunProgress } from './progress.js';
import { createProgressBuffer, ProgressBoard } from './progressBoard.js';
import { actorFaultText, type ActorFault, type ActorSetup, type PicActorApi, type PicStats, type RunBuffers, type TraceChunk, type VmActorApi, type VmStats, type VmmActorApi, type VmmStats } from './protocol.js';
import { CORE_WARM_UP_STEPS } from './coreWarmUp.js';
import { DEFAULT_TRACE_CAPS, TraceCollector, type TraceCaps, type TraceMeta } from './traceCollector.js';
import { receivedChunk } from '../traceChunk.js';
import { createHeartbeatBuffer, watchHeartbeats } from './heartbeats.js';
import { hungMessage, RING0_WALL_MS_DEFAULT, ring0WatchBuffer, watchRing0, type HungDevice } from '../ring0Watchdog.js';
import { deviceNamesOf } from '../deviceNames.js';
import type { LatencySummary } from './latencyProbe.js';
import { beginLayout, busyElsewhereCpus, setEveryThread, type ThreadLayoutMode } from './threadLayout.js';
import { notStartedMessage, startUpBoundMs, watchStartUp } from './startUp.js';
import { clientShapeOf, meanIntervalTicksOf } from './scenarioShape.js';
import { availableParallelism } from 'node:os';
import { memoryBoundMb, memoryBoundText, watchMemory } from '../../shared/memoryBound.js';

export type { RunProgress };

/**
 * Ops a VM actor may run ahead of the core. A parked actor is woken when half its window is
 * consumed, so this sets how often VM actors wake (once per 2,048 ops each) and how much slack
 * the VMM has while a woken actor waits for a CPU (2,048 ops: ~5 ms of the core at 400k steps/s;
 * 1,024 gave ~1 ms, and the VMM waited for ops whenever the machine was busy).
 * Memory: 12 bytes per op per VM id in the VMM's rings.
 */
export const DEFAULT_WINDOW_OPS = 4096;
/**
 * The op queue holds every VM's whole window up to this many ops (1.3 MB of shared memory), so
 * VM actors wait on their credit (woken one at a time, when their VM runs) rather than on a full
 * queue (woken all at once, whichever VM runs).
 */
export const QUEUE_CAPACITY_MAX = 65_536;

/** The op queue's capacity for a run (the raw-queue bench mirrors it). */
export function queueCapacity(vmIdsMax: number, windowOps: number): number {
  return Math.min(vmIdsMax * windowOps, QUEUE_CAPACITY_MAX);
}
/** Step start times the VMM actor sends (one every STEP_TIME_STRIDE steps): all (the trace collector thins them to a bound). */
export const STEP_TIMES_MAX = Number.MAX_SAFE_INTEGER;
/** How long a stopping VMM may take to finish its step and send its last chunk. */
const STOP_TIMEOUT_MS = 3000;
/** Heartbeats may lag the ring-0 watchdog by this much: a stuck device is named by the latter. */
const HEARTBEAT_GRACE_MS = 1000;
/** Each worker thread a CPU has to stop adds this much to the stop bound (66 workers on 2 CPUs: 8 s). */
const STOP_PER_WORKER_PER_CPU_MS = 250;
/** While a control call to the VM actors is outstanding, their doorbell rings this often. */
const DOORBELL_EVERY_MS = 20;
/** How long the end-of-run statistics calls may take. */
const STATS_TIMEOUT_MS = 500;

/** A module scenario may override its VM count (vms), as a trace's scenario reference can. */
export type ThreadScenario = { kind: 'builtin'; vms: number } | { kind: 'module'; path: string; vms?: number };

export interface ThreadRunOptions {
  scenario: ThreadScenario;
  seed: number;
  config: RunConfig;
  durationMs: number;
  faults?: FaultSpec[];
  /** Multiplies each device's mean IRQ interval (meanIntervalTicks read as µs). Default 1. */
  irqScale?: number;
  log?: MainLog;
  /** Aborting stops the run cleanly (what SIGINT does). */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  progressEveryMs?: number;
  traceCaps?: TraceCaps;
  windowOps?: number;
  command?: string;
  /** Measure interrupt → callback latency (vmmsim bench). */
  measureLatency?: boolean;
  /** With measureLatency: what the VMM did between preemption points (preemptionGaps.ts). */
  tailGaps?: boolean;
  /** Stream the trace to this file as the run goes (then `trace` in the result is null). */
  tracePath?: string;
  /** Wall time one ring-0 entry may take before the watchdog ends the run (default RING0_WALL_MS_DEFAULT). */
  ring0TimeoutMs?: number;
  /** Core steps the VMM actor runs on a scratch machine before the run (default CORE_WARM_UP_STEPS; 0: none). */
  warmUpSteps?: number;
  /** 'auto' (default): the VMM actor on a CPU of its own where the machine allows and is not busy already (threadLayout.ts); 'split': even then; 'shared': no placement. */
  threadLayout?: ThreadLayoutMode;
}

export type ThreadRunOutcome = 'completed' | 'interrupted' | 'crashed';

export interface ThreadRunResult {
  outcome: ThreadRunOutcome;
  fault: ActorFault | null;
  scenario: Scenario;
  /** The VMM's state at its last chunk (null if it never sent one). */
  last: TraceChunk | null;
  /**
   * Steps the VMM had run and its time at its last slice boundary (its progress board): more
   * than `last` says when it failed between two chunks (a chunk goes every 100 ms).
   */
  ran: { steps: number; elapsedUs: number };
  violations: Violation[];
  /** The run's warnings (no bugs: a blocked callback's restart repeating calls), the first 100. */
  warnings: Warning[];
  trace: TraceFile | null;
  /** The streamed trace file (with `tracePath`): where, and the steps it covers. */
  traceFile: { path: string; steps: number } | null;
  /** True when the trace stopped growing at its caps before the run ended. */
  traceFull: boolean;
  durationS: number;
  /** (called now + dispatched) / durationS. */
  eventsPerSec: number;
  workers: number;
  /** Workers still running when the result was made: always 0. */
  workersRunning: number;
  queue: QueueStats | null;
  vms: VmStats[];
  pic: PicStats | null;
  rssMbMax: number;
  /** Client steps per second through the VMM actor (each one a VM's message consumed). */
  stepsPerSec: number;
  latencyUs: LatencySummary | null;
  /** The VMM actor's own figures at the end (null if it failed): its time breakdown, its thread. */
  vmm: VmmStats | null;
}

export async function runThreads(options: ThreadRunOptions): Promise<ThreadRunResult> {
  const log = options.log ?? createMainLog();
  const ref: ScenarioRef = options.scenario.kind === 'builtin'
    ? { kind: 'builtin', name: 'default', vms: options.scenario.vms, steps: 1 }
    : options.scenario;
  const scenario = await loadScenario(ref);
  const creates = (scenario.lifecycle ?? []).filter((c) => c.op === 'create').length;
  const vmIdsMax = Math.min(64, scenario.vms + creates);
  const faults = options.faults ?? [];
  checkFaultActors(faults, vmIdsMax);
  checkFaultTimes(faults, options.durationMs);
  const windowOps = options.windowOps ?? DEFAULT_WINDOW_OPS;
  const buffers: RunBuffers = {
    queue: createQueueBuffer({ capacityMessages: queueCapacity(vmIdsMax, windowOps), wordsPerMessage: OP_MESSAGE_WORDS }),
    credits: createCreditBuffer(vmIdsMax),
    irq: createIrqBuffer(),
    ring0: ring0WatchBuffer(),
    heartbeats: createHeartbeatBuffer(vmIdsMax),
    attention: createAttentionBuffer(),
    progress: createProgressBuffer(),
  };
  const traceMeta: TraceMeta = {
    scenario: (steps, lifecycleAtStep) => options.scenario.kind === 'builtin'
      ? { kind: 'builtin', name: 'default', vms: scenario.vms, steps: lifecycleAtStep !== null ? 2 * lifecycleAtStep : 2 * (steps + 1) }
      : ref,
    seed: options.seed,
    config: options.config,
    ...(options.command !== undefined ? { command: options.command } : {}),
  };
  const collector = new TraceCollector(options.traceCaps ?? DEFAULT_TRACE_CAPS, options.tracePath !== undefined ? { path: options.tracePath, meta: traceMeta } : null);
  const vmApis: Comlink.Remote<VmActorApi>[] = [];
  const actors = new ActorSet(log, (_actor, report) => {
    if (report.t === 'chunk') collector.add(receivedChunk(report.chunk));
    else if (report.t === 'releaseLayout') setEveryThread(report.cpus);
    else if (report.t === 'vmCreated') void actors.ask(ringing(buffers.credits, vmApis[report.vmId - 1]?.attachClientRegs(report.clientRegs) ?? Promise.resolve()), STATS_TIMEOUT_MS);
  });
  // Every control call to the VMM asks for its event loop's turn (attention.ts).
  const vmm = actors.spawn<VmmActorApi>('vmmActor', 'vmm', attentionRequester(buffers.attention));
  const pic = actors.spawn<PicActorApi>('picActor', 'pic');
  const vms = Array.from({ length: vmIdsMax }, (_, i) => actors.spawn<VmActorApi>('vmActor', `vm${i + 1}`));
  vmApis.push(...vms);
  const vmNames = vms.map((_, i) => `vm${i + 1}` as const);
  const cpus = availableParallelism();
  // Start-up (loading, configuring, starting every actor) is judged as a whole (startUp.ts).
  const startUpMs = startUpBoundMs(actors.workers, cpus);
  const startUp = watchStartUp(['vmm', 'pic', ...vmNames], startUpMs, (pending) => {
    actors.kill({ actor: pending[0]!, error: { name: 'ActorNotStarted', message: notStartedMessage(pending, startUpMs, actors.workers, cpus) } });
  });
  log.logger.info({ scenario: scenario.name, vms: scenario.vms, vmIdsMax, seed: options.seed, durationMs: options.durationMs, workers: actors.workers, startUpBoundMs: startUpMs }, 'run started');

  let interrupted = false;
  let hung: HungDevice | null = null;
  const board = new ProgressBoard(buffers.progress);
  const progress = watchProgress(board, log, options.onProgress, options.progressEveryMs ?? 1000);
  // Device code on the VMM actor that never returns: end that thread, name the device.
  const ring0TimeoutMs = options.ring0TimeoutMs ?? RING0_WALL_MS_DEFAULT;
  let heartbeats: { stop(): void } | null = null;
  const watchdog = watchRing0(buffers.ring0, () => deviceNamesOf(scenario.devices), ring0TimeoutMs, (found) => {
    hung = found;
    actors.kill({ actor: 'vmm', error: { name: 'DeviceHung', message: hungMessage(found) } });
  });
  // Memory outside the heaps (Buffers that device code, run on the VMM actor, keeps) has no thread limit.
  const memoryBound = memoryBoundMb();
  const memory = watchMemory(memoryBound, (rssMb) => actors.kill({ actor: 'vmm', error: { name: 'OutOfMemory', message: memoryBoundText(rssMb, memoryBound) } }));
  // After the spawns: the actors' threads start from the caller's CPUs and place themselves.
  const layoutMode = options.threadLayout ?? 'auto';
  const { layout, end: endLayout } = beginLayout(layoutMode, layoutMode === 'auto' ? (await busyElsewhereCpus()) ?? 0 : 0);
  try {
    const setup: ActorSetup = { scenario: ref, seed: options.seed, buffers, vmIdsMax, windowOps, faults, layout };
    const ready = await actors.guard('vmm', vmm.configure({
      ...setup, config: options.config, durationMs: options.durationMs,
      lifecycleAtHalf: options.scenario.kind === 'builtin', stepTimesMax: STEP_TIMES_MAX,
      measureLatency: options.measureLatency ?? false, tailGaps: options.tailGaps ?? false, warmUpSteps: options.warmUpSteps ?? CORE_WARM_UP_STEPS,
    }));
    startUp.started('vmm');
    log.logger.info('vmm configured');
    const clientShape = clientShapeOf(scenario);
    await Promise.all([
      actors.guard('pic', pic.configure({ ...setup, irqScale: options.irqScale ?? 1, meanIntervalTicks: meanIntervalTicksOf(scenario) })),
      ...vms.map((vm, i) => actors.guard(`vm${i + 1}`, vm.configure({ ...setup, vmId: i + 1, clientShape }))),
    ]);
    // Configured, an actor has loaded and compiled everything: attaching and starting are quick,
    // and one that does not answer within the watchdog's bound is stuck (named as hung), however
    // long the start-up bound above is.
    await Promise.all(ready.clientRegs.map((buffer, i) => actors.guard(`vm${i + 1}`, vms[i]!.attachClientRegs(buffer), ring0TimeoutMs)));
    await Promise.all([
      actors.guard('pic', pic.start(), ring0TimeoutMs).then(() => startUp.started('pic')),
      ...vms.map((vm, i) => actors.guard(`vm${i + 1}`, vm.start(), ring0TimeoutMs).then(() => startUp.started(`vm${i + 1}`))),
    ]);
    startUp.stop();
    log.logger.info('every actor started');
    const done = actors.guard('vmm', vmm.start());
    done.catch(() => undefined); // a failure is handled through actors.fault
    progress.start();
    // A thread stuck outside device code (the ring-0 watchdog, quicker, names the device for those).
    heartbeats = watchHeartbeats(buffers.heartbeats, ['vmm', 'pic', ...vmNames], ring0TimeoutMs + HEARTBEAT_GRACE_MS, (actor, stuckMs) => {
      actors.kill({ actor, error: { name: 'ActorHung', message: `${actor} has made no progress for ${(stuckMs / 1000).toFixed(1)} s (the watchdog's bound): its thread is stuck` } });
    });
    interrupted = await untilDoneOrAborted(done, options.signal);
    if (interrupted) {
      log.logger.warn('interrupted: stopping the run');
      await actors.ask(vmm.stop(), STOP_TIMEOUT_MS);
      await actors.ask(done, STOP_TIMEOUT_MS);
    }
  } catch (error) {
    if (!(error instanceof ActorFailed)) {
      // Not an actor's failure but the orchestrator's own: still leave no worker behind.
      await actors.close();
      throw error;
    }
  } finally {
    startUp.stop();
    progress.stop();
    watchdog.stop();
    memory.stop();
    heartbeats?.stop();
    endLayout();
  }

  // The end: figures from every actor still answering, then stop and terminate them all.
  const vmmStats = actors.fault !== null ? undefined : await actors.ask(vmm.stats(), STATS_TIMEOUT_MS);
  // The failed actor is not asked: a thread that exited never answers, and waiting out its
  // bounds (stats, then stop) ended an exit fault's run ~1 s after the failure was seen.
  const failed = actors.fault?.actor ?? null;
  const answering = <T>(actor: string, call: () => Promise<T>): Promise<T | undefined> =>
    (actor === failed ? Promise.resolve(undefined) : actors.ask(call(), STATS_TIMEOUT_MS));
  const vmStats = await Promise.all(vms.map((vm, i) => answering(`vm${i + 1}`, () => ringing(buffers.credits, vm.stats()))));
  const picStats = await answering('pic', () => pic.stats());
  closeQueueBuffer(buffers.queue);
  // After a failure the others need not answer long (one may be the failed one).
  const stopMs = actors.fault !== null ? STATS_TIMEOUT_MS : Math.max(STOP_TIMEOUT_MS, STOP_PER_WORKER_PER_CPU_MS * Math.ceil(actors.workers / cpus));
  await Promise.all([
    ...(failed === 'pic' ? [] : [actors.stopActor('pic', pic.stop(), stopMs)]),
    ...vms.flatMap((vm, i) => (failed === `vm${i + 1}` ? [] : [actors.stopActor(`vm${i + 1}`, ringing(buffers.credits, vm.stop()), stopMs)])),
  ]);
  // An actor that failed before it was told to stop has ended the run, even one that failed late.
  const outcome: ThreadRunOutcome = actors.fault !== null ? 'crashed' : interrupted ? 'interrupted' : 'completed';
  await actors.close();

  const last = collector.latest;
  // The rates are of what the last chunk covers: its counts and its time.
  const durationS = (last?.elapsedUs ?? 0) / 1e6;
  const events = last === null ? 0 : last.counts.calledNow + last.counts.dispatched;
  const hungFault = hung === null ? null : { kind: 'hung' as const, message: hungMessage(hung) };
  const actorFailed = actors.fault === null ? null : { actor: actors.fault.actor, message: actorFaultText(actors.fault).slice(0, 10_000) };
  const trace = options.tracePath !== undefined ? null : collector.traceFile(traceMeta, hungFault, actorFailed);
  const traceFile = collector.finishFile(hungFault, actorFailed);
  const ran = ranOf(last, board);
  log.logger.info({ outcome, steps: ran.steps, durationS: ran.elapsedUs / 1e6, events, workersRunning: actors.workersRunning }, 'run ended');
  log.flush();
  return {
    outcome, fault: actors.fault, scenario, last, ran, violations: collector.violations, warnings: collector.warnings, trace, traceFile, traceFull: collector.full,
    durationS, eventsPerSec: durationS > 0 ? Math.round(events / durationS) : 0,
    workers: actors.workers, workersRunning: actors.workersRunning,
    queue: vmmStats?.queue ?? null, vms: vmStats.filter((s): s is VmStats => s !== undefined), pic: picStats ?? null,
    rssMbMax: progress.rssMbMax(),
    stepsPerSec: durationS > 0 ? Math.round((last?.steps ?? 0) / durationS) : 0,
    latencyUs: vmmStats?.latencyUs ?? null,
    vmm: vmmStats ?? null,
  };
}

/** What the VMM ran: its last chunk's steps, or its progress board's when that is further on. */
function ranOf(last: TraceChunk | null, board: ProgressBoard): { steps: number; elapsedUs: number } {
  const { steps, elapsedUs } = board.read();
  const chunkSteps = last?.steps ?? 0;
  return steps > chunkSteps ? { steps, elapsedUs: Math.max(elapsedUs, last?.elapsedUs ?? 0) } : { steps: chunkSteps, elapsedUs: last?.elapsedUs ?? 0 };
}

/**
 * A control call to VM actors, with their doorbell ringing until it settles: an actor parked on
 * its credit window wakes and turns its event loop (credits.ts). Rung again and again because
 * an actor that was just about to park misses a ring.
 */
async function ringing<T>(credits: SharedArrayBuffer, call: Promise<T>): Promise<T> {
  wakeParkedVmActors(credits);
  // Bounded and unref'd: a call that never settles (a hung actor, killed) leaves no timer behind.
  const ringUntilMs = performance.now() + STOP_TIMEOUT_MS;
  const timer = setInterval(() => {
    if (performance.now() > ringUntilMs) clearInterval(timer);
    else wakeParkedVmActors(credits);
  }, DOORBELL_EVERY_MS).unref();
  try {
    return await call;
  } finally {
    clearInterval(timer);
  }
}

/** True if the run was aborted before the VMM finished; rejects if an actor failed. */
async function untilDoneOrAborted(done: Promise<unknown>, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal === undefined) {
    await done;
    return false;
  }
  if (signal.aborted) return true;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<true>((resolve) => {
    onAbort = () => resolve(true);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([done.then(() => false), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
