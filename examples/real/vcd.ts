/**
 * VCD, the virtual COM device of the Windows 3.1 DDK: its event logic, ported.
 *
 * Source: repository astrobleem/oemsound-tandy (a copy of the Windows 3.1 DDK), file
 * DDK/386/VCD/VCD.ASM. Procedures, each with the label it follows:
 *
 * - `VCD_Int` (`BeginProc VCD_Int`): the COM port's Hw_Int_Proc. `VCD_Owner` 0 ("Owned by any
 *   VM?" no): `VCDI_assign`, the current VM should own the port: `Get_Cur_VM_Handle`, `bts
 *   [esi.VCD_Flags], VCD_SetOwner_Event_Bit`, and if the bit was clear `mov [esi.VCD_Owner],
 *   ebx` and `Schedule_Global_Event VCD_Set_Owner_Event` (EDX = the COM data structure); then
 *   `VCD_Request_Int` for that VM. `VCD_Owner` -1 ("int caused during detach?"): `VCDI_ignore`,
 *   `VCD_Eat_Interrupt` and `VPICD_Phys_EOI`. Otherwise `VCD_Request_Int`: `VPICD_Set_Int_Request`
 *   for the owner, the physical EOI left to `VCD_EOI`.
 * - `VCD_Set_Owner_Event` (global event callback): `xor ebx, ebx / xchg ebx, [esi.VCD_Owner]`,
 *   `call VCD_Set_Owner`, then clears `VCD_SetOwner_Event`.
 * - `VCD_Set_Owner` (ported as the helper `setOwner`, called by the two procedures above it):
 *   `pushfd / cli`; the same owner: done; else `VCD_Detach` (the old owner's `xchg ebx,
 *   [esi.VCD_Owner]` to 0); no new owner: the loopback sequence that makes the port's pending
 *   interrupt identifiable: `VCD_Owner` = -1, `sti` ("this will cause the receive int to occur and
 *   be processed"), `cli`, `VCD_Owner` = 0; a new owner: `VCD_Attach` (the owner set); `popfd`.
 * - `VCD_EOI` (the IRQ's EOI_Proc): `VPICD_Phys_EOI` ("OK to call twice!"), then
 *   `VPICD_Clear_Int_Request`.
 * - `VCD_Destroy_VM` (control message Destroy_VM) and `VCD_Detach_If_Owner`: if the dying VM owns
 *   the port, `VCD_Set_Owner` with EBX = 0. Nothing cancels a pending `VCD_Set_Owner_Event`:
 *   the original relies on the callback's `xchg` of the owner.
 * - `VCD_Virt_In_Out_RxTxB`: the VM reads the receive buffer (the original traps the port; only
 *   the trap, a preemption point, is modelled).
 *
 * Left out: port contention (`VCD_Assign`, the contention dialog), `VCD_Set_Focus` (global ports
 * only), the COMM.DRV ring-0 path (`VCD_COMMDRV_Int`, `VCD_Windows_Int`), the `VMStat_Suspended`
 * and `MCR_INTEN` tests of `VCD_Request_Int` (the port is always enabled and no VM is suspended
 * here), the UART register virtualization, `Adjust_Execution_Time` and the last-use time in
 * `VCD_EOI`, and the shared-IRQ variants (`VCD_Sharable_Int`, `VCD_Sharable_EOI`).
 *
 * Model notes: one port (COM1, IRQ 4); the reference data is the port number (the original passes
 * the COM data structure's address). The `pushfd / cli ... popfd` of `VCD_Set_Owner` is `cli` ...
 * `sti`: it is always entered with interrupts enabled here (an event callback, a control message).
 *
 *   npx vmmsim run --runtime sim --scenario examples/real/vcd.ts
 *   npx vmmsim explore examples/real/vcd.ts --iterations 2000
 */
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';

const IRQ = 4;
const COM1 = 1;
/** `VCD_Owner` while `VCD_Set_Owner` detaches the port ("Set owner to -1"). */
const DETACHING = -1;

