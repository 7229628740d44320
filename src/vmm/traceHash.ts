/**
 * The trace hash: a stable digest of the whole decision log (every history record, in order,
 * with the fields that say what happened). Same seed + same configuration → same hash, on any
 * machine. Each kind's fields are read by name in a switch (fast: this runs for every record
 * of every run); the few distinct strings (kinds, callback and service names) are hashed once
 * and remembered.
 */
import { Digest, hashString } from '../shared/digest.js';
import type { HistoryKind, HistoryRecord, VmSnapshot } from './history.js';

/** Every record kind's word, computed once (a Map: a keyed read of a 29-key object is slower). */
const KIND_WORDS = new Map<HistoryKind, number>(
  ([
    'clientOp', 'service', 'serviceResult', 'calledNow', 'scheduled', 'dispatch', 'return', 'cancel', 'discarded',
    'irqRaise', 'irqEnter', 'irqExit', 'eoi', 'virtInt', 'processBegin', 'processEnd', 'taskSwitch', 'boost',
    'critical', 'vmLifecycle', 'violation', 'trapReturn', 'nestedExec', 'vpicdProc', 'virtRequest', 'virtMask',
    'virtEoi', 'virtIret', 'control',
  ] satisfies HistoryKind[]).map((kind) => [kind, hashString(kind)]),
);

export class TraceHasher {
  private readonly digest = new Digest();
  private readonly stringWords = new Map<string, number>();
  records = 0;

  readonly onRecord = (r: HistoryRecord): void => {
    this.records++;
    const d = this.digest;
    const s = this.feedString;
    const b = this.feedBoolean;
    d.word(r.seq).word(r.ticks).word(r.vm).word(r.reenter);
    d.word(r.ctx === 'vm' ? 1 : r.ctx === 'vmm' ? 2 : 3);
    d.word(KIND_WORDS.get(r.k)!);
    switch (r.k) {
      case 'clientOp': {
        const op = r.op;
        s(op.op);
        if (op.op === 'run') d.word(op.ticks);
        else if (op.op === 'trap') d.word(op.device).word(op.entry).word(op.arg);
        else if (op.op === 'mode') b(op.pm);
        else if (op.op === 'mask') { d.word(op.irq); b(op.masked); }
        return;
      }
      case 'service': s(r.service); s(r.device); return;
      case 'serviceResult': s(r.service); d.word(r.esi); return;
      case 'calledNow': s(r.kind); s(r.service); s(r.callback); d.word(r.refData).word(r.targetVm); return;
      case 'scheduled':
        s(r.kind); s(r.service); s(r.callback);
        d.word(r.handle).word(r.refData).word(r.targetVm).word(r.boost).word(r.flags).word(r.deadlineTicks);
        b(r.latitude);
        if (r.state !== null) this.feedState(r.state);
        return;
      case 'dispatch':
        s(r.kind); s(r.callback);
        d.word(r.handle).word(r.refData).word(r.targetVm).word(r.ebx).word(r.flags);
        b(r.inline); b(r.timedOut);
        if (r.state !== null) this.feedState(r.state);
        return;
      case 'return':
        s(r.callback); d.word(r.handle).word(r.clobbered.length);
        for (const name of r.clobbered) s(name);
        return;
      case 'cancel':
        s(r.kind); s(r.outcome); s(r.victimKind); s(r.device);
        d.word(r.handle).word(r.victimHandle).word(r.inCallbackOf);
        return;
      case 'discarded': s(r.kind); s(r.reason); d.word(r.handle); return;
      case 'irqRaise': d.word(r.sources).word(r.lines); return;
      case 'irqEnter': d.word(r.irq); b(r.nested); return;
      case 'irqExit': d.word(r.irq); s(r.claimedBy); return;
      case 'eoi': d.word(r.irq); return;
      case 'virtInt': d.word(r.irq).word(r.targetVm); return;
      case 'trapReturn': return;
      case 'control': s(r.message); s(r.phase); s(r.device); d.word(r.targetVm); return;
      case 'nestedExec': s(r.phase); return;
      case 'vpicdProc': s(r.proc); s(r.phase); s(r.device); d.word(r.irq).word(r.targetVm); return;
      case 'virtRequest': s(r.op); d.word(r.irq).word(r.targetVm); return;
      case 'virtMask': b(r.masked); d.word(r.irq).word(r.targetVm); return;
      case 'virtEoi': d.word(r.irq).word(r.targetVm); return;
      case 'virtIret': b(r.timedOut); d.word(r.irq).word(r.targetVm); return;
      case 'processBegin': return;
      case 'processEnd': d.word(r.dispatched); return;
      case 'taskSwitch': d.word(r.from).word(r.to); return;
      case 'boost': s(r.reason); d.word(r.targetVm).word(r.delta).word(r.handle); return;
      case 'critical': s(r.op); d.word(r.owner).word(r.count); return;
      case 'vmLifecycle': s(r.op); d.word(r.targetVm); return;
      case 'violation': s(r.kind); s(r.severity); s(r.message); s(r.device); d.word(r.handle); return;
    }
  };

  private feedState(st: VmSnapshot): void {
    const b = this.feedBoolean;
    b(st.vif); b(st.pm); b(st.nestedExec); b(st.simulatingHwInt); b(st.critFree);
    this.digest.word(st.priority);
  }

  hex(): string {
    return this.digest.hex();
  }

  // Bound once (not a closure per record: this runs for every record of every run).
  private readonly feedString = (value: string | null): void => {
    this.digest.word(value === null ? 0xffffffff : this.stringWord(value));
  };

  private readonly feedBoolean = (value: boolean): void => {
    this.digest.word(value ? 1 : 2);
  };

  private stringWord(value: string): number {
    let word = this.stringWords.get(value);
    if (word === undefined) {
      word = hashString(value);
      if (this.stringWords.size < 65_536) this.stringWords.set(value, word);
    }
    return word;
  }
}
