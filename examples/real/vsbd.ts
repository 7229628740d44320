/**
 * VSBD, the Sound Blaster contention device of the Windows 3.1 multimedia DDK: its interrupt and
 * ownership logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), file
 * DDK/MULTIMED/VSBD/VSBD.ASM. VSBD gives the card to one VM at a time and reflects its IRQ to
 * that VM; it schedules no event: the physical EOI waits for the VM's own EOI. Procedures, each
 * with the label it follows:
 *
 * - `VSBD_IRQ_Hw_Int_Proc` (`BeginProc VSBD_IRQ_Hw_Int_Proc`): "all interrupts go to owner":
 *   `VPICD_Set_Int_Request` for `gdwSBOwner`, or for the current VM (EBX) when there is none
 *   (`VSBD_Int_Unowned`); `clc`. No `VPICD_Phys_EOI` here.
 * - `VSBD_IRQ_EOI_Proc` (the EOI_Proc): `VPICD_Clear_Int_Request`, then `VxDjmp VPICD_Phys_EOI`.
 * - `VSBD_IO_Default` (the trap on the card's ports): the owner passes; with no owner the card is
 *   auto-assigned to the VM (`VSBD_Acquire_Sound_Blaster` with `fSB_ASB_Auto_Reset_DSP`,
 *   `fSB_ASB_Acquire_DSP`, `fSB_ASB_Acquire_AdLib_Synth`); another VM's access fails
 *   (`VSBD_IODef_Not_Owner`, `VSBD_Warning`).
 * - `VSBD_API_Acquire_Sound_Blaster` / `VSBD_API_Release_Sound_Blaster` (the PM/V86 API): acquire
 *   the DSP and the synth for the calling VM; release them if it owns them ("Only the current
 *   owning VM can release a SB!").
 * - `VSBD_Acquire_Sound_Blaster` and `VSBD_Release_Sound_Blaster` (the functions `acquire` and
 *   `release`): acquire sets `gdwAdLibOwner` and `gdwSBOwner` (failing if another VM owns either)
 *   and `gdwSBLastOwner`; release does `VPICD_Phys_EOI`, then `VPICD_Clear_Int_Request` for the
 *   releasing VM ("clear any pending interrupts that have been 'set' into the VM by us"), and zeroes
 *   the owner.
 * - `VSBD_VM_Not_Executeable` (control message VM_Not_Executeable): if the dying VM owns the DSP
 *   or the synth, `gdwSBLastOwner` = -1 and `VSBD_Release_Sound_Blaster` for both.
 *
 * Left out: the DSP itself (`VSBD_DSP_Read`, `_Write`, `_Reset`, its time-outs), trapping
 * switches (`VSBD_Enable_Trapping`, `Enable_Local_Trapping`), VADLIBD, `VSBD_Warning`'s dialog,
 * `VSBD_IRQ_Mask_Changed_Proc` and the physical mask: the model has `VPICD_Physically_Mask` and
 * `VPICD_Set_Auto_Masking`, but not the automatic masking the second hands the line back to
 * (docs/conformance.md), so the line stays unmasked, as automatic masking leaves it while any VM
 * has it unmasked. The DEBUG check of `VSBD_Release_Sound_Blaster` ("Releasing Sound Blaster with
 * IRQ in service!!!", `VPICD_Get_Complete_Status`) is counted (`releasedInService`), not asserted.
 *
 * Model notes: the card is at IRQ 7 and raises it at random, owned or not (a real card interrupts
 * after a DSP command; an interrupt that arrives with no owner is one that outlived its owner's
 * release). `VM_Not_Executeable`'s EDX flags are taken as 0 (a normal close: no DSP reset).
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vsbd.ts
 *   npx vmmsim explore examples/real/vsbd.ts --iterations 2000
 */
import { defineScenario, type RunView } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { timer } from '../../src/devices/timer.js';

