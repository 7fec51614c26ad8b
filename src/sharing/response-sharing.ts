/**
 * Response sharing: identical GraphQL requests in flight at the same moment get one HTTP response.
 *
 * Shared execution (shared-execution.ts) already runs a crowd's identical query once. What each
 * request of the crowd still cost was Yoga's own per-request work: a Fetch Request and Response,
 * the plugin hooks, result processing, and the garbage of all that held while it waits. With a
 * dashboard open in many tabs, that was most of the gateway's CPU (`npm run bench`). So once a
 * request is known to be answered with a shared query result, an identical HTTP request (same
 * path, body and headers, but for the few headers that only name, trace or describe the client)
 * waits for that request's response and gets a copy of it, with its own request id.
 *
 * What every request passes on its own still runs for each one here: authentication (a token may
 * have expired since), the rate limit, its log line and its metrics. Everything else Yoga decides
 * (media type, CSRF, CORS, trusted documents, operation limits, the result, its status and
 * headers) is a function of what the key holds, and the first request has just been through it. A
 * request that fails its own checks, or comes after the response is out, is run by Yoga as any
 * other, so its error is Yoga's.
 *
 * The first request runs with a signal of its own group: it is cancelled only once every client
 * waiting for its response has gone, as a shared execution is.
 *
 * With the micro-cache on (UPSTREAM_CACHE_TTL_MS), a response carrying a whole shared result is
 * also kept for as long as that result may be served (shared-execution.ts), and identical requests
 * get copies of it, after the same checks of their own.
 *
 * Groups in flight and kept copies live in the app's one place of shared work (shared-work.ts),
 * under `response` keys. Why this path around Yoga exists at all: on the same page asked by 32
 * clients it doubles what the gateway serves (0.37 → 0.70 of direct REST, `npm run bench`'s
 * same-page row against `SHARE_IDENTICAL_RESPONSES=false`), while costing a Map lookup and a key
 * on traffic where nothing is identical.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';
import type { YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { errorResponseBody } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RequestTracker } from '../observability/request-log.js';
import { newRequestState, requestState, type RequestState } from '../request-state.js';
import type { CallerChecks, CallerOf } from '../security/caller-checks.js';
import type { SharedWork } from './shared-work.js';
import { traceContextOf } from '../observability/tracing.js';

/** Request headers that only name, trace or describe the client: never part of the key. */
const UNKEYED_HEADERS = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'user-agent',
  'referer',
  'x-request-id',
  'x-forwarded-for',
  'traceparent',
  'tracestate',
  'baggage',
]);

/** A response as sent, to copy to identical requests, with what their log lines need. */
interface Copy {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  operationName: string | undefined;
  operationType: string | undefined;
  errorCodes: string[] | undefined;
}

// The key of a first request's group, kept on it under a symbol (see request-state.ts).
const GROUP = Symbol('response group');
type Grouped = Request & { [GROUP]?: string };

export interface ResponseSharingOptions {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  graphqlEndpoint: string;
  tracker: RequestTracker;
  checks: CallerChecks;
  metrics: GatewayMetrics;
  logger: Logger;
  work: SharedWork;
}

export class ResponseSharing {
  readonly #options: ResponseSharingOptions;

  constructor(options: ResponseSharingOptions) {
    this.#options = options;
  }

  /** Shared execution's `onShared`: identical requests may share this request's response now. */
  readonly shared = (request: Request): void => {
    const key = (request as Grouped)[GROUP];
    if (key !== undefined) this.#options.work.open(key);
  };

  /** The Node request listener: GraphQL POSTs go through here, everything else straight to Yoga. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (!this.#shareable(req)) {
      this.#options.yoga.requestListener(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      this.#route(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        this.#options.logger.error({ err: error }, 'unexpected error');
        res.destroy();
      });
    });
    // A client that breaks off its upload gets nothing: there is no one left to answer.
    req.once('error', () => req.destroy());
  };

  /**
   * Only a JSON POST to the GraphQL endpoint that asks for one JSON answer can be shared: GET
   * requests are few (and may be cached by HTTP), and streams (SSE, multipart) are not one body.
   */
  #shareable(req: IncomingMessage): boolean {
    if (req.method !== 'POST' || req.url !== this.#options.graphqlEndpoint) return false;
    if (!req.headers['content-type']?.startsWith('application/json')) return false;
    const accept = req.headers.accept;
    return accept === undefined || !(accept.includes('text/event-stream') || accept.includes('multipart/mixed'));
  }

