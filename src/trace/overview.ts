/**
 * The whole-run view of a timeline: per track, how many records fell in each of a fixed number of
 * bins over the run (what the CPU did there: client code, ring 0, IRQ handlers, callbacks; on the
 * VMM track the events scheduled, dispatched, cancelled and the most pending), every violation
 * (up to a limit, and a count per bin past it), and each bin's start time for the time axis.
 * Built in one pass over the record stream in memory that does not grow with the run.
 */
import type { EventKind } from '../vmm/eventTable.js';
import type { HistoryRecord } from '../vmm/history.js';
import type { TrackKind } from './model.js';

/** Bins across the whole run: about one per pixel column of a wide screen. */
export const OVERVIEW_BINS = 1600;
/** Violations listed one by one; past this, only counted per bin. */
const VIOLATIONS_LISTED_MAX = 2000;

/** Per-bin counts of one track. VM tracks fill client/ring0/callbacks, IRQ lines irq/nested, the VMM track the rest. */
export interface TrackBins {
  id: string;
  kind: TrackKind;
  name: string;
  n: number;
  /** Rows of nested spans in the detail views (filled in by the digest). */
  lanes: number;
  counts: Record<string, number[]>;
}

export interface OverviewViolation {
  seq: number;
  ts: number;
  name: string;
  severity: 'device' | 'vmm';
  message: string;
  track: string;
}

export interface Overview {
  firstSeq: number;
  lastSeq: number;
  /** Records per bin (the last bin may hold fewer). */
  binRecords: number;
  /** Time of the first record of each bin (µs); the end of the run after the last. */
  binStartUs: number[];
  endUs: number;
  tracks: TrackBins[];
  violations: OverviewViolation[];
  violationsTotal: number;
  /** Violations per bin (all of them, listed or not). */
  violationBins: number[];
}

const METRICS: Record<TrackKind, string[]> = {
  vm: ['client', 'ring0', 'callbacks'],
  irq: ['irq', 'nested'],
  vmm: ['scheduled', 'dispatched', 'cancelled', 'stale', 'pendingMax'],
};

export class OverviewBuilder {
  private readonly tracks = new Map<string, TrackBins>();
  /** VM tracks by VM id: the lookup every record makes. */
  private readonly vmTracks: TrackBins[] = [];
  private readonly irqs: number[] = [];
  private readonly pending: Record<EventKind, number> = { global: 0, vm: 0, priority: 0 };
  private readonly overview: Overview;
  private lastUs = 0;

  constructor(firstSeq: number, lastSeq: number, bins = OVERVIEW_BINS) {
    const records = lastSeq - firstSeq + 1;
    const count = Math.max(1, Math.min(bins, records));
    this.overview = {
      firstSeq, lastSeq, binRecords: records / count, binStartUs: new Array<number>(count).fill(Number.NaN), endUs: 0,
      tracks: [], violations: [], violationsTotal: 0, violationBins: new Array<number>(count).fill(0),
    };
    this.track('vmm', 'vmm', 'VMM event queues', 0);
  }

  /** Pending events by kind before the record now being pushed (for a detail window's counter). */
  get pendingNow(): Readonly<Record<EventKind, number>> {
    return this.pending;
  }

