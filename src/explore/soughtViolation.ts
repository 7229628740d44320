/**
 * The violation a run is looked at for: the first one, or with `--vmm-only` (stop on `vmm`) the
 * first VMM bug, which a device bug may come before. An outside audit's `explore --vmm-only`
 * found a VMM bug and then said its shrunk run "ends in" the device bug before it, and the
 * replay named only that device bug.
 */
import type { StopOn } from '../actors/runLoop.js';
import type { Violation } from '../vmm/checker/report.js';

export function firstSought(violations: readonly Violation[], stopOn: StopOn): Violation | undefined {
  return stopOn === 'vmm' ? violations.find((v) => v.severity === 'vmm') : violations[0];
}
