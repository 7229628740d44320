// SPEC §1: "All event services are asynchronous except `Cancel_Priority_VM_Event`;
// `VPICD_Virtualize_IRQ`, `Begin_Critical_Section`, `End_Critical_Section`, `Resume_Exec` /
// nested execution and the VM control services (suspend, resume, priority changes) are not.
// Calling a synchronous service at interrupt time is a device bug". Every service of that
// sentence, one by one: a table with one entry flipped would let that one through.
import { describe, expect, it } from 'vitest';
import { SERVICES, type ServiceName } from '../../../src/vmm/services.js';
import { ackIrq, testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

const IRQ = 5;

/** The synchronous services, as SPEC §1 names them. */
const SYNCHRONOUS: ServiceName[] = [
  'Cancel_Priority_VM_Event', 'VPICD_Virtualize_IRQ', 'Begin_Critical_Section', 'End_Critical_Section',
  'Begin_Nest_Exec', 'Resume_Exec', 'End_Nest_Exec', 'Suspend_VM', 'Resume_VM', 'Adjust_Exec_Priority',
];

/** A Hw_Int_Proc (interrupt time, re-enter count 0) that issues `service` with harmless registers. */
function fromHwIntProc(service: ServiceName) {
  const dev = testDevice('dev', {
    hwInt(r) {
      ackIrq(r, IRQ);
      r.regs.eax = 0;
      r.regs.ebx = r.vmHandles()[1]!;
      r.regs.esi = 0;
      r.vmmCall(service);
    },
  }, { irq: IRQ });
  const m = machine({ devices: [dev] });
  m.choices.irqAt(m.source('dev', IRQ), 'vm');
  m.step();
  return m;
}

describe('which services are synchronous (SPEC §1)', () => {
  it('the service table marks exactly the services SPEC §1 names as synchronous', () => {
    const synchronous = (Object.keys(SERVICES) as ServiceName[]).filter((name) => !SERVICES[name].async);
    expect(synchronous.sort()).toEqual([...SYNCHRONOUS].sort());
  });

  it.each(SYNCHRONOUS)('"Calling a synchronous service at interrupt time is a device bug": %s from a Hw_Int_Proc is reported, carry set', (service) => {
    const m = fromHwIntProc(service);
    const found = m.violations('syncServiceAtInterrupt');
    expect(found).toMatchObject([{ severity: 'device', device: 'dev' }]);
    expect(found[0]!.message).toContain(service);
    expect(m.vm(2).suspended).toBe(false);
    expect(m.vm(2).boost).toBe(0);
    expect(m.vmm.critOwner).toBe(null);
    expect(m.finish().vmmBugs).toBe(0);
  });

  const asynchronous = (Object.keys(SERVICES) as ServiceName[]).filter((name) => !SYNCHRONOUS.includes(name));

  it.each(asynchronous)('"Only asynchronous services may be called at interrupt time": %s from a Hw_Int_Proc is no synchronous-service report', (service) => {
    const m = fromHwIntProc(service);
    expect(m.violations('syncServiceAtInterrupt')).toEqual([]);
  });
});
