// The real drivers (README "Real drivers"): ports of DDK VxDs must "run with every invariant
// holding" — the VMM's own rules and each port's invariants — and each port stands alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { validateScenario } from '../../src/scenario/validate.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import int33 from '../../examples/real/int33.js';
import vcd from '../../examples/real/vcd.js';
import vdd from '../../examples/real/vdd.js';
import vddcga from '../../examples/real/vddcga.js';
import vdmad from '../../examples/real/vdmad.js';
import vkd from '../../examples/real/vkd.js';
import vkdhk from '../../examples/real/vkdhk.js';
import vnetbios from '../../examples/real/vnetbios.js';

const PORTS: Record<string, Scenario> = { vkd, vdmad, int33, vcd, vdd, vddcga, vkdhk, vnetbios };
const SEEDS = [1, 2, 3, 4];

describe.each(Object.entries(PORTS))('the %s port', (file, scenario) => {
  it('passes scenario validation (its imports resolve, its control procedures exist)', () => {
    expect(validateScenario(scenario, `${file}.ts`)).toEqual(scenario);
  });

  it.each(SEEDS)('runs clean under the simulated runtime, seed %i: no violation, and its events happen', (seed) => {
    const result = runSim({ scenario, seed, steps: 2000, choices: defaultStrategy(scenario, seed).choices });
    expect(result.violations).toEqual([]);
    expect(result.invariantsOk).toBe(true);
    expect(result.counts.scheduled + result.counts.calledNow).toBeGreaterThan(0);
  });

  it('cites the repository and file it follows, and maps procedures to their labels', () => {
    const text = readFileSync(join('examples/real', `${file}.ts`), 'utf8');
    expect(text).toMatch(/repository astrobleem\/oemsound-tandy/);
    expect(text).toMatch(/DDK\/386\/\w+\/\w+\.ASM/);
    for (const proc of Object.keys(scenario.devices[0]!.procs)) {
      expect(text, `header names ${proc}`).toContain('`' + proc);
    }
  });
});

describe('the ports stand alone', () => {
  it('nothing in src, examples or the CLI imports a port (each is a scenario file, not library code)', () => {
    const importers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.startsWith(join('examples', 'real'))) {
          if (/examples\/real|\.\.\/real\//.test(readFileSync(path, 'utf8'))) importers.push(path);
        }
      }
    };
    walk('src');
    walk('examples');
    expect(importers).toEqual([]);
  });
});
