/**
 * Outside driver 16 (a virtual IRQ never cleared): a data-acquisition card's interrupt reflects
 * each sample into the system VM with `VPICD_Set_Int_Request`; its `EOI_Proc` does nothing.
 * VPICD's virtual PIC is level-triggered ("once a virtual EOI occurs, another interrupt will be
 * simulated immediately unless the virtual interrupt request is cleared"), so after the VM's EOI
 * the same sample is simulated again and again: the VM's handler sees more interrupts than the
 * card raised. Needs an interrupt, the VM taking it, and its EOI.
 *
 * Fixed: the `EOI_Proc` calls `VPICD_Clear_Int_Request`.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS } from './common.js';

const IRQ = 9;

interface DaqState { hardware: number; simulated: number }

export function stuckVirtualIrqScenario(fixed: boolean): Scenario {
  const daq = defineDevice<DaqState>({
    name: 'daq',
    state: () => ({ hardware: 0, simulated: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'sample', virtIntProc: 'virtInt', eoiProc: 'virtEoi', meanIntervalTicks: 300 }],
    entries: ['status'],
    procs: {
      sample(r) {
        r.takeHardwareRequest(IRQ);
        const irq = r.irqHandle(IRQ);
        r.physEoi(irq);
        r.state.hardware++;
        r.setIntRequest(r.sysVm(), irq);
      },
      virtInt(r) {
        r.state.simulated++;
      },
      virtEoi(r) {
        if (fixed) r.clearIntRequest(r.regs.ebx, r.irqHandle(IRQ));
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-stuck-virtual-irq (fixed)' : 'outside-stuck-virtual-irq',
    description: 'an EOI_Proc that never calls VPICD_Clear_Int_Request: the level-triggered request is simulated again after every EOI',
    vms: 1,
    devices: [daq, ...NEIGHBOURS],
    // The VM's handler EOIs and irets: the workload has both.
    mix: { run: 25, trap: 50, interruptFlag: 5, iret: 8, eoi: 8, mask: 0, mode: 0, runTicksMean: 20 },
    invariants: [{
      name: 'spuriousInterrupt',
      check: (view) => {
        const s = view.device<DaqState>('daq');
        return s.simulated <= s.hardware ? undefined : `${s.simulated} virtual interrupt(s) for ${s.hardware} sample(s)`;
      },
    }],
    steps: 40,
  });
}

export default stuckVirtualIrqScenario(false);
