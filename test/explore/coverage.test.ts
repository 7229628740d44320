import { describe, expect, it } from 'vitest';
import { CoverageTracker, WINDOWS, type WindowName } from '../../src/explore/coverage.js';
import type { IrqPoint } from '../../src/vmm/choices.js';
import type { HandleMode } from '../../src/vmm/eventTable.js';
import { ackIrq, bump, testDevice, type TestProc } from '../support/devices.js';
import { machine, type Machine } from '../support/machine.js';

const IRQ = 3;

function windowsOf(m: Machine, mode: HandleMode): Record<WindowName, number> {
  const tracker = new CoverageTracker(mode);
  for (const record of m.records) tracker.onRecord(record);
  return Object.fromEntries(WINDOWS.map((name, i) => [name, tracker.counts[i]!])) as Record<WindowName, number>;
}

function only(hits: Partial<Record<WindowName, number>>): Record<WindowName, number> {
  return Object.fromEntries(WINDOWS.map((name) => [name, hits[name] ?? 0])) as Record<WindowName, number>;
}

/** The nth preemption point inside ring-0 code (1-based). */
function nthRing0Point(n: number): (point: IrqPoint) => boolean {
  let seen = 0;
  return (point) => point.inRing0 && ++seen === n;
}

function oneDevice(procs: Record<string, TestProc>, mode: HandleMode = 'checked'): Machine {
  return machine({ devices: [testDevice('d', procs, { irq: IRQ })], config: { vms: 1, handleMode: mode } });
}

