/**
 * The one module that talks to LlamaCloud. Resolvers call its domain methods and never see a URL,
 * a status code or the API key. Everything between them and LlamaCloud happens under these
 * methods, once: identical GETs shared (here, through sharing/shared-work.ts, with the fleet's
 * store and the micro-cache), retries (resilience.ts), the back-off, queue bound and circuit
 * breaker (guard.ts), and the exchange itself with its deadline, status-to-error mapping, key
 * scrubbing and body validation (exchange.ts).
 */
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { BatchApi } from '../config/config.js';
import { GatewayError } from '../errors.js';
import type { SharedAnswers } from '../fleet/answers.js';
import type { UpstreamBackoff } from '../fleet/backoff.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { countedSharedWork, type SharedWork } from '../sharing/shared-work.js';
import type { CreateBatchBody, CreateBatchJobBody } from './bodies.js';
import { deadlineOf, type CallOptions } from './call-options.js';
import { UpstreamExchange, type ExchangeSettings, type RequestSpec } from './exchange.js';
import { fastBatchJobList } from './fast-decode.js';
import { UpstreamGuard, type GuardSettings } from './guard.js';
import {
  listBatchesQuery,
  listBatchJobItemsQuery,
  listBatchJobsQuery,
  type ListBatchesParams,
  type ListBatchJobItemsParams,
  type ListBatchJobsParams,
} from './params.js';
import { routePath, type Route } from './routes.js';
import { SharedGets, type SharedGetSettings } from './shared-gets.js';
import { batchPageSchema, batchSchema, batchWithResultsSchema, type BatchPageWire } from './wire-v2.js';
import {
  createdJobSchema,
  batchJobListSchema,
  batchJobWithProgressSchema,
  cancelAnswerSchema,
  batchJobItemListSchema,
  type BatchJobItemListWire,
  type BatchJobListWire,
  type BatchJobModel,
} from './wire.js';

export type { CreateBatchBody, CreateBatchJobBody } from './bodies.js';
export type { CallOptions, UpstreamCall } from './call-options.js';

/** The stages' settings (each declared where it is used), and what the client itself needs. */
export interface UpstreamClientConfig extends ExchangeSettings, GuardSettings, SharedGetSettings {
  /** The generation of LlamaCloud's batch API this client calls (v1 unless said). */
  batchApi?: BatchApi;
  /** Most sockets kept open to the upstream. */
  maxConnections: number;
  /** Fixed query parameters sent on every call (tenant pinning). */
  pinnedQuery?: Record<string, string>;
}

export class LlamaCloudClient {
  readonly #config: UpstreamClientConfig;
  readonly #pool: Pool | null;
  readonly #guard: UpstreamGuard;
  readonly #exchange: UpstreamExchange;
  readonly #gets: SharedGets;

