/**
 * What the VDD ports run in. `shell`, the model's stand-in for whoever suspends and resumes VMs
 * (the Windows shell, on a user's request; not part of any VDD), drives all three (`vdd.ts`,
 * `vddcga.ts`, `vddherc.ts`). The CGA and Hercules drivers share their event design (a restore
 * VM event per focus change, a background priority event for the system VM), so they also share
 * the run (VMs, client mix, focus changes, a VM destroyed and another created) and the invariants
 * that hold for either driver's state.
 */
import type { ScenarioInvariant } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

/** The part of a VDD's state the shared invariants read (both ports' states have it). */
export interface VddDisplayState {
  /** VDD_Focus_VM. */
  focusVm: number;
  /** vgVDD.Vid_VM_Handle: the VM attached to the physical display (0: none). */
  attachedVm: number;
  /** VDD_Rest_Event_Handle. */
  restEventHandle: number;
  /** VDD_Backgrnd_Event priority events scheduled and not yet run. */
  backgroundPending: number;
  /** What INT 2Fh last told the system VM: 4001h (true, background) or 4002h (false). */
  sysVmBackground: boolean;
}

/** Suspends and resumes a VM other than the system VM, chosen by the client's EAX. */
export const shell = defineDevice<{ suspends: number; resumes: number }>({
  name: 'shell',
  state: () => ({ suspends: 0, resumes: 0 }),
  entries: ['suspendOther', 'resumeOther'],
  procs: {
    suspendOther(r) {
      const others = r.vmHandles().filter((vm) => vm !== r.sysVm());
      if (others.length === 0) return;
      r.regs.ebx = others[r.regs.eax % others.length]!;
      r.vmmCall('Suspend_VM');
      r.state.suspends++;
    },
    resumeOther(r) {
      const others = r.vmHandles().filter((vm) => vm !== r.sysVm());
      if (others.length === 0) return;
      r.regs.ebx = others[r.regs.eax % others.length]!;
      r.vmmCall('Resume_VM');
      r.state.resumes++;
    },
  },
});

/** The run both ports get: the focus moves among three VMs, back to the system VM before VM 3 is destroyed, then to a new VM. */
export const vddRun = {
  vms: 3,
  mix: { run: 30, trap: 60, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 200 },
  lifecycle: [
    { atStep: 10, op: 'focus', vm: 2 },
    { atStep: 25, op: 'focus', vm: 3 },
    { atStep: 40, op: 'focus', vm: 1 },
    { atStep: 45, op: 'focus', vm: 2 },
    { atStep: 55, op: 'focus', vm: 1 },
    { atStep: 60, op: 'destroy', vm: 3 },
    { atStep: 65, op: 'create' },
    { atStep: 70, op: 'focus', vm: 4 },
  ],
  steps: 80,
} as const;

/** The invariants of either VDD, read from its device named 'VDD'. */
export const vddInvariants: ScenarioInvariant[] = [
  {
    name: 'attachedVmDestroyed',
    check: (view) => {
      const attached = view.device<VddDisplayState>('VDD').attachedVm;
      if (attached === 0) return undefined;
      const vm = view.vms().find((v) => v.handle === attached);
      return vm?.alive === true ? undefined : `the display is attached to VM ${vm?.id ?? '?'}, which is destroyed`;
    },
  },
  {
    name: 'attachedNotFocus',
    // Only the restore event attaches a VM, and only the focus VM gets one (detach cancels it).
    check: (view) => {
      const s = view.device<VddDisplayState>('VDD');
      if (s.attachedVm === 0 || s.attachedVm === s.focusVm) return undefined;
      const id = (handle: number): string => String(view.vms().find((v) => v.handle === handle)?.id ?? '?');
      return `the display is attached to VM ${id(s.attachedVm)} while VM ${id(s.focusVm)} has the focus`;
    },
  },
  {
    name: 'sysVmToldBackgroundWithDisplay',
    // Windows was last told "you are in the background" (INT 2Fh 4001h) although it has the focus
    // and the display, and no event is left that would tell it otherwise.
    check: (view) => {
      const s = view.device<VddDisplayState>('VDD');
      const sys = view.vm(1)!.handle;
      const settled = s.restEventHandle === 0 && s.backgroundPending === 0;
      return settled && s.sysVmBackground && s.focusVm === sys && s.attachedVm === sys
        ? 'the system VM has the focus and the display, but its last INT 2Fh was 4001h (background)'
        : undefined;
    },
  },
];
