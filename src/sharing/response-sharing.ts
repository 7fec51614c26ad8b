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
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';
import { LRUCache } from 'lru-cache';
import type { YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { errorResponseBody } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RequestTracker } from '../observability/request-log.js';
import { newRequestState, requestState, type RequestState } from '../request-state.js';
import type { CallerChecks, CallerOf } from '../security/caller-checks.js';

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

interface Client {
  req: IncomingMessage;
  res: ServerResponse;
  /** The client went away before its answer was sent. */
  gone: boolean;
}

interface Follower extends Client {
  state: RequestState;
}

/** A response as sent, to copy to identical requests, with what their log lines need. */
interface Copy {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  operationName: string | undefined;
  operationType: string | undefined;
  errorCodes: string[] | undefined;
}

/** Most bytes the kept responses hold (micro-cache on), as much as the kept results. */
const KEPT_BYTES = 8 * 1024 * 1024;

interface Group {
  key: string;
  first: Client;
  controller: AbortController;
  /** Set once the first request's answer is known to be a shared query result. */
  open: boolean;
  followers: Follower[];
}

// The group of a first request, kept on it under a symbol (see the request state in request-log.ts).
const GROUP = Symbol('response group');
type Grouped = Request & { [GROUP]?: Group };

export interface ResponseSharingOptions {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  graphqlEndpoint: string;
  tracker: RequestTracker;
  checks: CallerChecks;
  metrics: GatewayMetrics;
  logger: Logger;
}

export class ResponseSharing {
  readonly #groups = new Map<string, Group>();
  // With the micro-cache on: responses whose shared results may still be served, by key.
  readonly #kept = new LRUCache<string, Copy>({ maxSize: KEPT_BYTES, sizeCalculation: (copy) => copy.body.length + 1 });
  readonly #options: ResponseSharingOptions;

  constructor(options: ResponseSharingOptions) {
    this.#options = options;
  }

  /** Shared execution's `onShared`: identical requests may share this request's response now. */
  readonly shared = (request: Request): void => {
    const group = (request as Grouped)[GROUP];
    if (group && this.#groups.get(group.key) === group) group.open = true;
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

  #route(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const key = keyOf(req, body);
    const kept = this.#kept.get(key);
    if (kept) return this.#copyKept(kept, req, res, body);
    const group = this.#groups.get(key);
    if (group?.open) return this.#follow(group, req, res, body);
    // While a first request with this key has not yet executed, an identical one goes through
    // Yoga: shared execution decides there whether they can share.
    return this.#run(req, res, body, group ? null : key);
  }

  /** Runs a request through Yoga; with a key, identical requests may share its response. */
  async #run(req: IncomingMessage, res: ServerResponse, body: string, key: string | null): Promise<void> {
    const { yoga, logger } = this.#options;
    const controller = new AbortController();
    let request: Request;
    try {
      request = new yoga.fetchAPI.Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
        method: 'POST',
        headers: req.headers as HeadersInit,
        body,
        signal: controller.signal,
      });
    } catch {
      // A request Fetch cannot represent (an odd Host header): Yoga answers it as it would.
      Object.assign(req, { body });
      yoga.requestListener(req, res);
      return;
    }
    const group: Group = { key: key ?? '', first: { req, res, gone: false }, controller, open: false, followers: [] };
    if (key !== null) {
      this.#groups.set(key, group);
      (request as Grouped)[GROUP] = group;
    }
    res.once('close', () => {
      if (res.writableFinished) return;
      group.first.gone = true;
      abortWhenAbandoned(group);
    });

    let response: Response;
    try {
      // Two context parts, merged into one plain object as Yoga's own Node listener has it: a
      // single part is wrapped in an object whose prototype it is, a new prototype per request,
      // which made every read of the context slow (30% more CPU under load, by an A/B of builds).
      response = await yoga.fetch(request, { req, res }, { waitUntil: yoga.waitUntil });
    } catch (error) {
      // Cancelled once every client had gone: there is no one to answer.
      if (controller.signal.aborted) return;
      logger.error({ err: error }, 'unexpected error');
      response = new yoga.fetchAPI.Response(errorResponseBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'), {
        status: 500,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    } finally {
      if (key !== null && this.#groups.get(key) === group) this.#groups.delete(key);
      group.open = false;
    }

    const followers = group.followers.filter((follower) => !follower.gone);
    const first = requestState(request);
    // With the micro-cache on, a whole shared result may be served again for a while: so may
    // its response.
    const keptFor = key !== null ? (first.keptUntil ?? 0) - Date.now() : 0;
    if ((followers.length === 0 && keptFor <= 0) || response.headers.has('set-cookie')) {
      // No one to share with (or a response for this client alone): sent as Yoga sends it.
      await Promise.all([
        ...followers.map((follower) => this.#run(follower.req, follower.res, body, null)),
        group.first.gone ? undefined : sendNodeResponse(response, res, req, true),
      ]);
      return;
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
    if (key !== null && keptFor > 0) this.#kept.set(key, copy, { ttl: keptFor });
    if (!group.first.gone) send(group.first, copy.status, copy.headers, copy.body);
    for (const follower of followers) this.#answer(follower, copy);
  }

  /** Joins a group whose response is on its way, once this request has passed its own checks. */
  async #follow(group: Group, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const state = await this.#check(req);
    // Refused, Yoga runs the request, checks it again and answers with the error; or the response
    // went out while this request was being checked.
    if (!state || !group.open) return this.#run(req, res, body, null);
    const follower: Follower = { req, res, gone: false, state };
    group.followers.push(follower);
    this.#counted();
    res.once('close', () => {
      if (res.writableFinished) return;
      follower.gone = true;
      abortWhenAbandoned(group);
    });
  }

  /** Answers with a kept response (micro-cache on), once this request has passed its own checks. */
  async #copyKept(copy: Copy, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const state = await this.#check(req);
    if (!state) return this.#run(req, res, body, null);
    this.#counted();
    this.#answer({ req, res, gone: false, state }, copy);
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

  #counted(): void {
    this.#options.metrics.sharedExecutions.inc();
    this.#options.metrics.sharedResponses.inc();
  }

  /** Sends a copy with the request's own id, and records it as Yoga's plugins record a request. */
  #answer(follower: Follower, copy: Copy): void {
    const { tracker, metrics } = this.#options;
    send(follower, copy.status, { ...copy.headers, 'x-request-id': follower.state.requestId }, copy.body);
    follower.state.operationName = copy.operationName;
    follower.state.operationType = copy.operationType;
    for (const code of copy.errorCodes ?? []) metrics.graphqlErrors.inc({ code });
    tracker.record({
      state: follower.state,
      method: 'POST',
      status: copy.status,
      header: (name) => header(follower.req, name),
      cut: follower.res.destroyed,
    });
  }
}

/** What makes two requests identical: path, body and every header that may change the answer. */
function keyOf(req: IncomingMessage, body: string): string {
  const names = Object.keys(req.headers)
    .filter((name) => !UNKEYED_HEADERS.has(name))
    .sort();
  let key = '';
  for (const name of names) key += `${name}:${String(req.headers[name])}\n`;
  return `${key}\n${body}`;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function abortWhenAbandoned(group: Group): void {
  if (group.first.gone && group.followers.every((follower) => follower.gone)) group.controller.abort();
}

function send(client: Client, status: number, headers: Record<string, string>, body: Buffer): void {
  if (client.gone || client.res.destroyed) return;
  client.res.writeHead(status, headers);
  client.res.end(body);
}
