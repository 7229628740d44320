// Conformance to the seed page, the DDK reference of Call_Global_Event
// (/work/shared/seeds/000_f8bb3f4cdf2c8218.txt): one test per sentence that states behaviour,
// named by the sentence. "Interrupted the VMM" is re-enter count > 0 (SPEC §1); the moment
// "before the returning from the current interrupt" is the event-processing point where ring 0
// returns to ring 3 (SPEC §1).
import { describe, expect, it } from 'vitest';
import { Boost } from '../../../src/vmm/constants.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import { ackIrq, regsOf, testDevice, type TestProc, type TestRing0 } from '../../support/devices.js';
import { machine, type Machine } from '../../support/machine.js';

const IRQ = 3;
const REF = 0x00c0ffee;

interface Seen {
  reenter: number;
  esi: number;
}

/**
 * A device whose Hw_Int_Proc calls Call_Global_Event(cb, REF) and notes what it returned; `work`
 * is a trap handler that makes one service call (a preemption point where an IRQ can land).
 */
function setup(extra: Record<string, TestProc> = {}, vms = 2) {
  const seen: Seen[] = [];
  const callbacks: { regs: Record<string, number>; clientIsCurrent: boolean; reenter: number }[] = [];
  let m!: Machine;
  const dev = testDevice('dev', {
    hwInt(r) {
      ackIrq(r, IRQ);
      const reenter = r.reenterCount();
      seen.push({ reenter, esi: r.callGlobalEvent('cb', REF) });
    },
    work(r) {
      r.reenterCount();
    },
    cb(r) {
      // (read directly: a service call here would be one more preemption point)
      callbacks.push({ regs: regsOf(r), clientIsCurrent: r.client === m.vmm.current.client, reenter: m.vmm.reenter });
    },
    ...extra,
  }, { irq: IRQ });
  m = machine({ devices: [dev], config: { vms } });
  return { m, seen, callbacks, irq: m.source('dev', IRQ) };
}

function indexOf(m: Machine, pred: (r: HistoryRecord) => boolean, from = 0): number {
  return m.records.findIndex((r, i) => i >= from && pred(r));
}

