// Interrupt time (SPEC §1): "Interrupt time is any moment inside a Hw_Int_Proc (at any re-enter
// count: also when the interrupt arrived while a VM ran), or while the re-enter count is > 0."
import { describe, expect, it } from 'vitest';
import { Boost, PEF } from '../../../src/vmm/constants.js';
import { ackIrq, bump, testDevice, type TestProc } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

const IRQ = 5;

/** A device whose Hw_Int_Proc runs `body` when the interrupt arrives while VM 1's code runs (re-enter count 0). */
function atReenterZero(body: TestProc, extra: Record<string, TestProc> = {}) {
  const dev = testDevice('dev', { hwInt: (r) => void (ackIrq(r, IRQ), body(r)), ...extra }, { irq: IRQ });
  const m = machine({ devices: [dev] });
  m.choices.irqAt(m.source('dev', IRQ), 'vm');
  m.step();
  return m;
}

describe('interrupt time', () => {
  const synchronous: [string, TestProc][] = [
    ['Begin_Critical_Section', (r) => r.beginCriticalSection()],
    ['End_Critical_Section', (r) => r.endCriticalSection()],
    ['Cancel_Priority_VM_Event', (r) => r.cancelPriorityVmEvent(0)],
    ['Resume_Exec', (r) => r.vmmCall('Resume_Exec')],
    ['Adjust_Exec_Priority', (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost)],
    ['Suspend_VM', (r) => r.vmmCall('Suspend_VM')],
  ];

  it.each(synchronous)('"Calling a synchronous service at interrupt time is a device bug": %s from a Hw_Int_Proc at re-enter count 0 is reported and not performed', (service, call) => {
    const m = atReenterZero(call);
    const found = m.violations('syncServiceAtInterrupt');
    expect(found).toMatchObject([{ severity: 'device', device: 'dev' }]);
    expect(found[0]!.message).toContain(service);
    expect(m.of('irqEnter')).toMatchObject([{ reenter: 0, nested: false }]);
    expect(m.vmm.critOwner).toBe(null);
    expect(m.vm(2).boost).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"All event services are asynchronous except Cancel_Priority_VM_Event": no report for them, or for VPICD\'s', () => {
    const m = atReenterZero((r) => {
      r.cancelGlobalEvent(r.scheduleGlobalEvent('cb', 0));
      r.callGlobalEvent('cb', 1);
      r.cancelVmEvent(r.vmHandles()[1]!, r.scheduleVmEvent(r.vmHandles()[1]!, 'cb', 2));
      r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: r.vmHandles()[1]!, flags: PEF.Always_Sched, callback: 'cb', refData: 3 });
      r.setIntRequest(r.sysVm(), r.irqHandle(IRQ));
      r.clearIntRequest(r.sysVm(), r.irqHandle(IRQ));
    }, { cb: (r) => bump(r, 'cb') });
    expect(m.violations()).toEqual([]);
  });

  it('a callback that Call_Global_Event runs inline inside a Hw_Int_Proc is still at interrupt time', () => {
    const m = atReenterZero((r) => void r.callGlobalEvent('inline', 0), { inline: (r) => r.beginCriticalSection() });
    expect(m.of('calledNow')).toHaveLength(1);
    expect(m.violations('syncServiceAtInterrupt')).toHaveLength(1);
    expect(m.vmm.critOwner).toBe(null);
  });

  it('"no nested execution, and so no event processing, ever happens inside a hardware-interrupt handler": the event waits for the way back to ring 3', () => {
    const m = atReenterZero((r) => {
      r.scheduleGlobalEvent('later', 0);
      r.execNested();
    }, { later: (r) => bump(r, 'later') });
    const enter = m.of('irqEnter')[0]!.seq;
    const exit = m.of('irqExit')[0]!.seq;
    expect(m.since(enter).filter((r) => r.seq < exit && (r.k === 'processBegin' || r.k === 'dispatch' || r.k === 'nestedExec'))).toEqual([]);
    expect(m.of('dispatch')).toMatchObject([{ callback: 'dev.later', inline: false }]);
    expect(m.of('dispatch')[0]!.seq).toBeGreaterThan(exit);
    expect(m.state<Record<string, number>>('dev').later).toBe(1);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('the checker catches a model that processes events inside a Hw_Int_Proc (interrupt time read as "re-enter count > 0" only)', () => {
    const dev = testDevice('dev', {
      hwInt(r) {
        ackIrq(r, IRQ);
        r.scheduleGlobalEvent('later', 0);
        r.execNested();
      },
      later: (r) => bump(r, 'later'),
    }, { irq: IRQ });
    const m = machine({ devices: [dev] });
    // The old reading: a Hw_Int_Proc that interrupted a VM was not interrupt time.
    Object.defineProperty(m.vmm, 'atInterruptTime', { get: () => m.vmm.reenter > 0 });
    m.choices.irqAt(m.source('dev', IRQ), 'vm');
    m.step();
    const kinds = m.finish().violations.filter((v) => v.severity === 'vmm').map((v) => v.kind);
    expect(kinds).toEqual(expect.arrayContaining(['processingInInterrupt', 'dispatchInInterrupt', 'nestedExecInInterrupt']));
  });
});
