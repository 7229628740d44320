/**
 * The VMM actor's attention word. The VMM gives its event loop a turn (where control calls,
 * stats and stop, are answered) only when one is waiting, or at the latest every
 * EVENT_LOOP_TURN_MAX_MS: a turn costs 0.2 ms on average and up to a few ms, during which an
 * IRQ waits. The main thread sets the word right after it posts a call to the VMM (the message
 * is in the VMM's port by then); the VMM reads it at its regular check, every 64 steps, and
 * clears it just before its turn, so a call posted during the turn sets it again for the next.
 *
 *   Int32 word [0]  1: a control call waits    main: Atomics.store 1    VMM: Atomics.exchange 0
 */
const WORD = 0;

/**
 * Without a call waiting, the VMM still turns its event loop this often: V8's foreground tasks
 * run there, and a call whose attention was lost (none should be) is answered all the same.
 */
export const EVENT_LOOP_TURN_MAX_MS = 1000;

export function createAttentionBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** The main thread's side: the function to call after each message posted to the VMM actor. */
export function attentionRequester(buffer: SharedArrayBuffer): () => void {
  const words = new Int32Array(buffer);
  return () => void Atomics.store(words, WORD, 1);
}

/** The VMM actor's side. */
export class Attention {
  private readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  /** A control call waits (one load: checked every 64 steps). */
  get requested(): boolean {
    return Atomics.load(this.words, WORD) !== 0;
  }

  /** Clears the word before the event loop's turn; true if it was set. */
  take(): boolean {
    return Atomics.exchange(this.words, WORD, 0) !== 0;
  }
}
