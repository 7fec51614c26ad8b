/**
 * Coalescing: identical work in flight at the same moment (an upstream GET, a GraphQL query's
 * execution) is done once, whatever requests ask for it. Every waiter gets the result or the error.
 * A waiter that goes away (client disconnect) stops waiting; the shared work is cancelled only
 * when no waiter is left. An optional micro-cache serves identical answers a little longer.
 */
import { LRUCache } from 'lru-cache';
import { CancelledError } from '../errors.js';

interface InFlight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

export interface CoalescerOptions<T> {
  /** Serve a successful answer this long after it arrived; 0 turns the cache off. */
  cacheTtlMs: number;
  /**
   * How long this answer may be served from the cache, at most `cacheTtlMs`; 0 or less keeps it
   * out. By default every answer is cached for `cacheTtlMs`.
   */
  cacheTtlOf?: (value: T) => number;
  /** Bounds the cache by size as well as by count: at most `max` units of `of(value)` in all. */
  cacheSize?: { max: number; of: (value: T) => number };
  /** Told when a waiter joins a request already in flight. */
  onJoin?: (key: string) => void;
  /** Told when the cache answers. */
  onCacheHit?: (key: string) => void;
}

export class Coalescer<T> {
  readonly #inFlight = new Map<string, InFlight<T>>();
  // Values are boxed: LRUCache takes objects only, and answers may be any shape.
  readonly #cache: LRUCache<string, { value: T }> | null;
  readonly #options: CoalescerOptions<T>;

  constructor(options: CoalescerOptions<T>) {
    this.#options = options;
    const size = options.cacheSize;
    this.#cache =
      options.cacheTtlMs > 0
        ? new LRUCache<string, { value: T }>({
            max: 1000,
            ttl: options.cacheTtlMs,
            // An answer larger than the whole bound is not cached at all.
            ...(size ? { maxSize: size.max, sizeCalculation: ({ value }) => Math.max(1, size.of(value)) } : {}),
          })
        : null;
  }

  /**
   * The answer for `key` if one is at hand: from the cache or from an identical request in flight;
   * undefined when `key` would need new work. Rejects with a CancelledError when this waiter's own
   * `signal` aborts first.
   */
  join(key: string, signal: AbortSignal | undefined): Promise<T> | undefined {
    const cached = this.#cache?.get(key);
    if (cached !== undefined) {
      this.#options.onCacheHit?.(key);
      return Promise.resolve(cached.value);
    }
    const entry = this.#inFlight.get(key);
    if (!entry) return undefined;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    this.#options.onJoin?.(key);
    return this.#wait(entry, signal);
  }

  /**
   * The answer for `key`: from the cache, from an identical request in flight, or from `start`,
   * which receives a signal that aborts when every waiter has gone. `shared` says the answer came
   * from the cache or another caller's request. The result rejects with a CancelledError when this
   * waiter's own `signal` aborts first.
   */
  run(
    key: string,
    signal: AbortSignal | undefined,
    start: (signal: AbortSignal) => Promise<T>,
  ): { result: Promise<T>; shared: boolean } {
    const joined = this.join(key, signal);
    if (joined) return { result: joined, shared: true };
    if (signal?.aborted) return { result: Promise.reject(new CancelledError()), shared: false };

    const controller = new AbortController();
    const promise = start(controller.signal);
    const entry: InFlight<T> = { promise, controller, waiters: 0 };
    this.#inFlight.set(key, entry);
    promise.then(
      (value) => {
        this.#store(key, value);
        this.#settle(key, entry);
      },
      () => this.#settle(key, entry),
    );
    return { result: this.#wait(entry, signal), shared: false };
  }

  #wait(flight: InFlight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiters += 1;
    if (!signal) return flight.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        flight.waiters -= 1;
        if (flight.waiters === 0) flight.controller.abort();
        reject(new CancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Until when (epoch milliseconds) the cached answer for `key` may still be served, or undefined
   * when none is cached. Lets a caller that got its answer from the cache know how old it is.
   */
  cachedUntil(key: string): number | undefined {
    const remaining = this.#cache?.getRemainingTTL(key) ?? 0;
    return remaining > 0 ? Date.now() + remaining : undefined;
  }

  /** Requests in flight now (for tests and metrics). */
  get size(): number {
    return this.#inFlight.size;
  }

  #store(key: string, value: T): void {
    if (!this.#cache) return;
    const { cacheTtlMs, cacheTtlOf } = this.#options;
    const ttl = Math.floor(Math.min(cacheTtlMs, cacheTtlOf ? cacheTtlOf(value) : cacheTtlMs));
    if (ttl >= 1) this.#cache.set(key, { value }, { ttl });
  }

  #settle(key: string, entry: InFlight<T>): void {
    if (this.#inFlight.get(key) === entry) this.#inFlight.delete(key);
  }
}
