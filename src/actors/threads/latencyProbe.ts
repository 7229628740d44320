/**
 * Interrupt → callback latency on threads: from the moment an IRQ could interrupt the CPU to the
 * moment the VMM actor runs the global event callback that the source's Hw_Int_Proc called or
 * scheduled (inside its Call_Global_Event, or at the processing point after it): the path this
 * project is about. Priority and VM events are left out on purpose: they wait for their VM to be
 * scheduled, by design, not for the transport. An interrupt whose handler neither calls nor
 * schedules a global event of its device (a spurious disk interrupt, a mouse move) gives no sample.
 *
 * "Could interrupt": the PIC actor raised the source (wall clock, shared by all threads) and the
 * core could take it, at the earliest when the VMM's loop started (the PIC actor starts first: an
 * IRQ it raised before had no CPU to interrupt; counted, those few samples waited 17-23 ms). A source whose device still asserts its previous request is held back by
 * the model (edge-triggered: no new edge until the Hw_Int_Proc took the previous one), however
 * fast the threads are; its clock starts at the last preemption point that found it held back.
 * The figure with those waits included, from the PIC's raise, is kept beside it (fromRaiseUs),
 * and so is the split of the figure at the moment the CPU took the IRQ.
 * Recorded in HdrHistograms; only when a run asks for it (`vmmsim bench`).
 */
import hdr from 'hdr-histogram-js';
import type { HistoryRecord } from '../../vmm/history.js';
import { wallClockUs, wallClockUsAt, type IrqTaker } from './irqLines.js';
import type { PreemptionGaps } from './preemptionGaps.js';
import type { StallMeter } from './stallMeter.js';

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LatencySummary extends Percentiles {
  /** From the PIC's raise, the model's hold-backs included (the figure before it excluded them). */
  fromRaiseUs: Percentiles;
  /** The figure's first part: from "could interrupt" to the CPU taking the IRQ at a preemption point. */
  toTakenUs: Percentiles;
  /** The figure's second part: from the CPU taking the IRQ to the callback. */
  takenToCallbackUs: Percentiles;
  /**
   * The figure over the samples during which the VMM thread itself never waited for a CPU
   * (stallMeter.ts). Other threads' waits still count: a VM actor preempted between claiming a
   * queue slot and publishing it holds up the VMM's next op, the PIC raises late. So this is the
   * VMM-side part of "more cores", not all of it. Null when the run did not meter stalls.
   */
  noCpuWaitUs: Percentiles | null;
  /** The second part (take → callback) over those same samples: what that leg is when the VMM keeps its CPU. */
  takenToCallbackNoCpuWaitUs?: Percentiles | null;
}

/** A device's state in the probe: no taken IRQ unanswered, one, one whose handler scheduled its event. */
const IDLE = 0, AWAITING = 1, SCHEDULED = 2;

const histogram = (): hdr.Histogram => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });

function percentiles(h: hdr.Histogram): Percentiles {
  return { count: h.totalCount, p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), p999: h.getValueAtPercentile(99.9), max: h.maxValue };
}

const record = (h: hdr.Histogram, us: number): void => h.recordValue(Math.max(1, Math.round(us)));

export class LatencyProbe {
  private readonly latency = histogram();
  private readonly fromRaise = histogram();
  private readonly toTaken = histogram();
  private readonly takenToCallback = histogram();
  private readonly noCpuWait = histogram();
  private readonly takenToCallbackNoCpuWait = histogram();
  /** Samples waiting for the stall meter's next mark: [couldInterruptUs, takenUs, callbackUs] triples. */
  private unclassified = new Float64Array(3 * 64);
  private unclassifiedLength = 0;
  /**
   * Per device (index in `deviceIndex`): its oldest unanswered taken IRQ (state, and the times of
   * its raise, of the moment it could interrupt, of its take). Typed arrays, not an object per
   * IRQ: the VMM thread allocates nothing per sample, so the probe adds no scavenges to the
   * figure it measures.
   */
  private readonly state: Uint8Array;
  private readonly raisedUs: Float64Array;
  private readonly couldInterruptUs: Float64Array;
  private readonly takenUs: Float64Array;
  private awaitingCount = 0;
  /** Device name → its index; a source's device index. */
  private readonly deviceIndex = new Map<string, number>();
  private readonly deviceOfSource: number[];
  /** Per source: the last preemption point (µs) that found it raised but held back, 0 if none. */
  private readonly heldAtUs: number[];
  /** When the VMM's loop started (wall-clock µs): no IRQ could interrupt before. */
  private loopStartUs = 0;
  /** Callback name → its device's index, -1 for a device without IRQ sources (callbacks are "device.proc"). */
  private readonly deviceOf = new Map<string, number>();

  /** IRQ line → the indexes of the devices with a source on it. */
  private readonly devicesOnLine: number[][] = [];

  constructor(
    private readonly irq: IrqTaker,
    private readonly sources: readonly { device: string; irq: number }[],
    private readonly stalls: StallMeter | null = null,
    /** What the VMM did between preemption points (bench only: a clock read at each one). */
    private readonly gaps: PreemptionGaps | null = null,
  ) {
    this.deviceOfSource = sources.map(({ device }) => {
      let index = this.deviceIndex.get(device);
      if (index === undefined) this.deviceIndex.set(device, (index = this.deviceIndex.size));
      return index;
    });
    sources.forEach(({ irq: line }, i) => (this.devicesOnLine[line] ??= []).push(this.deviceOfSource[i]!));
    const devices = this.deviceIndex.size;
    this.state = new Uint8Array(devices);
    this.raisedUs = new Float64Array(devices);
    this.couldInterruptUs = new Float64Array(devices);
    this.takenUs = new Float64Array(devices);
    this.heldAtUs = sources.map(() => 0);
  }

