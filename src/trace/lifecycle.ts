/**
 * Each scheduled event's life as a flow: scheduled, then dispatched, cancelled or discarded, and
 * any later cancel of its (by then stale) handle. Handles are reused, so a flow is keyed by the
 * seq of its `scheduled` record; a handle maps to the live event holding it, and, for stale
 * cancels and violations, to the last event that held it. Also counts the pending events by
 * kind (the VMM's queues) and marks cancels, task switches and violations as instants.
 */
import type { EventKind } from '../vmm/eventTable.js';
import type { HistoryRecord } from '../vmm/history.js';
import { cancelArgs, dispatchArgs, scheduledArgs, violationArgs, where } from './args.js';
import type { CounterSample, Flow, FlowStep, Instant } from './model.js';

export interface Lifecycle {
  flows: Flow[];
  instants: Instant[];
  counters: CounterSample[];
  flowAtDispatch: Map<number, number>;
}

export function eventLifecycles(
  records: readonly HistoryRecord[], timesUs: readonly number[], tracks: readonly string[], pendingAtStart?: Record<EventKind, number>,
): Lifecycle {
  const flows: Flow[] = [];
  const instants: Instant[] = [];
  const counters: CounterSample[] = [];
  const flowAtDispatch = new Map<number, number>();
  const live = new Map<number, Flow>();
  const lastHolder = new Map<number, Flow>();
  const pending: Record<EventKind, number> = { global: 0, vm: 0, priority: 0, ...pendingAtStart };
  // An event scheduled before the records shown leaves no flow here; its end still lowers the count.
  const endUnseen = (kind: EventKind, i: number): undefined => {
    if (pending[kind] > 0) pending[kind]--;
    sample(i);
    return undefined;
  };

  const sample = (i: number): void => {
    const s = { seq: records[i]!.seq, ts: timesUs[i]!, ...pending };
    if (counters.at(-1)?.seq === s.seq) counters[counters.length - 1] = s;
    else counters.push(s);
  };
  const step = (flow: Flow | undefined, i: number, what: FlowStep, args: Flow['points'][number]['args']): void => {
    flow?.points.push({ step: what, track: tracks[i]!, lane: 0, seq: records[i]!.seq, ts: timesUs[i]!, args });
  };
  const end = (handle: number, kind: EventKind, i: number): Flow | undefined => {
    const flow = live.get(handle);
    if (flow === undefined) return pendingAtStart !== undefined ? endUnseen(kind, i) : undefined;
    live.delete(handle);
    pending[kind]--;
    sample(i);
    return flow;
  };
  const instant = (i: number, cat: Instant['cat'], name: string, args: Instant['args']): Instant => {
    const made: Instant = { cat, track: tracks[i]!, lane: 0, seq: records[i]!.seq, ts: timesUs[i]!, name, args };
    instants.push(made);
    return made;
  };

  if (records.length > 0) sample(0);
  records.forEach((r, i) => {
    switch (r.k) {
      case 'scheduled': {
        const flow: Flow = { id: r.seq, handle: r.handle, callback: r.callback, kind: r.kind, points: [], bad: false };
        step(flow, i, 'scheduled', scheduledArgs(r));
        flows.push(flow);
        live.set(r.handle, flow);
        lastHolder.set(r.handle, flow);
        pending[r.kind]++;
        sample(i);
        return;
      }
      case 'dispatch': {
        if (r.inline) return;
        const flow = end(r.handle, r.kind, i);
        step(flow, i, 'dispatched', dispatchArgs(r));
        if (flow !== undefined) flowAtDispatch.set(r.seq, flow.id);
        return;
      }
      case 'cancel': {
        if (r.outcome === 'zero') return;
        const args = cancelArgs(r);
        if (r.outcome === 'cancelled') step(end(r.victimHandle, r.victimKind ?? r.kind, i), i, 'cancelled', args);
        else if (r.outcome === 'stale') step(lastHolder.get(r.handle), i, 'staleCancel', args);
        else if (r.outcome === 'wrongService') step(live.get(r.handle), i, 'wrongService', args);
        instant(i, 'cancel', `cancel ${r.outcome}`, args);
        return;
      }
      case 'discarded':
        step(end(r.handle, r.kind, i), i, 'discarded', { reason: r.reason, ...where(r) });
        return;
      case 'taskSwitch':
        instant(i, 'taskSwitch', `VM ${r.from} → VM ${r.to}`, { from: r.from, to: r.to, ...where(r) });
        return;
      case 'violation': {
        const made = instant(i, 'violation', r.kind, violationArgs(r));
        made.severity = r.severity;
        const flow = r.handle !== 0 ? lastHolder.get(r.handle) : undefined;
        if (flow !== undefined) {
          flow.bad = true;
          made.flow = flow.id;
        }
        return;
      }
      default:
        return;
    }
  });
  return { flows, instants, counters, flowAtDispatch };
}