  push(r: HistoryRecord, timeUs: number): void {
    const o = this.overview;
    const bin = Math.min(o.violationBins.length - 1, Math.floor((r.seq - o.firstSeq) / o.binRecords));
    if (Number.isNaN(o.binStartUs[bin]!)) o.binStartUs[bin] = timeUs;
    this.lastUs = timeUs;
    if (r.k === 'irqEnter') this.irqs.push(r.irq);
    const onIrq = r.ctx === 'hwint' && this.irqs.length > 0 ? this.irqs[this.irqs.length - 1]! : null;
    const vm = (this.vmTracks[r.vm] ??= this.vmTrack(r.vm)).counts;
    vm[r.ctx === 'vm' ? 'client' : 'ring0']![bin]!++;
    if (onIrq !== null) this.irqTrack(onIrq).counts.irq![bin]!++;
    const vmm = this.tracks.get('vmm')!.counts;
    switch (r.k) {
      case 'irqEnter':
        if (r.nested) this.irqTrack(r.irq).counts.nested![bin]!++;
        break;
      case 'calledNow':
        vm.callbacks![bin]!++;
        break;
      case 'scheduled':
        vmm.scheduled![bin]!++;
        break;
      case 'dispatch':
        vm.callbacks![bin]!++;
        if (!r.inline) vmm.dispatched![bin]!++;
        break;
      case 'cancel':
        if (r.outcome === 'cancelled') vmm.cancelled![bin]!++;
        else if (r.outcome === 'stale' || r.outcome === 'wrongService') vmm.stale![bin]!++;
        break;
      case 'taskSwitch':
        this.vmTracks[r.to] ??= this.vmTrack(r.to);
        break;
      case 'vmLifecycle':
        this.vmTracks[r.targetVm] ??= this.vmTrack(r.targetVm);
        break;
      case 'violation':
        o.violationsTotal++;
        o.violationBins[bin]!++;
        if (o.violations.length < VIOLATIONS_LISTED_MAX) {
          o.violations.push({ seq: r.seq, ts: timeUs, name: r.kind, severity: r.severity, message: r.message, track: onIrq !== null ? `irq:${onIrq}` : `vm:${r.vm}` });
        }
        break;
      default:
        break;
    }
    this.carry(r);
    const pendingNow = this.pending.global + this.pending.vm + this.pending.priority;
    if (pendingNow > vmm.pendingMax![bin]!) vmm.pendingMax![bin] = pendingNow;
  }

  /** A record before the records drawn: only what carries over into them (IRQs in progress, pending events). */
  skip(r: HistoryRecord): void {
    if (r.k === 'irqEnter') this.irqs.push(r.irq);
    this.carry(r);
  }

  /** The state that outlives a record: IRQ handlers that ended, events that became or stopped being pending. */
  private carry(r: HistoryRecord): void {
    const { pending } = this;
    switch (r.k) {
      case 'irqExit': {
        const at = this.irqs.lastIndexOf(r.irq);
        if (at >= 0) this.irqs.splice(at, 1);
        return;
      }
      case 'scheduled':
        pending[r.kind]++;
        return;
      case 'dispatch':
        if (!r.inline) pending[r.kind] = Math.max(0, pending[r.kind] - 1);
        return;
      case 'cancel':
        if (r.outcome === 'cancelled') {
          const kind = r.victimKind ?? r.kind;
          pending[kind] = Math.max(0, pending[kind] - 1);
        }
        return;
      case 'discarded':
        pending[r.kind] = Math.max(0, pending[r.kind] - 1);
        return;
      default:
        return;
    }
  }

  finish(): Overview {
    const o = this.overview;
    o.endUs = this.lastUs + 1;
    // A bin no record fell in (never, with whole-record bins) takes the next bin's start.
    for (let i = o.binStartUs.length - 1; i >= 0; i--) if (Number.isNaN(o.binStartUs[i]!)) o.binStartUs[i] = o.binStartUs[i + 1] ?? o.endUs;
    const order: Record<TrackKind, number> = { vmm: 0, vm: 1, irq: 2 };
    o.tracks = [...this.tracks.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.n - b.n);
    return o;
  }

  private vmTrack(vm: number): TrackBins {
    return this.track(`vm:${vm}`, 'vm', vm === 1 ? 'VM 1 (system)' : `VM ${vm}`, vm);
  }

  private irqTrack(irq: number): TrackBins {
    return this.track(`irq:${irq}`, 'irq', `IRQ ${irq}`, irq);
  }

  private track(id: string, kind: TrackKind, name: string, n: number): TrackBins {
    let track = this.tracks.get(id);
    if (track === undefined) {
      const bins = this.overview.violationBins.length;
      track = { id, kind, name, n, lanes: 1, counts: Object.fromEntries(METRICS[kind].map((m) => [m, new Array<number>(bins).fill(0)])) };
      this.tracks.set(id, track);
    }
    return track;
  }
}
