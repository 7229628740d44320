// The VDDHERC port (examples/real/vddherc.ts, README "Real drivers"): its VDD_Detach cancels the
// pending restore with EBX = the attached VM when one is attached (the Hercules code overwrites
// EBX before VDD_Cancel_Restore), and the core reports a Cancel_VM_Event whose EBX is not the
// event's VM (cancelWrongVm). Clean runs hold that the DEBUG check "Cancel restore on wrong VM
// handle" never fires for the Hercules VDD either.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { validateScenario } from '../../src/scenario/validate.js';
import vddherc from '../../examples/real/vddherc.js';

describe('the vddherc port', () => {
  it('passes scenario validation', () => {
    expect(validateScenario(vddherc, 'vddherc.ts')).toEqual(vddherc);
  });

  it.each([1, 2, 3, 4])('runs clean under the simulated runtime, seed %i, and its restore events are scheduled and cancelled', (seed) => {
    const result = runSim({ scenario: vddherc, seed, steps: 2000, choices: defaultStrategy(vddherc, seed).choices });
    expect(result.violations).toEqual([]);
    expect(result.invariantsOk).toBe(true);
    expect(result.counts.scheduled + result.counts.calledNow).toBeGreaterThan(0);
  });

  it('the portfolio finds no violation (no cancelWrongVm) in 500 executions', async () => {
    const spec = campaignSpec({ scenario: vddherc, scenarioRef: { kind: 'module', path: 'examples/real/vddherc.ts' }, strategy: 'portfolio', seed: 1, iterations: 500 });
    const outcome = await explore(vddherc, spec);
    expect(outcome.campaign.first).toBeNull();
  });

  it('cites the repository and files it follows, and names every procedure by its label', () => {
    const text = readFileSync('examples/real/vddherc.ts', 'utf8');
    expect(text).toMatch(/repository astrobleem\/oemsound-tandy/);
    expect(text).toMatch(/DDK\/386\/VDDHERC\/HERCPROC\.ASM/);
    expect(text).toMatch(/DDK\/386\/VDDHERC\/HERCSAVE\.ASM/);
    for (const proc of Object.keys(vddherc.devices[0]!.procs)) expect(text, `header names ${proc}`).toContain('`' + proc);
  });
});
