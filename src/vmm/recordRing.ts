/**
 * Where the core makes its history records: in place, in objects made once and used again, so
 * that a simulator step allocates no record (a record object per record was most of what a step
 * allocated, ~300 of ~380 bytes, and so what set how often the VMM thread stopped to scavenge).
 *
 * Each kind has a pool of `capacity` objects of its one shape (made when first needed, then used
 * in turn), and the ring notes the kind of each of the last `capacity` records in order:
 *
 *   order:  [ kind | kind | kind | ... ]   the last `capacity` records' kinds; `at`: the next place
 *   pools:  clientOp: [ r r r ... ]         each kind's last records, `poolAt[kind]` the next
 *           service:  [ r r ... ]
 *
 * Any of the last `capacity` records is among the last `capacity` of its kind, so it is still
 * whole in its pool: that is the tail a report shows ("the events leading to it"), read as copies
 * by `toArray`. A ring of capacity 0 keeps no order and one object per kind.
 *
 * So a record handed to a sink is the ring's: it is valid while the sink reads it, and it is
 * written over by a later record of its kind. A reader that keeps records keeps copies
 * (`copyRecord`); the checker, the counters and the explorer's readers keep only fields.
 */
import type { HistoryKind, HistoryRecord, RecordOf } from './history.js';
import { KIND_NAMES } from './recordKinds.js';
import { CLI } from './clientOps.js';
import type { ServiceName } from './services.js';
import type { ControlMessage } from './constants.js';

const NO_CLOBBER: string[] = [];

