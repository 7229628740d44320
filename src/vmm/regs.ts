import { EFLAGS_IF } from '../shared/clientRegs.js';

/**
 * The ring-0 register file of the one virtual CPU: what device code sees while it runs (a
 * `Hw_Int_Proc`, an event callback, a trap handler). Services take their inputs from it and
 * leave their outputs in it, as the DDK's register-level contracts say.
 */
export class Regs {
  constructor() {
    // A misspelt register (`r.regs.rsi = 5`) is a TypeError in the device's code, not a write
    // that goes nowhere while the service reads the real one.
    Object.preventExtensions(this);
  }

  eax = 0;
  ebx = 0;
  ecx = 0;
  edx = 0;
  esi = 0;
  edi = 0;
  ebp = 0;
  esp = 0x0000_f000;
  eflags = EFLAGS_IF | 0x2;
  cs = 0x28;
  ds = 0x30;
  es = 0x30;
  fs = 0x30;
  gs = 0x30;
  ss = 0x30;
}

/** Every register, as device code names them. */
export const REG_NAMES = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eflags', 'cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const;

/** The direction flag: every callback is entered with it clear and must return with it clear. */
export const EFLAGS_DF = 0x400;

/** What an event callback must preserve (SPEC §3: EBP, ESP and the segment registers). */
export const PRESERVED_REGS = ['ebp', 'esp', 'cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const;
/**
 * What a VPICD procedure (Hw_Int_Proc, Virt_Int_Proc, EOI_Proc, IRET_Proc, Mask_Change_Proc)
 * must preserve: VID_Hw_Int_Proc "Uses EAX, EBX, ECX, EDX, ESI, and Flags", so also EDI.
 */
export const VPICD_PRESERVED_REGS = ['edi', ...PRESERVED_REGS] as const;
export type PreservedReg = (typeof VPICD_PRESERVED_REGS)[number];

export type PreservedSnapshot = Record<PreservedReg, number>;

/** The answer when nothing was clobbered (the common case): shared, never written to. */
const NONE_CLOBBERED: PreservedReg[] = [];

/** The registers of `names` a procedure changed, restoring them so the run can go on. */
export function restoreClobbered(regs: Regs, before: PreservedSnapshot, names: readonly PreservedReg[] = PRESERVED_REGS): PreservedReg[] {
  // The common case first, read field by field: every register any contract preserves is intact.
  if (
    regs.ebp === before.ebp && regs.esp === before.esp && regs.edi === before.edi && regs.cs === before.cs &&
    regs.ds === before.ds && regs.es === before.es && regs.fs === before.fs && regs.gs === before.gs && regs.ss === before.ss
  ) return NONE_CLOBBERED;
  let clobbered = NONE_CLOBBERED;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (regs[name] !== before[name]) {
      if (clobbered === NONE_CLOBBERED) clobbered = [];
      clobbered.push(name);
      regs[name] = before[name];
    }
  }
  return clobbered;
}

/** Whether a procedure returned with the direction flag set; clears it so the run can go on. */
export function takeDirectionFlag(regs: Regs): boolean {
  const set = (regs.eflags & EFLAGS_DF) !== 0;
  regs.eflags &= ~EFLAGS_DF;
  return set;
}

/** Copies every register (field by field: fast, and no allocation). */
export function copyRegs(to: Regs, from: Regs): void {
  to.eax = from.eax; to.ebx = from.ebx; to.ecx = from.ecx; to.edx = from.edx;
  to.esi = from.esi; to.edi = from.edi; to.ebp = from.ebp; to.esp = from.esp;
  to.eflags = from.eflags; to.cs = from.cs; to.ds = from.ds; to.es = from.es;
  to.fs = from.fs; to.gs = from.gs; to.ss = from.ss;
}
