/**
 * `vmmsim bench`: every figure of the event path side by side, measured in one run, each next to
 * the raw cost of what it runs on (the machine is shared and noisy: ratios measured together
 * mean more than absolute numbers). A full run repeats each figure and reports the median and
 * the spread; `--quick` measures each once, briefly.
 */
import { availableParallelism, cpus } from 'node:os';
import { measureEventPath, type EventPathRow } from './eventPath.js';
import { measureExploreScaling, type ScalingResult } from './exploreScaling.js';
import type { LatencyResult } from './latency.js';
import { latencyConfigurations, measureInterruptLatencyInChild } from './latencyInChild.js';
import type { Percentiles } from '../src/actors/threads/latencyProbe.js';
import type { GapSummary } from '../src/actors/threads/preemptionGaps.js';
import type { StallSummary } from '../src/actors/threads/stallMeter.js';
import { measurePeerRoundsInChild } from './peer/inChild.js';
import { PEER_ROUNDS, PEER_ROUNDS_QUICK, type PeerRoundsResult } from './peer/rounds.js';
import { measureSimStepsInChild } from './simStepsInChild.js';
import { repeated, type Repeated } from './stats.js';
import { measureComlinkRtt } from './transport/comlinkRtt.js';
import { measurePostMessageRtt } from './transport/postMessageRtt.js';

export interface BenchOptions {
  quick: boolean;
  onProgress?: (what: string) => void;
  /** Polled between measurements: true stops the bench there (SIGINT), with what it has measured. */
  cancelled?: () => boolean;
}

/** The bench stopped between two measurements: `measured` holds the figures taken so far. */
export class BenchInterrupted extends Error {
  override readonly name = 'BenchInterrupted';
  constructor(readonly measured: Record<string, unknown>) {
    super('interrupted');
  }
}

/** Latency runs of a full bench (4 s each): the figure is the one of median ratio. */
const LATENCY_RUNS = 3;

