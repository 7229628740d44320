// Raw Atomics.wait/notify round trip between two threads: the floor under any
// park/wake based transport (including the MPSC queue's blocking pop/push).
import { createLatencyRecorder, type LatencySummaryUs } from './latency.js';
import { runIfEntry } from './runDirectly.js';
import { spawnBenchWorker, watchWorkers } from './spawnBenchWorker.js';
import { createGate, openGate, waitForArrivals } from './startGate.js';
import { PING, PONG, STOP, WORDS } from './wakeProtocol.js';

export interface WakeRttOptions {
  roundTrips: number;
  /** Unrecorded round trips first, so JIT compilation and thread start-up do not skew the tail. */
  warmupRoundTrips: number;
}

export interface WakeRttResult {
  roundTrips: number;
  roundTripsPerSec: number;
  rttUs: LatencySummaryUs;
}

export const WAKE_RTT_DEFAULTS: WakeRttOptions = { roundTrips: 20_000, warmupRoundTrips: 2_000 };

/** A reply this late means the pong thread died; fail instead of hanging. */
const REPLY_TIMEOUT_MS = 5_000;

export async function measureWakeRtt(options: Partial<WakeRttOptions> = {}): Promise<WakeRttResult> {
  const { roundTrips, warmupRoundTrips } = { ...WAKE_RTT_DEFAULTS, ...options };
  const buffer = new SharedArrayBuffer(WORDS * Int32Array.BYTES_PER_ELEMENT);
  const words = new Int32Array(buffer);
  const gate = createGate();
  const worker = spawnBenchWorker('wakePong', { words: buffer, gate });
  const health = watchWorkers([worker]);
  try {
    await waitForArrivals(gate, 1, () => health.error);
    openGate(gate);
    const latency = createLatencyRecorder();
    const total = warmupRoundTrips + roundTrips;
    let measuredStartMs = performance.now();
    for (let round = 1; round <= total; round++) {
      if (round === warmupRoundTrips + 1) measuredStartMs = performance.now();
      const startMs = performance.now();
      Atomics.store(words, PING, round);
      Atomics.notify(words, PING);
      while (Atomics.load(words, PONG) !== round) {
        if (Atomics.wait(words, PONG, round - 1, REPLY_TIMEOUT_MS) === 'timed-out') {
          throw health.error ?? new Error(`no pong for round ${round} within ${REPLY_TIMEOUT_MS} ms`);
        }
      }
      if (round > warmupRoundTrips) latency.recordMs(performance.now() - startMs);
    }
    const elapsedMs = performance.now() - measuredStartMs;
    return {
      roundTrips,
      roundTripsPerSec: Math.round(roundTrips / (elapsedMs / 1000)),
      rttUs: latency.summaryUs(),
    };
  } finally {
    Atomics.store(words, PING, STOP);
    Atomics.notify(words, PING);
    await worker.terminate();
  }
}

runIfEntry(import.meta.url, () => measureWakeRtt());
