/**
 * What the one CPU did, as spans. Per VM track: when the VM was current, split into client code
 * (ring 3) and ring 0, with the ring-0 frames (hardware-interrupt handlers, event callbacks)
 * stacked inside; per IRQ line: its handler runs; on the VMM track: the event-processing passes.
 * Spans on a track may come out badly nested in odd runs (a task switch inside a frame):
 * nesting.ts clips them afterwards.
 */
import { describeOp, type ClientOp } from '../vmm/clientOps.js';
import type { HistoryRecord } from '../vmm/history.js';
import { dispatchArgs, hex, where } from './args.js';
import type { Span, SpanCat } from './model.js';

export interface CpuInput {
  records: readonly HistoryRecord[];
  timesUs: readonly number[];
  /** The flow id of each non-inline `dispatch` record, by seq. */
  flowAtDispatch: ReadonlyMap<number, number>;
  /** `modem.hangup` for a trap into device 2, entry 0 (from the scenario), when known. */
  entryName?: (device: number, entry: number) => string | undefined;
}

/** The track a record happened on: the innermost IRQ handler's line, else the current VM. */
export function locate(records: readonly HistoryRecord[]): string[] {
  const irqs: number[] = [];
  return records.map((r) => {
    if (r.k === 'irqEnter') irqs.push(r.irq);
    const track = r.ctx === 'hwint' && irqs.length > 0 ? `irq:${irqs[irqs.length - 1]}` : `vm:${r.vm}`;
    if (r.k === 'irqExit') popLast(irqs, (irq) => irq === r.irq);
    return track;
  });
}

interface Open {
  span: Span;
  key: string;
}

