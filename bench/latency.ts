/**
 * Interrupt → callback latency on threads (the default machine, its IRQs raised by the PIC
 * actor in real time), next to the raw Atomics wake round trip measured in the same run.
 */
import { runThreads } from '../src/actors/threads/orchestrator.js';
import type { LatencySummary } from '../src/actors/threads/latencyProbe.js';
import { measureWakeRtt } from './transport/wakeRtt.js';

export interface LatencyResult {
  latencyUs: LatencySummary;
  rawWakeRttUs: { p50: number; p99: number; p999: number; max: number };
}

export async function measureInterruptLatency(durationMs: number, wakeRoundTrips: number): Promise<LatencyResult> {
  const run = await runThreads({
    scenario: { kind: 'builtin', vms: 4 }, seed: 1, config: { handleMode: 'checked', latitude: false },
    durationMs, measureLatency: true,
  });
  if (run.outcome !== 'completed' || run.latencyUs === null) throw new Error(`latency run ${run.outcome}`);
  const wake = await measureWakeRtt({ roundTrips: wakeRoundTrips });
  return {
    latencyUs: run.latencyUs,
    rawWakeRttUs: { p50: wake.rttUs.p50Us, p99: wake.rttUs.p99Us, p999: wake.rttUs.p999Us, max: wake.rttUs.maxUs },
  };
}
