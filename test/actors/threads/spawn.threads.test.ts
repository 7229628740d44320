// The VMM actor's worker gets a small young generation (spawn.ts: short scavenges, so that an
// IRQ raised during one waits less); the other actors keep V8's default.
import { once } from 'node:events';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActorData } from '../../../src/actors/threads/protocol.js';
import { spawnActor, VMM_YOUNG_GENERATION_MB, type ActorEntry } from '../../../src/actors/threads/spawn.js';

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.terminate()));
});

/** The young generation V8 gave the actor's isolate (Node reports the limits in force once the thread runs). */
async function youngGenerationMb(entry: ActorEntry): Promise<number> {
  const { port2 } = new MessageChannel();
  const data: ActorData = { actor: entry === 'vmmActor' ? 'vmm' : 'pic', reportPort: port2, logLevel: 'silent' };
  const worker = spawnActor(entry, data, [port2]);
  started.push(worker);
  await once(worker, 'online');
  return worker.resourceLimits!.maxYoungGenerationSizeMb!;
}

describe('actor isolates', () => {
  it('the VMM actor runs with the small young generation, the PIC actor with the default', async () => {
    expect(await youngGenerationMb('vmmActor')).toBe(VMM_YOUNG_GENERATION_MB);
    expect(await youngGenerationMb('picActor')).toBeGreaterThan(VMM_YOUNG_GENERATION_MB);
  });
});
