/**
 * Interrupt → callback latency on threads: from the moment the PIC actor raised an IRQ source
 * (wall clock, shared by all threads) to the moment the VMM actor runs the global event
 * callback that the source's Hw_Int_Proc called or scheduled (inside its Call_Global_Event, or
 * at the processing point after it): the path this project is about. Priority and VM events
 * are left out on purpose: they wait for their VM to be scheduled, by design, not for the
 * transport. An interrupt whose handler neither calls nor schedules a global event of its
 * device (a spurious disk interrupt, a mouse move) gives no sample.
 * Recorded in an HdrHistogram; only when a run asks for it (`vmmsim bench`).
 */
import hdr from 'hdr-histogram-js';
import type { HistoryRecord } from '../../vmm/history.js';
import { wallClockUs, type IrqTaker } from './irqLines.js';

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export class LatencyProbe {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  /** Device name → when its oldest unanswered taken IRQ was raised (µs), and whether its handler scheduled an event. */
  private readonly awaiting = new Map<string, { raisedUs: number; scheduled: boolean }>();
  /** Callback name → its device's name (callbacks are "device.proc"). */
  private readonly deviceOf = new Map<string, string>();

  /** IRQ line → the devices with a source on it. */
  private readonly devicesOnLine: string[][] = [];

  constructor(private readonly irq: IrqTaker, private readonly sources: readonly { device: string; irq: number }[]) {
    for (const { device, irq: line } of sources) (this.devicesOnLine[line] ??= []).push(device);
  }

  /** The sources the CPU just took: start their clocks. */
  taken(mask: number): void {
    for (let i = 0; i < this.sources.length; i++) {
      if ((mask & (1 << i)) === 0) continue;
      const device = this.sources[i]!.device;
      if (!this.awaiting.has(device)) this.awaiting.set(device, { raisedUs: this.irq.raisedAt(i), scheduled: false });
    }
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
      this.histogram.recordValue(Math.max(1, Math.round(wallClockUs() - waiting.raisedUs)));
    }
  };

  summary(): LatencySummary {
    const h = this.histogram;
    return { count: h.totalCount, p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), p999: h.getValueAtPercentile(99.9), max: h.maxValue };
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
