/**
 * One poller per watched job in the whole fleet (REDIS_URL): a replica with subscribers of a job
 * polls it only while it holds the job's lease in Redis, renewed at each poll and lasting two
 * intervals, so when the holder dies another replica with subscribers takes over within two
 * intervals. What a poll finds is published once on a channel; every replica tells its own
 * subscribers, and the last event is kept for a replica whose first subscriber just arrived. A
 * holder whose subscribers have all gone gives the lease up; when no replica watches a job, nobody
 * polls it. While Redis is away every replica polls its own watched jobs, as without Redis.
 */
import { GatewayError, type ErrorCode, type GatewayErrorDetails } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { JobEvent, PollCoordinator } from '../sharing/live-jobs.js';
import type { BatchJobModel } from '../upstream/wire.js';
import type { SharedRedis } from './redis.js';

/** A job event as it travels between replicas: plain JSON. */
type WireEvent =
  | { id: string; job: BatchJobModel }
  | { id: string; error: { code: ErrorCode; message: string; details: GatewayErrorDetails } };

// Takes the lease when free, or renews it when already ours; 1 when this replica holds it.
const ACQUIRE = `local holder = redis.call('get', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

export function fleetPolling(redis: SharedRedis, intervalMs: number, logger: Logger): PollCoordinator {
  const replica = redis.owner;
  const channel = `${redis.prefix}job-events`;
  const leaseKey = (id: string) => `${redis.prefix}poll-lease:${id}`;
  const lastKey = (id: string) => `${redis.prefix}job-last:${id}`;
  const leaseMs = 2 * intervalMs;
  const listeners: Array<(id: string, event: JobEvent) => void> = [];

  redis
    .listen(channel, (message) => {
      const event = decode(message);
      if (event && event.from !== replica) for (const listener of listeners) listener(event.id, event.event);
    })
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'could not subscribe to shared job events; live polling stays per replica');
    });
  return {
    async mayPoll(id) {
      if (!redis.up) return true;
      try {
        return (await redis.client.eval(ACQUIRE, 1, leaseKey(id), replica, leaseMs)) === 1;
      } catch {
        redis.fellBack('livePolling');
        return true;
      }
    },
    release(id) {
      if (redis.up) redis.releaseIfHeld(leaseKey(id)).catch(() => undefined);
    },
    publish(id, event) {
      if (!redis.up) return;
      const message = encode(replica, id, event);
      // Kept a while for replicas whose first subscriber arrives between two changes.
      redis.client
        .multi()
        .set(lastKey(id), message, 'PX', Math.max(60_000, 10 * intervalMs))
        .publish(channel, message)
        .exec()
        .catch(() => redis.fellBack('livePolling'));
    },
    async last(id) {
      if (!redis.up) return null;
      try {
        const message = await redis.client.get(lastKey(id));
        return message === null ? null : (decode(message)?.event ?? null);
      } catch {
        return null;
      }
    },
    onEvent(listener) {
      listeners.push(listener);
    },
  };
}

function encode(from: string, id: string, event: JobEvent): string {
  const wire: WireEvent & { from: string } =
    'job' in event
      ? { from, id, job: event.job }
      : { from, id, error: { code: event.error.code, message: event.error.message, details: event.error.details } };
  return JSON.stringify(wire);
}

function decode(message: string): { from: string; id: string; event: JobEvent } | null {
  try {
    const wire = JSON.parse(message) as WireEvent & { from: string };
    if ('job' in wire) return { from: wire.from, id: wire.id, event: { job: wire.job } };
    const { code, message: text, details } = wire.error;
    return { from: wire.from, id: wire.id, event: { error: new GatewayError(code, text, details) } };
  } catch {
    return null;
  }
}
