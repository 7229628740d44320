/**
 * What the end line of a trace may not say, whatever its fields' types: a first violation past
 * the run's last record, a failed actor in a simulated run (only a threaded run has actors: such
 * a trace is not one the tool wrote, and its text reached the terminal raw), a scenario other
 * than the header's (the end line may only complete it: a threaded run learns the built-in
 * scenario's lifecycle steps at its end).
 */
import type { ScenarioRef } from './trace.js';
import type { TraceEnd, TraceHeader } from './traceFile.js';

/** The end line's first problem as `field: why`, or null. */
export function endLineProblem(end: TraceEnd, header: TraceHeader | null): string | null {
  const violation = end.expect.firstViolation;
  if (violation !== null && violation.seq >= end.expect.records) {
    return `expect.firstViolation.seq = ${violation.seq}: past the run's last record (${end.expect.records - 1})`;
  }
  if (end.actorFailed !== undefined && header?.runtime === 'sim') return 'actorFailed: a simulated run has no actors to fail (the header says runtime sim)';
  if (end.scenario !== undefined && header !== null && !sameScenario(header.scenario, end.scenario)) {
    return `scenario: the end line names ${scenarioName(end.scenario)}, the header ${scenarioName(header.scenario)}`;
  }
  return null;
}

/**
 * The end line names the scenario again because a threaded run of the built-in scenario learns
 * only at its end how many steps its VM lifecycle spans; nothing else about it may change.
 */
function sameScenario(header: ScenarioRef, end: ScenarioRef): boolean {
  if (header.kind === 'builtin' && end.kind === 'builtin') return header.name === end.name && header.vms === end.vms;
  return JSON.stringify(header) === JSON.stringify(end);
}

function scenarioName(ref: ScenarioRef): string {
  const vms = ref.vms !== undefined ? ` (${ref.vms} VMs)` : '';
  switch (ref.kind) {
    case 'builtin': return `the built-in ${JSON.stringify(ref.name)}${vms}`;
    case 'module': return `the module ${JSON.stringify(ref.path)}${vms}`;
    case 'zoo': return `the zoo's ${JSON.stringify(ref.name)}${ref.fixed ? ' (fixed)' : ''}${vms}`;
  }
}