  async #route(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const { work } = this.#options;
    const key = keyOf(req, body);
    const kept = work.kept(key) as Copy | undefined;
    if (kept) {
      const state = await this.#check(req);
      if (!state) return this.#run(req, res, body, null);
      work.countKeptHit(key);
      this.#options.metrics.sharedResponses.inc();
      this.#answer(req, res, state, kept);
      return;
    }
    const inFlight = work.stateOf(key);
    if (inFlight === 'joinable') {
      const state = await this.#check(req);
      // Refused, Yoga runs the request, checks it again and answers with the error; so it does
      // when the response went out while this request was being checked.
      const joined = state ? work.join<Copy | null>(key, closeSignal(res), traceContextOf(req)) : undefined;
      if (!state || !joined) return this.#run(req, res, body, null);
      this.#options.metrics.sharedResponses.inc();
      const copy = await joined.catch(() => null);
      // No copy (the first's answer was for it alone, or it failed): this request runs its own.
      if (copy === null) return res.destroyed ? undefined : this.#run(req, res, body, null);
      this.#answer(req, res, state, copy);
      return;
    }
    // While a first request with this key has not yet executed, an identical one goes through
    // Yoga: shared execution decides there whether they can share.
    return this.#run(req, res, body, inFlight ? null : key);
  }

  /** Runs a request through Yoga; with a key, identical requests may share its response. */
  async #run(req: IncomingMessage, res: ServerResponse, body: string, key: string | null): Promise<void> {
    const { yoga, logger, work } = this.#options;
    const make = (signal: AbortSignal): Request | null => {
      try {
        return new yoga.fetchAPI.Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
          method: 'POST',
          headers: req.headers as HeadersInit,
          body,
          signal,
        });
      } catch {
        return null;
      }
    };
    // A request Fetch cannot represent (an odd Host header): Yoga answers it as it would.
    const asYogaWould = () => {
      Object.assign(req, { body });
      yoga.requestListener(req, res);
    };
    const signal = closeSignal(res);
    if (key === null) {
      const request = make(signal);
      if (!request) {
        asYogaWould();
        return;
      }
      return this.#send(req, res, await this.#fetch(request, signal, req, res));
    }
    // The group: others join once shared execution opens it; its work is cancelled when the
    // first and every follower have gone.
    // Set inside the work below (an object: its fields change where the compiler cannot see).
    const outcome = { sentAlone: false, unrepresentable: false, keptUntil: 0 };
    const { result } = work.run<Copy | null>(
      key,
      signal,
      async (groupSignal) => {
        const request = make(groupSignal);
        if (!request) {
          outcome.unrepresentable = true;
          return null;
        }
        (request as Grouped)[GROUP] = key;
        const response = await this.#fetch(request, groupSignal, req, res);
        work.close(key);
        const first = requestState(request);
        // With the micro-cache on, a whole shared result may be served again for a while: so may
        // its response.
        outcome.keptUntil = first.keptUntil ?? 0;
        if ((work.joiners(key) === 0 && outcome.keptUntil <= Date.now()) || response.headers.has('set-cookie')) {
          // No one to share with (or a response for this client alone): sent as Yoga sends it.
          outcome.sentAlone = true;
          outcome.keptUntil = 0;
          await this.#send(req, res, response);
          return null;
        }
        const copy: Copy = {
          status: response.status,
          headers: {},
          body: Buffer.from(await response.arrayBuffer()),
          operationName: first.operationName,
          operationType: first.operationType,
          errorCodes: first.errorCodes,
        };
        response.headers.forEach((value, name) => (copy.headers[name] = value));
        return copy;
      },
      {
        joinable: false,
        traced: traceContextOf(req),
        keep: (copy) =>
          copy && outcome.keptUntil > Date.now() ? { until: outcome.keptUntil, bytes: copy.body.length } : null,
      },
    );
    const copy = await result.catch((error: unknown) => {
      // Cancelled once every client had gone: there is no one to answer.
      if (!signal.aborted) logger.error({ err: error }, 'unexpected error');
      return null;
    });
    if (outcome.unrepresentable) {
      asYogaWould();
      return;
    }
    if (copy && !outcome.sentAlone) send(res, copy.status, copy.headers, copy.body);
  }

  /** Yoga's answer to a request, or a coded 500 should Yoga itself throw. */
  async #fetch(request: Request, signal: AbortSignal, req: IncomingMessage, res: ServerResponse): Promise<Response> {
    const { yoga } = this.#options;
    try {
      // Two context parts, merged into one plain object as Yoga's own Node listener has it: a
      // single part is wrapped in an object whose prototype it is, a new prototype per request,
      // which made every read of the context slow (30% more CPU under load, by an A/B of builds).
      return await yoga.fetch(request, { req, res }, { waitUntil: yoga.waitUntil });
    } catch (error) {
      if (signal.aborted) throw error;
      this.#options.logger.error({ err: error }, 'unexpected error');
      return new yoga.fetchAPI.Response(errorResponseBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'), {
        status: 500,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    }
  }

  async #send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
    if (!res.destroyed) await sendNodeResponse(response, res, req, true);
  }

  /** Authentication and the rate limit, as every request passes them; undefined when refused. */
  async #check(req: IncomingMessage): Promise<RequestState | undefined> {
    const { checks, graphqlEndpoint } = this.#options;
    const state = newRequestState(header(req, 'x-request-id'));
    state.path = graphqlEndpoint;
    state.sharedExecution = true;
    const caller: CallerOf = { header: (name) => header(req, name), remoteAddress: req.socket.remoteAddress };
    try {
      state.viewer = await checks.authenticate(caller);
      await checks.limit(state.viewer, caller);
    } catch {
      return undefined;
    }
    return state;
  }

  /** Sends a copy with the request's own id, and records it as Yoga's plugins record a request. */
  #answer(req: IncomingMessage, res: ServerResponse, state: RequestState, copy: Copy): void {
    const { tracker, metrics } = this.#options;
    send(res, copy.status, { ...copy.headers, 'x-request-id': state.requestId }, copy.body);
    state.operationName = copy.operationName;
    state.operationType = copy.operationType;
    for (const code of copy.errorCodes ?? []) metrics.graphqlErrors.inc({ code });
    tracker.record({
      state,
      req,
      method: 'POST',
      status: copy.status,
      header: (name) => header(req, name),
      cut: res.destroyed,
    });
  }
}

/** What makes two requests identical: path, body and every header that may change the answer. */
function keyOf(req: IncomingMessage, body: string): string {
  const names = Object.keys(req.headers)
    .filter((name) => !UNKEYED_HEADERS.has(name))
    .sort();
  let key = 'response ';
  for (const name of names) key += `${name}:${String(req.headers[name])}\n`;
  return `${key}\n${body}`;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A signal that aborts when the client's connection closes before its answer was sent. */
function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  if (res.destroyed) return;
  res.writeHead(status, headers);
  res.end(body);
}
