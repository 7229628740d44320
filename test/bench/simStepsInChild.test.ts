// The bench's core figure is measured in a child process (bench/simStepsInChild.ts): it runs the
// default scenario for the steps asked, as many timed samples as asked, then the allocation run,
// and hands back each run's own counts (a figure that did not run would have no records).
import { describe, expect, it } from 'vitest';
import { measureSimStepsInChild } from '../../bench/simStepsInChild.js';

describe('the core steps/s figure, in a process of its own', () => {
  it('returns `times` timed runs of `steps` steps, and an allocation run', async () => {
    const { samples, allocation } = await measureSimStepsInChild(3000, 2);
    expect(samples).toHaveLength(2);
    for (const run of samples) {
      expect(run.steps).toBe(3000);
      // Several records per step (a client op, its service calls, their results...).
      expect(run.records).toBeGreaterThan(2 * run.steps);
      expect(run.stepsPerSec).toBeGreaterThan(0);
      expect(run.cpuStepsPerSec).toBeGreaterThan(0);
      expect(run.bytesPerStep).toBeUndefined();
    }
    // The same seed and steps: the same run, so the same records.
    expect(samples[1]!.records).toBe(samples[0]!.records);
    expect(allocation.steps).toBe(3000);
    expect(allocation.bytesPerStep).toBeGreaterThan(0);
  }, 60_000);
});
