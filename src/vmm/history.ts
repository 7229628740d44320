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
  | 'stale' // the event already ran or was cancelled (checked handles)
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
        targetVm: number; inline: boolean; timedOut: boolean; ebx: number; flags: number;
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
    | { k: 'virtInt'; irq: number; targetVm: number }
    | { k: 'virtEoi'; irq: number; targetVm: number }
    | { k: 'virtIret'; irq: number; targetVm: number; timedOut: boolean }
    | { k: 'processBegin' }
    | { k: 'processEnd'; dispatched: number }
    | { k: 'taskSwitch'; from: number; to: number }
    | { k: 'boost'; targetVm: number; delta: number; reason: string; handle: number }
    | { k: 'critical'; op: 'claim' | 'release' | 'block' | 'unblock'; owner: number; count: number }
    | { k: 'vmLifecycle'; op: 'create' | 'destroy' | 'suspend' | 'resume'; targetVm: number }
    | { k: 'violation'; kind: string; severity: ViolationSeverity; message: string; device: string; handle: number }
  );

export type HistoryKind = HistoryRecord['k'];
export type RecordOf<K extends HistoryKind> = Extract<HistoryRecord, { k: K }>;

export type HistorySink = (record: HistoryRecord) => void;

/** Keeps the last `capacity` records: what a report shows as "the events leading to it". */
export class HistoryRing {
  private readonly records: HistoryRecord[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  readonly push = (record: HistoryRecord): void => {
    if (this.records.length < this.capacity) this.records.push(record);
    else this.records[this.next] = record;
    if (++this.next === this.capacity) this.next = 0;
  };

  toArray(): HistoryRecord[] {
    if (this.records.length < this.capacity) return this.records.slice();
    return this.records.slice(this.next).concat(this.records.slice(0, this.next));
  }
}
