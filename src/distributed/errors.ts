/**
 * The ways a queued run fails, recognised by the CLI (src/distributed/options.ts) without
 * loading BullMQ: bad input (exit 2) or a runtime failure (exit 3).
 */

/** Redis could not be reached (or is too old) when the command started: bad input. */
export class QueueUnreachableError extends Error {
  override readonly name = 'QueueUnreachableError';
}

/** The connection to Redis dropped during a run and did not come back in time. */
export class QueueLostError extends Error {
  override readonly name = 'QueueLostError';
}

/** A campaign name that Redis holds for another spec, or a strategy that cannot be queued. */
export class CampaignMismatchError extends Error {
  override readonly name = 'CampaignMismatchError';
}

/** A chunk or run that failed on every attempt (the worker's reason is in the message). */
export class ChunkFailedError extends Error {
  override readonly name = 'ChunkFailedError';
}

/** Another live coordinator holds the campaign's lock: refused before any work (exit 2). */
export class CampaignBusyError extends Error {
  override readonly name = 'CampaignBusyError';
}

/** This coordinator's lock was taken over (it was paused past the TTL): stopped without writing (exit 3). */
export class CampaignLockLostError extends Error {
  override readonly name = 'CampaignLockLostError';
}
