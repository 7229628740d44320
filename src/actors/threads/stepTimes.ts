/**
 * The wall-clock start time of client steps, for a timeline of a threaded run, in bounded
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

  add(timesUs: readonly number[]): void {
    for (const t of timesUs) {
      if (this.steps % this.strideSteps === 0) this.samples.push(t);
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
