import fc from 'fast-check';
import { it } from 'vitest';
import { WorkloadSet, entryPoints } from '../../src/actors/workload.js';
import { destroyVm } from '../../src/vmm/services/vmControl.js';
import { machine } from '../support/machine.js';
import { devicesArb } from '../support/templates.js';
import { formatRecord } from '../../src/cli/format.js';
const irqMask = fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: 1, max: 0x7fffffff }), weight: 1 });
const choicesArb = fc.record({ irqs: fc.array(irqMask, { minLength: 1, maxLength: 300 }), orders: fc.array(fc.nat(7), { maxLength: 40 }), callNow: fc.array(fc.boolean(), { maxLength: 40 }) });
const configArb = fc.record({ vms: fc.integer({ min: 1, max: 4 }), handleMode: fc.constantFrom('checked' as const, 'pooled' as const), latitude: fc.boolean(), timesliceTicks: fc.integer({ min: 100, max: 5000 }) });
const lifecycleArb = fc.option(fc.record({ atStep: fc.nat(399), recreate: fc.boolean() }), { nil: undefined });
it('dbg', { timeout: 600_000 }, () => {
  fc.assert(fc.property(devicesArb, choicesArb, configArb, fc.integer(), lifecycleArb, (devices, choices, config, seed, lifecycle) => {
    const m = machine({ devices, config, choices: { ...choices, cycle: true, irqBudget: Number(process.env.BUDGET ?? 150) }, ops: new WorkloadSet(seed, entryPoints(devices)) });
    for (let step = 0; step < Number(process.env.STEPS ?? 400); step++) {
      if (lifecycle !== undefined && step === lifecycle.atStep && config.vms >= 2) { destroyVm(m.vmm, config.vms); if (lifecycle.recreate) m.vmm.createVm(); }
      m.vmm.step();
    }
    const checker = m.finish();
    const v = checker.violations.find((x) => x.severity === 'vmm');
    if (v) {
      console.log(JSON.stringify(devices.map(d => [d.name, d.irqs])), JSON.stringify(config), JSON.stringify(lifecycle));
      const h = v.handle ?? 0;
      const rel = m.records.filter(r => ((('handle' in r) && r.handle === h) || r.seq === v.seq) && r.seq <= v.seq);
      console.log(v, rel.slice(-Number(process.env.REL ?? 1000)).map(formatRecord).join('\n'));
      console.log(m.records.filter(r => r.seq >= v.seq - Number(process.env.CTX ?? 30) && r.seq <= v.seq).map(formatRecord).join('\n'));
    }
    return v === undefined;
  }), process.env.SEED ? { seed: Number(process.env.SEED), path: process.env.FCPATH, endOnFailure: true } : { numRuns: Number(process.env.RUNS ?? 100) });
});
