/**
 * One structured log line per HTTP request: method, path, status, duration, operation name and
 * every upstream call the request made; and for GraphQL requests, the request-duration metric.
 * Kept apart from the context so /health is logged too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import { requestState, type RequestState } from '../request-state.js';
import { traceContextOf, traceIdsOf } from './tracing.js';

// Headers worth seeing in a request log. Authorization only shows as present: its value is written
// here as REDACTED, never passed to the logger (cheaper and surer than the logger's redaction).
const LOGGED_HEADERS = ['user-agent', 'origin', 'content-type', 'x-forwarded-for'];
const REDACTED = '[redacted]';

/** One request as logged and measured, whichever way it was answered. */
export interface RequestRecord {
  state: RequestState;
  method: string;
  status: number;
  /** A request header's value, or null when absent. */
  header: (name: string) => string | null;
  /** True when the connection was gone before the response could be sent (cut at shutdown, or the client left). */
  cut?: boolean;
  /** The node request, whose server span (tracing on) the line names by `trace_id` and `span_id`. */
  req?: IncomingMessage;
}

export class RequestTracker {
  readonly #logger: Logger;
  readonly #metrics: GatewayMetrics;
  readonly #graphqlEndpoint: string;

  constructor(logger: Logger, metrics: GatewayMetrics, graphqlEndpoint: string) {
    this.#logger = logger;
    this.#metrics = metrics;
    this.#graphqlEndpoint = graphqlEndpoint;
  }

  /** Logs a finished request and, for a GraphQL request, adds it to the request-duration metric. */
  record({ state, method, status, header, cut = false, req }: RequestRecord): void {
    const durationMs = performance.now() - state.started;
    if (state.path === this.#graphqlEndpoint) {
      this.#metrics.observeGraphQLRequest(state.operationName, state.operationType, status, durationMs / 1000);
    }
    const headers: Record<string, string> = {};
    for (const name of LOGGED_HEADERS) {
      const value = header(name);
      if (value !== null) headers[name] = value;
    }
    if (header('authorization') !== null) headers.authorization = REDACTED;
    this.#logger[cut ? 'warn' : 'info'](
      {
        requestId: state.requestId,
        method,
        path: state.path,
        // A response that was never sent has no status; the one Yoga made is not what anyone got.
        status: cut ? null : status,
        cut: cut || undefined,
        durationMs: Math.round(durationMs * 100) / 100,
        operationName: state.operationName,
        sharedExecution: state.sharedExecution,
        subject: state.viewer?.subject ?? undefined,
        errorCodes: state.errorCodes,
        upstream: state.upstream.map((call) => ({ ...call, durationMs: Math.round(call.durationMs * 100) / 100 })),
        req: { headers },
        ...traceIdsOf(traceContextOf(req)),
      },
      cut ? 'request cut: its connection closed before the response was sent' : 'request',
    );
  }

  plugin(): Plugin {
    return {
      onRequest: ({ request, url }) => {
        requestState(request).path = url.pathname;
      },
      // The operation's name from the parsed document, so unnamed-in-params requests (GET, or
      // clients that omit operationName) are still logged by name.
      onExecute: ({ args }) => {
        const { request } = args.contextValue as { request?: Request };
        const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
        const operation = getOperationAST(document, operationName);
        if (!request || !operation) return;
        const state = requestState(request);
        state.operationName = operation.name?.value;
        state.operationType = operation.operation;
      },
      onResponse: ({ request, response, serverContext }) => {
        const state = requestState(request);
        response.headers.set('x-request-id', state.requestId);
        const { res, req } = serverContext as { res?: ServerResponse; req?: IncomingMessage };
        this.record({
          req,
          state,
          method: request.method,
          status: response.status,
          header: (name) => request.headers.get(name),
          cut: res?.destroyed === true,
        });
      },
    };
  }
}
