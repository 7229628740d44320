import { describe, expect, it } from 'vitest';
import { StepTimeSampler } from '../../../src/actors/threads/stepTimes.js';

describe('step start times in bounded memory', () => {
  it('keeps every step while under the bound', () => {
    const sampler = new StepTimeSampler(100);
    sampler.add([0, 5, 9]);
    sampler.add([14]);
    expect(sampler.stride).toBe(1);
    expect(sampler.samplesFor(4)).toEqual([0, 5, 9, 14]);
    expect(sampler.samplesFor(2)).toEqual([0, 5]);
  });

  it('past the bound, samples evenly: sample i is the time of step i * stride', () => {
    const sampler = new StepTimeSampler(10);
    const steps = 1000;
    for (let chunk = 0; chunk < steps; chunk += 37) sampler.add(Array.from({ length: Math.min(37, steps - chunk) }, (_, i) => (chunk + i) * 3));
    const samples = sampler.samplesFor(steps);
    expect(samples.length).toBeLessThanOrEqual(10);
    expect(sampler.stride).toBeGreaterThan(1);
    samples.forEach((t, i) => expect(t).toBe(i * sampler.stride * 3));
    expect((samples.length - 1) * sampler.stride).toBeGreaterThan(steps - 2 * sampler.stride);
  });

  it('from samples every baseStride steps: the stride starts there and doubles as it thins', () => {
    const sampler = new StepTimeSampler(4, 64);
    sampler.add([0, 100, 200]);
    expect(sampler.stride).toBe(64);
    expect(sampler.samplesFor(129)).toEqual([0, 100, 200]);
    expect(sampler.samplesFor(128)).toEqual([0, 100]);
    sampler.add([300, 400]);
    expect(sampler.stride).toBe(128);
    expect(sampler.samplesFor(5 * 64)).toEqual([0, 200, 400]);
  });
});
