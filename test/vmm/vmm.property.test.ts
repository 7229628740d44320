// Random machines (built-in devices plus event-using templates on shared lines, 1-4 VMs, either
// handle mode, with or without the latitude) under random choices (IRQ masks per preemption
// point, global event orders, call-now answers) never break a VMM invariant (SPEC §7), and
// every scheduled event is accounted for; the boosts the VMM holds on a VM are those its
// pending priority events, the critical section and VPICD hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIX, WorkloadSet, entryPoints, virtualizedIrqs } from '../../src/actors/workload.js';
import { Boost } from '../../src/vmm/constants.js';
import type { Machine } from '../../src/vmm/machine.js';
import { destroyVm } from '../../src/vmm/services/vmControl.js';
import type { VmState } from '../../src/vmm/vm.js';
import { machine } from '../support/machine.js';
import { devicesArb } from '../support/templates.js';

const STEPS = 400;
/** Non-zero IRQ answers per run: like exploration's irqBudget, it keeps an interrupt storm finite. */
const IRQ_BUDGET = 150;

/** Mostly quiet preemption points, now and then a burst of IRQ sources. */
const irqMask = fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: 1, max: 0x7fffffff }), weight: 1 });

const choicesArb = fc.record({
  irqs: fc.array(irqMask, { minLength: 1, maxLength: 300 }),
  orders: fc.array(fc.nat(7), { maxLength: 40 }),
  callNow: fc.array(fc.boolean(), { maxLength: 40 }),
});

const configArb = fc.record({
  vms: fc.integer({ min: 1, max: 4 }),
  handleMode: fc.constantFrom('checked' as const, 'pooled' as const),
  latitude: fc.boolean(),
  timesliceTicks: fc.integer({ min: 100, max: 5000 }),
});

/** Optionally, the last VM is destroyed at some step (and maybe a new one created). */
const lifecycleArb = fc.option(fc.record({ atStep: fc.nat(STEPS - 1), recreate: fc.boolean() }), { nil: undefined });

/**
 * The boosts the VMM holds on a VM between steps, from what holds them: its pending priority
 * events, the critical section, VPICD's simulation. Adjust_Exec_Priority may not take them away.
 */
function heldByVmm(vmm: Machine, vm: VmState): number {
  let held = vm.priorityEvents.reduce((sum, node) => sum + node.boost, 0);
  if (vmm.critOwner === vm) held += Boost.Critical_Section_Boost;
  if (vm.virtBoosted) held += Boost.Time_Critical_Boost;
  return held;
}

describe('the VMM core under random machines and choices', () => {
  it('never reports a VMM bug, and scheduled = dispatched + cancelled + discarded + still pending', () => {
    fc.assert(
      fc.property(devicesArb, choicesArb, configArb, fc.integer(), lifecycleArb, (devices, choices, config, seed, lifecycle) => {
        const m = machine({ devices, config, choices: { ...choices, cycle: true, irqBudget: IRQ_BUDGET }, ops: new WorkloadSet(seed, entryPoints(devices), DEFAULT_MIX, virtualizedIrqs(devices)) });
        for (let step = 0; step < STEPS; step++) {
          if (lifecycle !== undefined && step === lifecycle.atStep && config.vms >= 2) {
            destroyVm(m.vmm, config.vms);
            if (lifecycle.recreate) m.vmm.createVm();
          }
          m.vmm.step();
          for (const vm of m.vmm.vms) expect(vm.heldBoost, `VM ${vm.id} at step ${step}`).toBe(heldByVmm(m.vmm, vm));
        }
        const checker = m.finish();
        expect(checker.violations.filter((v) => v.severity === 'vmm')).toEqual([]);
        expect(checker.vmmBugs).toBe(0);
        const c = m.counter.counts;
        expect(c.scheduled).toBe(c.dispatched + c.cancelled + c.discarded + m.vmm.table.live);
        // Nothing is left half-done between steps.
        expect(m.vmm.reenter).toBe(0);
        expect(m.vmm.processing).toBe(false);
        expect(m.vmm.ctx).toBe('vm');
      }),
      { numRuns: 100 },
    );
  });

  it('the random machines do exercise the event paths (scheduled, called now, nested, cancelled)', () => {
    const seen = { scheduled: 0, calledNow: 0, nestedInterrupts: 0, cancelled: 0, priorityEventsDispatched: 0, vmEventsDispatched: 0 };
    fc.assert(
      fc.property(devicesArb, choicesArb, configArb, fc.integer(), (devices, choices, config, seed) => {
        const m = machine({ devices, config, choices: { ...choices, cycle: true, irqBudget: IRQ_BUDGET }, ops: new WorkloadSet(seed, entryPoints(devices), DEFAULT_MIX, virtualizedIrqs(devices)) });
        m.step(STEPS);
        for (const key of Object.keys(seen) as (keyof typeof seen)[]) seen[key] += m.counter.counts[key];
      }),
      { numRuns: 40, seed: 1 },
    );
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });
});
