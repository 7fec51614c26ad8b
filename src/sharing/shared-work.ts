/**
 * The one place work is shared between requests. Three kinds of work use it, each under keys of
 * its own kind (the first word of the key):
 * - `upstream`: identical LlamaCloud GETs in flight are one call (upstream/client.ts);
 * - `execution`: identical GraphQL queries in flight execute once (shared-execution.ts);
 * - `response`: identical HTTP requests get copies of one response (response-sharing.ts).
 *
 * One table of work in flight, each with one abort controller: every waiter gets the result or
 * the error, a waiter that goes away (its client disconnected) stops waiting, and the work is
 * cancelled only when no waiter is left. And one store of kept results (the micro-cache,
 * UPSTREAM_CACHE_TTL_MS), with one bound in bytes across all kinds, where each result is kept
 * only until the upstream answers it was made from expire: that freshness is the only one.
 */
import { trace, type Context, type SpanContext } from '@opentelemetry/api';
import { LRUCache } from 'lru-cache';
import { CancelledError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { traceJoin } from '../observability/tracing.js';

/** The kinds of shared work; every key starts with one and a space. */
export type WorkKind = 'upstream' | 'execution' | 'response';

/** How long and at what size a finished result may be kept; null keeps it out. */
export interface Keep {
  /** Epoch milliseconds until which the result may be served. */
  until: number;
  /** Its size, about in bytes (a JSON text's length). */
  bytes: number;
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
  /** False while others may not join yet (a response not yet known to be shareable). */
  joinable: boolean;
  /** The span under which the work runs (tracing on): joiners link to it. */
  origin: SpanContext | undefined;
}

export interface SharedWorkOptions {
  /** Most bytes the kept results hold, all kinds together; 0 keeps nothing. */
  maxKeptBytes: number;
  /** Told when a waiter joins work in flight. */
  onJoin?: (kind: WorkKind, key: string) => void;
  /** Told when a kept result answers. */
  onKeptHit?: (kind: WorkKind, key: string) => void;
}

/** Results larger than this share of the bound are never kept: one must not evict all others. */
const LARGEST_SHARE = 0.25;

export class SharedWork {
  readonly #inFlight = new Map<string, Flight>();
  // Values are boxed: LRUCache takes objects only, and results may be any shape.
  readonly #kept: LRUCache<string, { value: unknown; until: number }> | null;
  readonly #options: SharedWorkOptions;

  constructor(options: SharedWorkOptions) {
    this.#options = options;
    this.#kept =
      options.maxKeptBytes > 0
        ? new LRUCache({ maxSize: options.maxKeptBytes, ttlAutopurge: false, allowStale: false })
        : null;
  }

  /** The kind of work a key names. */
  static kindOf(key: string): WorkKind {
    return key.slice(0, key.indexOf(' ')) as WorkKind;
  }

  /**
   * The result for `key` if one is at hand: kept, or from joinable work in flight; undefined when
   * `key` would need new work. Rejects with a CancelledError when this waiter's `signal` aborts.
   */
  join<T>(key: string, signal: AbortSignal | undefined, traced?: Context): Promise<T> | undefined {
    const kept = this.kept(key);
    if (kept !== undefined) {
      this.#options.onKeptHit?.(SharedWork.kindOf(key), key);
      return Promise.resolve(kept as T);
    }
    const flight = this.#inFlight.get(key);
    if (!flight?.joinable) return undefined;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const kind = SharedWork.kindOf(key);
    this.#options.onJoin?.(kind, key);
    const waited = this.#wait(flight, signal) as Promise<T>;
    if (flight.origin) traceJoin(kind, flight.origin, waited, traced);
    return waited;
  }

  /**
   * The result for `key`: kept, from identical work in flight, or from `start`, which receives a
   * signal that aborts when every waiter has gone. `shared` says it came from elsewhere. `keep`
   * says how long the finished result may be kept (by default it is not). With `joinable: false`
   * nobody joins until `open(key)`.
   */
  run<T>(
    key: string,
    signal: AbortSignal | undefined,
    start: (signal: AbortSignal) => Promise<T>,
    options: {
      keep?: (value: T) => Keep | null;
      joinable?: boolean;
      /** The trace the work belongs to (tracing on), when it is not the active one. */
      traced?: Context;
    } = {},
  ): { result: Promise<T>; shared: boolean } {
    const joined = this.join<T>(key, signal, options.traced);
    if (joined) return { result: joined, shared: true };
    if (signal?.aborted) return { result: Promise.reject(new CancelledError()), shared: false };

    const controller = new AbortController();
    const promise = start(controller.signal);
    const flight: Flight = {
      promise,
      controller,
      waiters: 0,
      joinable: options.joinable ?? true,
      origin: (options.traced ? trace.getSpan(options.traced) : trace.getActiveSpan())?.spanContext(),
    };
    this.#inFlight.set(key, flight);
    promise.then(
      (value) => {
        this.#settle(key, flight);
        const keep = options.keep?.(value);
        if (keep) this.keep(key, value, keep);
      },
      () => this.#settle(key, flight),
    );
    return { result: this.#wait(flight, signal) as Promise<T>, shared: false };
  }

  /** Whether work for `key` is in flight, and whether others may join it. */
  stateOf(key: string): 'joinable' | 'closed' | undefined {
    const flight = this.#inFlight.get(key);
    return flight ? (flight.joinable ? 'joinable' : 'closed') : undefined;
  }

  /** Lets others join the work in flight for `key` (see `run`'s `joinable`). */
  open(key: string): void {
    const flight = this.#inFlight.get(key);
    if (flight) flight.joinable = true;
  }

  /** Waiters of the work in flight for `key` besides its first; 0 when none is in flight. */
  joiners(key: string): number {
    return Math.max(0, (this.#inFlight.get(key)?.waiters ?? 1) - 1);
  }

  /** Stops others from joining the work for `key` from now on (its answer is being sent). */
  close(key: string): void {
    const flight = this.#inFlight.get(key);
    if (flight) flight.joinable = false;
  }

  /** Keeps a finished result until `keep.until`, unless it is too large or already stale. */
  keep(key: string, value: unknown, keep: Keep): void {
    const ttl = Math.floor(keep.until - Date.now());
    if (!this.#kept || ttl < 1 || keep.bytes > this.#options.maxKeptBytes * LARGEST_SHARE) return;
    this.#kept.set(key, { value, until: keep.until }, { ttl, size: Math.max(1, keep.bytes) });
  }

  /** The kept result for `key`, if it is still fresh (not counted as a hit: `join` counts). */
  kept(key: string): unknown {
    return this.#kept?.get(key)?.value;
  }

  /** Counts a kept result used without `join` (response sharing, after the request's own checks). */
  countKeptHit(key: string): void {
    this.#options.onKeptHit?.(SharedWork.kindOf(key), key);
  }

  /** Until when (epoch milliseconds) the kept result for `key` may be served; undefined when none is. */
  keptUntil(key: string): number | undefined {
    const until = this.#kept?.peek(key)?.until;
    return until !== undefined && until > Date.now() ? until : undefined;
  }

  /** Drops every kept result, of every kind (a job changed: any of them may show it as it was). */
  forgetKept(): void {
    this.#kept?.clear();
  }

  /** Work in flight now (for tests). */
  get size(): number {
    return this.#inFlight.size;
  }

  #wait(flight: Flight, signal: AbortSignal | undefined): Promise<unknown> {
    flight.waiters += 1;
    if (!signal) return flight.promise;
    return new Promise((resolve, reject) => {
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

  #settle(key: string, flight: Flight): void {
    if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key);
  }
}

/** What a client built alone keeps with the micro-cache on (the app passes UPSTREAM_CACHE_MAX_BYTES). */
const DEFAULT_KEPT_BYTES = 32 * 1024 * 1024;

/**
 * Shared work that counts itself in the gateway's metrics: joined upstream calls and answers
 * from the micro-cache by route, and executions and responses shared.
 */
export function countedSharedWork(
  metrics: GatewayMetrics | undefined,
  keepResults: boolean,
  maxKeptBytes = DEFAULT_KEPT_BYTES,
): SharedWork {
  const route = (key: string) => key.split(' ', 2)[1] ?? '';
  return new SharedWork({
    maxKeptBytes: keepResults ? maxKeptBytes : 0,
    onJoin: (kind, key) => {
      if (kind === 'upstream') metrics?.coalescedWaiters.inc({ route: route(key) });
      else metrics?.sharedExecutions.inc();
    },
    onKeptHit: (kind, key) => {
      if (kind === 'upstream') metrics?.cacheHits.inc({ route: route(key) });
      else metrics?.sharedExecutions.inc();
    },
  });
}
