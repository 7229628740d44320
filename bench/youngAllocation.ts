/**
 * Bytes a piece of code allocates in the young generation, without any V8 flag: how often the
 * thread scavenges is this figure over the young generation's size, and each scavenge is a pause
 * that an interrupt arriving meanwhile waits out.
 *
 * V8's GC profiler reports the heap's spaces before and after every collection in the window.
 * What the code allocated is the growth of the new space between collections:
 *
 *   used: start ──grows──> before GC 1   after GC 1 (survivors) ──grows──> before GC 2 ... ──grows──> end
 *   allocated = (before1 - start) + (before2 - after1) + ... + (end - afterN)
 *
 * Objects too large for the new space (its large-object space) count the same way. Survivors
 * copied by a scavenge are not counted again: the growth is measured from each collection's end.
 */
import v8 from 'node:v8';

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

interface SpaceStatistics {
  spaceName: string;
  spaceUsedSize: number;
}

function youngUsedNow(): number {
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics()) if (YOUNG_SPACES.has(space.space_name)) used += space.space_used_size;
  return used;
}

function youngUsed(spaces: readonly SpaceStatistics[]): number {
  let used = 0;
  for (const space of spaces) if (YOUNG_SPACES.has(space.spaceName)) used += space.spaceUsedSize;
  return used;
}

export interface YoungAllocation<T> {
  result: T;
  /** Bytes allocated in the young generation while `body` ran. */
  youngBytes: number;
  /** Young-generation collections (scavenges) while it ran. */
  scavenges: number;
}

export function measureYoungAllocation<T>(body: () => T): YoungAllocation<T> {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const start = youngUsedNow();
  const result = body();
  const end = youngUsedNow();
  const collections = profiler.stop()?.statistics ?? [];
  let youngBytes = 0;
  let since = start;
  let scavenges = 0;
  for (const gc of collections) {
    youngBytes += youngUsed(gc.beforeGC.heapSpaceStatistics) - since;
    since = youngUsed(gc.afterGC.heapSpaceStatistics);
    if (gc.gcType === 'Scavenge') scavenges++;
  }
  youngBytes += end - since;
  return { result, youngBytes, scavenges };
}
