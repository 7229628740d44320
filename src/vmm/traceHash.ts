/**
 * The trace hash: a stable digest of the whole decision log (every history record, in order,
 * with the fields that say what happened). Same seed + same configuration → same hash, on any
 * machine. This runs for every record of every run, so it is written for speed:
 * - the words are written where each record is made, its kind and fields in hand (records.ts);
 * - a record starts with three words (trace format 3: ticks, kind, and where the CPU was
 *   packed in one; the seq is the record's place in the stream), not six;
 * - the words of the fixed vocabulary (kinds, client ops, event kinds, phases) are constants
 *   computed once; other strings (services, devices, callbacks, reasons) are hashed once per run
 *   and then looked up.
 * The words fed are the same as hashing every string by its FNV-1a word in place.
 */
import { Digest, hashString } from '../shared/digest.js';
import type { CancelOutcome, CpuContext, HistoryKind, VmSnapshot, VpicdProc } from './history.js';
import type { EventKind } from './eventTable.js';
import { SERVICES, type ServiceName } from './services.js';

/**
 * The words of a fixed vocabulary, as int32 bit patterns (an Int32Array stores the same bits):
 * small integers to V8, which it folds into the code that writes them, where a word above 2^31
 * would be a boxed double to load and convert at every record. Frozen, for the same reason.
 */
function words<T extends string>(names: readonly T[]): Readonly<Record<T, number>> {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, hashString(name) | 0])) as Record<T, number>);
}

/** Every record kind's word. */
export const K = words<HistoryKind>([
  'clientOp', 'service', 'serviceResult', 'calledNow', 'scheduled', 'dispatch', 'return', 'cancel', 'discarded',
  'irqRaise', 'irqEnter', 'irqExit', 'eoi', 'virtInt', 'processBegin', 'processEnd', 'taskSwitch', 'boost',
  'critical', 'vmLifecycle', 'violation', 'trapReturn', 'nestedExec', 'vpicdProc', 'virtRequest', 'virtMask',
  'virtEoi', 'virtIret', 'control', 'blockedCallback', 'physMask',
]);
/** Client op names, event kinds and phases: the strings most records carry. */
export const OP = words(['run', 'cli', 'sti', 'iret', 'eoi', 'mask', 'mode', 'trap'] as const);
export const EVENT_KIND = words<EventKind>(['global', 'vm', 'priority']);
/** Every service's name word: the callers that name a service in a record pass it along (no string hashed per record). */
export const SERVICE_WORD = words(Object.keys(SERVICES) as ServiceName[]);
const GLOBAL = EVENT_KIND.global;
const VM = EVENT_KIND.vm;
const PRIORITY = EVENT_KIND.priority;
/** The words of the other fixed names records carry: cancel outcomes, VPICD procedures, request ops. */
const OUTCOME = words<CancelOutcome>(['cancelled', 'zero', 'stale', 'wrongService', 'wrongVm', 'invalid']);
const PROC = words<VpicdProc>(['virtInt', 'eoi', 'iret', 'maskChange']);
const SET = hashString('set') | 0;
const CLEAR = hashString('clear') | 0;
const ENTER = hashString('enter') | 0;
const EXIT = hashString('exit') | 0;
export const NULL_WORD = 0xffffffff;

/** A string's word, as `TraceHasher.str` writes it: for callers that compute a name's word once and pass it along. */
export function stringWord(value: string): number {
  return hashString(value) | 0;
}

export function ctxWord(ctx: CpuContext): number {
  return ctx === 'vm' ? 1 : ctx === 'vmm' ? 2 : 3;
}

/** Slots of the string-word cache: 2^STRING_SLOT_BITS. */
const STRING_SLOT_BITS = 10;
const STRING_SLOTS = 1 << STRING_SLOT_BITS;

/**
 * A string's slot in the cache: its length, first and last characters and the one a quarter in,
 * mixed by one multiplication (top bits), so the names a run repeats fall apart (with only the
 * length and first character, Get_Cur_VM_Handle and Get_Sys_VM_Handle, claim and clear shared a
 * slot). An empty string reads NaN as 0.
 */
function slotOf(value: string): number {
  const n = value.length;
  const mixed = ((value.charCodeAt(0) << 16) | value.charCodeAt(n - 1)) ^ (value.charCodeAt(n >> 2) << 8) ^ n;
  return Math.imul(mixed, 0x9e3779b1) >>> (32 - STRING_SLOT_BITS);
}

/** Words of the longest record (a `return` that names every preserved register is 15). */
const RECORD_WORDS_MAX = 64;
/**
 * Words of the ring the records are written into: digested in one loop when the next record
 * might not fit, and whenever the hash is read (4 KiB: it stays in the first-level cache, and a
 * machine snapshot copies little).
 *
 *   w: [ record | record | ... | record | next record's words from `at` ... | spare >= RECORD_WORDS_MAX ]
 *       0                               at                                          RING_WORDS
 */
