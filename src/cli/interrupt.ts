/**
 * Ctrl-C (SIGINT), SIGTERM (what `kill`, `timeout`, a CI runner's cancel or `docker stop`
 * send) and SIGHUP (the terminal or the ssh session closed: by default it killed the process with
 * no report and a trace cut mid-line) for the commands, alike: the first asks the work to stop at its next safe point (between
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

/** The flag's value names the signal: a report says which one stopped it (a SIGTERM was reported as SIGINT). */
const SIGNAL_CODES = { SIGINT: 1, SIGTERM: 2, SIGHUP: 3 } as const;

export function interrupt(signal: StopSignal = 'SIGINT'): void {
  Atomics.store(flag, 0, SIGNAL_CODES[signal]);
}

/** The signal that stopped the command (SIGINT if none did). */
export function stopSignal(): StopSignal {
  const code = Atomics.load(flag, 0);
  return STOP_SIGNALS.find((signal) => SIGNAL_CODES[signal] === code) ?? 'SIGINT';
}

/** The signals that stop a command cleanly (a report, the trace, exit 130); a second one exits at once. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Listens for every stop signal; returns what removes the listener. */
export function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}

/** On the main thread: a stop signal once sets the flag (and calls `onFirst`), twice exits 130. */
export function onSigint(onFirst: () => void = () => undefined): () => void {
  let count = 0;
  const handler = (signal: StopSignal): void => {
    if (++count > 1) {
      process.stderr.write('vmmsim: interrupted again: exiting now\n');
      exitNow(EXIT.interrupted);
    }
    process.stderr.write('vmmsim: interrupted: stopping (Ctrl-C again to exit at once)\n');
    interrupt(signal);
    onFirst();
  };
  return onStopSignal(handler);
}
