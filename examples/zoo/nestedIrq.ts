/**
 * Zoo bug 8: a two-source nested-interrupt ordering bug.
 *
 * One DMA controller, two interrupt sources: the completion interrupt (IRQ 3) refills a
 * two-word transfer descriptor (length, then address), and the request interrupt (IRQ 5) starts
 * a transfer from that descriptor. The completion handler ends its interrupt and enables
 * interrupts (`sti`) half-way through the refill, to keep interrupt latency low, and writes the
 * address only after a few more service calls. A request interrupt that nests in that window,
 * after the `sti` and before the second word, starts a transfer from a torn descriptor.
 *
 * The interleaving needs an order of two different sources: IRQ 3 first, then IRQ 5 inside
 * IRQ 3's handler after its `sti`. The fixed twin writes both words before it enables
 * interrupts. Written against SPEC §6 ("Hw_Int_Proc runs with interrupts disabled (it may enable
 * them, which lets any other IRQ nest)"), the same rule as the DDK's VPICD_Phys_EOI page: after
 * its EOI and `sti` a handler can be interrupted by any other line.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const COMPLETION_IRQ = 3;
const REQUEST_IRQ = 5;

export interface DmaState {
  /** Generation of the descriptor's first word (length) and second word (address). */
  lengthGeneration: number;
  addressGeneration: number;
  transfers: number;
}

export function dmaDevice(fixed: boolean) {
  return defineDevice<DmaState>({
    name: 'dma',
    state: () => ({ lengthGeneration: 0, addressGeneration: 0, transfers: 0 }),
    irqs: [
      { irq: COMPLETION_IRQ, hwIntProc: 'completion', meanIntervalTicks: 300 },
      { irq: REQUEST_IRQ, hwIntProc: 'request', meanIntervalTicks: 300 },
    ],
    entries: ['poll'],
    procs: {
      completion(r) {
        r.takeHardwareRequest(COMPLETION_IRQ);
        r.physEoi(r.irqHandle(COMPLETION_IRQ));
        r.state.lengthGeneration++;
        if (fixed) r.state.addressGeneration++;
        r.sti();
        r.currentVm();
        r.sysVm();
        if (!fixed) r.state.addressGeneration++;
        r.cli();
      },
      request(r) {
        r.takeHardwareRequest(REQUEST_IRQ);
        r.physEoi(r.irqHandle(REQUEST_IRQ));
        if (r.state.lengthGeneration !== r.state.addressGeneration) {
          r.fail('tornDescriptor', `transfer started from a half-written descriptor (length generation ${r.state.lengthGeneration}, address generation ${r.state.addressGeneration})`);
        }
        r.state.transfers++;
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
      },
    },
  });
}

export function nestedIrqScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'nested-irq-order (fixed)' : 'nested-irq-order',
    description: "a request interrupt nested inside the completion handler's window after its sti sees a torn descriptor",
    vms: 1,
    devices: [dmaDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
