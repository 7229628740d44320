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
