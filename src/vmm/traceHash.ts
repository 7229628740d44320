/**
 * The trace hash: a stable digest of the whole decision log (every history record, in order,
 * with the fields that say what happened). Same seed + same configuration → same hash, on any
 * machine. This runs for every record of every run, so it is written for speed:
 * - each kind's case reads where the CPU was (seq, ticks, vm, reenter, ctx) itself, so every
 *   field read sees one record shape (a shared read of all kinds' records would be megamorphic);
 * - the words of the fixed vocabulary (kinds, client ops, event kinds, phases) are constants
 *   computed once; other strings (services, devices, callbacks, reasons) are hashed once per run
 *   and then looked up.
 * The words fed are the same as hashing every string by its FNV-1a word in place.
 */
import { Digest, hashString } from '../shared/digest.js';
import type { CpuContext, HistoryKind, HistoryRecord, VmSnapshot } from './history.js';
import type { EventKind } from './eventTable.js';

function words<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((name) => [name, hashString(name)])) as Record<T, number>;
}

/** Every record kind's word. */
export const K = words<HistoryKind>([
  'clientOp', 'service', 'serviceResult', 'calledNow', 'scheduled', 'dispatch', 'return', 'cancel', 'discarded',
  'irqRaise', 'irqEnter', 'irqExit', 'eoi', 'virtInt', 'processBegin', 'processEnd', 'taskSwitch', 'boost',
  'critical', 'vmLifecycle', 'violation', 'trapReturn', 'nestedExec', 'vpicdProc', 'virtRequest', 'virtMask',
  'virtEoi', 'virtIret', 'control',
]);
/** Client op names, event kinds and phases: the strings most records carry. */
export const OP = words(['run', 'cli', 'sti', 'iret', 'eoi', 'mask', 'mode', 'trap'] as const);
export const EVENT_KIND = words<EventKind>(['global', 'vm', 'priority']);
const ENTER = hashString('enter');
const EXIT = hashString('exit');
export const NULL_WORD = 0xffffffff;

export function ctxWord(ctx: CpuContext): number {
  return ctx === 'vm' ? 1 : ctx === 'vmm' ? 2 : 3;
}

/** Slots of the string-word cache (a power of two). */
const STRING_SLOTS = 256;

/** Words of the longest record (a `return` that names every preserved register is 18). */
const RECORD_WORDS_MAX = 64;

/** The six words every record starts with: where the CPU was, and the kind. Returns the count. */
export function head(w: Int32Array, seq: number, ticks: number, vm: number, reenter: number, ctx: CpuContext, kind: number): number {
  w[0] = seq; w[1] = ticks; w[2] = vm; w[3] = reenter; w[4] = ctxWord(ctx); w[5] = kind;
  return 6;
}

export function bool(value: boolean): number {
  return value ? 1 : 2;
}

export function phase(value: 'enter' | 'exit'): number {
  return value === 'enter' ? ENTER : EXIT;
}

/**
 * The digest of the record stream. The core feeds it as it makes each record (records.ts writes
 * the record's words into `w`, then `feed`), with no record to read back; `onRecord` computes the
 * same words from a record, the definition the core's words are tested against.
 */
export class TraceHasher {
  private readonly digest = new Digest();
  private readonly stringWords = new Map<string, number>();
  private readonly slotStrings: (string | undefined)[] = new Array<string | undefined>(STRING_SLOTS).fill(undefined);
  private readonly slotWords = new Int32Array(STRING_SLOTS);
  /** One record's words, written and then fed to the digest in one loop. */
  readonly w = new Int32Array(RECORD_WORDS_MAX);
  records = 0;

  /**
   * Back to the digest of no records, for the next run of a caller that runs many (the explorer).
   * The string words stay: each is a function of its string alone.
   */
  reset(): this {
    this.digest.reset();
    this.records = 0;
    return this;
  }

  /** Feeds the record whose `count` words are in `w`. */
  feed(count: number): void {
    this.records++;
    this.digest.words(this.w, count);
  }

  readonly onRecord = (r: HistoryRecord): void => {
    this.feed(this.recordWords(r));
  };

  hex(): string {
    return this.digest.hex();
  }

