/**
 * The VMM actor's side: the start time of every STEP_TIME_STRIDE-th client step (steps 0, 64,
 * 128, ...: read at the loop's regular check, where it reads the clock anyway), in whole µs since
 * its loop started, the first `max` of them; handed out since the last chunk as their own buffer
 * (moved to the main thread with the chunk, not copied). Reading the clock at every step cost the
 * VMM 42 ns a step (some 7% of a step) and the main thread a number per step.
 */
export const STEP_TIME_STRIDE = 64;

export class StepStartLog {
  private times: Float64Array;
  private used = 0;
  private left: number;

  constructor(max: number, private readonly initial = 1024) {
    this.left = max;
    this.times = new Float64Array(initial);
  }

  /** False once the first `max` samples are noted: no need to read the clock. */
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
 * memory however long the run. Every sample received (one every `baseStride` steps) is kept until
 * `samplesMax` are held; then every other sample is dropped and the stride doubles, so the
 * samples always cover the whole run evenly, and a timeline interpolates between them. From the
 * VMM actor (a sample every 64 steps), the default bound keeps every sample of a run of 256
 * million steps, a couple of minutes.
 *
 *   samples:  t(0)  t(s)  t(2s)  t(3s) ...   (s = stride; sample i is the start of step i*s)
 */
export class StepTimeSampler {
  private samples: number[] = [];
  /** One received sample in `every` is kept. */
  private every = 1;
  /** Samples received so far. */
  private received = 0;

  /** `baseStride`: steps between two samples received. */
  constructor(private readonly samplesMax: number, private readonly baseStride = 1) {}

  add(timesUs: ArrayLike<number>): void {
    for (let i = 0; i < timesUs.length; i++) {
      if (this.received % this.every === 0) this.samples.push(timesUs[i]!);
      this.received++;
      if (this.samples.length > this.samplesMax) this.thin();
    }
  }

  /** Steps between two samples kept. */
  get stride(): number {
    return this.baseStride * this.every;
  }

  /** The samples that fall in the first `steps` steps. */
  samplesFor(steps: number): number[] {
    return this.samples.slice(0, Math.ceil(steps / this.stride));
  }

  private thin(): void {
    this.samples = this.samples.filter((_, i) => i % 2 === 0);
    this.every *= 2;
  }
}
