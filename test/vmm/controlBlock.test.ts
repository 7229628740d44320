// SPEC §2: "A VM handle is a non-zero 32-bit value (in the real VMM, the linear address of the
// VM's control block). The control block carries `CB_VM_Status`, `CB_High_Linear`,
// `CB_Client_Pointer`, `CB_VMID` (and `CB_Signature` = 0x62634D56 on Windows 95)." and
// "VM 1 is the **system VM**."
import { describe, expect, it } from 'vitest';
import { testDevice } from '../support/devices.js';
import { machine } from '../support/machine.js';

function threeVms() {
  const seen: Record<string, number> = {};
  const dev = testDevice('dev', {
    look(r) {
      seen.sys = r.sysVm();
      seen.cur = r.currentVm();
    },
  });
  return { m: machine({ devices: [dev], config: { vms: 3 } }), seen };
}

describe('VM handles and control blocks (SPEC §2)', () => {
  it('every VM handle is a non-zero 32-bit value, one per VM', () => {
    const { m } = threeVms();
    const handles = [1, 2, 3].map((id) => m.handle(id));
    for (const handle of handles) {
      expect(handle).not.toBe(0);
      expect(handle >>> 0).toBe(handle);
    }
    expect(new Set(handles).size).toBe(3);
  });

  it('"CB_Signature = 0x62634D56 on Windows 95" in every control block', () => {
    const { m } = threeVms();
    for (const id of [1, 2, 3]) expect(m.vm(id).cb.CB_Signature).toBe(0x62634d56);
  });

  it('"VM 1 is the system VM": Get_Sys_VM_Handle names it, and its CB_VMID is 1; each VM\'s CB_VMID is its number', () => {
    const { m, seen } = threeVms();
    m.runOps(1, m.trap('dev', 'look'));
    expect(seen.sys).toBe(m.handle(1));
    expect(seen.cur).toBe(m.handle(1));
    expect([1, 2, 3].map((id) => m.vm(id).cb.CB_VMID)).toEqual([1, 2, 3]);
  });

  it('the control block carries CB_VM_Status, CB_High_Linear, CB_Client_Pointer, CB_VMID and CB_Signature', () => {
    const { m } = threeVms();
    expect(Object.keys(m.vm(2).cb).sort()).toEqual(['CB_Client_Pointer', 'CB_High_Linear', 'CB_Signature', 'CB_VMID', 'CB_VM_Status']);
    const pointers = [1, 2, 3].map((id) => m.vm(id).cb.CB_Client_Pointer);
    expect(new Set(pointers).size).toBe(3);
    for (const pointer of pointers) expect(pointer).not.toBe(0);
  });
});
