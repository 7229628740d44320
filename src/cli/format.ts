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
