/**
 * Per-client rate limiting: a token bucket per client (JWT subject, else IP address) that holds
 * RATE_LIMIT_PER_MINUTE tokens and refills continuously. Written here rather than taken from a
 * library because it is a dozen lines of arithmetic; the buckets live in a bounded LRU, so a flood
 * of distinct clients cannot grow memory.
 */
import { LRUCache } from 'lru-cache';

/** Takes one request from a client's allowance: 0 when allowed, else the seconds until one is. */
export interface RateLimiter {
  take(client: string): number | Promise<number>;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class TokenBucketLimiter implements RateLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #buckets = new LRUCache<string, Bucket>({ max: 100_000 });
  readonly #now: () => number;

  constructor(perMinute: number, now: () => number = () => performance.now()) {
    this.#capacity = perMinute;
    this.#perMs = perMinute / 60_000;
    this.#now = now;
  }

  /** Takes one token for `client`. Returns 0 when allowed, else the seconds until a token is due. */
  take(client: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.#capacity, updated: now };
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.updated) * this.#perMs);
    bucket.updated = now;
    this.#buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }
}
