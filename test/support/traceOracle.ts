/**
 * The trace hash's definition, as a test oracle: the words of each record computed from the
 * finished record (the core feeds the same words where it makes each record, records.ts; the
 * tests hold the two to the same hash, record count and checkpoints).
 */
import type { HistoryRecord } from '../../src/vmm/history.js';
import { CheckpointRecorder } from '../../src/vmm/checkpoints.js';
import { bool, EVENT_KIND, head, K, NULL_WORD, OP, phase, stateWords, type TraceHasher } from '../../src/vmm/traceHash.js';

/** Hashes records made elsewhere: `onRecord` is a sink; `recorder` holds the hash and checkpoints. */
export class TraceOracle {
  readonly recorder = new CheckpointRecorder();

  private readonly words = new Int32Array(64);

  readonly onRecord = (record: HistoryRecord): void => {
    const count = recordWords(this.recorder.hasher, this.words, record);
    const { hasher } = this.recorder;
    hasher.w.set(this.words.subarray(0, count), hasher.at);
    this.recorder.feed(hasher.at + count);
  };
}

/** Writes a finished record's words into `w` from 0 (strings' words from `hasher`); returns their count. */
export function recordWords(hasher: TraceHasher, w: Int32Array, r: HistoryRecord): number {
  let n: number;
  switch (r.k) {
    case 'clientOp': {
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.clientOp);
      const op = r.op;
      switch (op.op) {
        case 'run': w[n++] = OP.run; w[n++] = op.ticks; return n;
        case 'trap': w[n++] = OP.trap; w[n++] = op.device; w[n++] = op.entry; w[n++] = op.arg; return n;
        case 'mode': w[n++] = OP.mode; w[n++] = bool(op.pm); return n;
        case 'mask': w[n++] = OP.mask; w[n++] = op.irq; w[n++] = bool(op.masked); return n;
        case 'cli': w[n++] = OP.cli; return n;
        case 'sti': w[n++] = OP.sti; return n;
        case 'iret': w[n++] = OP.iret; return n;
        case 'eoi': w[n++] = OP.eoi; return n;
      }
      return n;
    }
    case 'service':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.service);
      w[n++] = hasher.sw(r.service); w[n++] = hasher.sw(r.device);
      return n;
    case 'serviceResult':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.serviceResult);
      w[n++] = hasher.sw(r.service); w[n++] = r.esi;
      return n;
    case 'calledNow':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.calledNow);
      w[n++] = EVENT_KIND[r.kind]; w[n++] = hasher.sw(r.service); w[n++] = hasher.sw(r.callback); w[n++] = r.refData; w[n++] = r.targetVm;
      return n;
    case 'scheduled':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.scheduled);
      w[n++] = EVENT_KIND[r.kind]; w[n++] = hasher.sw(r.service); w[n++] = hasher.sw(r.callback);
      w[n++] = r.handle; w[n++] = r.refData; w[n++] = r.targetVm; w[n++] = r.boost; w[n++] = r.flags; w[n++] = r.deadlineTicks;
      w[n++] = bool(r.latitude);
      return r.state === null ? n : stateWords(w, n, r.state);
    case 'dispatch':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.dispatch);
      w[n++] = EVENT_KIND[r.kind]; w[n++] = hasher.sw(r.callback);
      w[n++] = r.handle; w[n++] = r.refData; w[n++] = r.targetVm; w[n++] = r.ebx; w[n++] = r.flags;
      w[n++] = bool(r.inline); w[n++] = bool(r.timedOut); w[n++] = bool(r.carry);
      return r.state === null ? n : stateWords(w, n, r.state);
    case 'return': {
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.return);
      const clobbered = r.clobbered;
      w[n++] = hasher.sw(r.callback); w[n++] = r.handle; w[n++] = clobbered.length;
      for (let i = 0; i < clobbered.length; i++) w[n++] = hasher.sw(clobbered[i]!);
      return n;
    }
    case 'cancel':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.cancel);
      w[n++] = EVENT_KIND[r.kind]; w[n++] = hasher.sw(r.outcome);
      w[n++] = r.victimKind === null ? NULL_WORD : EVENT_KIND[r.victimKind]; w[n++] = hasher.sw(r.device);
      w[n++] = r.handle; w[n++] = r.victimHandle; w[n++] = r.inCallbackOf;
      return n;
    case 'discarded':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.discarded);
      w[n++] = EVENT_KIND[r.kind]; w[n++] = hasher.sw(r.reason); w[n++] = r.handle;
      return n;
    case 'irqRaise':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.irqRaise);
      w[n++] = r.sources; w[n++] = r.lines;
      return n;
    case 'irqEnter':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.irqEnter);
      w[n++] = r.irq; w[n++] = bool(r.nested);
      return n;
    case 'irqExit':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.irqExit);
      w[n++] = r.irq; w[n++] = r.claimedBy === null ? NULL_WORD : hasher.sw(r.claimedBy);
      return n;
    case 'eoi':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.eoi);
      w[n++] = r.irq;
      return n;
    case 'virtInt':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.virtInt);
      w[n++] = r.irq; w[n++] = r.targetVm;
      return n;
    case 'trapReturn':
      return head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.trapReturn);
    case 'control':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.control);
      w[n++] = hasher.sw(r.message); w[n++] = phase(r.phase); w[n++] = hasher.sw(r.device); w[n++] = r.targetVm;
      return n;
    case 'nestedExec':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.nestedExec);
      w[n++] = phase(r.phase);
      return n;
    case 'vpicdProc':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.vpicdProc);
      w[n++] = hasher.sw(r.proc); w[n++] = phase(r.phase); w[n++] = hasher.sw(r.device); w[n++] = r.irq; w[n++] = r.targetVm;
      return n;
    case 'virtRequest':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.virtRequest);
      w[n++] = hasher.sw(r.op); w[n++] = r.irq; w[n++] = r.targetVm;
      return n;
    case 'virtMask':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.virtMask);
      w[n++] = bool(r.masked); w[n++] = r.irq; w[n++] = r.targetVm;
      return n;
    case 'physMask':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.physMask);
      w[n++] = bool(r.masked); w[n++] = r.irq;
      return n;
    case 'virtEoi':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.virtEoi);
      w[n++] = r.irq; w[n++] = r.targetVm;
      return n;
    case 'virtIret':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.virtIret);
      w[n++] = bool(r.timedOut); w[n++] = r.irq; w[n++] = r.targetVm;
      return n;
    case 'processBegin':
      return head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.processBegin);
    case 'processEnd':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.processEnd);
      w[n++] = r.dispatched; w[n++] = bool(r.cut);
      return n;
    case 'taskSwitch':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.taskSwitch);
      w[n++] = r.from; w[n++] = r.to;
      return n;
    case 'boost':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.boost);
      w[n++] = hasher.sw(r.reason); w[n++] = r.targetVm; w[n++] = r.delta; w[n++] = r.handle;
      return n;
    case 'critical':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.critical);
      w[n++] = hasher.sw(r.op); w[n++] = r.owner; w[n++] = r.count;
      return n;
    case 'vmLifecycle':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.vmLifecycle);
      w[n++] = hasher.sw(r.op); w[n++] = r.targetVm;
      return n;
    case 'violation':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.violation);
      w[n++] = hasher.sw(r.kind); w[n++] = hasher.sw(r.severity); w[n++] = hasher.sw(r.message); w[n++] = hasher.sw(r.device); w[n++] = r.handle;
      return n;
    case 'blockedCallback':
      n = head(w, 0, r.ticks, r.vm, r.reenter, r.ctx, K.blockedCallback);
      w[n++] = hasher.sw(r.op); w[n++] = EVENT_KIND[r.kind]; w[n++] = hasher.sw(r.callback); w[n++] = r.handle; w[n++] = r.targetVm;
      w[n++] = bool(r.timedOut); w[n++] = r.flags; w[n++] = r.blockedVm; w[n++] = r.effects;
      return n;
  }
}
