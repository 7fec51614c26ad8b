/**
 * One structured log line per HTTP request: method, path, status, duration, operation name and
 * every upstream call the request made; and for GraphQL requests, the request-duration metric.
 * Kept apart from the context so /health is logged too.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import type { Viewer } from './security/auth.js';
import type { UpstreamCall } from './upstream/client.js';

export interface RequestState {
  requestId: string;
  /** Set once the caller is authenticated (before parsing). */
  viewer?: Viewer;
  started: number;
  path?: string;
  operationName?: string;
  operationType?: string;
  /** True when an identical query already executing answered this request. */
  sharedExecution?: boolean;
  /** The `extensions.code` of every error in the GraphQL result sent. */
  errorCodes?: string[];
  /** With the micro-cache on: until when (epoch ms) the shared result sent may be served again. */
  keptUntil?: number;
  upstream: UpstreamCall[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
// Headers worth seeing in a request log. Authorization only shows as present: its value is written
// here as REDACTED, never passed to the logger (cheaper and surer than the logger's redaction).
const LOGGED_HEADERS = ['user-agent', 'origin', 'content-type', 'x-forwarded-for'];
const REDACTED = '[redacted]';

/**
 * A request's state as it starts, from the `x-request-id` it sent: that id when it is a sensible
 * one, otherwise a fresh one.
 */
export function newRequestState(givenId: string | null): RequestState {
  return {
    requestId: givenId && REQUEST_ID.test(givenId) ? givenId : randomUUID(),
    started: performance.now(),
    upstream: [],
  };
}

/** One request as logged and measured, whichever way it was answered. */
export interface RequestRecord {
  state: RequestState;
  method: string;
  status: number;
  /** A request header's value, or null when absent. */
  header: (name: string) => string | null;
  /** True when the connection was gone before the response could be sent (cut at shutdown, or the client left). */
  cut?: boolean;
}

/**
 * Where a request's state lives: a property of the request under a symbol of this module. A
 * WeakMap from request to state would do the same, but V8 processes a WeakMap's table of
 * short-lived keys at every young-generation collection; with the other per-request maps it cost
 * up to a fifth of the gateway's CPU under load (measured with an A/B of two builds).
 */
const STATE = Symbol('request state');

type Tracked = Request & { [STATE]?: RequestState };

export class RequestTracker {
  readonly #logger: Logger;
  readonly #metrics: GatewayMetrics;
  readonly #graphqlEndpoint: string;

  constructor(logger: Logger, metrics: GatewayMetrics, graphqlEndpoint: string) {
    this.#logger = logger;
    this.#metrics = metrics;
    this.#graphqlEndpoint = graphqlEndpoint;
  }

  /** The state of a request, created on first use (the context factory may run first). */
  state(request: Request): RequestState {
    return ((request as Tracked)[STATE] ??= newRequestState(request.headers.get('x-request-id')));
  }

  /** Logs a finished request and, for a GraphQL request, adds it to the request-duration metric. */
  record({ state, method, status, header, cut = false }: RequestRecord): void {
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
        upstream: state.upstream.map((call) => ({ ...call, durationMs: Math.round(call.durationMs * 100) / 100 })),
        req: { headers },
      },
      cut ? 'request cut: its connection closed before the response was sent' : 'request',
    );
  }

  plugin(): Plugin {
    return {
      onRequest: ({ request, url }) => {
        this.state(request).path = url.pathname;
      },
      // The operation's name from the parsed document, so unnamed-in-params requests (GET, or
      // clients that omit operationName) are still logged by name.
      onExecute: ({ args }) => {
        const { request } = args.contextValue as { request?: Request };
        const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
        const operation = getOperationAST(document, operationName);
        if (!request || !operation) return;
        const state = this.state(request);
        state.operationName = operation.name?.value;
        state.operationType = operation.operation;
      },
      onResponse: ({ request, response, serverContext }) => {
        const state = this.state(request);
        response.headers.set('x-request-id', state.requestId);
        const res = (serverContext as { res?: ServerResponse } | undefined)?.res;
        this.record({
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
