/**
 * `vmmsim explore --queue`: what the explore command adds when its campaign runs on workers
 * through Redis. The queue is probed first (unreachable: bad input, exit 2); the campaign then
 * runs through the coordinator, and the local report gains a `queue` part (campaign name,
 * chunks, where it resumed, workers seen and their executions/s). Progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import type { CampaignHooks, CampaignResult } from '../explore/campaign.js';
import type { ExploreReport } from '../explore/report.js';
import type { CampaignSpec } from '../explore/spec.js';
import { probeQueue } from './connection.js';
import { runCampaignOnQueue, type QueueCampaignOutcome } from './coordinator.js';
import type { QueueUrl } from './queueUrl.js';
import type { WorkerStats } from './workerStats.js';
import { stderrRedraws } from '../shared/terminal.js';

const PROGRESS_EVERY_MS = 2_000;

export interface QueueSummary {
  url: string;
  campaign: string;
  chunkSize: number;
  chunks: number;
  resumedAtChunk: number;
  chunksRetried: number;
  finished: boolean;
  workers: QueueCampaignOutcome['workers'];
}

export interface ExploreQueue {
  runCampaign(spec: CampaignSpec, hooks?: CampaignHooks): Promise<CampaignResult>;
  /** The local report, with the workers that ran it and the queue's part. */
  decorate(report: ExploreReport): ExploreReport & { queue: QueueSummary | null };
  lines(): string[];
  /** False if interrupted before the campaign ended (run the same command to resume). */
  finished(): boolean;
}

export async function openExploreQueue(url: QueueUrl, campaign: string | undefined, chunkSize: number | undefined): Promise<ExploreQueue> {
  await probeQueue(url);
  let outcome: QueueCampaignOutcome | null = null;
  /** The campaign's seed: a resume needs it when the command drew one (--seed random). */
  let seed = 0;
  const progress = progressLine();
  return {
    async runCampaign(spec, hooks) {
      seed = spec.seed;
      outcome = await runCampaignOnQueue(spec, {
        url, ...(campaign !== undefined ? { campaign } : {}), ...(chunkSize !== undefined ? { chunkSize } : {}), ...(hooks !== undefined ? { hooks } : {}), onChunk: progress,
        onQuiet: () => say(`vmmsim explore: waiting for a chunk; is a worker running? (vmmsim worker --queue ${url.display})`),
        onStart: (name, cp) => say(`vmmsim explore: campaign ${name} on ${url.display}: ${chunksText(cp.chunks, cp.chunkSize, cp.dfsOutcomes !== undefined)}${
          cp.status === 'done' ? ', already finished (its result follows)' : cp.nextChunk > 0 ? `, resuming at chunk ${cp.nextChunk}` : ''}`),
      });
      return outcome.result;
    },
    decorate(report) {
      if (outcome === null) return { ...report, queue: null };
      const { result: _result, ...rest } = outcome;
      // The rate of what was computed in this run's time: a resume folds executions made before it.
      const execsPerSec = report.elapsedMs > 0 ? Math.round((outcome.executionsHere * 1000) / report.elapsedMs) : 0;
      return { ...report, execsPerSec, workers: outcome.workers.length, queue: { url: url.display, ...rest } };
    },
    lines() {
      if (outcome === null) return [];
      const o = outcome;
      const lines = [`  queue ${url.display}, campaign ${o.campaign}: ${chunksText(o.chunks, o.chunkSize, o.result.dfsWorkloads !== undefined)}${o.resumedAtChunk > 0 ? `, resumed at chunk ${o.resumedAtChunk}` : ''}${o.chunksRetried > 0 ? `, ${o.chunksRetried} retried (a worker died holding it, or gave it back on a second Ctrl-C)` : ''}`];
      if (o.executionsHere < o.result.executions) {
        lines.push(`  ${o.executionsHere.toLocaleString('en-US')} of the ${o.result.executions.toLocaleString('en-US')} executions were computed in this run (the rest before it resumed); the rates count those alone`);
      }
      for (const w of o.workers) lines.push(`    worker ${w.worker}: ${w.chunks} chunk(s), ${w.executions.toLocaleString('en-US')} executions, ${w.execsPerSec.toLocaleString('en-US')} executions/s`);
      if (!o.finished) lines.push(`  the campaign is not finished; the same command with --seed ${seed} (campaign ${o.campaign}) resumes it`);
      return lines;
    },
    finished: () => (outcome as QueueCampaignOutcome | null)?.finished ?? false,
  };
}

/** What a chunk is: a range of executions, or (dfs over N workloads) one workload's whole search. */
function chunksText(chunks: number, chunkSize: number, dfs: boolean): string {
  return dfs ? `${chunks} chunk(s), one workload's search each` : `${chunks} chunk(s) of ${chunkSize} executions`;
}

/** One line on stderr every couple of seconds: chunks folded, workers seen, each one's rate. */
function progressLine(): (stats: WorkerStats, folded: number, chunks: number) => void {
  let lastMs = performance.now();
  return (stats, folded, chunks) => {
    const nowMs = performance.now();
    if (nowMs - lastMs < PROGRESS_EVERY_MS && folded < chunks) return;
    lastMs = nowMs;
    say(`vmmsim explore: chunk ${folded}/${chunks}; ${stats.line()}`);
  };
}

/** A line on stderr; on a terminal it first clears the progress bar's line (the bar redraws below). */
function say(line: string): void {
  process.stderr.write(`${stderrRedraws() ? '\r\x1b[2K' : ''}${line}\n`);
}
