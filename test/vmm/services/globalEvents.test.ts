// SPEC §3 and §7 for global events: one test per rule, each citing the line it checks.
import { describe, expect, it } from 'vitest';
import type { HandleMode } from '../../../src/vmm/eventTable.js';
import { testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';
import { globalEventsSetup } from '../../support/globalEventsSetup.js';

const setup = globalEventsSetup;

describe('SPEC §3 global event services', () => {
  it('"Schedule_Global_Event | ... | runs the callback now when: never | always scheduled"', () => {
    const handles: number[] = [];
    const { m, state } = setup({
      go(r) {
        handles.push(r.scheduleGlobalEvent('a', 1));
        handles.push(r.state.a ?? 0);
      },
    });
    m.runOps(1, m.trap('dev', 'go'));
    expect(handles[0]).not.toBe(0);
    expect(handles[1]).toBe(0); // not run inside the call
    expect(m.of('scheduled')).toMatchObject([{ service: 'Schedule_Global_Event', reenter: 0, latitude: false }]);
    expect(m.of('calledNow')).toEqual([]);
    expect(state.a).toBe(1); // ran at the processing point on the way back to the VM
    expect(m.finish().violations).toEqual([]);
  });

  it('"Cancel_Global_Event | ESI = handle, 0 allowed (no-op)"', () => {
    const { m, state } = setup({
      go(r) {
        r.scheduleGlobalEvent('a', 1);
        r.cancelGlobalEvent(0);
      },
    });
    m.runOps(1, m.trap('dev', 'go'));
    expect(m.of('cancel')).toMatchObject([{ handle: 0, outcome: 'zero' }]);
    expect(state.a).toBe(1);
    expect(m.counter.counts.cancelNoops).toBe(1);
    expect(m.finish().violations).toEqual([]);
  });

  it.each([
    ['Cancel_VM_Event', 'vm', (r: Parameters<Parameters<typeof setup>[0]['go']>[0]) => r.cancelVmEvent(r.currentVm(), 0)],
    ['Cancel_Priority_VM_Event', 'priority', (r: Parameters<Parameters<typeof setup>[0]['go']>[0]) => r.cancelPriorityVmEvent(0)],
  ] as const)('"%s | ... ESI = handle (0 allowed)": a no-op, no device bug, the pending event untouched', (_service, kind, cancelZero) => {
    const { m, state } = setup({
      go(r) {
        r.scheduleGlobalEvent('a', 1);
        cancelZero(r);
      },
    });
    m.runOps(1, m.trap('dev', 'go'));
    expect(m.of('cancel')).toMatchObject([{ kind, handle: 0, outcome: 'zero' }]);
    expect(state.a).toBe(1);
    expect(m.counter.counts.cancelNoops).toBe(1);
    expect(m.finish().violations).toEqual([]);
  });

  describe('"A `pooled` handle mode that reproduces the real consequence (a stale handle silently cancels whatever event now occupies the node)"', () => {
    function staleCancelOfReusedNode(handleMode: HandleMode) {
      const { m, state } = setup({
        first: (r) => void r.slot('saved').write(r.scheduleGlobalEvent('a', 1)),
        second(r) {
          const other = r.scheduleGlobalEvent('b', 2);
          r.state.sameHandle = Number(other === r.slot('saved').read());
          r.cancelGlobalEvent(r.slot('saved').read()); // stale: `a` already ran
        },
      }, { handleMode });
      m.runOps(1, m.trap('dev', 'first'), m.trap('dev', 'second'));
      return { m, state };
    }

    it('pooled: the stale cancel hits the other event, with no report', () => {
      const { m, state } = staleCancelOfReusedNode('pooled');
      expect(state.a).toBe(1);
      expect(state.sameHandle).toBe(1); // the node was reused, so the handle too
      expect(state.b).toBeUndefined(); // lost
      expect(m.of('cancel')).toMatchObject([{ outcome: 'cancelled', victimKind: 'global' }]);
      expect(m.finish().violations).toEqual([]);
    });

    it('checked: the same device is caught (staleCancel) and the other event runs', () => {
      const { m, state } = staleCancelOfReusedNode('checked');
      expect(state.sameHandle).toBe(0);
      expect(state.b).toBe(1);
      expect(m.violations('staleCancel')).toHaveLength(1);
      expect(m.finish().vmmBugs).toBe(0);
    });
  });

  it.each(['checked', 'pooled'] as const)('"A handle is non-zero and identifies one pending event." (%s handles)', (handleMode) => {
    const handles: number[] = [];
    const { m, state } = setup({
      go(r) {
        for (let i = 0; i < 40; i++) handles.push(r.scheduleGlobalEvent('a', i));
        for (let i = 0; i < 40; i += 2) r.cancelGlobalEvent(handles[i]!);
        for (let i = 0; i < 20; i++) handles.push(r.scheduleGlobalEvent('b', i));
      },
    }, { handleMode });
    m.runOps(1, m.trap('dev', 'go'));
    const live = [...handles.filter((_, i) => i >= 40 || i % 2 === 1)];
    expect(live.every((h) => h !== 0)).toBe(true);
    expect(new Set(live).size).toBe(live.length);
    expect(state.a).toBe(20);
    expect(state.b).toBe(20);
    expect(m.finish().violations).toEqual([]);
  });

  describe('"The DDK guarantees no order between pending events (\"there is no guarantee on the order in which events are processed\"). (model choice) FIFO by default; in exploration the order among pending global events ... is a choice point"', () => {
    function threeEvents(orders?: number[]) {
      const ran: string[] = [];
      const dev = testDevice('dev', {
        go(r) {
          r.scheduleGlobalEvent('a', 0);
          r.scheduleGlobalEvent('b', 0);
          r.scheduleGlobalEvent('c', 0);
        },
        a: () => void ran.push('a'),
        b: () => void ran.push('b'),
        c: () => void ran.push('c'),
      });
      const m = machine({ devices: [dev], choices: orders === undefined ? {} : { orders } });
      m.runOps(1, m.trap('dev', 'go'));
      return { m, ran };
    }

    it('FIFO when the strategy answers 0', () => {
      const { m, ran } = threeEvents();
      expect(ran).toEqual(['a', 'b', 'c']);
      expect(m.choices.orderQuestions).toEqual([3, 2]);
    });

    it('the order the strategy picks via nextGlobalEvent', () => {
      const { m, ran } = threeEvents([2, 1]);
      expect(ran).toEqual(['c', 'b', 'a']);
      expect(m.finish().vmmBugs).toBe(0);
    });
  });

  describe('"with the latitude switched on ..., "call now or schedule" becomes one more choice point"', () => {
    function latitudeRun(latitude: boolean, callNow: boolean[]) {
      const results: number[] = [];
      const { m, state } = setup({ go: (r) => void results.push(r.callGlobalEvent('a', 1)) }, { latitude }, { callNow });
      m.runOps(1, m.trap('dev', 'go'));
      return { m, results, state };
    }

    it('callNow() = false: scheduled at re-enter count 0, recorded with latitude: true, and the checker accepts it', () => {
      const { m, results, state } = latitudeRun(true, [false]);
      expect(m.of('scheduled')).toMatchObject([{ service: 'Call_Global_Event', reenter: 0, latitude: true }]);
      expect(results[0]).toBe(m.of('scheduled')[0]!.handle);
      expect(state.a).toBe(1);
      expect(m.finish().violations).toEqual([]);
    });

    it('callNow() = true: called at once', () => {
      const { m, results } = latitudeRun(true, [true]);
      expect(results).toEqual([0]);
      expect(m.of('calledNow')).toHaveLength(1);
      expect(m.choices.callNowQuestions).toBe(1);
    });

    it('latitude off (the default): never asked, always called at once when the rules allow', () => {
      const { m, results } = latitudeRun(false, [false]);
      expect(results).toEqual([0]);
      expect(m.choices.callNowQuestions).toBe(0);
    });
  });
});
