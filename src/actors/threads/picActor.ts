/**
 * The PIC actor: the hardware side of the devices. Each IRQ source asserts as a Poisson process
 * in real time, its mean interval the device's meanIntervalTicks read as microseconds and scaled
 * by `irqScale`; an assertion sets the source's bit in the shared IRQ word (irqLines.ts), where
 * the VMM actor finds it at its next preemption point. Which ring-0 instruction an IRQ cuts in
 * at is therefore decided by real timing: that is the stress test. Then it wakes the VMM actor if
 * that is parked waiting for a VM's op (ConsumerWaker: one atomic load when it is not), since the
 * CPU takes the interrupt there too. Between assertions the actor parks (Atomics.wait with a
 * timeout), never spins.
 */
import hdr from 'hdr-histogram-js';
import { ConsumerWaker } from '../../shared/queue/mpscQueue.js';
import { Rng } from '../../shared/rng.js';
import { SLICE_MS, actorContext, exposeApi, yieldIfDue, type ActorContext } from './actorContext.js';
import { FaultTrigger } from './faults.js';
import { heartbeatOf } from './heartbeats.js';
import { IRQ_SOURCES_MAX, IrqRaiser } from './irqLines.js';
import type { PicActorApi, PicSetup, PicStats } from './protocol.js';
import { readThreadTimes, threadTimesSince, type ThreadTimes } from './threadTimes.js';
import { placeThisThread } from './threadLayout.js';
import { setUpScenarioThread } from '../../shared/scenarioThread.js';

interface Hardware {
  meanIntervalsUs: number[];
  raiser: IrqRaiser;
  /** The VMM actor, when it is parked on the op queue. */
  vmm: ConsumerWaker;
  rng: Rng;
  setup: PicSetup;
}

class PicActor {
  private hardware: Hardware | null = null;
  private stopped = false;
  private fault: FaultTrigger | null = null;
  private threadAtStart: ThreadTimes | null = null;
  /** How late each assertion was raised after it was due (µs): the cost of parking between them. */
  private readonly lateness = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 2 });
  /** Never notified: the actor parks on it only to sleep until the next assertion is due. */
  private readonly sleepWord = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly context: ActorContext) {}

  async configure(setup: PicSetup): Promise<void> {
    if (setup.layout !== null) placeThisThread(setup.layout.actorCpus);
    const sources = setup.meanIntervalTicks;
    if (sources.length > IRQ_SOURCES_MAX) throw new Error(`${sources.length} IRQ sources; the threaded runtime handles ${IRQ_SOURCES_MAX}`);
    this.hardware = {
      meanIntervalsUs: sources.map((ticks) => ticks * setup.irqScale),
      raiser: new IrqRaiser(setup.buffers.irq),
      vmm: new ConsumerWaker(setup.buffers.queue),
      rng: new Rng(setup.seed).child('pic'),
      setup,
    };
  }

  start(): void {
    this.assertLines().catch((error: unknown) => this.context.fail(error));
  }

  stop(): void {
    this.stopped = true;
    this.fault?.checkStop();
  }

  stats(): PicStats {
    const h = this.lateness;
    return {
      raises: this.hardware?.raiser.raises(this.hardware.meanIntervalsUs.length) ?? [], thread: threadTimesSince(this.threadAtStart),
      latenessUs: { count: h.totalCount, p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), max: h.maxValue },
    };
  }

  private async assertLines(): Promise<void> {
    if (this.hardware === null) throw new Error('pic actor started before it was configured');
    const { meanIntervalsUs, raiser, vmm, rng, setup } = this.hardware;
    const startMs = performance.now();
    const fault = new FaultTrigger(setup.faults, 'pic', startMs, heartbeatOf(setup.buffers.heartbeats, 'pic'));
    this.fault = fault;
    this.threadAtStart = readThreadTimes();
    const nowUs = (): number => (performance.now() - startMs) * 1000;
    const interval = (i: number): number => -Math.log(1 - rng.float()) * meanIntervalsUs[i]!;
    const dueUs = meanIntervalsUs.map((_, i) => interval(i));
    let sliceStartMs = startMs;
    while (!this.stopped) {
      const now = nowUs();
      let mask = 0;
      for (let i = 0; i < dueUs.length; i++) {
        if (dueUs[i]! > now) continue;
        mask |= 1 << i;
        this.lateness.recordValue(Math.max(1, Math.round(now - dueUs[i]!)));
        // From now, not from when it was due: a late wake-up does not cause a burst.
        dueUs[i] = now + interval(i);
      }
      if (mask !== 0) {
        raiser.raise(mask);
        vmm.wake();
      }
      fault.check(performance.now());
      const sleepMs = (Math.min(...dueUs) - nowUs()) / 1000;
      if (sleepMs > 0) Atomics.wait(this.sleepWord, 0, 0, Math.min(sleepMs, SLICE_MS));
      sliceStartMs = await yieldIfDue(sliceStartMs);
    }
  }
}

export function startPicActor(): void {
  // This thread writes no command output: a print of the scenario's goes to stderr.
  setUpScenarioThread();
  const actor = new PicActor(actorContext());
  const api: PicActorApi = {
    configure: (setup) => actor.configure(setup),
    start: () => actor.start(),
    stop: () => actor.stop(),
    stats: () => actor.stats(),
  };
  exposeApi(api);
}