  /** The VMM's loop starts now. */
  loopStarted(): void {
    this.loopStartUs = wallClockUs();
  }

  /** At a preemption point: takes the raised sources among `eligible` (as IrqTaker.take) and starts their clocks. */
  takeAt(eligible: number): number {
    // With the gap recorder, the clock is read before every take, and after one that found
    // something: a sample taken here was raised after the previous point's take and waited until
    // this one's, so it lies between the previous point's first read and this point's last.
    // One read per point, on either side of the take, left out every sample raised while the VMM
    // stood still between a take and that read (preempted, collecting): 7.6-8.4% of the long
    // waits fell in no long gap. A read allocates a number (16 bytes): the second one is taken
    // only where a sample needs it anyway.
    const gaps = this.gaps;
    const beforeTakeMs = gaps === null ? 0 : performance.now();
    const held = this.irq.heldBack(eligible);
    const taken = this.irq.take(eligible);
    if (held === 0 && taken === 0) {
      if (gaps !== null) gaps.point(beforeTakeMs);
      return 0;
    }
    const pointMs = performance.now();
    if (gaps !== null) gaps.point(beforeTakeMs, pointMs);
    const nowUs = wallClockUsAt(pointMs);
    for (let i = 0; i < this.sources.length; i++) {
      const bit = 1 << i;
      if ((held & bit) !== 0) this.heldAtUs[i] = nowUs;
      if ((taken & bit) === 0) continue;
      const device = this.deviceOfSource[i]!;
      const raisedUs = this.irq.raisedAt(i);
      const couldInterruptUs = Math.max(raisedUs, this.heldAtUs[i]!, this.loopStartUs);
      this.heldAtUs[i] = 0;
      gaps?.taken(nowUs - couldInterruptUs, pointMs);
      if (this.state[device] === IDLE) {
        this.state[device] = AWAITING;
        this.awaitingCount++;
        this.raisedUs[device] = raisedUs;
        this.couldInterruptUs[device] = couldInterruptUs;
        this.takenUs[device] = nowUs;
      }
    }
    return taken;
  }

  readonly onRecord = (record: HistoryRecord): void => {
    if (this.awaitingCount === 0) return;
    if (record.k === 'scheduled' && record.ctx === 'hwint' && record.kind === 'global') {
      const device = this.deviceOfCallback(record.callback);
      if (device >= 0 && this.state[device] === AWAITING) this.state[device] = SCHEDULED;
    } else if (record.k === 'irqExit') {
      // The line's handlers are done: a device that neither called nor scheduled its event has no callback coming.
      for (const device of this.devicesOnLine[record.irq] ?? []) {
        if (this.state[device] === AWAITING) this.answered(device);
      }
    } else if (record.k === 'dispatch' && record.kind === 'global') {
      const device = this.deviceOfCallback(record.callback);
      if (device < 0 || this.state[device] === IDLE) return;
      this.answered(device);
      this.sample(device, wallClockUs());
    }
  };

  summary(): LatencySummary {
    return {
      ...percentiles(this.latency), fromRaiseUs: percentiles(this.fromRaise),
      toTakenUs: percentiles(this.toTaken), takenToCallbackUs: percentiles(this.takenToCallback),
      noCpuWaitUs: this.stalls === null ? null : percentiles(this.noCpuWait),
      takenToCallbackNoCpuWaitUs: this.stalls === null ? null : percentiles(this.takenToCallbackNoCpuWait),
    };
  }

  /** After each stall-meter mark: the samples completed since are classified against the stalls it knows now. */
  classify(): void {
    const stalls = this.stalls;
    if (stalls === null || this.unclassifiedLength === 0) return;
    const originUs = performance.timeOrigin * 1000;
    const u = this.unclassified;
    for (let i = 0; i < this.unclassifiedLength; i += 3) {
      const fromUs = u[i]!;
      const takenUs = u[i + 1]!;
      const toUs = u[i + 2]!;
      if (!stalls.waitedForCpu((fromUs - originUs) / 1000, (toUs - originUs) / 1000)) {
        record(this.noCpuWait, toUs - fromUs);
        record(this.takenToCallbackNoCpuWait, toUs - takenUs);
      }
    }
    this.unclassifiedLength = 0;
  }

  private answered(device: number): void {
    this.state[device] = IDLE;
    this.awaitingCount--;
  }

  private sample(device: number, callbackUs: number): void {
    const couldInterruptUs = this.couldInterruptUs[device]!;
    const takenUs = this.takenUs[device]!;
    record(this.latency, callbackUs - couldInterruptUs);
    record(this.fromRaise, callbackUs - this.raisedUs[device]!);
    record(this.toTaken, takenUs - couldInterruptUs);
    record(this.takenToCallback, callbackUs - takenUs);
    if (this.stalls !== null) this.keepUnclassified(couldInterruptUs, takenUs, callbackUs);
  }

  private keepUnclassified(couldInterruptUs: number, takenUs: number, callbackUs: number): void {
    if (this.unclassifiedLength + 3 > this.unclassified.length) {
      const grown = new Float64Array(2 * this.unclassified.length);
      grown.set(this.unclassified);
      this.unclassified = grown;
    }
    const u = this.unclassified;
    u[this.unclassifiedLength++] = couldInterruptUs;
    u[this.unclassifiedLength++] = takenUs;
    u[this.unclassifiedLength++] = callbackUs;
  }

  private deviceOfCallback(callback: string): number {
    let device = this.deviceOf.get(callback);
    if (device === undefined) {
      device = this.deviceIndex.get(callback.slice(0, callback.indexOf('.'))) ?? -1;
      this.deviceOf.set(callback, device);
    }
    return device;
  }
}
