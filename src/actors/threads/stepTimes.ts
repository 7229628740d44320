/**
 * The VMM actor's side: the start times of client steps since the last chunk, in whole µs since
 * its loop started, for the first `max` steps of the run; handed out as their own buffer (moved
 * to the main thread with the chunk, not copied).
 */
export class StepStartLog {
  private times: Float64Array;
  private used = 0;
  private left: number;

  constructor(max: number, private readonly initial = 4096) {
    this.left = max;
    this.times = new Float64Array(initial);
  }

  /** False once the first `max` steps are noted: no need to read the clock. */
  get wanted(): boolean {
    return this.left > 0;
  }

  note(atUs: number): void {
    if (this.used === this.times.length) {
      const bigger = new Float64Array(2 * this.times.length);
      bigger.set(this.times);
      this.times = bigger;
    }
    this.times[this.used++] = atUs;
    this.left--;
  }

  drain(): Float64Array {
    const out = this.times.subarray(0, this.used);
    this.times = new Float64Array(this.left > 0 ? Math.max(this.initial, this.used + (this.used >> 2)) : 0);
    this.used = 0;
    return out;
  }
}

/**
 * The main thread's side: the wall-clock start time of client steps, for a timeline of a threaded run, in bounded
 * memory however long the run. Every step's time is kept until `samplesMax` are held; then every
 * other sample is dropped and the stride doubles (1, 2, 4, ... steps between samples), so the
 * samples always cover the whole run evenly. A 3 s run (about 1.5 million steps) keeps every
 * step's time; a 10-minute stress run keeps one every 64 or 128 steps, and a timeline
 * interpolates between them.
 *
 *   samples:  t(0)  t(s)  t(2s)  t(3s) ...   (s = stride; sample i is the start of step i*s)
 */
export class StepTimeSampler {
  private samples: number[] = [];
  private strideSteps = 1;
  /** Steps seen so far. */
  private steps = 0;

  constructor(private readonly samplesMax: number) {}

  add(timesUs: ArrayLike<number>): void {
    for (let i = 0; i < timesUs.length; i++) {
      if (this.steps % this.strideSteps === 0) this.samples.push(timesUs[i]!);
      this.steps++;
      if (this.samples.length > this.samplesMax) this.thin();
    }
  }

  get stride(): number {
    return this.strideSteps;
  }

  /** The samples that fall in the first `steps` steps. */
  samplesFor(steps: number): number[] {
    return this.samples.slice(0, Math.ceil(steps / this.strideSteps));
  }

  private thin(): void {
    this.samples = this.samples.filter((_, i) => i % 2 === 0);
    this.strideSteps *= 2;
  }
}