/** Each kind's shape, its fields in the order records.ts writes them (and a trace file shows them). */
const BLANK: { readonly [K in HistoryKind]: () => RecordOf<K> } = {
  clientOp: () => ({ k: 'clientOp', op: CLI, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  service: () => ({ k: 'service', service: '' as ServiceName, device: '', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  serviceResult: () => ({ k: 'serviceResult', service: '' as ServiceName, esi: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  calledNow: () => ({
    k: 'calledNow', kind: 'global', service: '' as ServiceName, callback: '', refData: 0, targetVm: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  scheduled: () => ({
    k: 'scheduled', kind: 'global', service: '' as ServiceName, handle: 0, callback: '', refData: 0, targetVm: 0, boost: 0, flags: 0,
    deadlineTicks: 0, latitude: false, state: null, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  dispatch: () => ({
    k: 'dispatch', kind: 'global', handle: 0, callback: '', refData: 0, targetVm: 0, inline: false, timedOut: false, carry: false, ebx: 0, flags: 0,
    state: null, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  return: () => ({ k: 'return', handle: 0, callback: '', clobbered: NO_CLOBBER, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  cancel: () => ({
    k: 'cancel', kind: 'global', handle: 0, device: '', inCallbackOf: 0, outcome: 'zero', victimKind: null, victimHandle: 0,
    seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  discarded: () => ({ k: 'discarded', kind: 'global', handle: 0, reason: 'vmDestroyed', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  irqRaise: () => ({ k: 'irqRaise', sources: 0, lines: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  irqEnter: () => ({ k: 'irqEnter', irq: 0, nested: false, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  irqExit: () => ({ k: 'irqExit', irq: 0, claimedBy: null, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  eoi: () => ({ k: 'eoi', irq: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  control: () => ({
    k: 'control', phase: 'enter', message: '' as ControlMessage, targetVm: 0, device: '', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  trapReturn: () => ({ k: 'trapReturn', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  nestedExec: () => ({ k: 'nestedExec', phase: 'enter', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  vpicdProc: () => ({
    k: 'vpicdProc', phase: 'enter', proc: 'virtInt', irq: 0, targetVm: 0, device: '', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  virtRequest: () => ({ k: 'virtRequest', op: 'set', irq: 0, targetVm: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  virtMask: () => ({ k: 'virtMask', irq: 0, masked: false, targetVm: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  physMask: () => ({ k: 'physMask', irq: 0, masked: false, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  virtInt: () => ({ k: 'virtInt', irq: 0, targetVm: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  virtEoi: () => ({ k: 'virtEoi', irq: 0, targetVm: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  virtIret: () => ({ k: 'virtIret', irq: 0, targetVm: 0, timedOut: false, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  processBegin: () => ({ k: 'processBegin', seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  processEnd: () => ({ k: 'processEnd', dispatched: 0, cut: false, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  taskSwitch: () => ({ k: 'taskSwitch', from: 0, to: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  boost: () => ({ k: 'boost', targetVm: 0, delta: 0, reason: '', handle: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  critical: () => ({ k: 'critical', op: 'claim', owner: 0, count: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  vmLifecycle: () => ({ k: 'vmLifecycle', op: 'create', targetVm: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0 }),
  violation: () => ({
    k: 'violation', kind: '', severity: 'device', message: '', device: '', handle: 0, seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
  blockedCallback: () => ({
    k: 'blockedCallback', op: 'block', kind: 'global', handle: 0, callback: '', targetVm: 0, timedOut: false, flags: 0, blockedVm: 0, effects: 0,
    seq: 0, ticks: 0, vm: 0, ctx: 'vm', reenter: 0,
  }),
};

/**
 * A record of its own. The values a record holds are never written to, except a clientOp's op,
 * which its source may use again once the record has left the tail (the VMM actor's trap ops,
 * opRings.ts): a copy has its own op.
 */
export function copyRecord<R extends HistoryRecord>(record: R): R {
  const copy = { ...record };
  if (copy.k === 'clientOp') {
    const clientOp = copy as RecordOf<'clientOp'>;
    clientOp.op = { ...clientOp.op };
  }
  return copy;
}

export class RecordRing {
  /** Objects per kind: `capacity`, or one for a ring that keeps no tail. */
  private readonly poolSize: number;
  private readonly pools: HistoryRecord[][] = KIND_NAMES.map(() => []);
  private readonly poolAt = new Int32Array(KIND_NAMES.length);
  private readonly order: Uint8Array;
  private at = 0;
  /** Records made since `clear` (the order holds the last `capacity` of them). */
  private made = 0;

  constructor(readonly capacity: number) {
    this.poolSize = Math.max(1, capacity);
    this.order = new Uint8Array(capacity);
  }

  /** The object the next record of `kind` is written into (the oldest of its pool). */
  next(kind: number): HistoryRecord {
    const pool = this.pools[kind]!;
    let i = this.poolAt[kind]!;
    if (i === this.poolSize) i = 0;
    this.poolAt[kind] = i + 1;
    if (this.capacity !== 0) {
      this.order[this.at] = kind;
      this.at = this.at + 1 === this.capacity ? 0 : this.at + 1;
      this.made++;
    }
    if (i < pool.length) return pool[i]!;
    const record = BLANK[KIND_NAMES[kind]!]();
    pool.push(record);
    return record;
  }

  /** The last `capacity` records, oldest first, as copies. */
  toArray(): HistoryRecord[] {
    const count = Math.min(this.made, this.capacity);
    // Every execution of a campaign asks its ring of capacity 0 (profiled: `Int32Array.from`
    // below, which goes through the iterator, took 2.7% of the explorer's time).
    if (count === 0) return [];
    const out = new Array<HistoryRecord>(count);
    // Newest first: each kind's records are its pool's, backwards from the last one written.
    const cursor = this.poolAt.slice();
    let place = this.at;
    for (let n = count - 1; n >= 0; n--) {
      place = place === 0 ? this.capacity - 1 : place - 1;
      const kind = this.order[place]!;
      let i = cursor[kind]! - 1;
      if (i < 0) i = this.poolSize - 1;
      cursor[kind] = i;
      out[n] = copyRecord(this.pools[kind]![i]!);
    }
    return out;
  }

  /** Forgets the tail (a machine reset for another run); the objects are kept for it. */
  clear(): void {
    this.at = this.made = 0;
  }
}
