/**
 * Outside driver 24 (a shared IRQ claimed by a handler whose hardware did not raise it): a modem
 * and a network card share IRQ 10, both with `VPICD_Opt_Can_Share`. VPICD "calls each sharer's
 * Hw_Int_Proc until one claims it (carry clear)" (SPEC §6). The modem, first in the chain, reads
 * its status register and, when it has nothing to say, still returns with carry clear: every
 * interrupt the network card raises is taken by the modem, the card's handler never runs, and
 * its request is never acknowledged. Needs the card's interrupt.
 *
 * Fixed: the modem returns carry set (`false`) when its hardware did not raise the line.
 */
import { defineDevice, defineScenario, VPICD_OPT, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 10;

interface ModemState { bytes: number; claimedNotMine: number }
interface NicState { frames: number }

export function sharedIrqClaimAllScenario(fixed: boolean): Scenario {
  const modem = defineDevice<ModemState>({
    name: 'modem',
    state: () => ({ bytes: 0, claimedNotMine: 0 }),
    irqs: [{ irq: IRQ, options: VPICD_OPT.Can_Share, hwIntProc: 'modemInt', meanIntervalTicks: 400 }],
    entries: ['dial'],
    procs: {
      modemInt(r) {
        const mine = r.takeHardwareRequest(IRQ); // in assembly: in al, dx / test al, IIR_NO_INT
        if (!mine) {
          if (fixed) return false; // stc / ret: let the next sharer look
          r.state.claimedNotMine++;
          return true;
        }
        r.physEoi(r.irqHandle(IRQ));
        r.state.bytes++;
        return true;
      },
      dial(r) {
        r.currentVm();
      },
    },
  });
  const nic = defineDevice<NicState>({
    name: 'nic',
    state: () => ({ frames: 0 }),
    irqs: [{ irq: IRQ, options: VPICD_OPT.Can_Share, hwIntProc: 'nicInt', meanIntervalTicks: 300 }],
    entries: ['send'],
    procs: {
      nicInt(r) {
        if (!r.takeHardwareRequest(IRQ)) return false;
        r.physEoi(r.irqHandle(IRQ));
        r.state.frames++;
        return true;
      },
      send(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-shared-irq-claim-all (fixed)' : 'outside-shared-irq-claim-all',
    description: 'a sharer of IRQ 10 claims interrupts its hardware did not raise; the other sharer never sees them',
    vms: 1,
    devices: [modem, nic, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'interruptStolen',
      check: (view) => {
        const s = view.device<ModemState>('modem');
        return s.claimedNotMine === 0 ? undefined : `the modem claimed ${s.claimedNotMine} interrupt(s) of IRQ ${IRQ} its hardware did not raise: the network card sharing the line never saw them`;
      },
    }],
    steps: 40,
  });
}

export default sharedIrqClaimAllScenario(false);
