/**
 * The history: every service call, decision, dispatch, cancel, interrupt entry and exit, as
 * plain data. The core emits it record by record to a sink; the checker, the trace writer and
 * the counters all read the same stream, so nothing has to keep it whole in memory.
 */
import type { ClientOp } from './clientOps.js';
import type { ControlMessage } from './constants.js';
import type { EventKind } from './eventTable.js';
import type { ServiceName } from './services.js';

/** What the one CPU is executing (SPEC §1). */
export type CpuContext = 'vm' | 'vmm' | 'hwint';

/** The descriptor procedures VPICD calls besides the Hw_Int_Proc. */
export type VpicdProc = 'virtInt' | 'eoi' | 'iret' | 'maskChange';

export type CancelOutcome =
  | 'cancelled' // a live event of the matching kind
  | 'zero' // handle 0: the documented no-op
  | 'stale' // the event already ran, was cancelled or was discarded (checked handles)
  | 'wrongService' // a live event of another kind
  | 'wrongVm' // Cancel_VM_Event with EBX another VM than the event's
  | 'invalid'; // never a handle

export type ViolationSeverity = 'device' | 'vmm';

/** Where the CPU was when a record was made. */
export interface At {
  seq: number;
  ticks: number;
  /** The current VM's id (1 = the system VM). */
  vm: number;
  ctx: CpuContext;
  reenter: number;
}

export interface VmSnapshot {
  vif: boolean;
  pm: boolean;
  nestedExec: boolean;
  simulatingHwInt: boolean;
  critFree: boolean;
  priority: number;
}

export type HistoryRecord = At &
  (
    | { k: 'clientOp'; op: ClientOp }
    | { k: 'service'; service: ServiceName; device: string }
    /** ESI as a Call_/Schedule_ event service returned it. */
    | { k: 'serviceResult'; service: ServiceName; esi: number }
    | { k: 'calledNow'; kind: EventKind; service: ServiceName; callback: string; refData: number; targetVm: number }
    | {
        k: 'scheduled'; kind: EventKind; service: ServiceName; handle: number; callback: string;
        refData: number; targetVm: number; boost: number; flags: number; deadlineTicks: number;
        /** true when the rules allowed calling now but the VMM's latitude chose to schedule */
        latitude: boolean;
        /** A priority event's VM as its restrictions read it when it was scheduled; null otherwise. */
        state: VmSnapshot | null;
      }
    | {
        k: 'dispatch'; kind: EventKind; handle: number; callback: string; refData: number;
        targetVm: number; inline: boolean; timedOut: boolean;
        /** The carry flag the callback was entered with (SPEC §3: set for a priority callback whose time-out passed). */
        carry: boolean;
        ebx: number; flags: number;
        state: VmSnapshot | null;
      }
    | { k: 'return'; handle: number; callback: string; clobbered: string[] }
    | {
        k: 'cancel'; kind: EventKind; handle: number; outcome: CancelOutcome;
        victimKind: EventKind | null; victimHandle: number; device: string; inCallbackOf: number;
      }
    | { k: 'discarded'; kind: EventKind; handle: number; reason: 'vmDestroyed' }
    | { k: 'irqRaise'; sources: number; lines: number }
    | { k: 'irqEnter'; irq: number; nested: boolean }
    | { k: 'irqExit'; irq: number; claimedBy: string | null }
    /** The physical EOI of an IRQ: VPICD_Phys_EOI, or VPICD's own for an unclaimed interrupt. */
    | { k: 'eoi'; irq: number }
    /** A System_Control message (SPEC §5b) delivered to one device: its procedure entered or left. */
    | { k: 'control'; message: ControlMessage; phase: 'enter' | 'exit'; targetVm: number; device: string }
    /** A trap handler returned: ring 0 entered by the client op before is left. */
    | { k: 'trapReturn' }
    /** The VM's code runs inside ring-0 code (Resume_Exec) and comes back. */
    | { k: 'nestedExec'; phase: 'enter' | 'exit' }
    /** A VPICD descriptor procedure (SPEC §6) entered or left, for the VM it concerns. */
    | { k: 'vpicdProc'; proc: VpicdProc; phase: 'enter' | 'exit'; irq: number; targetVm: number; device: string }
    /** The virtual PIC of a VM (SPEC §6): request set or cleared, mask written, virtual EOI, IRET. */
    | { k: 'virtRequest'; op: 'set' | 'clear'; irq: number; targetVm: number }
    | { k: 'virtMask'; irq: number; masked: boolean; targetVm: number }
    /** The physical PIC's mask of an IRQ after VPICD_Physically_Mask, _Unmask or _Set_Auto_Masking (its IMR bit). */
    | { k: 'physMask'; irq: number; masked: boolean }
    | { k: 'virtInt'; irq: number; targetVm: number }
    | { k: 'virtEoi'; irq: number; targetVm: number }
    | { k: 'virtIret'; irq: number; targetVm: number; timedOut: boolean }
    | { k: 'processBegin' }
    | {
        k: 'processEnd'; dispatched: number;
        /** The pass was cut by the livelock bound: events it would have dispatched are still pending. */
        cut: boolean;
      }
    | { k: 'taskSwitch'; from: number; to: number }
    | { k: 'boost'; targetVm: number; delta: number; reason: string; handle: number }
    | { k: 'critical'; op: 'claim' | 'release' | 'block' | 'unblock'; owner: number; count: number }
    | { k: 'vmLifecycle'; op: 'create' | 'destroy' | 'suspend' | 'resume'; targetVm: number }
    | { k: 'violation'; kind: string; severity: ViolationSeverity; message: string; device: string; handle: number }
    /**
     * A dispatched event's callback that blocks on the critical section (SPEC §5), in the VM
     * `blockedVm` (current at `block` and `restart`): `block`, it was unwound and its VM keeps
     * it, having made `effects` service calls with an effect before (its restart makes them
     * again); `restart`, it runs again from the start (no second dispatch: its `return` or
     * another `block` follows); `drop`, its VM was destroyed and it never runs again.
     */
    | {
        k: 'blockedCallback'; op: 'block' | 'restart' | 'drop'; kind: EventKind; handle: number; callback: string;
        targetVm: number; timedOut: boolean; flags: number; blockedVm: number; effects: number;
      }
  );

