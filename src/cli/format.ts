/** The readable report of a run. */
import type { Violation } from '../vmm/checker/checker.js';
import type { Counts } from '../vmm/counters.js';
import type { HistoryRecord } from '../vmm/history.js';
import { describeOp } from '../vmm/clientOps.js';

export function formatCounts(counts: Counts): string[] {
  const rows: [string, number][] = [
    ['client steps', counts.steps], ['service calls', counts.serviceCalls],
    ['called now', counts.calledNow], ['scheduled', counts.scheduled], ['dispatched', counts.dispatched],
    ['  global', counts.globalEventsDispatched], ['  vm', counts.vmEventsDispatched], ['  priority', counts.priorityEventsDispatched],
    ['  priority timeouts', counts.priorityTimeouts], ['cancelled', counts.cancelled], ['cancel no-ops (handle 0)', counts.cancelNoops],
    ['interrupts', counts.interrupts], ['  nested (VMM re-entered)', counts.nestedInterrupts], ['virtual interrupts', counts.virtualInterrupts],
    ['task switches', counts.taskSwitches], ['critical section claims', counts.criticalSectionClaims],
    ['critical section blocks', counts.criticalSectionBlocks], ['events discarded (VM destroyed)', counts.discarded],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, n]) => `  ${name.padEnd(width)}  ${n.toLocaleString('en-US')}`);
}

/** What ended a run early, as its verdict line names it: the report's line above it, and what it was. */
export interface RunStop {
  label: 'STOPPED' | 'CRASHED';
  what: string;
}

/**
 * The run's verdict line. A run that ended early (user code threw, device code did not return,
 * an actor crashed) was checked only up to the stop: the line says so, and names the stop beside
 * the device bugs, so that "all held ... 0" never stands alone above a run that ended in a bug.
 */
export function formatVerdict(invariantsOk: boolean, deviceBugs: number, stop: RunStop | null): string {
  const held = invariantsOk ? (stop === null ? 'all held' : 'all held up to the stop') : 'BROKEN';
  const besides = stop === null ? '' : `, besides ${stop.what} (${stop.label}, above)`;
  return `  VMM invariants: ${held}; device bugs (broken scenario invariants included): ${deviceBugs.toLocaleString('en-US')}${besides}`;
}

export function formatViolation(v: Violation): string {
  const where = v.device ? ` [${v.device}]` : '';
  return `${v.severity === 'vmm' ? 'VMM BUG' : 'device bug'} ${v.kind}${where} at record ${v.seq}, t=${v.ticks}: ${v.message}`;
}

/** One history record as a line of text. */
export function formatRecord(r: HistoryRecord): string {
  if (r.k === 'clientOp') return `#${r.seq} t=${r.ticks} vm${r.vm} ${r.ctx} clientOp ${describeOp(r.op)}`;
  const { seq, ticks, vm, ctx, reenter, k, ...rest } = r;
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'number' && key.toLowerCase().includes('handle') ? `0x${value.toString(16)}` : JSON.stringify(value)}`)
    .join(' ');
  return `#${seq} t=${ticks} vm${vm} ${ctx}${reenter > 0 ? `(re-enter ${reenter})` : ''} ${k} ${fields}`;
}
