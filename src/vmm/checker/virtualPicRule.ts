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
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';
import type { CpuTracker } from './cpuTracker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

/** SPEC §6's fixed priority 0, 1, (8-15), 3-7, written again from the text. */
const ORDER = [0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7];

function best(mask: number): number {
  for (const irq of ORDER) if (mask & (1 << irq)) return irq;
  return -1;
}

function rank(irq: number): number {
  const i = ORDER.indexOf(irq);
  return i < 0 ? ORDER.length : i;
}

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

export class VirtualPicRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['clientOp', 'virtRequest', 'virtMask', 'virtInt', 'virtEoi', 'vmLifecycle', 'critical'];
  private readonly vms = new Map<number, VirtualPic>();

  constructor(private readonly cpu: CpuTracker) {}

  private vm(id: number): VirtualPic {
    let pic = this.vms.get(id);
    if (pic === undefined) {
      pic = { requests: 0, mask: 0, inService: 0, vif: true, savedVif: [], suspended: false, blocked: false };
      this.vms.set(id, pic);
    }
    return pic;
  }

  /** Why the VM cannot take `irq` now, or null if it can. */
  private refusal(id: number, irq: number): string | null {
    const pic = this.vm(id);
    if (id !== this.cpu.current) return `VM ${id} is not current`;
    if (this.cpu.atInterruptTime) return 'it is interrupt time';
    if ((pic.requests & (1 << irq)) === 0) return 'no request is set';
    if (pic.mask & (1 << irq)) return 'the VM masked the IRQ';
    if (!pic.vif) return 'the VM has interrupts disabled';
    if (pic.suspended || pic.blocked) return 'the VM cannot run';
    if (rank(irq) >= rank(best(pic.inService))) return `IRQ ${best(pic.inService)} is in service`;
    return null;
  }

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    switch (r.k) {
      case 'clientOp': {
        const id = this.cpu.current;
        const pic = this.vm(id);
        const irq = best(pic.requests & ~pic.mask);
        if (irq >= 0 && this.refusal(id, irq) === null) {
          report({ ...at, kind: 'virtIntNotSimulated', message: `VM ${id} ran its code with IRQ ${irq} requested, unmasked and takeable, but not simulated` });
        }
        if (r.op.op === 'cli' || r.op.op === 'sti') pic.vif = r.op.op === 'sti';
        if (r.op.op === 'iret' && pic.savedVif.length > 0) pic.vif = pic.savedVif.pop()!;
        return;
      }
      case 'virtRequest': {
        const pic = this.vm(r.targetVm);
        pic.requests = r.op === 'set' ? pic.requests | (1 << r.irq) : pic.requests & ~(1 << r.irq);
        return;
      }
      case 'virtMask': {
        const pic = this.vm(r.targetVm);
        pic.mask = r.masked ? pic.mask | (1 << r.irq) : pic.mask & ~(1 << r.irq);
        return;
      }
      case 'virtInt': {
        const why = this.refusal(r.targetVm, r.irq);
        if (why !== null) report({ ...at, kind: 'virtIntNotAllowed', message: `IRQ ${r.irq} simulated into VM ${r.targetVm} although ${why}` });
        const pic = this.vm(r.targetVm);
        pic.inService |= 1 << r.irq;
        pic.savedVif.push(pic.vif);
        pic.vif = false;
        return;
      }
      case 'virtEoi': {
        const pic = this.vm(r.targetVm);
        const highest = best(pic.inService);
        if (highest !== r.irq) report({ ...at, kind: 'virtEoiWrongIrq', message: `VM ${r.targetVm}'s EOI ended IRQ ${r.irq}; the highest in service was ${highest}` });
        pic.inService &= ~(1 << r.irq);
        return;
      }
      case 'vmLifecycle': {
        const pic = this.vm(r.targetVm);
        if (r.op === 'suspend') pic.suspended = true;
        else if (r.op === 'resume') pic.suspended = false;
        else if (r.op === 'destroy') this.vms.delete(r.targetVm);
        return;
      }
      case 'critical':
        if (r.op === 'block') this.vm(this.cpu.current).blocked = true;
        else if (r.op === 'unblock') this.vm(r.owner).blocked = false;
        return;
      default:
        return;
    }
  }
}
