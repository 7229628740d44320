/**
 * The start-up phase of a threaded run: from the spawn of the workers until every actor has
 * answered `start()`; its slow part is configuring (attaching and starting a configured actor
 * are quick, and stay under the watchdog's bound). Each worker is a V8 isolate that loads and
 * compiles the actor's modules (and the VMM warms its core up) before it can answer
 * `configure`; with many VMs on few CPUs that takes long (65 isolates on 2 busy CPUs: over
 * 60 s before the VMM answered `configure`), and it is slowness, not a stuck thread. So
 * start-up is judged as a whole, against a bound that grows with the worker threads each CPU
 * has to start, and an actor that has not started by then is named as not started, never as
 * stuck. Nothing an actor runs at start-up can loop for ever unnoticed: a scenario module is
 * loaded first on the main thread under its own bound, and device code (a device's `init`)
 * runs under the ring-0 watchdog.
 */
import type { ActorName } from './protocol.js';

/** Start-up of the few workers of a small run: the configure bound this replaces. */
export const START_UP_BASE_MS = 60_000;
/** Added for each worker thread a CPU has to start (measured: ~1-2 s each on a loaded 2-core machine). */
export const START_UP_PER_WORKER_PER_CPU_MS = 4_000;

export function startUpBoundMs(workers: number, cpus: number): number {
  return START_UP_BASE_MS + START_UP_PER_WORKER_PER_CPU_MS * Math.ceil(workers / Math.max(1, cpus));
}

/** The one line for actors that had not started within the bound. */
export function notStartedMessage(pending: readonly ActorName[], boundMs: number, workers: number, cpus: number): string {
  const shown = pending.length > 4 ? `${pending.slice(0, 4).join(', ')} and ${pending.length - 4} more` : pending.join(', ');
  return `${shown} had not started after ${Math.round(boundMs / 1000)} s (${workers} worker threads on ${cpus} CPUs: the machine is too busy to start them, or a smaller --vms starts faster)`;
}

/**
 * Calls `onLate` with the actors not yet started when the bound passes; `started(actor)` marks
 * one, `stop()` ends the watch (all started, or the run ended another way).
 */
export function watchStartUp(actors: readonly ActorName[], boundMs: number, onLate: (pending: ActorName[]) => void): { started(actor: ActorName): void; stop(): void } {
  const pending = new Set(actors);
  const timer = setTimeout(() => {
    if (pending.size > 0) onLate([...pending]);
  }, boundMs);
  timer.unref();
  return {
    started: (actor) => void pending.delete(actor),
    stop: () => clearTimeout(timer),
  };
}
