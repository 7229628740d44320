/** The bench report as a table (stdout, bench.md). */
import type { BenchReport } from './suite.js';

const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const row = (what: string, p: { p50: number; p99: number; p999: number; max: number }): string => `| ${what} | ${n(p.p50)} | ${n(p.p99)} | ${n(p.p999)} | ${n(p.max)} |`;

export function benchTable(r: BenchReport): string[] {
  const lines = [
    `# vmmsim bench${r.quick ? ' (--quick)' : ''}`,
    '',
    `${r.date} · ${r.machine.cores} cores · ${r.machine.cpu} · Node ${r.machine.node}`,
    '',
    '## Event path on threads (one Call_Global_Event request → decision → callback → completion per message)',
    '',
    '| VM actors | events/s (median) | spread | raw SAB queue msgs/s, same producers & messages (median, spread) | ratio | VMM wall: core / waiting for ops / between slices | VMM had a CPU | events per VMM CPU-second |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.eventPath.map((row) => `| ${row.vms} | ${n(row.eventsPerSec)} | ${n(row.spread.min)}–${n(row.spread.max)} | ${n(row.rawQueueMsgsPerSec)} (${n(row.rawQueueSpread.min)}–${n(row.rawQueueSpread.max)}) | ${n(row.ratio, 3)} | ${n(row.vmmTimePct.core, 1)}% / ${n(row.vmmTimePct.waitForOps, 1)}% / ${n(row.vmmTimePct.betweenSlices, 1)}% | ${row.vmmCpuPct === null ? '–' : `${n(row.vmmCpuPct, 1)}%`} | ${row.eventsPerVmmCpuSec === null ? '–' : n(row.eventsPerVmmCpuSec)} |`),
    '',
    `eventPathToRawRatio (${r.eventPath[r.eventPath.length - 1]!.vms} VMs): **${n(r.eventPathToRawRatio, 3)}** (target ≥ 0.5)`,
    '',
    '## Interrupt → callback latency on threads (µs)',
    '',
    '| | p50 | p99 | p99.9 | max |',
    '| --- | ---: | ---: | ---: | ---: |',
    row(`IRQ can interrupt → the device's callback runs (${n(r.latencyUs.count)} samples)`, r.latencyUs),
    row('  of which: → the CPU takes it at a preemption point', r.latencyToTakenUs),
    row('  of which: taken → the callback runs', r.latencyTakenToCallbackUs),
    ...(r.latencyNoCpuWaitUs === null ? [] : [row(`  the samples during which the VMM thread never waited for a CPU (${n(r.latencyNoCpuWaitUs.count)})`, r.latencyNoCpuWaitUs)]),
    ...(r.latencyTakenToCallbackNoCpuWaitUs === undefined || r.latencyTakenToCallbackNoCpuWaitUs === null ? [] : [row('    of which: taken → the callback runs', r.latencyTakenToCallbackNoCpuWaitUs)]),
    row("from the PIC's raise (waits for the device's previous request included)", r.latencyFromRaiseUs),
    `| raw Atomics wait/notify round trip | ${n(r.rawWakeRttUsPercentiles.p50, 1)} | ${n(r.rawWakeRttUsPercentiles.p99, 1)} | ${n(r.rawWakeRttUsPercentiles.p999, 1)} | ${n(r.rawWakeRttUsPercentiles.max)} |`,
    '',
    ...(r.latencyVmmStalls === null ? [] : [
      ...(r.latencyPicLatenessUs === null ? [] : [`The PIC actor raised its IRQs p50 ${n(r.latencyPicLatenessUs.p50)} µs / p99 ${n(r.latencyPicLatenessUs.p99)} µs after they were due (it parks between them).`, '']),
      placementLine(r.latencyVmmPlacement),
      `The VMM thread had a CPU ${r.latencyVmmCpuPct === null ? '–' : `${n(r.latencyVmmCpuPct, 1)}%`} of the run; its stalls (over 1 ms without a step) covered ${n(100 * r.latencyVmmStalls.shareOfWall, 1)}% of it: waiting for a CPU ${n(r.latencyVmmStalls.runQueueMs)} ms, on CPU (GC, long steps) ${n(r.latencyVmmStalls.onCpuMs)} ms, parked ${n(r.latencyVmmStalls.blockedMs)} ms.`,
      '',
    ]),
    `The run above had node ${r.latencyNodeFlags.length === 0 ? 'flags: none' : r.latencyNodeFlags.join(' ')} (as \`vmmsim run\` on this machine). With ${r.latencyOtherV8Pool.nodeFlags.length === 0 ? "V8's default platform pool (four threads)" : r.latencyOtherV8Pool.nodeFlags.join(' ')} instead: p50 ${n(r.latencyOtherV8Pool.latencyUs.p50)} / p99 ${n(r.latencyOtherV8Pool.latencyUs.p99)} / p99.9 ${n(r.latencyOtherV8Pool.latencyUs.p999)} / max ${n(r.latencyOtherV8Pool.latencyUs.max)} µs against a raw wake p99 of ${n(r.latencyOtherV8Pool.rawWakeRttUs.p99, 1)} µs: **${n(r.latencyOtherV8Pool.p99ToWakeRatio, 2)}×**; the VMM thread had a CPU ${r.latencyOtherV8Pool.vmmCpuPct === null ? '–' : `${n(r.latencyOtherV8Pool.vmmCpuPct, 1)}%`} of it.`,
    '',
    ...oneVmActorLines(r.latencyOneVmActor),
    ...tailGapLines(r.latencyTailGaps),
    `latency p99 / raw wake RTT p99: **${n(r.latencyP99ToWakeRatio, 2)}** (target ≤ 2; the median of ${r.latencyRuns.length} run${r.latencyRuns.length === 1 ? '' : 's'}: ${r.latencyRuns.map((run) => n(run.p99ToWakeRatio, 2)).join(', ')}; over the raw p50: ${n(r.latencyP99ToWakeP50Ratio, 1)}) · postMessage RTT ${n(r.postMessageRttUs, 1)} µs · Comlink RTT ${n(r.comlinkRttUs, 1)} µs (why the hot path avoids them)`,
    '',
    '## Simulated runtime',
    '',
    `- core steps/s on one thread: **${n(r.simStepsPerSec)}** (spread ${n(r.simSteps.min)}–${n(r.simSteps.max)}; target ≥ 2,000,000, stretch 5,000,000); per CPU-second ${n(r.simCpuStepsPerSec)}`,
    `- a core step allocates ${n(r.simBytesPerStep, 0)} bytes (${n(r.simScavengesPerMillionSteps, 1)} scavenges per million steps)`,
    ...r.explore.map((e) => `- explorer executions/s, default scenario, default strategy, ${e.workers} worker${e.workers > 1 ? 's (piscina, warm)' : ' (this thread, warm)'}: **${n(e.execsPerSec)}**`),
    `- 2 workers / 1 worker on a ${n(r.exploreCampaignSeconds, 1)} s campaign, both warm: **${n(r.exploreSpeedup2Workers, 2)}×** (target ≥ 1.7 on 2 quiet cores); executions per CPU-second, 2 workers / 1: ${n(r.exploreCpuEfficiency2Workers, 2)} (the pool's own cost, whatever else loads the machine)`,
    ...exploreScalingLines(r.exploreScaling),
    '',
    "## The peer: the zoo's stale-cancel race",
    '',
    'Both sides in one child process of their own, the same warm-up, alternating rounds (bench/peer/rounds.ts).',
    '',
    '| | executions/s | executions to first bug |',
    '| --- | ---: | ---: |',
    `| fast-check fc.scheduler (a 3-actor model of the race) | ${n(r.fastCheck.execsPerSec)} | ${r.fastCheck.execsToFirstBug ?? 'not found'} |`,
    `| vmmsim explore, PCT (${r.vmmsim.scenario}: the whole simulated VMM) | ${n(r.vmmsim.execsPerSec)} | ${r.vmmsim.execsToFirstBug ?? 'not found'} |`,
    ...(r.fastCheck.execsPerCpuSec !== undefined && r.vmmsim.execsPerCpuSec !== undefined
      ? ['', `executions per CPU-second (whatever the load): fast-check ${n(r.fastCheck.execsPerCpuSec)}, vmmsim ${n(r.vmmsim.execsPerCpuSec)}, ratio ${n(r.vmmsim.execsPerCpuSec / r.fastCheck.execsPerCpuSec, 2)} (target ≥ 1)`]
      : []),
  ];
  return lines;
}

