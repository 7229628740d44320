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

/**
 * Stop signals that come before a command listens (while Node starts, the CLI loads, the scenario
 * is read): held in the flag, silently, and handed to the command's listener when it comes, so the
 * command stops at its first safe point with its report. Without it a SIGTERM in the first 0.3 s
 * killed the process (exit 143) with no report. A second one before any listener exits at once.
 */
let early: ((signal: StopSignal) => void) | null = null;
let held: StopSignal | null = null;

export function holdEarlySignals(): void {
  early = (signal) => {
    if (held !== null) exitNow(EXIT.interrupted);
    held = signal;
    interrupt(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, early);
}

/** Listens for every stop signal (one taken before is handed on at once); returns what removes the listener. */
export function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  const before = early;
  if (before !== null) for (const signal of STOP_SIGNALS) process.off(signal, before);
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  if (held !== null) {
    const signal = held;
    held = null;
    handler(signal);
  }
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
    if (before !== null) for (const signal of STOP_SIGNALS) process.on(signal, before);
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