  /**
   * `dispatcher` lets a caller share a pool; by default the client owns one. `backoff` holds back
   * routes LlamaCloud answered 429 on, fleet-wide (REDIS_URL); without it each call finds out.
   */
  constructor(
    config: UpstreamClientConfig,
    deps: {
      metrics?: GatewayMetrics;
      dispatcher?: Dispatcher;
      backoff?: UpstreamBackoff;
      /** The fleet's micro-cache (REDIS_URL); used only with the micro-cache on. */
      answers?: SharedAnswers;
      /** Where identical GETs meet and answers are kept: the app's one (sharing/shared-work.ts). */
      work?: SharedWork;
      /** Told once per enum value LlamaCloud sends that this gateway does not know. */
      logger?: Logger;
    } = {},
  ) {
    this.#config = config;
    const pool = deps.dispatcher
      ? null
      : new Pool(config.baseUrl.origin, {
          connections: config.maxConnections,
          // No timers of undici's own: every exchange already runs under one timer of at most
          // UPSTREAM_TIMEOUT_MS that covers its headers and its whole body (exchange-signal.ts).
          // undici's made two more objects per call that live until its timer wheel's next turn
          // (half a second and more), so each was copied into the old generation.
          headersTimeout: 0,
          bodyTimeout: 0,
          // Counted as the body arrives: a 300 MB answer is cut at the limit, not buffered first.
          maxResponseSize: config.maxResponseBytes,
        });
    this.#pool = pool;
    const { metrics, backoff, logger } = deps;
    this.#guard = new UpstreamGuard(config, { pool, metrics, backoff });
    this.#exchange = new UpstreamExchange(config, {
      dispatcher: deps.dispatcher ?? (pool as Pool),
      metrics,
      backoff,
      logger,
    });
    const work = deps.work ?? countedSharedWork(metrics, config.cacheTtlMs > 0);
    this.#gets = new SharedGets(config, {
      guard: this.#guard,
      exchange: this.#exchange,
      work,
      metrics,
      answers: deps.answers,
    });
    if (metrics && pool) metrics.queueDepth = () => pool.stats.pending;
  }

  /** Which generation of LlamaCloud's batch API this client calls. */
  get generation(): BatchApi {
    return this.#config.batchApi ?? 'v1';
  }

  /** True while the circuit breaker fails calls fast (readiness reports it). */
  get breakerOpen(): boolean {
    return this.#guard.open;
  }

  /**
   * One page of batch jobs. Rejects with a GatewayError for every upstream failure. Not an async
   * wrapper: `#get` only returns a promise, and a wrapper is one more promise per request.
   */
  listBatchJobs(params: ListBatchJobsParams, options: CallOptions = {}): Promise<BatchJobListWire> {
    return this.#get(
      {
        route: 'listBatchJobs',
        method: 'GET',
        path: routePath('listBatchJobs'),
        query: listBatchJobsQuery(params),
        schema: batchJobListSchema,
        fast: fastBatchJobList,
      },
      options,
    );
  }

  /**
   * One job with LlamaCloud's progress, or null when LlamaCloud answers 404 (an unknown id).
   * Throws a GatewayError for every other failure.
   */
  async getBatchJob(id: string, options: CallOptions = {}): Promise<BatchJobModel | null> {
    try {
      if (this.generation === 'v2') {
        // With its results: the only place v2 says which files a batch covers and what each became.
        return await this.#get(
          {
            route: 'getBatch',
            method: 'GET',
            path: routePath('getBatch', id),
            query: new URLSearchParams({ expand: 'results' }),
            schema: batchWithResultsSchema,
          },
          options,
        );
      }
      return await this.#get(
        {
          route: 'getBatchJob',
          method: 'GET',
          path: routePath('getBatchJob', id),
          schema: batchJobWithProgressSchema,
        },
        options,
      );
    } catch (error) {
      if (error instanceof GatewayError && error.details.upstreamStatus === 404) return null;
      throw error;
    }
  }

  /**
   * One page of v2 batches (`GET /api/v2/batches`), paged by LlamaCloud's page tokens. No async
   * wrapper, as for `listBatchJobs`: v2's list is the same hot path.
   */
  listBatches(params: ListBatchesParams, options: CallOptions = {}): Promise<BatchPageWire> {
    return this.#get(
      {
        route: 'listBatches',
        method: 'GET',
        path: routePath('listBatches'),
        query: listBatchesQuery(params),
        schema: batchPageSchema,
      },
      options,
    );
  }

  /** One page of a job's items. */
  async listBatchJobItems(
    jobId: string,
    params: ListBatchJobItemsParams,
    options: CallOptions = {},
  ): Promise<BatchJobItemListWire> {
    return this.#get(
      {
        route: 'listBatchJobItems',
        method: 'GET',
        path: routePath('listBatchJobItems', jobId),
        query: listBatchJobItemsQuery(params),
        schema: batchJobItemListSchema,
      },
      options,
    );
  }

  /**
   * Creates a batch job (v1 `POST /api/v1/beta/batch-processing`). Never retried and never
   * coalesced: a second POST would be a second job.
   */
  async createBatchJob(body: CreateBatchJobBody, options: CallOptions = {}): Promise<BatchJobModel> {
    return this.#post('createBatchJob', body, createdJobSchema, options);
  }

  /** Creates a v2 batch (`POST /api/v2/batches`). Never retried and never coalesced. */
  async createBatch(body: CreateBatchBody, options: CallOptions = {}): Promise<BatchJobModel> {
    return this.#post('createBatch', body, batchSchema, options);
  }

  /**
   * Asks LlamaCloud to cancel a job. Never retried and never coalesced: it is not idempotent. v2
   * answers with the batch as it stands (it cancels asynchronously); v1 answers a receipt only, so
   * this returns null there and the caller reads the job back.
   */
  async cancelBatchJob(id: string, reason: string | null, options: CallOptions = {}): Promise<BatchJobModel | null> {
    if (this.generation === 'v2') {
      // v2's cancel takes no body (no reason).
      return this.#post('cancelBatch', undefined, batchSchema, options, id);
    }
    await this.#post('cancelBatchJob', { reason }, cancelAnswerSchema, options, id);
    return null;
  }

  /** One POST through the breaker and the queue bound, never retried (a second POST is a second act). */
  #post<S extends z.ZodType>(
    route: Route,
    body: unknown,
    schema: S,
    options: CallOptions,
    id?: string,
  ): Promise<z.output<S>> {
    const path = routePath(route, id);
    const spec = { route, method: 'POST' as const, path, query: this.#queryOf(undefined), body, schema };
    const deadline = deadlineOf(options);
    return this.#guard.run(route, () => this.#exchange.send(spec, options.signal, deadline, options.onCall));
  }

  /** Closes the connection pool after requests in flight finish. */
  async close(): Promise<void> {
    await this.#pool?.close();
  }

  /** GETs are shared with identical ones (shared-gets.ts), under the tenant's pinned query. */
  #get<S extends z.ZodType>(spec: RequestSpec<S>, options: CallOptions): Promise<z.output<S>> {
    return this.#gets.get({ ...spec, query: this.#queryOf(spec.query) }, options);
  }

  #queryOf(query: URLSearchParams | undefined): URLSearchParams {
    const result = new URLSearchParams(query);
    for (const [name, value] of Object.entries(this.#config.pinnedQuery ?? {})) result.set(name, value);
    return result;
  }
}
