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
import type { HistoryRecord, RecordOf } from '../vmm/history.js';
import { KIND, kindOf } from '../vmm/recordKinds.js';

export const WINDOWS = [
  'cancelBeforeDispatch', 'cancelAfterDispatch', 'cancelRacingDispatch', 'cancelInCallback', 'rescheduleInCallback', 'nodeReuse',
] as const;
export type WindowName = (typeof WINDOWS)[number];

/** Hits per window, in WINDOWS order (plain numbers: they cross threads). */
export type WindowCounts = number[];

/** A hardware-interrupt frame on the running stack (no callback has an empty name). */
const IRQ_FRAME = '';

const NO_HITS: readonly number[] = WINDOWS.map(() => 0);

/** Bit k: CoverageTracker.onRecord reads records of kind number k (the cases of its switch). */
export const COVERAGE_KINDS = [
  KIND.clientOp, KIND.service, KIND.scheduled, KIND.dispatch, KIND.return, KIND.irqExit, KIND.irqEnter, KIND.discarded, KIND.cancel,
].reduce((mask, kind) => mask | (1 << kind), 0);

const W = Object.fromEntries(WINDOWS.map((name, i) => [name, i])) as Record<WindowName, number>;

/** Lifecycle objects a tracker keeps for its next execution. */
const LIVES_KEPT = 4096;

const PENDING = 0;
const DISPATCHED = 1;
const CANCELLED = 2;

/** One event-handle lifecycle (kept by the tracker between executions: see CoverageTracker.reset). */
class Life {
  state = PENDING;
  dispatchSeq = -1;

  /** `previous`: the lifecycle its device was given before on the same node (see `owned`). */
  constructor(public handle: number, public previous: Life | undefined) {}
}

/**
 * Tracks one execution. It reads every record of a run, so it is kept cheap per record: it
 * switches on the record's kind number and keys its tables by small integers (event node
 * indices), never by 32-bit handle values, which are not small integers to the engine.
 */
export class CoverageTracker {
  /**
   * A copy of a packed array of zeros: `map` with a callback cost more than the rest of the
   * tracker's construction. A new one per execution (reset): a summary keeps the last one.
   */
  counts: WindowCounts = NO_HITS.slice();
  /** The device that issued the last service: the owner of a handle it makes, the canceller of one it cancels. */
  private serviceDevice = '';
  /**
   * Per device, per event node: the newest lifecycle that device was given on that node, the
   * older ones chained behind it. A handle value names one node, so (device, handle value) →
   * the newest of that chain with that value: the lifecycle that device was given under it.
   */
  private readonly owned = new Map<string, (Life | undefined)[]>();
  /** Event node → the lifecycle that occupies it now (or last did). */
  private readonly nodes: (Life | undefined)[] = [];
  /** Frames running now, innermost last: callbacks by name, hardware interrupts as IRQ_FRAME. */
  private readonly running: string[] = [];
  private activationSeq = -1;
  /** Lifecycle objects made so far; the first `livesUsed` belong to this execution, the others wait for reuse. */
  private readonly lives: Life[] = [];
  private livesUsed = 0;
  /**
   * The table entries this execution wrote, for `reset` to clear: write i set `nodes[writtenNodes[i]]`
   * and `writtenOwners[i][writtenNodes[i]]` (an execution schedules a few events; the tables are
   * as long as the busiest execution's event table and device list made them).
   */
  private readonly writtenNodes: number[] = [];
  private readonly writtenOwners: (Life | undefined)[][] = [];
  private writes = 0;

  constructor(private handleMode: HandleMode) {}

  /**
   * Ready for the next execution, as a new tracker would be (the explorer's machine kit keeps
   * one): the lifecycle objects and the tables' storage stay for reuse, emptied.
   */
  reset(handleMode: HandleMode): this {
    this.handleMode = handleMode;
    this.counts = NO_HITS.slice();
    this.serviceDevice = '';
    this.clearWrites();
    // One entry per device name met: a process that explores many scenarios starts over now and then.
    if (this.owned.size > 64) this.owned.clear();
    if (this.running.length !== 0) this.running.length = 0;
    this.activationSeq = -1;
    this.livesUsed = 0;
    // Bounded however long an execution was: at most this many lifecycle objects wait for reuse.
    if (this.lives.length > LIVES_KEPT) this.lives.length = LIVES_KEPT;
    return this;
  }

  /**
   * Every record of the execution, in order; `kind`: its kind number (recordKinds.ts). The kinds
   * its switch reads are COVERAGE_KINDS: a reader may skip the others.
   */
  readonly onRecord = (r: HistoryRecord, kind: number = kindOf(r)): void => {
    switch (kind) {
      case KIND.clientOp:
        this.activationSeq = r.seq;
        return;
      case KIND.service:
        this.serviceDevice = (r as RecordOf<'service'>).device;
        return;
      case KIND.scheduled:
        this.onScheduled(r as RecordOf<'scheduled'>);
        return;
      case KIND.dispatch: {
        const d = r as RecordOf<'dispatch'>;
        this.running.push(d.callback);
        if (d.inline) return;
        const life = this.nodes[this.nodeOf(d.handle)];
        if (life !== undefined && life.handle === d.handle) {
          life.state = DISPATCHED;
          life.dispatchSeq = d.seq;
        }
        return;
      }
      case KIND.return:
      case KIND.irqExit:
        this.running.pop();
        return;
      case KIND.irqEnter:
        this.running.push(IRQ_FRAME);
        return;
      case KIND.discarded: {
        const life = this.nodes[this.nodeOf((r as RecordOf<'discarded'>).handle)];
        if (life !== undefined) life.state = CANCELLED;
        return;
      }
      case KIND.cancel:
        this.onCancel(r as RecordOf<'cancel'>);
        return;
      default:
        return;
    }
  };

