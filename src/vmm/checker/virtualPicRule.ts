/**
 * The virtual PIC (SPEC §6), rebuilt from the records: each VM's requests, mask, in-service
 * IRQs and interrupt flag. A virtual interrupt is simulated only when VPICD_Set_Int_Request
 * allows it ("not simulated immediately if ... The virtual machine has interrupts disabled; The
 * virtual machine has masked the IRQ; A higher priority virtual IRQ is in service; The virtual
 * machine is suspended, or not able to run"), into the current VM, never at interrupt time; and
 * one it can take is never left pending when the VM's code runs (level-triggered: "once a
 * virtual EOI occurs, another interrupt will be simulated immediately unless the virtual
 * interrupt request is cleared"). A non-specific virtual EOI ends the highest IRQ in service.
 */
import type { ClientOp } from '../clientOps.js';
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';
import type { CpuTracker } from './cpuTracker.js';

/** SPEC §6's fixed priority 0, 1, (8-15), 3-7, written again from the text. */
const ORDER = [0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7];
/** IRQ → its place in ORDER; IRQ 2 (the cascade) and unknown IRQs rank after all. */
const RANK: readonly number[] = Array.from({ length: 16 }, (_, irq) => {
  const i = ORDER.indexOf(irq);
  return i < 0 ? ORDER.length : i;
});

/**
 * The IRQ of `mask` that comes first in ORDER, or -1: the lowest of 0-1, else of 8-15, else of
 * 3-7 (the groups of ORDER, each in ascending order), found with bit operations rather than a
 * walk along ORDER, since every client op asks.
 */
function best(mask: number): number {
  const group = (mask & 0x0003) || (mask & 0xff00) || (mask & 0x00f8);
  return group === 0 ? -1 : 31 - Math.clz32(group & -group);
}

function rank(irq: number): number {
  return irq >= 0 && irq < RANK.length ? RANK[irq]! : ORDER.length;
}

/** Why a VM cannot take an IRQ now (a number, so that asking costs no string). */
const Refusal = { none: 0, notCurrent: 1, interruptTime: 2, noRequest: 3, masked: 4, cli: 5, cannotRun: 6, inService: 7 } as const;

interface VirtualPic {
  requests: number;
  mask: number;
  inService: number;
  vif: boolean;
  /** The interrupt flag before each simulated interrupt, innermost last. */
  savedVif: boolean[];
  suspended: boolean;
  blocked: boolean;
}

/** A new VM's virtual PIC (SPEC §6: nothing requested, masked or in service, interrupts enabled), written into `pic`. */
function newPic(pic: VirtualPic): VirtualPic {
  pic.requests = pic.mask = pic.inService = 0;
  pic.vif = true;
  // Popped, not truncated: setting a length is a runtime call that gives the storage up.
  const saved = pic.savedVif;
  while (saved.length !== 0) saved.pop();
  pic.suspended = pic.blocked = false;
  return pic;
}

export class VirtualPicRule {
  private readonly vms = new Map<number, VirtualPic>();
  /**
   * The last PIC looked up and its VM (0: none): every client op asks for the current VM's,
   * which changes only at a task switch, so one comparison usually replaces a Map lookup.
   */
  private cachedId = 0;
  private cachedPic: VirtualPic | null = null;

