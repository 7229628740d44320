// The hardware is fair (README "Write a scenario", a model choice): within one client step, after
// FAIR_IRQ_POINTS preemption points in ring 0 with interrupts enabled and no IRQ raised, every
// source free to assert asserts, whatever the strategy. A driver that polls a flag its own
// interrupt handler sets, the README's pattern, then gets its interrupt; with a strategy that
// raises none (dfs's first branch, PCT away from its change points) it ran into the service-call
// budget and an outside audit's `explore` ended as "it does not return".
import { describe, expect, it } from 'vitest';
import { FAIR_IRQ_POINTS } from '../../src/vmm/cpu.js';
import { defineDevice } from '../../src/vmm/device.js';
import { machine } from '../support/machine.js';

interface Poll { done: boolean; polled: number; masked: boolean }

function poller(masked = false) {
  return defineDevice<Poll>({
    name: 'poll',
    state: () => ({ done: false, polled: 0, masked }),
    irqs: [{ irq: 5, hwIntProc: 'hwInt', meanIntervalTicks: 1000 }],
    entries: ['wait', 'twice'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(5);
        r.physEoi(r.irqHandle(5));
        r.state.done = true;
        return true;
      },
      wait(r) {
        if (r.state.masked) r.physicallyMask(r.irqHandle(5));
        r.state.done = false;
        while (!r.state.done && r.state.polled < 5 * FAIR_IRQ_POINTS) {
          r.sti();
          r.cli();
          r.currentVm();
          r.state.polled++;
        }
        r.sti();
      },
      twice(r) {
        for (let i = 0; i < FAIR_IRQ_POINTS - 1; i++) r.currentVm();
      },
    },
  });
}

describe('the hardware is fair: a long ring-0 stretch with no IRQ gets one', () => {
  it('a poll loop under a strategy that never raises gets its interrupt at the FAIR_IRQ_POINTS-th point', () => {
    const m = machine({ devices: [poller()], config: { vms: 1 } });
    m.runOps(1, m.trap('poll', 'wait'));
    const state = m.state<Poll>('poll');
    expect(state.done).toBe(true);
    // One preemption point with interrupts enabled per turn (r.sti()): the raise comes at the
    // FAIR_IRQ_POINTS-th turn's, whose IRQ is taken there; that turn then ends.
    expect(state.polled).toBe(FAIR_IRQ_POINTS);
    expect(m.of('irqRaise')).toHaveLength(1);
    expect(m.finish().violations).toEqual([]);
  });

  it('counts within one client step only: two steps of FAIR_IRQ_POINTS - 1 points each raise nothing', () => {
    const m = machine({ devices: [poller()], config: { vms: 1 } });
    m.runOps(1, m.trap('poll', 'twice'), m.trap('poll', 'twice'));
    expect(m.of('irqRaise')).toEqual([]);
  });

  it('an interrupt that can never come is still one: the line masked, the loop polls on (and the budget would end it)', () => {
    const m = machine({ devices: [poller(true)], config: { vms: 1 } });
    m.runOps(1, m.trap('poll', 'wait'));
    const state = m.state<Poll>('poll');
    expect(state.done).toBe(false);
    expect(state.polled).toBe(5 * FAIR_IRQ_POINTS);
    // The source asserted (the fairness raise), and stays asserted: masked, it is never taken.
    expect(m.of('irqRaise')).toHaveLength(1);
    expect(m.of('irqEnter')).toEqual([]);
  });
});
