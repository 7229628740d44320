/**
 * Following a threaded run once a second: the VMM actor's statistics over the control plane
 * (events per second over the last interval, pending events, violations), and the process's
 * resident memory, which covers every worker thread (they share the process): a long run must
 * keep it flat.
 */
import type * as Comlink from 'comlink';
import type { MainLog } from '../../shared/log.js';
import type { ActorSet } from './actorSet.js';
import type { VmmActorApi, VmmStats } from './protocol.js';

export interface RunProgress {
  elapsedS: number;
  steps: number;
  /** Called now + dispatched per second, over the last interval. */
  eventsPerSec: number;
  pendingEvents: number;
  violations: number;
  vmmBugs: number;
  rssMb: number;
}

export interface ProgressWatch {
  start(): void;
  stop(): void;
  rssMbMax(): number;
}

export function watchProgress(
  actors: ActorSet,
  vmm: Comlink.Remote<VmmActorApi>,
  log: MainLog,
  onProgress: ((progress: RunProgress) => void) | undefined,
  everyMs: number,
): ProgressWatch {
  let timer: NodeJS.Timeout | undefined;
  let previous: VmmStats | undefined;
  let rssMbMax = 0;
  let asking = false;
  const sampleRssMb = (): number => {
    const rssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
    rssMbMax = Math.max(rssMbMax, rssMb);
    return rssMb;
  };
  const tick = async (): Promise<void> => {
    if (asking) return;
    asking = true;
    try {
      const stats = await actors.ask(vmm.stats(), everyMs);
      if (stats === undefined) return;
      const intervalUs = stats.elapsedUs - (previous?.elapsedUs ?? 0);
      const progress: RunProgress = {
        elapsedS: stats.elapsedUs / 1e6,
        steps: stats.steps,
        eventsPerSec: intervalUs > 0 ? Math.round(((stats.events - (previous?.events ?? 0)) * 1e6) / intervalUs) : 0,
        pendingEvents: stats.pendingEvents,
        violations: stats.vmmBugs + stats.deviceBugs,
        vmmBugs: stats.vmmBugs,
        rssMb: sampleRssMb(),
      };
      previous = stats;
      log.logger.info(progress, 'progress');
      onProgress?.(progress);
    } finally {
      asking = false;
    }
  };
  return {
    start() {
      sampleRssMb();
      timer = setInterval(() => void tick(), everyMs);
    },
    stop() {
      clearInterval(timer);
      sampleRssMb();
    },
    rssMbMax: () => rssMbMax,
  };
}
