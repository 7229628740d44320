/** The bench report as a table (stdout, bench.md). */
import type { BenchReport } from './suite.js';

const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function benchTable(r: BenchReport): string[] {
  const lines = [
    `# vmmsim bench${r.quick ? ' (--quick)' : ''}`,
    '',
    `${r.date} · ${r.machine.cores} cores · ${r.machine.cpu} · Node ${r.machine.node}`,
    '',
    '## Event path on threads (one Call_Global_Event request → decision → callback → completion per message)',
    '',
    '| VM actors | events/s (median) | spread | raw SAB queue msgs/s, same producers & messages | ratio |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...r.eventPath.map((row) => `| ${row.vms} | ${n(row.eventsPerSec)} | ${n(row.spread.min)}–${n(row.spread.max)} | ${n(row.rawQueueMsgsPerSec)} | ${n(row.ratio, 3)} |`),
    '',
    `eventPathToRawRatio (${r.eventPath[r.eventPath.length - 1]!.vms} VMs): **${n(r.eventPathToRawRatio, 3)}** (target ≥ 0.5)`,
    '',
    '## Interrupt → callback latency on threads (µs)',
    '',
    '| | p50 | p99 | p99.9 | max |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| IRQ raised by the PIC actor → the device's callback runs (${n(r.latencyUs.count)} samples) | ${n(r.latencyUs.p50)} | ${n(r.latencyUs.p99)} | ${n(r.latencyUs.p999)} | ${n(r.latencyUs.max)} |`,
    `| raw Atomics wait/notify round trip | ${n(r.rawWakeRttUsPercentiles.p50, 1)} | ${n(r.rawWakeRttUsPercentiles.p99, 1)} | ${n(r.rawWakeRttUsPercentiles.p999, 1)} | ${n(r.rawWakeRttUsPercentiles.max)} |`,
    '',
    `latency p99 / raw wake RTT (p50): **${n(r.latencyP99ToWakeRatio, 2)}** (target ≤ 2) · postMessage RTT ${n(r.postMessageRttUs, 1)} µs · Comlink RTT ${n(r.comlinkRttUs, 1)} µs (why the hot path avoids them)`,
    '',
    '## Simulated runtime',
    '',
    `- core steps/s on one thread: **${n(r.simStepsPerSec)}** (spread ${n(r.simSteps.min)}–${n(r.simSteps.max)}; target ≥ 5,000,000)`,
    ...r.explore.map((e) => `- explorer executions/s, default scenario, default strategy, ${e.workers} worker${e.workers > 1 ? 's (piscina, warm)' : ' (this thread, warm)'}: **${n(e.execsPerSec)}**`),
    `- 2 workers / 1 worker on a ${n(r.exploreCampaignSeconds, 1)} s campaign, both warm: **${n(r.exploreSpeedup2Workers, 2)}×** (target ≥ 1.7 on 2 quiet cores); executions per CPU-second, 2 workers / 1: ${n(r.exploreCpuEfficiency2Workers, 2)} (the pool's own cost, whatever else loads the machine)`,
    ...exploreScalingLines(r.exploreScaling),
    '',
    "## The peer: the zoo's stale-cancel race",
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
