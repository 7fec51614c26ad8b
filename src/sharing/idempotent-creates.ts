/**
 * Idempotent creates: `createBatchJob(idempotencyKey:)` makes a client's retry safe. The first
 * request with a key claims it and POSTs; its result is kept for 24 hours, and the same key from
 * the same caller gets that result again without a second POST. A retry that arrives while the
 * first is still waiting for LlamaCloud waits for it. A key reused with a different input is
 * refused: it would otherwise return a job the caller did not ask for.
 *
 * Kept in Redis when REDIS_URL is set, so a retry that lands on another replica is caught too;
 * in memory otherwise (and while Redis cannot be reached, counted as a fallback). A failed POST
 * gives its key back, so the client's retry tries again.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SharedRedis } from '../fleet/redis.js';

/** How long a key holds its first result. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Keys remembered in memory at most (each a few hundred bytes). */
const MEMORY_KEYS = 10_000;

export type Claim =
  { state: 'claimed' } | { state: 'done'; digest: string; result: string } | { state: 'pending'; digest: string };

export interface IdempotencyStore {
  /** Claims `key` for a new create with input `digest`, or says what the key already holds. */
  claim(key: string, digest: string): Promise<Claim>;
  /** Keeps the create's result (JSON) under `key`. */
  complete(key: string, digest: string, result: string): Promise<void>;
  /** Gives `key` back after a failed create. */
  release(key: string): Promise<void>;
}

interface Entry {
  digest: string;
  result?: string;
}

/** What a key that is already held says: its first result, or that it is still being made. */
function heldClaim(entry: Entry): Claim {
  return entry.result === undefined
    ? { state: 'pending', digest: entry.digest }
    : { state: 'done', digest: entry.digest, result: entry.result };
}

export function memoryIdempotency(): IdempotencyStore {
  const entries = new LRUCache<string, Entry>({ max: MEMORY_KEYS, ttl: IDEMPOTENCY_TTL_MS });
  return {
    claim(key, digest) {
      const entry = entries.get(key);
      if (!entry) {
        entries.set(key, { digest });
        return Promise.resolve({ state: 'claimed' });
      }
      return Promise.resolve(heldClaim(entry));
    },
    complete(key, digest, result) {
      entries.set(key, { digest, result });
      return Promise.resolve();
    },
    release(key) {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}

/** The store in Redis, falling back to memory while Redis cannot answer. */
export function redisIdempotency(redis: SharedRedis): IdempotencyStore {
  const local = memoryIdempotency();
  // Keys hold a digest of the caller and idempotency key, never the key as sent.
  const keyOf = (key: string) => `${redis.prefix}idempotency:${createHash('sha256').update(key).digest('hex')}`;
  const fallBack = <T>(work: () => Promise<T>, otherwise: () => Promise<T>): Promise<T> =>
    redis.up
      ? work().catch(() => {
          redis.fellBack('idempotency');
          return otherwise();
        })
      : otherwise();
  const claim = async (key: string, digest: string): Promise<Claim> => {
    // A key can vanish between the two commands (expired, or given back): then claim it again.
    for (;;) {
      const claimed = await redis.client.set(keyOf(key), JSON.stringify({ digest }), 'PX', IDEMPOTENCY_TTL_MS, 'NX');
      if (claimed === 'OK') return { state: 'claimed' };
      const held = await redis.client.get(keyOf(key));
      if (held !== null) return heldClaim(JSON.parse(held) as Entry);
    }
  };
  return {
    claim: (key, digest) =>
      fallBack(
        () => claim(key, digest),
        () => local.claim(key, digest),
      ),
    complete: (key, digest, result) =>
      fallBack(
        async () => {
          await redis.client.set(keyOf(key), JSON.stringify({ digest, result }), 'PX', IDEMPOTENCY_TTL_MS);
        },
        () => local.complete(key, digest, result),
      ),
    release: (key) =>
      fallBack(
        async () => {
          await redis.client.del(keyOf(key));
        },
        () => local.release(key),
      ),
  };
}
