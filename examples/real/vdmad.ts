/**
 * VDMAD, the virtual DMA device of the Windows 3.1 DDK, and VFD, the floppy device that calls
 * its services: their event logic, ported. The two talk through the device service table
 * (`VxDCall VDMAD_UnMask_Channel` / `VDMAD_Mask_Channel` from VFD).
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), files
 * DDK/386/VDMAD/VDMAD.ASM and DDK/386/VFD/VFD.ASM. Procedures, each with the label it follows:
 *
 * VDMAD
 * - `VDMAD_HW_Check_TC` (`BeginProc VDMAD_HW_Check_TC`): the hardware-interrupt filter, installed
 *   while a channel is watched for terminal count. With interrupts disabled it reads the DMA
 *   status into the shadow (`VDMAD_Read_DMA_Status`), and if a watched channel reached TC and
 *   `DMA_TC_event` is 0 ("event already scheduled?") it does `Schedule_Global_Event
 *   VDMAD_TC_Event` and saves the handle in `DMA_TC_event`.
 * - `VDMAD_TC_Event` (global event callback): `pushfd / cli`, `mov [DMA_TC_event], 0`, takes
 *   the shadow status (`xchg`), `popfd`; then `VDMAD_Check_Ctrl_TC`: for each channel at TC
 *   under its control, completes it now if the current VM owns it, else
 *   `Call_Priority_VM_Event` (Time_Critical_Boost, EBX = owner_VM, ECX = 0,
 *   `VDMAD_Complete_Event`, EDX = the DMA handle).
 * - `VDMAD_Complete_Event` / `VDMAD_DMA_Complete`: `cmp [eax.owner_VM], 0 / je dh_complete`: a
 *   channel with no owner any more is left alone; otherwise the transfer completes.
 * - `VDMAD_Mask_Channel` (a SERVICE): `pushfd / cli`, clears the channel's status-mask bit; if
 *   no channel is watched any more, removes the filter and cancels the TC event with the idiom
 *   `xor esi, esi / xchg [DMA_TC_event], esi / VMMCall Cancel_Global_Event`; `popfd`; then
 *   `mov [eax.owner_VM], 0`.
 * - `VDMAD_UnMask_Channel` (a SERVICE, EBX = the VM): `pushfd / cli`, sets the status-mask bit,
 *   clears the channel's shadow status bit ("so we don't think it's already done"), installs the
 *   filter; `popfd`; `mov [edx.owner_VM], ebx`.
 *
 * VFD
 * - `VFD_DMA2_Handler`: called when the VM programs DMA channel 2 during an INT 13h verify;
 *   `test dl, DMA_masked`: unmasked → `VxDCall VDMAD_UnMask_Channel`, masked → `VxDCall
 *   VDMAD_Mask_Channel`. Here a VM trap reaches it (VDMAD's port trapping calls it in the
 *   original) and the VM's mask bit alternates from one program to the next.
 *
 * Model notes: the original's filter runs on every hardware interrupt (VPICD_Call_When_Hw_Int);
 * here it runs on IRQ 6 (the floppy's line) from `VDMAD_Hw_Int`, a Hw_Int_Proc of the model's
 * own that EOIs the line as VPICD's default handler would. A transfer on a watched channel reaches TC when that interrupt
 * arrives. The DMA handle is the channel number (2). Only channel 2 is used, as VFD does.
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vdmad.ts
 *   npx vmmsim explore examples/real/vdmad.ts --iterations 2000
 */
import { Boost } from '../../src/vmm/constants.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

const IRQ = 6;
const CHANNEL = 2;

export interface VdmadState {
  /** CTL_status_mask of both controllers: bit n = channel n is watched for terminal count. */
  statusMask: number;
  /** VDMAD_Hw_Int_Filter points at VDMAD_HW_Check_TC (else at the next handler: no check). */
  filterInstalled: boolean;
  /** VDMAD_DMA1_status / DMA2: TC bits read from the controller and not yet handled. */
  shadowStatus: number;
  /** owner_VM of each channel's DMA handle (0: none). */
  ownerVm: number[];
  completedNow: number;
  completedByPriorityEvent: number;
  /** Priority completions that found the channel without an owner (the dh_complete guard). */
  staleCompletions: number;
  /** Completions that ran for a channel with no owner: what the guard prevents. */
  completedUnowned: number;
}

