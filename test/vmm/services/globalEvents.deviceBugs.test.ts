// SPEC §7 "Device bugs" around global events: the VMM catches and reports each misuse (as a
// device bug, never a VMM one), and goes on. Each test cites the SPEC line it checks.
import { describe, expect, it } from 'vitest';
import { ackIrq, bump, type TestProc } from '../../support/devices.js';
import { DEV_IRQ, globalEventsSetup } from '../../support/globalEventsSetup.js';

const IRQ = DEV_IRQ;
const setup = globalEventsSetup;

describe('SPEC §7 device bugs around global events', () => {
  describe('"Cancelling an event whose callback has already run is forbidden." (checked handles: a staleCancel device bug)', () => {
    it('cancel after the callback ran', () => {
      const { m } = setup({
        go: (r) => void r.slot('saved').write(r.scheduleGlobalEvent('a', 1)),
        stop: (r) => r.cancelGlobalEvent(r.slot('saved').read()),
      });
      m.runOps(1, m.trap('dev', 'go'), m.trap('dev', 'stop'));
      expect(m.of('cancel')).toMatchObject([{ outcome: 'stale' }]);
      expect(m.violations('staleCancel')).toMatchObject([{ severity: 'device', device: 'dev' }]);
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('cancel from inside its own callback: the message says the callback is running, not that it already ran', () => {
      const { m } = setup({
        go: (r) => void r.slot('saved').write(r.scheduleGlobalEvent('own', 1)),
        own: (r) => r.cancelGlobalEvent(r.slot('saved').read()),
        stop: (r) => r.cancelGlobalEvent(r.slot('saved').read()),
      });
      m.runOps(1, m.trap('dev', 'go'));
      const [cancel] = m.of('cancel');
      expect(cancel).toMatchObject({ outcome: 'stale' });
      expect(cancel!.inCallbackOf).toBe(cancel!.handle);
      const [violation] = m.violations('staleCancel');
      expect(violation!.message).toMatch(/whose callback is running now \(its handle was spent when it was dispatched\)$/);
      // After the callback returned, the same handle is "already ran".
      m.runOps(1, m.trap('dev', 'stop'));
      expect(m.violations('staleCancel')[1]?.message ?? '').toMatch(/which already ran, was cancelled, or was discarded when its VM was destroyed$/);
    });

    it('cancel after it was already cancelled', () => {
      const { m, state } = setup({
        go(r) {
          const handle = r.scheduleGlobalEvent('a', 1);
          r.cancelGlobalEvent(handle);
          r.cancelGlobalEvent(handle);
        },
      });
      m.runOps(1, m.trap('dev', 'go'));
      expect(m.of('cancel').map((c) => c.outcome)).toEqual(['cancelled', 'stale']);
      expect(m.violations('staleCancel')).toHaveLength(1);
      expect(state.a).toBeUndefined();
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('the documented idiom (callback zeroes the saved handle; canceller xchg\'s it) never cancels a stale handle', () => {
      const { m, irq } = setup({
        hwInt(r) {
          ackIrq(r, IRQ);
          r.cancelGlobalEvent(r.slot('saved').xchg(0));
          const handle = r.callGlobalEvent('deliver', 0);
          if (handle !== 0) r.slot('saved').write(handle);
        },
        deliver(r) {
          r.slot('saved').write(0);
          bump(r, 'delivered');
        },
        work: (r) => void r.reenterCount(),
      });
      for (let i = 0; i < 20; i++) m.choices.irqAt(irq, i % 3 === 0 ? 'vm' : 'ring0');
      for (let i = 0; i < 20; i++) m.runOps(1, m.trap('dev', 'work'));
      expect(m.of('scheduled').length).toBeGreaterThan(0);
      expect(m.of('cancel').filter((c) => c.outcome !== 'zero' && c.outcome !== 'cancelled')).toEqual([]);
      expect(m.finish().violations).toEqual([]);
    });
  });

  it('"A Cancel_XX may only cancel an event made by the matching Schedule_/Call_XX." (wrongCancelService; the event still runs)', () => {
    const { m, state } = setup({
      go(r) {
        const handle = r.scheduleGlobalEvent('a', 1);
        r.cancelVmEvent(r.currentVm(), handle);
        r.cancelPriorityVmEvent(handle);
      },
    });
    m.runOps(1, m.trap('dev', 'go'));
    expect(m.of('cancel')).toMatchObject([
      { kind: 'vm', outcome: 'wrongService', victimKind: 'global' },
      { kind: 'priority', outcome: 'wrongService', victimKind: 'global' },
    ]);
    expect(m.violations('wrongCancelService')).toHaveLength(2);
    expect(state.a).toBe(1);
    expect(m.finish().vmmBugs).toBe(0);
  });

  describe('"Calling a synchronous service at interrupt time is a device bug" (SPEC §1; §7 "a synchronous service at interrupt time")', () => {
    it.each([
      ['Cancel_Priority_VM_Event', (r: Parameters<TestProc>[0]) => r.cancelPriorityVmEvent(0)],
      ['Begin_Critical_Section', (r: Parameters<TestProc>[0]) => r.beginCriticalSection()],
    ])('%s from a Hw_Int_Proc that interrupted the VMM', (service, call) => {
      const { m, irq } = setup({
        hwInt(r) {
          ackIrq(r, IRQ);
          call(r);
        },
        work: (r) => void r.reenterCount(),
      });
      m.choices.irqAt(irq, 'ring0');
      m.runOps(1, m.trap('dev', 'work'));
      const found = m.violations('syncServiceAtInterrupt');
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toContain(service);
      expect(found[0]!.severity).toBe('device');
    });

    it('the same services from a trap handler (re-enter count 0) are fine', () => {
      const { m } = setup({
        go(r) {
          r.cancelPriorityVmEvent(0);
          r.beginCriticalSection();
          r.endCriticalSection();
        },
      });
      m.runOps(1, m.trap('dev', 'go'));
      expect(m.finish().violations).toEqual([]);
    });
  });

  it('"a callback that leaves interrupts disabled" (SPEC §7): interruptsLeftDisabled', () => {
    const { m } = setup({
      go: (r) => void r.scheduleGlobalEvent('bad', 0),
      bad: (r) => r.cli(),
    });
    m.runOps(1, m.trap('dev', 'go'), { op: 'run', ticks: 1 });
    expect(m.violations('interruptsLeftDisabled')).toMatchObject([{ severity: 'device', device: 'dev' }]);
    // The VMM puts the flag back: the next client step still takes interrupts.
    expect(m.vmm.interruptsEnabled).toBe(true);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"an event that reschedules itself forever (livelock bound)" (SPEC §7): reported once, and the run goes on', () => {
    const bound = 25;
    const { m, state } = setup({
      go: (r) => void r.scheduleGlobalEvent('again', 0),
      again(r) {
        bump(r, 'again');
        r.scheduleGlobalEvent('again', 0);
      },
    }, { livelockBound: bound });
    m.runOps(1, m.trap('dev', 'go'), { op: 'sti' }, { op: 'sti' });
    expect(m.violations('livelock')).toHaveLength(1);
    // Each pass begins with one event pending (the chain's next): cut past the bound beyond it.
    expect(m.of('processEnd').map((r) => r.dispatched).filter((n) => n > 0)).toEqual([bound + 2, bound + 2, bound + 2]);
    expect(state.again).toBe(3 * (bound + 2));
    expect(m.finish().vmmBugs).toBe(0);
  });

  // An outside audit: a correct driver that schedules a batch of independent global events in one
  // trap (none schedules anything) was reported as a livelock once the batch passed the bound.
  it('a batch scheduled before the pass is no chain: the bound counts only what the pass dispatches beyond the events pending as it began', () => {
    const bound = 25;
    const batch = 4 * bound;
    const { m, state } = setup({
      go(r) {
        for (let i = 0; i < batch; i++) r.scheduleGlobalEvent('item', i);
      },
      item: (r) => bump(r, 'item'),
    }, { livelockBound: bound });
    m.runOps(1, m.trap('dev', 'go'));
    expect(state.item).toBe(batch);
    expect(m.of('processEnd').map((r) => r.dispatched).filter((n) => n > 0)).toEqual([batch]);
    expect(m.finish().violations).toEqual([]);
    // The same batch with a chain behind it: the chain is still cut, past the bound beyond the batch.
    const chained = setup({
      go(r) {
        for (let i = 0; i < batch; i++) r.scheduleGlobalEvent('item', i);
        r.scheduleGlobalEvent('again', 0);
      },
      item: (r) => bump(r, 'item'),
      again: (r) => void r.scheduleGlobalEvent('again', 0),
    }, { livelockBound: bound }).m;
    chained.runOps(1, chained.trap('dev', 'go'));
    expect(chained.of('processEnd').map((r) => r.dispatched).filter((n) => n > 0)[0]).toBe(batch + 1 + bound + 1);
    expect(chained.violations('livelock')).toMatchObject([{ message: expect.stringMatching(/more than 25 events beyond those pending as it began \(an event that reschedules itself forever\?\)/) }]);
  });

  // An outside audit: the bound discounted every interrupt the pass took, so a chain ran on for
  // millions of dispatches under frequent IRQs, and for ever with an interrupt at every
  // preemption point, against "never hang" (SPEC §7).
  it('the livelock bound discounts only events scheduled at interrupt time: interrupts that schedule nothing excuse nothing', () => {
    const bound = 25;
    const { m, irq } = setup({
      go: (r) => void r.scheduleGlobalEvent('again', 0),
      again: (r) => void r.scheduleGlobalEvent('again', 0),
    }, { livelockBound: bound }, { irqs: [0], cycle: true, irqBudget: 20_000 });
    // An interrupt at every preemption point (the first answer is replaced by the source's mask).
    const storm = setup({ go: (r) => void r.scheduleGlobalEvent('again', 0), again: (r) => void r.scheduleGlobalEvent('again', 0) }, { livelockBound: bound }, { irqs: [irq], cycle: true, irqBudget: 20_000 }).m;
    for (const machine of [m, storm]) {
      machine.runOps(1, machine.trap('dev', 'go'));
      expect(machine.of('processEnd').map((r) => r.dispatched).filter((n) => n > 0)[0]).toBe(bound + 2);
      expect(machine.violations('livelock')).toMatchObject([{ message: expect.stringMatching(/more than 25 events beyond those pending as it began \(an event that reschedules itself forever\?\)/) }]);
    }
    expect(storm.of('irqEnter').length).toBeGreaterThan(bound);
  });

  it('a pass an interrupt feeds at every preemption point, each interrupt scheduling an event, ends at 64 times the bound: never hangs', () => {
    const bound = 25;
    const probe = setup({}, { livelockBound: bound }).irq;
    const { m } = setup({
      hwInt(r) {
        ackIrq(r, DEV_IRQ);
        r.scheduleGlobalEvent('a', 0);
      },
      go: (r) => void r.scheduleGlobalEvent('a', 0),
      // A service call: a preemption point, where the next interrupt comes.
      a: (r) => void r.currentVm(),
    }, { livelockBound: bound }, { irqs: [probe], cycle: true, irqBudget: 100_000 });
    m.runOps(1, m.trap('dev', 'go'));
    expect(m.of('processEnd').map((r) => r.dispatched).filter((n) => n > 0)[0]).toBe(64 * bound + 2);
    expect(m.violations('livelock')).toMatchObject([{ severity: 'device', message: expect.stringMatching(/^one processing pass dispatched 1601 events beyond those pending as it began, \d+ of them scheduled at interrupt time \(an interrupt storm/) }]);
  });

});
