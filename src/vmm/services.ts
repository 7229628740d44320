/**
 * The VMM and VPICD services a simulated device can call, with the one property that matters at
 * interrupt time (SPEC §1): asynchronous services may be called while the re-enter count is
 * above zero; calling a synchronous one then is a device bug.
 */
export const SERVICES = {
  Call_Global_Event: { async: true },
  Schedule_Global_Event: { async: true },
  Cancel_Global_Event: { async: true },
  Call_VM_Event: { async: true },
  Schedule_VM_Event: { async: true },
  Cancel_VM_Event: { async: true },
  Call_Priority_VM_Event: { async: true },
  Cancel_Priority_VM_Event: { async: false },
  Begin_Critical_Section: { async: false },
  End_Critical_Section: { async: false },
  Get_VMM_Reenter_Count: { async: true },
  Get_Cur_VM_Handle: { async: true },
  Get_Sys_VM_Handle: { async: true },
  Adjust_Exec_Priority: { async: false },
  Suspend_VM: { async: false },
  Resume_VM: { async: false },
  Begin_Nest_Exec: { async: false },
  Resume_Exec: { async: false },
  End_Nest_Exec: { async: false },
  VPICD_Virtualize_IRQ: { async: false },
  VPICD_Phys_EOI: { async: true },
  VPICD_Set_Int_Request: { async: true },
  VPICD_Clear_Int_Request: { async: true },
  VPICD_Physically_Mask: { async: true },
  VPICD_Physically_Unmask: { async: true },
  VPICD_Set_Auto_Masking: { async: true },
} as const satisfies Record<string, { async: boolean }>;

export type ServiceName = keyof typeof SERVICES;
