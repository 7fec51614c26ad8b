/**
 * One structured log line per HTTP request: method, path, status, duration, operation name and
 * every upstream call the request made; and for GraphQL requests, the request-duration metric.
 * Kept apart from the context so /health is logged too.
 */
import { randomUUID } from 'node:crypto';
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
  upstream: UpstreamCall[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
// Headers worth seeing in a request log. Authorization only shows as present: its value is written
// here as REDACTED, never passed to the logger (cheaper and surer than the logger's redaction).
const LOGGED_HEADERS = ['user-agent', 'origin', 'content-type', 'x-forwarded-for'];
const REDACTED = '[redacted]';

export class RequestTracker {
  readonly #states = new WeakMap<Request, RequestState>();

  /** The state of a request, created on first use (the context factory may run first). */
  state(request: Request): RequestState {
    let state = this.#states.get(request);
    if (!state) {
      const given = request.headers.get('x-request-id');
      state = {
        requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
        started: performance.now(),
        upstream: [],
      };
      this.#states.set(request, state);
    }
    return state;
  }

  plugin(logger: Logger, metrics: GatewayMetrics, graphqlEndpoint: string): Plugin {
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
      onResponse: ({ request, response }) => {
        const state = this.state(request);
        response.headers.set('x-request-id', state.requestId);
        const durationMs = performance.now() - state.started;
        if (state.path === graphqlEndpoint) {
          metrics.observeGraphQLRequest(state.operationName, state.operationType, response.status, durationMs / 1000);
        }
        const headers: Record<string, string> = {};
        for (const name of LOGGED_HEADERS) {
          const value = request.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        if (request.headers.has('authorization')) headers.authorization = REDACTED;
        logger.info(
          {
            requestId: state.requestId,
            method: request.method,
            path: state.path,
            status: response.status,
            durationMs: Math.round(durationMs * 100) / 100,
            operationName: state.operationName,
            sharedExecution: state.sharedExecution,
            subject: state.viewer?.subject ?? undefined,
            upstream: state.upstream.map((call) => ({ ...call, durationMs: Math.round(call.durationMs * 100) / 100 })),
            req: { headers },
          },
          'request',
        );
      },
    };
  }
}
