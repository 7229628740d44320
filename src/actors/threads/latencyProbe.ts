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
import { wallClockUs, type IrqTaker } from './irqLines.js';
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

interface Awaiting {
  raisedUs: number;
  couldInterruptUs: number;
  takenUs: number;
  scheduled: boolean;
}

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
  private readonly unclassified: number[] = [];
  /** Device name → its oldest unanswered taken IRQ, and whether its handler scheduled an event. */
  private readonly awaiting = new Map<string, Awaiting>();
  /** Per source: the last preemption point (µs) that found it raised but held back, 0 if none. */
  private readonly heldAtUs: number[];
  /** When the VMM's loop started (wall-clock µs): no IRQ could interrupt before. */
  private loopStartUs = 0;
  /** Callback name → its device's name (callbacks are "device.proc"). */
  private readonly deviceOf = new Map<string, string>();

  /** IRQ line → the devices with a source on it. */
  private readonly devicesOnLine: string[][] = [];

  constructor(
    private readonly irq: IrqTaker,
    private readonly sources: readonly { device: string; irq: number }[],
    private readonly stalls: StallMeter | null = null,
    /** What the VMM did between preemption points (bench only: a clock read at each one). */
    private readonly gaps: PreemptionGaps | null = null,
  ) {
    for (const { device, irq: line } of sources) (this.devicesOnLine[line] ??= []).push(device);
    this.heldAtUs = sources.map(() => 0);
  }

  /** The VMM's loop starts now. */
  loopStarted(): void {
    this.loopStartUs = wallClockUs();
  }

  /** At a preemption point: takes the raised sources among `eligible` (as IrqTaker.take) and starts their clocks. */
  takeAt(eligible: number): number {
    const gaps = this.gaps;
    const pointMs = gaps === null ? 0 : performance.now();
    if (gaps !== null) gaps.point(pointMs);
    const held = this.irq.heldBack(eligible);
    const taken = this.irq.take(eligible);
    if (held === 0 && taken === 0) return 0;
    const nowUs = wallClockUs();
    for (let i = 0; i < this.sources.length; i++) {
      const bit = 1 << i;
      if ((held & bit) !== 0) this.heldAtUs[i] = nowUs;
      if ((taken & bit) === 0) continue;
      const device = this.sources[i]!.device;
      const raisedUs = this.irq.raisedAt(i);
      const couldInterruptUs = Math.max(raisedUs, this.heldAtUs[i]!, this.loopStartUs);
      this.heldAtUs[i] = 0;
      gaps?.taken(nowUs - couldInterruptUs, pointMs);
      if (!this.awaiting.has(device)) this.awaiting.set(device, { raisedUs, couldInterruptUs, takenUs: nowUs, scheduled: false });
    }
    return taken;
  }

  readonly onRecord = (record: HistoryRecord): void => {
    if (this.awaiting.size === 0) return;
    if (record.k === 'scheduled' && record.ctx === 'hwint' && record.kind === 'global') {
      const waiting = this.awaiting.get(this.deviceName(record.callback));
      if (waiting !== undefined) waiting.scheduled = true;
    } else if (record.k === 'irqExit') {
      // The line's handlers are done: a device that neither called nor scheduled its event has no callback coming.
      for (const device of this.devicesOnLine[record.irq] ?? []) {
        if (this.awaiting.get(device)?.scheduled === false) this.awaiting.delete(device);
      }
    } else if (record.k === 'dispatch' && record.kind === 'global') {
      const device = this.deviceName(record.callback);
      const waiting = this.awaiting.get(device);
      if (waiting === undefined) return;
      this.awaiting.delete(device);
      this.sample(waiting, wallClockUs());
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
    if (stalls === null || this.unclassified.length === 0) return;
    const originUs = performance.timeOrigin * 1000;
    for (let i = 0; i < this.unclassified.length; i += 3) {
      const fromUs = this.unclassified[i]!;
      const takenUs = this.unclassified[i + 1]!;
      const toUs = this.unclassified[i + 2]!;
      if (!stalls.waitedForCpu((fromUs - originUs) / 1000, (toUs - originUs) / 1000)) {
        record(this.noCpuWait, toUs - fromUs);
        record(this.takenToCallbackNoCpuWait, toUs - takenUs);
      }
    }
    this.unclassified.length = 0;
  }

  private sample(waiting: Awaiting, callbackUs: number): void {
    record(this.latency, callbackUs - waiting.couldInterruptUs);
    record(this.fromRaise, callbackUs - waiting.raisedUs);
    record(this.toTaken, waiting.takenUs - waiting.couldInterruptUs);
    record(this.takenToCallback, callbackUs - waiting.takenUs);
    if (this.stalls !== null) this.unclassified.push(waiting.couldInterruptUs, waiting.takenUs, callbackUs);
  }

  private deviceName(callback: string): string {
    let device = this.deviceOf.get(callback);
    if (device === undefined) {
      device = callback.slice(0, callback.indexOf('.'));
      this.deviceOf.set(callback, device);
    }
    return device;
  }
}