const IRQ = 7;
/** VSBD.INC's acquire flags. */
const fSB_ASB_Acquire_AdLib_Synth = 0x1;
const fSB_ASB_Acquire_DSP = 0x2;
const fSB_ASB_Auto_Reset_DSP = 0x4;

export interface VsbdState {
  /** gdwSBOwner, gdwAdLibOwner: 0 or the owning VM's handle. */
  owner: number;
  adlibOwner: number;
  /** gdwSBLastOwner: -1 after a VM that owned the card died, 0 after a reset. */
  lastOwner: number;
  /** The VM the physically in-service interrupt was reflected to (0: none in service). */
  inServiceFor: number;
  reflectedToOwner: number;
  reflectedUnowned: number;
  accessRefused: number;
  releasedInService: number;
}

/** VSBD_Acquire_Sound_Blaster: carry (false) when another VM owns what is asked for. */
function acquire(s: VsbdState, flags: number, vm: number): boolean {
  if ((flags & fSB_ASB_Acquire_AdLib_Synth) !== 0) {
    if (s.adlibOwner !== 0 && s.adlibOwner !== vm) return false;
    s.adlibOwner = vm;
  }
  if ((flags & fSB_ASB_Acquire_DSP) === 0) return true;
  if (s.owner === vm) return true;
  if (s.owner !== 0) {
    if ((flags & fSB_ASB_Acquire_AdLib_Synth) !== 0) s.adlibOwner = 0; // VSBD_ASB_Fail: give the synth back
    return false;
  }
  s.owner = vm; // VSBD_ASB_Do_It
  s.lastOwner = vm;
  return true;
}

/** VSBD_Release_Sound_Blaster for VM `vm` (EBX). */
function release(r: Ring0<VsbdState>, flags: number, vm: number): void {
  const s = r.state;
  if ((flags & fSB_ASB_Acquire_AdLib_Synth) !== 0 && s.adlibOwner === vm) s.adlibOwner = 0;
  if ((flags & fSB_ASB_Acquire_DSP) === 0 || s.owner !== vm) return;
  if (s.inServiceFor !== 0) s.releasedInService++; // the DEBUG check's Debug_Out
  const irq = r.irqHandle(IRQ);
  r.physEoi(irq);
  s.inServiceFor = 0;
  r.clearIntRequest(vm, irq);
  s.owner = 0;
}

export const vsbd = defineDevice<VsbdState>({
  name: 'VSBD',
  state: () => ({ owner: 0, adlibOwner: 0, lastOwner: 0, inServiceFor: 0, reflectedToOwner: 0, reflectedUnowned: 0, accessRefused: 0, releasedInService: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'VSBD_IRQ_Hw_Int_Proc', eoiProc: 'VSBD_IRQ_EOI_Proc', meanIntervalTicks: 250 }],
  control: { VM_Not_Executeable: 'VSBD_VM_Not_Executeable' },
  entries: ['VSBD_IO_Default', 'VSBD_API_Acquire_Sound_Blaster', 'VSBD_API_Release_Sound_Blaster'],
  procs: {
    VSBD_IRQ_Hw_Int_Proc(r) {
      r.takeHardwareRequest(IRQ);
      const s = r.state;
      const target = s.owner !== 0 ? s.owner : r.regs.ebx; // VSBD_Int_Unowned: the current VM
      if (s.owner !== 0) s.reflectedToOwner++;
      else s.reflectedUnowned++;
      s.inServiceFor = target;
      r.setIntRequest(target, r.regs.eax);
      return true;
    },
    VSBD_IRQ_EOI_Proc(r) {
      const irq = r.regs.eax;
      r.clearIntRequest(r.regs.ebx, irq);
      r.physEoi(irq);
      r.state.inServiceFor = 0;
    },
    VSBD_IO_Default(r) {
      const s = r.state;
      const vm = r.currentVm();
      if (s.owner === vm) return;
      if (s.owner === 0 && acquire(s, fSB_ASB_Auto_Reset_DSP | fSB_ASB_Acquire_DSP | fSB_ASB_Acquire_AdLib_Synth, vm)) return;
      s.accessRefused++; // VSBD_IODef_Not_Owner: VSBD_Warning, the input fails with -1
    },
    VSBD_API_Acquire_Sound_Blaster(r) {
      const vm = r.currentVm();
      if (!acquire(r.state, fSB_ASB_Acquire_DSP | fSB_ASB_Acquire_AdLib_Synth, vm)) r.state.accessRefused++; // SB_API_ASB_Err_Already_Owned
    },
    VSBD_API_Release_Sound_Blaster(r) {
      const vm = r.currentVm();
      if (r.state.owner !== vm) return; // SB_API_RSB_Err_Not_Yours
      release(r, fSB_ASB_Acquire_DSP | fSB_ASB_Acquire_AdLib_Synth, vm);
    },
    VSBD_VM_Not_Executeable(r) {
      const s = r.state;
      const dying = r.regs.ebx;
      if (s.owner !== dying && s.adlibOwner !== dying) return;
      s.lastOwner = -1; // not owner anymore/not reset
      release(r, fSB_ASB_Acquire_DSP | fSB_ASB_Acquire_AdLib_Synth, dying);
    },
  },
});

