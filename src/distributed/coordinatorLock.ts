/**
 * One coordinator per campaign. Two coordinators folding the same campaign would each write the
 * checkpoint and remove chunks the other still waits for; so a coordinator first takes the
 * campaign's lock, a Redis key holding its token ("host:pid:nonce") with a TTL it renews while
 * it lives. A second `explore --queue` for the same campaign is refused (CampaignBusyError,
 * exit 2) and touches nothing.
 *
 *   key "vmmsim:campaign:<name>:coordinator" = token, PX LOCK_TTL_MS, renewed every TTL/3
 *
 * A coordinator that dies without releasing it: on the same host, a holder whose process no
 * longer exists is taken over at once (a restart after a crash or a kill resumes at once);
 * elsewhere the lock expires after the TTL. A coordinator that was only frozen (SIGSTOP, a
 * suspended laptop) past the TTL may find its campaign taken over: every checkpoint write is
 * fenced by the token (one Lua script checks and writes), so it cannot overwrite the new
 * coordinator's fold; it stops with CampaignLockLostError (exit 3) instead.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { nanoid } from 'nanoid';
import type { Checkpoint } from './checkpoint.js';
import { isConnectionLost, oneLine } from './connection.js';
import { CampaignBusyError, CampaignLockLostError, QueueLostError } from './errors.js';
import { checkpointKey, coordinatorKey, KEEP_CAMPAIGN_S, stoppedKey } from './protocol.js';
import { redisOptions, type QueueUrl } from './queueUrl.js';

export const LOCK_TTL_MS = 15_000;

/** Sets the lock if free, or if it still holds `expected` (a dead holder's token). 1 = taken. */
const TAKE = `
local held = redis.call('GET', KEYS[1])
if held == false or held == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return held`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/**
 * KEYS: lock, checkpoint, stopped. ARGV: token, checkpoint JSON, done ('1'/'0'), seconds to keep
 * it. An unfinished campaign's checkpoint expires too, that long after its last progress: one
 * abandoned (a failed or interrupted coordinator never run again) stayed in Redis for ever, up
 * to ~20 KB each (an outside audit), in a Redis many runs share.
 */
const WRITE_CHECKPOINT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[4])
if ARGV[3] == '1' then redis.call('SET', KEYS[3], '1', 'EX', ARGV[4]) end
return 1`;

export interface LockOptions {
  ttlMs?: number;
  /** Whether a process of this host is alive (tests replace it). */
  alive?: (pid: number) => boolean;
}

export class CoordinatorLock {
  private readonly redis: Redis;
  private readonly token = `${hostname()}:${process.pid}:${nanoid(8)}`;
  private readonly ttlMs: number;
  private renewTimer: NodeJS.Timeout | null = null;
  private lostTo: string | null = null;

  private constructor(url: QueueUrl, private readonly campaign: string, options: LockOptions) {
    this.ttlMs = options.ttlMs ?? LOCK_TTL_MS;
    this.redis = new Redis(redisOptions(url));
    // Errors surface on the commands (and the queue client notices a lost connection itself).
    this.redis.on('error', () => undefined);
  }

  /** Takes the campaign's lock or throws CampaignBusyError naming the live holder. */
  static async take(url: QueueUrl, campaign: string, options: LockOptions = {}): Promise<CoordinatorLock> {
    const lock = new CoordinatorLock(url, campaign, options);
    try {
      await lock.acquire(options.alive ?? processAlive);
    } catch (error) {
      lock.redis.disconnect();
      throw error;
    }
    return lock;
  }

  private async acquire(alive: (pid: number) => boolean): Promise<void> {
    const key = coordinatorKey(this.campaign);
    let held = await this.command(() => this.redis.eval(TAKE, 1, key, this.token, this.ttlMs, ''));
    if (held !== 1 && typeof held === 'string' && deadOnThisHost(held, alive)) {
      held = await this.command(() => this.redis.eval(TAKE, 1, key, this.token, this.ttlMs, held as string));
    }
    if (held !== 1) {
      throw new CampaignBusyError(`campaign ${this.campaign} is being run by another coordinator (${holderOf(String(held))}); `
        + `wait for it to end, or pick another --campaign name (a coordinator that died elsewhere frees it within ${Math.round(this.ttlMs / 1000)} s)`);
    }
    this.renewTimer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.ttlMs / 3)));
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    try {
      const renewed = await this.redis.eval(RENEW, 1, coordinatorKey(this.campaign), this.token, this.ttlMs);
      if (renewed === 0) this.lostTo ??= 'its lock expired';
    } catch {
      // A lost connection ends the run through the queue client; a write would fail here too.
    }
  }

  /** Throws CampaignLockLostError if another coordinator took the campaign over. */
  check(): void {
    if (this.lostTo !== null) throw this.lostError();
  }

  /** The checkpoint, written only while this coordinator still holds the lock. */
  async writeCheckpoint(checkpoint: Checkpoint): Promise<void> {
    this.check();
    const c = this.campaign;
    const written = await this.command(() => this.redis.eval(WRITE_CHECKPOINT, 3, coordinatorKey(c), checkpointKey(c), stoppedKey(c),
      this.token, JSON.stringify(checkpoint), checkpoint.status === 'done' ? '1' : '0', KEEP_CAMPAIGN_S));
    if (written !== 1) {
      this.lostTo ??= 'its lock expired';
      throw this.lostError();
    }
  }

  async release(): Promise<void> {
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    try {
      await this.redis.eval(RELEASE, 1, coordinatorKey(this.campaign), this.token);
      await this.redis.quit();
    } catch {
      // Gone with the connection: the TTL frees it.
      this.redis.disconnect();
    }
  }

  private lostError(): CampaignLockLostError {
    return new CampaignLockLostError(`campaign ${this.campaign}: this coordinator lost its lock (${this.lostTo ?? 'taken over'}; was it paused longer than ${Math.round(this.ttlMs / 1000)} s?) and another may run the campaign now; stopped without writing`);
  }

  private async command<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isConnectionLost(error)) throw new QueueLostError(`lost the connection to Redis: ${oneLine(error)}`);
      throw error;
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A token "host:pid:nonce" of this host whose process is gone. */
function deadOnThisHost(token: string, alive: (pid: number) => boolean): boolean {
  const [host, pidText] = token.split(':');
  const pid = Number(pidText);
  return host === hostname() && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
}

function holderOf(token: string): string {
  const [host, pid] = token.split(':');
  return `process ${pid ?? '?'} on ${host ?? '?'}`;
}
