/**
 * OpenTelemetry traces: the SDK (sdk-node) with its undici instrumentation for upstream calls,
 * configured by the standard OTEL_* variables (endpoint, protocol, headers, service name,
 * sampler), and started only when an OTLP endpoint is set. Without one nothing is loaded, and the
 * few hand-made spans (polls, joined shared work) go to the API's no-op tracer.
 *
 * `main` starts this before it builds the app; undici reports its requests on diagnostics
 * channels, and the server span is made around the request listener (below). What a span
 * may carry is decided here once: no headers, no query strings (GraphQL over GET puts variables
 * there), no document text or variables (graphql-spans.ts adds the operation's name, type and
 * hash). Off, the per-call helpers below do nothing at all.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type SpanContext,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Names spans' tracer (instrumentation scope) for the gateway's own spans. */
export const TRACER_NAME = 'llamacloud-batch-gateway';
export const tracer = () => trace.getTracer(TRACER_NAME);

export interface TracingOptions {
  /** Continue a caller's W3C trace context (TRUST_TRACE_HEADERS); otherwise every request starts a trace. */
  trustTraceHeaders: boolean;
}

export interface Tracing {
  /** Flushes the spans still buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

/** Paths whose requests make no trace: probes and scrapes, polled every few seconds. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

/** The upstream call an undici request belongs to, set by the upstream client around it. */
const UPSTREAM_CALL = Symbol.for('llamacloud-gateway.upstream-call');
export interface UpstreamCallSpan {
  /** The route template, e.g. `/api/v1/beta/batch-processing/{job_id}`. */
  template: string;
  /** 0 for the first try, then the retry's number. */
  attempt: number;
}

/** Set by startTracing: off, the helpers on every request's path skip their context work. */
let started = false;

/** Runs `fn` with the upstream call's template and attempt visible to the undici span. */
export function withUpstreamCall<T>(call: UpstreamCallSpan, fn: () => T): T {
  return started ? context.with(context.active().setValue(UPSTREAM_CALL, call), fn) : fn();
}

/**
 * A propagator that injects the W3C headers into upstream calls always, and extracts them from
 * callers only when trusted: an untrusted caller cannot pick the trace (or sampling) it lands in.
 */
class GatedPropagator implements TextMapPropagator {
  constructor(
    private readonly inner: TextMapPropagator,
    private readonly trusted: boolean,
  ) {}
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(ctx, carrier, setter);
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.trusted ? this.inner.extract(ctx, carrier, getter) : ctx;
  }
  fields(): string[] {
    return this.inner.fields();
  }
}

/** Starts the SDK; resolves once it is ready. Call only when an OTLP endpoint is configured. */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ NodeSDK }, { UndiciInstrumentation }, core] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/core'),
  ]);
  const w3c = new core.CompositePropagator({
    propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
  });
  const sdk = new NodeSDK({
    textMapPropagator: new GatedPropagator(w3c, options.trustTraceHeaders),
    instrumentations: [
      new UndiciInstrumentation({
        // A call made for an unsampled request (or with no trace at all) gets no span: nothing
        // would record it, and making one costs on every call.
        ignoreRequestHook: () => trace.getActiveSpan()?.isRecording() !== true,
        startSpanHook: () => {
          const call = context.active().getValue(UPSTREAM_CALL) as UpstreamCallSpan | undefined;
          return call ? { 'http.route': call.template, 'http.request.resend_count': call.attempt } : {};
        },
        requestHook: (span, request) => {
          const call = context.active().getValue(UPSTREAM_CALL) as UpstreamCallSpan | undefined;
          if (call) span.updateName(`${request.method} ${call.template}`);
          // The query string holds what callers gave (filters, page tokens): not for traces.
          const path = pathOf(request.path);
          span.setAttributes({ 'url.full': `${request.origin}${path}`, 'url.path': path, 'url.query': '' });
        },
      }),
    ],
  });
  sdk.start();
  started = true;
  return { shutdown: () => sdk.shutdown() };
}

function pathOf(url = '/'): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The HTTP server span of each request, around the app's request listener: the caller's W3C
 * context continues it when trusted (the propagator decides), and everything the request does
 * runs under it. Made here rather than by @opentelemetry/instrumentation-http: that one cost
 * 0.12 of the gateway's throughput even for unsampled requests (it binds every request's and
 * response's event emitters and parses headers into attributes; `npm run bench`, tracing row),
 * and it records the query string, where GraphQL over GET carries variables. Same conventions.
 */
export function tracedListener(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const spans = tracer();
  return (req, res) => {
    const path = pathOf(req.url);
    if (UNTRACED_PATHS.has(path)) {
      listener(req, res);
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const method = req.method ?? 'GET';
    const span = spans.startSpan(
      `${method} ${path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': path,
          'url.scheme': 'http',
          'http.route': path,
          'network.protocol.version': req.httpVersion,
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    // Node runs a request body's events, and so what the app does after reading it, in the
    // socket's async context: the app takes the span's context from here (traceContextOf).
    contexts.set(req, active);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, () => listener(req, res));
  };
}

const contexts = new WeakMap<IncomingMessage, Context>();

/** The trace context of a request's server span (tracing on), for work done on its behalf. */
export function traceContextOf(req: IncomingMessage | undefined): Context | undefined {
  return req ? contexts.get(req) : undefined;
}

/** The same, from what Yoga hands its hooks: the server context (or a GraphQL context on it). */
export function traceContextOfServer(serverContext: unknown): Context | undefined {
  return traceContextOf((serverContext as { req?: IncomingMessage } | undefined)?.req);
}

/** The active span's ids, for log lines; null without a span (tracing off). */
export function activeTraceIds(): { trace_id: string; span_id: string } | null {
  return traceIdsOf(context.active());
}

/** The ids of the span in `ctx`, for log lines; null without one. */
export function traceIdsOf(ctx: Context | undefined): { trace_id: string; span_id: string } | null {
  const ids = ctx ? trace.getSpan(ctx)?.spanContext() : undefined;
  if (!ids || !trace.isSpanContextValid(ids)) return null;
  return { trace_id: ids.traceId, span_id: ids.spanId };
}

/**
 * A span for a request that joined work another request started (an identical upstream GET,
 * execution or response), linked to the span that does the work: the joiner's trace shows where
 * its answer came from. Ends when the joiner has its answer.
 */
export function traceJoin(kind: string, origin: SpanContext, waited: Promise<unknown>, parent?: Context): void {
  const span = tracer().startSpan(
    `joined shared ${kind}`,
    { links: [{ context: origin }], attributes: { 'gateway.shared.kind': kind } },
    parent ?? context.active(),
  );
  waited.then(
    () => span.end(),
    () => span.end(),
  );
}

/**
 * Runs `fn` in a trace of its own (a subscription's poll, not a child of whichever request first
 * subscribed), under a root span named `name`.
 */
export function inOwnTrace<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  if (!started) return fn();
  return context.with(ROOT_CONTEXT, () =>
    tracer().startActiveSpan(name, { root: true, attributes }, async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    }),
  );
}