describe('race-window coverage', () => {
  it('counts an ordinary cancel of a pending event as cancel before dispatch', () => {
    const m = oneDevice({
      hwInt: (r) => ackIrq(r, IRQ),
      go(r) {
        r.slot('saved').write(r.scheduleGlobalEvent('cb', 0));
        r.cancelGlobalEvent(r.slot('saved').xchg(0));
      },
      cb: (r) => r.slot('saved').write(0),
    });
    m.runOps(1, m.trap('d', 'go'));
    expect(windowsOf(m, 'checked')).toEqual(only({ cancelBeforeDispatch: 1 }));
  });

  it('counts a cancel of an event that already ran as cancel after dispatch', () => {
    const m = oneDevice({
      hwInt: (r) => ackIrq(r, IRQ),
      arm: (r) => r.slot('saved').write(r.scheduleGlobalEvent('cb', 0)),
      cb: () => {},
      disarm: (r) => r.cancelGlobalEvent(r.slot('saved').read()),
    });
    m.runOps(1, m.trap('d', 'arm'), m.trap('d', 'disarm'));
    expect(m.violations('staleCancel')).toHaveLength(1);
    expect(windowsOf(m, 'checked')).toEqual(only({ cancelAfterDispatch: 1 }));
  });

  it('counts a cancel inside the IRQ before the processing point as racing the dispatch (the cancel wins)', () => {
    const m = oneDevice({
      hwInt(r) {
        ackIrq(r, IRQ);
        r.cancelGlobalEvent(r.slot('saved').xchg(0));
      },
      go(r) {
        r.slot('saved').write(r.scheduleGlobalEvent('cb', 0));
        r.currentVm();
      },
      cb: (r) => r.slot('saved').write(0),
    });
    m.choices.irqAt(m.source('d', IRQ), nthRing0Point(2));
    m.runOps(1, m.trap('d', 'go'));
    expect(m.of('cancel').map((c) => c.outcome)).toEqual(['cancelled']);
    expect(windowsOf(m, 'checked')).toEqual(only({ cancelRacingDispatch: 1 }));
  });

  it('counts a handle read, then dispatched by a nested processing point, then cancelled as racing (the dispatch wins)', () => {
    const m = oneDevice({
      hwInt: (r) => ackIrq(r, IRQ),
      go(r) {
        r.slot('saved').write(r.scheduleGlobalEvent('cb', 0));
        const handle = r.slot('saved').read();
        r.execNested();
        r.cancelGlobalEvent(handle);
      },
      cb: (r) => r.slot('saved').write(0),
    });
    m.runOps(1, m.trap('d', 'go'));
    expect(windowsOf(m, 'checked')).toEqual(only({ cancelAfterDispatch: 1, cancelRacingDispatch: 1 }));
  });

  it('counts a cancel from inside a callback', () => {
    const m = oneDevice({
      hwInt: (r) => ackIrq(r, IRQ),
      go(r) {
        r.scheduleGlobalEvent('killer', 0);
        r.slot('saved').write(r.scheduleGlobalEvent('victim', 0));
      },
      killer: (r) => r.cancelGlobalEvent(r.slot('saved').xchg(0)),
      victim: (r) => r.slot('saved').write(0),
    });
    m.runOps(1, m.trap('d', 'go'));
    expect(windowsOf(m, 'checked')).toEqual(only({ cancelInCallback: 1, cancelBeforeDispatch: 1 }));
  });

  it('counts each re-schedule of a callback from inside itself', () => {
    const m = oneDevice({
      hwInt: (r) => ackIrq(r, IRQ),
      go: (r) => void r.scheduleGlobalEvent('again', 0),
      again(r) {
        bump(r, 'runs');
        if ((r.state['runs'] ?? 0) < 3) r.scheduleGlobalEvent('again', 0);
      },
    });
    m.runOps(1, m.trap('d', 'go'));
    expect(windowsOf(m, 'checked')).toEqual(only({ rescheduleInCallback: 2 }));
  });

  it('does not count an IRQ handler nested inside a callback that schedules that callback as a re-schedule from inside it', () => {
    const m = oneDevice({
      hwInt(r) {
        ackIrq(r, IRQ);
        r.callGlobalEvent('cb', 0);
      },
      go: (r) => void r.scheduleGlobalEvent('cb', 0),
      cb(r) {
        bump(r, 'runs');
        r.currentVm();
      },
    });
    m.choices.irqAt(m.source('d', IRQ), nthRing0Point(2));
    m.runOps(1, m.trap('d', 'go'));
    // The handler ran inside cb (its Call_Global_Event scheduled, the VMM being re-entered) ...
    const fromHandler = m.of('scheduled').filter((s) => s.ctx === 'hwint');
    expect(fromHandler.map((s) => s.callback)).toEqual(['d.cb']);
    expect(m.of('dispatch').map((d) => d.callback)).toEqual(['d.cb', 'd.cb']);
    // ... and the callback's own frame is not the innermost one: not a re-schedule from inside it.
    expect(windowsOf(m, 'checked').rescheduleInCallback).toBe(0);
  });

  it('counts a stale cancel whose node now holds another pending event as node reuse (checked handles)', () => {
    const m = oneDevice({
      hwInt: (r) => ackIrq(r, IRQ),
      arm: (r) => r.slot('saved').write(r.scheduleGlobalEvent('cb', 0)),
      cb: () => {},
      other(r) {
        r.scheduleGlobalEvent('cb', 1);
        r.cancelGlobalEvent(r.slot('saved').read());
      },
    });
    m.runOps(1, m.trap('d', 'arm'), m.trap('d', 'other'));
    expect(windowsOf(m, 'checked')).toEqual(only({ cancelAfterDispatch: 1, nodeReuse: 1 }));
  });

  it("counts a pooled stale handle that cancels another device's event as node reuse", () => {
    const armer = testDevice('armer', {
      hwInt(r) {
        ackIrq(r, IRQ);
        r.cancelGlobalEvent(r.slot('saved').xchg(0));
      },
      arm: (r) => r.slot('saved').write(r.scheduleGlobalEvent('fire', 0)),
      fire: () => {},
    }, { irq: IRQ, entries: ['arm'] });
    const requester = testDevice('requester', {
      request(r) {
        r.scheduleGlobalEvent('done', 0);
        r.currentVm();
      },
      done: (r) => bump(r, 'done'),
    }, { entries: ['request'] });
    const m = machine({ devices: [armer, requester], config: { vms: 1, handleMode: 'pooled' } });
    m.runOps(1, m.trap('armer', 'arm'));
    m.choices.irqAt(m.source('armer', IRQ), nthRing0Point(2));
    m.runOps(1, m.trap('requester', 'request'));
    expect(m.state<Record<string, number>>('requester')['done']).toBeUndefined();
    expect(m.checker.violations).toEqual([]);
    expect(windowsOf(m, 'pooled')).toEqual(only({ cancelAfterDispatch: 1, nodeReuse: 1 }));
  });
});
