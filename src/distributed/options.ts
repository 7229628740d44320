/**
 * The command-line face of the queue: option parsers (a malformed value is commander's one-line
 * error, exit 2) and how a queue failure ends a command: unreachable at the start is bad input
 * (exit 2); lost mid-run, or a chunk no worker could run, is a runtime failure (exit 3).
 */
import { InvalidArgumentError } from 'commander';
import { CampaignBusyError, CampaignLockLostError, CampaignMismatchError, ChunkFailedError, QueueLostError, QueueUnreachableError } from './errors.js';
import { NAME_PATTERN } from './protocol.js';
import { parseQueueUrl, QueueUrlError, type QueueUrl } from './queueUrl.js';

export function queueUrlOption(value: string): QueueUrl {
  try {
    return parseQueueUrl(value);
  } catch (error) {
    if (error instanceof QueueUrlError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export function campaignNameOption(value: string): string {
  if (!NAME_PATTERN.test(value)) throw new InvalidArgumentError(`--campaign must be 1 to 64 letters, digits, '.', '_' or '-', got '${value}'`);
  return value;
}

const USAGE = 2;
const RUNTIME = 3;

/** The exit code and one-line message for a queue failure; null for any other error. */
export function queueFailure(error: unknown): { code: number; message: string } | null {
  if (error instanceof QueueUnreachableError || error instanceof CampaignMismatchError || error instanceof CampaignBusyError) return { code: USAGE, message: error.message };
  if (error instanceof QueueLostError || error instanceof ChunkFailedError || error instanceof CampaignLockLostError) return { code: RUNTIME, message: error.message };
  return null;
}

const QUEUE_FLAGS = ['--queue', '--campaign', '--chunk'];

/**
 * The command line without the queue's flags: the local command that computes the same
 * campaign (what a trace records as its origin; it also keeps a Redis password out of files).
 */
export function withoutQueueFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (QUEUE_FLAGS.includes(arg)) i++;
    else if (!QUEUE_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) out.push(arg);
  }
  return out;
}
