/**
 * Following a threaded run once a second: the VMM actor's figures from its progress board in
 * shared memory (progressBoard.ts: events per second over the last interval, pending events,
 * violations; no control call, so the VMM's loop is not held up), and the process's
 * resident memory, which covers every worker thread (they share the process): a long run must
 * keep it flat.
 */
import type { MainLog } from '../../shared/log.js';
import type { ProgressBoard, ProgressFigures } from './progressBoard.js';

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
  board: ProgressBoard,
  log: MainLog,
  onProgress: ((progress: RunProgress) => void) | undefined,
  everyMs: number,
): ProgressWatch {
  let timer: NodeJS.Timeout | undefined;
  let previous: ProgressFigures | undefined;
  let rssMbMax = 0;
  const sampleRssMb = (): number => {
    const rssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
    rssMbMax = Math.max(rssMbMax, rssMb);
    return rssMb;
  };
  const tick = (): void => {
    const figures = board.read();
    const intervalUs = figures.elapsedUs - (previous?.elapsedUs ?? 0);
    const progress: RunProgress = {
      elapsedS: figures.elapsedUs / 1e6,
      steps: figures.steps,
      eventsPerSec: intervalUs > 0 ? Math.round(((figures.events - (previous?.events ?? 0)) * 1e6) / intervalUs) : 0,
      pendingEvents: figures.pendingEvents,
      violations: figures.vmmBugs + figures.deviceBugs,
      vmmBugs: figures.vmmBugs,
      rssMb: sampleRssMb(),
    };
    previous = figures;
    log.logger.info(progress, 'progress');
    onProgress?.(progress);
  };
  return {
    start() {
      sampleRssMb();
      timer = setInterval(tick, everyMs);
    },
    stop() {
      clearInterval(timer);
      sampleRssMb();
    },
    rssMbMax: () => rssMbMax,
  };
}