export interface BenchReport {
  date: string;
  quick: boolean;
  machine: { cores: number; cpu: string; node: string; platform: string };
  /**
   * Per row: the median run (its eventsPerSec the median of the repetitions), with `ratio` and
   * `rawQueueMsgsPerSec` over the median of the repetitions' raw floors (`rawQueueSpread`): one
   * raw sample with 8 producers on 2 cores moves 4.5M-11M msgs/s between runs.
   */
  eventPath: (EventPathRow & { spread: Repeated; rawQueueSpread: Repeated })[];
  rawQueueMsgsPerSec: number[];
  eventPathToRawRatio: number;
  /** Interrupt → callback, from the moment the IRQ could interrupt (latencyProbe.ts). */
  latencyUs: Percentiles;
  /** The same samples from the PIC's raise, waits for the device's previous request included. */
  latencyFromRaiseUs: Percentiles;
  /** The figure split at the CPU taking the IRQ: to the take, and from the take to the callback. */
  latencyToTakenUs: Percentiles;
  latencyTakenToCallbackUs: Percentiles;
  /** The figure over the samples that did not wait for the VMM thread to get a CPU back (null off Linux). */
  latencyNoCpuWaitUs: Percentiles | null;
  /** The take → callback part over those same samples (null off Linux). */
  latencyTakenToCallbackNoCpuWaitUs?: Percentiles | null;
  /** The VMM thread during the latency run: its stalls (over 1 ms without a step) by cause, and its CPU share. */
  latencyVmmStalls: StallSummary | null;
  latencyVmmCpuPct: number | null;
  /** How late the PIC actor raised its IRQs after they were due, in the latency run (µs). */
  latencyPicLatenessUs: { count: number; p50: number; p99: number; max: number } | null;
  rawWakeRttUs: number;
  rawWakeRttUsPercentiles: { p50: number; p99: number; p999: number; max: number };
  /** Interrupt → callback p99 over the raw Atomics wake round trip's p99, measured in the same run (like with like): the run of median ratio of `latencyRuns`. */
  latencyP99ToWakeRatio: number;
  /** Every latency run (LATENCY_RUNS; one when quick): its p99, its raw wake p99 and their ratio, in the order run. */
  latencyRuns: { p99Us: number; rawWakeP99Us: number; p99ToWakeRatio: number }[];
  /** The same p99 over the raw wake's p50 (what this field's figure was before it compared p99 with p99). */
  latencyP99ToWakeP50Ratio: number;
  /** Where the latency run's VMM actor ran (src/actors/threads/threadLayout.ts): its CPUs, and when it gave them up; null: not placed. */
  latencyVmmPlacement?: LatencyResult['vmmPlacement'];
  /** The node flags of the latency run above: those `vmmsim run` has on this machine (latencyInChild.ts). */
  latencyNodeFlags: string[];
  /** The same run with the other V8 platform pool size, for comparison (one background thread, or V8's default of four). */
  latencyOtherV8Pool: { nodeFlags: string[]; latencyUs: Percentiles; rawWakeRttUs: { p50: number; p99: number; p999: number; max: number }; p99ToWakeRatio: number; vmmCpuPct: number | null };
  /**
   * The latency run with one VM actor (the VMM, one VM actor and the PIC actor, which sleeps
   * between IRQs: about as many busy threads as this machine's 2 cores), as-run flags: what the
   * figure is when threads do not outnumber the cores.
   */
  latencyOneVmActor?: { vms: number; latencyUs: Percentiles; toTakenP99Us: number; takenToCallbackP99Us: number; noCpuWaitUs: Percentiles | null; rawWakeP99Us: number; p99ToWakeRatio: number; vmmCpuPct: number | null };
  /**
   * A latency run (as-run flags, 4 VM actors) that also recorded what the VMM thread did in every
   * gap over 300 µs between two preemption points (src/actors/threads/preemptionGaps.ts): the
   * samples that waited over 300 µs to be taken, by the gap's first cause. Not the figure's run:
   * it reads the clock at each preemption point.
   */
  latencyTailGaps?: GapSummary | null;
  postMessageRttUs: number;
  comlinkRttUs: number;
  simStepsPerSec: number;
  simSteps: Repeated;
  /** The same runs' steps per second of the thread's CPU time (steadier than wall time on a busy machine). */
  simCpuStepsPerSec: number;
  /** Bytes a core step allocates (young generation), and the scavenges that makes per million steps. */
  simBytesPerStep: number;
  simScavengesPerMillionSteps: number;
  exploreExecsPerSec: number;
  explore: { workers: number; execsPerSec: number }[];
  /** 2 workers' executions/s over 1 worker's, on a campaign of exploreCampaignSeconds (median of alternated runs). */
  exploreSpeedup2Workers: number;
  /** Executions per CPU-second, 2 workers over 1: the pool's cost, independent of other load. */
  exploreCpuEfficiency2Workers: number;
  exploreCampaignSeconds: number;
  /**
   * The scaling bench's details: one pool worker as well as this thread, pools started inside
   * the timer (cold), and the CPU µs per execution of each kind of thread (see exploreScaling.ts).
   */
  exploreScaling: Pick<ScalingResult, 'onePoolWorkerExecsPerSec' | 'speedupOverOnePoolWorker' | 'coldOneWorkerExecsPerSec' | 'coldTwoWorkersExecsPerSec' | 'coldSpeedup' | 'cpuUsPerExec' | 'iterations'>;
  fastCheck: { execsPerSec: number; execsToFirstBug: number | null; execsPerCpuSec?: number };
  vmmsim: { execsToFirstBug: number | null; execsPerSec: number; scenario: string; execsPerCpuSec?: number };
  /** How the two above were measured (bench/peer/rounds.ts), with their ratios' medians and spreads. */
  peer?: Omit<PeerRoundsResult, 'fastCheck' | 'vmmsim'>;
}