/** The latency run with one VM actor: about as many busy threads as 2 cores. */
function oneVmActorLines(run: BenchReport['latencyOneVmActor']): string[] {
  if (run === undefined) return [];
  const noWait = run.noCpuWaitUs === null ? '' : `; the samples during which the VMM never waited for a CPU p99 ${n(run.noCpuWaitUs.p99)} µs`;
  return [`With one VM actor (VMM, one VM actor, the PIC actor: threads no more than cores): p50 ${n(run.latencyUs.p50)} / p99 ${n(run.latencyUs.p99)} µs (to the take p99 ${n(run.toTakenP99Us)}, take → callback p99 ${n(run.takenToCallbackP99Us)}${noWait}), raw wake p99 ${n(run.rawWakeP99Us, 1)} µs: **${n(run.p99ToWakeRatio, 2)}×**; the VMM thread had a CPU ${run.vmmCpuPct === null ? '–' : `${n(run.vmmCpuPct, 1)}%`} of it.`, ''];
}

/** The samples that waited over 300 µs to be taken, by what the VMM did in the gap they waited through. */
function tailGapLines(gaps: BenchReport['latencyTailGaps']): string[] {
  if (gaps === undefined || gaps === null) return [];
  const causes = Object.entries(gaps.byCause).filter(([, share]) => share.gaps > 0)
    .map(([cause, share]) => `${cause} ${n(share.longSamples)} (${n(share.gaps)} gaps, ${n(share.ms, 1)} ms)`);
  return [`What the VMM did while an IRQ waited over 300 µs to be taken (a run that records every gap between preemption points, src/actors/threads/preemptionGaps.ts): ${n(gaps.longSamples)} such samples, ${n(gaps.gaps)} gaps (${n(gaps.gapsMs, 1)} ms); by the gap's first cause: ${causes.join(', ')}.`, ''];
}

