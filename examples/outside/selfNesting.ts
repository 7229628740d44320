/**
 * Outside driver 19 (a handler re-entered by its own IRQ): a sampling card's `Hw_Int_Proc` sends
 * `VPICD_Phys_EOI` first and enables interrupts (`sti`) to keep the latency of the other devices
 * low, then appends the sample to its buffer: it takes the free index, reads the sample's VM
 * (`Get_Cur_VM_Handle`, a service call), stores, and advances the index. VPICD holds back an IRQ
 * only until its `Phys_EOI`, so the card's next interrupt can nest in that window: both take the
 * same index and one sample overwrites the other.
 *
 * Fixed: the handler ends the interrupt after the append (the IRQ cannot nest before the index
 * moved); interrupts still go on early, for the other devices.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 10;

interface SamplerState { raised: number; nextIndex: number; stored: number[] }

export function selfNestingScenario(fixed: boolean): Scenario {
  const sampler = defineDevice<SamplerState>({
    name: 'sampler',
    state: () => ({ raised: 0, nextIndex: 0, stored: [] }),
    irqs: [{ irq: IRQ, hwIntProc: 'sampleReady', meanIntervalTicks: 150 }],
    entries: ['status'],
    procs: {
      sampleReady(r) {
        r.takeHardwareRequest(IRQ);
        const irq = r.irqHandle(IRQ);
        r.state.raised++;
        if (!fixed) r.physEoi(irq); // BUG: ends the interrupt before the append
        r.sti();
        const index = r.state.nextIndex;
        r.currentVm(); // the VM the sample belongs to
        r.state.stored[index] = r.state.raised;
        r.state.nextIndex = index + 1;
        if (fixed) r.physEoi(irq);
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-self-nesting (fixed)' : 'outside-self-nesting',
    description: 'a Hw_Int_Proc ends its interrupt and enables interrupts before a non-reentrant append; its own IRQ nests there',
    vms: 1,
    devices: [sampler, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'sampleOverwritten',
      check: (view) => {
        const s = view.device<SamplerState>('sampler');
        return s.nextIndex === s.raised ? undefined : `${s.raised} samples raised, ${s.raised - s.nextIndex} overwritten`;
      },
    }],
    steps: 40,
  });
}

export default selfNestingScenario(false);
