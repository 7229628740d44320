/**
 * Outside driver 25 (a Hw_Int_Proc that clobbers EDI): a UART handler counts receive overruns
 * with EDI as its scratch register. VID_Hw_Int_Proc "Uses EAX, EBX, ECX, EDX, ESI, and Flags"
 * (SPEC §6: it "must preserve EDI, EBP, ESP and the segment registers"): the interrupted ring-0
 * code loses its EDI. Only the overrun path does it, when a second byte arrives before the
 * event that reads the first has run: two interrupts inside one stretch of ring-0 code.
 *
 * Fixed: the overrun path uses ECX.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 3;

interface UartState { rxPending: boolean; bytes: number; overruns: number }

export function hwIntEdiScenario(fixed: boolean): Scenario {
  const uart = defineDevice<UartState>({
    name: 'uart',
    state: () => ({ rxPending: false, bytes: 0, overruns: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'rxInt', meanIntervalTicks: 200 }],
    slots: ['rx'],
    entries: ['read', 'status'],
    procs: {
      rxInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.state.rxPending) {
          // Overrun: the previous byte was not read yet. Count it in a scratch register.
          if (fixed) r.regs.ecx = ++r.state.overruns;
          else r.regs.edi = ++r.state.overruns;
          return;
        }
        r.state.rxPending = true;
        r.slot('rx').write(r.scheduleGlobalEvent('rxEvent', 0));
      },
      rxEvent(r) {
        r.slot('rx').write(0);
        r.state.rxPending = false;
        r.state.bytes++;
      },
      read(r) {
        r.currentVm();
        r.currentVm();
        r.currentVm();
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-hw-int-edi (fixed)' : 'outside-hw-int-edi',
    description: "a Hw_Int_Proc's overrun path uses EDI, which VPICD procedures must preserve",
    vms: 1,
    devices: [uart, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default hwIntEdiScenario(false);
