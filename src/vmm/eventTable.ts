/**
 * Event nodes and their handles (SPEC §3, "Handles and cancelling").
 *
 * Nodes come from a fixed pool and are reused last-freed-first, as the real VMM's event nodes
 * were: that reuse is what turns a stale handle into someone else's event.
 *
 *   handle (checked mode):   | generation (15 bits) | 1 | node index (16 bits) |
 *   handle (pooled mode):    | 0xC1                 | node index × 16          |  (a node "address")
 *
 * In `checked` mode the generation makes every stale handle (its event already ran or was
 * cancelled) and every mismatched handle detectable. In `pooled` mode a handle names only the
 * node, so a stale cancel silently hits whatever event lives there now, as in Windows.
 *
 * A checked node whose generation is spent (0x7fff events) is retired rather than wrapped: a
 * device that keeps one event pending at a time reuses one node, and a wrapped generation gave
 * a handle saved 32,767 events earlier back to a live event, whose stale cancel then cancelled
 * it silently. A retired node's index is free again only once every index (65,536) was used
 * and retired: a handle comes back only after about 2^31 handles were issued
 * (`HANDLES_BEFORE_REUSE`), the oldest retired node first. The pool's capacity bounds the
 * events live at once, not the indexes used.
 */
export type EventKind = 'global' | 'vm' | 'priority';
export type HandleMode = 'checked' | 'pooled';

export interface EventNode {
  /** Its place in the pool (written again when a table made anew for the next run reuses the object). */
  index: number;
  handle: number;
  generation: number;
  live: boolean;
  kind: EventKind;
  callback: number;
  refData: number;
  /** The VM a VM or priority event waits for; 0 for a global event. */
  vm: number;
  boost: number;
  flags: number;
  /** Virtual tick at which a PEF_Time_Out event times out; -1 if none. */
  deadlineTicks: number;
  /** Order of scheduling, for FIFO processing and for the history. */
  scheduledSeq: number;
}

export type Lookup =
  | { readonly status: 'live'; readonly node: EventNode }
  | { readonly status: 'stale'; readonly node: EventNode | undefined }
  | { readonly status: 'invalid' };

const POOLED_BASE = 0xc1000000;
const CHECKED_MARK = 0x10000;
/** The last generation a checked handle can carry (15 bits, never 0). */
const LAST_GENERATION = 0x7fff;
/** Node indexes a handle can name (16 bits). */
const INDEXES = 0x10000;
/** Checked handles issued before one can come back: every index through every generation. */
export const HANDLES_BEFORE_REUSE = INDEXES * LAST_GENERATION;

export class EventTable {
  private readonly nodes: EventNode[] = [];
  private readonly free: number[] = [];
  /** Checked nodes whose generations are spent, oldest first: reused only when no index is left. */
  private readonly retired: number[] = [];
  private liveCount = 0;
  /**
   * Node objects by index, kept across a reset (a machine reset for the next run makes the same
   * nodes again): `nodes` holds those the table has handed out since it was new, and a node
   * made again is this object, rewritten whole. Not state (src/state/machine.ts).
   */
  private readonly made: EventNode[] = [];

  constructor(readonly mode: HandleMode, readonly capacity = 4096) {
    if (capacity < 1 || capacity > 0xffff) throw new RangeError(`event pool capacity ${capacity} out of range`);
  }

  /** Back to a new table, for the next run of a machine (Vmm.reset). */
  reset(): void {
    // Popped, not truncated: setting a length is a runtime call that gives the storage up.
    while (this.nodes.length !== 0) this.nodes.pop();
    while (this.free.length !== 0) this.free.pop();
    while (this.retired.length !== 0) this.retired.pop();
    this.liveCount = 0;
  }

  get live(): number {
    return this.liveCount;
  }

  allocate(kind: EventKind, callback: number, refData: number, scheduledSeq: number): EventNode | undefined {
    if (this.liveCount >= this.capacity) return undefined;
    const node = this.reuseFree() ?? this.newNode(kind) ?? this.reuseRetired();
    node.live = true;
    node.kind = kind;
    node.callback = callback;
    node.refData = refData;
    node.vm = 0;
    node.boost = 0;
    node.flags = 0;
    node.deadlineTicks = -1;
    node.scheduledSeq = scheduledSeq;
    node.handle = this.encode(node);
    this.liveCount++;
    return node;
  }

  /** The last node freed, its generation moved on; a spent checked node is retired on the way. */
  private reuseFree(): EventNode | undefined {
    for (let index = this.free.pop(); index !== undefined; index = this.free.pop()) {
      const node = this.nodes[index]!;
      if (this.mode === 'checked' && node.generation === LAST_GENERATION) {
        this.retired.push(index);
        continue;
      }
      node.generation++;
      return node;
    }
    return undefined;
  }

  /** A node at an index never used since the table was new (the object itself kept from an earlier run). */
  private newNode(kind: EventKind): EventNode | undefined {
    const index = this.nodes.length;
    if (index >= INDEXES) return undefined;
    let node = this.made[index];
    if (node !== undefined) {
      node.index = index;
      node.generation = 1;
    } else {
      node = {
        index, handle: 0, generation: 1, live: false, kind, callback: 0, refData: 0,
        vm: 0, boost: 0, flags: 0, deadlineTicks: -1, scheduledSeq: 0,
      };
      this.made.push(node);
    }
    this.nodes.push(node);
    return node;
  }

  /** Every index used and spent: the node retired longest ago starts its generations again. */
  private reuseRetired(): EventNode {
    const node = this.nodes[this.retired.shift()!]!;
    node.generation = 1;
    return node;
  }

  release(node: EventNode): void {
    if (!node.live) throw new Error(`event node ${node.index} released twice`);
    node.live = false;
    this.liveCount--;
    this.free.push(node.index);
  }

  /** What a handle names now. Handle 0 is the caller's business (a no-op cancel). */
  lookup(handle: number): Lookup {
    const index = this.decodeIndex(handle);
    if (index < 0) return { status: 'invalid' };
    const node = this.nodes[index];
    if (node === undefined) return { status: 'invalid' };
    if (node.live && (this.mode === 'pooled' || node.handle === handle >>> 0)) return { status: 'live', node };
    return { status: 'stale', node: node.live ? node : undefined };
  }

  private encode(node: EventNode): number {
    if (this.mode === 'pooled') return (POOLED_BASE + node.index * 16) >>> 0;
    return ((node.generation << 17) | CHECKED_MARK | node.index) >>> 0;
  }

  private decodeIndex(handle: number): number {
    const h = handle >>> 0;
    if (this.mode === 'pooled') {
      const offset = h - POOLED_BASE;
      return offset >= 0 && offset % 16 === 0 ? offset / 16 : -1;
    }
    return (h & CHECKED_MARK) !== 0 ? h & 0xffff : -1;
  }
}
