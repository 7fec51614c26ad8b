/**
 * One HTTP exchange with LlamaCloud: the request with the key, its deadline and cancellation, the
 * body read to the end (and bounded), the status mapped to the gateway's errors, the key scrubbed
 * from the answer, and the answer validated into models.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { CancelSignal } from '../cancellation.js';
import { CancelledError, type ErrorCode, type GatewayError } from '../errors.js';
import type { UpstreamBackoff } from '../fleet/backoff.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { withUpstreamCall } from '../observability/tracing.js';
import type { UpstreamCall } from './call-options.js';
import { badResponse, errorFromException, errorFromStatus, upstreamErrorCode } from './errors.js';
import { ExchangeSignal } from './exchange-signal.js';
import { ROUTE_TEMPLATES, type Route } from './routes.js';
import { createScrubber, type Scrubber } from './scrub.js';
import { UnknownValues } from './unknown-values.js';

/** What one call asks of LlamaCloud, and how its answer is read. */
export interface RequestSpec<S extends z.ZodType> {
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

export interface ExchangeSettings {
  /** LlamaCloud's base URL; a path prefix (a proxy's) is kept. */
  baseUrl: URL;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged or returned. */
  apiKey: string;
  /** Deadline for one exchange, headers and body included, in milliseconds. */
  timeoutMs: number;
  /** Largest answer read, in bytes; a larger one is UPSTREAM_BAD_RESPONSE. */
  maxResponseBytes: number;
}

const USER_AGENT = 'llamacloud-batch-gateway/0.1';

export class UpstreamExchange {
  readonly #settings: ExchangeSettings;
  readonly #dispatcher: Dispatcher;
  readonly #metrics: GatewayMetrics | undefined;
  readonly #backoff: UpstreamBackoff | undefined;
  readonly #basePath: string;
  readonly #headers: Record<string, string>;
  readonly #scrubber: Scrubber;
  readonly #unknownValues: UnknownValues;

  constructor(
    settings: ExchangeSettings,
    deps: { dispatcher: Dispatcher; metrics?: GatewayMetrics; backoff?: UpstreamBackoff; logger?: Logger },
  ) {
    this.#settings = settings;
    this.#dispatcher = deps.dispatcher;
    this.#metrics = deps.metrics;
    this.#backoff = deps.backoff;
    this.#basePath = settings.baseUrl.pathname.replace(/\/+$/, '');
    this.#scrubber = createScrubber(settings.apiKey);
    this.#unknownValues = new UnknownValues(deps.logger, deps.metrics, this.#scrubber.text);
    this.#headers = {
      authorization: `Bearer ${settings.apiKey}`,
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
  }

  /**
   * Sends `spec` and reads its answer, within `deadline` (epoch ms) and the exchange timeout.
   * Rejects with a GatewayError for every failure, a CancelledError once `signal` aborts; `onCall`
   * hears of the exchange either way. `attempt` is the retry's number, for the upstream span.
   */
  async send<S extends z.ZodType>(
    spec: RequestSpec<S>,
    signal: CancelSignal | undefined,
    deadline: number,
    onCall: ((call: UpstreamCall) => void) | undefined,
    attempt = 0,
  ): Promise<z.output<S>> {
    const started = performance.now();
    const { timeoutMs } = this.#settings;
    const budget = Math.min(timeoutMs, deadline - Date.now());
    let status: number | null = null;
    const report = (errorCode?: ErrorCode) => {
      const durationMs = performance.now() - started;
      this.#metrics?.upstreamDuration.observe({ route: spec.route, status: status ?? 'error' }, durationMs / 1000);
      onCall?.({ route: spec.route, method: spec.method, status, durationMs, ...(errorCode ? { errorCode } : {}) });
    };
    if (budget <= 0) {
      const error = errorFromException(null, timeoutMs, true);
      report(error.code);
      throw error;
    }
    const exchange = new ExchangeSignal(signal, budget);
    const search = spec.query?.toString();
    try {
      const request = {
        origin: this.#settings.baseUrl.origin,
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
      if (declared > this.#settings.maxResponseBytes) {
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
      const result = this.parse(spec, text, status);
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

  /**
   * An answer's text as the models `spec` reads, with the key scrubbed from it; throws
   * UPSTREAM_BAD_RESPONSE for text that is not JSON or not of the expected shape.
   */
  parse<S extends z.ZodType>(spec: RequestSpec<S>, text: string, status: number): z.output<S> {
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

  #oversized(status: number): GatewayError {
    this.#metrics?.oversizedAnswers.inc();
    return badResponse(`larger than ${this.#settings.maxResponseBytes} bytes, UPSTREAM_MAX_RESPONSE_BYTES`, status);
  }
}