export function cpuSpans(input: CpuInput): Span[] {
  const { records, timesUs } = input;
  const spans: Span[] = [];
  const frames: Open[] = [];
  const passes: Open[] = [];
  let segment: { vm: number; ring0: boolean; span: Span } | null = null;
  const endAt = (i: number): { e: number; t1: number } => ({
    e: records[i + 1]?.seq ?? records[i]!.seq + 1,
    t1: timesUs[i + 1] ?? timesUs[i]! + 1,
  });
  const open = (i: number, track: string, cat: SpanCat, name: string, args: Span['args']): Span => {
    const span: Span = { track, lane: 0, cat, name, s: records[i]!.seq, e: records[i]!.seq + 1, t0: timesUs[i]!, t1: timesUs[i]!, args };
    spans.push(span);
    return span;
  };
  const close = (span: Span, i: number): void => {
    Object.assign(span, endAt(i));
  };

  let lastTrap = '';
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    // Client ops inside a ring-0 frame (nested execution) still count as ring 0 for the stack.
    const ring0 = r.ctx !== 'vm' || frames.length > 0;
    if (segment === null || segment.vm !== r.vm || segment.ring0 !== ring0) {
      if (segment !== null) close(segment.span, i - 1);
      const previous = records[i - 1];
      const reason = previous?.k === 'clientOp' && previous.op.op === 'trap' ? `trap ${lastTrap}` : ring0Reason(r);
      const name: string = ring0 ? `ring 0: ${reason}` : 'client';
      segment = { vm: r.vm, ring0, span: open(i, `vm:${r.vm}`, ring0 ? 'ring0' : 'client', name, { ...where(r) }) };
    }
    if (r.k === 'clientOp') lastTrap = noteOp(segment.span, r.op, input.entryName);
    switch (r.k) {
      case 'irqEnter': {
        const cat = r.nested ? 'irqNested' : 'irq';
        const name = r.nested ? `IRQ ${r.irq} nested (re-enter ${r.reenter})` : `IRQ ${r.irq}`;
        const args = { irq: r.irq, nested: r.nested, ...where(r) };
        frames.push({ key: `irq${r.irq}`, span: open(i, `vm:${r.vm}`, cat, name, args) });
        frames.push({ key: `irqLine${r.irq}`, span: open(i, `irq:${r.irq}`, cat, name, { ...args }) });
        break;
      }
      case 'irqExit':
        for (const key of [`irqLine${r.irq}`, `irq${r.irq}`]) {
          const frame = popLast(frames, (f) => f.key === key);
          if (frame !== undefined) {
            close(frame.span, i);
            frame.span.args['claimed by'] = r.claimedBy ?? 'nobody';
          }
        }
        break;
      case 'dispatch': {
        const span = open(i, `vm:${r.vm}`, 'callback', r.callback, dispatchArgs(r));
        const flow = input.flowAtDispatch.get(r.seq);
        if (flow !== undefined) span.flow = flow;
        frames.push({ key: `cb${r.handle}`, span });
        break;
      }
      case 'return': {
        const frame = popLast(frames, (f) => f.key === `cb${r.handle}`);
        if (frame !== undefined) {
          close(frame.span, i);
          if (r.clobbered.length > 0) frame.span.args.clobbered = r.clobbered.join(', ');
        }
        break;
      }
      case 'blockedCallback': {
        // A callback that blocked on the critical section leaves its span; its restart opens another.
        if (r.op === 'restart') {
          const args = { callback: r.callback, kind: r.kind, handle: hex(r.handle), restart: 'runs again from the start', 'timed out (CF)': r.timedOut, ...where(r) };
          frames.push({ key: `cb${r.handle}`, span: open(i, `vm:${r.vm}`, 'callback', `${r.callback} (restart)`, args) });
        } else if (r.op === 'block') {
          const frame = popLast(frames, (f) => f.key === `cb${r.handle}`);
          if (frame !== undefined) {
            close(frame.span, i);
            frame.span.args.blocked = 'on the critical section: its VM runs it again from the start';
          }
        }
        break;
      }
      case 'processBegin':
        passes.push({ key: 'pass', span: open(i, 'vmm', 'processing', 'event processing', { ...where(r) }) });
        break;
      case 'processEnd': {
        const pass = passes.pop();
        if (pass !== undefined) {
          close(pass.span, i);
          pass.span.args.dispatched = r.dispatched;
        }
        break;
      }
      default:
        break;
    }
  }
  // The run ended with these frames still open (a stopped run): they end with it, cut short.
  const last = records.length - 1;
  if (segment !== null) close(segment.span, last);
  for (const o of [...frames, ...passes]) {
    close(o.span, last);
    o.span.clipped = true;
  }
  return spans;
}

function ring0Reason(r: HistoryRecord): string {
  if (r.k === 'irqEnter' || r.k === 'irqRaise') return r.k === 'irqEnter' ? `IRQ ${r.irq}` : 'IRQ';
  if (r.k === 'processBegin') return 'event processing';
  if (r.k === 'service') return r.device;
  return r.k;
}

/** Notes a client op in its segment (the first few, and how many); returns the trap's entry name. */
function noteOp(span: Span, clientOp: ClientOp, entryName: CpuInput['entryName']): string {
  const op = describeOp(clientOp);
  const entry = clientOp.op === 'trap' ? entryName?.(clientOp.device, clientOp.entry) ?? `${clientOp.device}.${clientOp.entry}` : '';
  const named = clientOp.op === 'trap' ? `trap ${entry}` : op;
  const count = Number(span.args['client ops'] ?? 0) + 1;
  span.args['client ops'] = count;
  const ops = typeof span.args.ops === 'string' ? span.args.ops : '';
  if (count <= 4) span.args.ops = ops === '' ? op : `${ops}; ${op}`;
  else if (count === 5) span.args.ops = `${ops}; ...`;
  if (span.cat === 'client') span.name = count === 1 ? named : `client (${count} ops)`;
  return entry;
}

function popLast<T>(items: T[], match: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    if (match(items[i]!)) return items.splice(i, 1)[0];
  }
  return undefined;
}
