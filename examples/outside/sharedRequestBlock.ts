/**
 * Outside driver 21 (one static request block for every VM): a CD-ROM driver keeps the VM whose
 * read is in flight in one word. A read from a second VM while the first one's is in flight
 * overwrites it, and the completion interrupt answers only the second: the first VM waits for
 * ever. Needs two VMs and a task switch between their reads (the completion interrupt must not
 * come between them), nothing else.
 *
 * Fixed: a read while another VM's is in flight is refused (carry set: "busy, retry"), as a
 * single-request device must.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 14;

interface CdState { inFlightVm: number; waiting: number[]; delivering: number[]; completions: number }

export function sharedRequestBlockScenario(fixed: boolean): Scenario {
  const cdrom = defineDevice<CdState>({
    name: 'cdrom',
    state: () => ({ inFlightVm: 0, waiting: [], delivering: [], completions: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'readDone', meanIntervalTicks: 400 }],
    entries: ['read'],
    procs: {
      read(r) {
        const vm = r.currentVm();
        if (r.state.waiting.includes(vm)) return;
        if (fixed && r.state.inFlightVm !== 0) {
          r.client.set('EFlags', r.client.get('EFlags') | 1); // CF: busy
          return;
        }
        r.state.waiting.push(vm);
        r.state.inFlightVm = vm; // BUG: overwrites another VM's request in flight
      },
      readDone(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        const vm = r.state.inFlightVm;
        if (vm === 0) return;
        r.state.inFlightVm = 0;
        r.state.delivering.push(vm);
        r.scheduleVmEvent(vm, 'complete', 0);
      },
      complete(r) {
        const vm = r.regs.ebx;
        r.state.delivering = r.state.delivering.filter((v) => v !== vm);
        r.state.waiting = r.state.waiting.filter((v) => v !== vm);
        r.state.completions++;
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-shared-request-block (fixed)' : 'outside-shared-request-block',
    description: 'one request word for every VM: a second VM\'s read overwrites the first one\'s, which is never answered',
    vms: 2,
    devices: [cdrom, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    config: { timesliceTicks: 100 },
    invariants: [{
      name: 'requestOrphaned',
      check: (view) => {
        const s = view.device<CdState>('cdrom');
        const orphan = s.waiting.find((vm) => vm !== s.inFlightVm && !s.delivering.includes(vm));
        return orphan === undefined ? undefined : `a read of VM handle 0x${orphan.toString(16)} is neither in flight nor being answered`;
      },
    }],
    steps: 40,
  });
}

export default sharedRequestBlockScenario(false);