/** Where the latency run's VMM actor ran (the thread layout, src/actors/threads/threadLayout.ts). */
function placementLine(placement: BenchReport['latencyVmmPlacement']): string {
  if (placement === undefined) return '';
  if (placement === null) return 'The VMM actor was not placed (thread layout: every thread anywhere).';
  const gaveUp = placement.gaveUpAtMs === null ? '' : `, until it gave that up at ${n(placement.gaveUpAtMs)} ms (its CPU was crowded)`;
  return `The VMM actor ran alone on CPU ${placement.cpus.join(',')}${gaveUp}; the other actors on the other CPUs.`;
}

function exploreScalingLines(x: BenchReport['exploreScaling'] | undefined): string[] {
  if (x === undefined) return [];
  const cpu = (arm: keyof typeof x.cpuUsPerExec): string => {
    const c = x.cpuUsPerExec[arm];
    return c === null ? 'n/a' : `${n(c.mainUs)} / ${n(c.workersUs)} / ${n(c.runtimeUs)}`;
  };
  return [
    `- 2 workers / 1 pool worker, both warm: ${n(x.speedupOverOnePoolWorker, 2)}× (1 pool worker: ${n(x.onePoolWorkerExecsPerSec)}/s); pools started inside the timer (a fresh \`explore --workers W\`): 1 worker ${n(x.coldOneWorkerExecsPerSec)}/s, 2 workers ${n(x.coldTwoWorkersExecsPerSec)}/s, ${n(x.coldSpeedup, 2)}×`,
    `- CPU µs per execution, this thread / pool workers / runtime threads (GC, compiler): this thread ${cpu('here')} · 1 worker ${cpu('pool1')} · 2 workers ${cpu('pool2')} · cold 1 ${cpu('cold1')} · cold 2 ${cpu('cold2')}`,
  ];
}
