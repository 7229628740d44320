/**
 * Deep bug 1 (three preemptions in one ring-0 entry): a DMA controller's `program` trap writes a
 * three-word descriptor (address, count, mode), each write a port access (a service call, so a
 * preemption point). The completion interrupt reloads the channel from the descriptor; it is
 * harmless unless it lands inside `program` after each of the three writes, in one call: the
 * third reload then starts a transfer whose words come from three different programmings.
 * Needs three interrupts inside one trap handler, at three given points: beyond dfs's default
 * bounds (2 IRQs, 2 inside ring-0 code), where dfs exhausts its space and must claim nothing
 * for deeper bugs.
 */
import { defineDevice, defineScenario, timer } from '../../src/index.js';

const IRQ = 6;

interface DmaState { written: number; seen: number[]; torn: number }

const dma = defineDevice<DmaState>({
  name: 'dma',
  state: () => ({ written: 0, seen: [], torn: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'reload', meanIntervalTicks: 120 }],
  entries: ['program'],
  procs: {
    reload(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      const { written, seen } = r.state;
      if (written === 0) return;
      if (seen.at(-1) !== written) seen.push(written);
      if (seen.length === 3) r.state.torn++;
    },
    program(r) {
      r.state.seen = [];
      for (let word = 1; word <= 3; word++) {
        r.state.written = word;
        r.currentVm(); // the port write: a service call, where an interrupt may cut in
      }
      r.state.written = 0;
    },
  },
});

export default defineScenario({
  name: 'three-interrupts',
  vms: 2,
  devices: [timer, dma],
  mix: { run: 25, trap: 65, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 20 },
  invariants: [{ name: 'tornDescriptor', check: (view) => (view.device<DmaState>('dma').torn === 0 ? undefined : 'a reload saw three programmings of one descriptor') }],
  steps: 40,
});
