/**
 * Interrupt → callback latency on threads (the default machine, its IRQs raised by the PIC
 * actor in real time), next to the raw Atomics wake round trip measured in the same run, and
 * what the VMM thread did meanwhile: its stalls (stretches without a step) by cause, and the
 * latency of the samples that did not wait for the VMM to get a CPU back.
 *
 *   node --v8-pool-size=1 dist/bench/latency.js [durationMs] [wakeRoundTrips] [auto|split|shared] [vms] [gaps]
 *
 * The thread layout (threadLayout.ts) as runs get it by default (auto), always (split) or never
 * (shared), for comparison; fewer VMs, fewer threads competing for the cores. `gaps`: also what
 * the VMM did in each gap between preemption points over 300 µs (preemptionGaps.ts; it reads the
 * clock at every preemption point, so the figure itself is not measured that way).
 */
import { runThreads } from '../src/actors/threads/orchestrator.js';
import type { LatencySummary } from '../src/actors/threads/latencyProbe.js';
import type { GapSummary } from '../src/actors/threads/preemptionGaps.js';
import type { PicStats, VmmTime } from '../src/actors/threads/protocol.js';
import type { ThreadLayoutMode } from '../src/actors/threads/threadLayout.js';
import type { ThreadTimes } from '../src/actors/threads/threadTimes.js';
import { runIfEntry } from './transport/runDirectly.js';
import { measureWakeRtt } from './transport/wakeRtt.js';

export interface LatencyResult {
  latencyUs: LatencySummary;
  rawWakeRttUs: { p50: number; p99: number; p999: number; max: number };
  /** The VMM actor's wall time by activity, with its stalls. */
  vmmTime: VmmTime | null;
  /** The kernel's view of the VMM thread during the run (null off Linux). */
  vmmThread: ThreadTimes | null;
  /** How late the PIC actor raised IRQs after they were due (µs). */
  picLatenessUs: PicStats['latenessUs'] | null;
  /** The CPUs the VMM actor was placed on (threadLayout.ts) and when it gave them up; null if it was not placed. */
  vmmPlacement: { cpus: number[]; gaveUpAtMs: number | null } | null;
  /** What the VMM did between preemption points (only when asked for: preemptionGaps.ts). */
  tailGaps?: GapSummary | null;
}

export async function measureInterruptLatency(durationMs: number, wakeRoundTrips: number, threadLayout: ThreadLayoutMode = 'auto', vms = 4, tailGaps = false): Promise<LatencyResult> {
  const run = await runThreads({
    scenario: { kind: 'builtin', vms }, seed: 1, config: { handleMode: 'checked', latitude: false },
    durationMs, measureLatency: true, threadLayout, tailGaps,
  });
  if (run.outcome !== 'completed' || run.latencyUs === null) throw new Error(`latency run ${run.outcome}`);
  const wake = await measureWakeRtt({ roundTrips: wakeRoundTrips });
  return {
    latencyUs: run.latencyUs,
    rawWakeRttUs: { p50: wake.rttUs.p50Us, p99: wake.rttUs.p99Us, p999: wake.rttUs.p999Us, max: wake.rttUs.maxUs },
    vmmTime: run.vmm?.time ?? null,
    vmmThread: run.vmm?.thread ?? null,
    picLatenessUs: run.pic?.latenessUs ?? null,
    vmmPlacement: run.vmm?.placement ?? null,
    ...(tailGaps ? { tailGaps: run.vmm?.tailGaps ?? null } : {}),
  };
}

runIfEntry(import.meta.url, async () => {
  const [durationMs = '4000', wakeRoundTrips = '20000', layout = 'auto', vms = '4', gaps = ''] = process.argv.slice(2);
  if (layout !== 'auto' && layout !== 'split' && layout !== 'shared') throw new Error(`thread layout must be auto, split or shared, got ${layout}`);
  if (gaps !== '' && gaps !== 'gaps') throw new Error(`the fifth argument may only be "gaps", got ${gaps}`);
  return measureInterruptLatency(Number(durationMs), Number(wakeRoundTrips), layout, Number(vms), gaps === 'gaps');
});