  constructor(private readonly cpu: CpuTracker) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    // The map is only read by VM (get, set, delete): the PICs stay, each as a new VM's (a
    // cleared Map is a new table, and each PIC a new object).
    for (const pic of this.vms.values()) newPic(pic);
    this.cachedId = 0;
    this.cachedPic = null;
  }

  private vm(id: number): VirtualPic {
    if (id === this.cachedId && this.cachedPic !== null) return this.cachedPic;
    let pic = this.vms.get(id);
    if (pic === undefined) {
      // As newPic leaves one (test/vmm/checker/reset.test.ts holds a reset checker to a new one).
      pic = { requests: 0, mask: 0, inService: 0, vif: true, savedVif: [], suspended: false, blocked: false };
      this.vms.set(id, pic);
    }
    this.cachedId = id;
    this.cachedPic = pic;
    return pic;
  }

  /** VM `id`'s interrupt flag as its records set it (a VM the records never named: enabled, as a new VM's). */
  vifOf(id: number): boolean {
    return this.vms.get(id)?.vif ?? true;
  }

  /** Why VM `id` (whose PIC is `pic`) cannot take `irq` now, or Refusal.none if it can. */
  private refusal(id: number, pic: VirtualPic, irq: number): number {
    if (id !== this.cpu.current) return Refusal.notCurrent;
    if (this.cpu.atInterruptTime) return Refusal.interruptTime;
    if ((pic.requests & (1 << irq)) === 0) return Refusal.noRequest;
    if (pic.mask & (1 << irq)) return Refusal.masked;
    if (!pic.vif) return Refusal.cli;
    if (pic.suspended || pic.blocked) return Refusal.cannotRun;
    if (rank(irq) >= rank(best(pic.inService))) return Refusal.inService;
    return Refusal.none;
  }

  private static why(refusal: number, id: number, pic: VirtualPic): string {
    switch (refusal) {
      case Refusal.notCurrent: return `VM ${id} is not current`;
      case Refusal.interruptTime: return 'it is interrupt time';
      case Refusal.noRequest: return 'no request is set';
      case Refusal.masked: return 'the VM masked the IRQ';
      case Refusal.cli: return 'the VM has interrupts disabled';
      case Refusal.cannotRun: return 'the VM cannot run';
      default: return `IRQ ${best(pic.inService)} is in service`;
    }
  }

  clientOp(r: RecordOf<'clientOp'>, op: ClientOp['op'], report: Report): void {
    const id = this.cpu.current;
    const pic = this.vm(id);
    // Usually no unmasked request is set, or the VM has interrupts disabled: then no IRQ is
    // takeable (`refusal` would say so too, after more questions).
    const pending = pic.vif ? pic.requests & ~pic.mask : 0;
    if (pending !== 0) this.takeableLeftPending(r, id, pic, best(pending), report);
    if (op === 'cli' || op === 'sti') pic.vif = op === 'sti';
    if (op === 'iret' && pic.savedVif.length > 0) pic.vif = pic.savedVif.pop()!;
  }

  /** The VM runs its code with `irq` requested: it must not be one it could take now. */
  private takeableLeftPending(r: RecordOf<'clientOp'>, id: number, pic: VirtualPic, irq: number, report: Report): void {
    if (irq >= 0 && this.refusal(id, pic, irq) === Refusal.none) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'virtIntNotSimulated', message: `VM ${id} ran its code with IRQ ${irq} requested, unmasked and takeable, but not simulated` });
    }
  }

  virtRequest(r: RecordOf<'virtRequest'>): void {
    const pic = this.vm(r.targetVm);
    pic.requests = r.op === 'set' ? pic.requests | (1 << r.irq) : pic.requests & ~(1 << r.irq);
  }

  virtMask(r: RecordOf<'virtMask'>): void {
    const pic = this.vm(r.targetVm);
    pic.mask = r.masked ? pic.mask | (1 << r.irq) : pic.mask & ~(1 << r.irq);
  }

  virtInt(r: RecordOf<'virtInt'>, report: Report): void {
    const pic = this.vm(r.targetVm);
    const refusal = this.refusal(r.targetVm, pic, r.irq);
    if (refusal !== Refusal.none) report({ seq: r.seq, ticks: r.ticks, kind: 'virtIntNotAllowed', message: `IRQ ${r.irq} simulated into VM ${r.targetVm} although ${VirtualPicRule.why(refusal, r.targetVm, pic)}` });
    pic.inService |= 1 << r.irq;
    pic.savedVif.push(pic.vif);
    pic.vif = false;
  }

  virtEoi(r: RecordOf<'virtEoi'>, report: Report): void {
    const pic = this.vm(r.targetVm);
    const highest = best(pic.inService);
    if (highest !== r.irq) report({ seq: r.seq, ticks: r.ticks, kind: 'virtEoiWrongIrq', message: `VM ${r.targetVm}'s EOI ended IRQ ${r.irq}; the highest in service was ${highest}` });
    pic.inService &= ~(1 << r.irq);
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    const pic = this.vm(r.targetVm);
    if (r.op === 'suspend') pic.suspended = true;
    else if (r.op === 'resume') pic.suspended = false;
    else if (r.op === 'destroy') {
      this.vms.delete(r.targetVm);
      this.cachedPic = null;
    }
  }

  critical(r: RecordOf<'critical'>): void {
    if (r.op === 'block') this.vm(this.cpu.current).blocked = true;
    else if (r.op === 'unblock') this.vm(r.owner).blocked = false;
  }
}
