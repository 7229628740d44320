// Shared timing loop for the message-passing benches (postMessage, Comlink): one
// awaited round trip at a time, so the numbers are latency, not pipelined throughput.
import { createLatencyRecorder, type LatencySummaryUs } from './latency.js';

export interface AsyncRttOptions {
  roundTrips: number;
  /** Unrecorded round trips first (JIT warm-up, worker start-up). */
  warmupRoundTrips: number;
}

export interface AsyncRttResult {
  roundTrips: number;
  /** Sequential round trips per second (= 2 messages each). */
  roundTripsPerSec: number;
  medianRttUs: number;
  rttUs: LatencySummaryUs;
}

export const ASYNC_RTT_DEFAULTS: AsyncRttOptions = { roundTrips: 20_000, warmupRoundTrips: 2_000 };

export async function timeRoundTrips(
  options: Partial<AsyncRttOptions>,
  roundTrip: (round: number) => Promise<void>,
): Promise<AsyncRttResult> {
  const { roundTrips, warmupRoundTrips } = { ...ASYNC_RTT_DEFAULTS, ...options };
  for (let round = 0; round < warmupRoundTrips; round++) await roundTrip(round);
  const latency = createLatencyRecorder();
  const measuredStartMs = performance.now();
  for (let round = 0; round < roundTrips; round++) {
    const startMs = performance.now();
    await roundTrip(round);
    latency.recordMs(performance.now() - startMs);
  }
  const elapsedMs = performance.now() - measuredStartMs;
  const rttUs = latency.summaryUs();
  return {
    roundTrips,
    roundTripsPerSec: Math.round(roundTrips / (elapsedMs / 1000)),
    medianRttUs: rttUs.p50Us,
    rttUs,
  };
}
