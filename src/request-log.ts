/**
 * One structured log line per HTTP request: method, path, status, duration, operation name and
 * every upstream call the request made. Kept apart from the context so /health is logged too.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';
import type { Viewer } from './security/auth.js';
import type { UpstreamCall } from './upstream/client.js';

export interface RequestState {
  requestId: string;
  /** Set once the caller is authenticated (before parsing). */
  viewer?: Viewer;
  started: number;
  operationName?: string;
  upstream: UpstreamCall[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
// Headers worth seeing in a request log; authorization is listed so its presence shows, redacted.
const LOGGED_HEADERS = ['user-agent', 'origin', 'content-type', 'authorization', 'x-forwarded-for'];

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

  plugin(logger: Logger): Plugin {
    return {
      onRequest: ({ request }) => {
        this.state(request);
      },
      // The operation's name from the parsed document, so unnamed-in-params requests (GET, or
      // clients that omit operationName) are still logged by name.
      onExecute: ({ args }) => {
        const { request } = args.contextValue as { request?: Request };
        const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
        const name = getOperationAST(document, operationName)?.name?.value;
        if (request && name) this.state(request).operationName = name;
      },
      onResponse: ({ request, response }) => {
        const state = this.state(request);
        response.headers.set('x-request-id', state.requestId);
        const headers: Record<string, string> = {};
        for (const name of LOGGED_HEADERS) {
          const value = request.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        const url = new URL(request.url, 'http://gateway');
        logger.info(
          {
            requestId: state.requestId,
            method: request.method,
            path: url.pathname,
            status: response.status,
            durationMs: Math.round((performance.now() - state.started) * 100) / 100,
            operationName: state.operationName,
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
