/**
 * The one place work is shared between requests. Two kinds of work use it, each under keys of
 * its own kind (the first word of the key):
 * - `upstream`: identical LlamaCloud GETs in flight are one call (upstream/shared-gets.ts);
 * - `execution`: identical GraphQL queries in flight execute once, and every request of the crowd
 *   gets the one result and its one serialisation (shared-execution.ts).
 *
 * One table of work in flight, each with one cancellation: every waiter gets the result or
 * the error, a waiter that goes away (its client disconnected) stops waiting, and the work is
 * cancelled only when no waiter is left. Work may be led before it starts (`lead`): a GraphQL
 * request claims its key as soon as its parameters are read and only later learns whether it
 * executes a query others may share. And one store of kept results (the micro-cache,
 * UPSTREAM_CACHE_TTL_MS), with one bound in bytes across both kinds, where each result is kept
 * only until the upstream answers it was made from expire: that freshness is the only one.
 */
import { trace, type Context, type SpanContext } from '@opentelemetry/api';
import { LRUCache } from 'lru-cache';
import { Cancellation, type CancelSignal } from '../cancellation.js';
import { CancelledError, toError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { traceJoin } from '../observability/tracing.js';
import { joinersPromise, untilGone, type Joiners } from './waiting.js';

/** The kinds of shared work; every key starts with one and a space. */
export type WorkKind = 'upstream' | 'execution';

/** How long and at what size a finished result may be kept; null keeps it out. */
export interface Keep {
  /** Epoch milliseconds until which the result may be served. */
  until: number;
  /** Its size, about in bytes (a JSON text's length). */
  bytes: number;
}

/**
 * What waiters of a lead get when it never started work (the request turned out to be refused,
 * invalid or no query): each goes its own way.
 */
export class AbandonedError extends Error {
  constructor() {
    super('the shared work was abandoned before it started');
  }
}

/** Work claimed by one request before it starts (see `SharedWork.lead`). */
export interface Lead<T> {
  /** Aborts once every waiter, the leader included, has gone: the work obeys it. */
  readonly signal: CancelSignal;
  /** Starts the work; the leader's result, or its CancelledError once the leader has gone. */
  settle(work: Promise<T>, keep?: (value: T) => Keep | null): Promise<T>;
  /**
   * Gives the key up without work: the waiters go their own way, and `signal` from now on aborts
   * with the leader's. Nothing once settled.
   */
  abandon(): void;
}

interface Flight {
  /**
   * What joiners wait on, made when the first one joins. Most work is never joined (a different
   * page per request), and a promise made when the work is claimed and resolved with its result
   * much later holds that result where young-generation collections see it: made for every lead,
   * it doubled what the gateway promoted to the old generation per collection on distinct pages
   * (about 960 KB against 470 KB, `--trace-gc-nvp`), and with it the time spent in GC.
   */
  joiners: Joiners | undefined;
  cancellation: Cancellation;
  waiters: number;
  /** The span under which the work runs (tracing on): joiners link to it. */
  origin: SpanContext | undefined;
  /** False while led but not started: joins are counted once it starts (never if abandoned). */
  started: boolean;
  /** Waiters that joined before it started. */
  early: number;
  /** Given up before it started: its joiners went their own way and no longer count. */
  abandoned: boolean;
}

export interface SharedWorkOptions {
  /** Most bytes the kept results hold, all kinds together; 0 keeps nothing. */
  maxKeptBytes: number;
  /** Told when a waiter joins work in flight (one that joined a lead, once the lead starts work). */
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
   * The result for `key` if one is at hand: kept, or from work in flight (or led); undefined when
   * `key` would need new work. Rejects with a CancelledError when this waiter's `signal` aborts,
   * and with an AbandonedError when the lead it joined never started work.
   */
  join<T>(key: string, signal: CancelSignal | undefined, traced?: Context): Promise<T> | undefined {
    const kept = this.kept(key);
    if (kept !== undefined) {
      this.#options.onKeptHit?.(SharedWork.kindOf(key), key);
      return Promise.resolve(kept as T);
    }
    const flight = this.#inFlight.get(key);
    if (!flight) return undefined;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const kind = SharedWork.kindOf(key);
    if (flight.started) this.#options.onJoin?.(kind, key);
    else flight.early += 1;
    const waited = this.#wait(flight, signal) as Promise<T>;
    if (flight.origin) traceJoin(kind, flight.origin, waited, traced);
    return waited;
  }

  /**
   * Claims `key` for work that starts later, when nothing for it is kept or in flight (undefined
   * otherwise: `join` it). Identical requests join the lead at once and wait for what it settles
   * on; `signal` is the leader's, a waiter like any other. `traced` is the trace the work belongs
   * to (tracing on), when it is not the active one.
   */
  lead<T>(key: string, signal: CancelSignal | undefined, traced?: Context): Lead<T> | undefined {
    if (this.#inFlight.has(key) || this.kept(key) !== undefined) return undefined;
    const cancellation = new Cancellation();
    const flight: Flight = {
      joiners: undefined,
      cancellation,
      // The leader is a waiter like any other.
      waiters: 1,
      origin: (traced ? trace.getSpan(traced) : trace.getActiveSpan())?.spanContext(),
      started: false,
      early: 0,
      abandoned: false,
    };
    this.#inFlight.set(key, flight);
    // The leader leaving counts like any waiter's; once its work has started, `untilGone` tells it.
    const leave = () => this.#leave(flight);
    signal?.addEventListener('abort', leave, { once: true });
    return {
      signal: cancellation,
      settle: (work, keep) => {
        flight.started = true;
        signal?.removeEventListener('abort', leave);
        for (; flight.early > 0; flight.early -= 1) this.#options.onJoin?.(SharedWork.kindOf(key), key);
        const done = (value: T) => {
          this.#settle(key, flight);
          flight.joiners?.resolve(value);
          const kept = keep?.(value);
          if (kept) this.keep(key, value, kept);
        };
        const failed = (error: unknown) => {
          this.#settle(key, flight);
          flight.joiners?.reject(toError(error));
        };
        // The leader's own answer, or its CancelledError once it has gone (the work goes on for
        // those still waiting): `untilGone`, with the flight's settling in the same callbacks
        // (a promise and two closures fewer per lead).
        return untilGone(work, signal, leave, { done, failed });
      },
      abandon: () => {
        if (flight.started || flight.abandoned) return;
        this.#settle(key, flight);
        flight.abandoned = true;
        flight.joiners?.reject(new AbandonedError());
        // Work the leader goes on to do alone (a mutation) obeys the leader's signal alone.
        flight.waiters = 1;
        if (signal?.aborted) cancellation.abort();
      },
    };
  }

  /**
   * The result for `key`: kept, from identical work in flight, or from `start`, which receives a
   * signal that aborts when every waiter has gone. `shared` says it came from elsewhere. `keep`
   * says how long the finished result may be kept (by default it is not).
   */
  run<T>(
    key: string,
    signal: CancelSignal | undefined,
    start: (signal: CancelSignal) => Promise<T>,
    options: { keep?: (value: T) => Keep | null } = {},
  ): { result: Promise<T>; shared: boolean } {
    const joined = this.join<T>(key, signal);
    if (joined) return { result: joined, shared: true };
    if (signal?.aborted) return { result: Promise.reject(new CancelledError()), shared: false };
    const lead = this.lead<T>(key, signal) as Lead<T>;
    // A start that throws at once still settles the lead: nothing may wait on it forever.
    let work: Promise<T>;
    try {
      work = start(lead.signal);
    } catch (error) {
      work = Promise.reject(toError(error));
    }
    return { result: lead.settle(work, options.keep), shared: false };
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

  #wait(flight: Flight, signal: CancelSignal | undefined): Promise<unknown> {
    flight.waiters += 1;
    const joiners = (flight.joiners ??= joinersPromise());
    if (!signal) return joiners.promise;
    // Once the lead is abandoned, its joiners no longer count (they go their own way).
    return untilGone(joiners.promise, signal, () => {
      if (!flight.abandoned) this.#leave(flight);
    });
  }

  /** One waiter has gone; the work is cancelled when it was the last. */
  #leave(flight: Flight): void {
    flight.waiters -= 1;
    if (flight.waiters === 0) flight.cancellation.abort();
  }

  #settle(key: string, flight: Flight): void {
    if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key);
  }
}

/** What a client built alone keeps with the micro-cache on (the app passes UPSTREAM_CACHE_MAX_BYTES). */
const DEFAULT_KEPT_BYTES = 32 * 1024 * 1024;

/**
 * Shared work that counts itself in the gateway's metrics: joined upstream calls and answers
 * from the micro-cache by route, and executions shared.
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