export type HistoryKind = HistoryRecord['k'];
export type RecordOf<K extends HistoryKind> = Extract<HistoryRecord, { k: K }>;

export type HistorySink = (record: HistoryRecord) => void;

/**
 * Records between two fresh chunk arrays of a HistoryRing: far fewer than a scavenge's worth
 * (a simulator step makes ~4 records, and a scavenge comes every ~10^4 steps), so no chunk lives
 * through the two scavenges that would promote it.
 */
const FRESH_RECORDS = 4096;

/**
 * Keeps the last `capacity` records: what a report shows as "the events leading to it".
 *
 * In two chunks of `capacity` slots that take turns, and are replaced by new arrays every
 * FRESH_RECORDS records: an array that lives long is promoted to the old generation, and then
 * every record stored into it (a young object) is an old-to-young pointer that V8's write
 * barrier notes for the next scavenge, a cost paid on every record of every run (measured: ~5%
 * of a simulator step). A chunk that stays young takes a record with a plain store; the price is
 * one array of `capacity` slots per FRESH_RECORDS records (per `capacity`, if larger).
 *
 *   filled:  [ older records ..................... ]   (the chunk filled before, or null)
 *   filling: [ newer records ... | at: next slot ]
 *   the last `capacity` records: filled[at..] then filling[..at]
 */
export class HistoryRing {
  private readonly chunk: number;
  private filling: (HistoryRecord | undefined)[];
  private filled: (HistoryRecord | undefined)[] | null = null;
  private at = 0;
  /** Records stored since `filling` or `filled` was last a new array. */
  private sinceFresh = 0;

  constructor(readonly capacity: number) {
    this.chunk = Math.max(1, capacity);
    this.filling = new Array<HistoryRecord | undefined>(this.chunk);
  }

  /** A method, not an own function: the run loop's sink calls it on a ring it knows, so V8 inlines it. */
  push(record: HistoryRecord): void {
    // A run that reads no tail (the explorer's) keeps none: no store of a young record per record.
    if (this.capacity === 0) return;
    if (this.at === this.chunk) this.turn();
    this.filling[this.at++] = record;
  }

  toArray(): HistoryRecord[] {
    if (this.capacity === 0) return [];
    const recent = this.filling.slice(0, this.at) as HistoryRecord[];
    return this.filled === null ? recent : (this.filled.slice(this.at) as HistoryRecord[]).concat(recent);
  }

  /** `filling` is full: it becomes `filled`, and the chunk before it (or a new one) is filled next. */
  private turn(): void {
    const older = this.filled;
    this.filled = this.filling;
    this.sinceFresh += this.chunk;
    if (older === null || this.sinceFresh >= FRESH_RECORDS) {
      this.filling = new Array<HistoryRecord | undefined>(this.chunk);
      this.sinceFresh = 0;
    } else {
      this.filling = older;
    }
    this.at = 0;
  }
}
