/**
 * Ctrl-C (SIGINT) and SIGTERM (what `kill`, `timeout`, a CI runner's cancel or `docker stop`
 * send) for the commands, alike: the first asks the work to stop at its next safe point (between
 * executions, between steps) and report what it has, exit 130; a second one exits at once.
 *
 * Where the work runs on a watched worker thread (see watched.ts), the main thread takes the
 * signal and raises a flag in shared memory that the worker polls: a worker busy in a loop that
 * never yields still sees it. Elsewhere the flag is set by the handler on this thread.
 */
import { exitNow } from '../shared/exitGuard.js';
import { EXIT } from './errors.js';

let flag: Int32Array = new Int32Array(1);

/** Where the flag lives (a worker reads its main thread's). */
export function useInterruptFlag(shared: Int32Array): void {
  flag = shared;
}

export function interrupted(): boolean {
  return Atomics.load(flag, 0) !== 0;
}

export function interrupt(): void {
  Atomics.store(flag, 0, 1);
}

/** The signals that stop a command cleanly (a report, the trace, exit 130); a second one exits at once. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Listens for every stop signal; returns what removes the listener. */
export function onStopSignal(handler: () => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}

/** On the main thread: a stop signal once sets the flag (and calls `onFirst`), twice exits 130. */
export function onSigint(onFirst: () => void = () => undefined): () => void {
  let count = 0;
  const handler = (): void => {
    if (++count > 1) {
      process.stderr.write('vmmsim: interrupted again: exiting now\n');
      exitNow(EXIT.interrupted);
    }
    process.stderr.write('vmmsim: interrupted: stopping (Ctrl-C again to exit at once)\n');
    interrupt();
    onFirst();
  };
  return onStopSignal(handler);
}
