/**
 * A GET to LlamaCloud as the gateway makes it: identical GETs in flight are one call (the app's
 * one place of shared work, sharing/shared-work.ts), a kept answer (the micro-cache, or the
 * fleet's store in Redis) answers at once, and a failed call is retried when that may help.
 * Every caller hears of the exchanges made for it, its own or the one it shared.
 */
import type { z } from 'zod';
import type { CancelSignal } from '../cancellation.js';
import { GatewayError, type ErrorCode } from '../errors.js';
import type { SharedAnswers } from '../fleet/answers.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Keep, SharedWork } from '../sharing/shared-work.js';
import { deadlineOf, type CallOptions } from './call-options.js';
import type { RequestSpec, UpstreamExchange } from './exchange.js';
import type { UpstreamGuard } from './guard.js';
import { withRetries } from './resilience.js';

export interface SharedGetSettings {
  maxRetries: number;
  retryBaseDelayMs: number;
  /** UPSTREAM_CACHE_TTL_MS: how long an answer is kept (0 = not at all). */
  cacheTtlMs: number;
}

export class SharedGets {
  readonly #settings: SharedGetSettings;
  readonly #guard: UpstreamGuard;
  readonly #exchange: UpstreamExchange;
  readonly #work: SharedWork;
  readonly #metrics: GatewayMetrics | undefined;
  readonly #answers: SharedAnswers | undefined;
  /** Until when each answer that came from the fleet's cache may be served. */
  readonly #fleetUntil = new WeakMap<object, number>();

  /** `answers` is the fleet's store, used only with the micro-cache on. */
  constructor(
    settings: SharedGetSettings,
    deps: {
      guard: UpstreamGuard;
      exchange: UpstreamExchange;
      work: SharedWork;
      metrics?: GatewayMetrics;
      answers?: SharedAnswers;
    },
  ) {
    this.#settings = settings;
    this.#guard = deps.guard;
    this.#exchange = deps.exchange;
    this.#work = deps.work;
    this.#metrics = deps.metrics;
    this.#answers = settings.cacheTtlMs > 0 ? deps.answers : undefined;
  }

  /** The answer to `spec` (its query as sent), shared unless `options.fresh` says it must be new. */
  get<S extends z.ZodType>(spec: RequestSpec<S>, options: CallOptions): Promise<z.output<S>> {
    const key = `upstream ${spec.route} ${spec.path}?${spec.query?.toString() ?? ''}`;
    const deadline = deadlineOf(options);
    const joined = performance.now();
    const call = (signal: CancelSignal | undefined, onBody?: (text: string) => void) =>
      withRetries(
        {
          maxRetries: this.#settings.maxRetries,
          baseDelayMs: this.#settings.retryBaseDelayMs,
          deadline,
          signal,
          onRetry: (error) =>
            this.#metrics?.upstreamRetries.inc({
              route: spec.route,
              reason: String(error.details.upstreamStatus ?? error.code),
            }),
        },
        (attempt) =>
          this.#guard.run(spec.route, () =>
            this.#exchange.send(onBody ? { ...spec, onBody } : spec, signal, deadline, options.onCall, attempt),
          ),
      );
    const ttlMs = this.#settings.cacheTtlMs;
    // The answer's text, whichever way it came: what keeping it costs. Held only when something
    // keeps the answer (the fleet's store or the micro-cache).
    let text = '';
    const keepText = (body: string) => (text = body);
    const answers = this.#answers;
    const start = answers
      ? async (signal: CancelSignal | undefined): Promise<z.output<S>> => {
          const found = await answers.find(key, deadline, signal);
          if (found) {
            text = found.text;
            const value = this.#exchange.parse(spec, found.text, 200);
            if (typeof value === 'object' && value !== null) this.#fleetUntil.set(value, found.until);
            options.onCall?.({
              route: spec.route,
              method: 'GET',
              status: 200,
              durationMs: performance.now() - joined,
              shared: true,
            });
            return value;
          }
          try {
            const value = await call(signal, keepText);
            answers.store(key, text, ttlMs);
            return value;
          } catch (error) {
            answers.release(key);
            throw error;
          }
        }
      : (signal: CancelSignal | undefined) => call(signal, ttlMs > 0 ? keepText : undefined);
    // With the micro-cache on, an answer is kept for UPSTREAM_CACHE_TTL_MS, and one from the
    // fleet's cache no longer than its entry there.
    const keep =
      ttlMs > 0
        ? (value: unknown): Keep => ({
            until: Math.min(
              Date.now() + ttlMs,
              (typeof value === 'object' && value !== null ? this.#fleetUntil.get(value) : undefined) ??
                Number.POSITIVE_INFINITY,
            ),
            bytes: text.length,
          })
        : undefined;
    const { result, shared } = options.fresh
      ? { result: call(options.signal), shared: false }
      : this.#work.run(key, options.signal, start, keep ? { keep } : {});
    const { onAnswerExpiry } = options;
    if (onAnswerExpiry && ttlMs > 0) {
      // An answer expires with its entry in the cache (a new one's starts now; one from the fleet's
      // cache has what its entry there had left).
      const cachedUntil = shared ? this.#work.keptUntil(key) : undefined;
      result.then(
        () => onAnswerExpiry(cachedUntil ?? this.#work.keptUntil(key) ?? Date.now() + ttlMs),
        () => undefined,
      );
    }
    if (shared && options.onCall) {
      const onCall = options.onCall;
      const record = (status: number | null, errorCode?: ErrorCode) =>
        onCall({
          route: spec.route,
          method: 'GET',
          status,
          durationMs: performance.now() - joined,
          shared: true,
          ...(errorCode ? { errorCode } : {}),
        });
      result.then(
        () => record(200),
        (error: unknown) => record(null, error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR'),
      );
    }
    return result;
  }
}
