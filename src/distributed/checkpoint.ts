/**
 * The coordinator's checkpoint in Redis: how far the fold has come (the next chunk to fold) and
 * the fold itself (the campaign accumulator's state). It is written (by the coordinator's lock,
 * coordinatorLock.ts, so that only the campaign's live coordinator writes it) after every chunk folded,
 * before that chunk's job is removed, so a coordinator restarted with the same campaign name
 * resumes exactly where the last one stopped: a chunk below nextChunk is never folded again,
 * and a chunk at or above it is still in Redis (or is enqueued again: results are
 * deterministic, so a recomputed chunk is the same chunk).
 */
import { createHash } from 'node:crypto';
import { buildId } from '../shared/packageInfo.js';
import type { IRedisClient } from 'bullmq';
import { CampaignAccumulator, type AccumulatorState } from '../explore/campaign.js';
import type { DfsWorkloadOutcome } from '../explore/dfsWorkloads.js';
import type { CampaignSpec } from '../explore/spec.js';
import { checkpointKey, stoppedKey } from './protocol.js';
import type { ScenarioFile } from './scenarioFile.js';

export type RedisClient = IRedisClient;

export interface Checkpoint {
  /** The spec (and the scenario file's hash) this campaign runs: a restart must match it. */
  specDigest: string;
  chunkSize: number;
  chunks: number;
  nextChunk: number;
  status: 'running' | 'done';
  acc: AccumulatorState;
  /** dfs over N workloads (one chunk per workload): the searches folded so far, in workload order. */
  dfsOutcomes?: DfsWorkloadOutcome[];
}

/** What a campaign's results depend on: its spec, its scenario file's bytes, and the vmmsim build that computes them. */
export function specDigest(spec: CampaignSpec, file: ScenarioFile | null): string {
  return createHash('sha256').update(JSON.stringify({ spec, scenarioSha256: file?.sha256 ?? null, build: buildId() })).digest('hex');
}

export function freshCheckpoint(digest: string, spec: CampaignSpec, chunkSize: number): Checkpoint {
  return { specDigest: digest, chunkSize, chunks: Math.ceil(spec.iterations / chunkSize), nextChunk: 0, status: 'running', acc: saveAccumulator(new CampaignAccumulator(spec.keepGoing)) };
}

/** dfs over `workloads` workloads: one chunk per workload's search. */
export function freshDfsCheckpoint(digest: string, spec: CampaignSpec, workloads: number): Checkpoint {
  return { ...freshCheckpoint(digest, spec, 1), chunks: workloads, dfsOutcomes: [] };
}

export async function loadCheckpoint(client: RedisClient, campaign: string): Promise<Checkpoint | null> {
  const text = await client.get(checkpointKey(campaign));
  return text === null ? null : (JSON.parse(text) as Checkpoint);
}

export async function campaignStopped(client: RedisClient, campaign: string): Promise<boolean> {
  return (await client.get(stoppedKey(campaign))) !== null;
}

export function saveAccumulator(acc: CampaignAccumulator): AccumulatorState {
  return acc.save();
}

export function restoreAccumulator(state: AccumulatorState, keepGoing: boolean): CampaignAccumulator {
  return CampaignAccumulator.restore(state, keepGoing);
}
