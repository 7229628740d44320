/**
 * Outside driver 20 (a priority event callback that ignores the timed-out flag): a game-port
 * driver updates the system VM's joystick state from a priority event that waits until VPICD is
 * not simulating a hardware interrupt into the VM (`PEF_Wait_Not_HW_Int`), with a 1 ms time-out.
 * "If the timeout passes before the restrictions are met, the callback is called at once ... with
 * the carry flag set" (DDK, Call_Priority_VM_Event): the callback does not look at the carry flag
 * and updates the state while the VM's interrupt handler is still reading it. Needs the card's
 * interrupt reflected into the VM, a `poll` while the VM is inside it, and a millisecond without
 * its `iret`.
 *
 * Fixed: on a time-out (carry set) the callback only asks again.
 */
import { Boost, defineDevice, defineScenario, PEF, type Scenario } from '../../src/index.js';
import { NEIGHBOURS } from './common.js';

const IRQ = 5;

interface GamePortState { insideHandler: boolean; updates: number; updatesInsideHandler: number; timeouts: number }

export function timeoutIgnoredScenario(fixed: boolean): Scenario {
  const gameport = defineDevice<GamePortState>({
    name: 'gameport',
    state: () => ({ insideHandler: false, updates: 0, updatesInsideHandler: 0, timeouts: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'axisReady', virtIntProc: 'virtInt', eoiProc: 'virtEoi', iretProc: 'virtIret', iretTimeoutMs: 10_000, meanIntervalTicks: 800 }],
    slots: ['update'],
    entries: ['poll'],
    procs: {
      axisReady(r) {
        r.takeHardwareRequest(IRQ);
        const irq = r.irqHandle(IRQ);
        r.physEoi(irq);
        r.setIntRequest(r.sysVm(), irq);
      },
      virtInt(r) {
        r.state.insideHandler = true;
      },
      virtEoi(r) {
        r.clearIntRequest(r.regs.ebx, r.irqHandle(IRQ));
      },
      virtIret(r) {
        r.state.insideHandler = false;
      },
      update(r) {
        r.slot('update').write(0);
        if (fixed && r.carry) {
          r.state.timeouts++;
          return;
        }
        r.state.updates++;
        if (r.state.insideHandler) r.state.updatesInsideHandler++;
      },
      poll(r) {
        if (r.slot('update').read() !== 0) return;
        const handle = r.callPriorityVmEvent({
          boost: Boost.Low_Pri_Device_Boost, vm: r.sysVm(), flags: PEF.Always_Sched | PEF.Wait_Not_HW_Int | PEF.Time_Out,
          callback: 'update', refData: 0, timeoutMs: 1,
        });
        r.slot('update').write(handle);
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-timeout-ignored (fixed)' : 'outside-timeout-ignored',
    description: 'a PEF_Time_Out priority event callback ignores the carry flag and acts as if its restriction held',
    vms: 1,
    devices: [gameport, ...NEIGHBOURS],
    // Long client runs and rare irets: virtual time passes while the VM sits in a simulated interrupt.
    mix: { run: 30, trap: 60, interruptFlag: 4, iret: 2, eoi: 2, mask: 0, mode: 0, runTicksMean: 200 },
    invariants: [{
      name: 'updateInsideHandler',
      check: (view) => {
        const s = view.device<GamePortState>('gameport');
        return s.updatesInsideHandler === 0 ? undefined : `${s.updatesInsideHandler} update(s) while the VM's interrupt handler ran`;
      },
    }],
    steps: 80,
  });
}

export default timeoutIgnoredScenario(false);
