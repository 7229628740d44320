// SPEC §1: "Event processing point: whenever ring 0 is about to return to ring 3 ... Pending events
// are processed there, before the IRET", and §3: "Global events run before returning to *any*
// VM". The machine's own control messages (SPEC §5b: boot, a VM created, destroyed or given the
// focus) run in ring 0 with no trap below them: what their handlers schedule runs before any
// VM's code does, and the checker reports a VM whose code runs with a global event pending.
import { describe, expect, it } from 'vitest';
import { setFocus } from '../../src/vmm/control.js';
import { defineDevice } from '../../src/vmm/device.js';
import type { ControlMessage } from '../../src/vmm/constants.js';
import { destroyVm } from '../../src/vmm/services/vmControl.js';
import { machine } from '../support/machine.js';
import { begin, check, dispatch, end, op, rec, ret, scheduled } from './checker/streams.js';

const MESSAGES: ControlMessage[] = ['Device_Init', 'Create_VM', 'Set_Device_Focus', 'Destroy_VM'];

/** A device that schedules a global event (ref = the message's place in MESSAGES) from each message's handler. */
function scheduler(ran: number[]) {
  return defineDevice<Record<string, number>>({
    name: 'kbd',
    state: () => ({}),
    control: Object.fromEntries(MESSAGES.map((message) => [message, message])),
    procs: {
      ...Object.fromEntries(MESSAGES.map((message, i) => [message, (r: { scheduleGlobalEvent(cb: string, ref: number): number }) => void r.scheduleGlobalEvent('cb', i)])),
      cb: (r) => void ran.push(r.regs.edx),
    },
  });
}

describe('control messages the machine sends itself end in an event-processing point', () => {
  it('boot: Device_Init\'s (and each VM\'s Create_VM\'s) global event runs before the system VM\'s first instruction', () => {
    const ran: number[] = [];
    const m = machine({ devices: [scheduler(ran)], config: { vms: 3 } });
    // Device_Init, then Create_VM for VMs 2 and 3: all three ran during boot, no client op yet.
    expect(ran).toEqual([0, 1, 1]);
    expect(m.of('clientOp')).toEqual([]);
    expect(m.vmm.globals.length).toBe(0);
    m.step(3);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it.each([
    ['a VM created during the run (Create_VM)', (m: ReturnType<typeof machine>) => void m.vmm.createVm(), 1],
    ['Set_Device_Focus', (m: ReturnType<typeof machine>) => void setFocus(m.vmm, 2), 2],
    ['a VM destroyed (Destroy_VM)', (m: ReturnType<typeof machine>) => void destroyVm(m.vmm, 2), 3],
  ])('%s: the global event its handler scheduled has run when the message returns', (_name, send, ref) => {
    const ran: number[] = [];
    const m = machine({ devices: [scheduler(ran)], config: { vms: 3 } });
    m.step(2);
    ran.length = 0;
    const mark = m.mark();
    send(m);
    expect(ran).toEqual([ref]);
    expect(m.vmm.globals.length).toBe(0);
    // Ran in a processing pass of its own, before any client op of any VM.
    const kinds = m.since(mark).map((r) => r.k);
    expect(kinds.indexOf('dispatch')).toBeGreaterThan(kinds.indexOf('processBegin'));
    expect(kinds).not.toContain('clientOp');
    m.step(3);
    expect(m.finish().vmmBugs).toBe(0);
  });
});

describe('the checker: no VM runs its code while a global event waits', () => {
  const H = 0x30001;
  it('reports a client op with a global event pending (VMM bug globalEventPendingInVm)', () => {
    const checker = check([scheduled(H), op({ op: 'run', ticks: 1 }), begin(), dispatch(H), ret(H), end(1)]);
    expect(checker.violations.map((v) => [v.kind, v.severity])).toEqual([['globalEventPendingInVm', 'vmm']]);
    expect(checker.violations[0]!.message).toBe('VM 1 ran its code (run) with 1 global event(s) still to run');
  });

  it('a global event that ran, or was cancelled, before the client op is fine', () => {
    expect(check([scheduled(H), begin(), dispatch(H), ret(H), end(1), op({ op: 'run', ticks: 1 })]).violations).toEqual([]);
    expect(check([scheduled(H), rec('cancel', { kind: 'global', handle: H, outcome: 'cancelled', victimKind: 'global', victimHandle: H, device: 'dev', inCallbackOf: 0 }), op({ op: 'run', ticks: 1 })]).violations).toEqual([]);
  });

  it('a pass the livelock bound cut leaves events pending: no VMM bug (the model reported the livelock)', () => {
    const cut = rec('processEnd', { dispatched: 1, cut: true });
    expect(check([scheduled(H), begin(), scheduled(H + 0x20000), dispatch(H), ret(H), cut, op({ op: 'run', ticks: 1 })]).vmmBugs).toBe(0);
    const notCut = rec('processEnd', { dispatched: 1, cut: false });
    expect(check([scheduled(H), begin(), scheduled(H + 0x20000), dispatch(H), ret(H), notCut, op({ op: 'run', ticks: 1 })]).violations.map((v) => v.kind)).toEqual(['globalEventPendingInVm']);
  });
});
