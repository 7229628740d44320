/**
 * Numbers from the DDK (vmm.inc, vpicd.inc), as SPEC §4 and §6 list them. Frozen: the core reads
 * them, so a scenario module that wrote `Boost.Cur_Run_VM_Boost = 0` changed what the simulated
 * VMM does, and every verdict still said "all held".
 */

export const Boost = Object.freeze({
  Reserved_Low_Boost: 0x00000001,
  Cur_Run_VM_Boost: 0x00000004,
  Low_Pri_Device_Boost: 0x00000010,
  High_Pri_Device_Boost: 0x00001000,
  Critical_Section_Boost: 0x00100000,
  Time_Critical_Boost: 0x00400000,
  Reserved_High_Boost: 0x40000000,
} as const);

export const PEF = Object.freeze({
  Wait_For_STI: 0x1,
  Wait_Not_Crit: 0x2,
  Dont_Unboost: 0x4,
  Always_Sched: 0x8,
  Time_Out: 0x10,
  Wait_Not_HW_Int: 0x20,
  Wait_Not_Nested_Exec: 0x40,
  Wait_In_PM: 0x80,
  Process_Last: 0x2000,
} as const);

export const PEF_VALID_MASK = Object.values(PEF).reduce((mask, bit) => mask | bit, 0);

/** System_Control messages (vmm.inc) the VMM sends to every device that handles them (SPEC §5b). */
export const CONTROL_MESSAGE = Object.freeze({
  Sys_Critical_Init: 0x00,
  Device_Init: 0x01,
  Init_Complete: 0x02,
  Sys_VM_Init: 0x03,
  Sys_VM_Terminate: 0x04,
  System_Exit: 0x05,
  Create_VM: 0x07,
  VM_Critical_Init: 0x08,
  VM_Init: 0x09,
  VM_Terminate: 0x0a,
  VM_Not_Executeable: 0x0b,
  Destroy_VM: 0x0c,
  VM_Suspend: 0x0d,
  VM_Resume: 0x0e,
  Set_Device_Focus: 0x0f,
} as const);

export type ControlMessage = keyof typeof CONTROL_MESSAGE;

/** VPICD_Virtualize_IRQ descriptor options (VID_Options). */
export const VPICD_OPT = Object.freeze({
  Read_Hw_IRR: 0x1,
  Can_Share: 0x2,
  Ref_Data: 0x4,
  Virt_Int_Reject: 0x10,
} as const);

export const VPICD_OPT_VALID_MASK = Object.values(VPICD_OPT).reduce((mask, bit) => mask | bit, 0);

/** The IRET time-out of a virtualized IRQ when the descriptor gives none (SPEC §6). */
export const DEFAULT_IRET_TIMEOUT_MS = 500;

/** Virtual time: one tick is one virtual microsecond. */
export const TICKS_PER_MS = 1000;

/** CB_Signature on Windows 95 ('VMcb'). */
export const CB_SIGNATURE = 0x62634d56;