describe('Call_Global_Event, as the seed page states it', () => {
  it('"This service schedules the event if the virtual device is processing a hardware interrupt that interrupted the VMM."', () => {
    const { m, seen, callbacks, irq } = setup();
    m.choices.irqAt(irq, 'ring0');
    m.runOps(1, m.trap('dev', 'work'));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.reenter).toBe(1);
    const scheduled = m.of('scheduled');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ service: 'Call_Global_Event', kind: 'global', ctx: 'hwint', reenter: 1, latitude: false });
    expect(m.of('calledNow')).toHaveLength(0);
    // The callback did not run inside the call: it ran later, once, from the queue.
    expect(m.of('dispatch')).toMatchObject([{ inline: false, handle: scheduled[0]!.handle }]);
    expect(callbacks).toHaveLength(1);
    expect(m.finish().vmmBugs).toBe(0);
  });

  describe('"In all other cases, the service calls the callback procedure without scheduling an event."', () => {
    it('from a trap handler (ring 0 entered from a VM, re-enter count 0)', () => {
      const { m, callbacks } = setup({
        direct(r) {
          expect(r.callGlobalEvent('cb', REF)).toBe(0);
          // Called, not scheduled: the callback has already run when the service returns.
          expect(callbacks).toHaveLength(1);
        },
      });
      m.runOps(1, m.trap('dev', 'direct'));
      expect(m.of('calledNow')).toMatchObject([{ service: 'Call_Global_Event', ctx: 'vmm', reenter: 0 }]);
      expect(m.of('scheduled')).toHaveLength(0);
      expect(m.of('dispatch')).toMatchObject([{ inline: true, handle: 0 }]);
      expect(m.finish().violations).toEqual([]);
    });

    it('from a Hw_Int_Proc whose interrupt arrived while a VM ran (re-enter count 0)', () => {
      const { m, seen, callbacks, irq } = setup();
      m.choices.irqAt(irq, 'vm');
      m.step();
      expect(m.of('irqEnter')).toMatchObject([{ irq: IRQ, nested: false, reenter: 0 }]);
      expect(seen).toEqual([{ reenter: 0, esi: 0 }]);
      expect(m.of('calledNow')).toMatchObject([{ ctx: 'hwint', reenter: 0 }]);
      expect(m.of('scheduled')).toHaveLength(0);
      expect(callbacks).toHaveLength(1);
      expect(m.finish().violations).toEqual([]);
    });

    it('from an event callback (run at an event-processing point, re-enter count 0)', () => {
      const inner: number[] = [];
      const { m, irq } = setup({
        cb(r) {
          inner.push(r.callGlobalEvent('cb2', 7));
        },
        cb2() {},
      });
      m.choices.irqAt(irq, 'ring0');
      m.runOps(1, m.trap('dev', 'work'));
      expect(inner).toEqual([0]);
      expect(m.of('calledNow')).toMatchObject([{ callback: 'dev.cb2', reenter: 0, ctx: 'vmm' }]);
      expect(m.of('scheduled')).toHaveLength(1); // only the one from the nested interrupt
      expect(m.finish().vmmBugs).toBe(0);
    });
  });

  it('"This is an asynchronous service." (callable at re-enter count > 0 without a synchronous-service report)', () => {
    const { m, seen, irq } = setup();
    m.choices.irqAt(irq, 'ring0');
    m.runOps(1, m.trap('dev', 'work'));
    expect(seen[0]!.reenter).toBe(1);
    expect(m.violations('syncServiceAtInterrupt')).toEqual([]);
    // The same place does report a synchronous service, so the check is live.
    const sync = setup({
      hwInt(r) {
        ackIrq(r, IRQ);
        r.beginCriticalSection();
      },
    });
    sync.m.choices.irqAt(sync.irq, 'ring0');
    sync.m.runOps(1, sync.m.trap('dev', 'work'));
    expect(sync.m.violations('syncServiceAtInterrupt')).toHaveLength(1);
  });

  it('"The ESI register is zero if the service calls the callback procedure. Otherwise, the ESI register contains the event handle."', () => {
    const { m, seen, irq } = setup();
    m.choices.irqAt(irq, 'vm').irqAt(irq, 'ring0');
    m.step(); // called now: interrupt from the VM
    m.runOps(1, m.trap('dev', 'work')); // scheduled: interrupt inside ring 0
    expect(seen.map((s) => s.reenter)).toEqual([0, 1]);
    expect(seen[0]!.esi).toBe(0);
    const handle = m.of('scheduled')[0]!.handle;
    expect(handle).not.toBe(0);
    expect(seen[1]!.esi).toBe(handle);
    expect(m.of('serviceResult').filter((r) => r.service === 'Call_Global_Event').map((r) => r.esi)).toEqual([0, handle]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"The event handle can be used in subsequent calls to the Cancel_Global_Event service to cancel the event."', () => {
    const { m, seen, callbacks, irq } = setup({
      workThenCancel(r) {
        r.reenterCount(); // the IRQ lands here and schedules the event
        r.cancelGlobalEvent(seen[0]!.esi);
      },
    });
    m.choices.irqAt(irq, 'ring0');
    m.runOps(1, m.trap('dev', 'workThenCancel'));
    expect(seen[0]!.esi).not.toBe(0);
    expect(m.of('cancel')).toMatchObject([{ kind: 'global', handle: seen[0]!.esi, outcome: 'cancelled' }]);
    m.step(5);
    expect(callbacks).toHaveLength(0);
    expect(m.of('dispatch')).toHaveLength(0);
    expect(m.finish().violations).toEqual([]);
  });

  it('"If the service schedules a global event, the system calls the event callback procedure immediately before the returning from the current interrupt."', () => {
    const { m, callbacks, irq } = setup();
    m.choices.irqAt(irq, 'ring0');
    m.runOps(1, m.trap('dev', 'work'), { op: 'run', ticks: 5 });
    const scheduledAt = indexOf(m, (r) => r.k === 'scheduled');
    const exitAt = indexOf(m, (r) => r.k === 'irqExit', scheduledAt);
    const beginAt = indexOf(m, (r) => r.k === 'processBegin', scheduledAt);
    const dispatchAt = indexOf(m, (r) => r.k === 'dispatch', scheduledAt);
    const endAt = indexOf(m, (r) => r.k === 'processEnd', beginAt);
    const nextOpAt = indexOf(m, (r) => r.k === 'clientOp', scheduledAt);
    // Not inside the nested interrupt: after it returned into ring 0 ...
    expect(exitAt).toBeLessThan(dispatchAt);
    // ... at the first event-processing point, before the VM runs another instruction.
    expect(beginAt).toBeLessThan(dispatchAt);
    expect(dispatchAt).toBeLessThan(endAt);
    expect(nextOpAt).toBeGreaterThan(endAt);
    expect(m.records[dispatchAt]).toMatchObject({ ctx: 'vmm', reenter: 0 });
    expect(callbacks[0]!.reenter).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"Any virtual machine can process the event, so the system does not switch tasks before calling the procedure."', () => {
    // The trap makes VM 2 the VM the scheduler wants, and the nested IRQ schedules a global
    // event: at the processing point the event still runs in VM 1, and only then does VM 2 run.
    const { m, callbacks, irq } = setup({
      boostVm2(r) {
        r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost);
        r.reenterCount();
      },
    });
    m.choices.irqAt(irq, 'ring0');
    m.runOps(1, m.trap('dev', 'boostVm2'));
    const scheduledAt = indexOf(m, (r) => r.k === 'scheduled');
    const dispatchAt = indexOf(m, (r) => r.k === 'dispatch');
    const switchAt = indexOf(m, (r) => r.k === 'taskSwitch');
    expect(scheduledAt).toBeGreaterThanOrEqual(0);
    expect(switchAt).toBeGreaterThan(dispatchAt);
    expect(m.records[switchAt]).toMatchObject({ from: 1, to: 2 });
    expect(m.records[dispatchAt]).toMatchObject({ vm: 1, ebx: m.handle(1) });
    expect(callbacks[0]!.regs.ebx).toBe(m.handle(1));
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"The callback procedure can carry out any actions, and use any VMM services." (events it schedules run in the same pass)', () => {
    const { m, irq } = setup({
      cb(r) {
        r.scheduleGlobalEvent('more', 1);
        expect(r.callVmEvent(r.currentVm(), 'vmCb', 2)).toBe(0);
        r.beginCriticalSection();
        r.endCriticalSection();
        r.adjustExecPriority(r.currentVm(), 0);
      },
      more() {},
      vmCb() {},
    });
    m.choices.irqAt(irq, 'ring0');
    m.runOps(1, m.trap('dev', 'work'));
    const passes = m.of('processEnd').filter((r) => r.dispatched > 0);
    expect(passes).toHaveLength(1);
    expect(passes[0]!.dispatched).toBe(2); // cb, then `more`, in one pass
    expect(m.of('dispatch').map((r) => r.callback)).toEqual(['dev.cb', 'dev.vmCb', 'dev.more']);
    expect(m.finish().violations).toEqual([]);
  });

  describe('"The system calls the event callback procedure as follows: mov ebx, VM / mov edx, OFFSET32 RefData / mov ebp, OFFSET32 crs / call [EventCallback]"', () => {
    function expectEntryRegs(m: Machine, entry: { regs: Record<string, number>; clientIsCurrent: boolean }, vmId: number): void {
      expect(entry.regs.ebx).toBe(m.handle(vmId));
      expect(entry.regs.edx).toBe(REF);
      expect(entry.regs.ebp).toBe(m.vm(vmId).cb.CB_Client_Pointer);
      expect(entry.clientIsCurrent).toBe(true);
    }

    it('a scheduled callback gets EBX = current VM, EDX = RefData, EBP = that VM\'s Client_Reg_Struc', () => {
      const { m, callbacks, irq } = setup({
        toVm2(r) {
          r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost);
        },
      });
      m.runOps(1, m.trap('dev', 'toVm2'));
      expect(m.vmm.current.id).toBe(2);
      m.choices.irqAt(irq, 'ring0');
      m.runOps(2, m.trap('dev', 'work'));
      expect(callbacks).toHaveLength(1);
      expectEntryRegs(m, callbacks[0]!, 2);
    });

    it('a callback called at once gets the same registers', () => {
      const { m, callbacks } = setup({ direct: (r) => void r.callGlobalEvent('cb', REF) });
      m.runOps(1, m.trap('dev', 'direct'));
      expectEntryRegs(m, callbacks[0]!, 1);
    });

    it('"the crs parameter points to a Client_Reg_Struc structure containing the contents of the virtual machine\'s registers"', () => {
      const seenEax: number[] = [];
      const { m } = setup({ direct: (r) => void r.callGlobalEvent('cb', REF), cb: (r) => void seenEax.push(r.client.get('EAX')) });
      m.vm(1).client.set('EAX', 0x12345678);
      m.runOps(1, m.trap('dev', 'direct'));
      expect(seenEax).toEqual([0x12345678]);
    });
  });

  describe('"The callback procedure can modify the EAX, EBX, ECX, EDX, ESI, and EDI registers."', () => {
    function trashing(change: (r: TestRing0) => void) {
      return setup({
        direct: (r) => void r.callGlobalEvent('cb', REF),
        cb: change,
      });
    }

    it('changing those six is allowed', () => {
      const { m } = trashing((r) => Object.assign(r.regs, { eax: 1, ebx: 2, ecx: 3, edx: 4, esi: 5, edi: 6 }));
      m.runOps(1, m.trap('dev', 'direct'));
      expect(m.of('return')).toMatchObject([{ clobbered: [] }]);
      expect(m.finish().violations).toEqual([]);
    });

    it.each(['ebp', 'esp', 'cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const)('changing %s (which it must preserve) is a registerClobbered device bug, and it is put back', (reg) => {
      let before = 0;
      const after: number[] = [];
      const { m } = setup({
        direct(r) {
          before = r.regs[reg];
          r.callGlobalEvent('cb', REF);
          after.push(r.regs[reg]);
        },
        cb(r) {
          r.regs[reg] = (r.regs[reg] + 0x10) >>> 0;
        },
      });
      m.runOps(1, m.trap('dev', 'direct'));
      expect(m.violations('registerClobbered')).toMatchObject([{ severity: 'device', device: 'dev' }]);
      expect(m.of('return')[0]!.clobbered).toEqual([reg]);
      expect(after).toEqual([before]);
      expect(m.checker.vmmBugs).toBe(0);
    });
  });

  it('Call_Global_Event that runs the callback at once returns with the caller\'s registers, except ESI = 0 ("Uses: Flags")', () => {
    let before: Record<string, number> = {};
    let after: Record<string, number> = {};
    const { m } = setup({
      direct(r) {
        Object.assign(r.regs, { eax: 0x11, ecx: 0x33, edi: 0x66 });
        r.regs.esi = r.callback('cb');
        r.regs.edx = REF;
        before = regsOf(r);
        r.vmmCall('Call_Global_Event');
        after = regsOf(r);
      },
      cb: (r) => void Object.assign(r.regs, { eax: 0xa, ebx: 0xb, ecx: 0xc, edx: 0xd, esi: 0xe, edi: 0xf }),
    });
    m.runOps(1, m.trap('dev', 'direct'));
    expect(m.of('calledNow')).toHaveLength(1);
    // The flags are the one thing the service may change besides ESI.
    const { esi, eflags: _flags, ...rest } = after;
    const { esi: esiBefore, eflags: _flagsBefore, ...restBefore } = before;
    expect(esi).toBe(0);
    expect(esiBefore).not.toBe(0);
    expect(rest).toEqual(restBefore);
  });
});