  private onScheduled(r: RecordOf<'scheduled'>): void {
    const running = this.running;
    if (running.length > 0 && running[running.length - 1] === r.callback) this.counts[W.rescheduleInCallback]!++;
    const node = this.nodeOf(r.handle);
    const byNode = this.ownedBy(this.serviceDevice);
    const before = byNode[node];
    // The same handle value again (pooled handles name only the node): the new lifecycle replaces the old one.
    const life = this.newLife(r.handle, before !== undefined && before.handle >>> 0 === r.handle >>> 0 ? before.previous : before);
    byNode[node] = life;
    this.nodes[node] = life;
    const write = this.writes++;
    if (write < this.writtenNodes.length) {
      this.writtenNodes[write] = node;
      this.writtenOwners[write] = byNode;
    } else {
      this.writtenNodes.push(node);
      this.writtenOwners.push(byNode);
    }
  }

  /** The entries the last execution wrote, emptied: as many stores as it scheduled events, or one pass over the tables if that is fewer. */
  private clearWrites(): void {
    const { writtenNodes, writtenOwners, writes } = this;
    if (writes === 0) return;
    if (writes <= this.nodes.length * (1 + this.owned.size)) {
      for (let i = 0; i < writes; i++) {
        const node = writtenNodes[i]!;
        this.nodes[node] = undefined;
        writtenOwners[i]![node] = undefined;
      }
    } else {
      for (const byNode of this.owned.values()) byNode.fill(undefined);
      this.nodes.fill(undefined);
    }
    this.writes = 0;
    // Bounded however long an execution was; the owner tables it holds are the kept ones.
    if (writtenNodes.length > LIVES_KEPT) {
      writtenNodes.length = LIVES_KEPT;
      writtenOwners.length = LIVES_KEPT;
    }
  }

  private newLife(handle: number, previous: Life | undefined): Life {
    if (this.livesUsed === this.lives.length) {
      const life = new Life(handle, previous);
      this.lives.push(life);
      this.livesUsed++;
      return life;
    }
    const life = this.lives[this.livesUsed++]!;
    life.handle = handle;
    life.previous = previous;
    life.state = PENDING;
    life.dispatchSeq = -1;
    return life;
  }

  private onCancel(r: RecordOf<'cancel'>): void {
    if (r.outcome === 'zero' || r.outcome === 'invalid') return;
    const current = this.nodes[this.nodeOf(r.handle)];
    // A handle the canceller was never given (another device's): judge the lifecycle it names now.
    const mine = this.ownedLife(r.device, r.handle) ?? (current?.handle === r.handle ? current : undefined);
    if (mine === undefined) return;
    const inCallback = r.inCallbackOf !== 0;
    if (inCallback) this.counts[W.cancelInCallback]!++;
    if (mine.state === PENDING) {
      this.counts[r.ctx === 'hwint' ? W.cancelRacingDispatch : W.cancelBeforeDispatch]!++;
    } else if (mine.state === DISPATCHED) {
      this.counts[W.cancelAfterDispatch]!++;
      if (!inCallback && r.ctx !== 'hwint' && mine.dispatchSeq > this.activationSeq) this.counts[W.cancelRacingDispatch]!++;
    }
    if (current !== undefined && current !== mine && current.state === PENDING) this.counts[W.nodeReuse]!++;
    if (r.outcome === 'cancelled' && current !== undefined) current.state = CANCELLED;
  }

  /** The lifecycle `device` was given under this handle value, if any. */
  private ownedLife(device: string, handle: number): Life | undefined {
    const value = handle >>> 0;
    for (let life = this.owned.get(device)?.[this.nodeOf(handle)]; life !== undefined; life = life.previous) {
      if (life.handle >>> 0 === value) return life;
    }
    return undefined;
  }

  private ownedBy(device: string): (Life | undefined)[] {
    let byNode = this.owned.get(device);
    if (byNode === undefined) {
      byNode = [];
      this.owned.set(device, byNode);
    }
    return byNode;
  }

  /**
   * The event node a handle names (eventTable.ts): checked handles carry the node index in their
   * low 16 bits; a pooled handle is the node's address, 0xC1000000 + index × 16. Only handles
   * that name a node reach here (a cancel of a handle that names none has outcome 'invalid').
   */
  private nodeOf(handle: number): number {
    return this.handleMode === 'pooled' ? (handle & 0xffffff) >>> 4 : handle & 0xffff;
  }
}

/** A campaign's coverage: per window, the executions that hit it and the hits in all. */
export class CoverageTotals {
  readonly executions: number[] = WINDOWS.map(() => 0);
  readonly hits: number[] = WINDOWS.map(() => 0);

  add(counts: WindowCounts): void {
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i]!;
      if (n > 0) this.executions[i]!++;
      this.hits[i]! += n;
    }
  }

  /** Windows hit at least once. */
  get windowsHit(): number {
    return this.executions.filter((n) => n > 0).length;
  }

  toJSON(): Record<WindowName, { executions: number; hits: number }> {
    return Object.fromEntries(WINDOWS.map((name, i) => [name, { executions: this.executions[i]!, hits: this.hits[i]! }])) as Record<WindowName, { executions: number; hits: number }>;
  }
}
