// The COMBUFF port (examples/real/combuff.ts, README "Real drivers"): a VxD of the Windows 3.1 DDK
// that schedules no event, only hardware and virtual interrupts under cli. It runs clean (the
// VMM's own checks of the virtual PIC included), its virtual interrupts happen, and its one flaw
// (an overflow delivers the newest character before older ones) is found by its exported invariant.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { validateScenario } from '../../src/scenario/validate.js';
import combuff, { deliveredInOrder } from '../../examples/real/combuff.js';

describe('the combuff port', () => {
  it('passes scenario validation', () => {
    expect(validateScenario(combuff, 'combuff.ts')).toEqual(combuff);
  });

  it.each([1, 2, 3, 4])('runs clean under the simulated runtime, seed %i, and its virtual interrupts happen', (seed) => {
    const result = runSim({ scenario: combuff, seed, steps: 2000, choices: defaultStrategy(combuff, seed).choices });
    expect(result.violations).toEqual([]);
    expect(result.invariantsOk).toBe(true);
    expect(result.counts.virtualInterrupts).toBeGreaterThan(0);
  });

  it('the portfolio finds no violation in 500 executions', async () => {
    const spec = campaignSpec({ scenario: combuff, scenarioRef: { kind: 'module', path: 'examples/real/combuff.ts' }, strategy: 'portfolio', seed: 1, iterations: 500 });
    const outcome = await explore(combuff, spec);
    expect(outcome.campaign.first).toBeNull();
  });

  it("finds the original's flaw with its exported invariant: CB_IQ_Full delivers the newest character first", () => {
    const scenario = { ...combuff, invariants: [...(combuff.invariants ?? []), deliveredInOrder] };
    // 5,000 steps: at trace format 10 (VPICD's boost stays while a request waits) the run of
    // seed 1 meets the flaw after 2,000 steps (seeds 5 and 8 within them, 6 of 8 seeds by 5,000).
    const result = runSim({ scenario, seed: 1, steps: 5000, choices: defaultStrategy(scenario, 1).choices });
    expect(result.firstViolation?.kind).toBe('deliveredInOrder');
  });

  it('cites the repository and file it follows, and names every procedure by its label', () => {
    const text = readFileSync('examples/real/combuff.ts', 'utf8');
    expect(text).toMatch(/repository astrobleem\/oemsound-tandy/);
    expect(text).toMatch(/DDK\/386\/COMBUFF\/COMBUFF\.ASM/);
    for (const proc of Object.keys(combuff.devices[0]!.procs)) expect(text, `header names ${proc}`).toContain('`' + proc);
  });
});