const RING_WORDS = 1024;

/**
 * The three words every record starts with (trace format 3): the ticks, the kind's word, and
 * where the CPU was in one word. The seq is not fed: it is the record's place in the stream,
 * which the digest already orders. Writes them at w[at..at+2]; returns the count.
 *
 *   where = vm (bits 0-15) | ctx (bits 16-17: 1 vm, 2 vmm, 3 hwint) | re-enter count (bits 18-31)
 *
 * VM ids and re-enter counts stay far below those widths (at most 64 VMs live; the re-enter
 * count is bounded by nested interrupts); a larger one would only fold onto another's bits.
 */
export function head(w: Int32Array, at: number, ticks: number, vm: number, reenter: number, ctx: CpuContext, kind: number): number {
  w[at] = ticks; w[at + 1] = kind; w[at + 2] = (vm & 0xffff) | (ctxWord(ctx) << 16) | (reenter << 18);
  return 3;
}

export function bool(value: boolean): number {
  return value ? 1 : 2;
}

/** An event kind's word: three comparisons of interned strings, not a keyed load by a string. */
export function eventKindWord(kind: EventKind): number {
  return kind === 'global' ? GLOBAL : kind === 'vm' ? VM : PRIORITY;
}

export function phase(value: 'enter' | 'exit'): number {
  return value === 'enter' ? ENTER : EXIT;
}

/** Comparisons of interned strings, as eventKindWord: no keyed load by a string, no string hashed. */
export function cancelOutcomeWord(outcome: CancelOutcome): number {
  return outcome === 'zero' ? OUTCOME.zero : outcome === 'cancelled' ? OUTCOME.cancelled : outcome === 'stale' ? OUTCOME.stale
    : outcome === 'invalid' ? OUTCOME.invalid : outcome === 'wrongService' ? OUTCOME.wrongService : OUTCOME.wrongVm;
}

export function vpicdProcWord(proc: VpicdProc): number {
  return proc === 'virtInt' ? PROC.virtInt : proc === 'eoi' ? PROC.eoi : proc === 'iret' ? PROC.iret : PROC.maskChange;
}

export function requestOpWord(op: 'set' | 'clear'): number {
  return op === 'set' ? SET : CLEAR;
}

/**
 * The digest of the record stream. The core feeds it as it makes each record (records.ts writes
 * the record's words into the ring `w` from `at`, then `feed`s where they end), with no record
 * to read back; the ring is digested in bulk, one tight loop over many records. The same words computed
 * from a finished record (the definition the core's words are tested against) are in
 * test/support/traceOracle.ts.
 */
export class TraceHasher {
  private readonly digest = new Digest();
  private readonly stringWords = new Map<string, number>();
  private readonly slotStrings: (string | undefined)[] = new Array<string | undefined>(STRING_SLOTS).fill(undefined);
  private readonly slotWords = new Int32Array(STRING_SLOTS);
  /** The ring of words not yet digested (see RING_WORDS). */
  readonly w = new Int32Array(RING_WORDS);
  /** Where the next record's words go in `w`. */
  at = 0;
  records = 0;

  /**
   * Back to the digest of no records, for the next run of a caller that runs many (the explorer).
   * The string words stay: each is a function of its string alone.
   */
  reset(): this {
    this.digest.reset();
    this.records = 0;
    this.at = 0;
    return this;
  }

  /** The record whose words were written into `w` from `at` ends at `end`. */
  feed(end: number): void {
    this.records++;
    this.at = end;
    if (end > RING_WORDS - RECORD_WORDS_MAX) this.flush();
  }

  hex(): string {
    this.flush();
    return this.digest.hex();
  }

  private flush(): void {
    this.digest.words(this.w, this.at);
    this.at = 0;
  }

  /**
   * A string's word: its FNV-1a hash, computed once per distinct string of the run. A small
   * direct-mapped cache (see slotOf) answers the few names every record carries before the map
   * is asked.
   */
  sw(value: string): number {
    const slot = slotOf(value);
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
    const slot = slotOf(value);
    this.w[at] = this.slotStrings[slot] === value ? this.slotWords[slot]! : this.sw(value);
  }
}

export function stateWords(w: Int32Array, at: number, st: VmSnapshot): number {
  let n = at;
  w[n++] = bool(st.vif); w[n++] = bool(st.pm); w[n++] = bool(st.nestedExec); w[n++] = bool(st.simulatingHwInt); w[n++] = bool(st.critFree);
  w[n++] = st.priority;
  return n;
}
