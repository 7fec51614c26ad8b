/**
 * The one module that talks to LlamaCloud. Resolvers call its domain methods and never see a URL,
 * a status code or the API key. Auth, deadlines, retries, the circuit breaker, coalescing,
 * status-to-error mapping and body validation all happen here, once.
 */
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { CancelSignal } from '../cancellation.js';
import { CancelledError, GatewayError, type ErrorCode } from '../errors.js';
import type { SharedAnswers } from '../fleet/answers.js';
import type { UpstreamBackoff } from '../fleet/backoff.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { UpstreamCall } from '../request-state.js';
import { countedSharedWork, type Keep, type SharedWork } from '../sharing/shared-work.js';
import { badResponse, errorFromException, errorFromStatus, upstreamErrorCode } from './errors.js';
import {
  listBatchesQuery,
  listBatchJobItemsQuery,
  listBatchJobsQuery,
  type ListBatchesParams,
  type ListBatchJobItemsParams,
  type ListBatchJobsParams,
} from './params.js';
import { batchPageSchema, batchSchema, batchWithResultsSchema, type BatchPageWire } from './wire-v2.js';
import type { BatchApi } from '../config/config.js';
import { CircuitBreaker, CircuitOpenError, type BreakerSettings } from './breaker.js';
import { breakerOpenError, breakerOutcome, withRetries } from './resilience.js';
import { fastBatchJobList } from './fast-decode.js';
import { createScrubber, type Scrubber } from './scrub.js';
import type { Logger } from '../observability/logger.js';
import { ExchangeSignal } from './exchange-signal.js';
import { withUpstreamCall } from '../observability/tracing.js';
import { UnknownValues } from './unknown-values.js';
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

export interface UpstreamClientConfig {
  /** LlamaCloud's base URL; a path prefix (a proxy's) is kept. */
  baseUrl: URL;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged or returned. */
  apiKey: string;
  /** The generation of LlamaCloud's batch API this client calls (v1 unless said). */
  batchApi?: BatchApi;
  /** Deadline for one upstream exchange, headers and body included, in milliseconds. */
  timeoutMs: number;
  /** Most sockets kept open to the upstream. */
  maxConnections: number;
  /** Most requests waiting for a socket before new ones fail fast. */
  maxQueue: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  cacheTtlMs: number;
  breaker: BreakerSettings;
  /** Largest upstream answer read, in bytes; a larger one is UPSTREAM_BAD_RESPONSE. */
  maxResponseBytes: number;
  /** Fixed query parameters sent on every call (tenant pinning). */
  pinnedQuery?: Record<string, string>;
}

export interface CallOptions {
  /** Aborts this caller's wait (a client that went away). */
  signal?: CancelSignal;
  /** Epoch milliseconds by which the whole call, retries included, must be over. */
  deadline?: number;
  /** Told about every upstream exchange made for this call. */
  onCall?: (call: UpstreamCall) => void;
  /**
   * Skip coalescing and the micro-cache: the answer must be newer than this call (reading a job
   * back after changing it).
   */
  fresh?: boolean;
  /**
   * With the micro-cache on, told for each answer until when (epoch milliseconds) it may be served
   * from the cache: what was computed from it may be served no longer than that either.
   */
  onAnswerExpiry?: (until: number) => void;
}

const API_PREFIX = '/api/v1/beta/batch-processing';
const V2_PREFIX = '/api/v2/batches';
/**
 * Each route's path with its id as a placeholder: what calls are made to (routePath), and what
 * traces and dashboards group them by.
 */
const ROUTE_TEMPLATES = {
  listBatchJobs: API_PREFIX,
  createBatchJob: API_PREFIX,
  getBatchJob: `${API_PREFIX}/{job_id}`,
  listBatchJobItems: `${API_PREFIX}/{job_id}/items`,
  cancelBatchJob: `${API_PREFIX}/{job_id}/cancel`,
  listBatches: V2_PREFIX,
  createBatch: V2_PREFIX,
  getBatch: `${V2_PREFIX}/{batch_id}`,
  cancelBatch: `${V2_PREFIX}/{batch_id}/cancel`,
} as const;
type Route = keyof typeof ROUTE_TEMPLATES;

