/**
 * What the coordinator knows about the workers: the ones whose results it has folded, each
 * one's chunks and executions, and its executions per second since the campaign (or its
 * resumption) started.
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
  private readonly byWorker = new Map<string, { chunks: number; executions: number }>();
  /** Chunks that were started more than once (their worker died holding them). */
  chunksRetried = 0;

  add(worker: string, executions: number, attemptsStarted: number): void {
    const seen = this.byWorker.get(worker) ?? { chunks: 0, executions: 0 };
    seen.chunks++;
    seen.executions += executions;
    this.byWorker.set(worker, seen);
    if (attemptsStarted > 1) this.chunksRetried++;
  }

  figures(): WorkerFigures[] {
    const elapsedS = Math.max(1e-3, (performance.now() - this.startedMs) / 1000);
    return [...this.byWorker].map(([worker, s]) => ({ worker, chunks: s.chunks, executions: s.executions, execsPerSec: Math.round(s.executions / elapsedS) }));
  }

  line(): string {
    const workers = this.figures();
    const each = workers.map((w) => `${w.worker} ${w.execsPerSec.toLocaleString('en-US')}/s`).join(', ');
    return `${workers.length} worker(s) seen${each === '' ? '' : `: ${each}`}${this.chunksRetried > 0 ? `; ${this.chunksRetried} chunk(s) retried` : ''}`;
  }
}
