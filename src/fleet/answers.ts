/**
 * The micro-cache shared by the fleet (REDIS_URL with UPSTREAM_CACHE_TTL_MS): LlamaCloud's answers
 * to GETs, as it sent them, under a key of their own TTL in Redis, so an answer fetched by one
 * replica is served by the others until it expires and never past it. A replica that misses takes
 * a short lock for that request; the others wait for its answer (within their deadline) instead of
 * calling LlamaCloud too. If the holder dies, its lock expires and another replica calls.
 *
 * Keys hold a digest of the request (route, path and query) and of the account, never the API key.
 * Any Redis failure is a miss: the replica calls LlamaCloud itself.
 */
import { createHash } from 'node:crypto';
import type { CancelSignal } from '../cancellation.js';
import type { SharedRedis } from './redis.js';

/** How often a replica waiting for another's answer looks for it. */
const POLL_MS = 20;

export interface SharedAnswer {
  /** The upstream's body, as it sent it. */
  text: string;
  /** Epoch milliseconds after which it may not be served. */
  until: number;
}

export interface SharedAnswers {
  /**
   * The answer for `request` from the fleet: one cached, or one the replica holding the lock
   * fetched while this one waited. Null when this replica should call LlamaCloud itself (it then
   * holds the lock, or Redis could not help); `release` must follow that call.
   */
  find(request: string, deadline: number, signal?: CancelSignal): Promise<SharedAnswer | null>;
  /** Stores this replica's answer for the others, for `ttlMs`, and releases the lock. */
  store(request: string, text: string, ttlMs: number): void;
  /** Releases the lock without an answer (the call failed): a waiting replica calls itself. */
  release(request: string): void;
}

export function sharedAnswers(redis: SharedRedis, account: string, lockMs: number): SharedAnswers {
  const accountDigest = createHash('sha256').update(`llamacloud-gateway account ${account}`).digest('hex').slice(0, 16);
  const digest = (request: string) => createHash('sha256').update(request).digest('hex');
  const answerKey = (d: string) => `${redis.prefix}answer:${accountDigest}:${d}`;
  const lockKey = (d: string) => `${redis.prefix}lock:${accountDigest}:${d}`;
  // The requests this replica holds the lock of (it is fetching them for the fleet).
  const held = new Set<string>();

  const read = async (d: string): Promise<SharedAnswer | null> => {
    const [value, ttl] = await Promise.all([redis.client.getBuffer(answerKey(d)), redis.client.pttl(answerKey(d))]);
    if (value === null || ttl <= 0) return null;
    return { text: value.toString('utf8'), until: Date.now() + ttl };
  };

  return {
    async find(request, deadline, signal) {
      if (!redis.up) return null;
      const d = digest(request);
      try {
        for (;;) {
          const cached = await read(d);
          if (cached) return cached;
          const locked = await redis.client.set(lockKey(d), redis.owner, 'PX', lockMs, 'NX');
          if (locked === 'OK') {
            held.add(request);
            return null;
          }
          // Another replica is fetching it: wait for its answer while its lock stands.
          for (;;) {
            if (signal?.aborted || Date.now() + POLL_MS >= deadline) return null;
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
            const answer = await read(d);
            if (answer) return answer;
            if ((await redis.client.exists(lockKey(d))) === 0) break;
          }
          // The holder let go without an answer (it failed, or died and its lock expired): try
          // for the lock ourselves.
        }
      } catch {
        redis.fellBack('cache');
        return null;
      }
    },
    store(request, text, ttlMs) {
      const d = digest(request);
      const mine = held.delete(request);
      const ttl = Math.floor(ttlMs);
      const write = ttl >= 1 ? redis.client.set(answerKey(d), text, 'PX', ttl) : Promise.resolve(null);
      write.then(() => (mine ? redis.releaseIfHeld(lockKey(d)) : undefined)).catch(() => redis.fellBack('cache'));
    },
    release(request) {
      if (held.delete(request)) redis.releaseIfHeld(lockKey(digest(request))).catch(() => redis.fellBack('cache'));
    },
  };
}