/** The path of `route`, its placeholder (if any) filled with `id`. */
function routePath(route: Route, id = ''): string {
  return ROUTE_TEMPLATES[route].replace(/\{\w+\}/, () => encodeURIComponent(id));
}

/** The body of a v1 create: the job's configuration, and a directory or items. */
export interface CreateBatchJobBody {
  job_config: Record<string, unknown> & { job_type: string };
  directory_id?: string;
  item_ids?: string[];
}
/** The body of a v2 create (`POST /api/v2/batches`). */
export interface CreateBatchBody {
  source_directory_id: string;
  config: { job: { type: string; configuration_id: string } };
  webhook_configuration_ids?: string[];
  webhook_configurations?: Array<{
    webhook_url: string;
    webhook_events?: string[];
    webhook_headers?: Record<string, string>;
    webhook_output_format?: 'string' | 'json';
    /** Write-only: LlamaCloud signs its deliveries with it. Never logged. */
    webhook_signing_secret?: string;
  }>;
}

const USER_AGENT = 'llamacloud-batch-gateway/0.1';
/** Without a request deadline (calls outside GraphQL), an hour is as good as none. */
const NO_DEADLINE_MS = 3_600_000;

interface RequestSpec<S extends z.ZodType> {
  route: Route;
  method: 'GET' | 'POST';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  schema: S;
  /** A shortcut past `schema` for the common shape (fast-decode.ts); undefined hands over to it. */
  fast?: (json: unknown) => z.output<S> | undefined;
  /** Told the body of a 2xx answer as it came, before it is validated (to share it). */
  onBody?: (text: string) => void;
}

