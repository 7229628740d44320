/**
 * What the coordinator knows about the workers: the ones whose results it has folded, each
 * one's chunks and executions, and its executions per second since the campaign (or its
 * resumption) started. A rate counts only the chunks computed since then: a resumed campaign
 * folds chunks its workers finished while no coordinator ran, and counting them made a rate
 * of 4,416/s from a worker of ~1,100/s (an outside audit).
 */
import { performance } from 'node:perf_hooks';

export interface WorkerFigures {
  worker: string;
  chunks: number;
  executions: number;
  execsPerSec: number;
}

export class WorkerStats {
  private readonly startedMs = performance.now();
  private readonly byWorker = new Map<string, { chunks: number; executions: number; executionsHere: number }>();
  /** Chunks that were started more than once (their worker died holding them). */
  chunksRetried = 0;
  /** Executions of chunks computed since this coordinator started. */
  executionsHere = 0;

  /** A chunk folded; `here`: computed since this coordinator started (not before a resume). */
  add(worker: string, executions: number, attemptsStarted: number, here: boolean): void {
    const seen = this.byWorker.get(worker) ?? { chunks: 0, executions: 0, executionsHere: 0 };
    seen.chunks++;
    seen.executions += executions;
    if (here) {
      seen.executionsHere += executions;
      this.executionsHere += executions;
    }
    this.byWorker.set(worker, seen);
    if (attemptsStarted > 1) this.chunksRetried++;
  }

  figures(): WorkerFigures[] {
    const elapsedS = Math.max(1e-3, (performance.now() - this.startedMs) / 1000);
    return [...this.byWorker].map(([worker, s]) => ({ worker, chunks: s.chunks, executions: s.executions, execsPerSec: Math.round(s.executionsHere / elapsedS) }));
  }

  line(): string {
    const workers = this.figures();
    const each = workers.map((w) => `${w.worker} ${w.execsPerSec.toLocaleString('en-US')}/s`).join(', ');
    return `${workers.length} worker(s) seen${each === '' ? '' : `: ${each}`}${this.chunksRetried > 0 ? `; ${this.chunksRetried} chunk(s) retried` : ''}`;
  }
}
