/**
 * The one module that talks to LlamaCloud. Resolvers call its domain methods and never see a URL,
 * a status code or the API key. Auth, timeouts, status-to-error mapping and body validation all
 * happen here, once.
 */
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { GatewayError, type ErrorCode } from '../errors.js';
import { badResponse, errorFromException, errorFromStatus } from './errors.js';
import {
  batchJobListSchema,
  batchJobWithProgressSchema,
  type BatchJobListWire,
  type BatchJobStatusWire,
  type BatchJobTypeWire,
  type BatchJobWithProgressWire,
} from './wire.js';

export interface UpstreamClientConfig {
  /** LlamaCloud's base URL; a path prefix (a proxy's) is kept. */
  baseUrl: URL;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged or returned. */
  apiKey: string;
  /** Deadline for one upstream request, headers and body included, in milliseconds. */
  timeoutMs: number;
  /** Most sockets kept open to the upstream. */
  maxConnections: number;
}

/** What one upstream request did, for the request log. Contains no secrets. */
export interface UpstreamCall {
  route: string;
  method: string;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  durationMs: number;
  errorCode?: ErrorCode;
}

export interface CallOptions {
  /** Aborts the upstream request (a client that went away). */
  signal?: AbortSignal;
  /** Told about every upstream request made for this call. */
  onCall?: (call: UpstreamCall) => void;
}

/** Parameters of the list endpoint, camelCase, wire enum values. Absent means "not sent". */
export interface ListBatchJobsParams {
  directoryId?: string;
  jobType?: BatchJobTypeWire;
  status?: BatchJobStatusWire;
  projectId?: string;
  organizationId?: string;
  limit?: number;
  offset?: number;
}

const LIST_PARAMS: ReadonlyArray<readonly [keyof ListBatchJobsParams, string]> = [
  ['directoryId', 'directory_id'],
  ['jobType', 'job_type'],
  ['status', 'status'],
  ['projectId', 'project_id'],
  ['organizationId', 'organization_id'],
  ['limit', 'limit'],
  ['offset', 'offset'],
];

/** The query string for the list endpoint, in a fixed order so equal params give equal strings. */
export function listBatchJobsQuery(params: ListBatchJobsParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, wireName] of LIST_PARAMS) {
    const value = params[key];
    if (value !== undefined) query.set(wireName, String(value));
  }
  return query;
}

const API_PREFIX = '/api/v1/beta/batch-processing';
const USER_AGENT = 'llamacloud-batch-gateway/0.1';

interface RequestSpec<S extends z.ZodType> {
  route: string;
  method: 'GET' | 'POST';
  path: string;
  query?: URLSearchParams;
  schema: S;
}

export class LlamaCloudClient {
  readonly #config: UpstreamClientConfig;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #basePath: string;
  readonly #authorization: string;

  /** `dispatcher` lets tests or a caller share a pool; by default the client owns one. */
  constructor(config: UpstreamClientConfig, dispatcher?: Dispatcher) {
    this.#config = config;
    this.#ownsDispatcher = dispatcher === undefined;
    this.#dispatcher =
      dispatcher ??
      new Pool(config.baseUrl.origin, {
        connections: config.maxConnections,
        headersTimeout: config.timeoutMs,
        bodyTimeout: config.timeoutMs,
      });
    this.#basePath = config.baseUrl.pathname.replace(/\/+$/, '');
    this.#authorization = `Bearer ${config.apiKey}`;
  }

  /** One page of batch jobs. Throws a GatewayError for every upstream failure. */
  async listBatchJobs(params: ListBatchJobsParams, options: CallOptions = {}): Promise<BatchJobListWire> {
    return this.#request(
      {
        route: 'listBatchJobs',
        method: 'GET',
        path: API_PREFIX,
        query: listBatchJobsQuery(params),
        schema: batchJobListSchema,
      },
      options,
    );
  }

  /**
   * One job with LlamaCloud's progress, or null when LlamaCloud answers 404 (an unknown id).
   * Throws a GatewayError for every other failure.
   */
  async getBatchJob(id: string, options: CallOptions = {}): Promise<BatchJobWithProgressWire | null> {
    try {
      return await this.#request(
        {
          route: 'getBatchJob',
          method: 'GET',
          path: `${API_PREFIX}/${encodeURIComponent(id)}`,
          schema: batchJobWithProgressSchema,
        },
        options,
      );
    } catch (error) {
      if (error instanceof GatewayError && error.details.upstreamStatus === 404) return null;
      throw error;
    }
  }

  /** Closes the connection pool after requests in flight finish. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #request<S extends z.ZodType>(spec: RequestSpec<S>, options: CallOptions): Promise<z.output<S>> {
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.#config.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const search = spec.query?.toString();
    let status: number | null = null;
    try {
      const response = await this.#dispatcher.request({
        origin: this.#config.baseUrl.origin,
        method: spec.method,
        path: `${this.#basePath}${spec.path}${search ? `?${search}` : ''}`,
        headers: { authorization: this.#authorization, accept: 'application/json', 'user-agent': USER_AGENT },
        signal,
      });
      status = response.statusCode;
      // Always read the body to the end: an unread body holds its socket.
      const text = await response.body.text();
      if (status < 200 || status >= 300) throw errorFromStatus(status, response.headers, this.#scrub(text));
      const result = this.#parse(spec.schema, text, status);
      options.onCall?.({ route: spec.route, method: spec.method, status, durationMs: performance.now() - started });
      return result;
    } catch (error) {
      const gatewayError = errorFromException(error, this.#config.timeoutMs, timeout.aborted);
      options.onCall?.({
        route: spec.route,
        method: spec.method,
        status,
        durationMs: performance.now() - started,
        errorCode: gatewayError.code,
      });
      throw gatewayError;
    }
  }

  #parse<S extends z.ZodType>(schema: S, text: string, status: number): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw badResponse('not JSON', status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
      throw badResponse(`${where}: ${issue?.message ?? 'unexpected shape'}`, status);
    }
    return parsed.data;
  }

  /** Upstream error text is passed to clients; make sure it cannot echo our key back. */
  #scrub(text: string): string {
    return text.replaceAll(this.#config.apiKey, '[redacted]');
  }
}