  /** Writes a record's words; each case reads the record itself (one shape per read site). */
  recordWords(r: HistoryRecord): number {
    const w = this.w;
    let n: number;
    switch (r.k) {
      case 'clientOp': {
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.clientOp);
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
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.service);
        w[n++] = this.sw(r.service); w[n++] = this.sw(r.device);
        return n;
      case 'serviceResult':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.serviceResult);
        w[n++] = this.sw(r.service); w[n++] = r.esi;
        return n;
      case 'calledNow':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.calledNow);
        w[n++] = EVENT_KIND[r.kind]; w[n++] = this.sw(r.service); w[n++] = this.sw(r.callback); w[n++] = r.refData; w[n++] = r.targetVm;
        return n;
      case 'scheduled':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.scheduled);
        w[n++] = EVENT_KIND[r.kind]; w[n++] = this.sw(r.service); w[n++] = this.sw(r.callback);
        w[n++] = r.handle; w[n++] = r.refData; w[n++] = r.targetVm; w[n++] = r.boost; w[n++] = r.flags; w[n++] = r.deadlineTicks;
        w[n++] = bool(r.latitude);
        return r.state === null ? n : stateWords(w, n, r.state);
      case 'dispatch':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.dispatch);
        w[n++] = EVENT_KIND[r.kind]; w[n++] = this.sw(r.callback);
        w[n++] = r.handle; w[n++] = r.refData; w[n++] = r.targetVm; w[n++] = r.ebx; w[n++] = r.flags;
        w[n++] = bool(r.inline); w[n++] = bool(r.timedOut);
        return r.state === null ? n : stateWords(w, n, r.state);
      case 'return': {
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.return);
        const clobbered = r.clobbered;
        w[n++] = this.sw(r.callback); w[n++] = r.handle; w[n++] = clobbered.length;
        for (let i = 0; i < clobbered.length; i++) w[n++] = this.sw(clobbered[i]!);
        return n;
      }
      case 'cancel':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.cancel);
        w[n++] = EVENT_KIND[r.kind]; w[n++] = this.sw(r.outcome);
        w[n++] = r.victimKind === null ? NULL_WORD : EVENT_KIND[r.victimKind]; w[n++] = this.sw(r.device);
        w[n++] = r.handle; w[n++] = r.victimHandle; w[n++] = r.inCallbackOf;
        return n;
      case 'discarded':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.discarded);
        w[n++] = EVENT_KIND[r.kind]; w[n++] = this.sw(r.reason); w[n++] = r.handle;
        return n;
      case 'irqRaise':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.irqRaise);
        w[n++] = r.sources; w[n++] = r.lines;
        return n;
      case 'irqEnter':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.irqEnter);
        w[n++] = r.irq; w[n++] = bool(r.nested);
        return n;
      case 'irqExit':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.irqExit);
        w[n++] = r.irq; w[n++] = r.claimedBy === null ? NULL_WORD : this.sw(r.claimedBy);
        return n;
      case 'eoi':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.eoi);
        w[n++] = r.irq;
        return n;
      case 'virtInt':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.virtInt);
        w[n++] = r.irq; w[n++] = r.targetVm;
        return n;
      case 'trapReturn':
        return head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.trapReturn);
      case 'control':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.control);
        w[n++] = this.sw(r.message); w[n++] = phase(r.phase); w[n++] = this.sw(r.device); w[n++] = r.targetVm;
        return n;
      case 'nestedExec':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.nestedExec);
        w[n++] = phase(r.phase);
        return n;
      case 'vpicdProc':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.vpicdProc);
        w[n++] = this.sw(r.proc); w[n++] = phase(r.phase); w[n++] = this.sw(r.device); w[n++] = r.irq; w[n++] = r.targetVm;
        return n;
      case 'virtRequest':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.virtRequest);
        w[n++] = this.sw(r.op); w[n++] = r.irq; w[n++] = r.targetVm;
        return n;
      case 'virtMask':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.virtMask);
        w[n++] = bool(r.masked); w[n++] = r.irq; w[n++] = r.targetVm;
        return n;
      case 'virtEoi':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.virtEoi);
        w[n++] = r.irq; w[n++] = r.targetVm;
        return n;
      case 'virtIret':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.virtIret);
        w[n++] = bool(r.timedOut); w[n++] = r.irq; w[n++] = r.targetVm;
        return n;
      case 'processBegin':
        return head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.processBegin);
      case 'processEnd':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.processEnd);
        w[n++] = r.dispatched;
        return n;
      case 'taskSwitch':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.taskSwitch);
        w[n++] = r.from; w[n++] = r.to;
        return n;
      case 'boost':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.boost);
        w[n++] = this.sw(r.reason); w[n++] = r.targetVm; w[n++] = r.delta; w[n++] = r.handle;
        return n;
      case 'critical':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.critical);
        w[n++] = this.sw(r.op); w[n++] = r.owner; w[n++] = r.count;
        return n;
      case 'vmLifecycle':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.vmLifecycle);
        w[n++] = this.sw(r.op); w[n++] = r.targetVm;
        return n;
      case 'violation':
        n = head(w, r.seq, r.ticks, r.vm, r.reenter, r.ctx, K.violation);
        w[n++] = this.sw(r.kind); w[n++] = this.sw(r.severity); w[n++] = this.sw(r.message); w[n++] = this.sw(r.device); w[n++] = r.handle;
        return n;
    }
  }

  /**
   * A string's word: its FNV-1a hash, computed once per distinct string of the run. A small
   * direct-mapped cache (slot by length and first character) answers the few names every record
   * carries before the map is asked.
   */
  sw(value: string): number {
    const slot = (value.length * 31 + value.charCodeAt(0)) & (STRING_SLOTS - 1);
    if (this.slotStrings[slot] === value) return this.slotWords[slot]!;
    let word = this.stringWords.get(value);
    if (word === undefined) {
      word = hashString(value) | 0;
      if (this.stringWords.size < 65_536) this.stringWords.set(value, word);
    }
    this.slotStrings[slot] = value;
    this.slotWords[slot] = word;
    return word;
  }

  /** Writes a string's word at `w[at]` (no number returned: a word above 2^30 would be boxed). */
  str(at: number, value: string): void {
    const slot = (value.length * 31 + value.charCodeAt(0)) & (STRING_SLOTS - 1);
    this.w[at] = this.slotStrings[slot] === value ? this.slotWords[slot]! : this.sw(value);
  }
}

export function stateWords(w: Int32Array, at: number, st: VmSnapshot): number {
  let n = at;
  w[n++] = bool(st.vif); w[n++] = bool(st.pm); w[n++] = bool(st.nestedExec); w[n++] = bool(st.simulatingHwInt); w[n++] = bool(st.critFree);
  w[n++] = st.priority;
  return n;
}
