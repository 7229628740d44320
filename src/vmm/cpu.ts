/**
 * The CPU's side of interrupts: preemption points, the hardware raising IRQs, the CPU taking
 * them (VPICD runs the Hw_Int_Procs of the line), and the way back to ring 3, which is the
 * event-processing point. The machine's `preempt()` comes here (machine.ts says why it is a
 * method there).
 */
import type { IrqPoint } from './choices.js';
import type { Machine, MachineDevice } from './machine.js';
import { processEvents } from './processing.js';
import { dispatchHardwareInterrupt } from './services/vpicd.js';
import { checkIretTimeouts, deliverVirtualInterrupts } from './services/virtualPic.js';
import * as rec from './records.js';

/** How deep hardware interrupts may nest in ring 0 before it is reported as a runaway handler. */
export const REENTER_MAX = 32;

/**
 * Preemption points in ring 0, within one client step, with interrupts enabled and an IRQ source
 * free to assert, after which every such source asserts if the strategy raised none. The
 * hardware is fair: a driver that polls a flag its own interrupt handler sets (`while
 * (!done) { sti(); cli(); currentVm(); }`) gets its interrupt, as on a real machine, whatever the
 * strategy (dfs and PCT raise none at most points) and its IRQ budget; without it such a legal
 * loop ran into the service-call budget (an outside audit). Far below that budget (100,000 calls).
 */
export const FAIR_IRQ_POINTS = 1000;

/** The machine with what only the CPU's interrupt code reads. */
export interface CpuMachine extends Machine {
  /** The one preemption point handed to the choice source (valid for that call only: no allocation per step). */
  readonly irqPoint: IrqPoint;
  reenterOverflowReported: boolean;
  /** Counted towards FAIR_IRQ_POINTS; 0 at each client step and each raise. */
  ring0PointsWithoutIrq: number;
}

/**
 * A preemption point: the hardware may raise IRQs here (the strategy, or the real PIC worker,
 * says which) and, with interrupts enabled, the CPU takes the ones the PIC presents.
 */
export function preempt(m: CpuMachine): void {
  if (!m.interruptsEnabled) return;
  // Sources whose device still asserts its last request cannot assert again (edge-triggered).
  const eligible = m.allSources & ~m.assertedSources;
  if (eligible !== 0) {
    const point = m.irqPoint;
    const inRing0 = m.ctx !== 'vm';
    point.ticks = m.ticks;
    point.inRing0 = inRing0;
    point.eligibleSources = eligible;
    let raised = m.choices.irqArrivals(point) & eligible;
    if (raised === 0 && inRing0 && ++m.ring0PointsWithoutIrq >= FAIR_IRQ_POINTS) raised = eligible;
    if (raised !== 0) {
      m.ring0PointsWithoutIrq = 0;
      raise(m, raised);
    }
  }
  takeInterrupts(m);
}

function raise(m: Machine, sourceMask: number): void {
  let lines = 0;
  m.assertedSources |= sourceMask;
  const sources = m.sources;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]!;
    if ((sourceMask & (1 << source.index)) === 0) continue;
    source.device.hwRequests |= 1 << source.irq;
    lines |= 1 << source.irq;
    m.pic.raise(source.irq);
  }
  rec.irqRaise(m, sourceMask, lines);
}

/** A device's Hw_Int_Proc took its hardware's request: the source may assert again. */
export function takeHardwareRequest(m: Machine, device: MachineDevice, irq: number): boolean {
  const bit = 1 << irq;
  const raised = (device.hwRequests & bit) !== 0;
  device.hwRequests &= ~bit;
  const source = device.sourceIndex[irq] ?? -1;
  if (source >= 0) m.assertedSources &= ~(1 << source);
  return raised;
}

export function takeInterrupts(m: CpuMachine): void {
  let irq: number;
  while (m.interruptsEnabled && (irq = m.pic.pending()) >= 0) {
    // A handler that ends its interrupt (EOI) and enables interrupts before it is done can
    // re-enter itself without end; the real ring-0 stack would overflow. Report it once and
    // hold further IRQs (they stay requested) until the nesting unwinds.
    if (m.reenter >= REENTER_MAX) {
      if (!m.reenterOverflowReported) {
        m.reenterOverflowReported = true;
        // Name the line and its handlers: the user's next step is to read those Hw_Int_Procs.
        const devices = (m.irqLines[irq] ?? []).map((sharer) => sharer.device.name);
        m.violation('reenterOverflow', 'device', `hardware interrupts nested ${REENTER_MAX} deep with IRQ ${irq} requested again` +
          ` (Hw_Int_Proc of ${devices.length > 0 ? devices.join(', ') : 'no device'}: does it enable interrupts after its EOI, before it is done?)`, devices[0] ?? '', 0);
      }
      return;
    }
    interrupt(m, irq);
  }
}

/** The CPU takes a hardware interrupt: VPICD runs the Hw_Int_Procs of the line. */
function interrupt(m: CpuMachine, irq: number): void {
  const fromRing0 = m.ctx !== 'vm';
  const savedCtx = m.ctx;
  const saved = m.saveRegs();
  if (fromRing0) m.reenter++;
  m.hwIntDepth++;
  m.ctx = 'hwint';
  m.interruptsEnabled = false;
  m.pic.acknowledge(irq);
  rec.irqEnter(m, irq, fromRing0);
  const claimedBy = dispatchHardwareInterrupt(m, irq);
  rec.irqExit(m, irq, claimedBy);
  m.hwIntDepth--;
  // IRET: the interrupted code's registers and flags come back.
  m.restoreRegs(saved);
  m.ctx = savedCtx;
  m.interruptsEnabled = true;
  if (fromRing0) m.reenter--;
  else returnToRing3(m);
}

/**
 * Ring 0 is about to IRET to ring 3: the event-processing point (SPEC §1). Pending events run,
 * IRET time-outs are noticed, and the VM about to run takes a virtual interrupt it can take.
 * A VPICD procedure run here can itself be interrupted and leave work behind: repeat (a
 * simulated interrupt disables the VM's interrupts, so this settles at once).
 */
export function returnToRing3(m: Machine): void {
  for (let round = 0; round < 4; round++) {
    processEvents(m, true);
    const seq = m.seq;
    checkIretTimeouts(m);
    deliverVirtualInterrupts(m, m.current);
    if (m.seq === seq) break; // no VPICD procedure ran: nothing new can be pending
  }
}
