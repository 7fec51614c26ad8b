/**
 * The GraphQL operation's span (tracing on): @envelop/opentelemetry's, without the document text,
 * variables or result (any of them may carry what a caller typed), plus the operation's name,
 * type and a hash of its document, which group spans of the same query without showing it.
 */
import { createHash } from 'node:crypto';
import { getCurrentOtelContext, setCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { SpanKind, trace, type Exception, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { getOperationAST, print, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { traceContextOfServer, TRACER_NAME } from './tracing.js';

/** Yoga reuses the parsed document of a text it has seen, so each is hashed once. */
const hashes = new WeakMap<DocumentNode, string>();

function documentHash(document: DocumentNode): string {
  let hash = hashes.get(document);
  if (hash === undefined) {
    hash = createHash('sha256').update(print(document)).digest('hex');
    hashes.set(document, hash);
  }
  return hash;
}

/**
 * The error codes of an execution's errors, from the JSON @envelop/opentelemetry records. Only the
 * codes: a message may quote what the caller gave (BAD_USER_INPUT names the bad value).
 */
function codesOf(exception: Exception): string {
  const text = typeof exception === 'string' ? exception : (exception.message ?? '');
  try {
    const errors = JSON.parse(text) as Array<{ extensions?: { code?: unknown } }>;
    const codes = errors.map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR'));
    return [...new Set(codes)].join(', ');
  } catch {
    return 'ERROR';
  }
}

function withCodesOnly(span: Span): Span {
  const record = span.recordException.bind(span);
  span.recordException = (exception, time) => {
    const codes = codesOf(exception);
    span.setAttribute('graphql.error.codes', codes);
    record({ name: 'graphql.execute.error', message: codes }, time);
  };
  return span;
}

/** The global tracers, with spans that record errors by code only. */
const codesOnlyProvider: TracerProvider = {
  getTracer(name, version) {
    const tracer = trace.getTracer(name, version);
    const wrapped: Tracer = {
      startSpan: (spanName, spanOptions, context) => withCodesOnly(tracer.startSpan(spanName, spanOptions, context)),
      startActiveSpan: tracer.startActiveSpan.bind(tracer),
    };
    return wrapped;
  },
};

interface OperationArgs {
  contextValue: unknown;
  document: DocumentNode;
  operationName?: string | null;
}

/**
 * Runs one of @envelop/opentelemetry's hooks (`open`) for a sampled request only, under the
 * request's server span, then names the span it opened. Undefined for an unsampled request.
 */
function forSampled<R>(args: OperationArgs, open: () => R): R | undefined {
  const parent = traceContextOfServer(args.contextValue);
  if (!parent || trace.getSpan(parent)?.isRecording() !== true) return undefined;
  setCurrentOtelContext(args.contextValue, parent);
  const hooks = open();
  const operation = getOperationAST(args.document, args.operationName);
  trace.getSpan(getCurrentOtelContext(args.contextValue))?.setAttributes({
    'graphql.operation.name': operation?.name?.value ?? 'anonymous',
    'graphql.operation.type': operation?.operation ?? 'query',
    'graphql.document.hash': documentHash(args.document),
  });
  return hooks;
}

/**
 * Goes last among the plugins: its span then wraps the execution the others settled on. Only a
 * sampled request gets one (an unsampled one costs nothing past its server span), as a child of
 * the request's server span, whatever async context the request body's events left it in.
 */
export function useOperationSpans(): Plugin {
  const spans = useOpenTelemetry(
    { resolvers: false, variables: false, result: false, document: false },
    codesOnlyProvider,
    SpanKind.INTERNAL,
    {},
    TRACER_NAME,
  ) as Plugin;
  return {
    onExecute: (payload) => forSampled(payload.args, () => spans.onExecute?.(payload)),
    onSubscribe: (payload) => forSampled(payload.args, () => spans.onSubscribe?.(payload)),
  };
}
