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
    `latency p99 / raw wake RTT p99: **${n(r.latencyP99ToWakeRatio, 2)}** (target ≤ 2; over the raw p50: ${n(r.latencyP99ToWakeP50Ratio, 1)}) · postMessage RTT ${n(r.postMessageRttUs, 1)} µs · Comlink RTT ${n(r.comlinkRttUs, 1)} µs (why the hot path avoids them)`,
    '',
    '## Simulated runtime',
    '',
    `- core steps/s on one thread: **${n(r.simStepsPerSec)}** (spread ${n(r.simSteps.min)}–${n(r.simSteps.max)}; target ≥ 5,000,000)`,
    ...r.explore.map((e) => `- explorer executions/s, default scenario, default strategy, ${e.workers} worker${e.workers > 1 ? 's (piscina)' : ' (this thread)'}: **${n(e.execsPerSec)}**`),
    `- 2 workers / 1 worker on a ${n(r.exploreCampaignSeconds, 1)} s campaign: **${n(r.exploreSpeedup2Workers, 2)}×** (target ≥ 1.7 on 2 quiet cores); executions per CPU-second, 2 workers / 1: ${n(r.exploreCpuEfficiency2Workers, 2)} (the pool's own cost, whatever else loads the machine)`,
    '',
    "## The peer: the zoo's stale-cancel race",
    '',
    '| | executions/s | executions to first bug |',
    '| --- | ---: | ---: |',
    `| fast-check fc.scheduler (a 3-actor model of the race) | ${n(r.fastCheck.execsPerSec)} | ${r.fastCheck.execsToFirstBug ?? 'not found'} |`,
    `| vmmsim explore, PCT (${r.vmmsim.scenario}: the whole simulated VMM) | ${n(r.vmmsim.execsPerSec)} | ${r.vmmsim.execsToFirstBug ?? 'not found'} |`,
  ];
  return lines;
}