const VM_COUNTS = [1, 2, 4, 8] as const;

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { quick } = options;
  const times = quick ? 1 : 3;
  const measured: Record<string, unknown> = {};
  // Each measurement starts only if the user has not asked to stop; what was measured is kept.
  const say = (what: string): void => {
    if (options.cancelled?.() === true) throw new BenchInterrupted(measured);
    options.onProgress?.(what);
  };

  const eventPath: BenchReport['eventPath'] = [];
  for (const vms of VM_COUNTS) {
    say(`event path on threads, ${vms} VM${vms > 1 ? 's' : ''}`);
    const rows: EventPathRow[] = [];
    for (let i = 0; i < times; i++) rows.push(await measureEventPath(vms, quick ? 700 : 3000));
    const spread = repeated(rows.map((r) => r.eventsPerSec));
    const rawQueueSpread = repeated(rows.map((r) => r.rawQueueMsgsPerSec));
    const median = rows.find((r) => r.eventsPerSec === spread.median) ?? rows[0]!;
    eventPath.push({
      ...median, eventsPerSec: spread.median, spread,
      rawQueueMsgsPerSec: rawQueueSpread.median, ratio: spread.median / rawQueueSpread.median, rawQueueSpread,
    });
    measured['eventPath'] = eventPath;
  }
  const largest = eventPath[eventPath.length - 1]!;

  say('interrupt → callback latency on threads, and the raw Atomics wake');
  const configurations = latencyConfigurations();
  // Repeated: one run's p99 on 2 shared cores varies several-fold from run to run (a handful of
  // samples that waited for a CPU). The run of median ratio is reported whole; every run's ratio beside it.
  const latencyRepeats: LatencyResult[] = [];
  for (let i = 0; i < (quick ? 1 : LATENCY_RUNS); i++) {
    latencyRepeats.push(await measureInterruptLatencyInChild(quick ? 1000 : 4000, quick ? 5000 : 20_000, configurations.asRun));
  }
  const p99Ratio = (run: LatencyResult): number => run.latencyUs.p99 / run.rawWakeRttUs.p99;
  const byRatio = [...latencyRepeats].sort((a, b) => p99Ratio(a) - p99Ratio(b));
  const latency = byRatio[byRatio.length >> 1]!;
  const { fromRaiseUs, toTakenUs, takenToCallbackUs, noCpuWaitUs, takenToCallbackNoCpuWaitUs, ...latencyUs } = latency.latencyUs;
  measured['latencyUs'] = latencyUs;
  measured['rawWakeRttUsPercentiles'] = latency.rawWakeRttUs;
  say(`the same latency run with node ${configurations.other.length === 0 ? "V8's default platform pool" : configurations.other.join(' ')}, to compare`);
  const other = await measureInterruptLatencyInChild(quick ? 1000 : 4000, quick ? 5000 : 20_000, configurations.other);
  const latencyOtherV8Pool: BenchReport['latencyOtherV8Pool'] = {
    nodeFlags: configurations.other, latencyUs: percentilesOnly(other.latencyUs), rawWakeRttUs: other.rawWakeRttUs,
    p99ToWakeRatio: other.latencyUs.p99 / other.rawWakeRttUs.p99, vmmCpuPct: vmmCpuPct(other),
  };
  measured['latencyOtherV8Pool'] = latencyOtherV8Pool;
  say('the same latency run with one VM actor (threads no more than cores), and one that records what the VMM did between preemption points');
  const oneVm = await measureInterruptLatencyInChild(quick ? 1000 : 4000, quick ? 5000 : 20_000, configurations.asRun, 1);
  const latencyOneVmActor: BenchReport['latencyOneVmActor'] = {
    vms: 1, latencyUs: percentilesOnly(oneVm.latencyUs), toTakenP99Us: oneVm.latencyUs.toTakenUs.p99, takenToCallbackP99Us: oneVm.latencyUs.takenToCallbackUs.p99,
    noCpuWaitUs: oneVm.latencyUs.noCpuWaitUs, rawWakeP99Us: oneVm.rawWakeRttUs.p99, p99ToWakeRatio: oneVm.latencyUs.p99 / oneVm.rawWakeRttUs.p99, vmmCpuPct: vmmCpuPct(oneVm),
  };
  measured['latencyOneVmActor'] = latencyOneVmActor;
  const gapsRun = await measureInterruptLatencyInChild(quick ? 1000 : 4000, quick ? 5000 : 20_000, configurations.asRun, 4, true);
  const latencyTailGaps = gapsRun.tailGaps ?? null;
  measured['latencyTailGaps'] = latencyTailGaps;
  say('postMessage and Comlink round trips');
  const post = await measurePostMessageRtt({ roundTrips: quick ? 2000 : 20_000 });
  const comlink = await measureComlinkRtt({ roundTrips: quick ? 2000 : 20_000 });
  measured['postMessageRttUs'] = post.medianRttUs;
  measured['comlinkRttUs'] = comlink.medianRttUs;

  say('simulated runtime: core steps per second, in a process of its own');
  // A process of its own, as a user's runs one scenario (simStepsInChild.ts says why).
  const sim = await measureSimStepsInChild(quick ? 30_000 : 300_000, times);
  const simSteps = repeated(sim.samples.map((run) => run.stepsPerSec));
  const simCpu = sim.samples.map((run) => run.cpuStepsPerSec);
  measured['simSteps'] = simSteps;
  const simAllocation = sim.allocation;

  say('explorer on the default scenario: this thread, pools of 1 and 2 workers (warm and cold), alternated');
  // Campaigns of 10 s on one worker (full run): long enough that the pool's start-up is amortized, as a real hunt is.
  const scaling = await measureExploreScaling(quick ? 1 : 10, times);
  const explore: BenchReport['explore'] = [
    { workers: 1, execsPerSec: scaling.oneWorkerExecsPerSec }, { workers: 2, execsPerSec: scaling.twoWorkersExecsPerSec },
  ];
  measured['explore'] = explore;

  say("the peer: the zoo's stale-cancel race in fast-check's fc.scheduler, and in vmmsim");
  const { fastCheck, vmmsim, ...peer } = await measurePeerRoundsInChild(quick ? PEER_ROUNDS_QUICK : PEER_ROUNDS);

  const cpu = cpus()[0]?.model ?? 'unknown';
  return {
    date: new Date().toISOString(),
    quick,
    machine: { cores: availableParallelism(), cpu, node: process.version, platform: `${process.platform}-${process.arch}` },
    eventPath,
    rawQueueMsgsPerSec: eventPath.map((r) => r.rawQueueMsgsPerSec),
    eventPathToRawRatio: largest.eventsPerSec / largest.rawQueueMsgsPerSec,
    latencyUs,
    latencyFromRaiseUs: fromRaiseUs,
    latencyToTakenUs: toTakenUs,
    latencyTakenToCallbackUs: takenToCallbackUs,
    latencyNoCpuWaitUs: noCpuWaitUs,
    latencyTakenToCallbackNoCpuWaitUs: takenToCallbackNoCpuWaitUs ?? null,
    latencyVmmStalls: latency.vmmTime?.stalls ?? null,
    latencyPicLatenessUs: latency.picLatenessUs,
    latencyVmmCpuPct: vmmCpuPct(latency),
    latencyVmmPlacement: latency.vmmPlacement ?? null,
    rawWakeRttUs: latency.rawWakeRttUs.p50,
    rawWakeRttUsPercentiles: latency.rawWakeRttUs,
    latencyP99ToWakeRatio: latencyUs.p99 / latency.rawWakeRttUs.p99,
    latencyRuns: latencyRepeats.map((run) => ({ p99Us: run.latencyUs.p99, rawWakeP99Us: run.rawWakeRttUs.p99, p99ToWakeRatio: p99Ratio(run) })),
    latencyP99ToWakeP50Ratio: latencyUs.p99 / latency.rawWakeRttUs.p50,
    latencyNodeFlags: configurations.asRun,
    latencyOtherV8Pool,
    latencyOneVmActor,
    latencyTailGaps,
    postMessageRttUs: post.medianRttUs,
    comlinkRttUs: comlink.medianRttUs,
    simStepsPerSec: Math.round(simSteps.median),
    simSteps,
    simCpuStepsPerSec: Math.round(repeated(simCpu).median),
    simBytesPerStep: simAllocation.bytesPerStep!,
    simScavengesPerMillionSteps: (simAllocation.scavenges! * 1e6) / simAllocation.steps,
    exploreExecsPerSec: explore[0]!.execsPerSec,
    explore,
    exploreSpeedup2Workers: scaling.speedup,
    exploreCpuEfficiency2Workers: scaling.cpuEfficiency,
    exploreCampaignSeconds: scaling.campaignSeconds,
    exploreScaling: {
      iterations: scaling.iterations, onePoolWorkerExecsPerSec: scaling.onePoolWorkerExecsPerSec,
      speedupOverOnePoolWorker: scaling.speedupOverOnePoolWorker, coldOneWorkerExecsPerSec: scaling.coldOneWorkerExecsPerSec,
      coldTwoWorkersExecsPerSec: scaling.coldTwoWorkersExecsPerSec, coldSpeedup: scaling.coldSpeedup, cpuUsPerExec: scaling.cpuUsPerExec,
    },
    fastCheck,
    vmmsim,
    peer,
  };
}

/** The VMM thread's share of the latency run's wall time on a CPU (%), or null off Linux. */
function vmmCpuPct(latency: LatencyResult): number | null {
  return latency.vmmThread === null || latency.vmmTime === null ? null : Math.round((1000 * latency.vmmThread.cpuMs) / latency.vmmTime.wallMs) / 10;
}

/** The four percentiles and the count of a latency summary, without its parts. */
function percentilesOnly(summary: LatencyResult['latencyUs']): Percentiles {
  const { count, p50, p99, p999, max } = summary;
  return { count, p50, p99, p999, max };
}
