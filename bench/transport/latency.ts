// Latency recording for the transport benches: HdrHistogram in integer nanoseconds
// (fine resolution for sub-microsecond Atomics wakes), reported in microseconds.
import hdr from 'hdr-histogram-js';

export interface LatencySummaryUs {
  count: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

export interface LatencyRecorder {
  recordMs(elapsedMs: number): void;
  summaryUs(): LatencySummaryUs;
}

const NS_PER_MS = 1e6;
const NS_PER_US = 1e3;

export function createLatencyRecorder(): LatencyRecorder {
  // 3 significant digits: 0.1% value error, plenty for percentiles of a noisy system.
  const histogram = hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
  });
  return {
    recordMs(elapsedMs: number): void {
      histogram.recordValue(Math.max(1, Math.round(elapsedMs * NS_PER_MS)));
    },
    summaryUs(): LatencySummaryUs {
      const us = (ns: number): number => Math.round((ns / NS_PER_US) * 100) / 100;
      return {
        count: histogram.totalCount,
        meanUs: us(histogram.mean),
        p50Us: us(histogram.getValueAtPercentile(50)),
        p99Us: us(histogram.getValueAtPercentile(99)),
        p999Us: us(histogram.getValueAtPercentile(99.9)),
        maxUs: us(histogram.maxValue),
      };
    },
  };
}
