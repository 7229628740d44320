/**
 * Heartbeats: one word per actor in shared memory, beaten by the actor's loop at each of its
 * regular checks (FaultTrigger.check), read by the main thread. An actor whose word stops
 * changing for the watchdog's bound while the run goes on is stuck (a busy loop, a deadlock):
 * the main thread ends its thread and names it. When several stop (a VMM waiting on a stuck VM
 * stops too), the one that stopped first is the cause.
 *
 *   Int32Array words: [0] vmm  [1] pic  [2] vm1  [3] vm2 ... [1 + N] vmN
 */
import type { ActorName } from './protocol.js';

const POLL_MS = 50;

export function createHeartbeatBuffer(vmIdsMax: number): SharedArrayBuffer {
  return new SharedArrayBuffer((2 + vmIdsMax) * Int32Array.BYTES_PER_ELEMENT);
}

export function heartbeatIndex(actor: ActorName): number {
  return actor === 'vmm' ? 0 : actor === 'pic' ? 1 : 1 + Number(actor.slice(2));
}

/** The beat of one actor (for its FaultTrigger). */
export function heartbeatOf(buffer: SharedArrayBuffer, actor: ActorName): () => void {
  const words = new Int32Array(buffer);
  const index = heartbeatIndex(actor);
  return () => void Atomics.add(words, index, 1);
}

export function watchHeartbeats(buffer: SharedArrayBuffer, actors: readonly ActorName[], boundMs: number, onStuck: (actor: ActorName, stuckMs: number) => void): { stop(): void } {
  const words = new Int32Array(buffer);
  const startMs = performance.now();
  const last = actors.map((a) => ({ actor: a, value: Atomics.load(words, heartbeatIndex(a)), sinceMs: startMs }));
  let fired = false;
  const timer = setInterval(() => {
    const now = performance.now();
    for (const seen of last) {
      const value = Atomics.load(words, heartbeatIndex(seen.actor));
      if (value !== seen.value) {
        seen.value = value;
        seen.sinceMs = now;
      }
    }
    const oldest = last.reduce((a, b) => (b.sinceMs < a.sinceMs ? b : a));
    if (fired || now - oldest.sinceMs < boundMs) return;
    fired = true;
    onStuck(oldest.actor, Math.round(now - oldest.sinceMs));
  }, POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