export class LlamaCloudClient {
  readonly #config: UpstreamClientConfig;
  readonly #dispatcher: Dispatcher;
  readonly #pool: Pool | null;
  /** Exchanges under way now (through the breaker). */
  #exchanging = 0;
  readonly #basePath: string;
  readonly #headers: Record<string, string>;
  readonly #breaker: CircuitBreaker;
  readonly #work: SharedWork;
  readonly #metrics: GatewayMetrics | undefined;
  readonly #scrubber: Scrubber;
  readonly #backoff: UpstreamBackoff | undefined;
  readonly #answers: SharedAnswers | undefined;
  readonly #unknownValues: UnknownValues;
  /** Until when each answer that came from the fleet's cache may be served. */
  readonly #fleetUntil = new WeakMap<object, number>();

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
    this.#metrics = deps.metrics;
    this.#backoff = deps.backoff;
    this.#answers = config.cacheTtlMs > 0 ? deps.answers : undefined;
    this.#pool = deps.dispatcher
      ? null
      : new Pool(config.baseUrl.origin, {
          connections: config.maxConnections,
          headersTimeout: config.timeoutMs,
          bodyTimeout: config.timeoutMs,
          // Counted as the body arrives: a 300 MB answer is cut at the limit, not buffered first.
          maxResponseSize: config.maxResponseBytes,
        });
    this.#dispatcher = deps.dispatcher ?? (this.#pool as Pool);
    this.#basePath = config.baseUrl.pathname.replace(/\/+$/, '');
    this.#scrubber = createScrubber(config.apiKey);
    this.#unknownValues = new UnknownValues(deps.logger, deps.metrics, this.#scrubber.text);
    this.#headers = {
      authorization: `Bearer ${config.apiKey}`,
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
    this.#breaker = new CircuitBreaker({
      ...config.breaker,
      onStateChange: (state) => {
        this.#metrics?.breakerState.set(state === 'closed' ? 0 : state === 'open' ? 1 : 2);
        this.#metrics?.breakerTransitions.inc({ state });
      },
    });
    this.#work = deps.work ?? countedSharedWork(deps.metrics, config.cacheTtlMs > 0);
    const pool = this.#pool;
    if (this.#metrics && pool) this.#metrics.queueDepth = () => pool.stats.pending;
  }

  /** Which generation of LlamaCloud's batch API this client calls. */
  get generation(): BatchApi {
    return this.#config.batchApi ?? 'v1';
  }

  /** True while the circuit breaker fails calls fast (readiness reports it). */
  get breakerOpen(): boolean {
    return this.#breaker.state === 'open';
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
    const deadline = options.deadline ?? Date.now() + NO_DEADLINE_MS;
    return this.#guarded(route, () => this.#exchange(spec, options.signal, deadline, options.onCall));
  }

  /** Closes the connection pool after requests in flight finish. */
  async close(): Promise<void> {
    await this.#pool?.close();
  }

  /** GETs are coalesced with identical ones in flight, and retried when that may help. */
  #get<S extends z.ZodType>(spec: RequestSpec<S>, options: CallOptions): Promise<z.output<S>> {
    const query = this.#queryOf(spec.query);
    const key = `upstream ${spec.route} ${spec.path}?${query}`;
    const deadline = options.deadline ?? Date.now() + NO_DEADLINE_MS;
    const joined = performance.now();
    const call = (signal: CancelSignal | undefined, onBody?: (text: string) => void) =>
      withRetries(
        {
          maxRetries: this.#config.maxRetries,
          baseDelayMs: this.#config.retryBaseDelayMs,
          deadline,
          signal,
          onRetry: (error) =>
            this.#metrics?.upstreamRetries.inc({
              route: spec.route,
              reason: String(error.details.upstreamStatus ?? error.code),
            }),
        },
        (attempt) =>
          this.#guarded(spec.route, () =>
            this.#exchange({ ...spec, query, onBody }, signal, deadline, options.onCall, attempt),
          ),
      );
    const ttlMs = this.#config.cacheTtlMs;
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
            const value = this.#parse(spec, found.text, 200);
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
    if (onAnswerExpiry && this.#config.cacheTtlMs > 0) {
      // An answer expires with its entry in the cache (a new one's starts now; one from the fleet's
      // cache has what its entry there had left).
      const cachedUntil = shared ? this.#work.keptUntil(key) : undefined;
      result.then(
        () => onAnswerExpiry(cachedUntil ?? this.#work.keptUntil(key) ?? Date.now() + this.#config.cacheTtlMs),
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

  /** Runs an exchange through the circuit breaker and the queue bound. */
  async #guarded<T>(route: string, exchange: () => Promise<T>): Promise<T> {
    // LlamaCloud asked the fleet to hold back this route (a 429 seen by any replica): answer as
    // it would, without asking it. The retry policy waits this out when the deadline allows.
    const heldFor = (this.#backoff?.until(route) ?? 0) - Date.now();
    if (heldFor > 0) throw errorFromStatus(429, { 'retry-after-ms': String(heldFor) }, '');
    // Every request waiting in the pool is one of this client's exchanges under way, so with fewer
    // of those than the bound the queue cannot be over it (reading the pool's stats makes an
    // object each time: they are read only when it might be).
    const mayQueue = this.#exchanging >= this.#config.maxQueue;
    if (this.#pool && mayQueue && this.#pool.stats.pending >= this.#config.maxQueue) {
      this.#metrics?.rejectedForQueue.inc();
      const error = new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        'The gateway has too many LlamaCloud requests waiting already. Try again shortly.',
      );
      error.overloaded = true;
      throw error;
    }
    let trial: boolean;
    try {
      trial = this.#breaker.admit();
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) throw error;
      this.#metrics?.breakerShed.inc();
      throw breakerOpenError(this.#config.breaker.cooldownMs);
    }
    this.#exchanging += 1;
    try {
      const value = await exchange();
      this.#breaker.record('success', trial);
      return value;
    } catch (error) {
      this.#breaker.record(breakerOutcome(error), trial);
      throw error;
    } finally {
      this.#exchanging -= 1;
    }
  }

  /** One HTTP exchange: request, full body read, status mapping, validation. */
  async #exchange<S extends z.ZodType>(
    spec: RequestSpec<S>,
    signal: CancelSignal | undefined,
    deadline: number,
    onCall: CallOptions['onCall'],
    attempt = 0,
  ): Promise<z.output<S>> {
    const started = performance.now();
    const budget = Math.min(this.#config.timeoutMs, deadline - Date.now());
    let status: number | null = null;
    const report = (errorCode?: ErrorCode) => {
      const durationMs = performance.now() - started;
      this.#metrics?.upstreamDuration.observe({ route: spec.route, status: status ?? 'error' }, durationMs / 1000);
      onCall?.({ route: spec.route, method: spec.method, status, durationMs, ...(errorCode ? { errorCode } : {}) });
    };
    if (budget <= 0) {
      const error = errorFromException(null, this.#config.timeoutMs, true);
      report(error.code);
      throw error;
    }
    const exchange = new ExchangeSignal(signal, budget);
    const search = spec.query?.toString();
    try {
      const request = {
        origin: this.#config.baseUrl.origin,
        method: spec.method,
        path: `${this.#basePath}${spec.path}${search ? `?${search}` : ''}`,
        headers: spec.body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
        body: spec.body === undefined ? null : JSON.stringify(spec.body),
        signal: exchange.signal,
      };
      // The undici span (tracing on) names the route's template and the retry's number.
      const template = ROUTE_TEMPLATES[spec.route];
      const response = await withUpstreamCall({ template, attempt }, () => this.#dispatcher.request(request));
      status = response.statusCode;
      const declared = Number(response.headers['content-length']);
      if (declared > this.#config.maxResponseBytes) {
        response.body.destroy();
        throw this.#oversized(status);
      }
      // Always read the body to the end: an unread body holds its socket.
      const text = await response.body.text();
      if (status < 200 || status >= 300) {
        const failure = errorFromStatus(status, response.headers, text, this.#scrubber.text);
        if (status === 429 && failure.retryAfterMs !== undefined) {
          this.#backoff?.hold(spec.route, Date.now() + failure.retryAfterMs);
        }
        throw failure;
      }
      spec.onBody?.(text);
      const result = this.#parse(spec, text, status);
      report();
      return result;
    } catch (error) {
      const cancelled = signal?.aborted === true && !exchange.timedOut;
      const gatewayError = cancelled
        ? new CancelledError()
        : upstreamErrorCode(error) === 'UND_ERR_RES_EXCEEDED_MAX_SIZE'
          ? this.#oversized(status ?? 200)
          : errorFromException(error, Math.round(budget), exchange.timedOut);
      report(gatewayError.code);
      throw gatewayError;
    } finally {
      exchange.dispose();
    }
  }

  #queryOf(query: URLSearchParams | undefined): URLSearchParams {
    const result = new URLSearchParams(query);
    for (const [name, value] of Object.entries(this.#config.pinnedQuery ?? {})) result.set(name, value);
    return result;
  }

  #oversized(status: number): GatewayError {
    this.#metrics?.oversizedAnswers.inc();
    return badResponse(`larger than ${this.#config.maxResponseBytes} bytes, UPSTREAM_MAX_RESPONSE_BYTES`, status);
  }

  #parse<S extends z.ZodType>(spec: RequestSpec<S>, text: string, status: number): z.output<S> {
    let json: unknown;
    try {
      json = this.#scrubber.parsed(JSON.parse(text) as unknown, text);
    } catch {
      throw badResponse('not JSON', status);
    }
    const fast = spec.fast?.(json);
    if (fast !== undefined) return fast;
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
      throw badResponse(`${where}: ${issue?.message ?? 'unexpected shape'}`, status);
    }
    // Only the schema's path can meet a value this gateway does not know (the shortcut refuses them).
    this.#unknownValues.report(parsed.data);
    return parsed.data;
  }
}
