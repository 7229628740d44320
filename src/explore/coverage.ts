/**
 * Race-window coverage per event-handle lifecycle, derived from the history records alone.
 *
 * A lifecycle starts with a `scheduled` record (the device that issued the service owns the
 * handle) and ends with its `dispatch`, a `cancel` that removed it, or its `discarded` record.
 * A ring-0 activation starts with a client step (`clientOp`): the trap, fault or service handler
 * the VM entered, with the processing points inside it. Each window is a property of one record;
 * one record may fall in several windows.
 *
 * - cancelBeforeDispatch: a Cancel_XX, outside any hardware interrupt, removes the canceller's
 *   own pending event (the ordinary, correct cancel).
 * - cancelAfterDispatch (stale): a Cancel_XX names a handle whose event has already been
 *   dispatched (checked handles report it; pooled handles may hit a reused node instead).
 * - cancelRacingDispatch: the cancel and the dispatch race at a processing point. Either the
 *   cancel is requested inside a hardware interrupt (ctx hwint) while its event is pending, so
 *   that it lands just before the processing point that would dispatch it (the cancel won); or
 *   a cancel outside any callback names an event that was dispatched at a processing point
 *   inside the same ring-0 activation, after that activation began (the dispatch won: the code
 *   read its handle, then the event ran under it, e.g. through nested execution).
 * - cancelInCallback: a Cancel_XX issued while an event callback runs (including a callback a
 *   Call_XX_Event runs inside the call).
 * - rescheduleInCallback: a callback schedules an event with itself as the callback. Only the
 *   innermost frame counts: an IRQ handler that interrupted the callback and schedules it is
 *   the interrupt's doing, not the callback's (interrupt frames sit on the same stack).
 * - nodeReuse: a Cancel_XX names a handle whose event node has since been given to another
 *   pending event: the window in which a pooled handle cancels someone else's event (with
 *   checked handles the generation tag catches it).
 */
import type { HandleMode } from '../vmm/eventTable.js';
import type { HistoryRecord } from '../vmm/history.js';

export const WINDOWS = [
  'cancelBeforeDispatch', 'cancelAfterDispatch', 'cancelRacingDispatch', 'cancelInCallback', 'rescheduleInCallback', 'nodeReuse',
] as const;
export type WindowName = (typeof WINDOWS)[number];

/** Hits per window, in WINDOWS order (plain numbers: they cross threads). */
export type WindowCounts = number[];

/** A hardware-interrupt frame on the running stack (no callback has an empty name). */
const IRQ_FRAME = '';

const W = Object.fromEntries(WINDOWS.map((name, i) => [name, i])) as Record<WindowName, number>;

interface Life {
  handle: number;
  state: 'pending' | 'dispatched' | 'cancelled';
  dispatchSeq: number;
}

/** Tracks one execution. */
export class CoverageTracker {
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

/** A campaign's coverage: per window, the executions that hit it and the hits in all. */
export class CoverageTotals {
  readonly executions: number[] = WINDOWS.map(() => 0);
  readonly hits: number[] = WINDOWS.map(() => 0);

  add(counts: WindowCounts): void {
    counts.forEach((n, i) => {
      if (n > 0) this.executions[i]!++;
      this.hits[i]! += n;
    });
  }

  /** Windows hit at least once. */
  get windowsHit(): number {
    return this.executions.filter((n) => n > 0).length;
  }

  toJSON(): Record<WindowName, { executions: number; hits: number }> {
    return Object.fromEntries(WINDOWS.map((name, i) => [name, { executions: this.executions[i]!, hits: this.hits[i]! }])) as Record<WindowName, { executions: number; hits: number }>;
  }
}
