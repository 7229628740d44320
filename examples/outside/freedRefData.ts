/**
 * Outside driver 11 (reference data pointing to freed state): a capture device passes the id of
 * its open buffer as the event's reference data (EDX), as a VxD passes a pointer. `close` frees
 * the buffer without cancelling a fill already scheduled: an interrupt inside `close`'s ring-0
 * work schedules a fill (the VMM was interrupted, so `Call_Global_Event` schedules), which runs
 * on the way out of `close`, against a freed buffer. Caught by the device itself (`r.fail`).
 *
 * Fixed: `close` forgets the buffer first, takes and cancels the pending fill (xchg idiom), then
 * frees.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 3;

interface CaptureState { openId: number; nextId: number; buffers: Record<string, { bytes: number }> }

export function freedRefDataScenario(fixed: boolean): Scenario {
  const capture = defineDevice<CaptureState>({
    name: 'capture',
    state: () => ({ openId: 0, nextId: 1, buffers: {} }),
    irqs: [{ irq: IRQ, hwIntProc: 'dataReady', meanIntervalTicks: 200 }],
    slots: ['fill'],
    entries: ['open', 'close'],
    procs: {
      dataReady(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.state.openId === 0 || r.slot('fill').read() !== 0) return;
        r.slot('fill').write(r.callGlobalEvent('fill', r.state.openId));
      },
      fill(r) {
        r.slot('fill').write(0);
        const buffer = r.state.buffers[r.regs.edx];
        if (buffer === undefined) r.fail('useAfterFree', `fill wrote to buffer ${r.regs.edx}, freed by close`);
        else buffer.bytes++;
      },
      open(r) {
        if (r.state.openId !== 0) return;
        const id = r.state.nextId++;
        r.state.buffers[id] = { bytes: 0 };
        r.state.openId = id;
      },
      close(r) {
        const id = r.state.openId;
        if (id === 0) return;
        if (fixed) {
          r.state.openId = 0;
          r.cancelGlobalEvent(r.slot('fill').xchg(0));
        }
        r.currentVm(); // stop the DMA: ring-0 work with interrupts enabled
        delete r.state.buffers[id];
        r.state.openId = 0;
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-freed-ref-data (fixed)' : 'outside-freed-ref-data',
    description: 'an event whose reference data names a buffer that close frees without cancelling it',
    vms: 1,
    devices: [capture, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default freedRefDataScenario(false);