export const vdmad = defineDevice<VdmadState>({
  name: 'VDMAD',
  state: () => ({ statusMask: 0, filterInstalled: false, shadowStatus: 0, ownerVm: [0, 0, 0, 0, 0, 0, 0, 0], completedNow: 0, completedByPriorityEvent: 0, staleCompletions: 0, completedUnowned: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'VDMAD_Hw_Int', meanIntervalTicks: 500 }],
  slots: ['DMA_TC_event'],
  exports: { services: ['VDMAD_Mask_Channel', 'VDMAD_UnMask_Channel'] },
  procs: {
    VDMAD_Hw_Int(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      // A transfer on a watched channel ends with this interrupt: the controller's TC bit.
      if (r.state.filterInstalled) checkTc(r, r.state.statusMask);
    },
    VDMAD_TC_Event(r) {
      const s = r.state;
      r.cli(); // pushfd / cli: avoid races with the interrupt routine
      r.slot('DMA_TC_event').write(0);
      const status = s.shadowStatus;
      s.shadowStatus = 0;
      r.sti(); // popfd (callbacks run with interrupts enabled)
      // VDMAD_Check_Ctrl_TC
      const atTc = status & s.statusMask;
      for (let channel = 0; channel < 8; channel++) {
        if ((atTc & (1 << channel)) === 0) continue;
        const owner = s.ownerVm[channel]!;
        if (owner === r.currentVm()) {
          complete(r, channel);
          s.completedNow++;
          continue;
        }
        r.callPriorityVmEvent({ boost: Boost.Time_Critical_Boost, vm: owner, flags: 0, callback: 'VDMAD_Complete_Event', refData: channel });
      }
    },
    VDMAD_Complete_Event(r) {
      const channel = r.regs.edx; // reference data is the DMA handle
      if (r.state.ownerVm[channel] === 0) {
        r.state.staleCompletions++;
        return; // je dh_complete
      }
      complete(r, channel);
      r.state.completedByPriorityEvent++;
    },
    VDMAD_Mask_Channel(r) {
      const s = r.state;
      const channel = r.regs.eax;
      r.cli(); // pushfd / cli
      if (s.statusMask !== 0) {
        s.statusMask &= ~(1 << channel);
        if (s.statusMask === 0) {
          s.filterInstalled = false;
          r.cancelGlobalEvent(r.slot('DMA_TC_event').xchg(0));
        }
      }
      r.sti(); // popfd (its only caller, VFD's trap handler, runs with interrupts enabled)
      s.ownerVm[channel] = 0;
    },
    VDMAD_UnMask_Channel(r) {
      const s = r.state;
      const channel = r.regs.eax;
      const vm = r.regs.ebx;
      r.cli();
      s.statusMask |= 1 << channel;
      s.shadowStatus &= ~(1 << channel);
      s.filterInstalled = true;
      r.sti(); // popfd, as in VDMAD_Mask_Channel
      s.ownerVm[channel] = vm;
    },
  },
});

/** VDMAD_HW_Check_TC, interrupts disabled (it runs inside the Hw_Int_Proc). */
function checkTc(r: import('../../src/vmm/device.js').Ring0<VdmadState>, hardwareStatus: number): void {
  const s = r.state;
  s.shadowStatus |= hardwareStatus; // VDMAD_Read_DMA_Status
  if ((s.shadowStatus & s.statusMask) === 0) return;
  if (r.slot('DMA_TC_event').read() !== 0) return; // event already scheduled?
  r.slot('DMA_TC_event').write(r.scheduleGlobalEvent('VDMAD_TC_Event', 0));
}

/** VDMAD_DMA_Complete past its owner check: the channel is masked again (the hardware does at TC). */
function complete(r: import('../../src/vmm/device.js').Ring0<VdmadState>, channel: number): void {
  if (r.state.ownerVm[channel] === 0) r.state.completedUnowned++;
}

export interface VfdState {
  /** The VM's DMA mask bit for channel 2, as it last programmed it. */
  masked: boolean;
  unmasks: number;
  masks: number;
}

export const vfd = defineDevice<VfdState>({
  name: 'VFD',
  state: () => ({ masked: true, unmasks: 0, masks: 0 }),
  entries: ['VFD_DMA2_Handler'],
  imports: { services: ['VDMAD.VDMAD_UnMask_Channel', 'VDMAD.VDMAD_Mask_Channel'] },
  procs: {
    VFD_DMA2_Handler(r) {
      const s = r.state;
      s.masked = !s.masked; // the VM's new programming of the channel
      r.regs.eax = CHANNEL; // EAX = DMA handle
      r.regs.ebx = r.currentVm();
      if (!s.masked) {
        s.unmasks++;
        r.vxdCall('VDMAD', 'VDMAD_UnMask_Channel');
      } else {
        s.masks++;
        r.vxdCall('VDMAD', 'VDMAD_Mask_Channel');
      }
    },
  },
});

export default defineScenario({
  name: 'real-vdmad',
  description: 'VDMAD and VFD (Windows 3.1 DDK): TC global event from the interrupt filter, cancelled by the Mask_Channel service VFD calls',
  vms: 3,
  devices: [vdmad, vfd],
  mix: { run: 30, trap: 60, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 40 },
  lifecycle: [{ atStep: 60, op: 'destroy', vm: 3 }],
  invariants: [{
    name: 'completedUnownedChannel',
    check: (view) => {
      const s = view.device<VdmadState>('VDMAD');
      return s.completedUnowned === 0 ? undefined : `VDMAD completed ${s.completedUnowned} transfer(s) on a channel with no owner`;
    },
  }, {
    name: 'tcEventWithoutFilter',
    // Mask_Channel removes the filter and cancels the TC event together, interrupts disabled.
    check: (view) => {
      const s = view.device<VdmadState>('VDMAD');
      return s.filterInstalled || s.statusMask === 0 ? undefined : 'a channel is watched but the TC filter is not installed';
    },
  }],
  steps: 100,
});
