// With --vmm-only a campaign looks for a VMM bug, and a device bug may come before it in the same
// run. An outside audit's `explore --vmm-only` found a VMM bug and then said its shrunk run "ends
// in" the device bug before it (README "3. Read the report": "the shrunk run ends in: <message>,
// which is what the trace replays to"); the replay named only that device bug.
import { describe, expect, it } from 'vitest';
import flaky from '../../examples/scenarios/flaky-driver.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { exploreReport, formatExplore } from '../../src/explore/report.js';
import { firstSought } from '../../src/explore/soughtViolation.js';
import type { Violation } from '../../src/vmm/checker/report.js';

const device: Violation = { kind: 'staleCancel', severity: 'device', seq: 3, ticks: 3, message: 'a device bug first' };
const vmm: Violation = { kind: 'blockedCallbackTwice', severity: 'vmm', seq: 9, ticks: 9, message: 'then a VMM bug' };

describe('the violation a run is looked at for', () => {
  it('is the first VMM bug with --vmm-only, the first violation otherwise', () => {
    expect(firstSought([device, vmm], 'vmm')).toBe(vmm);
    expect(firstSought([device, vmm], 'any')).toBe(device);
    expect(firstSought([device], 'vmm')).toBeUndefined();
    expect(firstSought([], 'any')).toBeUndefined();
  });

  it('the explore report\'s "the shrunk run ends in" names the VMM bug of a --vmm-only campaign, not the device bug before it', async () => {
    const outcome = await explore(flaky, campaignSpec({
      scenario: flaky, scenarioRef: { kind: 'module', path: 'examples/scenarios/flaky-driver.ts' }, strategy: 'pct', seed: 1, iterations: 200, workloads: 1,
    }));
    expect(outcome.shrunk).not.toBeNull();
    // The flaky driver has no VMM bug to find: its shrunk run is given one after its device bug.
    const violations = [...outcome.shrunk!.result.violations, vmm];
    const asVmmOnly = { ...outcome, spec: { ...outcome.spec, stopOn: 'vmm' as const }, shrunk: { ...outcome.shrunk!, result: { ...outcome.shrunk!.result, violations } } };
    expect(formatExplore(exploreReport(flaky.name, asVmmOnly, 1, null))).toContain('  the shrunk run ends in: then a VMM bug');
    expect(exploreReport(flaky.name, outcome, 1, null).shrink!.message).toBe(outcome.shrunk!.result.violations[0]!.message);
  });
});
