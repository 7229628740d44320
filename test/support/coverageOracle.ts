/**
 * The race-window coverage as first written, kept as the reference the explorer's tracker
 * (src/explore/coverage.ts, which reads kind numbers and keys its tables by event node) is held
 * to: record for record it reads the record's `k`, and keys lifecycles by (device, handle value)
 * and by node in maps, exactly as the window definitions in coverage.ts say.
 */
import { WINDOWS, type WindowCounts, type WindowName } from '../../src/explore/coverage.js';
import type { HandleMode } from '../../src/vmm/eventTable.js';
import type { HistoryRecord } from '../../src/vmm/history.js';

/** A hardware-interrupt frame on the running stack (no callback has an empty name). */
const IRQ_FRAME = '';

const W = Object.fromEntries(WINDOWS.map((name, i) => [name, i])) as Record<WindowName, number>;

interface Life {
  handle: number;
  state: 'pending' | 'dispatched' | 'cancelled';
  dispatchSeq: number;
}

/** Tracks one execution. */
export class CoverageOracle {
  readonly counts: WindowCounts = WINDOWS.map(() => 0);
  /** The device that issued the last service: the owner of a handle it makes, the canceller of one it cancels. */
  private serviceDevice = '';
  private readonly deviceIds = new Map<string, number>();
  /** (device, handle value) → the lifecycle that device was given under that handle value. */
  private readonly owned = new Map<number, Life>();
  /** Event node → the lifecycle that occupies it now (or last did). */
  private readonly nodes = new Map<number, Life>();
  /** Frames running now, innermost last: callbacks by name, hardware interrupts as IRQ_FRAME. */
  private readonly running: string[] = [];
  private activationSeq = -1;

  constructor(private readonly handleMode: HandleMode) {}

  readonly onRecord = (r: HistoryRecord): void => {
    switch (r.k) {
      case 'clientOp':
        this.activationSeq = r.seq;
        return;
      case 'service':
        this.serviceDevice = r.device;
        return;
      case 'scheduled': {
        if (this.running.length > 0 && this.running[this.running.length - 1] === r.callback) this.counts[W.rescheduleInCallback]!++;
        const life: Life = { handle: r.handle, state: 'pending', dispatchSeq: -1 };
        this.owned.set(this.ownedKey(this.serviceDevice, r.handle), life);
        this.nodes.set(this.nodeOf(r.handle), life);
        return;
      }
      case 'dispatch': {
        this.running.push(r.callback);
        if (r.inline) return;
        const life = this.nodes.get(this.nodeOf(r.handle));
        if (life !== undefined && life.handle === r.handle) {
          life.state = 'dispatched';
          life.dispatchSeq = r.seq;
        }
        return;
      }
      case 'return':
      case 'irqExit':
        this.running.pop();
        return;
      case 'irqEnter':
        this.running.push(IRQ_FRAME);
        return;
      case 'discarded': {
        const life = this.nodes.get(this.nodeOf(r.handle));
        if (life !== undefined) life.state = 'cancelled';
        return;
      }
      case 'cancel':
        this.onCancel(r);
        return;
      default:
        return;
    }
  };

  private onCancel(r: Extract<HistoryRecord, { k: 'cancel' }>): void {
    if (r.outcome === 'zero' || r.outcome === 'invalid') return;
    const current = this.nodes.get(this.nodeOf(r.handle));
    // A handle the canceller was never given (another device's): judge the lifecycle it names now.
    const mine = this.owned.get(this.ownedKey(r.device, r.handle)) ?? (current?.handle === r.handle ? current : undefined);
    if (mine === undefined) return;
    const inCallback = r.inCallbackOf !== 0;
    if (inCallback) this.counts[W.cancelInCallback]!++;
    if (mine.state === 'pending') {
      this.counts[r.ctx === 'hwint' ? W.cancelRacingDispatch : W.cancelBeforeDispatch]!++;
    } else if (mine.state === 'dispatched') {
      this.counts[W.cancelAfterDispatch]!++;
      if (!inCallback && r.ctx !== 'hwint' && mine.dispatchSeq > this.activationSeq) this.counts[W.cancelRacingDispatch]!++;
    }
    if (current !== undefined && current !== mine && current.state === 'pending') this.counts[W.nodeReuse]!++;
    if (r.outcome === 'cancelled' && current !== undefined) current.state = 'cancelled';
  }

  /** Pooled handles are node addresses; checked handles carry the node index in their low 16 bits. */
  private nodeOf(handle: number): number {
    return this.handleMode === 'pooled' ? handle >>> 0 : handle & 0xffff;
  }

  private ownedKey(device: string, handle: number): number {
    let id = this.deviceIds.get(device);
    if (id === undefined) {
      id = this.deviceIds.size;
      this.deviceIds.set(device, id);
    }
    return id * 0x1_0000_0000 + (handle >>> 0);
  }
}

