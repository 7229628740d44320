/**
 * What every actor does the same way on its worker thread: read its workerData, log through
 * the main thread, report a fault (serialized explicitly as { name, message, stack }), expose
 * its control API over Comlink, and give its event loop a turn now and then so that control
 * messages get in while its main loop runs.
 *
 * Thread priorities: every actor keeps the process's (none is set), by measurement. Lowering the
 * VM actors' (nice 10, with the VMM's slice boundary already cheap; 4 s latency runs on 2 cores,
 * alternated) made the VMM wait for their ops: 6 → 66 ms of waiting per run on a nearly quiet
 * machine, 20-120 → 320-1,200 ms loaded, and p99 did not fall (441 → 752 µs in the quiet pair).
 * The VMM consumes their ops, so they are on its path. Lowering the main thread's (nice 10)
 * changed nothing beyond the noise. (Raising the VMM's or the PIC's needs privileges.)
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Logger } from 'pino';
import { createActorLogger } from '../../shared/log.js';
import { serializeError, type ActorData, type ActorName, type ActorReport } from './protocol.js';

/** How long an actor's loop runs before its event loop gets a turn (control messages, stats); the VMM's slice (attention.ts). */
export const SLICE_MS = 20;

export interface ActorContext {
  readonly actor: ActorName;
  readonly log: Logger;
  /** `transfer`: buffers of the message that move to the main thread instead of being copied. */
  report(message: ActorReport, transfer?: readonly ArrayBuffer[]): void;
  /** Reports the actor's failure; the orchestrator ends the run. */
  fail(error: unknown): void;
}

export function actorContext(): ActorContext {
  const data = workerData as ActorData;
  const report = (message: ActorReport, transfer: readonly ArrayBuffer[] = []): void => data.reportPort.postMessage(message, transfer);
  const log = createActorLogger(data.actor, data.logLevel, (line) => report({ t: 'log', line }));
  return {
    actor: data.actor,
    log,
    report,
    fail(error) {
      const serialized = serializeError(error);
      log.error({ error: serialized }, 'actor failed');
      report({ t: 'fault', fault: { actor: data.actor, error: serialized } });
    },
  };
}

export function exposeApi(api: object): void {
  if (parentPort === null) throw new Error('an actor must run on a worker thread');
  Comlink.expose(api, nodeEndpoint(parentPort));
}

/** Lets the event loop run once a slice is used up; returns the new slice start. */
export async function yieldIfDue(sliceStartMs: number): Promise<number> {
  const nowMs = performance.now();
  if (nowMs - sliceStartMs < SLICE_MS) return sliceStartMs;
  await yieldToEventLoop();
  return performance.now();
}
