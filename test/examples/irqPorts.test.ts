// Four ports whose logic lives in the interrupt model and the event services (README "Real
// drivers"): VSBD (the Sound Blaster's IRQ reflected to its owner, the physical EOI deferred to the
// VM's EOI), VPOSTD (Call_When_VM_Ints_Enabled or a low-priority Call_Priority_VM_Event into the
// system VM), VAD (the PS/2 mouse port: one virtual interrupt at a time to the focus VM) and
// VFINTD (the floppy IRQ routed to the VM that asked for it). Each
// runs clean with a pinned trace hash, the explorer finds nothing in its scenario, and each flaw of
// the original that README lists is found by the invariant the port exports for it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { validateScenario } from '../../src/scenario/validate.js';
import type { Scenario, ScenarioInvariant } from '../../src/scenario/scenario.js';
import vsbd, { irqEndsWithItsVm } from '../../examples/real/vsbd.js';
import vpostd, { postDeliveredOnce, postHostCalledAtNull } from '../../examples/real/vpostd.js';
import vad, { mouseNotStuck } from '../../examples/real/vad.js';
import vfintd, { floppyIrqEnds } from '../../examples/real/vfintd.js';

interface Port {
  scenario: Scenario;
  /** The file the header must cite. */
  source: RegExp;
  /**
   * Seed 1, 2,000 steps, the default strategy. Trace format 10: VPICD's boost stays while a
   * request waits to be simulated, which these ports' interrupts exercise (their runs changed).
   */
  traceHash: string;
}

const PORTS: Record<string, Port> = {
  vsbd: { scenario: vsbd, source: /DDK\/MULTIMED\/VSBD\/VSBD\.ASM/, traceHash: '51a8b3e9fbd3f069' },
  vpostd: { scenario: vpostd, source: /DDK\/SAMPLES\/VPOSTD\/VPOSTD\.ASM/, traceHash: 'bbfae9426b15837b' },
  vad: { scenario: vad, source: /DDK\/386\/VKD\/VAD\.ASM/, traceHash: 'e98553f4b70b6adc' },
  vfintd: { scenario: vfintd, source: /DDK\/SAMPLES\/VFINTD\/VFINTD\.ASM/, traceHash: 'f729ea4447c77b7a' },
};

function run(scenario: Scenario, seed: number, steps: number) {
  return runSim({ scenario, seed, steps, choices: defaultStrategy(scenario, seed).choices });
}

describe.each(Object.entries(PORTS))('the %s port', (file, port) => {
  const { scenario } = port;

  it('passes scenario validation', () => {
    expect(validateScenario(scenario, `${file}.ts`)).toEqual(scenario);
  });

  it('runs clean under the simulated runtime at seed 1, with its pinned trace hash', () => {
    const result = run(scenario, 1, 2000);
    expect(result.violations).toEqual([]);
    expect(result.invariantsOk).toBe(true);
    expect(result.traceHash).toBe(port.traceHash);
  });

  it.each([2, 3, 4])('runs clean under the simulated runtime, seed %i', (seed) => {
    const result = run(scenario, seed, 2000);
    expect(result.violations).toEqual([]);
    expect(result.invariantsOk).toBe(true);
  });

  it('the portfolio finds no violation in 500 executions', async () => {
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path: `examples/real/${file}.ts` }, strategy: 'portfolio', seed: 1, iterations: 500 });
    const outcome = await explore(scenario, spec);
    expect(outcome.campaign.first).toBeNull();
  });

  it('cites the repository and the file it follows, and names every procedure by its label', () => {
    const text = readFileSync(`examples/real/${file}.ts`, 'utf8');
    expect(text).toMatch(/repository astrobleem\/oemsound-tandy/);
    expect(text).toMatch(port.source);
    for (const proc of Object.keys(scenario.devices[0]!.procs)) expect(text, `header names ${proc}`).toContain('`' + proc);
  });
});

describe('what the ports do', () => {
  it('VSBD reflects IRQ 7 into VMs and leaves every physical EOI to a VM EOI or a release', () => {
    const result = run(vsbd, 1, 2000);
    expect(result.counts.virtualInterrupts).toBeGreaterThan(0);
    expect(result.counts.deferredPhysEois).toBeGreaterThan(0);
  });

  it('VPOSTD calls some posts at once (Call_When_VM_Ints_Enabled in the system VM) and schedules others as priority events', () => {
    const result = run(vpostd, 1, 2000);
    expect(result.counts.priorityEventsDispatched).toBeGreaterThan(0);
    expect(result.counts.calledNow).toBeGreaterThan(result.counts.globalEventsDispatched);
  });

  it('VFINTD reflects the floppy IRQ to its owner or the current VM, the physical EOI at the VM EOI', () => {
    const result = run(vfintd, 1, 2000);
    expect(result.counts.virtualInterrupts).toBeGreaterThan(0);
    expect(result.counts.deferredPhysEois).toBeGreaterThan(0);
  });

  it('VAD hands mouse bytes to VMs by virtual interrupts and ends each at its IRET', () => {
    const result = run(vad, 1, 2000);
    expect(result.counts.virtualInterrupts).toBeGreaterThan(0);
    expect(result.counts.virtualIrets).toBeGreaterThan(0);
  });
});

// The flaws of the originals (README "Real drivers"): each exported invariant, added to its
// scenario, is broken by the portfolio within the first 100 executions at seed 1.
describe.each([
  ['vsbd', vsbd, irqEndsWithItsVm],
  ['vpostd', vpostd, postHostCalledAtNull],
  ['vpostd', vpostd, postDeliveredOnce],
  ['vad', vad, mouseNotStuck],
  ['vfintd', vfintd, floppyIrqEnds],
] as [string, Scenario, ScenarioInvariant][])('the flaw of %s behind %s', (file, base, invariant) => {
  it('is found by exploration', async () => {
    const scenario = { ...base, invariants: [...(base.invariants ?? []), invariant] };
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'module', path: `examples/real/${file}.ts` }, strategy: 'portfolio', seed: 1, iterations: 100 });
    const outcome = await explore(scenario, spec);
    expect(outcome.campaign.first?.violation.kind).toBe(invariant.name);
  });
});