function aliveHandle(view: RunView, handle: number): boolean {
  return view.vms().some((vm) => vm.handle === handle && vm.alive);
}

/**
 * The IRQ's physical EOI waits for the EOI of the VM its request went to. A VM that is not the
 * owner (it got the interrupt because the card had none) and dies before its EOI leaves the IRQ
 * in service: VSBD_VM_Not_Executeable releases only an owner. Exported, not in the scenario
 * (README "Real drivers": what exploring it showed).
 */
export const irqEndsWithItsVm = {
  name: 'sbIrqInServiceForDeadVm',
  check: (view: RunView): string | undefined => {
    const s = view.device<VsbdState>('VSBD');
    if (s.inServiceFor === 0 || aliveHandle(view, s.inServiceFor)) return undefined;
    return `IRQ ${IRQ} is still physically in service for VM handle 0x${s.inServiceFor.toString(16)}, destroyed before its EOI`;
  },
};

export default defineScenario({
  name: 'real-vsbd',
  description: 'VSBD (Windows 3.1 multimedia DDK): IRQ 7 reflected to the card owner, physical EOI deferred to the VM EOI, release on VM_Not_Executeable',
  vms: 3,
  devices: [vsbd, timer],
  mix: { run: 30, trap: 45, interruptFlag: 5, iret: 8, eoi: 10, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 400 },
  lifecycle: [
    { atStep: 40, op: 'destroy', vm: 3 },
    { atStep: 50, op: 'create' },
    { atStep: 120, op: 'destroy', vm: 2 },
  ],
  invariants: [
    {
      // VSBD_VM_Not_Executeable: "checks whether the VM being destroyed owns a Sound Blaster. If it does, then dwSBOwner is cleared".
      name: 'sbOwnerAlive',
      check: (view) => {
        const s = view.device<VsbdState>('VSBD');
        for (const [what, handle] of [['gdwSBOwner', s.owner], ['gdwAdLibOwner', s.adlibOwner]] as const) {
          if (handle !== 0 && !aliveHandle(view, handle)) return `${what} is VM handle 0x${handle.toString(16)}, which is destroyed`;
        }
        return undefined;
      },
    },
    {
      // VSBD_Acquire_Sound_Blaster: the DSP and the synth are acquired together by every caller here, so one VM owns both.
      name: 'sbOwnedWhole',
      check: (view) => {
        const s = view.device<VsbdState>('VSBD');
        return s.owner === s.adlibOwner ? undefined : `the DSP (0x${s.owner.toString(16)}) and the synth (0x${s.adlibOwner.toString(16)}) have different owners`;
      },
    },
  ],
  steps: 200,
});