export interface VcdState {
  /** VCD_Owner: 0 (no owner), DETACHING, or the owner VM's handle. */
  owner: number;
  /** VCD_SetOwner_Event in VCD_Flags: a VCD_Set_Owner_Event is scheduled. */
  setOwnerEvent: boolean;
  interruptsEaten: number;
  interruptsRequested: number;
}

/** VCD_Set_Owner: detach the port from its owner, then attach it to `vm` (0: no owner). */
function setOwner(r: Ring0<VcdState>, vm: number): void {
  const s = r.state;
  r.cli();
  if (vm !== s.owner) {
    s.owner = 0; // VCD_Detach: xchg ebx, [esi.VCD_Owner]
    if (vm === 0) {
      s.owner = DETACHING;
      r.sti(); // the loopback receive interrupt occurs here and is eaten
      r.cli();
      s.owner = 0;
    } else {
      s.owner = vm; // VCD_Attach
    }
  }
  r.sti(); // popfd
}

export const vcd = defineDevice<VcdState>({
  name: 'VCD',
  state: () => ({ owner: 0, setOwnerEvent: false, interruptsEaten: 0, interruptsRequested: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'VCD_Int', eoiProc: 'VCD_EOI', meanIntervalTicks: 300 }],
  control: { Destroy_VM: 'VCD_Destroy_VM' },
  entries: ['VCD_Virt_In_Out_RxTxB'],
  procs: {
    VCD_Int(r) {
      r.takeHardwareRequest(IRQ);
      const s = r.state;
      const irqHandle = r.regs.eax;
      let vm = s.owner;
      if (vm === DETACHING) {
        s.interruptsEaten++; // VCDI_ignore: VCD_Eat_Interrupt
        r.physEoi(irqHandle);
        return;
      }
      if (vm === 0) {
        vm = r.currentVm(); // VCDI_assign
        if (!s.setOwnerEvent) {
          s.setOwnerEvent = true;
          s.owner = vm;
          r.scheduleGlobalEvent('VCD_Set_Owner_Event', COM1);
        }
      }
      s.interruptsRequested++;
      r.regs.eax = irqHandle;
      r.setIntRequest(vm, irqHandle); // VCD_Request_Int
    },
    VCD_Set_Owner_Event(r) {
      const s = r.state;
      const vm = s.owner; // xor ebx, ebx / xchg ebx, [esi.VCD_Owner]
      s.owner = 0;
      setOwner(r, vm);
      s.setOwnerEvent = false;
    },
    VCD_EOI(r) {
      r.physEoi(r.regs.eax);
      r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    VCD_Destroy_VM(r) {
      if (r.regs.ebx === r.state.owner) setOwner(r, 0); // VCD_Detach_If_Owner
    },
    VCD_Virt_In_Out_RxTxB(r) {
      r.currentVm();
    },
  },
});

export default defineScenario({
  name: 'real-vcd',
  description: 'VCD (Windows 3.1 DDK): the first COM interrupt assigns the port to the current VM through a global event; Destroy_VM detaches it',
  vms: 3,
  devices: [vcd],
  mix: { run: 30, trap: 45, interruptFlag: 5, iret: 5, eoi: 10, mode: 0, runTicksMean: 40 },
  config: { timesliceTicks: 200 },
  lifecycle: [
    { atStep: 20, op: 'destroy', vm: 2 },
    { atStep: 30, op: 'create' },
    { atStep: 50, op: 'destroy', vm: 3 },
  ],
  invariants: [{
    name: 'portOwnerDestroyed',
    check: (view) => {
      const owner = view.device<VcdState>('VCD').owner;
      if (owner === 0 || owner === DETACHING) return undefined;
      const vm = view.vms().find((v) => v.handle === owner);
      return vm?.alive === true ? undefined : `COM1 is owned by VM ${vm?.id ?? '?'}, which is destroyed`;
    },
  }],
  steps: 80,
});
