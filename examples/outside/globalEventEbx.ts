/**
 * Outside driver 17 (a global event callback that takes EBX for a particular VM): a pen tablet
 * remembers the VM that opened it. Its interrupt asks for a global event, and the callback
 * delivers the pen position to EBX, as if EBX were the owner. A global event's EBX is only the VM
 * current when it runs: when the interrupt came while another VM ran, the position goes to that
 * VM. Needs two VMs, a task switch, and an interrupt while the other VM runs.
 *
 * Fixed: the callback delivers to the owner it saved (a VM event for the owner would do too).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 7;

interface PenState { owner: number; deliveries: number; misdelivered: number }

export function globalEventEbxScenario(fixed: boolean): Scenario {
  const pen = defineDevice<PenState>({
    name: 'pen',
    state: () => ({ owner: 0, deliveries: 0, misdelivered: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'penMoved', meanIntervalTicks: 200 }],
    entries: ['open', 'status'],
    procs: {
      penMoved(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.state.owner === 0) return;
        r.callGlobalEvent('deliver', 0);
      },
      deliver(r) {
        const target = fixed ? r.state.owner : r.regs.ebx; // BUG: EBX is whichever VM is current
        r.state.deliveries++;
        if (target !== r.state.owner) r.state.misdelivered++;
      },
      open(r) {
        r.state.owner = r.currentVm();
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-global-event-ebx (fixed)' : 'outside-global-event-ebx',
    description: 'a global event callback treats EBX as the VM that owns the device',
    vms: 2,
    devices: [pen, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    // Slices of 100 virtual µs, so that the second VM runs within an execution.
    config: { timesliceTicks: 100 },
    invariants: [{
      name: 'deliveredToWrongVm',
      check: (view) => {
        const s = view.device<PenState>('pen');
        return s.misdelivered === 0 ? undefined : `${s.misdelivered} pen position(s) delivered to a VM that does not own the tablet`;
      },
    }],
    steps: 40,
  });
}

export default globalEventEbxScenario(false);
