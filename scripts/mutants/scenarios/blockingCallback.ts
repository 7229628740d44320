/**
 * Event callbacks that block on the critical section (SPEC §5: Begin_Critical_Section "blocks
 * another VM that asks for it"; the DDK's Call_Global_Event: "The callback procedure can carry
 * out any actions, and use any VMM services"). For the checker judge of `npm run mutants` and
 * for the tests of blocked callbacks: the VMs hold the critical section across client steps
 * (trap `toggle`: a claim, then its end), while global, VM and priority events whose callbacks claim it
 * briefly run in whichever VM the scheduler picks; the system timer's virtual interrupts boost
 * the system VM above the owner (Time_Critical_Boost), so callbacks often run while another VM
 * owns the section, and block. The built-in machine never calls Begin_Critical_Section from a
 * callback.
 */
import { Boost, defineDevice, defineScenario, PEF } from '../../../src/index.js';
import { timer } from '../../../src/devices/timer.js';

interface LockerState {
  /** 1 for a VM (by VM handle) that holds its claim, so that `toggle` ends only a claim its VM made. */
  claims: Record<string, number>;
  /** 1 for a VM (by VM handle) made time-critical by `post`. */
  urgent: Record<string, number>;
  /** Callbacks that claimed the section. */
  claimed: number;
  /** Runs of the event `noteThenClaim` schedules before it claims (again after each restart). */
  tallied: number;
}

const locker = defineDevice<LockerState>({
  name: 'locker',
  state: () => ({ claims: {}, urgent: {}, claimed: 0, tallied: 0 }),
  entries: ['toggle', 'post'],
  procs: {
    // Claims the section if the VM holds no claim, else ends its claim: VMs hold it across steps.
    toggle(r) {
      const vm = r.currentVm();
      if (r.state.claims[vm] === 1) {
        r.state.claims[vm] = 0;
        r.endCriticalSection();
        return;
      }
      r.beginCriticalSection(); // a blocking service first: a blocked trap is re-executed
      r.state.claims[vm] = 1;
    },
    // EAX modulo 5: which event (or a priority change); EAX / 8 picks the target VM.
    post(r) {
      const vms = r.vmHandles();
      const other = vms[(r.regs.eax >>> 3) % vms.length]!;
      switch ((r.regs.eax >>> 0) % 5) {
        case 0: r.scheduleGlobalEvent('claimBriefly', 0); return;
        case 1: r.scheduleVmEvent(other, 'claimBriefly', 1); return;
        case 2: r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: other, flags: PEF.Always_Sched | PEF.Time_Out, callback: 'claimBriefly', refData: 2, timeoutMs: 1 }); return;
        case 3: r.scheduleGlobalEvent('noteThenClaim', 3); return;
        default: {
          // A VM made time-critical outranks the owner's Critical_Section_Boost, and runs while it owns the section.
          const urgent = r.state.urgent[other] === 1;
          r.state.urgent[other] = urgent ? 0 : 1;
          r.adjustExecPriority(other, urgent ? -Boost.Time_Critical_Boost : Boost.Time_Critical_Boost);
        }
      }
    },
    claimBriefly(r) {
      r.beginCriticalSection();
      r.state.claimed++;
      r.endCriticalSection();
    },
    // A call with an effect before the block: its restart makes it again (a warning, no bug).
    noteThenClaim(r) {
      r.scheduleVmEvent(r.currentVm(), 'tally', 4);
      r.beginCriticalSection();
      r.state.claimed++;
      r.endCriticalSection();
    },
    tally(r) {
      r.state.tallied++;
    },
  },
});

export default defineScenario({
  name: 'blocking-callbacks',
  description: 'global, VM and priority event callbacks that claim the critical section while another VM may own it',
  vms: 3,
  devices: [locker, timer],
  mix: { run: 30, trap: 60, interruptFlag: 10, iret: 0, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 200 },
  steps: 400,
});
