/**
 * Outside driver 27 (boost and flags in swapped registers): a scanner's interrupt handler, when
 * two pages are waiting, asks for an urgent drain with `Call_Priority_VM_Event`, and loads the
 * boost into ECX and the flags into EAX. The DDK's registers are EAX = boost, ECX = flags (SPEC
 * §3): the flags it passes are High_Pri_Device_Boost (0x1000), a reserved PEF bit ("Other bits
 * are reserved and must be zero: a clear error, not a silent ignore", SPEC §4). Only the urgent
 * path does it: a second page interrupt before the first page's drain ran.
 *
 * Fixed: EAX = High_Pri_Device_Boost, ECX = PEF_Wait_For_STI.
 */
import { Boost, defineDevice, defineScenario, PEF, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 15;

interface ScannerState { waiting: number; drained: number; urgent: number }

export function swappedBoostFlagsScenario(fixed: boolean): Scenario {
  const scanner = defineDevice<ScannerState>({
    name: 'scanner',
    state: () => ({ waiting: 0, drained: 0, urgent: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'pageReady', meanIntervalTicks: 250 }],
    slots: ['drain', 'urgent'],
    entries: ['scan'],
    procs: {
      pageReady(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.waiting++;
        if (r.state.waiting === 1) {
          r.slot('drain').write(r.scheduleGlobalEvent('drain', 0));
          return;
        }
        if (r.slot('urgent').read() !== 0) return;
        r.state.urgent++;
        const boost = fixed ? Boost.High_Pri_Device_Boost : PEF.Wait_For_STI;
        const flags = fixed ? PEF.Wait_For_STI : Boost.High_Pri_Device_Boost;
        r.slot('urgent').write(r.callPriorityVmEvent({ boost, vm: r.sysVm(), flags, callback: 'urgentDrain', refData: 0 }));
      },
      drain(r) {
        r.slot('drain').write(0);
        r.state.drained += r.state.waiting;
        r.state.waiting = 0;
      },
      urgentDrain(r) {
        r.slot('urgent').write(0);
        r.state.drained += r.state.waiting;
        r.state.waiting = 0;
      },
      scan(r) {
        r.currentVm();
        r.currentVm();
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-swapped-boost-flags (fixed)' : 'outside-swapped-boost-flags',
    description: 'Call_Priority_VM_Event with the boost in ECX and the flags in EAX',
    vms: 1,
    devices: [scanner, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default swappedBoostFlagsScenario(false);
